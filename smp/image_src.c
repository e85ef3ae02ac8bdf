#include "smp/image_src.h"

#include <string.h>

static int mem_read(void *ctx, uint32_t off, uint8_t *buf, size_t len)
{
	const struct smp_mem_image *m = ctx;

	if (off > m->len || len > m->len - off)
		return -1;
	memcpy(buf, m->data + off, len);
	return 0;
}

void smp_image_src_mem(struct smp_image_src *src, struct smp_mem_image *mem, const uint8_t *data,
		       size_t len)
{
	mem->data = data;
	/* an image file is at most 4 GiB: MCUboot's sizes are 32-bit */
	mem->len = len > UINT32_MAX ? UINT32_MAX : len;
	src->read = mem_read;
	src->ctx = mem;
	src->size = (uint32_t)mem->len;
}
