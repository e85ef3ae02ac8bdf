#include "smp/hex.h"

#include <string.h>

void smp_hex_encode(const uint8_t *buf, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[buf[i] >> 4];
		out[2 * i + 1] = digits[buf[i] & 0xf];
	}
	out[2 * len] = 0;
}

int smp_hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int smp_hex_byte(const char *s)
{
	int hi = smp_hex_nibble(s[0]), lo = hi < 0 ? -1 : smp_hex_nibble(s[1]);

	return lo < 0 ? -1 : hi << 4 | lo;
}

long smp_hex_decode(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = strlen(hex), i;

	if (n % 2 || n / 2 > cap)
		return -1;
	for (i = 0; i < n / 2; i++) {
		int b = smp_hex_byte(hex + 2 * i);

		if (b < 0)
			return -1;
		out[i] = (uint8_t)b;
	}
	return (long)(n / 2);
}
