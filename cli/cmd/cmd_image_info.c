/* smpctl image info FILE [--key PUB.pem]: everything about an MCUboot
 * image file, offline: header, version, flags, every TLV, hash, signature,
 * key, slot trailer. FILE may be a binary, Intel HEX, or an nRF Connect SDK
 * bundle (dfu_application.zip), whose images are each shown and checked.
 *
 * Exit: 0 valid or hash-ok (every image of a bundle); 8
 * (EXIT_UNDECIDABLE) undecidable-without-device-key (encrypted: only the
 * device's private key can tell); 5
 * (EXIT_IMAGE) broken image or bundle; 6 (EXIT_LOCAL) unreadable file; 2
 * (EXIT_USAGE) bad arguments or a key file that is not a key. Why it failed:
 * one line "smpctl: FILE: why" on stderr.
 *
 * --json document (stable field names):
 *   file            the path given
 *   file_size       bytes on disk
 *   file_sha256     SHA-256 of the file on disk (hex)
 *   format          "bin", "ihex" or "nrf-zip"
 *   hex_base_addr   lowest address of the HEX data (ihex only)
 *   verdict         "valid" (hash and signature checked, or an unsigned
 *                   image whose hash is right), "hash-ok" (signed, no
 *                   --key: hash ok, signature not checked),
 *                   "undecidable-without-device-key" (encrypted, the rest
 *                   fine), or what the device's MCUboot (--mcuboot, Zephyr's
 *                   default build unless told) would refuse it for:
 *                   "needs-mcuboot-build" (the message names the Kconfig
 *                   option), "non-bootable", "signature-not-checked"
 *                   (--require-signature), "bad-hash",
 *                   "bad-signature", "key-mismatch", "unsigned",
 *                   "bad-magic", "truncated", "malformed",
 *                   "tlv-not-allowed" (an unprotected TLV off MCUboot's
 *                   allow list; --no-tlv-allow-list lifts it),
 *                   "bad-encryption", "unsupported"
 *   error           {kind, message} when not valid; kind is a stable name
 *                   such as "hash-mismatch", "truncated-tlv-area", "bad-hex"
 * then, for bin and ihex, the image's own fields (below) in the same
 * object; for nrf-zip:
 *   bundle          {format_version, name}
 *   images          [{image_index, file, board, manifest_version,
 *                     load_address, slot_primary, slot_secondary (null when
 *                     the manifest has none), then the image's fields}]
 * An image's fields (header on once the magic is right, the rest once
 * the whole layout parsed):
 *   size            bytes of the binary image
 *   upload_sha256   SHA-256 of those bytes: what an upload's "sha" carries
 *   verdict, error  as above, for this image
 *   header          {magic, load_addr, hdr_size, protect_tlv_size, img_size,
 *                    flags, flag_names: [...], unknown_flags}
 *   version         "major.minor.revision+build"
 *   tlv_area        {protected_off (null if none), protected_size, off, size,
 *                    image_end}
 *   tlvs            [{type, name (null if unknown), len, off (of the value),
 *                     protected, value (hex), desc (a reading, if any)}]
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
#include "cli/cmd/cmd_image_info.h"

#include <stdlib.h>
#include <string.h>

#include "cli/cmd/commands.h"
#include "cli/cmd/image_info.h"
#include "cli/image_file.h"

#define USAGE "smpctl image info FILE [--key PUB.pem]"

static int parse_args(struct cli_ctx *ctx, int argc, char **argv, struct image_info *in)
{
	bool opts_done = false;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!opts_done && (!strcmp(a, "--key") || !strcmp(a, "-k"))) {
			if (++i == argc)
				return cli_fail(ctx, EXIT_USAGE,
						"image info: %s needs a key file (usage: " USAGE
						")",
						a);
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
		return cli_fail(ctx, EXIT_USAGE,
				"image info: no image file given (usage: " USAGE ")");
	return EXIT_OK;
}

static int exit_for(enum mcuboot_err_kind kind)
{
	return kind == MCUBOOT_ERR_IO || kind == MCUBOOT_ERR_NOMEM || kind == MCUBOOT_ERR_CRYPTO
		       ? EXIT_LOCAL
		       : EXIT_IMAGE;
}

/* ---- the command ---- */

/* --require-signature makes "signature not checked" a failure like the
 * others, so the text, the JSON and the exit code all say it. */
