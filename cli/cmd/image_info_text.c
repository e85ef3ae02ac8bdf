/* smpctl image info, human layout: one "name  value" line per fact, every
 * TLV on its own line ("p" marks protected ones). */
#include <string.h>

#include "smp/hex.h"
#include "cli/cmd/image_info.h"
#include "cli/ui/text_safe.h"

static void show_header(FILE *o, const struct mcuboot_image *img)
{
	const char *names[16];
	uint32_t unknown;
	size_t i, n = mcuboot_flag_names(img->flags, names, 16, &unknown);
	char ver[48];

	mcuboot_version_format(&img->version, ver, sizeof(ver));
	fprintf(o, "version      %s\n", ver);
	fprintf(o,
		"header       magic 0x%08x, hdr_size 0x%x, img_size 0x%x (%u), "
		"protect_tlv_size 0x%x\n",
		img->magic, img->hdr_size, img->img_size, img->img_size, img->protect_tlv_size);
	fprintf(o, "load_addr    0x%08x\n", img->load_addr);
	fprintf(o, "flags        0x%08x", img->flags);
	for (i = 0; i < n; i++)
		fprintf(o, "%s%s", i ? ", " : " (", names[i]);
	if (unknown)
		fprintf(o, "%sunknown 0x%x", n ? ", " : " (", unknown);
	fprintf(o, "%s\n", n || unknown ? ")" : " (none)");
}

static void show_tlvs(FILE *o, const struct image_view *w)
{
	const struct mcuboot_image *img = &w->img;
	char hex[2 * 24 + 1], label[SMP_MCUBOOT_TLV_LABEL_MAX], desc[96];
	struct mcuboot_tlv_iter it = { 0 };
	struct mcuboot_tlv tlv;
	const struct mcuboot_tlv *t = &tlv;

	if (img->protect_tlv_size)
		fprintf(o, "tlv areas    protected 0x%x (%u bytes), ", img->body_end,
			img->protect_tlv_size);
	else
		fprintf(o, "tlv areas    no protected area, ");
	fprintf(o, "unprotected 0x%x (%u bytes), image ends at 0x%x\n", img->tlv_off, img->tlv_size,
		img->image_end);
	while (mcuboot_tlv_next(img, w->data, &it, &tlv)) {
		size_t shown = t->len > 24 ? 24 : t->len;

		smp_hex_encode(w->data + t->off, shown, hex);
		mcuboot_tlv_describe(w->data, t, desc, sizeof(desc));
		fprintf(o, "  %c %-17s 0x%04x %5u  %s%s%s%s\n", t->protected_area ? 'p' : ' ',
			mcuboot_tlv_label(t->type, label, sizeof(label)), t->type, t->len, hex,
			shown < t->len ? "..." : "", desc[0] ? "  " : "", desc);
	}
}

static const char *sig_words(enum mcuboot_check c)
{
	return c == MCUBOOT_CHECK_OK		? "ok"
	       : c == MCUBOOT_CHECK_SKIPPED	? "not checked (no --key)"
	       : c == MCUBOOT_CHECK_UNCHECKABLE ? "not checkable (encrypted)"
						: "FAILED";
}

static void show_checks(FILE *o, const struct image_info *in, const struct image_view *w)
{
	const struct mcuboot_image *img = &w->img;
	char stored[2 * SMP_MCUBOOT_HASH_MAX + 1], computed[2 * SMP_MCUBOOT_HASH_MAX + 1];
	char label[SMP_MCUBOOT_TLV_LABEL_MAX];

	smp_hex_encode(img->hash_stored, img->hash_len, stored);
	smp_hex_encode(img->hash_computed, img->hash_len, computed);
	fprintf(o, "hash         %s %s ", mcuboot_tlv_name(img->hash_type), stored);
	if (w->v.hash == MCUBOOT_CHECK_OK)
		fprintf(o, "ok%s\n", img->nhash > 1 ? " (every hash TLV)" : "");
	else if (w->v.hash == MCUBOOT_CHECK_UNCHECKABLE)
		fprintf(o, "not checkable (encrypted: it covers the plaintext)\n");
	else
		fprintf(o, "MISMATCH\n             computed %s\n", computed);
	if (w->v.hash == MCUBOOT_CHECK_FAILED && img->nhash > 1)
		fprintf(o, "             %zu hash TLVs: the %s at 0x%x does not match\n",
			img->nhash, mcuboot_tlv_label(img->hash_bad_type, label, sizeof(label)),
			img->hash_bad_off - 4);
	if (!img->sig_type)
		fprintf(o, "signature    none (unsigned image)\n");
	else
		fprintf(o, "signature    %s%s: %s%s\n", mcuboot_sig_name(img),
			img->pure ? " (pure)" : "", sig_words(w->v.signature),
			img->encrypted && w->v.signature == MCUBOOT_CHECK_OK
				? " (it signs the stored plaintext hash)"
				: "");
	fprintf(o, "key          %s",
		!img->key_tlv_type ? "no KEYHASH/PUBKEY TLV"
				   : mcuboot_tlv_label(img->key_tlv_type, label, sizeof(label)));
	if (in->key)
		fprintf(o, ", %s key %s: %s\n", mcuboot_key_desc(in->key), in->key_path,
			w->v.key == MCUBOOT_CHECK_OK	   ? "matches"
			: w->v.key == MCUBOOT_CHECK_FAILED ? "does NOT match"
							   : "not named by the image");
	else
		fprintf(o, "%s\n", !img->sig_type ? "" : " (not checked: no --key)");
}

