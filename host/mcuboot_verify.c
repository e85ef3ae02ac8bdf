/* The verdict on a parsed image, as the device's MCUboot build
 * (struct mcuboot_verify_opts; mcuboot_rules.c for the rules that need no
 * hash or key) reaches it in bootutil_img_validate(), with OpenSSL 3:
 * - every TLV of the hash type the build computes must equal the hash of
 *   header + body + protected TLVs; other hash TLVs are ignored (not
 *   checkable when encrypted: it covers the plaintext, unless the stored
 *   bytes match it, which makes them plaintext flagged encrypted);
 * - TLVs are walked in order, as bootutil_img_validate() walks them
 *   (boot/bootutil/src/image_validate.c): a KEYHASH/PUBKEY TLV says whose
 *   signature follows; a signature not preceded by one naming the key is
 *   skipped; the last signature checked decides;
 * - signatures cover the stored hash (so they can be checked on encrypted
 *   images too), except SIG_PURE where Ed25519 signs header + body +
 *   protected TLVs directly;
 * - RSA is PSS, MGF1 with the image hash, salt as long as the hash (32 bytes
 *   with SHA-256); ECDSA a DER signature of the hash; Ed25519 signs the
 *   hash bytes. */
#include "host/mcuboot.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "host/mcuboot_priv.h"

/* Outcome of one signature TLV against the key. */
enum sig_result {
	SIG_OK,
	SIG_BAD,	    /* the key fits, the signature does not verify */
	SIG_WRONG_KEY_TYPE, /* e.g. an Ed25519 key for an ECDSA_SIG TLV */
	SIG_UNSUPPORTED,
	SIG_UNCHECKABLE, /* pure signature over encrypted data */
	SIG_ERROR,	 /* OpenSSL failed */
};

struct sig_check {
	const struct mcuboot_image *img;
	const uint8_t *buf;
	const struct mcuboot_key *key;
	const struct mcuboot_tlv *tlv;
	char why[160];
};

static void why(struct sig_check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void why(struct sig_check *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
}

static enum sig_result verify_rsa(struct sig_check *c, int bits)
{
	const struct mcuboot_image *img = c->img;
	const EVP_MD *md = mcuboot_hash_md(img->hash_type);
	EVP_PKEY_CTX *ctx;
	enum sig_result res = SIG_ERROR;
	int rc;

	if (c->key->kind != MCUBOOT_KEY_RSA || c->key->bits != bits)
		return SIG_WRONG_KEY_TYPE;
	if (c->tlv->len != bits / 8) {
		why(c, "RSA-%d signature is %u bytes, expected %d", bits, c->tlv->len, bits / 8);
		return SIG_BAD;
	}
	ctx = EVP_PKEY_CTX_new(c->key->pkey, NULL);
	if (ctx && EVP_PKEY_verify_init(ctx) > 0 &&
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) > 0 &&
	    EVP_PKEY_CTX_set_signature_md(ctx, md) > 0 &&
	    EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) > 0 &&
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, (int)img->hash_len) > 0) {
		rc = EVP_PKEY_verify(ctx, c->buf + c->tlv->off, c->tlv->len, img->hash_stored,
				     img->hash_len);
		res = rc == 1 ? SIG_OK : SIG_BAD;
	}
	EVP_PKEY_CTX_free(ctx);
	return res;
}

/* The TLV holds a DER ECDSA-Sig-Value, possibly followed by padding
 * (imgtool --pad-sig); only the DER part is the signature. */
static enum sig_result verify_ecdsa(struct sig_check *c)
{
	const struct mcuboot_image *img = c->img;
	const unsigned char *p = c->buf + c->tlv->off;
	unsigned char *der = NULL;
	ECDSA_SIG *sig;
	EVP_PKEY_CTX *ctx = NULL;
	enum sig_result res = SIG_ERROR;
	int der_len;

	if (c->key->kind != MCUBOOT_KEY_EC)
		return SIG_WRONG_KEY_TYPE;
	sig = d2i_ECDSA_SIG(NULL, &p, c->tlv->len);
	if (!sig) {
		why(c, "ECDSA_SIG TLV is not a DER signature");
		return SIG_BAD;
	}
	der_len = i2d_ECDSA_SIG(sig, &der);
	ctx = EVP_PKEY_CTX_new(c->key->pkey, NULL);
	if (der_len > 0 && ctx && EVP_PKEY_verify_init(ctx) > 0)
		res = EVP_PKEY_verify(ctx, der, (size_t)der_len, img->hash_stored, img->hash_len) ==
				      1
			      ? SIG_OK
			      : SIG_BAD;
	EVP_PKEY_CTX_free(ctx);
	OPENSSL_free(der);
	ECDSA_SIG_free(sig);
	return res;
}

