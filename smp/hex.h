/* Hexadecimal text, for hashes on the command line and in files. */
#ifndef SMP_HEX_H
#define SMP_HEX_H

#include <stddef.h>
#include <stdint.h>

/* Lower-case hex of len bytes into out (2 * len + 1 bytes). */
void smp_hex_encode(const uint8_t *buf, size_t len, char *out);
/* The value of one hex digit, or -1. */
int smp_hex_nibble(char c);
/* The byte two hex digits at s spell, or -1 (s[1] is read only when s[0]
 * is a digit, so a string may end after s[0]). */
int smp_hex_byte(const char *s);
/* Parses an even-length hex string; returns the byte count or -1. */
long smp_hex_decode(const char *hex, uint8_t *out, size_t cap);

#endif
