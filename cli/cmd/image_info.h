/* Shared by the image info files: one image file (or bundle) and what
 * the checks found in it. Verdicts: image_info_verdict.c; rendering:
 * image_info_text.c (human) and image_info_json.c (--json); the command:
 * cmd_image_info.c. */
#ifndef CLI_IMAGE_INFO_H
#define CLI_IMAGE_INFO_H

#include <stdio.h>
#include <jansson.h>

#include "host/mcuboot.h"
#include "host/nrf_zip.h"

/* One image and what the checks found. */
struct image_view {
	const uint8_t *data;
	size_t len;
	const struct nrf_zip_image *entry; /* in a bundle, else NULL */
	struct mcuboot_image img;
	struct mcuboot_err err; /* parse failure */
	bool parsed;
	struct mcuboot_verdict v;
};

struct image_info {
	const char *path;
	const char *key_path;
	struct mcuboot_key *key;
	struct mcuboot_verify_opts verify_opts;
	struct mcuboot_file file;
	struct nrf_zip_bundle bundle;
	bool is_bundle;
	struct mcuboot_err load_err; /* bad HEX or bundle */
	bool load_failed;
	size_t nviews;
	struct image_view views[NRF_ZIP_MAX_IMAGES];
};

const struct mcuboot_err *image_view_failure(const struct image_view *w);
const char *image_view_verdict(const struct image_view *w);
/* The first failing image, or NULL when all are fine. */
const struct image_view *image_info_failing(const struct image_info *in);
/* The first failure's verdict class, else the least checked image's
 * ("valid", "valid-encrypted", "hash-ok", "encrypted-unchecked"). */
const char *image_info_verdict(const struct image_info *in);
/* The same for people ("hash ok, signature not checked (no --key)"). */
const char *image_info_verdict_words(const struct image_info *in);

/* Human layout on o. */
void image_info_show(FILE *o, const struct image_info *in);
/* The --json document (field names documented in cmd_image_info.c). */
json_t *image_info_json(const struct image_info *in);

#endif
