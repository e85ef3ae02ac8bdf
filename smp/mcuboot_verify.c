/* The verdict on a parsed image, as MCUboot's bootutil_img_validate()
 * reaches it, with OpenSSL 3:
 * - the hash TLV must equal the hash of header + body + protected TLVs
 *   (not checkable when encrypted: it covers the plaintext);
 * - TLVs are walked in order; a KEYHASH/PUBKEY TLV says whose signature
 *   follows, and signatures of other keys are skipped, as MCUboot does;
 * - signatures cover the stored hash (so they can be checked on encrypted
 *   images too), except SIG_PURE where Ed25519 signs header + body +
 *   protected TLVs directly;
 * - RSA is PSS, MGF1 with the image hash, salt as long as the hash (32 bytes
 *   with SHA-256); ECDSA a DER signature of the hash; Ed25519 signs the
 *   hash bytes. */
#include "smp/mcuboot.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "smp/mcuboot_priv.h"

/* Outcome of one signature TLV against the key. */
enum sig_result {
	SIG_OK,
	SIG_BAD,		/* the key fits, the signature does not verify */
	SIG_WRONG_KEY_TYPE,	/* e.g. an Ed25519 key for an ECDSA_SIG TLV */
	SIG_UNSUPPORTED,
	SIG_UNCHECKABLE,	/* pure signature over encrypted data */
	SIG_ERROR,		/* OpenSSL failed */
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
		res = EVP_PKEY_verify(ctx, der, (size_t)der_len, img->hash_stored,
				      img->hash_len) == 1 ? SIG_OK : SIG_BAD;
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
		res = EVP_DigestVerify(mctx, c->buf + c->tlv->off, 64, msg, msg_len) == 1
			      ? SIG_OK : SIG_BAD;
	EVP_MD_CTX_free(mctx);
	return res;
}

static enum sig_result verify_one(struct sig_check *c)
{
	enum sig_result res;

	c->why[0] = '\0';
	if (c->img->pure && c->tlv->type != MCUBOOT_TLV_ED25519) {
		why(c, "a pure (SIG_PURE) signature must be Ed25519");
		return SIG_UNSUPPORTED;
	}
	switch (c->tlv->type) {
	case MCUBOOT_TLV_RSA2048_PSS:
		res = verify_rsa(c, 2048);
		break;
	case MCUBOOT_TLV_RSA3072_PSS:
		res = verify_rsa(c, 3072);
		break;
	case MCUBOOT_TLV_ECDSA_SIG:
		res = verify_ecdsa(c);
		break;
	case MCUBOOT_TLV_ED25519:
		res = verify_ed25519(c);
		break;
	default:
		why(c, "ECDSA224 signatures are no longer supported by MCUboot");
		return SIG_UNSUPPORTED;
	}
	ERR_clear_error();
	return res;
}

/* Does a KEYHASH or PUBKEY TLV name this key? */
static bool key_tlv_matches(const struct mcuboot_tlv *t, const uint8_t *buf,
			    const struct mcuboot_key *key)
{
	const uint8_t *v = buf + t->off;
	uint8_t digest[MCUBOOT_HASH_MAX];
	uint16_t type;

	if (t->type == MCUBOOT_TLV_PUBKEY)
		return (t->len == key->der_len && !memcmp(v, key->der, t->len)) ||
		       (t->len == key->spki_len && !memcmp(v, key->spki, t->len));
	type = mcuboot_hash_type_for_len(t->len);
	return type && mcuboot_digest(type, key->der, (size_t)key->der_len, digest) == t->len &&
	       !memcmp(v, digest, t->len);
}

/* What the walk over the signatures found, best outcome first. */
struct sig_tally {
	bool ok, bad, wrong_type, unsupported, uncheckable, error;
	bool key_tlv_seen, key_tlv_matched;
	char bad_why[160], unsupported_why[160];
	uint16_t wrong_type_tlv;
};

static void tally(struct sig_tally *t, struct sig_check *c, enum sig_result res)
{
	switch (res) {
	case SIG_OK:
		t->ok = true;
		break;
	case SIG_BAD:
		if (!t->bad)
			snprintf(t->bad_why, sizeof(t->bad_why), "%s", c->why);
		t->bad = true;
		break;
	case SIG_WRONG_KEY_TYPE:
		t->wrong_type = true;
		t->wrong_type_tlv = c->tlv->type;
		break;
	case SIG_UNSUPPORTED:
		snprintf(t->unsupported_why, sizeof(t->unsupported_why), "%s", c->why);
		t->unsupported = true;
		break;
	case SIG_UNCHECKABLE:
		t->uncheckable = true;
		break;
	case SIG_ERROR:
		t->error = true;
		break;
	}
}

