/* The core's streaming image check (smp/image_check.h) through a read
 * callback that hands out at most a few hundred bytes at a time: it must
 * agree with the host's full parser on every shared test image, check
 * signatures through the crypto interface, and refuse broken images and
 * failing sources with their own error. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>

#include <openssl/bn.h>
#include <openssl/ecdsa.h>

#include "host/crypto_openssl.h"
#include "host/mcuboot.h"
#include "smp/image_check.h"

struct counted_src {
	const uint8_t *data;
	size_t len;
	size_t biggest_read;
	int fail_at; /* >= 0: the read at this offset fails */
};

static int counted_read(void *ctx, uint32_t off, uint8_t *buf, size_t len)
{
	struct counted_src *s = ctx;

	if ((int)off == s->fail_at || off > s->len || len > s->len - off)
		return -1;
	if (len > s->biggest_read)
		s->biggest_read = len;
	memcpy(buf, s->data + off, len);
	return 0;
}

static uint8_t *load(struct unit_ctx *t, const char *name, size_t *len)
{
	char path[512];
	struct mcuboot_file f;
	struct mcuboot_err err;
	uint8_t *data = NULL;

	snprintf(path, sizeof(path), "%s/images/%s", unit_testdata(), name);
	if (CHECK(mcuboot_load_file(path, &f, &err) == 0)) {
		data = f.data;
		*len = f.len;
		f.data = NULL;
	}
	mcuboot_file_free(&f);
	return data;
}

static struct mcuboot_key *key_of(struct unit_ctx *t, const char *name)
{
	char path[512];
	struct mcuboot_key *key = NULL;
	struct mcuboot_err err;

	snprintf(path, sizeof(path), "%s/images/keys/%s", unit_testdata(), name);
	CHECK(mcuboot_key_load_file(path, &key, &err) == 0);
	return key;
}

/* Runs the check over data through a counted source. */
static int check(const uint8_t *data, size_t len, const struct mcuboot_key *key, int fail_at,
		 struct smp_image_info *info, size_t *biggest)
{
	struct counted_src cs = { data, len, 0, fail_at };
	struct smp_image_src src = { counted_read, &cs, (uint32_t)len };
	struct crypto_openssl st;
	struct smp_crypto c;
	int rc;

	crypto_openssl_init(&c, &st, key);
	rc = smp_image_check(&src, &c, info);
	crypto_openssl_fini(&st);
	if (biggest)
		*biggest = cs.biggest_read;
	return rc;
}

TEST(image_check_agrees_with_host_parser)
{
	static const char *const names[] = {
		"app_1k_rsa2048.bin",
		"app_100k_rsa3072.bin",
		"app_256k_ecdsa-p256.bin",
		"app_1m_ed25519.bin",
		"app_100k_unsigned.bin",
		"app_100k_ed25519_sha512.bin",
		"app_100k_ecdsa-p256_protected.bin",
		"app_100k_ecdsa-p384.bin",
		"app_100k_ecdsa-p256_pad.bin",
		"app_100k_ed25519_enc-x25519.bin",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t len, biggest;
		uint8_t *data = load(t, names[i], &len);
		struct mcuboot_image img;
		struct mcuboot_err err;
		struct smp_image_info info;

		if (!data)
			continue;
		CHECK_INT(mcuboot_parse(data, len, &img, &err), 0);
		if (!CHECK_INT(check(data, len, NULL, -1, &info, &biggest), 0)) {
			fprintf(stderr, "  %s: %s\n", names[i], info.why);
			free(data);
			continue;
		}
		CHECK_INT(info.hash_len, img.hash_len);
		CHECK_MEM(info.hash, img.hash_stored, img.hash_len);
		CHECK_MEM(info.file_sha256, img.data_sha256, 32);
		CHECK_INT(info.image_end, img.image_end);
		CHECK_INT(info.sig_type, img.sig_type);
		CHECK_INT(info.encrypted, img.encrypted);
		CHECK_INT(info.sig, img.sig_type ? SMP_SIG_NOT_CHECKED : SMP_SIG_ABSENT);
		CHECK(biggest <= 512);
		free(data);
	}
}

