/* An nRF Connect SDK update bundle, through host/nrf_zip.h's public
 * functions only (whatever reads the zip underneath), then each image it
 * names through the MCUboot parser, as image info and upgrade do. */
#include <stdlib.h>
#include <string.h>

#include "host/nrf_zip.h"
#include "host/mcuboot.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mcuboot_image img;
	struct nrf_zip_bundle b;
	struct mcuboot_err err;
	uint8_t *copy;

	nrf_zip_detect(data, size);
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	memset(&b, 0, sizeof(b));
	if (nrf_zip_parse(copy, size, &b, &err) != 0)
		return 0; /* the parser owns copy either way */
	for (size_t i = 0; i < b.nimages; i++) {
		const struct nrf_zip_image *z = &b.images[i];

		if (nrf_zip_find(&b, z->image_index) == NULL)
			abort(); /* every listed image can be found */
		mcuboot_parse(z->data, z->len, &img, &err);
	}
	nrf_zip_free(&b);
	return 0;
}
