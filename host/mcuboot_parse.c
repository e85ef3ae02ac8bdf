/* MCUboot image layout: header, protected and unprotected TLV areas, boot
 * trailer; the checks bootutil_tlv_iter_begin/next make, with an error of
 * its own for each way they fail. */
#include "host/mcuboot.h"

#include <stdio.h>
#include <string.h>

#include "host/mcuboot_priv.h"

/* Checks one TLV area (info header at off) and counts its entries. The
 * walk is bootutil_tlv_iter_next()'s (boot/bootutil/src/tlv.c); MCUboot
 * puts no limit on the number of TLVs, so neither does this. Stricter
 * than MCUboot in one way only: MCUboot reads a TLV that runs past the
 * end of its area from whatever flash follows, which no signed image
 * can rely on; here that is an error. */
static int parse_area(const uint8_t *buf, size_t len, uint32_t off, bool prot,
		      struct mcuboot_image *img, struct mcuboot_err *err)
{
	const char *which = prot ? "protected TLV area" : "TLV area";
	uint16_t magic = smp_get_le16(buf + off), tot = smp_get_le16(buf + off + 2);
	uint64_t end = (uint64_t)off + tot, p;

	if (magic != (prot ? SMP_MCUBOOT_TLV_PROT_INFO_MAGIC : SMP_MCUBOOT_TLV_INFO_MAGIC))
		return mcuboot_fail(
			err, prot ? MCUBOOT_ERR_BAD_PROT_TLV_MAGIC : MCUBOOT_ERR_BAD_TLV_MAGIC,
			"%s at 0x%x has magic 0x%04x, expected 0x%04x", which, off, magic,
			prot ? SMP_MCUBOOT_TLV_PROT_INFO_MAGIC : SMP_MCUBOOT_TLV_INFO_MAGIC);
	/* bootutil_tlv_iter_begin(): "if (hdr->ih_protect_tlv_size !=
	 * info.it_tlv_tot) return -1;" */
	if (prot && tot != img->protect_tlv_size)
		return mcuboot_fail(
			err, MCUBOOT_ERR_PROT_SIZE_MISMATCH,
			"protected TLV area is %u bytes, header's protect_tlv_size says %u", tot,
			img->protect_tlv_size);
	/* MCUboot would find no TLV, hence no hash, in such an area. */
	if (tot < 4)
		return mcuboot_fail(err, MCUBOOT_ERR_TLV_PAST_END,
				    "%s size %u is smaller than its 4-byte info header", which,
				    tot);
	if (end > len)
		return mcuboot_fail(
			err, MCUBOOT_ERR_TRUNCATED_TLV_AREA,
			"%s at 0x%x needs %u bytes, the file has %zu: truncated by %llu bytes",
			which, off, tot, len - off, (unsigned long long)(end - len));
	for (p = off + 4; p < end;) {
		uint16_t type, tlen;
		char label[SMP_MCUBOOT_TLV_LABEL_MAX];

		if (end - p < 4)
			return mcuboot_fail(
				err, MCUBOOT_ERR_TLV_PAST_END,
				"TLV header at 0x%llx runs past the end of the %s (0x%llx)",
				(unsigned long long)p, which, (unsigned long long)end);
		type = smp_get_le16(buf + p);
		tlen = smp_get_le16(buf + p + 2);
		if (tlen > end - (p + 4))
			return mcuboot_fail(
				err, MCUBOOT_ERR_TLV_PAST_END,
				"TLV %s at 0x%llx: length %u runs past the end of the %s (0x%llx)",
				mcuboot_tlv_label(type, label, sizeof(label)),
				(unsigned long long)p, tlen, which, (unsigned long long)end);
		img->ntlv++;
		p += 4 + (uint64_t)tlen;
	}
	return 0;
}

bool mcuboot_tlv_next(const struct mcuboot_image *img, const uint8_t *buf,
		      struct mcuboot_tlv_iter *it, struct mcuboot_tlv *out)
{
	uint32_t prot_end = img->body_end + img->protect_tlv_size;

	if (!img->image_end)
		return false;
	if (it->next == 0)
		it->next = (img->protect_tlv_size ? img->body_end : img->tlv_off) + 4;
	/* bootutil_tlv_iter_next(): at prot_end, skip the unprotected info
	 * header. */
	if (img->protect_tlv_size && it->next == prot_end)
		it->next = img->tlv_off + 4;
	if (it->next >= img->image_end)
		return false;
	out->type = smp_get_le16(buf + it->next);
	out->len = smp_get_le16(buf + it->next + 2);
	out->off = it->next + 4;
	/* bootutil_tlv_iter_is_prot(): "return off < it->prot_end;" */
	out->protected_area = out->off < prot_end;
	it->next = out->off + out->len;
	return true;
}