static void show_extras(FILE *o, const struct mcuboot_image *img)
{
	const struct mcuboot_trailer *t = &img->trailer;

	if (img->encrypted)
		fprintf(o, "encryption   %s\n", mcuboot_encryption_name(img));
	if (img->compressed)
		fprintf(o, "compression  %s%s\n",
			img->flags & SMP_MCUBOOT_F_COMPRESSED_LZMA1 ? "LZMA1" : "LZMA2",
			img->flags & SMP_MCUBOOT_F_COMPRESSED_ARM_THUMB ? " + ARM thumb filter"
									: "");
	if (t->present)
		fprintf(o,
			"trailer      padded to a 0x%zx-byte slot: boot magic (max-align %u), "
			"image_ok 0x%02x%s, copy_done 0x%02x, swap_info 0x%02x\n",
			img->size, t->max_align, t->image_ok,
			t->image_ok == 0x01   ? " (confirmed)"
			: t->image_ok == 0xff ? " (test)"
					      : "",
			t->copy_done, t->swap_info);
	else
		fprintf(o, "trailer      none\n");
	if (img->trailing_bytes)
		fprintf(o, "trailing     %zu bytes after the TLV area\n", img->trailing_bytes);
}

static void show_image_view(FILE *o, const struct image_info *in, const struct image_view *w)
{
	const struct mcuboot_err *e = image_view_failure(w);
	char sha[65];

	if (w->entry || in->file.from_hex) {
		smp_hex_encode(w->img.data_sha256, 32, sha);
		fprintf(o, "size         %zu bytes, sha256 %s (what an upload sends)\n", w->len,
			sha);
	}
	if (w->img.have_header)
		show_header(o, &w->img);
	if (w->parsed) {
		show_tlvs(o, w);
		show_checks(o, in, w);
		show_extras(o, &w->img);
	}
	if (w->entry)
		fprintf(o, "image %-6d %s%s%s\n", w->entry->image_index,
			e ? image_view_verdict(w) : mcuboot_verdict_words(&w->v), e ? ": " : "",
			e ? e->msg : "");
}

/* A bundle image's manifest facts. The nRF5340 network core image goes
 * to image 1 and can only be confirmed, never tested. */
static void show_entry(FILE *o, const struct nrf_zip_image *z)
{
	fprintf(o, "\n== image %d: %s%s\n", z->image_index, SAFE(z->file),
		strstr(z->board, "cpunet") ? " (nRF5340 network core)" : "");
	fprintf(o, "manifest     board %s, version %s, slots %d/%d",
		z->board[0] ? SAFE(z->board) : "?", z->version[0] ? SAFE(z->version) : "?",
		z->slot_primary, z->slot_secondary);
	if (z->has_load_address)
		fprintf(o, ", load address 0x%08x", z->load_address);
	fprintf(o, "\n");
}

void image_info_show(FILE *o, const struct image_info *in)
{
	const struct image_view *bad = image_info_failing(in);
	const struct mcuboot_err *e = in->load_failed ? &in->load_err
				      : bad	      ? image_view_failure(bad)
						      : NULL;
	char sha[65];
	size_t i;

	fprintf(o, "file         %s (%zu bytes)\n", in->path, in->file.file_size);
	smp_hex_encode(in->file.file_sha256, 32, sha);
	fprintf(o, "file sha256  %s\n", sha);
	if (in->file.from_hex)
		fprintf(o, "format       Intel HEX, data at 0x%08x\n", in->file.hex_base);
	if (in->is_bundle && in->load_failed)
		fprintf(o, "format       zip, not a usable nRF Connect SDK bundle\n");
	else if (in->is_bundle)
		fprintf(o,
			"format       nRF Connect SDK bundle, manifest format-version %d%s%s, "
			"%zu images\n",
			in->bundle.format_version, in->bundle.name[0] ? ", name " : "",
			in->bundle.name, in->nviews);
	for (i = 0; i < in->nviews; i++) {
		const struct nrf_zip_image *z = in->views[i].entry;

		if (z)
			show_entry(o, z);
		show_image_view(o, in, &in->views[i]);
	}
	fprintf(o, "%sverdict      %s%s%s\n", in->is_bundle ? "\n" : "",
		e ? image_info_verdict(in) : image_info_verdict_words(in), e ? ": " : "",
		e ? e->msg : "");
}
