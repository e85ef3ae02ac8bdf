/* smpctl image info FILE [--key PUB.pem]: everything about an MCUboot
 * image file, offline: header, version, flags, every TLV, hash, signature,
 * key, slot trailer; binary or Intel HEX.
 *
 * Exit: 0 valid or valid-encrypted; 5 (EXIT_IMAGE) broken image; 6
 * (EXIT_LOCAL) unreadable file; 2 (EXIT_USAGE) bad arguments or key file
 * that is not a key. Why it failed: one line "smpctl: FILE: why" on stderr.
 *
 * --json document (stable field names; fields after "error" appear once
 * the header's magic is right, those after "version" once the whole
 * layout parsed):
 *   file            the path given
 *   file_size       bytes on disk
 *   file_sha256     SHA-256 of the file on disk (hex)
 *   format          "bin" or "ihex"
 *   hex_base_addr   lowest address of the HEX data (ihex only)
 *   size            bytes of the binary image (the HEX file's contents)
 *   upload_sha256   SHA-256 of the binary: what an upload's "sha" carries
 *   verdict         "valid", "valid-encrypted", "bad-hash", "bad-signature",
 *                   "key-mismatch", "unsigned", "bad-magic", "truncated",
 *                   "malformed", "unsupported"
 *   error           {kind, message} when not valid; kind is a stable name
 *                   such as "hash-mismatch", "truncated-tlv-area"
 *   header          {magic, load_addr, hdr_size, protect_tlv_size, img_size,
 *                    flags, flag_names: [...], unknown_flags}
 *   version         "major.minor.revision+build"
 *   tlv_area        {protected_off (null if none), protected_size, off, size,
 *                    image_end}
 *   tlvs            [{type, name (null if unknown), len, off (of the value),
 *                     protected, value (hex), desc (reading, if any)}]
 *   hash            {type, stored, computed, status}
 *   signature       {type (null if unsigned), pure, status}
 *   key             {tlv ("KEYHASH", "PUBKEY" or null), given (key type or
 *                    null), status}
 *                   status: "ok", "failed", "skipped" (no --key), "absent"
 *                   (nothing to check), "not-checkable" (encrypted)
 *   encrypted       bool; encryption: "AES-128", "AES-256" or null
 *   compressed      bool
 *   trailer         null or {max_align, magic_off, image_ok, copy_done,
 *                    swap_info, slot_size}
 *   trailing_bytes  bytes after the TLV area that are not a trailer */
#include "cli/cmd_image_info.h"

#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/hex.h"
#include "smp/mcuboot.h"

struct info {
	const char *path;
	const char *key_path;
	struct mcuboot_file file;
	struct mcuboot_key *key;
	struct mcuboot_image img;
	struct mcuboot_err err;		/* load or parse failure */
	bool parsed;
	struct mcuboot_verdict v;
};

#define USAGE "smpctl image info FILE [--key PUB.pem]"

static int parse_args(struct cli_ctx *ctx, int argc, char **argv, struct info *in)
{
	int i;
	bool opts_done = false;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!opts_done && (!strcmp(a, "--key") || !strcmp(a, "-k"))) {
			if (++i == argc)
				return cli_fail(ctx, EXIT_USAGE,
						"image info: %s needs a key file (usage: " USAGE ")", a);
			in->key_path = argv[i];
		} else if (!opts_done && !strncmp(a, "--key=", 6)) {
			in->key_path = a + 6;
		} else if (!opts_done && (!strcmp(a, "--help") || !strcmp(a, "-h"))) {
			fprintf(ctx->out, "usage: " USAGE "\n");
			return -1;
		} else if (!opts_done && !strcmp(a, "--")) {
			opts_done = true;
		} else if (!opts_done && a[0] == '-' && a[1]) {
			return cli_fail(ctx, EXIT_USAGE,
					"image info: unknown option '%s' (usage: " USAGE ")", a);
		} else if (in->path) {
			return cli_fail(ctx, EXIT_USAGE,
					"image info: one image file at a time (usage: " USAGE ")");
		} else {
			in->path = a;
		}
	}
	if (!in->path)
		return cli_fail(ctx, EXIT_USAGE, "image info: no image file given (usage: " USAGE ")");
	return EXIT_OK;
}

/* Exit code for an image that did not verify. */
static int exit_for(enum mcuboot_err_kind kind)
{
	return kind == MCUBOOT_ERR_IO || kind == MCUBOOT_ERR_NOMEM || kind == MCUBOOT_ERR_CRYPTO
		       ? EXIT_LOCAL : EXIT_IMAGE;
}

static const struct mcuboot_err *failure(const struct info *in)
{
	if (!in->parsed)
		return &in->err;
	return in->v.err.kind != MCUBOOT_OK ? &in->v.err : NULL;
}

