/* MCUboot images as the simulated device sees them in its slots: header,
 * TLVs and hash, read the way Zephyr's img_mgmt_read_info and MCUboot's
 * validation read them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "smp/bytes.h"
#include "tests/sim/sim_priv.h"

enum {
	HDR_SIZE = 32,
	TLV_INFO_MAGIC = 0x6907,
	TLV_PROT_INFO_MAGIC = 0x6908,
	TLV_SHA256 = 0x10,
	TLV_SHA384 = 0x11,
	TLV_SHA512 = 0x12,
	/* IMG_MGMT_ERR_* used here */
	ERR_NO_IMAGE = 3,
	ERR_NO_TLVS = 4,
	ERR_INVALID_TLV = 5,
	ERR_TLV_MULTIPLE_HASHES_FOUND = 6,
	ERR_TLV_INVALID_SIZE = 7,
	ERR_HASH_NOT_FOUND = 8,
	ERR_FLASH_READ_FAILED = 11,
	ERR_INVALID_IMAGE_HEADER_MAGIC = 23,
};

struct hdr {
	uint32_t magic;
	uint16_t hdr_size;
	uint16_t prot_size;
	uint32_t img_size;
	uint32_t flags;
	struct sim_image_version ver;
};

static int read_hdr(const struct sim_flash *fl, int slot, struct hdr *h)
{
	uint8_t b[HDR_SIZE];

	if (sim_flash_read(fl, slot, 0, b, sizeof(b)) != 0)
		return ERR_FLASH_READ_FAILED;
	h->magic = smp_get_le32(b);
	h->hdr_size = smp_get_le16(b + 8);
	h->prot_size = smp_get_le16(b + 10);
	h->img_size = smp_get_le32(b + 12);
	h->flags = smp_get_le32(b + 16);
	h->ver.major = b[20];
	h->ver.minor = b[21];
	h->ver.revision = smp_get_le16(b + 22);
	h->ver.build = smp_get_le32(b + 24);
	if (h->magic == 0xffffffffu)
		return ERR_NO_IMAGE;
	return h->magic == SIM_IMAGE_MAGIC ? 0 : ERR_INVALID_IMAGE_HEADER_MAGIC;
}

/* img_mgmt_find_tlvs, including its reading of it_tlv_tot. */
static int find_tlvs(const struct sim_flash *fl, int slot, uint64_t *start, uint64_t *end,
		     uint16_t magic)
{
	uint8_t info[4];

	if (sim_flash_read(fl, slot, *start, info, sizeof(info)) != 0)
		return ERR_FLASH_READ_FAILED;
	if (smp_get_le16(info) != magic)
		return ERR_NO_TLVS;
	*start += sizeof(info);
	*end = *start + smp_get_le16(info + 2);
	return 0;
}

int sim_image_read_info(const struct sim_flash *fl, int slot, struct sim_image_info *info)
{
	uint64_t off, end;
	bool found = false;
	struct hdr h;
	int rc = read_hdr(fl, slot, &h);

	if (rc)
		return rc;
	info->ver = h.ver;
	info->flags = h.flags;
	off = (uint64_t)h.hdr_size + h.img_size;
	if (find_tlvs(fl, slot, &off, &end, TLV_PROT_INFO_MAGIC) == 0)
		off = end - 4;
	if (find_tlvs(fl, slot, &off, &end, TLV_INFO_MAGIC) != 0)
		return ERR_NO_TLVS;
	while (off + 4 <= end) {
		uint8_t tlv[4];
		uint16_t type, len;

		if (sim_flash_read(fl, slot, off, tlv, sizeof(tlv)) != 0)
			return ERR_FLASH_READ_FAILED;
		type = smp_get_le16(tlv);
		len = smp_get_le16(tlv + 2);
		if (type == 0xff && len == 0xffff)
			return ERR_INVALID_TLV;
		if (type != TLV_SHA256 || len != 32) {
			off += 4u + len;
			continue;
		}
		if (found)
			return ERR_TLV_MULTIPLE_HASHES_FOUND;
		found = true;
		off += 4;
		if (off + 32 > end)
			return ERR_TLV_INVALID_SIZE;
		if (sim_flash_read(fl, slot, off, info->hash, 32) != 0)
			return ERR_FLASH_READ_FAILED;
	}
	return found ? 0 : ERR_HASH_NOT_FOUND;
}