static void check_view(struct cli_ctx *ctx, struct image_info *in, struct image_view *w,
		       const uint8_t *data, size_t len)
{
	const char *unchecked;

	w->data = data;
	w->len = len;
	w->parsed = mcuboot_parse(data, len, &w->img, &w->err) == 0;
	if (!w->parsed)
		return;
	mcuboot_verify_with(&w->img, data, len, in->key, &in->verify_opts, &w->v);
	unchecked = cli_image_unchecked_signature(&ctx->opts, &w->v);
	if (unchecked) {
		w->v.status = MCUBOOT_INVALID;
		mcuboot_fail(&w->v.err, MCUBOOT_ERR_SIG_UNCHECKED, "%s", unchecked);
	}
}

/* Reads the key and the file; bad HEX or a bad bundle are reported with
 * the rest (load_failed), an unreadable file or key here. */
static int load(struct cli_ctx *ctx, struct image_info *in)
{
	struct mcuboot_err err;
	size_t i;

	if (in->key_path && mcuboot_key_load_file(in->key_path, &in->key, &err))
		return cli_fail(ctx, err.kind == MCUBOOT_ERR_IO ? EXIT_LOCAL : EXIT_USAGE, "%s: %s",
				in->key_path, err.msg);
	if (mcuboot_load_file(in->path, &in->file, &err)) {
		if (err.kind != MCUBOOT_ERR_BAD_HEX)
			return cli_fail(ctx, exit_for(err.kind), "%s: %s", in->path, err.msg);
		in->load_err = err;
		in->load_failed = true;
		return EXIT_OK;
	}
	if (in->file.from_hex || !nrf_zip_detect(in->file.data, in->file.len)) {
		in->nviews = 1;
		check_view(ctx, in, &in->views[0], in->file.data, in->file.len);
		return EXIT_OK;
	}
	in->is_bundle = true;
	/* The bundle takes the buffer over. */
	if (nrf_zip_parse(in->file.data, in->file.len, &in->bundle, &in->load_err)) {
		in->file.data = NULL;
		in->load_failed = true;
		return EXIT_OK;
	}
	in->file.data = NULL;
	for (i = 0; i < in->bundle.nimages; i++) {
		in->views[i].entry = &in->bundle.images[i];
		check_view(ctx, in, &in->views[i], in->bundle.images[i].data,
			   in->bundle.images[i].len);
	}
	in->nviews = in->bundle.nimages;
	return EXIT_OK;
}

/* Encrypted images whose checkable parts pass: only the device, with its
 * private key, can tell whether they decrypt to their hash. */
static int report_undecidable(struct cli_ctx *ctx, const struct image_info *in)
{
	size_t i;

	for (i = 0; i < in->nviews; i++)
		if (in->views[i].parsed && cli_verdict_undecidable(&in->views[i].v))
			return cli_fail(ctx, EXIT_UNDECIDABLE,
					"%s: undecidable without the device's private key: the "
					"image is encrypted and its hash covers the plaintext",
					in->path);
	return EXIT_OK;
}

static int report_failure(struct cli_ctx *ctx, const struct image_info *in)
{
	const struct image_view *bad = image_info_failing(in);
	const struct mcuboot_err *e;

	if (in->load_failed)
		return cli_fail(ctx, exit_for(in->load_err.kind), "%s: %s", in->path,
				in->load_err.msg);
	if (!bad)
		return report_undecidable(ctx, in);
	e = image_view_failure(bad);
	if (bad->entry)
		return cli_fail(ctx, exit_for(e->kind), "%s: image %d (%s): %s", in->path,
				bad->entry->image_index, bad->entry->file, e->msg);
	return cli_fail(ctx, exit_for(e->kind), "%s: %s", in->path, e->msg);
}

int cmd_image_info(struct cli_ctx *ctx, int argc, char **argv)
{
	struct image_info *in = calloc(1, sizeof(*in));
	int rc;

	if (!in)
		return cli_fail(ctx, EXIT_LOCAL, "out of memory");
	rc = parse_args(ctx, argc, argv, in);
	if (rc) {
		free(in);
		return rc < 0 ? EXIT_OK : rc;
	}
	in->verify_opts = ctx->opts.mcuboot;
	rc = load(ctx, in);
	if (rc == EXIT_OK) {
		if (ctx->opts.json)
			cli_print_json(ctx, image_info_json(in));
		else
			image_info_show(ctx->out, in);
		rc = report_failure(ctx, in);
	}
	mcuboot_key_free(in->key);
	mcuboot_file_free(&in->file);
	nrf_zip_free(&in->bundle);
	free(in);
	return rc;
}
