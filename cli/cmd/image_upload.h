/* Uploading a verified image to a device: the part of `image upload`
 * that `upgrade` shares. */
#ifndef CLI_IMAGE_UPLOAD_H
#define CLI_IMAGE_UPLOAD_H

#include "cli/image_file.h"
#include "smp/image_upload.h"

struct cli_upload_opts {
	int image;	  /* image number, < 0: not sent (image 0) */
	bool upgrade;	  /* device refuses a version not newer */
	bool force;	  /* upload even if the device has this image */
	size_t chunk_max; /* 0: as large as the device takes */
};

/* What image upload's options give. */
struct cli_upload_args {
	struct cli_upload_opts o;
	const char *key; /* check the signature with this public key */
};

/* image upload's options. */
extern const struct cli_option cli_upload_options[];

struct cli_upload_report {
	bool skipped; /* the device already had the image */
	const char *skip_reason;
	struct smp_upload_result result;
	double seconds;
	size_t window;
	size_t packet_max;
};

/* Uploads ci to the connected device. Reports failures on stderr and
 * returns the exit code. */
int cli_upload(struct cli_ctx *ctx, const struct cli_image *ci, const struct cli_upload_opts *o,
	       struct cli_upload_report *rep);

int cmd_image_upload(struct cli_ctx *ctx, int argc, char **argv);

#endif
