/* smpctl image info --json: the document described in cmd_image_info.c. */
#include <stdlib.h>

#include "smp/hex.h"
#include "cli/cmd/image_info.h"

static json_t *hex_json(const uint8_t *b, size_t n)
{
	char *buf = malloc(2 * n + 1);
	json_t *s;

	if (!buf)
		return NULL;
	smp_hex_encode(b, n, buf);
	s = json_string(buf);
	free(buf);
	return s;
}

static json_t *error_json(const struct mcuboot_err *e)
{
	return json_pack("{s:s,s:s}", "kind", mcuboot_err_name(e->kind), "message", e->msg);
}

static json_t *header_json(const struct mcuboot_image *img)
{
	const char *names[16];
	uint32_t unknown;
	size_t i, n = mcuboot_flag_names(img->flags, names, 16, &unknown);
	json_t *list = json_array();

	for (i = 0; i < n; i++)
		json_array_append_new(list, json_string(names[i]));
	return json_pack("{s:I,s:I,s:i,s:i,s:I,s:I,s:o,s:I}", "magic", (json_int_t)img->magic,
			 "load_addr", (json_int_t)img->load_addr, "hdr_size", img->hdr_size,
			 "protect_tlv_size", img->protect_tlv_size, "img_size",
			 (json_int_t)img->img_size, "flags", (json_int_t)img->flags, "flag_names",
			 list, "unknown_flags", (json_int_t)unknown);
}

static json_t *tlvs_json(const struct image_view *w)
{
	const struct mcuboot_image *img = &w->img;
	json_t *list = json_array();
	char desc[96];
	struct mcuboot_tlv_iter it = { 0 };
	struct mcuboot_tlv tlv;
	const struct mcuboot_tlv *t = &tlv;

	while (mcuboot_tlv_next(img, w->data, &it, &tlv)) {
		json_t *o;

		mcuboot_tlv_describe(w->data, t, desc, sizeof(desc));
		o = json_pack("{s:i,s:s?,s:i,s:I,s:b,s:o}", "type", t->type, "name",
			      mcuboot_tlv_name(t->type), "len", t->len, "off", (json_int_t)t->off,
			      "protected", t->protected_area, "value",
			      hex_json(w->data + t->off, t->len));
		if (o && desc[0])
			json_object_set_new(o, "desc", json_string(desc));
		json_array_append_new(list, o);
	}
	return list;
}

static void checks_json(json_t *doc, const struct image_info *in, const struct image_view *w)
{
	const struct mcuboot_image *img = &w->img;
	const struct mcuboot_trailer *t = &img->trailer;
	const char *enc = mcuboot_encryption_name(img);
	char label[SMP_MCUBOOT_TLV_LABEL_MAX];

	json_object_set_new(doc, "tlv_area",
			    json_pack("{s:o,s:i,s:I,s:i,s:I}", "protected_off",
				      img->protect_tlv_size ? json_integer(img->body_end)
							    : json_null(),
				      "protected_size", img->protect_tlv_size, "off",
				      (json_int_t)img->tlv_off, "size", img->tlv_size, "image_end",
				      (json_int_t)img->image_end));
	json_object_set_new(doc, "tlvs", tlvs_json(w));
	json_object_set_new(doc, "hash",
			    json_pack("{s:s,s:o,s:o,s:s}", "type", mcuboot_tlv_name(img->hash_type),
				      "stored", hex_json(img->hash_stored, img->hash_len),
				      "computed", hex_json(img->hash_computed, img->hash_len),
				      "status", mcuboot_check_name(w->v.hash)));
	json_object_set_new(doc, "signature",
			    json_pack("{s:s?,s:b,s:s}", "type", mcuboot_sig_name(img), "pure",
				      img->pure, "status", mcuboot_check_name(w->v.signature)));
	json_object_set_new(doc, "key",
			    json_pack("{s:s?,s:s?,s:s}", "tlv",
				      !img->key_tlv_type ? NULL
							 : mcuboot_tlv_label(img->key_tlv_type,
									     label, sizeof(label)),
				      "given", mcuboot_key_desc(in->key), "status",
				      mcuboot_check_name(w->v.key)));
	json_object_set_new(doc, "encrypted", json_boolean(img->encrypted));
	json_object_set_new(doc, "encryption", enc ? json_string(enc) : json_null());
	json_object_set_new(doc, "compressed", json_boolean(img->compressed));
	json_object_set_new(doc, "trailer",
			    !t->present
				    ? json_null()
				    : json_pack("{s:i,s:I,s:i,s:i,s:i,s:I}", "max_align",
						(int)t->max_align, "magic_off",
						(json_int_t)t->magic_off, "image_ok", t->image_ok,
						"copy_done", t->copy_done, "swap_info",
						t->swap_info, "slot_size", (json_int_t)img->size));
	json_object_set_new(doc, "trailing_bytes", json_integer((json_int_t)img->trailing_bytes));
}