bool mcuboot_tlv_find(const struct mcuboot_image *img, const uint8_t *buf, uint16_t type,
		      struct mcuboot_tlv *out)
{
	struct mcuboot_tlv_iter it = { 0 };
	struct mcuboot_tlv t;

	while (mcuboot_tlv_next(img, buf, &it, &t))
		if (t.type == type) {
			if (out)
				*out = t;
			return true;
		}
	return false;
}

static int parse_header(const uint8_t *buf, size_t len, struct mcuboot_image *img,
			struct mcuboot_err *err)
{
	struct smp_mcuboot_header hdr;
	uint64_t end;

	if (len == 0)
		return mcuboot_fail(err, MCUBOOT_ERR_EMPTY, "the file is empty");
	if (len < SMP_MCUBOOT_HEADER_SIZE)
		return mcuboot_fail(err, MCUBOOT_ERR_TRUNCATED_HEADER,
				    "%zu bytes, shorter than the 32-byte image header", len);
	smp_mcuboot_header_decode(buf, &hdr);
	img->magic = hdr.magic;
	img->load_addr = hdr.load_addr;
	img->hdr_size = hdr.hdr_size;
	img->protect_tlv_size = hdr.protect_tlv_size;
	img->img_size = hdr.img_size;
	img->flags = hdr.flags;
	img->version = (struct mcuboot_version){ hdr.ver_major, hdr.ver_minor, hdr.ver_revision,
						 hdr.ver_build };
	if (img->magic == SMP_MCUBOOT_IMAGE_MAGIC_V1)
		return mcuboot_fail(err, MCUBOOT_ERR_BAD_MAGIC,
				    "magic 0x%08x is MCUboot's retired v1 header, not supported",
				    img->magic);
	if (img->magic == 0x04034b50) /* "PK\3\4" */
		return mcuboot_fail(
			err, MCUBOOT_ERR_BAD_MAGIC,
			"a zip file (an nRF Connect SDK bundle?), not an MCUboot image");
	if (img->magic != SMP_MCUBOOT_IMAGE_MAGIC)
		return mcuboot_fail(err, MCUBOOT_ERR_BAD_MAGIC,
				    "bad magic 0x%08x (expected 0x%08x): not an MCUboot image",
				    img->magic, SMP_MCUBOOT_IMAGE_MAGIC);
	img->have_header = true;
	/* MCUboot itself has no lower bound (loader.c boot_is_header_valid()
	 * checks only the magic and the sums), but with hdr_size < 32 the
	 * body would start inside the header: no build of imgtool or Zephyr
	 * makes that, and such an image could not boot. Refused as malformed. */
	if (img->hdr_size < SMP_MCUBOOT_HEADER_SIZE)
		return mcuboot_fail(err, MCUBOOT_ERR_HDR_SIZE,
				    "hdr_size %u is smaller than the 32-byte header",
				    img->hdr_size);
	/* boot_is_header_valid(): "if (!boot_u32_safe_add(&size,
	 * hdr->ih_img_size, hdr->ih_hdr_size)) return false;" and the same
	 * with ih_protect_tlv_size; it then wants the sum below the slot size,
	 * which only the device knows. */
	end = (uint64_t)img->hdr_size + img->img_size + img->protect_tlv_size + 4;
	if (end > UINT32_MAX)
		return mcuboot_fail(
			err, MCUBOOT_ERR_SIZE_OVERFLOW,
			"hdr_size 0x%x + img_size 0x%x + protect_tlv_size 0x%x overflow 32 bits",
			img->hdr_size, img->img_size, img->protect_tlv_size);
	img->body_end = img->hdr_size + img->img_size;
	img->encrypted = img->flags &
			 (SMP_MCUBOOT_F_ENCRYPTED_AES128 | SMP_MCUBOOT_F_ENCRYPTED_AES256);
	img->compressed = img->flags &
			  (SMP_MCUBOOT_F_COMPRESSED_LZMA1 | SMP_MCUBOOT_F_COMPRESSED_LZMA2);
	if (img->body_end > len)
		return mcuboot_fail(
			err, MCUBOOT_ERR_TRUNCATED_BODY,
			"the body ends at %u but the file has %zu bytes: truncated by %zu bytes",
			img->body_end, len, img->body_end - len);
	return 0;
}

