/* What MCUboot refuses before it even gets to the hash and signature:
 * a NON_BOOTABLE image, header flags its build cannot take (compression,
 * encryption), encryption flags that do not fit the image's ENC_* TLV,
 * unprotected TLVs off its allow list, a KEYHASH it has no room for, a key
 * TLV of the kind the build does not read, SIG_PURE against the build,
 * ECDSA padding, a compressed image without its DECOMP_* TLVs. The build is
 * struct mcuboot_verify_opts; a refusal that another build would not make
 * names the Kconfig option to turn on. Each rule names the MCUboot code it
 * follows:
 * mcu-tools/mcuboot boot/bootutil/src/ as of 2025 (image_validate.c
 * 01d9f184, tlv.c e52c08ed, bootutil_img_hash.c 2cec6d1f, loader.c,
 * encrypted.c) and the nRF Connect SDK's fork nrfconnect/sdk-mcuboot
 * (image_validate.c 018c8e3a), which has the same rules, its allow list
 * under #ifndef ALLOW_ROGUE_TLVS. */
#include "host/mcuboot.h"

#include <stdio.h>
#include <string.h>

#include "host/mcuboot_priv.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* image_validate.c, allowed_unprot_tlvs[] (under MCUBOOT_USE_TLV_ALLOW_LIST,
 * which boot/zephyr/Kconfig's MCUBOOT_USE_TLV_ALLOW_LIST turns on:
 * "default y"). bootutil_img_validate() fails on any unprotected TLV not
 * listed: "if (!found) { ... TLV %d not permitted ... goto out; }". The
 * release Zephyr builds by default lists every key, hash and signature type
 * (a hash TLV the build does not compute is then allowed and ignored: its
 * switch has no case for it), SIG_PURE and ENC_RSA2048/KW/EC256/X25519.
 * ENC_X25519_SHA512 is listed only by a build with MCUBOOT_HMAC_SHA512, in
 * place of ENC_X25519 ("#if !defined(MCUBOOT_HMAC_SHA512) IMAGE_TLV_ENC_X25519
 * #else IMAGE_TLV_ENC_X25519_SHA512"). Everything else must be protected. */
static const uint16_t allowed_unprotected[] = {
	SMP_MCUBOOT_TLV_KEYHASH,  SMP_MCUBOOT_TLV_PUBKEY,    SMP_MCUBOOT_TLV_SHA256,
	SMP_MCUBOOT_TLV_SHA384,	  SMP_MCUBOOT_TLV_SHA512,    SMP_MCUBOOT_TLV_RSA2048_PSS,
	SMP_MCUBOOT_TLV_ECDSA224, SMP_MCUBOOT_TLV_ECDSA_SIG, SMP_MCUBOOT_TLV_RSA3072_PSS,
	SMP_MCUBOOT_TLV_ED25519,  SMP_MCUBOOT_TLV_SIG_PURE,  SMP_MCUBOOT_TLV_ENC_RSA2048,
	SMP_MCUBOOT_TLV_ENC_KW,	  SMP_MCUBOOT_TLV_ENC_EC256,
};

static bool allowed_unprotected_type(uint16_t type, const struct mcuboot_verify_opts *o)
{
	bool hmac_sha512 = o->enc_tlv == SMP_MCUBOOT_TLV_ENC_X25519_SHA512;
	size_t i;

	if (type == SMP_MCUBOOT_TLV_ENC_X25519)
		return o->any_build || !hmac_sha512;
	if (type == SMP_MCUBOOT_TLV_ENC_X25519_SHA512)
		return o->any_build || hmac_sha512;
	for (i = 0; i < COUNT(allowed_unprotected); i++)
		if (allowed_unprotected[i] == type)
			return true;
	return false;
}

static int check_allow_list(const struct mcuboot_image *img, const uint8_t *buf,
			    const struct mcuboot_verify_opts *o, struct mcuboot_err *err)
{
	struct mcuboot_tlv_iter it = { 0 };
	struct mcuboot_tlv t;
	char label[SMP_MCUBOOT_TLV_LABEL_MAX];

	if (o->no_tlv_allow_list)
		return 0;
	while (mcuboot_tlv_next(img, buf, &it, &t)) {
		if (t.protected_area || allowed_unprotected_type(t.type, o))
			continue;
		if (t.type == SMP_MCUBOOT_TLV_ENC_X25519_SHA512)
			return mcuboot_fail(
				err, MCUBOOT_ERR_TLV_NOT_ALLOWED,
				"MCUboot will refuse it: unprotected TLV ENC_X25519_SHA512 "
				"at 0x%x is on the allow list only of a build with "
				"MCUBOOT_HMAC_SHA512 (--mcuboot enc-key=x25519-sha512)",
				t.off - 4);
		return mcuboot_fail(err, MCUBOOT_ERR_TLV_NOT_ALLOWED,
				    "MCUboot will refuse it: unprotected TLV %s at 0x%x is not "
				    "on its allow list (CONFIG_MCUBOOT_USE_TLV_ALLOW_LIST=y, "
				    "the default); put it in the protected area, or pass "
				    "--no-tlv-allow-list if the device's MCUboot is built "
				    "without the list",
				    mcuboot_tlv_label(t.type, label, sizeof(label)), t.off - 4);
	}
	return 0;
}

/* Size of each ENC_* TLV for an AES key of key_size bytes: enc_key_public.h,
 * TLV_ENC_RSA_SZ 256, TLV_ENC_KW_SZ (BOOT_ENC_KEY_SIZE + 8),
 * TLV_ENC_EC256_SZ (65 + 32 + BOOT_ENC_KEY_SIZE), TLV_ENC_X25519_SZ (32 +
 * 32 + BOOT_ENC_KEY_SIZE); BOOT_ENC_KEY_SIZE is 32 with MCUBOOT_AES_256,
 * else 16. */
static const struct enc_tlv_size {
	uint16_t type;
	uint16_t fixed; /* bytes besides the wrapped key */
	bool key_sized; /* the wrapped key adds key_size bytes */
} enc_tlv_sizes[] = {
	{ SMP_MCUBOOT_TLV_ENC_RSA2048, 256, false },
	{ SMP_MCUBOOT_TLV_ENC_KW, 8, true },
	{ SMP_MCUBOOT_TLV_ENC_EC256, 65 + 32, true },
	{ SMP_MCUBOOT_TLV_ENC_X25519, 32 + 32, true },
	{ SMP_MCUBOOT_TLV_ENC_X25519_SHA512, 32 + 32, true },
};

/* loader.c, boot_is_header_valid(): "if ((hdr->ih_flags &
 * IMAGE_F_ENCRYPTED_AES128) && (hdr->ih_flags & IMAGE_F_ENCRYPTED_AES256))
 * return false;". encrypted.c, boot_enc_load(): the first TLV of the
 * build's BOOT_ENC_TLV type holds the key, "if (len != BOOT_ENC_TLV_SIZE)
 * return -1;"; with none it returns 1 and no key is set, so
 * bootutil_img_hash() fails: "MUST_DECRYPT(...) && !boot_enc_valid(...)
 * ... return -1". Which ENC type a device takes depends on its build, so
 * at least one must be there and the first of each type must fit. */
static int check_encryption(const struct mcuboot_image *img, const uint8_t *buf,
			    const struct mcuboot_verify_opts *o, struct mcuboot_err *err)
{
	bool aes128 = img->flags & SMP_MCUBOOT_F_ENCRYPTED_AES128;
	bool aes256 = img->flags & SMP_MCUBOOT_F_ENCRYPTED_AES256;
	unsigned key_size = aes256 ? 32 : 16;
	const char *flag = aes256 ? "ENCRYPTED_AES256" : "ENCRYPTED_AES128";
	struct mcuboot_tlv t;
	char label[SMP_MCUBOOT_TLV_LABEL_MAX];
	size_t i, found = 0;

	if (aes128 && aes256)
		return mcuboot_fail(err, MCUBOOT_ERR_ENC_FLAGS,
				    "MCUboot will refuse it: flags 0x%x set both ENCRYPTED_AES128 "
				    "and ENCRYPTED_AES256",
				    img->flags);
	if (!aes128 && !aes256)
		return 0;
	for (i = 0; i < COUNT(enc_tlv_sizes); i++) {
		const struct enc_tlv_size *e = &enc_tlv_sizes[i];
		unsigned want = e->fixed + (e->key_sized ? key_size : 0);

		if (!mcuboot_tlv_find(img, buf, e->type, &t))
			continue;
		found++;
		if (t.len != want)
			return mcuboot_fail(err, MCUBOOT_ERR_ENC_TLV_LEN,
					    "MCUboot will refuse it: %s TLV is %u bytes, but with "
					    "header flag %s (a %u-byte AES key) it must be %u",
					    mcuboot_tlv_label(t.type, label, sizeof(label)), t.len,
					    flag, key_size, want);
	}
	if (found && o->enc_tlv && !o->any_build && !mcuboot_tlv_find(img, buf, o->enc_tlv, &t))
		return mcuboot_fail(
			err, MCUBOOT_ERR_NEEDS_BUILD,
			"MCUboot will refuse it: the build unwraps the AES key from %s, "
			"the image has none; the image needs an MCUboot built for its "
			"own ENC_* key type",
			mcuboot_tlv_label(o->enc_tlv, label, sizeof(label)));
	if (!found)
		return mcuboot_fail(err, MCUBOOT_ERR_ENC_NO_KEY_TLV,
				    "MCUboot will refuse it: header flag %s says encrypted, but no "
				    "ENC_RSA2048/ENC_KW/ENC_EC256/ENC_X25519 TLV holds the key",
				    flag);
	return 0;
}

/* image_validate.c, bootutil_img_validate(), case EXPECTED_KEY_TLV: "if
 * (len > KEY_BUF_SIZE) { rc = -1; goto out; }" with KEY_BUF_SIZE the image
 * hash size. Only builds that check signatures look at it. */
static int check_keyhash(const struct mcuboot_image *img, const uint8_t *buf,
			 const struct mcuboot_build *b, struct mcuboot_err *err)
{
	struct mcuboot_tlv_iter it = { 0 };
	struct mcuboot_tlv t;
	size_t max = mcuboot_hash_len(b->hash);

	/* Without the build's hash TLV the image fails on that first
	 * (mcuboot_verify_with() says which option it needs). */
	if (!img->sig_type || b->key_tlv == SMP_MCUBOOT_TLV_PUBKEY ||
	    (!b->o->any_build && !mcuboot_tlv_find(img, buf, b->hash, NULL)))
		return 0;
	while (mcuboot_tlv_next(img, buf, &it, &t))
		if (t.type == SMP_MCUBOOT_TLV_KEYHASH && t.len > max)
			return mcuboot_fail(
				err, MCUBOOT_ERR_KEY_TLV_LEN,
				"MCUboot will refuse it: KEYHASH TLV at 0x%x is %u bytes, "
				"longer than the %zu-byte image hash",
				t.off - 4, t.len, max);
	return 0;
}

/* sdk-mcuboot image_validate.c, bootutil_img_validate() under
 * MCUBOOT_DECOMPRESS_IMAGES: a compressed image's protected area must hold
 * "IMAGE_TLV_DECOMP_SIZE: expected_size = sizeof(size_t)" (4 on the 32-bit
 * MCUs MCUboot runs on), "IMAGE_TLV_DECOMP_SHA: expected_size =
 * IMAGE_HASH_SIZE" and IMAGE_TLV_DECOMP_SIGNATURE, else "rc =
 * (!found_decompressed_size || !found_decompressed_sha ||
 * !found_decompressed_signature)"; a build without decompression refuses
 * any compressed image (loader.c boot_is_header_valid(): "if
 * (IS_COMPRESSED(hdr)) return false;"). */
static int check_compression(const struct mcuboot_image *img, const uint8_t *buf,
			     struct mcuboot_err *err)
{
	static const uint16_t needed[] = { SMP_MCUBOOT_TLV_DECOMP_SIZE, SMP_MCUBOOT_TLV_DECOMP_SHA,
					   SMP_MCUBOOT_TLV_DECOMP_SIGNATURE };
	struct mcuboot_tlv t;
	char label[SMP_MCUBOOT_TLV_LABEL_MAX];
	size_t i;

	if (!img->compressed)
		return 0;
	for (i = 0; i < COUNT(needed); i++) {
		size_t want = needed[i] == SMP_MCUBOOT_TLV_DECOMP_SIZE	? 4
			      : needed[i] == SMP_MCUBOOT_TLV_DECOMP_SHA ? img->hash_len
									: 0;

		mcuboot_tlv_label(needed[i], label, sizeof(label));
		if (!mcuboot_tlv_find(img, buf, needed[i], &t) || !t.protected_area)
			return mcuboot_fail(
				err, MCUBOOT_ERR_DECOMP_TLVS,
				"MCUboot will refuse it: the image is compressed but has "
				"no protected %s TLV",
				label);
		if (want && t.len != want)
			return mcuboot_fail(
				err, MCUBOOT_ERR_DECOMP_TLVS,
				"MCUboot will refuse it: %s TLV is %u bytes, expected %zu", label,
				t.len, want);
	}
	return 0;
}

static int needs(struct mcuboot_err *err, const char *option, const char *fmt, const char *what)
{
	char why[160];

	snprintf(why, sizeof(why), fmt, what);
	return mcuboot_fail(err, MCUBOOT_ERR_NEEDS_BUILD,
			    "MCUboot will refuse it: %s; it needs an MCUboot built with %s", why,
			    option);
}

/* loader.c, boot_validate_slot(): "if (boot_check_header_erased(state,
 * slot) == 0 || (hdr->ih_flags & IMAGE_F_NON_BOOTABLE)) { ... fih_rc =
 * FIH_NO_BOOTABLE_IMAGE; goto out; }": no build boots it. */
static int check_bootable(const struct mcuboot_image *img, struct mcuboot_err *err)
{
	if (!(img->flags & SMP_MCUBOOT_F_NON_BOOTABLE))
		return 0;
	return mcuboot_fail(err, MCUBOOT_ERR_NON_BOOTABLE,
			    "MCUboot will refuse it: header flag NON_BOOTABLE is set "
			    "(imgtool --non-bootable); boot_validate_slot() treats the slot as "
			    "holding no bootable image");
}

/* loader.c, boot_is_header_valid(), called by boot_validate_slot() before
 * any hash: a build without MCUBOOT_DECOMPRESS_IMAGES returns false for
 * IS_COMPRESSED(hdr); one without MCUBOOT_ENC_IMAGES cannot decrypt
 * (MUST_DECRYPT() is 0, so bootutil_img_hash() hashes the ciphertext and
 * the hash fails); encrypted.c boot_enc_load() takes only the build's
 * AES key size (BOOT_ENC_KEY_SIZE, 32 with MCUBOOT_AES_256). */
/* The Kconfig option for the image's ENC_* key type, "" if it has none. */
static const char *enc_option(const struct mcuboot_image *img, const uint8_t *buf)
{
	static const struct {
		uint16_t type;
		const char *option;
	} options[] = {
		{ SMP_MCUBOOT_TLV_ENC_RSA2048, "CONFIG_BOOT_ENCRYPT_RSA" },
		{ SMP_MCUBOOT_TLV_ENC_KW, "CONFIG_BOOT_ENCRYPT_KW" },
		{ SMP_MCUBOOT_TLV_ENC_EC256, "CONFIG_BOOT_ENCRYPT_EC256" },
		{ SMP_MCUBOOT_TLV_ENC_X25519, "CONFIG_BOOT_ENCRYPT_X25519" },
		{ SMP_MCUBOOT_TLV_ENC_X25519_SHA512, "CONFIG_BOOT_ENCRYPT_X25519" },
	};
	size_t i;

	for (i = 0; i < COUNT(options); i++)
		if (mcuboot_tlv_find(img, buf, options[i].type, NULL))
			return options[i].option;
	return "";
}

static int check_build_header(const struct mcuboot_image *img, const uint8_t *buf,
			      const struct mcuboot_verify_opts *o, struct mcuboot_err *err)
{
	bool aes256 = img->flags & SMP_MCUBOOT_F_ENCRYPTED_AES256;
	char option[160];

	if (o->any_build)
		return 0;
	if (img->compressed && !o->decompression)
		return needs(err, "CONFIG_BOOT_DECOMPRESSION (--mcuboot decompression)",
			     "the image is compressed (%s)", "LZMA2");
	if (!img->encrypted)
		return 0;
	if (o->enc == MCUBOOT_BUILD_ENC_NONE) {
		snprintf(option, sizeof(option),
			 "CONFIG_BOOT_ENCRYPT_IMAGE%s%s%s (--mcuboot enc=%s)",
			 enc_option(img, buf) ? ", " : "", enc_option(img, buf),
			 aes256 ? " and CONFIG_BOOT_ENCRYPT_ALG_AES_256" : "",
			 aes256 ? "aes256" : "aes128");
		return needs(err, option, "the image is encrypted (%s)",
			     aes256 ? "AES-256" : "AES-128");
	}
	if (aes256 && o->enc != MCUBOOT_BUILD_ENC_AES256)
		return needs(err, "CONFIG_BOOT_ENCRYPT_ALG_AES_256 (--mcuboot enc=aes256)",
			     "the image is encrypted with %s", "AES-256");
	if (!aes256 && o->enc == MCUBOOT_BUILD_ENC_AES256)
		return needs(err, "CONFIG_BOOT_ENCRYPT_ALG_AES_128 (--mcuboot enc=aes128)",
			     "the image is encrypted with %s", "AES-128");
	return 0;
}

/* image_validate.c: a build with MCUBOOT_SIGN_PURE runs
 * bootutil_check_for_pure() first ("If Pure type signature is expected
 * then it has to be there": a SIG_PURE TLV of length 1 holding 1), and
 * checks no hash TLV; one without it checks the hash and signs it, and
 * imgtool --pure images carry SHA512, which a SHA256 build finds no case
 * for ("if (!image_hash_valid) goto out"). */
static int check_pure(const struct mcuboot_image *img, const uint8_t *buf,
		      const struct mcuboot_build *b, struct mcuboot_err *err)
{
	const struct mcuboot_verify_opts *o = b->o;
	struct mcuboot_tlv t;

	if (o->any_build || !img->sig_type)
		return 0;
	/* A SIG_PURE TLV beside the build's hash TLV is allowed and ignored. */
	if (img->pure && !o->pure && !mcuboot_tlv_find(img, buf, b->hash, NULL))
		return needs(err, "CONFIG_BOOT_SIGNATURE_TYPE_PURE (--mcuboot pure)",
			     "the image has a %s signature (SIG_PURE TLV)", "pure");
	if (!o->pure)
		return 0;
	if (!mcuboot_tlv_find(img, buf, SMP_MCUBOOT_TLV_SIG_PURE, &t) || t.len != 1 ||
	    buf[t.off] != 1)
		return mcuboot_fail(
			err, MCUBOOT_ERR_NEEDS_BUILD,
			"MCUboot will refuse it: the build expects a pure signature "
			"(CONFIG_BOOT_SIGNATURE_TYPE_PURE) and the image has no SIG_PURE "
			"TLV holding 1 (bootutil_check_for_pure())");
	return 0;
}

/* image_validate.c: EXPECTED_KEY_TLV is IMAGE_TLV_KEYHASH, or
 * IMAGE_TLV_PUBKEY with MCUBOOT_HW_KEY; the other kind hits no case of the
 * loop, so no key_id is set and every signature is skipped ("if (key_id <
 * 0 || key_id >= bootutil_key_cnt) { key_id = -1; continue; }"), leaving
 * valid_signature FIH_FAILURE: no key at all could make it pass. */
static int check_key_tlv_kind(const struct mcuboot_image *img, const uint8_t *buf,
			      const struct mcuboot_build *b, struct mcuboot_err *err)
{
	bool hw = b->key_tlv == SMP_MCUBOOT_TLV_PUBKEY;

	if (!img->sig_type || !b->key_tlv || mcuboot_tlv_find(img, buf, b->key_tlv, NULL))
		return 0;
	if (hw)
		return mcuboot_fail(err, MCUBOOT_ERR_NEEDS_BUILD,
				    "MCUboot will refuse it: the build (CONFIG_BOOT_HW_KEY) reads "
				    "the key from a PUBKEY TLV and the image has none, so no "
				    "signature is checked");
	if (mcuboot_tlv_find(img, buf, SMP_MCUBOOT_TLV_PUBKEY, NULL))
		return needs(err, "CONFIG_BOOT_HW_KEY (--mcuboot hw-key)",
			     "the image carries the full public key (%s TLV, imgtool "
			     "--public-key-format full), not its hash",
			     "PUBKEY");
	return 0;
}

/* Length of the DER SEQUENCE at the start of v, or 0 if it is not one. */
static size_t der_sequence_len(const uint8_t *v, size_t len)
{
	if (len < 2 || v[0] != 0x30)
		return 0;
	if (v[1] < 0x80)
		return 2u + v[1];
	if (v[1] == 0x81 && len >= 3)
		return 3u + v[2];
	return 0;
}

/* An imgtool --pad-sig ECDSA_SIG TLV holds the DER signature and zero
 * bytes after it. image_validate.c takes any length (EXPECTED_SIG_LEN(x)
 * is 1 for ECDSA); then the backend decides: bootutil's mbedTLS/PSA path
 * (mbedtls_ecdsa_read_signature()) fails on bytes after the SEQUENCE
 * ("p + len != end"), the TinyCrypt path (CONFIG_BOOT_ECDSA_TINYCRYPT,
 * bootutil_decode_sig()) reads the SEQUENCE and ignores the rest. */
static int check_ecdsa_padding(const struct mcuboot_image *img, const uint8_t *buf,
			       const struct mcuboot_verify_opts *o, struct mcuboot_err *err)
{
	struct mcuboot_tlv_iter it = { 0 };
	struct mcuboot_tlv t;
	size_t der;

	if (o->any_build || o->ecdsa_padding)
		return 0;
	while (mcuboot_tlv_next(img, buf, &it, &t)) {
		if (t.type != SMP_MCUBOOT_TLV_ECDSA_SIG)
			continue;
		der = der_sequence_len(buf + t.off, t.len);
		if (der && der < t.len)
			return mcuboot_fail(
				err, MCUBOOT_ERR_SIG_PADDING,
				"MCUboot will refuse it: the ECDSA_SIG TLV at 0x%x holds "
				"%zu bytes after its %zu-byte DER signature (imgtool "
				"--pad-sig); only an MCUboot built with "
				"CONFIG_BOOT_ECDSA_TINYCRYPT (--mcuboot ecdsa=tinycrypt) "
				"ignores them",
				t.off - 4, t.len - der, der);
	}
	return 0;
}

/* Kconfig defaults (boot/zephyr/Kconfig): BOOT_IMG_HASH_ALG is SHA256
 * unless the signature type needs another (SHA384 for
 * BOOT_SIGNATURE_TYPE_ECDSA_P384, SHA512 for BOOT_SIGNATURE_TYPE_PURE);
 * the signature type is the one of the key the device holds. */
static uint16_t default_hash(const struct mcuboot_image *img, const uint8_t *buf,
			     const struct mcuboot_key *key, const struct mcuboot_verify_opts *o)
{
	if (o->pure)
		return SMP_MCUBOOT_TLV_SHA512;
	if (key)
		return key->kind == MCUBOOT_KEY_EC && key->bits == 384 ? SMP_MCUBOOT_TLV_SHA384
								       : SMP_MCUBOOT_TLV_SHA256;
	if (img->sig_type == SMP_MCUBOOT_TLV_ECDSA_SIG &&
	    !mcuboot_tlv_find(img, buf, SMP_MCUBOOT_TLV_SHA256, NULL) &&
	    mcuboot_tlv_find(img, buf, SMP_MCUBOOT_TLV_SHA384, NULL))
		return SMP_MCUBOOT_TLV_SHA384;
	return SMP_MCUBOOT_TLV_SHA256;
}

void mcuboot_build_resolve(const struct mcuboot_image *img, const uint8_t *buf,
			   const struct mcuboot_key *key, const struct mcuboot_verify_opts *o,
			   struct mcuboot_build *b)
{
	b->o = o;
	if (o->any_build) {
		b->hash = img->hash_type;
		b->key_tlv = 0;
		return;
	}
	b->hash = o->hash ? o->hash : default_hash(img, buf, key, o);
	b->key_tlv = o->hw_key ? SMP_MCUBOOT_TLV_PUBKEY : SMP_MCUBOOT_TLV_KEYHASH;
}

/* In the order MCUboot meets them: boot_validate_slot(), then
 * boot_is_header_valid(), then bootutil_img_validate()'s TLV walk. */
int mcuboot_check_rules(const struct mcuboot_image *img, const uint8_t *buf,
			const struct mcuboot_build *b, struct mcuboot_err *err)
{
	const struct mcuboot_verify_opts *o = b->o;

	if (check_bootable(img, err) || check_build_header(img, buf, o, err))
		return -1;
	if (check_encryption(img, buf, o, err) || check_pure(img, buf, b, err))
		return -1;
	if (check_allow_list(img, buf, o, err))
		return -1;
	if (check_compression(img, buf, err))
		return -1;
	if (check_key_tlv_kind(img, buf, b, err) || check_ecdsa_padding(img, buf, o, err))
		return -1;
	return check_keyhash(img, buf, b, err);
}
