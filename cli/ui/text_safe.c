#include "cli/ui/text_safe.h"

#include <stdint.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 when the
 * first byte starts none: overlong forms, surrogates and code points past
 * U+10FFFF are invalid (RFC 3629 section 4). *cp gets the code point. */
static size_t utf8_seq(const uint8_t *s, size_t n, uint32_t *cp)
{
	static const struct {
		uint8_t mask, lead;
		uint32_t min;
	} forms[] = { { 0xe0, 0xc0, 0x80 }, { 0xf0, 0xe0, 0x800 }, { 0xf8, 0xf0, 0x10000 } };
	size_t len, i;
	uint32_t c;

	for (len = 0; len < 3; len++)
		if ((s[0] & forms[len].mask) == forms[len].lead)
			break;
	if (len == 3 || n < len + 2)
		return 0;
	c = s[0] & (uint8_t)~forms[len].mask;
	for (i = 1; i <= len + 1; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < forms[len].min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len + 2;
}

/* The next piece of s: either up to n plain bytes to copy as they are, or
 * one escape written to esc. Returns bytes of s consumed; *plain says which. */
static size_t next_piece(const uint8_t *s, size_t n, unsigned flags, char esc[8], bool *plain)
{
	size_t i = 0, seq;
	uint32_t cp;

	while (i < n) {
		uint8_t c = s[i];

		if (c >= 0x20 && c < 0x7f) {
			i++;
			continue;
		}
		if ((flags & TEXT_SAFE_LINES) && (c == '\n' || c == '\t')) {
			i++;
			continue;
		}
		if (c >= 0x80 && (seq = utf8_seq(s + i, n - i, &cp)) != 0 && cp >= 0xa0) {
			i += seq;
			continue;
		}
		break;
	}
	*plain = i > 0;
	if (i > 0)
		return i;
	if (s[0] >= 0x80 && (seq = utf8_seq(s, n, &cp)) != 0) {
		snprintf(esc, 8, "\\u%04x", (unsigned)cp); /* a C1 control */
		return seq;
	}
	snprintf(esc, 8, "\\x%02x", s[0]);
	return 1;
}

void text_safe_write(FILE *f, const char *s, size_t len, unsigned flags)
{
	const uint8_t *p = (const uint8_t *)s;
	char esc[8];
	bool plain;

	while (len > 0) {
		size_t used = next_piece(p, len, flags, esc, &plain);

		if (plain)
			fwrite(p, 1, used, f);
		else
			fputs(esc, f);
		p += used;
		len -= used;
	}
}

void text_safe_puts(FILE *f, const char *s, unsigned flags)
{
	if (s)
		text_safe_write(f, s, strlen(s), flags);
}

const char *text_safe_str(char *out, size_t cap, const char *s)
{
	const uint8_t *p = (const uint8_t *)(s ? s : "");
	size_t len = strlen((const char *)p), n = 0;
	char esc[8];
	bool plain;

	out[0] = 0;
	if (cap < 4)
		return out;
	while (len > 0) {
		size_t used = next_piece(p, len, TEXT_SAFE_LINE, esc, &plain);
		size_t add = plain ? used : strlen(esc);

		if (n + add + 4 > cap) {
			/* As much as fits, cut between characters, then "...". */
			add = plain ? cap - 4 - n : 0;
			while (add > 0 && (p[add] & 0xc0) == 0x80)
				add--;
			memcpy(out + n, p, add);
			memcpy(out + n + add, "...", 4);
			return out;
		}
		memcpy(out + n, plain ? (const char *)p : esc, add);
		n += add;
		out[n] = 0;
		p += used;
		len -= used;
	}
	return out;
}