TEST(image_check_signatures_through_crypto_ops)
{
	static const struct {
		const char *image, *key;
		int rc;
		enum smp_image_err err;
		enum smp_sig_check sig;
	} cases[] = {
		{ "app_256k_ecdsa-p256.bin", "ecdsa-p256.pub.pem", 0, SMP_IMG_OK, SMP_SIG_GOOD },
		{ "app_100k_ecdsa-p384.bin", "ecdsa-p384.pub.pem", 0, SMP_IMG_OK, SMP_SIG_GOOD },
		{ "app_1m_ed25519.bin", "ed25519.pub.pem", 0, SMP_IMG_OK, SMP_SIG_GOOD },
		{ "app_1k_rsa2048.bin", "rsa-2048.pub.pem", 0, SMP_IMG_OK, SMP_SIG_GOOD },
		{ "app_100k_rsa3072.bin", "rsa-3072.pub.pem", 0, SMP_IMG_OK, SMP_SIG_GOOD },
		{ "bad_sig_256k_ecdsa-p256.bin", "ecdsa-p256.pub.pem", -1, SMP_IMG_BAD_SIGNATURE,
		  SMP_SIG_NOT_CHECKED },
		{ "bad_sig_100k_rsa3072.bin", "rsa-3072.pub.pem", -1, SMP_IMG_BAD_SIGNATURE,
		  SMP_SIG_NOT_CHECKED },
		/* another key's type: the platform cannot check it, not "bad" */
		{ "app_1m_ed25519.bin", "ecdsa-p256.pub.pem", 0, SMP_IMG_OK, SMP_SIG_UNCHECKABLE },
		{ "app_1k_unsigned.bin", "ed25519.pub.pem", 0, SMP_IMG_OK, SMP_SIG_ABSENT },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len;
		uint8_t *data = load(t, cases[i].image, &len);
		struct mcuboot_key *key = key_of(t, cases[i].key);
		struct smp_image_info info;

		if (data && key) {
			CHECK_INT(check(data, len, key, -1, &info, NULL), cases[i].rc);
			CHECK_INT(info.err, cases[i].err);
			CHECK_INT(info.sig, cases[i].sig);
		}
		free(data);
		mcuboot_key_free(key);
	}
}

TEST(image_check_refuses_broken_images)
{
	static const struct {
		const char *image;
		enum smp_image_err err;
	} cases[] = {
		{ "bad_hash_body_256k_ecdsa-p256.bin", SMP_IMG_HASH_MISMATCH },
		{ "bad_hash_tlv_100k_unsigned.bin", SMP_IMG_HASH_MISMATCH },
		{ "bad_magic_1k_rsa2048.bin", SMP_IMG_BAD_HEADER },
		{ "not_an_image_4k.bin", SMP_IMG_BAD_HEADER },
		{ "truncated_half_256k_ecdsa-p256.bin", SMP_IMG_BAD_HEADER },
		{ "truncated_tlv_256k_ecdsa-p256.bin", SMP_IMG_BAD_TLV },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len;
		uint8_t *data = load(t, cases[i].image, &len);
		struct smp_image_info info;

		if (!data)
			continue;
		CHECK_INT(check(data, len, NULL, -1, &info, NULL), -1);
		CHECK_INT(info.err, cases[i].err);
		CHECK(info.why[0] != '\0');
		free(data);
	}
}