static enum sig_result verify_ed25519(struct sig_check *c)
{
	const struct mcuboot_image *img = c->img;
	const uint8_t *msg = img->hash_stored;
	size_t msg_len = img->hash_len;
	EVP_MD_CTX *mctx;
	enum sig_result res = SIG_ERROR;

	if (c->key->kind != MCUBOOT_KEY_ED25519)
		return SIG_WRONG_KEY_TYPE;
	if (c->tlv->len != 64) {
		why(c, "Ed25519 signature is %u bytes, expected 64", c->tlv->len);
		return SIG_BAD;
	}
	if (img->pure) {
		if (img->encrypted)
			return SIG_UNCHECKABLE;
		msg = c->buf;
		msg_len = (size_t)img->body_end + img->protect_tlv_size;
	}
	mctx = EVP_MD_CTX_new();
	if (mctx && EVP_DigestVerifyInit(mctx, NULL, NULL, NULL, c->key->pkey) == 1)
		res = EVP_DigestVerify(mctx, c->buf + c->tlv->off, 64, msg, msg_len) == 1 ? SIG_OK
											  : SIG_BAD;
	EVP_MD_CTX_free(mctx);
	return res;
}

static enum sig_result verify_one(struct sig_check *c)
{
	enum sig_result res;

	c->why[0] = '\0';
	if (c->img->pure && c->tlv->type != SMP_MCUBOOT_TLV_ED25519) {
		why(c, "a pure (SIG_PURE) signature must be Ed25519");
		return SIG_UNSUPPORTED;
	}
	switch (c->tlv->type) {
	case SMP_MCUBOOT_TLV_RSA2048_PSS:
		res = verify_rsa(c, 2048);
		break;
	case SMP_MCUBOOT_TLV_RSA3072_PSS:
		res = verify_rsa(c, 3072);
		break;
	case SMP_MCUBOOT_TLV_ECDSA_SIG:
		res = verify_ecdsa(c);
		break;
	case SMP_MCUBOOT_TLV_ED25519:
		res = verify_ed25519(c);
		break;
	default:
		why(c, "ECDSA224 signatures are no longer supported by MCUboot");
		return SIG_UNSUPPORTED;
	}
	ERR_clear_error();
	return res;
}

/* Does a KEYHASH or PUBKEY TLV name this key? image_validate.c,
 * bootutil_find_key(): the key's hash with the image hash algorithm,
 * compared over the TLV's own length ("boot_fih_memequal(hash, keyhash,
 * keyhash_len)"), so a shorter KEYHASH, even an empty one, names the key
 * whose hash starts with it. */
static bool key_tlv_matches(const struct mcuboot_tlv *t, const uint8_t *buf,
			    const struct mcuboot_key *key, uint16_t hash_type)
{
	const uint8_t *v = buf + t->off;
	uint8_t digest[SMP_MCUBOOT_HASH_MAX];
	uint16_t type;
	int n;

	if (t->type == SMP_MCUBOOT_TLV_PUBKEY)
		return (t->len == key->der_len && !memcmp(v, key->der, t->len)) ||
		       (t->len == key->spki_len && !memcmp(v, key->spki, t->len));
	type = mcuboot_hash_type_for_len(t->len);
	if (type && mcuboot_digest(type, key->der, (size_t)key->der_len, digest) == t->len &&
	    !memcmp(v, digest, t->len))
		return true;
	n = mcuboot_digest(hash_type, key->der, (size_t)key->der_len, digest);
	return n >= 0 && t->len < (size_t)n && !memcmp(v, digest, t->len);
}

/* The signature TLV type a build for this key expects (EXPECTED_SIG_TLV
 * in image_validate.c); the others hit no case of its switch. */
