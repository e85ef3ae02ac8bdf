/* What MCUboot refuses before it even gets to the hash and signature:
 * encryption flags that do not fit the image's ENC_* TLV, unprotected TLVs
 * off its allow list, a KEYHASH it has no room for, a compressed image
 * without its DECOMP_* TLVs. Each rule names the MCUboot code it follows:
 * mcu-tools/mcuboot boot/bootutil/src/ as of 2025 (image_validate.c
 * 01d9f184, tlv.c e52c08ed, bootutil_img_hash.c 2cec6d1f, loader.c,
 * encrypted.c) and the nRF Connect SDK's fork nrfconnect/sdk-mcuboot
 * (image_validate.c 018c8e3a), which has the same rules, its allow list
 * under #ifndef ALLOW_ROGUE_TLVS. */
#include "host/mcuboot.h"

#include <string.h>

#include "host/mcuboot_priv.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* image_validate.c, allowed_unprot_tlvs[] (under MCUBOOT_USE_TLV_ALLOW_LIST,
 * which boot/zephyr/Kconfig's MCUBOOT_USE_TLV_ALLOW_LIST turns on:
 * "default y"). bootutil_img_validate() fails on any unprotected TLV not
 * listed: "if (!found) { ... TLV %d not permitted ... goto out; }". The
 * list is compiled per build: current MCUboot keeps only the configured
 * key, hash and signature types, older releases list all of them. Offline
 * the build is unknown, so this is the union: every type some build lets
 * stand unprotected. Everything else must be in the protected area. */
static const uint16_t allowed_unprotected[] = {
	SMP_MCUBOOT_TLV_KEYHASH,     SMP_MCUBOOT_TLV_PUBKEY,
	SMP_MCUBOOT_TLV_SHA256,	     SMP_MCUBOOT_TLV_SHA384,
	SMP_MCUBOOT_TLV_SHA512,	     SMP_MCUBOOT_TLV_RSA2048_PSS,
	SMP_MCUBOOT_TLV_ECDSA224,    SMP_MCUBOOT_TLV_ECDSA_SIG,
	SMP_MCUBOOT_TLV_RSA3072_PSS, SMP_MCUBOOT_TLV_ED25519,
	SMP_MCUBOOT_TLV_SIG_PURE,    SMP_MCUBOOT_TLV_ENC_RSA2048,
	SMP_MCUBOOT_TLV_ENC_KW,	     SMP_MCUBOOT_TLV_ENC_EC256,
	SMP_MCUBOOT_TLV_ENC_X25519,  SMP_MCUBOOT_TLV_ENC_X25519_SHA512,
};

static bool allowed_unprotected_type(uint16_t type)
{
	size_t i;

	for (i = 0; i < COUNT(allowed_unprotected); i++)
		if (allowed_unprotected[i] == type)
			return true;
	return false;
}

static int check_allow_list(const struct mcuboot_image *img, const uint8_t *buf,
			    struct mcuboot_err *err)
{
	struct mcuboot_tlv_iter it = { 0 };
	struct mcuboot_tlv t;
	char label[SMP_MCUBOOT_TLV_LABEL_MAX];

	while (mcuboot_tlv_next(img, buf, &it, &t))
		if (!t.protected_area && !allowed_unprotected_type(t.type))
			return mcuboot_fail(
				err, MCUBOOT_ERR_TLV_NOT_ALLOWED,
				"MCUboot will refuse it: unprotected TLV %s at 0x%x is not "
				"on its allow list (CONFIG_MCUBOOT_USE_TLV_ALLOW_LIST=y, "
				"the default); put it in the protected area, or pass "
				"--no-tlv-allow-list if the device's MCUboot is built "
				"without the list",
				mcuboot_tlv_label(t.type, label, sizeof(label)), t.off - 4);
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
			    struct mcuboot_err *err)
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
			 struct mcuboot_err *err)
{
	struct mcuboot_tlv_iter it = { 0 };
	struct mcuboot_tlv t;

	if (!img->sig_type)
		return 0;
	while (mcuboot_tlv_next(img, buf, &it, &t))
		if (t.type == SMP_MCUBOOT_TLV_KEYHASH && t.len > img->hash_len)
			return mcuboot_fail(
				err, MCUBOOT_ERR_KEY_TLV_LEN,
				"MCUboot will refuse it: KEYHASH TLV at 0x%x is %u bytes, "
				"longer than the %zu-byte image hash",
				t.off - 4, t.len, img->hash_len);
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

int mcuboot_check_rules(const struct mcuboot_image *img, const uint8_t *buf,
			const struct mcuboot_verify_opts *opts, struct mcuboot_err *err)
{
	if (check_encryption(img, buf, err))
		return -1;
	if (!opts->no_tlv_allow_list && check_allow_list(img, buf, err))
		return -1;
	if (check_compression(img, buf, err))
		return -1;
	return check_keyhash(img, buf, err);
}
