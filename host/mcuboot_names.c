/* Names and descriptions: errors, TLV types, header flags, versions. */
#include "host/mcuboot.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "host/mcuboot_priv.h"

struct err_info {
	const char *name;
	const char *verdict;
	const char *desc;
};

static const struct err_info err_table[MCUBOOT_ERR_COUNT] = {
	[MCUBOOT_OK] = { "ok", "valid", "no error" },
	[MCUBOOT_ERR_EMPTY] = { "empty-file", "truncated", "the file is empty" },
	[MCUBOOT_ERR_TRUNCATED_HEADER] = { "truncated-header", "truncated",
					   "the file is shorter than the 32-byte image header" },
	[MCUBOOT_ERR_BAD_MAGIC] = { "bad-magic", "bad-magic",
				    "not an MCUboot image (bad header magic)" },
	[MCUBOOT_ERR_HDR_SIZE] = { "bad-header-size", "malformed",
				   "the header size is smaller than the 32-byte header" },
	[MCUBOOT_ERR_SIZE_OVERFLOW] = { "size-overflow", "malformed",
					"the header's sizes add up to more than 4 GiB" },
	[MCUBOOT_ERR_TRUNCATED_BODY] = { "truncated-body", "truncated",
					 "the file ends inside the image body" },
	[MCUBOOT_ERR_NO_TLV_AREA] = { "no-tlv-area", "truncated",
				      "the file ends where the TLV area should start" },
	[MCUBOOT_ERR_BAD_PROT_TLV_MAGIC] = { "bad-protected-tlv-magic", "malformed",
					     "the protected TLV area does not start with magic 0x6908" },
	[MCUBOOT_ERR_PROT_SIZE_MISMATCH] = { "protected-tlv-size-mismatch", "malformed",
					     "the protected TLV area's size disagrees with the header" },
	[MCUBOOT_ERR_BAD_TLV_MAGIC] = { "bad-tlv-magic", "malformed",
					"the TLV area does not start with magic 0x6907" },
	[MCUBOOT_ERR_TRUNCATED_TLV_AREA] = { "truncated-tlv-area", "truncated",
					     "the file ends inside the TLV area" },
	[MCUBOOT_ERR_TLV_PAST_END] = { "tlv-past-end", "malformed",
				       "a TLV runs past the end of its area" },
	[MCUBOOT_ERR_NO_HASH] = { "no-hash-tlv", "malformed",
				  "the image has no SHA256/SHA384/SHA512 hash TLV" },
	[MCUBOOT_ERR_HASH_LEN] = { "bad-hash-tlv-length", "malformed",
				   "the hash TLV has the wrong length" },
	[MCUBOOT_ERR_HASH_MISMATCH] = { "hash-mismatch", "bad-hash",
					"the image hash does not match its hash TLV (corrupt image)" },
	[MCUBOOT_ERR_TLV_NOT_ALLOWED] = { "unprotected-tlv-not-allowed", "tlv-not-allowed",
					  "MCUboot will refuse it: an unprotected TLV is not on its allow list" },
	[MCUBOOT_ERR_ENC_FLAGS] = { "bad-encryption-flags", "bad-encryption",
				    "MCUboot will refuse it: both AES-128 and AES-256 encryption flags are set" },
	[MCUBOOT_ERR_ENC_NO_KEY_TLV] = { "encrypted-without-key-tlv", "bad-encryption",
					 "MCUboot will refuse it: flagged encrypted, but no ENC_* TLV holds the key" },
	[MCUBOOT_ERR_ENC_TLV_LEN] = { "bad-enc-tlv-length", "bad-encryption",
				      "MCUboot will refuse it: the ENC_* TLV does not fit the flag's AES key size" },
	[MCUBOOT_ERR_KEY_TLV_LEN] = { "bad-keyhash-length", "malformed",
				      "MCUboot will refuse it: the KEYHASH TLV is longer than the image hash" },
	[MCUBOOT_ERR_DECOMP_TLVS] = { "bad-decompression-tlvs", "malformed",
				      "MCUboot will refuse it: a compressed image needs its DECOMP_* TLVs" },
	[MCUBOOT_ERR_SIG_WITHOUT_KEY_TLV] = { "signature-without-key-tlv", "bad-signature",
					      "no KEYHASH/PUBKEY TLV names the signature's key, so MCUboot skips it" },
	[MCUBOOT_ERR_NO_SIGNATURE] = { "no-signature", "unsigned", "the image is not signed" },
	[MCUBOOT_ERR_KEY_MISMATCH] = { "key-mismatch", "key-mismatch",
				       "the image was signed with a different key" },
	[MCUBOOT_ERR_BAD_SIGNATURE] = { "bad-signature", "bad-signature",
					"the signature does not verify" },
	[MCUBOOT_ERR_UNSUPPORTED_SIG] = { "unsupported-signature", "unsupported",
					  "the signature type is not supported" },
	[MCUBOOT_ERR_BAD_KEY] = { "bad-key", "bad-key", "not a usable PEM key" },
	[MCUBOOT_ERR_IO] = { "io-error", "unreadable", "cannot read the file" },
	[MCUBOOT_ERR_NOMEM] = { "no-memory", "unreadable", "out of memory" },
	[MCUBOOT_ERR_BAD_HEX] = { "bad-hex", "malformed", "malformed Intel HEX" },
	[MCUBOOT_ERR_CRYPTO] = { "crypto-error", "error", "the crypto library failed" },
	[MCUBOOT_ERR_BAD_BUNDLE] = { "bad-bundle", "malformed",
				     "not a usable nRF Connect SDK update bundle (zip or manifest.json)" },
	[MCUBOOT_ERR_NON_BOOTABLE] = { "non-bootable", "non-bootable",
				       "MCUboot will refuse it: the header flag NON_BOOTABLE is set" },
	[MCUBOOT_ERR_NEEDS_BUILD] = { "needs-mcuboot-build", "needs-mcuboot-build",
				      "MCUboot will refuse it: the image needs a feature its build lacks" },
	[MCUBOOT_ERR_PLAINTEXT_ENCRYPTED] = { "plaintext-flagged-encrypted", "bad-encryption",
					      "MCUboot will refuse it: flagged encrypted, but stored as plaintext" },
	[MCUBOOT_ERR_SIG_PADDING] = { "ecdsa-signature-padding", "needs-mcuboot-build",
				      "MCUboot will refuse it: bytes follow the DER ECDSA signature" },
	[MCUBOOT_ERR_SIG_UNCHECKED] = { "signature-not-checked", "signature-not-checked",
					"a checked signature is required (--require-signature)" },
};