static bool sig_type_fits_key(uint16_t type, const struct mcuboot_key *key)
{
	switch (type) {
	case SMP_MCUBOOT_TLV_RSA2048_PSS:
		return key->kind == MCUBOOT_KEY_RSA && key->bits == 2048;
	case SMP_MCUBOOT_TLV_RSA3072_PSS:
		return key->kind == MCUBOOT_KEY_RSA && key->bits == 3072;
	case SMP_MCUBOOT_TLV_ECDSA_SIG:
	case SMP_MCUBOOT_TLV_ECDSA224:
		return key->kind == MCUBOOT_KEY_EC;
	case SMP_MCUBOOT_TLV_ED25519:
		return key->kind == MCUBOOT_KEY_ED25519;
	}
	return false;
}

/* What the walk over the signatures found. */
struct sig_walk {
	bool checked;	      /* a signature was verified */
	enum sig_result last; /* the last one's result: it decides */
	bool earlier_ok;      /* an earlier one verified */
	bool key_tlv_seen, key_tlv_matched;
	bool skipped;	     /* of the key's type, no key TLV naming it */
	uint16_t other_type; /* a signature of another key type */
	char why[160];
};

/* bootutil_img_validate()'s loop: "case EXPECTED_KEY_TLV: ... key_id =
 * bootutil_find_key(buf, len);" (a key TLV may name an unknown key: "The
 * key may not be found, which is acceptable. There can be multiple
 * signatures, each preceded by a key."); "case EXPECTED_SIG_TLV: ... if
 * (key_id < 0 || key_id >= bootutil_key_cnt) { key_id = -1; continue; }
 * ... FIH_CALL(bootutil_verify_sig, valid_signature, ...); key_id = -1;"
 * and after the loop "FIH_SET(fih_rc, valid_signature);": each checked
 * signature overwrites the result, so the last one decides. (Builds with
 * MCUBOOT_BUILTIN_KEY, or NCS's CONFIG_BOOT_SIGNATURE_USING_KMU, need no
 * key TLV; imgtool always writes one, so that is not modelled.) */
static void walk_signatures(const struct mcuboot_image *img, const uint8_t *buf,
			    const struct mcuboot_key *key, const struct mcuboot_build *b,
			    struct sig_walk *w)
{
	struct sig_check c = { img, buf, key, NULL, "" };
	struct mcuboot_tlv_iter it = { 0 };
	struct mcuboot_tlv tlv;
	bool named = false;

	while (mcuboot_tlv_next(img, buf, &it, &tlv)) {
		if ((tlv.type == SMP_MCUBOOT_TLV_KEYHASH || tlv.type == SMP_MCUBOOT_TLV_PUBKEY) &&
		    (!b->key_tlv || tlv.type == b->key_tlv)) {
			w->key_tlv_seen = true;
			named = key_tlv_matches(&tlv, buf, key, img->hash_type);
			w->key_tlv_matched |= named;
			continue;
		}
		if (!mcuboot_is_sig_tlv(tlv.type))
			continue;
		if (!sig_type_fits_key(tlv.type, key)) {
			w->other_type = tlv.type;
			continue;
		}
		if (!named) {
			w->skipped = true;
			continue;
		}
		named = false;
		c.tlv = &tlv;
		w->earlier_ok |= w->checked && w->last == SIG_OK;
		w->last = verify_one(&c);
		w->checked = true;
		snprintf(w->why, sizeof(w->why), "%s", c.why);
	}
}

