#include "smp/image_check.h"

#include <stdarg.h>
#include <string.h>

#include "smp/bytes.h"
#include "smp/fmt.h"
#include "smp/mcuboot_format.h"

#define SIG_MAX 512 /* RSA-3072 is 384 bytes */

SMP_PRINTF(3, 4)
static int fail(struct smp_image_info *info, enum smp_image_err err, const char *fmt, ...)
{
	va_list ap;

	info->err = err;
	va_start(ap, fmt);
	smp_vfmt(info->why, sizeof(info->why), fmt, ap);
	va_end(ap);
	return -1;
}

static int rd(const struct smp_image_src *src, uint32_t off, uint8_t *buf, size_t len,
	      struct smp_image_info *info)
{
	/* -1 spelled out: the analyzer does not follow the variadic fail(),
	 * and would read buf as filled on this path. */
	if (off > src->size || len > src->size - off) {
		fail(info, SMP_IMG_BAD_HEADER, "image ends at %lu, needs %lu bytes at %lu",
		     (unsigned long)src->size, (unsigned long)len, (unsigned long)off);
		return -1;
	}
	if (src->read(src->ctx, off, buf, len))
		return fail(info, SMP_IMG_READ, "cannot read %lu bytes at %lu", (unsigned long)len,
			    (unsigned long)off);
	return 0;
}

static int read_header(const struct smp_image_src *src, struct smp_image_info *info)
{
	const struct smp_mcuboot_header *hdr = &info->hdr;
	uint8_t h[SMP_MCUBOOT_HEADER_SIZE];
	uint64_t body_end;

	if (rd(src, 0, h, sizeof(h), info))
		return -1;
	smp_mcuboot_header_decode(h, &info->hdr);
	if (hdr->magic != SMP_MCUBOOT_IMAGE_MAGIC)
		return fail(info, SMP_IMG_BAD_HEADER, "not an MCUboot image (magic 0x%08lx)",
			    (unsigned long)hdr->magic);
	info->encrypted = hdr->flags &
			  (SMP_MCUBOOT_F_ENCRYPTED_AES128 | SMP_MCUBOOT_F_ENCRYPTED_AES256);
	body_end = (uint64_t)hdr->hdr_size + hdr->img_size + hdr->protect_tlv_size;
	if (hdr->hdr_size < SMP_MCUBOOT_HEADER_SIZE)
		return fail(info, SMP_IMG_BAD_HEADER, "hdr_size %u is below 32", hdr->hdr_size);
	if (body_end + 4 > src->size)
		return fail(info, SMP_IMG_BAD_HEADER,
			    "header and body need %llu bytes and a TLV area, the image has %lu",
			    (unsigned long long)body_end, (unsigned long)src->size);
	return 0;
}

/* Walks one TLV area (info header at off), remembering the first hash and
 * the first signature TLV; returns the area's end in *end. */
static int walk_area(const struct smp_image_src *src, uint32_t off, bool prot,
		     struct smp_image_info *info, uint32_t tlv[2][2], uint32_t *end)
{
	uint16_t want = prot ? SMP_MCUBOOT_TLV_PROT_INFO_MAGIC : SMP_MCUBOOT_TLV_INFO_MAGIC;
	uint8_t h[4];
	uint32_t p, stop;

	if (rd(src, off, h, 4, info))
		return -1;
	if (smp_get_le16(h) != want || smp_get_le16(h + 2) < 4 ||
	    (prot && smp_get_le16(h + 2) != info->hdr.protect_tlv_size))
		return fail(info, SMP_IMG_BAD_TLV, "%s TLV area at %lu: magic 0x%04x size %u",
			    prot ? "protected" : "unprotected", (unsigned long)off, smp_get_le16(h),
			    smp_get_le16(h + 2));
	stop = off + smp_get_le16(h + 2);
	if (stop > src->size)
		return fail(info, SMP_IMG_BAD_TLV,
			    "%s TLV area ends at %lu, past the image's %lu bytes",
			    prot ? "protected" : "unprotected", (unsigned long)stop,
			    (unsigned long)src->size);
	for (p = off + 4; p < stop; p += 4u + smp_get_le16(h + 2)) {
		uint16_t type;

		if (stop - p < 4 || rd(src, p, h, 4, info))
			return info->err ? -1
					 : fail(info, SMP_IMG_BAD_TLV,
						"TLV at %lu runs past its area", (unsigned long)p);
		type = smp_get_le16(h);
		if (smp_get_le16(h + 2) > stop - p - 4)
			return fail(info, SMP_IMG_BAD_TLV, "TLV 0x%02x at %lu runs past its area",
				    type, (unsigned long)p);
		if (type >= SMP_MCUBOOT_TLV_SHA256 && type <= SMP_MCUBOOT_TLV_SHA512 &&
		    !tlv[0][0]) {
			tlv[0][0] = p + 4;
			tlv[0][1] = smp_get_le16(h + 2);
			info->hash_type = type;
		}
		if (!prot && !tlv[1][0] &&
		    (type == SMP_MCUBOOT_TLV_RSA2048_PSS || type == SMP_MCUBOOT_TLV_ECDSA_SIG ||
		     type == SMP_MCUBOOT_TLV_RSA3072_PSS || type == SMP_MCUBOOT_TLV_ED25519)) {
			tlv[1][0] = p + 4;
			tlv[1][1] = smp_get_le16(h + 2);
			info->sig_type = type;
		}
	}
	*end = stop;
	return 0;
}