static int parse_areas(const uint8_t *buf, size_t len, struct mcuboot_image *img,
		       struct mcuboot_err *err)
{
	uint32_t off = img->body_end;

	if (off == len)
		return mcuboot_fail(err, MCUBOOT_ERR_NO_TLV_AREA,
				    "the file ends with the body at %u: no TLV area (truncated?)",
				    off);
	if (off + 4 > len)
		return mcuboot_fail(err, MCUBOOT_ERR_TRUNCATED_TLV_AREA,
				    "the file ends inside the TLV info header at 0x%x", off);
	if (img->protect_tlv_size) {
		if (img->protect_tlv_size < 4)
			return mcuboot_fail(err, MCUBOOT_ERR_PROT_SIZE_MISMATCH,
					    "protect_tlv_size %u is too small for a TLV area",
					    img->protect_tlv_size);
		if (parse_area(buf, len, off, true, img, err))
			return -1;
		off += img->protect_tlv_size;
		if (off == len)
			return mcuboot_fail(
				err, MCUBOOT_ERR_NO_TLV_AREA,
				"the file ends after the protected TLVs at %u: no TLV area", off);
		if (off + 4 > len)
			return mcuboot_fail(err, MCUBOOT_ERR_TRUNCATED_TLV_AREA,
					    "the file ends inside the TLV info header at 0x%x",
					    off);
	} else if (smp_get_le16(buf + off) == SMP_MCUBOOT_TLV_PROT_INFO_MAGIC) {
		return mcuboot_fail(
			err, MCUBOOT_ERR_PROT_SIZE_MISMATCH,
			"protected TLV area at 0x%x, but the header's protect_tlv_size is 0", off);
	}
	img->tlv_off = off;
	img->tlv_size = smp_get_le16(buf + off + 2);
	if (parse_area(buf, len, off, false, img, err))
		return -1;
	img->image_end = off + img->tlv_size;
	return 0;
}

bool mcuboot_is_sig_tlv(uint16_t type)
{
	return type == SMP_MCUBOOT_TLV_RSA2048_PSS || type == SMP_MCUBOOT_TLV_ECDSA224 ||
	       type == SMP_MCUBOOT_TLV_ECDSA_SIG || type == SMP_MCUBOOT_TLV_RSA3072_PSS ||
	       type == SMP_MCUBOOT_TLV_ED25519;
}

/* One hash TLV against the digest of header + body + protected TLVs with
 * its own algorithm. bootutil_img_validate() checks every TLV of its
 * EXPECTED_HASH_TLV type in turn ("case EXPECTED_HASH_TLV: ... if (len !=
 * sizeof(hash)) { rc = -1; goto out; } ... boot_fih_memequal(hash, buf,
 * ...)"): a second identical one passes, a second different one fails.
 * Which type a device expects depends on its build (SHA256, SHA384 with
 * P-384, SHA512): hash_matches records whether all hold, and
 * mcuboot_verify_with() checks those of the build's type. */
/* A hash TLV of the wrong length fails only in a build that computes its
 * type: the others never look at it. It is kept in *len_err (the first
 * one) and skipped; with no usable hash TLV at all, that is the error. */
static int check_hash_tlv(const uint8_t *buf, const struct mcuboot_tlv *t,
			  struct mcuboot_image *img, struct mcuboot_err *err,
			  struct mcuboot_err *len_err)
{
	uint8_t digest[SMP_MCUBOOT_HASH_MAX];
	size_t want = mcuboot_hash_len(t->type);
	char label[SMP_MCUBOOT_TLV_LABEL_MAX];

	if (t->len != want) {
		if (len_err->kind == MCUBOOT_OK)
			mcuboot_fail(len_err, MCUBOOT_ERR_HASH_LEN,
				     "%s TLV is %u bytes, expected %zu",
				     mcuboot_tlv_label(t->type, label, sizeof(label)), t->len,
				     want);
		return 0;
	}
	if (mcuboot_digest(t->type, buf, img->body_end + img->protect_tlv_size, digest) < 0)
		return mcuboot_fail(err, MCUBOOT_ERR_CRYPTO, "cannot compute the image hash");
	if (img->nhash++ == 0) {
		img->hash_type = t->type;
		img->hash_len = want;
		memcpy(img->hash_stored, buf + t->off, want);
		memcpy(img->hash_computed, digest, want);
	}
	if (memcmp(buf + t->off, digest, want) && img->hash_matches) {
		img->hash_matches = false;
		img->hash_bad_off = t->off;
		img->hash_bad_type = t->type;
	}
	return 0;
}