static const char *verdict_of(const struct info *in)
{
	return in->parsed ? mcuboot_verdict_name(&in->v) : mcuboot_err_verdict(in->err.kind);
}

static void hex_of(const uint8_t *b, size_t n, char *out)
{
	hex_encode(b, n, out);
}

/* ---- human layout ---- */

static void show_file(struct cli_ctx *ctx, const struct info *in)
{
	char hex[65];
	FILE *o = ctx->out;

	fprintf(o, "file         %s (%zu bytes)\n", in->path, in->file.file_size);
	hex_of(in->file.file_sha256, 32, hex);
	fprintf(o, "file sha256  %s\n", hex);
	if (in->file.from_hex) {
		fprintf(o, "format       Intel HEX: %zu bytes at 0x%08x\n", in->file.len,
			in->file.hex_base);
		hex_of(in->img.data_sha256, 32, hex);
		fprintf(o, "upload sha   %s (of the binary)\n", hex);
	}
}

static void show_header(struct cli_ctx *ctx, const struct mcuboot_image *img)
{
	const char *names[16];
	uint32_t unknown;
	size_t i, n = mcuboot_flag_names(img->flags, names, 16, &unknown);
	char ver[48];
	FILE *o = ctx->out;

	mcuboot_version_format(&img->version, ver, sizeof(ver));
	fprintf(o, "version      %s\n", ver);
	fprintf(o, "header       magic 0x%08x, hdr_size 0x%x, img_size 0x%x (%u), "
		   "protect_tlv_size 0x%x\n", img->magic, img->hdr_size, img->img_size,
		img->img_size, img->protect_tlv_size);
	fprintf(o, "load_addr    0x%08x\n", img->load_addr);
	fprintf(o, "flags        0x%08x", img->flags);
	for (i = 0; i < n; i++)
		fprintf(o, "%s%s", i ? ", " : " (", names[i]);
	if (unknown)
		fprintf(o, "%sunknown 0x%x", n ? ", " : " (", unknown);
	fprintf(o, "%s\n", n || unknown ? ")" : " (none)");
}

static void show_tlvs(struct cli_ctx *ctx, const struct info *in)
{
	const struct mcuboot_image *img = &in->img;
	char hex[2 * 24 + 1], label[MCUBOOT_TLV_LABEL_MAX], desc[96];
	size_t i;
	FILE *o = ctx->out;

	if (img->protect_tlv_size)
		fprintf(o, "tlv areas    protected 0x%x (%u bytes), ", img->body_end,
			img->protect_tlv_size);
	else
		fprintf(o, "tlv areas    no protected area, ");
	fprintf(o, "unprotected 0x%x (%u bytes), image ends at 0x%x\n", img->tlv_off,
		img->tlv_size, img->image_end);
	for (i = 0; i < img->ntlv; i++) {
		const struct mcuboot_tlv *t = &img->tlvs[i];
		size_t shown = t->len > 24 ? 24 : t->len;

		hex_of(in->file.data + t->off, shown, hex);
		mcuboot_tlv_describe(img, in->file.data, i, desc, sizeof(desc));
		fprintf(o, "  %c %-17s 0x%04x %5u  %s%s%s%s\n", t->protected_area ? 'p' : ' ',
			mcuboot_tlv_label(t->type, label, sizeof(label)), t->type, t->len, hex,
			shown < t->len ? "..." : "", desc[0] ? "  " : "", desc);
	}
}

static void show_checks(struct cli_ctx *ctx, const struct info *in)
{
	const struct mcuboot_image *img = &in->img;
	const struct mcuboot_verdict *v = &in->v;
	char stored[2 * MCUBOOT_HASH_MAX + 1], computed[2 * MCUBOOT_HASH_MAX + 1], label[MCUBOOT_TLV_LABEL_MAX];
	FILE *o = ctx->out;

	hex_of(img->hash_stored, img->hash_len, stored);
	hex_of(img->hash_computed, img->hash_len, computed);
	fprintf(o, "hash         %s %s ", mcuboot_tlv_name(img->hash_type), stored);
	if (v->hash == MCUBOOT_CHECK_OK)
		fprintf(o, "ok\n");
	else if (v->hash == MCUBOOT_CHECK_UNCHECKABLE)
		fprintf(o, "not checkable (encrypted: it covers the plaintext)\n");
	else
		fprintf(o, "MISMATCH\n             computed %s\n", computed);

	fprintf(o, "signature    ");
	if (img->sig_index < 0)
		fprintf(o, "none (unsigned image)\n");
	else
		fprintf(o, "%s%s: %s\n", mcuboot_sig_name(img), img->pure ? " (pure)" : "",
			v->signature == MCUBOOT_CHECK_OK ? "ok"
			: v->signature == MCUBOOT_CHECK_SKIPPED ? "not checked (no --key)"
			: v->signature == MCUBOOT_CHECK_UNCHECKABLE ? "not checkable (encrypted)"
			: "FAILED");

	fprintf(o, "key          ");
	if (img->key_index < 0)
		fprintf(o, "no KEYHASH/PUBKEY TLV");
	else
		fprintf(o, "%s", mcuboot_tlv_label(img->tlvs[img->key_index].type, label,
						   sizeof(label)));
	if (in->key)
		fprintf(o, ", %s key %s: %s\n", mcuboot_key_desc(in->key), in->key_path,
			v->key == MCUBOOT_CHECK_OK ? "matches"
			: v->key == MCUBOOT_CHECK_FAILED ? "does NOT match" : "not named by the image");
	else
		fprintf(o, "%s\n", img->sig_index < 0 ? "" : " (not checked: no --key)");
}

