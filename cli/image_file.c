#include "cli/image_file.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "smp/hex.h"

const char *cli_image_unchecked_signature(const struct cli_opts *o, const struct mcuboot_verdict *v)
{
	if (!o->require_signature || v->status == MCUBOOT_INVALID)
		return NULL;
	if (v->signature == MCUBOOT_CHECK_ABSENT)
		return "the image is not signed, and --require-signature is set";
	if (v->signature == MCUBOOT_CHECK_SKIPPED)
		return "the signature was not checked (no --key), and --require-signature is set";
	return NULL;
}

bool cli_verdict_undecidable(const struct mcuboot_verdict *v)
{
	return v->status == MCUBOOT_VALID_ENCRYPTED || v->status == MCUBOOT_ENCRYPTED_UNCHECKED;
}

/* Parses and verifies ci->file against the build in opts; frees it on
 * failure. What needs the device's private key is the device's to decide:
 * said once on stderr, and the command goes on. */
static int check_image(struct cli_ctx *ctx, const char *path, const char *key_path,
		       const struct mcuboot_verify_opts *opts, struct cli_image *ci)
{
	struct mcuboot_key *key = NULL;
	struct mcuboot_err err;
	const char *unchecked;
	int rc = EXIT_OK;

	if (mcuboot_parse(ci->file.data, ci->file.len, &ci->img, &err) != 0) {
		/* A zip here is nearly always the build's dfu_application.zip:
		 * upgrade is the command that takes it. */
		if (ci->file.len >= 4 && !memcmp(ci->file.data, "PK\3\4", 4))
			rc = cli_fail(ctx, EXIT_IMAGE,
				      "%s: a zip file (an nRF Connect SDK bundle?), "
				      "not an MCUboot image: 'smpctl upgrade %s' takes a bundle",
				      path, path);
		else
			rc = cli_fail(ctx, EXIT_IMAGE, "%s: %s", path, err.msg);
		goto fail;
	}
	if (key_path && mcuboot_key_load_file(key_path, &key, &err) != 0) {
		rc = cli_fail(ctx, err.kind == MCUBOOT_ERR_IO ? EXIT_LOCAL : EXIT_USAGE, "%s: %s",
			      key_path, err.msg);
		goto fail;
	}
	if (mcuboot_verify_with(&ci->img, ci->file.data, ci->file.len, key, opts, &ci->verdict) !=
	    0) {
		rc = cli_fail(ctx, EXIT_IMAGE, "%s: %s", path, ci->verdict.err.msg);
		goto fail;
	}
	unchecked = cli_image_unchecked_signature(&ctx->opts, &ci->verdict);
	if (unchecked) {
		rc = cli_fail(ctx, EXIT_IMAGE, "%s: %s", path, unchecked);
		goto fail;
	}
	if (cli_verdict_undecidable(&ci->verdict))
		fprintf(ctx->err,
			"smpctl: %s: encrypted: whether it decrypts to its hash only "
			"the device's private key can tell (undecidable-without-device-key)\n",
			path);
	mcuboot_key_free(key);
	return EXIT_OK;
fail:
	mcuboot_key_free(key);
	mcuboot_file_free(&ci->file);
	memset(ci, 0, sizeof(*ci));
	return rc;
}

int cli_image_load(struct cli_ctx *ctx, const char *path, const char *key_path,
		   struct cli_image *ci)
{
	struct mcuboot_err err;

	memset(ci, 0, sizeof(*ci));
	ci->path = path;
	if (mcuboot_load_file(path, &ci->file, &err) != 0)
		return cli_fail(ctx, err.kind == MCUBOOT_ERR_BAD_HEX ? EXIT_IMAGE : EXIT_LOCAL,
				"%s: %s", path, err.msg);
	return check_image(ctx, path, key_path, &ctx->opts.mcuboot, ci);
}

int cli_image_from_buffer(struct cli_ctx *ctx, const char *label, const uint8_t *data, size_t len,
			  const char *key_path, struct cli_image *ci)
{
	memset(ci, 0, sizeof(*ci));
	ci->path = label;
	ci->file.data = malloc(len ? len : 1);
	if (!ci->file.data)
		return cli_fail(ctx, EXIT_LOCAL, "out of memory");
	memcpy(ci->file.data, data, len);
	ci->file.len = len;
	ci->file.file_size = len;
	mcuboot_sha256(data, len, ci->file.file_sha256);
	return check_image(ctx, label, key_path, &ctx->opts.mcuboot, ci);
}

void cli_image_free(struct cli_image *ci)
{
	mcuboot_file_free(&ci->file);
	memset(ci, 0, sizeof(*ci));
}

bool cli_is_file_arg(const char *arg)
{
	struct stat st;

	return stat(arg, &st) == 0;
}

int cli_hash_arg(struct cli_ctx *ctx, const char *arg, uint8_t *hash, size_t *hash_len)
{
	static const struct mcuboot_verify_opts any_build = { .any_build = true };
	struct mcuboot_err err;
	struct cli_image ci;
	long n;
	int rc;

	if (cli_is_file_arg(arg)) {
		/* Only its hash is wanted: whatever the device's build says of
		 * the image, the device answers for its hash. */
		memset(&ci, 0, sizeof(ci));
		ci.path = arg;
		if (mcuboot_load_file(arg, &ci.file, &err) != 0)
			return cli_fail(ctx,
					err.kind == MCUBOOT_ERR_BAD_HEX ? EXIT_IMAGE : EXIT_LOCAL,
					"%s: %s", arg, err.msg);
		rc = check_image(ctx, arg, NULL, &any_build, &ci);
		if (rc != EXIT_OK)
			return rc;
		memcpy(hash, ci.img.hash_stored, ci.img.hash_len);
		*hash_len = ci.img.hash_len;
		cli_image_free(&ci);
		return EXIT_OK;
	}
	n = smp_hex_decode(arg, hash, SMP_MCUBOOT_HASH_MAX);
	if (n != 32 && n != 48 && n != 64)
		return cli_fail(ctx, EXIT_USAGE,
				"'%s' is neither an image file nor a 64, 96 or 128-digit hex hash",
				arg);
	*hash_len = (size_t)n;
	return EXIT_OK;
}