TEST(image_check_synthetic_faults)
{
	size_t len;
	uint8_t *data = load(t, "app_1k_unsigned.bin", &len);
	struct smp_image_info info;
	uint32_t hdr_size, img_size;

	if (!data)
		return;
	hdr_size = (uint32_t)(data[8] | data[9] << 8);
	img_size = (uint32_t)(data[12] | data[13] << 8 | data[14] << 16);
	/* a source that fails: the header, then the body while hashing */
	CHECK_INT(check(data, len, NULL, 0, &info, NULL), -1);
	CHECK_INT(info.err, SMP_IMG_READ);
	CHECK_INT(check(data, len, NULL, 256, &info, NULL), -1);
	CHECK_INT(info.err, SMP_IMG_CRYPTO);
	/* hdr_size below 32 */
	data[8] = 16, data[9] = 0;
	CHECK_INT(check(data, len, NULL, -1, &info, NULL), -1);
	CHECK_INT(info.err, SMP_IMG_BAD_HEADER);
	data[8] = (uint8_t)hdr_size, data[9] = (uint8_t)(hdr_size >> 8);
	/* the TLV area's magic, then its size running past the file */
	data[hdr_size + img_size] ^= 0xff;
	CHECK_INT(check(data, len, NULL, -1, &info, NULL), -1);
	CHECK_INT(info.err, SMP_IMG_BAD_TLV);
	data[hdr_size + img_size] ^= 0xff;
	data[hdr_size + img_size + 3] = 0xff;
	CHECK_INT(check(data, len, NULL, -1, &info, NULL), -1);
	CHECK_INT(info.err, SMP_IMG_BAD_TLV);
	/* a protected area the header announces but the file lacks */
	data[hdr_size + img_size + 3] = (uint8_t)((len - hdr_size - img_size) >> 8);
	data[10] = 8;
	CHECK_INT(check(data, len, NULL, -1, &info, NULL), -1);
	CHECK_INT(info.err, SMP_IMG_BAD_TLV);
	free(data);
}

TEST(ecdsa_der_to_raw_matches_openssl)
{
	size_t len;
	uint8_t *data = load(t, "app_256k_ecdsa-p256.bin", &len);
	struct mcuboot_image img;
	struct mcuboot_err err;
	struct mcuboot_tlv tlv;
	uint8_t raw[64], want[64], bad[80];
	const unsigned char *p;
	ECDSA_SIG *sig;
	size_t der_len;

	if (!data || !CHECK_INT(mcuboot_parse(data, len, &img, &err), 0) ||
	    !CHECK(mcuboot_tlv_find(&img, data, SMP_MCUBOOT_TLV_ECDSA_SIG, &tlv)))
		goto out;
	p = data + tlv.off;
	sig = d2i_ECDSA_SIG(NULL, &p, tlv.len);
	if (!CHECK(sig != NULL))
		goto out;
	der_len = (size_t)(p - (data + tlv.off)); /* imgtool may pad the TLV */
	BN_bn2binpad(ECDSA_SIG_get0_r(sig), want, 32);
	BN_bn2binpad(ECDSA_SIG_get0_s(sig), want + 32, 32);
	ECDSA_SIG_free(sig);
	CHECK_INT(smp_ecdsa_der_to_raw(data + tlv.off, der_len, raw, 32), 0);
	CHECK_MEM(raw, want, 64);

	/* malformed: cut short, wrong tag, trailing byte, a 33-byte INTEGER
	 * without its leading zero */
	CHECK_INT(smp_ecdsa_der_to_raw(data + tlv.off, der_len - 1, raw, 32), -1);
	memcpy(bad, data + tlv.off, der_len);
	bad[0] = 0x31;
	CHECK_INT(smp_ecdsa_der_to_raw(bad, der_len, raw, 32), -1);
	memcpy(bad, data + tlv.off, der_len);
	bad[der_len] = 0;
	bad[1]++;
	CHECK_INT(smp_ecdsa_der_to_raw(bad, der_len + 1, raw, 32), -1);
	{
		static const uint8_t long_int[] = {
			0x30, 0x26, 0x02, 0x21, 0x01, 1,  2,  3,  4,  5,    6,	  7,   8,  9,
			10,   11,   12,	  13,	14,   15, 16, 17, 18, 19,   20,	  21,  22, 23,
			24,   25,   26,	  27,	28,   29, 30, 31, 32, 0x02, 0x01, 0x05
		};

		CHECK_INT(smp_ecdsa_der_to_raw(long_int, sizeof(long_int), raw, 32), -1);
	}
out:
	free(data);
}