static void walk_signatures(const struct mcuboot_image *img, const uint8_t *buf,
			    const struct mcuboot_key *key, struct sig_tally *t)
{
	struct sig_check c = { img, buf, key, NULL, "" };
	bool named = false, named_match = false;
	size_t i;

	for (i = 0; i < img->ntlv; i++) {
		const struct mcuboot_tlv *tlv = &img->tlvs[i];

		if (tlv->type == MCUBOOT_TLV_KEYHASH || tlv->type == MCUBOOT_TLV_PUBKEY) {
			named = t->key_tlv_seen = true;
			named_match = key_tlv_matches(tlv, buf, key);
			t->key_tlv_matched |= named_match;
			continue;
		}
		if (!mcuboot_is_sig_tlv(tlv->type))
			continue;
		/* Signatures named for another key are skipped, not failed. */
		if (!named || named_match) {
			c.tlv = tlv;
			tally(t, &c, verify_one(&c));
		}
		named = named_match = false;
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

static void check_signature(const struct mcuboot_image *img, const uint8_t *buf,
			    const struct mcuboot_key *key, struct mcuboot_verdict *v)
{
	struct sig_tally t;
	char label[MCUBOOT_TLV_LABEL_MAX];

	memset(&t, 0, sizeof(t));
	if (img->sig_index < 0) {
		v->key = v->signature = MCUBOOT_CHECK_ABSENT;
		note(v, MCUBOOT_ERR_NO_SIGNATURE, "the image is not signed, but a key was given");
		return;
	}
	walk_signatures(img, buf, key, &t);
	v->key = !t.key_tlv_seen ? MCUBOOT_CHECK_ABSENT
		: t.key_tlv_matched ? MCUBOOT_CHECK_OK : MCUBOOT_CHECK_FAILED;
	v->signature = t.ok ? MCUBOOT_CHECK_OK : t.uncheckable ? MCUBOOT_CHECK_UNCHECKABLE
		: MCUBOOT_CHECK_FAILED;
	if (t.ok || t.uncheckable)
		return;
	if (t.bad)
		note(v, MCUBOOT_ERR_BAD_SIGNATURE, "%s signature does not verify with the %s key%s%s",
		     mcuboot_sig_name(img), key->desc, t.bad_why[0] ? ": " : "", t.bad_why);
	else if (t.error)
		note(v, MCUBOOT_ERR_CRYPTO, "OpenSSL failed to check the signature");
	else if (t.key_tlv_seen && !t.key_tlv_matched)
		note(v, MCUBOOT_ERR_KEY_MISMATCH, "the image's %s does not match the %s key",
		     mcuboot_tlv_label(img->tlvs[img->key_index].type, label, sizeof(label)),
		     key->desc);
	else if (t.wrong_type)
		note(v, MCUBOOT_ERR_KEY_MISMATCH, "the image is signed with %s, the key is %s",
		     mcuboot_tlv_label(t.wrong_type_tlv, label, sizeof(label)), key->desc);
	else
		note(v, MCUBOOT_ERR_UNSUPPORTED_SIG, "%s", t.unsupported_why);
	if (v->err.kind == MCUBOOT_ERR_KEY_MISMATCH)
		v->key = MCUBOOT_CHECK_FAILED;
}

int mcuboot_verify(const struct mcuboot_image *img, const uint8_t *buf, size_t len,
		   const struct mcuboot_key *key, struct mcuboot_verdict *v)
{
	char label[MCUBOOT_TLV_LABEL_MAX];

	memset(v, 0, sizeof(*v));
	v->status = MCUBOOT_INVALID;
	v->key = v->signature = img->sig_index < 0 ? MCUBOOT_CHECK_ABSENT : MCUBOOT_CHECK_SKIPPED;
	if (len != img->size || !img->hash_len) {
		v->hash = MCUBOOT_CHECK_FAILED;
		return mcuboot_fail(&v->err, MCUBOOT_ERR_CRYPTO,
				    "the buffer is not the one that was parsed");
	}
	if (img->encrypted) {
		v->hash = MCUBOOT_CHECK_UNCHECKABLE;
	} else if (img->hash_matches) {
		v->hash = MCUBOOT_CHECK_OK;
	} else {
		v->hash = MCUBOOT_CHECK_FAILED;
		note(v, MCUBOOT_ERR_HASH_MISMATCH,
		     "image hash does not match its %s TLV: the image is corrupt",
		     mcuboot_tlv_label(img->hash_type, label, sizeof(label)));
	}
	if (key)
		check_signature(img, buf, key, v);
	if (v->err.kind != MCUBOOT_OK)
		return -1;
	v->status = img->encrypted ? MCUBOOT_VALID_ENCRYPTED : MCUBOOT_VALID;
	return 0;
}

const char *mcuboot_verdict_name(const struct mcuboot_verdict *v)
{
	switch (v->status) {
	case MCUBOOT_VALID:
		return "valid";
	case MCUBOOT_VALID_ENCRYPTED:
		return "valid-encrypted";
	case MCUBOOT_INVALID:
		break;
	}
	return mcuboot_err_verdict(v->err.kind);
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