static const EVP_MD *hash_md(uint16_t type, uint16_t len)
{
	if (type == TLV_SHA256 && len == 32)
		return EVP_sha256();
	if (type == TLV_SHA384 && len == 48)
		return EVP_sha384();
	if (type == TLV_SHA512 && len == 64)
		return EVP_sha512();
	return NULL;
}

static bool digest_matches(const struct sim_flash *fl, int slot, uint64_t len, const EVP_MD *md,
			   const uint8_t *want)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint8_t buf[4096], got[EVP_MAX_MD_SIZE];
	unsigned got_len = 0;
	bool ok = ctx && EVP_DigestInit_ex(ctx, md, NULL) == 1;

	for (uint64_t off = 0; ok && off < len; off += sizeof(buf)) {
		size_t n = len - off < sizeof(buf) ? (size_t)(len - off) : sizeof(buf);

		ok = sim_flash_read(fl, slot, off, buf, n) == 0 &&
		     EVP_DigestUpdate(ctx, buf, n) == 1;
	}
	ok = ok && EVP_DigestFinal_ex(ctx, got, &got_len) == 1 &&
	     got_len == (unsigned)EVP_MD_get_size(md) && memcmp(got, want, got_len) == 0;
	EVP_MD_CTX_free(ctx);
	return ok;
}

bool sim_image_valid(const struct sim_flash *fl, int slot)
{
	uint64_t hashed, off, end;
	uint8_t info[4];
	struct hdr h;

	if (read_hdr(fl, slot, &h) != 0)
		return false;
	hashed = (uint64_t)h.hdr_size + h.img_size + h.prot_size;
	if (sim_flash_read(fl, slot, hashed, info, sizeof(info)) != 0 ||
	    smp_get_le16(info) != TLV_INFO_MAGIC)
		return false;
	off = hashed + 4;
	end = hashed + smp_get_le16(info + 2);
	while (off + 4 <= end) {
		uint8_t tlv[4], want[64];
		uint16_t type, len;
		const EVP_MD *md;

		if (sim_flash_read(fl, slot, off, tlv, sizeof(tlv)) != 0)
			return false;
		type = smp_get_le16(tlv);
		len = smp_get_le16(tlv + 2);
		md = hash_md(type, len);
		if (md) {
			if (h.flags & SIM_IMAGE_F_ENCRYPTED)
				return true; /* the hash covers the plaintext */
			return sim_flash_read(fl, slot, off + 4, want, len) == 0 &&
			       digest_matches(fl, slot, hashed, md, want);
		}
		off += 4u + len;
	}
	return false;
}

int sim_image_vercmp(const struct sim_image_version *a, const struct sim_image_version *b)
{
	/* As img_mgmt_vercmp: the build number is not compared. */
	if (a->major != b->major)
		return a->major < b->major ? -1 : 1;
	if (a->minor != b->minor)
		return a->minor < b->minor ? -1 : 1;
	if (a->revision != b->revision)
		return a->revision < b->revision ? -1 : 1;
	return 0;
}

void sim_image_ver_str(const struct sim_image_version *v, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%u.%u.%u", v->major, v->minor, v->revision);

	if (n >= 0 && (size_t)n < len && v->build != 0)
		snprintf(buf + n, len - (size_t)n, ".%u", (unsigned)v->build);
}

uint8_t *sim_image_build_default(size_t *len)
{
	enum {
		HDR = 0x200,
		BODY = 4096,
		TLVS = 4 + 4 + 32
	};
	uint8_t *img = calloc(1, HDR + BODY + TLVS), *t;
	unsigned md_len = 0;

	if (!img)
		return NULL;
	smp_put_le32(img, SIM_IMAGE_MAGIC);
	smp_put_le16(img + 8, HDR);
	smp_put_le32(img + 12, BODY);
	img[20] = 1; /* version 1.0.0 */
	for (size_t i = 0; i < BODY; i++)
		img[HDR + i] = (uint8_t)(i * 7 + 3);
	t = img + HDR + BODY;
	smp_put_le16(t, TLV_INFO_MAGIC);
	smp_put_le16(t + 2, TLVS);
	smp_put_le16(t + 4, TLV_SHA256);
	smp_put_le16(t + 6, 32);
	if (EVP_Digest(img, HDR + BODY, t + 8, &md_len, EVP_sha256(), NULL) != 1) {
		free(img);
		return NULL;
	}
	*len = HDR + BODY + TLVS;
	return img;
}
