/* An MCUboot image file: parse, describe every TLV, and verify without a
 * key and with the test key of the signature's kind (the public halves of
 * the keys the shared test images were signed with, so that a seed's
 * signature checks out and mutations land near a valid one). */
#include <stdlib.h>
#include <string.h>

#include "host/mcuboot.h"
#include "tests/fuzz/fuzz.h"

static const char ed25519_pem[] = "-----BEGIN PUBLIC KEY-----\n"
				  "MCowBQYDK2VwAyEAH+awUQfqxmKbkNtTD5dqXci9u7orio/oEgBW73dWnQs=\n"
				  "-----END PUBLIC KEY-----\n";
static const char p256_pem[] = "-----BEGIN PUBLIC KEY-----\n"
			       "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEiDCc41AA3ihjNqNEKAH14eyuV8Oy\n"
			       "kqvw3zU0VIUwSTvfDQCuMlGQxw+MFjgmYW0lFqliiWGCRFKYR380JSH/0g==\n"
			       "-----END PUBLIC KEY-----\n";
static const char rsa2048_pem[] =
	"-----BEGIN PUBLIC KEY-----\n"
	"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEApFE99o73vOB/XS6EqQmV\n"
	"dOV9p8wv1R4PeI4tuKsM6KEZqosSiFv+YUDgIXrPRtYnuaZnXGF+A0evfqQAmSCq\n"
	"7y1sKPwUaMDk4/vijxOFpP1y3xZUQdzpv/SogfL+8N4BHWHo2LVXaRzBNLTGEW3o\n"
	"uIkF+o7IU50MESX4GT3OLEtjlwe68OvtlakmU0P+D6C0/NpX3TC0jgsrMKtLnLs3\n"
	"B40zAgxYAcTAeTwdHa8KWG4eouXVZIGH58PMtzTReEgacDxivvU7XPZn01wOrU1X\n"
	"U2QIFtCw/IbfEARTv7H7Yqy9gIa7iRNdhFFZHj9z2FTh5UH9RrpIdxQRLMQ2LX/Z\n"
	"awIDAQAB\n"
	"-----END PUBLIC KEY-----\n";

struct keys {
	struct mcuboot_key *ed25519, *p256, *rsa2048;
};

static const struct keys *test_keys(void)
{
	static struct keys k;
	static bool loaded;
	struct mcuboot_err err;

	if (!loaded) {
		mcuboot_key_load_pem(ed25519_pem, strlen(ed25519_pem), &k.ed25519, &err);
		mcuboot_key_load_pem(p256_pem, strlen(p256_pem), &k.p256, &err);
		mcuboot_key_load_pem(rsa2048_pem, strlen(rsa2048_pem), &k.rsa2048, &err);
		loaded = true;
	}
	return &k;
}

static const struct mcuboot_key *key_for(const struct mcuboot_image *img)
{
	const struct keys *k = test_keys();

	switch (img->sig_type) {
	case SMP_MCUBOOT_TLV_ED25519:
	case SMP_MCUBOOT_TLV_SIG_PURE:
		return k->ed25519;
	case SMP_MCUBOOT_TLV_ECDSA_SIG:
		return k->p256;
	case SMP_MCUBOOT_TLV_RSA2048_PSS:
		return k->rsa2048;
	}
	return NULL;
}

static void describe(const struct mcuboot_image *img, const uint8_t *data)
{
	struct mcuboot_tlv_iter it = { 0 };
	struct mcuboot_tlv t;
	const char *names[16];
	char text[256], label[SMP_MCUBOOT_TLV_LABEL_MAX];
	uint32_t unknown;
	size_t n = 0;

	while (mcuboot_tlv_next(img, data, &it, &t)) {
		mcuboot_tlv_describe(data, &t, text, sizeof(text));
		mcuboot_tlv_label(t.type, label, sizeof(label));
		if (++n > img->ntlv)
			abort(); /* the walk ends where parsing counted */
	}
	mcuboot_tlv_find(img, data, SMP_MCUBOOT_TLV_SHA256, &t);
	mcuboot_flag_names(img->flags, names, 16, &unknown);
	mcuboot_version_format(&img->version, text, sizeof(text));
	mcuboot_sig_name(img);
	mcuboot_encryption_name(img);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mcuboot_image img;
	struct mcuboot_verdict v;
	struct mcuboot_err err;
	const struct mcuboot_key *key;

	struct mcuboot_verify_opts build = { 0 };
	char setting[300], why[160];
	size_t n = size < sizeof(setting) - 1 ? size : sizeof(setting) - 1;

	/* The same bytes as a --mcuboot setting. */
	memcpy(setting, data, n);
	setting[n] = '\0';
	mcuboot_build_parse(setting, &build, why, sizeof(why));
	if (mcuboot_parse(data, size, &img, &err) != 0) {
		mcuboot_err_name(err.kind);
		return 0;
	}
	describe(&img, data);
	static const struct mcuboot_verify_opts any_tlv = { .no_tlv_allow_list = true };
	static const struct mcuboot_verify_opts zephyr_default;
	static const struct mcuboot_verify_opts every_feature = {
		.hash = SMP_MCUBOOT_TLV_SHA384,
		.pure = true,
		.enc = MCUBOOT_BUILD_ENC_AES256,
		.enc_tlv = SMP_MCUBOOT_TLV_ENC_X25519_SHA512,
		.decompression = true,
		.hw_key = true,
		.sig = SMP_MCUBOOT_TLV_ECDSA_SIG,
	};

	mcuboot_verify(&img, data, size, NULL, &v);
	mcuboot_verdict_words(&v);
	mcuboot_verify_with(&img, data, size, NULL, &any_tlv, &v);
	mcuboot_verify_with(&img, data, size, NULL, &zephyr_default, &v);
	mcuboot_verify_with(&img, data, size, NULL, &every_feature, &v);
	key = key_for(&img);
	if (key) {
		mcuboot_verify(&img, data, size, key, &v);
		mcuboot_verdict_name(&v);
		mcuboot_verify_with(&img, data, size, key, &zephyr_default, &v);
		mcuboot_verify_with(&img, data, size, key, &every_feature, &v);
	}
	return 0;
}
