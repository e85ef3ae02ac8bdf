#ifndef CLI_HEX_H
#define CLI_HEX_H

#include <stddef.h>
#include <stdint.h>

/* Lower-case hex of len bytes into out (2 * len + 1 bytes). */
void hex_encode(const uint8_t *buf, size_t len, char *out);
/* Parses an even-length hex string; returns the byte count or -1. */
long hex_decode(const char *hex, uint8_t *out, size_t cap);

#endif