static const struct err_info *err_info(enum mcuboot_err_kind kind)
{
	static const struct err_info unknown = { "unknown", "error", "unknown error" };

	return (unsigned)kind < MCUBOOT_ERR_COUNT ? &err_table[kind] : &unknown;
}

const char *mcuboot_err_name(enum mcuboot_err_kind kind)
{
	return err_info(kind)->name;
}

const char *mcuboot_err_verdict(enum mcuboot_err_kind kind)
{
	return err_info(kind)->verdict;
}

const char *mcuboot_err_desc(enum mcuboot_err_kind kind)
{
	return err_info(kind)->desc;
}

int mcuboot_fail(struct mcuboot_err *err, enum mcuboot_err_kind kind, const char *fmt, ...)
{
	va_list ap;

	err->kind = kind;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

struct name_entry {
	uint32_t value;
	const char *name;
};

static const struct name_entry tlv_names[] = {
	{ SMP_MCUBOOT_TLV_KEYHASH, "KEYHASH" },
	{ SMP_MCUBOOT_TLV_PUBKEY, "PUBKEY" },
	{ SMP_MCUBOOT_TLV_SHA256, "SHA256" },
	{ SMP_MCUBOOT_TLV_SHA384, "SHA384" },
	{ SMP_MCUBOOT_TLV_SHA512, "SHA512" },
	{ SMP_MCUBOOT_TLV_RSA2048_PSS, "RSA2048_PSS" },
	{ SMP_MCUBOOT_TLV_ECDSA224, "ECDSA224" },
	{ SMP_MCUBOOT_TLV_ECDSA_SIG, "ECDSA_SIG" },
	{ SMP_MCUBOOT_TLV_RSA3072_PSS, "RSA3072_PSS" },
	{ SMP_MCUBOOT_TLV_ED25519, "ED25519" },
	{ SMP_MCUBOOT_TLV_SIG_PURE, "SIG_PURE" },
	{ SMP_MCUBOOT_TLV_ENC_RSA2048, "ENC_RSA2048" },
	{ SMP_MCUBOOT_TLV_ENC_KW, "ENC_KW" },
	{ SMP_MCUBOOT_TLV_ENC_EC256, "ENC_EC256" },
	{ SMP_MCUBOOT_TLV_ENC_X25519, "ENC_X25519" },
	{ SMP_MCUBOOT_TLV_ENC_X25519_SHA512, "ENC_X25519_SHA512" },
	{ SMP_MCUBOOT_TLV_DEPENDENCY, "DEPENDENCY" },
	{ SMP_MCUBOOT_TLV_SEC_CNT, "SEC_CNT" },
	{ SMP_MCUBOOT_TLV_BOOT_RECORD, "BOOT_RECORD" },
	{ SMP_MCUBOOT_TLV_DECOMP_SIZE, "DECOMP_SIZE" },
	{ SMP_MCUBOOT_TLV_DECOMP_SHA, "DECOMP_SHA" },
	{ SMP_MCUBOOT_TLV_DECOMP_SIGNATURE, "DECOMP_SIGNATURE" },
	{ SMP_MCUBOOT_TLV_COMP_DEC_SIZE, "COMP_DEC_SIZE" },
	{ SMP_MCUBOOT_TLV_UUID_VID, "UUID_VID" },
	{ SMP_MCUBOOT_TLV_UUID_CID, "UUID_CID" },
};

static const struct name_entry flag_names[] = {
	{ SMP_MCUBOOT_F_PIC, "PIC" },
	{ SMP_MCUBOOT_F_ENCRYPTED_AES128, "ENCRYPTED_AES128" },
	{ SMP_MCUBOOT_F_ENCRYPTED_AES256, "ENCRYPTED_AES256" },
	{ SMP_MCUBOOT_F_NON_BOOTABLE, "NON_BOOTABLE" },
	{ SMP_MCUBOOT_F_RAM_LOAD, "RAM_LOAD" },
	{ SMP_MCUBOOT_F_ROM_FIXED, "ROM_FIXED" },
	{ SMP_MCUBOOT_F_COMPRESSED_LZMA1, "COMPRESSED_LZMA1" },
	{ SMP_MCUBOOT_F_COMPRESSED_LZMA2, "COMPRESSED_LZMA2" },
	{ SMP_MCUBOOT_F_COMPRESSED_ARM_THUMB, "COMPRESSED_ARM_THUMB" },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *mcuboot_tlv_name(uint16_t type)
{
	size_t i;

	for (i = 0; i < COUNT(tlv_names); i++)
		if (tlv_names[i].value == type)
			return tlv_names[i].name;
	return NULL;
}

const char *mcuboot_tlv_label(uint16_t type, char *buf, size_t cap)
{
	const char *name = mcuboot_tlv_name(type);

	if (name)
		snprintf(buf, cap, "%s", name);
	else
		snprintf(buf, cap, "0x%04x", type);
	return buf;
}

size_t mcuboot_flag_names(uint32_t flags, const char **names, size_t max, uint32_t *unknown)
{
	size_t i, n = 0;

	*unknown = flags;
	for (i = 0; i < COUNT(flag_names); i++) {
		if (!(flags & flag_names[i].value))
			continue;
		*unknown &= ~flag_names[i].value;
		if (n < max)
			names[n++] = flag_names[i].name;
	}
	return n;
}

void mcuboot_version_format(const struct mcuboot_version *v, char *buf, size_t cap)
{
	snprintf(buf, cap, "%u.%u.%u+%u", v->major, v->minor, v->revision, v->build);
}

const char *mcuboot_sig_name(const struct mcuboot_image *img)
{
	return img->sig_type ? mcuboot_tlv_name(img->sig_type) : NULL;
}

const char *mcuboot_encryption_name(const struct mcuboot_image *img)
{
	if (img->flags & SMP_MCUBOOT_F_ENCRYPTED_AES256)
		return "AES-256";
	if (img->flags & SMP_MCUBOOT_F_ENCRYPTED_AES128)
		return "AES-128";
	return NULL;
}

static bool printable(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return false;
	return n > 0;
}

void mcuboot_tlv_describe(const uint8_t *buf, const struct mcuboot_tlv *t, char *out, size_t cap)
{
	const uint8_t *v = buf + t->off;
	struct mcuboot_version dep;
	char ver[48];

	out[0] = '\0';
	switch (t->type) {
	case SMP_MCUBOOT_TLV_SEC_CNT:
		if (t->len == 4)
			snprintf(out, cap, "security counter %u", smp_get_le32(v));
		return;
	case SMP_MCUBOOT_TLV_DECOMP_SIZE:
	case SMP_MCUBOOT_TLV_COMP_DEC_SIZE:
		if (t->len == 4)
			snprintf(out, cap, "%u bytes", smp_get_le32(v));
		return;
	case SMP_MCUBOOT_TLV_DEPENDENCY:
		if (t->len != 12)
			return;
		dep.major = v[4];
		dep.minor = v[5];
		dep.revision = smp_get_le16(v + 6);
		dep.build = smp_get_le32(v + 8);
		mcuboot_version_format(&dep, ver, sizeof(ver));
		snprintf(out, cap, "image %u, version >= %s", v[0], ver);
		return;
	case SMP_MCUBOOT_TLV_SIG_PURE:
		snprintf(out, cap, "%s", t->len == 1 && v[0] == 1 ? "pure signature" : "ignored");
		return;
	case SMP_MCUBOOT_TLV_BOOT_RECORD:
		snprintf(out, cap, "CBOR measured-boot record");
		return;
	}
	if (!mcuboot_tlv_name(t->type) && printable(v, t->len))
		snprintf(out, cap, "\"%.*s\"", t->len > 64 ? 64 : (int)t->len, (const char *)v);
}
