/* A small printf-style formatter for the core's messages, so the core
 * needs no stdio. It knows what those messages use: %d %i %u %x %X %c %s
 * %%, the flags '-' and '0', a width and a precision (a number or '*'),
 * and the lengths hh, h, l, ll, z. No floating point. Like snprintf it
 * always terminates (when cap > 0) and returns the length the whole
 * output would have had. */
#ifndef SMP_FMT_H
#define SMP_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* Marks a function as printf-like: argument f is the format, a the first
 * argument it formats. On its own line before a definition; .clang-format
 * lists it as a statement macro so that it stays there. */
#define SMP_PRINTF(f, a) __attribute__((format(printf, f, a)))

int smp_fmt(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int smp_vfmt(char *buf, size_t cap, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

#endif
