/* Device text (and text from files such as bundle manifests) made safe for a
 * terminal: an rsn, a task name or shell output can hold escape sequences
 * that retitle the terminal, move the cursor or worse. Control characters
 * (C0, DEL, and C1 written as UTF-8) become \xNN or \u00NN, and bytes that
 * are not valid UTF-8 become \xNN; everything else passes unchanged. JSON
 * output does not need this: jansson escapes it. */
#ifndef CLI_TEXT_SAFE_H
#define CLI_TEXT_SAFE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum text_safe_flags {
	TEXT_SAFE_LINE = 0,  /* one line: newlines and tabs escaped too */
	TEXT_SAFE_LINES = 1, /* keeps \n and \t, for multi-line output */
};

/* Writes len bytes of s to f, escaped. */
void text_safe_write(FILE *f, const char *s, size_t len, unsigned flags);
void text_safe_puts(FILE *f, const char *s, unsigned flags);

/* Escapes NUL-terminated s (NULL: "") into out (cap > 0), one line; a text
 * that does not fit ends in "...". Returns out. */
const char *text_safe_str(char *out, size_t cap, const char *s);

/* For one argument of a printf: SAFE(name) is an escaped copy of name in a
 * buffer that lives until the end of the enclosing block. */
#define TEXT_SAFE_CAP 512
#define SAFE(s) text_safe_str((char[TEXT_SAFE_CAP]){ 0 }, TEXT_SAFE_CAP, (s))

#endif