/* Finds the hash, signature and key TLVs and checks the image hash. */
static int classify_tlvs(const uint8_t *buf, struct mcuboot_image *img, struct mcuboot_err *err)
{
	struct mcuboot_tlv_iter it = { 0 };
	struct mcuboot_tlv t;
	struct mcuboot_err len_err = { MCUBOOT_OK, "" };
	bool pure_seen = false;

	img->hash_matches = true;
	while (mcuboot_tlv_next(img, buf, &it, &t)) {
		if (mcuboot_hash_len(t.type) && check_hash_tlv(buf, &t, img, err, &len_err))
			return -1;
		if (mcuboot_is_sig_tlv(t.type) && !img->sig_type)
			img->sig_type = t.type;
		if ((t.type == SMP_MCUBOOT_TLV_KEYHASH || t.type == SMP_MCUBOOT_TLV_PUBKEY) &&
		    !img->key_tlv_type)
			img->key_tlv_type = t.type;
		/* bootutil_check_for_pure(): the first SIG_PURE TLV, of
		 * length 1 and value 1, selects a pure signature. */
		if (t.type == SMP_MCUBOOT_TLV_SIG_PURE && !pure_seen) {
			pure_seen = true;
			img->pure = t.len == 1 && buf[t.off] == 1;
		}
	}
	if (!img->nhash && len_err.kind != MCUBOOT_OK) {
		*err = len_err;
		return -1;
	}
	if (!img->nhash)
		return mcuboot_fail(err, MCUBOOT_ERR_NO_HASH,
				    "no SHA256/SHA384/SHA512 hash TLV among the %zu TLVs",
				    img->ntlv);
	return 0;
}

static const uint8_t boot_magic_classic[16] = {
	0x77, 0xc2, 0x95, 0xf3, 0x60, 0xd2, 0xef, 0x7f,
	0x35, 0x52, 0x50, 0x0f, 0x2c, 0xb6, 0x79, 0x80,
};

/* With a max-align other than 8, imgtool puts the alignment in the first
 * two bytes and this after it. */
static const uint8_t boot_magic_aligned[14] = {
	0x2d, 0xe1, 0x5d, 0x29, 0x41, 0x0b, 0x8d, 0x77, 0x67, 0x9c, 0x11, 0x0f, 0x1f, 0x8a,
};

/* A boot trailer ends the slot: magic, then going down image_ok,
 * copy_done and swap_info, one max-align unit each (bootutil_public.c).
 * Other bytes after the TLV area are not MCUboot's concern: it reads
 * nothing past it_tlv_tot but the trailer, so they do not change the
 * verdict; they are only reported (trailing_bytes). */
static void find_trailer(const uint8_t *buf, size_t len, struct mcuboot_image *img)
{
	struct mcuboot_trailer *t = &img->trailer;
	size_t magic_off, magic_span, ok_off;
	uint32_t align;

	img->trailing_bytes = len - img->image_end;
	if (img->trailing_bytes < 16)
		return;
	magic_off = len - 16;
	if (!memcmp(buf + magic_off, boot_magic_classic, 16))
		align = 8;
	else if (!memcmp(buf + magic_off + 2, boot_magic_aligned, 14))
		align = smp_get_le16(buf + magic_off);
	else
		return;
	if (align < 8 || (align & (align - 1)))
		return;
	magic_span = (16 + align - 1) / align * align;
	t->present = true;
	t->max_align = align;
	t->magic_off = magic_off;
	t->image_ok = t->copy_done = t->swap_info = 0xff;
	img->trailing_bytes = 0;
	if (len < img->image_end + magic_span + 3 * (size_t)align)
		return;
	ok_off = len - magic_span - align;
	t->image_ok = buf[ok_off];
	t->copy_done = buf[ok_off - align];
	t->swap_info = buf[ok_off - 2 * align];
}

int mcuboot_parse(const uint8_t *buf, size_t len, struct mcuboot_image *img,
		  struct mcuboot_err *err)
{
	memset(img, 0, sizeof(*img));
	memset(err, 0, sizeof(*err));
	img->size = len;
	if (mcuboot_sha256(buf, len, img->data_sha256))
		return mcuboot_fail(err, MCUBOOT_ERR_CRYPTO, "cannot compute SHA-256");
	if (parse_header(buf, len, img, err) || parse_areas(buf, len, img, err) ||
	    classify_tlvs(buf, img, err))
		return -1;
	find_trailer(buf, len, img);
	return 0;
}