static void show_extras(struct cli_ctx *ctx, const struct info *in)
{
	const struct mcuboot_image *img = &in->img;
	const struct mcuboot_trailer *t = &img->trailer;
	FILE *o = ctx->out;

	if (img->encrypted)
		fprintf(o, "encryption   %s\n", mcuboot_encryption_name(img));
	if (img->compressed)
		fprintf(o, "compression  %s%s\n",
			img->flags & MCUBOOT_F_COMPRESSED_LZMA1 ? "LZMA1" : "LZMA2",
			img->flags & MCUBOOT_F_COMPRESSED_ARM_THUMB ? " + ARM thumb filter" : "");
	if (t->present)
		fprintf(o, "trailer      padded to a 0x%zx-byte slot: boot magic (max-align %u), "
			   "image_ok 0x%02x%s, copy_done 0x%02x, swap_info 0x%02x\n",
			img->size, t->max_align, t->image_ok,
			t->image_ok == 0x01 ? " (confirmed)" : t->image_ok == 0xff ? " (test)" : "",
			t->copy_done, t->swap_info);
	else
		fprintf(o, "trailer      none\n");
	if (img->trailing_bytes)
		fprintf(o, "trailing     %zu bytes after the TLV area\n", img->trailing_bytes);
}

static void show_human(struct cli_ctx *ctx, const struct info *in)
{
	const struct mcuboot_err *e = failure(in);

	show_file(ctx, in);
	if (in->img.have_header)
		show_header(ctx, &in->img);
	if (in->parsed) {
		show_tlvs(ctx, in);
		show_checks(ctx, in);
		show_extras(ctx, in);
	}
	fprintf(ctx->out, "verdict      %s%s%s\n", verdict_of(in), e ? ": " : "", e ? e->msg : "");
}

/* ---- JSON ---- */

