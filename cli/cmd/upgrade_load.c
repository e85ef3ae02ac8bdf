/* The files upgrade takes: one MCUboot image, or an nRF Connect SDK
 * bundle holding one image per core. */
#include <stdio.h>

#include "cli/cmd/upgrade.h"

/* A bundle gives one image per core, the network core first. */
static int load_bundle(struct upgrade *u)
{
	struct nrf_zip_bundle b;
	struct mcuboot_err err;
	size_t i, k;
	int rc = EXIT_OK;

	if (nrf_zip_load_file(u->path, &b, &err) != 0)
		return cli_fail(u->ctx, err.kind == MCUBOOT_ERR_IO ? EXIT_LOCAL : EXIT_IMAGE,
				"%s: %s", u->path, err.msg);
	u->bundle = true;
	for (k = 0; k < 2 && rc == EXIT_OK; k++)
		for (i = 0; i < b.nimages && rc == EXIT_OK; i++) {
			const struct nrf_zip_image *zi = &b.images[i];
			struct upgrade_image *im = &u->imgs[u->n];

			if ((k == 0) != (zi->image_index != 0))
				continue;
			if (u->image_opt >= 0 && zi->image_index != u->image_opt)
				continue;
			rc = cli_image_from_buffer(u->ctx, zi->file, zi->data, zi->len, u->key,
						   &im->ci);
			if (rc == EXIT_OK) {
				im->index = (unsigned)zi->image_index;
				im->loaded = true;
				u->n++;
			}
		}
	nrf_zip_free(&b);
	if (rc == EXIT_OK && u->n == 0)
		rc = cli_fail(u->ctx, EXIT_USAGE, "%s: the bundle has no image %d", u->path,
			      u->image_opt);
	return rc;
}

int upgrade_load(struct upgrade *u)
{
	uint8_t head[4];
	FILE *f = fopen(u->path, "rb");
	bool zip = f && fread(head, 1, sizeof(head), f) == sizeof(head) &&
		   nrf_zip_detect(head, sizeof(head));
	int rc;

	if (f)
		fclose(f);
	if (zip)
		return load_bundle(u);
	rc = cli_image_load(u->ctx, u->path, u->key, &u->imgs[0].ci);
	if (rc == EXIT_OK) {
		u->imgs[0].index = u->image_opt < 0 ? 0 : (unsigned)u->image_opt;
		u->imgs[0].loaded = true;
		u->n = 1;
	}
	return rc;
}
