#include "smp/fmt.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct out {
	char *buf;
	size_t cap;
	size_t len; /* as if cap were unlimited */
};

struct spec {
	bool left, zero;
	int width;
	int prec; /* -1: none */
	int size; /* 'H' hh, 'h', 'l', 'L' ll, 'z' */
	char conv;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->cap)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

/* body of n chars, after an optional sign, padded to the width */
static void emit(struct out *o, const struct spec *s, const char *sign, const char *body, size_t n)
{
	int total = (int)(n + strlen(sign));
	int fill = s->width > total ? s->width - total : 0;

	if (!s->left && !s->zero)
		pad(o, ' ', fill);
	while (*sign)
		put(o, *sign++);
	if (!s->left && s->zero)
		pad(o, '0', fill);
	for (size_t i = 0; i < n; i++)
		put(o, body[i]);
	if (s->left)
		pad(o, ' ', fill);
}

static void emit_uint(struct out *o, const struct spec *s, const char *sign, unsigned long long v)
{
	static const char lower[] = "0123456789abcdef", upper[] = "0123456789ABCDEF";
	const char *digits = s->conv == 'X' ? upper : lower;
	unsigned base = s->conv == 'x' || s->conv == 'X' ? 16 : 10;
	char tmp[24];
	size_t n = sizeof(tmp);

	do {
		tmp[--n] = digits[v % base];
		v /= base;
	} while (v);
	emit(o, s, sign, tmp + n, sizeof(tmp) - n);
}

static unsigned long long arg_uint(const struct spec *s, va_list *ap)
{
	switch (s->size) {
	case 'H':
		return (unsigned char)va_arg(*ap, unsigned);
	case 'h':
		return (unsigned short)va_arg(*ap, unsigned);
	case 'l':
		return va_arg(*ap, unsigned long);
	case 'L':
		return va_arg(*ap, unsigned long long);
	/* The check takes 'z' and default for clones: it ignores va_arg's
	 * type, and size_t is wider than unsigned on a 64-bit host.
	 * NOLINTNEXTLINE(bugprone-branch-clone) */
	case 'z':
		return va_arg(*ap, size_t);
	default:
		return va_arg(*ap, unsigned);
	}
}

static long long arg_int(const struct spec *s, va_list *ap)
{
	switch (s->size) {
	case 'H':
		return (signed char)va_arg(*ap, int);
	case 'h':
		return (short)va_arg(*ap, int);
	case 'l':
		return va_arg(*ap, long);
	case 'L':
		return va_arg(*ap, long long);
	case 'z':
		return (long long)va_arg(*ap, size_t);
	default:
		return va_arg(*ap, int);
	}
}

static void convert(struct out *o, const struct spec *s, va_list *ap)
{
	switch (s->conv) {
	case 'd':
	case 'i': {
		long long v = arg_int(s, ap);
		/* negate in unsigned arithmetic: LLONG_MIN has no positive twin */
		unsigned long long mag = v < 0 ? 0ull - (unsigned long long)v
					       : (unsigned long long)v;
		emit_uint(o, s, v < 0 ? "-" : "", mag);
		break;
	}
	case 'u':
	case 'x':
	case 'X':
		emit_uint(o, s, "", arg_uint(s, ap));
		break;
	case 'c': {
		char c = (char)va_arg(*ap, int);
		emit(o, s, "", &c, 1);
		break;
	}
	case 's': {
		const char *str = va_arg(*ap, const char *);
		size_t n = 0;

		if (!str)
			str = "(null)";
		while (str[n] && (s->prec < 0 || n < (size_t)s->prec))
			n++;
		emit(o, s, "", str, n);
		break;
	}
	default: /* '%' and anything unknown: shown as written */
		put(o, s->conv);
		break;
	}
}

static const char *parse_num(const char *f, int *out, va_list *ap)
{
	if (*f == '*') {
		*out = va_arg(*ap, int);
		return f + 1;
	}
	*out = 0;
	while (*f >= '0' && *f <= '9')
		*out = *out * 10 + (*f++ - '0');
	return f;
}

static const char *parse_spec(const char *f, struct spec *s, va_list *ap)
{
	memset(s, 0, sizeof(*s));
	s->prec = -1;
	for (;; f++) {
		if (*f == '-')
			s->left = true;
		else if (*f == '0')
			s->zero = true;
		else
			break;
	}
	f = parse_num(f, &s->width, ap);
	if (s->width < 0) {
		s->left = true;
		s->width = -s->width;
	}
	if (*f == '.')
		f = parse_num(f + 1, &s->prec, ap);
	if (*f == 'h' || *f == 'l') {
		s->size = (unsigned char)*f++;
		if (*f == s->size) {
			s->size = s->size == 'h' ? 'H' : 'L';
			f++;
		}
	} else if (*f == 'z') {
		s->size = (unsigned char)*f++;
	}
	s->conv = (char)(*f ? *f++ : '%');
	return f;
}

int smp_vfmt(char *buf, size_t cap, const char *fmt, va_list ap)
{
	struct out o = { buf, cap, 0 };
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		struct spec s;

		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &s, &args);
		convert(&o, &s, &args);
	}
	va_end(args);
	if (cap)
		buf[o.len < cap ? o.len : cap - 1] = '\0';
	return o.len > INT32_MAX ? INT32_MAX : (int)o.len;
}

int smp_fmt(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = smp_vfmt(buf, cap, fmt, ap);
	va_end(ap);
	return n;
}
