/* Intel HEX to binary, and the detector in front of it. */
#include "host/ihex.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ihex_image img;
	struct ihex_err err;

	ihex_detect(data, size);
	if (ihex_parse((const char *)data, size, &img, &err) == 0) {
		if (img.len == 0 || img.len > IHEX_MAX_SPAN)
			__builtin_trap(); /* a success has data within the span */
		ihex_free(&img);
	} else {
		ihex_err_name(err.kind);
	}
	return 0;
}