static void note(struct mcuboot_verdict *v, enum mcuboot_err_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void note(struct mcuboot_verdict *v, enum mcuboot_err_kind kind, const char *fmt, ...)
{
	va_list ap;

	if (v->err.kind != MCUBOOT_OK)
		return;
	v->err.kind = kind;
	va_start(ap, fmt);
	vsnprintf(v->err.msg, sizeof(v->err.msg), fmt, ap);
	va_end(ap);
}

/* No signature was checked: say why. */
static void explain_unchecked(const struct mcuboot_image *img, const struct mcuboot_key *key,
			      const struct sig_walk *w, struct mcuboot_verdict *v)
{
	char label[SMP_MCUBOOT_TLV_LABEL_MAX];

	if (w->key_tlv_seen && !w->key_tlv_matched)
		note(v, MCUBOOT_ERR_KEY_MISMATCH, "the image's %s does not match the %s key",
		     mcuboot_tlv_label(img->key_tlv_type, label, sizeof(label)), key->desc);
	else if (w->skipped)
		note(v, MCUBOOT_ERR_SIG_WITHOUT_KEY_TLV,
		     "no KEYHASH/PUBKEY TLV before the %s signature names the %s key, so MCUboot "
		     "skips the signature (unless built with built-in or KMU keys)",
		     mcuboot_sig_name(img), key->desc);
	else
		note(v, MCUBOOT_ERR_KEY_MISMATCH, "the image is signed with %s, the key is %s",
		     mcuboot_tlv_label(w->other_type ? w->other_type : img->sig_type, label,
				       sizeof(label)),
		     key->desc);
	v->key = MCUBOOT_CHECK_FAILED;
}

static void check_signature(const struct mcuboot_image *img, const uint8_t *buf,
			    const struct mcuboot_key *key, const struct mcuboot_build *b,
			    struct mcuboot_verdict *v)
{
	struct sig_walk w;

	memset(&w, 0, sizeof(w));
	if (!img->sig_type) {
		v->key = v->signature = MCUBOOT_CHECK_ABSENT;
		note(v, MCUBOOT_ERR_NO_SIGNATURE, "the image is not signed, but a key was given");
		return;
	}
	walk_signatures(img, buf, key, b, &w);
	v->key = !w.key_tlv_seen     ? MCUBOOT_CHECK_ABSENT
		 : w.key_tlv_matched ? MCUBOOT_CHECK_OK
				     : MCUBOOT_CHECK_FAILED;
	v->signature = !w.checked		   ? MCUBOOT_CHECK_FAILED
		       : w.last == SIG_OK	   ? MCUBOOT_CHECK_OK
		       : w.last == SIG_UNCHECKABLE ? MCUBOOT_CHECK_UNCHECKABLE
						   : MCUBOOT_CHECK_FAILED;
	if (!w.checked) {
		explain_unchecked(img, key, &w, v);
		return;
	}
	switch (w.last) {
	case SIG_OK:
	case SIG_UNCHECKABLE:
		return;
	case SIG_BAD:
		note(v, MCUBOOT_ERR_BAD_SIGNATURE,
		     "%s signature does not verify with the %s key%s%s%s", mcuboot_sig_name(img),
		     key->desc, w.why[0] ? ": " : "", w.why,
		     w.earlier_ok ? " (an earlier one does, but MCUboot goes by the last)" : "");
		return;
	case SIG_UNSUPPORTED:
		note(v, MCUBOOT_ERR_UNSUPPORTED_SIG, "%s", w.why);
		return;
	case SIG_WRONG_KEY_TYPE:
	case SIG_ERROR:
		break;
	}
	note(v, MCUBOOT_ERR_CRYPTO, "OpenSSL failed to check the signature");
}

/* The hash the build computes: its EXPECTED_HASH_TLV, taken into w (a
 * copy of img) so the signature is checked over it. bootutil_img_validate()
 * checks only TLVs of that type (the switch has no case for the others:
 * an extra hash TLV of another type is ignored) and fails when none was
 * seen ("if (!image_hash_valid) goto out"), except in a pure build, which
 * checks no hash TLV. */
static int select_hash(struct mcuboot_image *w, const uint8_t *buf, const struct mcuboot_build *b,
		       struct mcuboot_err *err)
{
	struct mcuboot_tlv t;
	char have[SMP_MCUBOOT_TLV_LABEL_MAX], want[SMP_MCUBOOT_TLV_LABEL_MAX], lower[8];
	size_t n = mcuboot_hash_len(b->hash), i;

	if (b->hash == w->hash_type || b->o->any_build)
		return 0;
	if (n && mcuboot_tlv_find(w, buf, b->hash, &t) && t.len != n)
		return mcuboot_fail(err, MCUBOOT_ERR_HASH_LEN,
				    "MCUboot will refuse it: its %s TLV is %u bytes, expected %zu",
				    mcuboot_tlv_label(b->hash, have, sizeof(have)), t.len, n);
	if (!n || !mcuboot_tlv_find(w, buf, b->hash, &t)) {
		if (b->o->pure)
			return 0;
		mcuboot_tlv_label(w->hash_type, have, sizeof(have));
		mcuboot_tlv_label(b->hash, want, sizeof(want));
		for (i = 0; i + 1 < sizeof(lower) && have[i]; i++)
			lower[i] = (char)(have[i] >= 'A' && have[i] <= 'Z' ? have[i] + 32
									   : have[i]);
		lower[i] = '\0';
		return mcuboot_fail(err, MCUBOOT_ERR_NEEDS_BUILD,
				    "MCUboot will refuse it: its hash TLV is %s and the build "
				    "computes %s; it needs an MCUboot built with "
				    "CONFIG_BOOT_IMG_HASH_ALG_%s (--mcuboot hash=%s)",
				    have, want, have, lower);
	}
	w->hash_type = b->hash;
	w->hash_len = n;
	memcpy(w->hash_stored, buf + t.off, n);
	if (mcuboot_digest(b->hash, buf, (size_t)w->body_end + w->protect_tlv_size,
			   w->hash_computed) < 0)
		return mcuboot_fail(err, MCUBOOT_ERR_CRYPTO, "cannot compute the image hash");
	return 0;
}

/* Every TLV of the build's hash type must match ("case EXPECTED_HASH_TLV:
 * ... boot_fih_memequal(hash, buf, sizeof(hash))"). First mismatch, or 0. */
static uint32_t hash_mismatch(const struct mcuboot_image *w, const uint8_t *buf)
{
	struct mcuboot_tlv_iter it = { 0 };
	struct mcuboot_tlv t;

	while (mcuboot_tlv_next(w, buf, &it, &t))
		if (t.type == w->hash_type &&
		    (t.len != w->hash_len || memcmp(buf + t.off, w->hash_computed, w->hash_len)))
			return t.off;
	return 0;
}

/* Encrypted: the hash covers the plaintext, so it cannot be checked here.
 * But when the stored bytes hash to it, they are the plaintext (imgtool
 * --clear): MCUboot decrypts them (boot_copy_region() under MUST_DECRYPT)
 * and bootutil_img_hash() of the result fails. */
static void check_hash(const struct mcuboot_image *w, const uint8_t *buf, struct mcuboot_verdict *v)
{
	char label[SMP_MCUBOOT_TLV_LABEL_MAX];
	uint32_t bad = hash_mismatch(w, buf);

	if (w->encrypted) {
		v->hash = MCUBOOT_CHECK_UNCHECKABLE;
		if (!bad)
			note(v, MCUBOOT_ERR_PLAINTEXT_ENCRYPTED,
			     "MCUboot will refuse it: the header says encrypted, but the stored "
			     "bytes are the plaintext (they match the %s TLV; imgtool --clear), "
			     "and MCUboot decrypts them before hashing",
			     mcuboot_tlv_label(w->hash_type, label, sizeof(label)));
		return;
	}
	if (!bad) {
		v->hash = MCUBOOT_CHECK_OK;
		return;
	}
	v->hash = MCUBOOT_CHECK_FAILED;
	note(v, MCUBOOT_ERR_HASH_MISMATCH,
	     "image hash does not match its %s TLV at 0x%x: the image is corrupt",
	     mcuboot_tlv_label(w->hash_type, label, sizeof(label)), bad - 4);
}

/* image_validate.c checks one signature type, EXPECTED_SIG_TLV, from
 * CONFIG_BOOT_SIGNATURE_TYPE_*: signatures of another type hit no case,
 * and with none of its type valid_signature stays FIH_FAILURE. */
static int check_sig_type(const struct mcuboot_image *img, const uint8_t *buf,
			  const struct mcuboot_verify_opts *o, struct mcuboot_err *err)
{
	char label[SMP_MCUBOOT_TLV_LABEL_MAX];

	if (o->any_build || !o->sig || !img->sig_type || mcuboot_tlv_find(img, buf, o->sig, NULL))
		return 0;
	return mcuboot_fail(err, MCUBOOT_ERR_NEEDS_BUILD,
			    "MCUboot will refuse it: the build checks %s signatures and the "
			    "image has none; it needs an MCUboot built for %s "
			    "(CONFIG_BOOT_SIGNATURE_TYPE_*)",
			    mcuboot_tlv_label(o->sig, label, sizeof(label)), mcuboot_sig_name(img));
}

int mcuboot_verify_with(const struct mcuboot_image *img, const uint8_t *buf, size_t len,
			const struct mcuboot_key *key, const struct mcuboot_verify_opts *opts,
			struct mcuboot_verdict *v)
{
	static const struct mcuboot_verify_opts any = { .any_build = true };
	struct mcuboot_image w;
	struct mcuboot_build b;
	struct mcuboot_err e;

	memset(v, 0, sizeof(*v));
	v->status = MCUBOOT_INVALID;
	v->key = v->signature = !img->sig_type ? MCUBOOT_CHECK_ABSENT : MCUBOOT_CHECK_SKIPPED;
	if (len != img->size || !img->hash_len) {
		v->hash = MCUBOOT_CHECK_FAILED;
		return mcuboot_fail(&v->err, MCUBOOT_ERR_CRYPTO,
				    "the buffer is not the one that was parsed");
	}
	w = *img;
	mcuboot_build_resolve(img, buf, key, opts ? opts : &any, &b);
	/* Every check runs, for the report; the first refusal is the verdict. */
	mcuboot_check_rules(img, buf, &b, &v->err);
	if (check_sig_type(img, buf, b.o, &e) && v->err.kind == MCUBOOT_OK)
		v->err = e;
	if (select_hash(&w, buf, &b, &e) == 0) {
		check_hash(&w, buf, v);
	} else {
		v->hash = MCUBOOT_CHECK_FAILED;
		if (v->err.kind == MCUBOOT_OK)
			v->err = e;
	}
	if (key)
		check_signature(&w, buf, key, &b, v);
	if (v->err.kind != MCUBOOT_OK)
		return -1;
	if (key || !img->sig_type)
		v->status = img->encrypted ? MCUBOOT_VALID_ENCRYPTED : MCUBOOT_VALID;
	else
		v->status = img->encrypted ? MCUBOOT_ENCRYPTED_UNCHECKED : MCUBOOT_HASH_OK;
	/* Encrypted and unsigned: nothing could be checked without a key. */
	if (img->encrypted && !img->sig_type)
		v->status = MCUBOOT_ENCRYPTED_UNCHECKED;
	return 0;
}

int mcuboot_verify(const struct mcuboot_image *img, const uint8_t *buf, size_t len,
		   const struct mcuboot_key *key, struct mcuboot_verdict *v)
{
	return mcuboot_verify_with(img, buf, len, key, NULL, v);
}

static const struct {
	const char *name, *words;
} status_names[] = {
	[MCUBOOT_VALID] = { "valid", "valid" },
	[MCUBOOT_VALID_ENCRYPTED] = { "valid-encrypted",
				      "valid, encrypted (signature ok; the hash covers the plaintext)" },
	[MCUBOOT_HASH_OK] = { "hash-ok", "hash ok, signature not checked (no --key)" },
	[MCUBOOT_ENCRYPTED_UNCHECKED] = { "encrypted-unchecked",
					  "encrypted, signature not checked (no --key; the hash covers the plaintext)" },
};

const char *mcuboot_verdict_name(const struct mcuboot_verdict *v)
{
	if ((unsigned)v->status < sizeof(status_names) / sizeof(status_names[0]))
		return status_names[v->status].name;
	return mcuboot_err_verdict(v->err.kind);
}

const char *mcuboot_verdict_words(const struct mcuboot_verdict *v)
{
	if ((unsigned)v->status < sizeof(status_names) / sizeof(status_names[0]))
		return status_names[v->status].words;
	return mcuboot_err_desc(v->err.kind);
}

const char *mcuboot_check_name(enum mcuboot_check c)
{
	static const char *const names[] = {
		[MCUBOOT_CHECK_OK] = "ok",
		[MCUBOOT_CHECK_FAILED] = "failed",
		[MCUBOOT_CHECK_SKIPPED] = "skipped",
		[MCUBOOT_CHECK_ABSENT] = "absent",
		[MCUBOOT_CHECK_UNCHECKABLE] = "not-checkable",
	};

	return (unsigned)c < sizeof(names) / sizeof(names[0]) ? names[c] : "unknown";
}

int mcuboot_verify_hash_sig(const struct mcuboot_key *key, uint16_t sig_type, const uint8_t *hash,
			    size_t hash_len, const uint8_t *sig, size_t sig_len)
{
	struct mcuboot_image img;
	struct mcuboot_tlv tlv = { .type = sig_type, .len = (uint16_t)sig_len, .off = 0 };
	struct sig_check c = { .img = &img, .buf = sig, .key = key, .tlv = &tlv };

	if (!key || sig_len > UINT16_MAX || hash_len > sizeof(img.hash_stored))
		return -1;
	memset(&img, 0, sizeof(img));
	img.hash_type = mcuboot_hash_type_for_len(hash_len);
	img.hash_len = hash_len;
	memcpy(img.hash_stored, hash, hash_len);
	switch (verify_one(&c)) {
	case SIG_OK:
		return 0;
	case SIG_BAD:
		return 1;
	default:
		return -1;
	}
}
