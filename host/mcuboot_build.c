/* The device's MCUboot build as a "key=value,..." list (--mcuboot): each
 * key is one Kconfig choice of boot/zephyr/Kconfig that changes which
 * images MCUboot accepts. A key given without a value means "yes". */
#include "host/mcuboot.h"

#include <stdio.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct word {
	const char *name;
	unsigned value;
};

static const struct word hashes[] = {
	{ "auto", 0 }, /* CONFIG_BOOT_IMG_HASH_ALG_SHA256, SHA384 with P-384 */
	{ "sha256", SMP_MCUBOOT_TLV_SHA256 },
	{ "sha384", SMP_MCUBOOT_TLV_SHA384 },
	{ "sha512", SMP_MCUBOOT_TLV_SHA512 },
};

/* CONFIG_BOOT_SIGNATURE_TYPE_RSA (with _RSA_LEN), _ECDSA_P256/_P384, _ED25519. */
static const struct word sigs[] = {
	{ "auto", 0 },
	{ "rsa2048", SMP_MCUBOOT_TLV_RSA2048_PSS },
	{ "rsa3072", SMP_MCUBOOT_TLV_RSA3072_PSS },
	{ "ecdsa", SMP_MCUBOOT_TLV_ECDSA_SIG },
	{ "ed25519", SMP_MCUBOOT_TLV_ED25519 },
};

/* CONFIG_BOOT_ENCRYPT_IMAGE, CONFIG_BOOT_ENCRYPT_ALG_AES_256. */
static const struct word encs[] = {
	{ "none", MCUBOOT_BUILD_ENC_NONE },
	{ "aes128", MCUBOOT_BUILD_ENC_AES128 },
	{ "aes256", MCUBOOT_BUILD_ENC_AES256 },
};

/* CONFIG_BOOT_ENCRYPT_RSA, _KW, _EC256, _X25519 (with MCUBOOT_HMAC_SHA512). */
static const struct word enc_keys[] = {
	{ "any", 0 },
	{ "rsa", SMP_MCUBOOT_TLV_ENC_RSA2048 },
	{ "kw", SMP_MCUBOOT_TLV_ENC_KW },
	{ "ec256", SMP_MCUBOOT_TLV_ENC_EC256 },
	{ "x25519", SMP_MCUBOOT_TLV_ENC_X25519 },
	{ "x25519-sha512", SMP_MCUBOOT_TLV_ENC_X25519_SHA512 },
};

static const struct word bools[] = {
	{ "yes", 1 }, { "y", 1 }, { "true", 1 },  { "on", 1 },	{ "1", 1 },
	{ "no", 0 },  { "n", 0 }, { "false", 0 }, { "off", 0 }, { "0", 0 },
};

/* CONFIG_BOOT_ECDSA_TINYCRYPT ignores bytes after the DER signature. */
static const struct word ecdsas[] = {
	{ "mbedtls", 0 },
	{ "psa", 0 },
	{ "tinycrypt", 1 },
};

static int lookup(const struct word *w, size_t n, const char *v, unsigned *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(w[i].name, v)) {
			*out = w[i].value;
			return 0;
		}
	return -1;
}

static void set(struct mcuboot_verify_opts *o, const char *key, unsigned v)
{
	if (!strcmp(key, "hash"))
		o->hash = (uint16_t)v;
	else if (!strcmp(key, "sig"))
		o->sig = (uint16_t)v;
	else if (!strcmp(key, "pure"))
		o->pure = v;
	else if (!strcmp(key, "enc"))
		o->enc = (enum mcuboot_build_enc)v;
	else if (!strcmp(key, "enc-key"))
		o->enc_tlv = (uint16_t)v;
	else if (!strcmp(key, "decompression"))
		o->decompression = v;
	else if (!strcmp(key, "hw-key"))
		o->hw_key = v;
	else if (!strcmp(key, "tlv-allow-list"))
		o->no_tlv_allow_list = !v;
	else if (!strcmp(key, "ecdsa"))
		o->ecdsa_padding = v;
}

static const struct {
	const char *key;
	const struct word *words;
	size_t n;
} keys[] = {
	{ "hash", hashes, COUNT(hashes) },	  { "sig", sigs, COUNT(sigs) },
	{ "pure", bools, COUNT(bools) },	  { "enc", encs, COUNT(encs) },
	{ "enc-key", enc_keys, COUNT(enc_keys) }, { "decompression", bools, COUNT(bools) },
	{ "hw-key", bools, COUNT(bools) },	  { "tlv-allow-list", bools, COUNT(bools) },
	{ "ecdsa", ecdsas, COUNT(ecdsas) },
};

/* One "key=value" (or "key", or "default"/"any"). */
static int parse_one(char *item, struct mcuboot_verify_opts *o, char *why, size_t cap)
{
	char *eq = strchr(item, '=');
	const char *value = eq ? eq + 1 : NULL;
	unsigned v;
	size_t i;

	if (eq)
		*eq = '\0';
	if (!value && (!strcmp(item, "default") || !strcmp(item, "any"))) {
		memset(o, 0, sizeof(*o));
		o->any_build = item[0] == 'a';
		return 0;
	}
	for (i = 0; i < COUNT(keys); i++) {
		if (strcmp(keys[i].key, item))
			continue;
		if (!value && keys[i].words == bools)
			value = "yes";
		if (!value || lookup(keys[i].words, keys[i].n, value, &v)) {
			snprintf(why, cap, "bad value for %s: '%s'", item, value ? value : "");
			return -1;
		}
		set(o, item, v);
		return 0;
	}
	snprintf(why, cap,
		 "unknown key '%s' (hash, sig, pure, enc, enc-key, decompression, "
		 "hw-key, tlv-allow-list, ecdsa, default, any)",
		 item);
	return -1;
}

int mcuboot_build_parse(const char *list, struct mcuboot_verify_opts *o, char *why, size_t cap)
{
	char buf[256], *item, *save = NULL;

	if (!list || !*list || strlen(list) >= sizeof(buf)) {
		snprintf(why, cap, "expected key=value,... (at most 255 characters)");
		return -1;
	}
	memcpy(buf, list, strlen(list) + 1);
	for (item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save))
		if (parse_one(item, o, why, cap))
			return -1;
	return 0;
}