static int check_hash(const struct smp_image_src *src, const struct smp_crypto *c, uint32_t where,
		      uint32_t len, struct smp_image_info *info)
{
	enum smp_hash_alg alg = (enum smp_hash_alg)(info->hash_type - SMP_MCUBOOT_TLV_SHA256);
	uint8_t mine[SMP_HASH_MAX];

	if (len != smp_hash_len(alg))
		return fail(info, SMP_IMG_BAD_TLV, "hash TLV is %lu bytes, expected %lu",
			    (unsigned long)len, (unsigned long)smp_hash_len(alg));
	info->hash_len = len;
	if (rd(src, where, info->hash, len, info))
		return -1;
	if (info->encrypted)
		return 0;
	if (smp_hash_src(c, alg, src, 0,
			 (uint32_t)info->hdr.hdr_size + info->hdr.img_size +
				 info->hdr.protect_tlv_size,
			 mine, sizeof(mine)) != (int)len)
		return fail(info, SMP_IMG_CRYPTO, "cannot compute the image hash");
	if (memcmp(mine, info->hash, len))
		return fail(info, SMP_IMG_HASH_MISMATCH, "image hash does not match its contents");
	return 0;
}

static int check_sig(const struct smp_image_src *src, const struct smp_crypto *c, uint32_t where,
		     uint32_t len, struct smp_image_info *info)
{
	uint8_t sig[SIG_MAX];
	int rc;

	if (!info->sig_type) {
		info->sig = SMP_SIG_ABSENT;
		return 0;
	}
	info->sig = SMP_SIG_NOT_CHECKED;
	if (!c->ops->verify_hash_sig || info->encrypted)
		return 0;
	if (len > sizeof(sig))
		return fail(info, SMP_IMG_BAD_TLV, "signature TLV of %lu bytes",
			    (unsigned long)len);
	if (rd(src, where, sig, len, info))
		return -1;
	rc = c->ops->verify_hash_sig(c->ctx, info->sig_type, info->hash, info->hash_len, sig, len);
	if (rc < 0)
		info->sig = SMP_SIG_UNCHECKABLE;
	else if (rc > 0)
		return fail(info, SMP_IMG_BAD_SIGNATURE, "signature (TLV 0x%02x) does not verify",
			    info->sig_type);
	else
		info->sig = SMP_SIG_GOOD;
	return 0;
}

int smp_image_check(const struct smp_image_src *src, const struct smp_crypto *c,
		    struct smp_image_info *info)
{
	/* [0]: hash TLV, [1]: signature TLV; value offset and length */
	uint32_t tlv[2][2] = { { 0, 0 }, { 0, 0 } };
	uint32_t off;

	memset(info, 0, sizeof(*info));
	if (read_header(src, info))
		return -1;
	off = (uint32_t)info->hdr.hdr_size + info->hdr.img_size;
	if (info->hdr.protect_tlv_size && walk_area(src, off, true, info, tlv, &off))
		return -1;
	if (walk_area(src, off, false, info, tlv, &info->image_end))
		return -1;
	if (!tlv[0][0])
		return fail(info, SMP_IMG_NO_HASH, "image has no hash TLV");
	if (check_hash(src, c, tlv[0][0], tlv[0][1], info) ||
	    check_sig(src, c, tlv[1][0], tlv[1][1], info))
		return -1;
	if (smp_hash_src(c, SMP_HASH_SHA256, src, 0, src->size, info->file_sha256,
			 sizeof(info->file_sha256)) != 32)
		return fail(info, SMP_IMG_CRYPTO, "cannot compute the file's SHA-256");
	return 0;
}
