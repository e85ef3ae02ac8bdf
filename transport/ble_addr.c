#include "transport/ble_opts.h"

#include <string.h>

#include "smp/hex.h"

bool ble_parse_address(const char *text, uint8_t out[6])
{
	uint8_t a[6];
	int i;

	if (!text || strlen(text) != 17)
		return false;
	for (i = 0; i < 6; i++) {
		int hi = smp_hex_nibble(text[3 * i]), lo = smp_hex_nibble(text[3 * i + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && text[3 * i + 2] != ':'))
			return false;
		a[i] = (uint8_t)(hi << 4 | lo);
	}
	if (out)
		memcpy(out, a, 6);
	return true;
}