/* An image's fields, added to doc. */
static void image_view_json(json_t *doc, const struct image_info *in, const struct image_view *w)
{
	const struct mcuboot_err *e = image_view_failure(w);
	char ver[48];

	json_object_set_new(doc, "size", json_integer((json_int_t)w->len));
	json_object_set_new(doc, "upload_sha256", hex_json(w->img.data_sha256, 32));
	json_object_set_new(doc, "verdict", json_string(image_view_verdict(w)));
	if (e)
		json_object_set_new(doc, "error", error_json(e));
	if (w->img.have_header) {
		json_object_set_new(doc, "header", header_json(&w->img));
		mcuboot_version_format(&w->img.version, ver, sizeof(ver));
		json_object_set_new(doc, "version", json_string(ver));
	}
	if (w->parsed)
		checks_json(doc, in, w);
}

static json_t *int_or_null(long long v)
{
	return v >= 0 ? json_integer(v) : json_null();
}

static json_t *bundle_images_json(const struct image_info *in)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; i < in->nviews; i++) {
		const struct nrf_zip_image *z = in->views[i].entry;
		json_t *o = json_pack("{s:i,s:s,s:s,s:s,s:o,s:o,s:o}", "image_index",
				      z->image_index, "file", z->file, "board", z->board,
				      "manifest_version", z->version, "load_address",
				      int_or_null(z->has_load_address ? (long long)z->load_address
								      : -1),
				      "slot_primary", int_or_null(z->slot_primary),
				      "slot_secondary", int_or_null(z->slot_secondary));

		if (o)
			image_view_json(o, in, &in->views[i]);
		json_array_append_new(list, o);
	}
	return list;
}

json_t *image_info_json(const struct image_info *in)
{
	const struct image_view *bad = image_info_failing(in);
	json_t *doc = json_object();

	json_object_set_new(doc, "file", json_string(in->path));
	json_object_set_new(doc, "file_size", json_integer((json_int_t)in->file.file_size));
	json_object_set_new(doc, "file_sha256", hex_json(in->file.file_sha256, 32));
	json_object_set_new(doc, "format",
			    json_string(in->is_bundle	    ? "nrf-zip"
					: in->file.from_hex ? "ihex"
							    : "bin"));
	if (in->file.from_hex)
		json_object_set_new(doc, "hex_base_addr", json_integer(in->file.hex_base));
	if (!in->is_bundle && in->nviews == 1) {
		image_view_json(doc, in, &in->views[0]);
		return doc;
	}
	json_object_set_new(doc, "verdict", json_string(image_info_verdict(in)));
	if (in->load_failed || bad)
		json_object_set_new(doc, "error",
				    error_json(in->load_failed ? &in->load_err
							       : image_view_failure(bad)));
	if (in->is_bundle && !in->load_failed) {
		json_object_set_new(doc, "bundle",
				    json_pack("{s:i,s:s}", "format_version",
					      in->bundle.format_version, "name", in->bundle.name));
		json_object_set_new(doc, "images", bundle_images_json(in));
	}
	return doc;
}
