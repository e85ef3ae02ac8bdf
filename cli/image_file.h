/* An image file as the device commands need it: loaded (binary or Intel
 * HEX), parsed and verified before anything touches the device. */
#ifndef CLI_IMAGE_FILE_H
#define CLI_IMAGE_FILE_H

#include "cli/cli.h"
#include "host/mcuboot.h"

struct cli_image {
	const char *path;
	struct mcuboot_file file;
	struct mcuboot_image img;
	struct mcuboot_verdict verdict;
};

/* Loads and verifies path (and its signature against key_path, if given).
 * Reports what is wrong on stderr; returns EXIT_OK, EXIT_IMAGE or
 * EXIT_LOCAL. On failure nothing needs freeing. */
int cli_image_load(struct cli_ctx *ctx, const char *path, const char *key_path,
		   struct cli_image *ci);
/* The same for an image already in memory (a bundle entry), copied. */
int cli_image_from_buffer(struct cli_ctx *ctx, const char *label, const uint8_t *data, size_t len,
			  const char *key_path, struct cli_image *ci);
void cli_image_free(struct cli_image *ci);

/* --require-signature's refusal of a verdict whose signature was not
 * checked (unsigned, or no --key), or NULL. */
const char *cli_image_unchecked_signature(const struct cli_opts *o,
					  const struct mcuboot_verdict *v);
/* Encrypted, everything else fine: only the device's private key can tell
 * whether it decrypts to its hash ("undecidable-without-device-key"). */
bool cli_verdict_undecidable(const struct mcuboot_verdict *v);

/* True if arg names an existing file rather than a hex hash. */
bool cli_is_file_arg(const char *arg);
/* Resolves HASH|FILE to the image hash the device reports. Returns
 * EXIT_OK, or reports and returns the error. */
int cli_hash_arg(struct cli_ctx *ctx, const char *arg, uint8_t *hash, size_t *hash_len);

#endif
