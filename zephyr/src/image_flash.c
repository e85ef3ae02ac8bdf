/* The image to send, read from a flash partition in the pieces the core
 * asks for (the image check hashes 256 bytes at a time, the upload reads
 * one chunk), so the image is never held in RAM. */
#include <zephyr/storage/flash_map.h>

#include "smpctl_zephyr.h"

static int flash_read(void *ctx, uint32_t off, uint8_t *buf, size_t len)
{
	const struct flash_area *fa = ctx;

	return flash_area_read(fa, (off_t)off, buf, len) == 0 ? 0 : -1;
}

void smpctl_image_src_flash(struct smp_image_src *src, const struct flash_area *fa, uint32_t size)
{
	src->read = flash_read;
	/* the source's context is not const: it is the read callback's */
	src->ctx = (void *)fa;
	src->size = size;
}