static json_t *hex_json(const uint8_t *b, size_t n)
{
	char *buf = malloc(2 * n + 1);
	json_t *s;

	if (!buf)
		return NULL;
	hex_encode(b, n, buf);
	s = json_string(buf);
	free(buf);
	return s;
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

static json_t *tlvs_json(const struct info *in)
{
	const struct mcuboot_image *img = &in->img;
	json_t *list = json_array();
	char desc[96];
	size_t i;

	for (i = 0; i < img->ntlv; i++) {
		const struct mcuboot_tlv *t = &img->tlvs[i];
		json_t *o;

		mcuboot_tlv_describe(img, in->file.data, i, desc, sizeof(desc));
		o = json_pack("{s:i,s:s?,s:i,s:I,s:b,s:o}", "type", t->type, "name",
			      mcuboot_tlv_name(t->type), "len", t->len, "off", (json_int_t)t->off,
			      "protected", t->protected_area, "value",
			      hex_json(in->file.data + t->off, t->len));
		if (o && desc[0])
			json_object_set_new(o, "desc", json_string(desc));
		json_array_append_new(list, o);
	}
	return list;
}

static json_t *checks_json(json_t *doc, const struct info *in)
{
	const struct mcuboot_image *img = &in->img;
	const struct mcuboot_trailer *t = &img->trailer;
	char label[MCUBOOT_TLV_LABEL_MAX];

	json_object_set_new(doc, "tlv_area",
		json_pack("{s:o,s:i,s:I,s:i,s:I}", "protected_off",
			  img->protect_tlv_size ? json_integer(img->body_end) : json_null(),
			  "protected_size", img->protect_tlv_size, "off", (json_int_t)img->tlv_off,
			  "size", img->tlv_size, "image_end", (json_int_t)img->image_end));
	json_object_set_new(doc, "tlvs", tlvs_json(in));
	json_object_set_new(doc, "hash",
		json_pack("{s:s,s:o,s:o,s:s}", "type", mcuboot_tlv_name(img->hash_type), "stored",
			  hex_json(img->hash_stored, img->hash_len), "computed",
			  hex_json(img->hash_computed, img->hash_len), "status",
			  mcuboot_check_name(in->v.hash)));
	json_object_set_new(doc, "signature",
		json_pack("{s:s?,s:b,s:s}", "type", mcuboot_sig_name(img), "pure", img->pure,
			  "status", mcuboot_check_name(in->v.signature)));
	json_object_set_new(doc, "key",
		json_pack("{s:s?,s:s?,s:s}", "tlv",
			  img->key_index < 0 ? NULL
			  : mcuboot_tlv_label(img->tlvs[img->key_index].type, label, sizeof(label)),
			  "given", mcuboot_key_desc(in->key), "status", mcuboot_check_name(in->v.key)));
	json_object_set_new(doc, "encrypted", json_boolean(img->encrypted));
	json_object_set_new(doc, "encryption", mcuboot_encryption_name(img)
			    ? json_string(mcuboot_encryption_name(img)) : json_null());
	json_object_set_new(doc, "compressed", json_boolean(img->compressed));
	json_object_set_new(doc, "trailer", !t->present ? json_null()
		: json_pack("{s:i,s:I,s:i,s:i,s:i,s:I}", "max_align", (int)t->max_align,
			    "magic_off", (json_int_t)t->magic_off, "image_ok", t->image_ok,
			    "copy_done", t->copy_done, "swap_info", t->swap_info, "slot_size",
			    (json_int_t)img->size));
	json_object_set_new(doc, "trailing_bytes", json_integer((json_int_t)img->trailing_bytes));
	return doc;
}

static json_t *info_json(const struct info *in)
{
	const struct mcuboot_err *e = failure(in);
	json_t *doc = json_object();
	char ver[48];

	json_object_set_new(doc, "file", json_string(in->path));
	if (in->file.data) {
		json_object_set_new(doc, "file_size", json_integer((json_int_t)in->file.file_size));
		json_object_set_new(doc, "file_sha256", hex_json(in->file.file_sha256, 32));
		json_object_set_new(doc, "format", json_string(in->file.from_hex ? "ihex" : "bin"));
		if (in->file.from_hex)
			json_object_set_new(doc, "hex_base_addr", json_integer(in->file.hex_base));
		json_object_set_new(doc, "size", json_integer((json_int_t)in->file.len));
		json_object_set_new(doc, "upload_sha256", hex_json(in->img.data_sha256, 32));
	}
	json_object_set_new(doc, "verdict", json_string(verdict_of(in)));
	if (e)
		json_object_set_new(doc, "error", json_pack("{s:s,s:s}", "kind",
							    mcuboot_err_name(e->kind), "message",
							    e->msg));
	if (in->img.have_header) {
		json_object_set_new(doc, "header", header_json(&in->img));
		mcuboot_version_format(&in->img.version, ver, sizeof(ver));
		json_object_set_new(doc, "version", json_string(ver));
	}
	return in->parsed ? checks_json(doc, in) : doc;
}

/* ---- the command ---- */

static int load(struct cli_ctx *ctx, struct info *in)
{
	struct mcuboot_err err;

	if (in->key_path && mcuboot_key_load_file(in->key_path, &in->key, &err))
		return cli_fail(ctx, err.kind == MCUBOOT_ERR_IO ? EXIT_LOCAL : EXIT_USAGE,
				"%s: %s", in->key_path, err.msg);
	if (mcuboot_load_file(in->path, &in->file, &in->err)) {
		if (in->err.kind != MCUBOOT_ERR_BAD_HEX)
			return cli_fail(ctx, exit_for(in->err.kind), "%s: %s", in->path,
					in->err.msg);
		return EXIT_IMAGE;	/* reported with the rest */
	}
	in->parsed = mcuboot_parse(in->file.data, in->file.len, &in->img, &in->err) == 0;
	if (in->parsed)
		mcuboot_verify(&in->img, in->file.data, in->file.len, in->key, &in->v);
	return EXIT_OK;
}

int cmd_image_info(struct cli_ctx *ctx, int argc, char **argv)
{
	struct info in;
	const struct mcuboot_err *e;
	int rc;

	memset(&in, 0, sizeof(in));
	rc = parse_args(ctx, argc, argv, &in);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	rc = load(ctx, &in);
	if (rc == EXIT_OK || in.err.kind == MCUBOOT_ERR_BAD_HEX) {
		if (ctx->opts.json)
			cli_print_json(ctx, info_json(&in));
		else if (in.file.data)
			show_human(ctx, &in);
		e = failure(&in);
		if (e)
			rc = cli_fail(ctx, exit_for(e->kind), "%s: %s", in.path, e->msg);
	}
	mcuboot_key_free(in.key);
	mcuboot_file_free(&in.file);
	return rc;
}
