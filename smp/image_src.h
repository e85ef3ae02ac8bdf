/* Where an image's bytes come from: a read callback, so that a device
 * that streams an image from external flash (Zephyr: flash_area_read())
 * never holds it in RAM. A buffer in memory is one such source. */
#ifndef SMP_IMAGE_SRC_H
#define SMP_IMAGE_SRC_H

#include <stddef.h>
#include <stdint.h>

struct smp_image_src {
	/* Reads len bytes at off (off + len <= size) into buf: 0 on
	 * success, -1 on failure. */
	int (*read)(void *ctx, uint32_t off, uint8_t *buf, size_t len);
	void *ctx;
	uint32_t size; /* bytes in the image file */
};

/* A source over a buffer; mem must outlive src. */
struct smp_mem_image {
	const uint8_t *data;
	size_t len;
};
void smp_image_src_mem(struct smp_image_src *src, struct smp_mem_image *mem, const uint8_t *data,
		       size_t len);

#endif
