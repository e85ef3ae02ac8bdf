#include "host/ihex.h"
#include "smp/bytes.h"
#include "smp/fmt.h"
#include "smp/hex.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REC_MAX 260 /* count byte 255 + 5 bytes of framing */

enum rec_type {
	REC_DATA = 0,
	REC_EOF = 1,
	REC_EXT_SEGMENT = 2,
	REC_START_SEGMENT = 3,
	REC_EXT_LINEAR = 4,
	REC_START_LINEAR = 5,
};

/* Bytes of payload each non-data record type must carry. */
static const int rec_payload_len[] = { -1, 0, 2, 4, 2, 4 };

static const char *const err_names[] = {
	[IHEX_OK] = "ok",
	[IHEX_ERR_NO_COLON] = "no-colon",
	[IHEX_ERR_BAD_DIGIT] = "bad-digit",
	[IHEX_ERR_ODD_LENGTH] = "odd-length",
	[IHEX_ERR_SHORT] = "short-record",
	[IHEX_ERR_LENGTH] = "bad-length",
	[IHEX_ERR_CHECKSUM] = "bad-checksum",
	[IHEX_ERR_RECORD_TYPE] = "bad-record-type",
	[IHEX_ERR_RECORD_SIZE] = "bad-record-size",
	[IHEX_ERR_ADDRESS] = "bad-address",
	[IHEX_ERR_OVERLAP] = "overlap",
	[IHEX_ERR_SPAN] = "span-too-large",
	[IHEX_ERR_NO_EOF] = "no-eof",
	[IHEX_ERR_NO_DATA] = "no-data",
	[IHEX_ERR_NOMEM] = "no-memory",
};

const char *ihex_err_name(enum ihex_err_kind kind)
{
	if ((size_t)kind >= sizeof(err_names) / sizeof(err_names[0]))
		return "unknown";
	return err_names[kind];
}

SMP_PRINTF(4, 5)
static int fail(struct ihex_err *err, enum ihex_err_kind kind, unsigned line, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	err->kind = kind;
	err->line = line;
	if (line)
		n = snprintf(err->msg, sizeof(err->msg), "Intel HEX line %u: ", line);
	else
		n = snprintf(err->msg, sizeof(err->msg), "Intel HEX: ");
	va_start(ap, fmt);
	vsnprintf(err->msg + n, sizeof(err->msg) - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* One decoded record: rec[0] count, rec[1..2] offset, rec[3] type,
 * rec[4..] data, then the checksum byte. */
struct record {
	uint8_t rec[REC_MAX];
	size_t n;
};

static int decode_line(const char *s, size_t len, unsigned line, struct record *r,
		       struct ihex_err *err)
{
	size_t digits = len - 1, i;
	unsigned sum = 0;

	if (s[0] != ':')
		return fail(err, IHEX_ERR_NO_COLON, line, "record does not start with ':'");
	for (i = 1; i < len; i++)
		if (smp_hex_nibble(s[i]) < 0)
			return fail(err, IHEX_ERR_BAD_DIGIT, line,
				    "character 0x%02x at column %zu is not a hex digit",
				    (unsigned char)s[i], i + 1);
	if (digits % 2)
		return fail(err, IHEX_ERR_ODD_LENGTH, line, "odd number of hex digits (%zu)",
			    digits);
	r->n = digits / 2;
	if (r->n < 5)
		return fail(err, IHEX_ERR_SHORT, line, "record of %zu bytes is shorter than 5",
			    r->n);
	if (r->n > REC_MAX)
		return fail(err, IHEX_ERR_LENGTH, line, "record of %zu bytes is too long", r->n);
	for (i = 0; i < r->n; i++) {
		r->rec[i] = (uint8_t)smp_hex_byte(s + 1 + 2 * i);
		sum += r->rec[i];
	}
	if ((size_t)r->rec[0] + 5 != r->n)
		return fail(err, IHEX_ERR_LENGTH, line,
			    "byte count %u does not match the %zu data bytes on the line",
			    r->rec[0], r->n - 5);
	if (sum & 0xff)
		return fail(err, IHEX_ERR_CHECKSUM, line, "checksum 0x%02x, expected 0x%02x",
			    r->rec[r->n - 1], (unsigned)(r->rec[r->n - 1] - sum) & 0xff);
	if (r->rec[3] > REC_START_LINEAR)
		return fail(err, IHEX_ERR_RECORD_TYPE, line, "unknown record type 0x%02x",
			    r->rec[3]);
	if (r->rec[3] != REC_DATA && rec_payload_len[r->rec[3]] != r->rec[0])
		return fail(err, IHEX_ERR_RECORD_SIZE, line,
			    "record type %02x carries %u bytes, expected %d", r->rec[3], r->rec[0],
			    rec_payload_len[r->rec[3]]);
	return 0;
}

/* Called for every data record, with its absolute address. */
typedef int (*data_fn)(void *arg, uint64_t addr, const uint8_t *d, size_t n, unsigned line,
		       struct ihex_err *err);

static int apply_record(const struct record *r, uint64_t *base, struct ihex_image *out, data_fn fn,
			void *arg, unsigned line, struct ihex_err *err)
{
	const uint8_t *d = r->rec + 4;
	uint64_t addr;

	switch (r->rec[3]) {
	case REC_DATA:
		addr = *base + smp_get_be16(r->rec + 1);
		if (addr + r->rec[0] > 0x100000000ull)
			return fail(err, IHEX_ERR_ADDRESS, line, "data at 0x%llx runs past 4 GiB",
				    (unsigned long long)addr);
		return r->rec[0] ? fn(arg, addr, d, r->rec[0], line, err) : 0;
	case REC_EXT_SEGMENT:
		*base = (uint64_t)smp_get_be16(d) << 4;
		return 0;
	case REC_EXT_LINEAR:
		*base = (uint64_t)smp_get_be16(d) << 16;
		return 0;
	case REC_START_SEGMENT:
	case REC_START_LINEAR:
		out->has_start = true;
		out->start_addr = smp_get_be32(d);
		return 0;
	}
	return 0;
}

/* Runs fn over every data record; stops at the EOF record. */
static int walk(const char *text, size_t len, struct ihex_image *out, data_fn fn, void *arg,
		struct ihex_err *err)
{
	struct record r;
	uint64_t base = 0;
	unsigned line = 0;
	size_t pos = 0;

	while (pos < len) {
		const char *s = text + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;

		pos += n + (nl ? 1 : 0);
		line++;
		while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		while (n && (*s == ' ' || *s == '\t')) {
			s++;
			n--;
		}
		if (!n)
			continue;
		if (decode_line(s, n, line, &r, err))
			return -1;
		/* decode_line() returned 0, so r holds at least 5 bytes; the
		 * analyzer does not follow the variadic fail() to see that every
		 * other path returns -1.
		 * NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult) */
		if (r.rec[3] == REC_EOF)
			return 0;
		if (apply_record(&r, &base, out, fn, arg, line, err))
			return -1;
	}
	return fail(err, IHEX_ERR_NO_EOF, line + 1, "end of file without an EOF (01) record");
}

struct bounds {
	uint64_t lo, hi; /* hi is one past the last byte */
	bool any;
};

static int find_bounds(void *arg, uint64_t addr, const uint8_t *d, size_t n, unsigned line,
		       struct ihex_err *err)
{
	struct bounds *b = arg;

	(void)d;
	(void)line;
	(void)err;
	if (!b->any || addr < b->lo)
		b->lo = addr;
	if (!b->any || addr + n > b->hi)
		b->hi = addr + n;
	b->any = true;
	return 0;
}

struct fill {
	struct ihex_image *img;
	uint8_t *written; /* one bit per byte, to catch conflicting overlaps */
};

static int fill_data(void *arg, uint64_t addr, const uint8_t *d, size_t n, unsigned line,
		     struct ihex_err *err)
{
	struct fill *f = arg;
	size_t off = (size_t)(addr - f->img->base_addr), i;

	for (i = 0; i < n; i++, off++) {
		uint8_t bit = (uint8_t)(1u << (off % 8));

		if ((f->written[off / 8] & bit) && f->img->data[off] != d[i])
			return fail(err, IHEX_ERR_OVERLAP, line,
				    "address 0x%08llx already holds a different byte",
				    (unsigned long long)addr + i);
		f->written[off / 8] |= bit;
		f->img->data[off] = d[i];
	}
	return 0;
}

int ihex_parse(const char *text, size_t len, struct ihex_image *out, struct ihex_err *err)
{
	struct bounds b = { 0, 0, false };
	/* cppcheck-suppress ctuuninitvar ; only the pointer is kept, *out is cleared before use */
	struct fill f = { out, NULL };
	int rc = -1;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	if (walk(text, len, out, find_bounds, &b, err))
		goto out;
	if (!b.any) {
		fail(err, IHEX_ERR_NO_DATA, 0, "no data records");
		goto out;
	}
	if (b.hi - b.lo > IHEX_MAX_SPAN) {
		fail(err, IHEX_ERR_SPAN, 0, "data spans 0x%08llx..0x%08llx, more than %u MiB",
		     (unsigned long long)b.lo, (unsigned long long)(b.hi - 1), IHEX_MAX_SPAN >> 20);
		goto out;
	}
	out->base_addr = (uint32_t)b.lo;
	out->len = (size_t)(b.hi - b.lo);
	out->data = malloc(out->len);
	f.written = calloc((out->len + 7) / 8, 1);
	if (!out->data || !f.written) {
		fail(err, IHEX_ERR_NOMEM, 0, "out of memory for %zu bytes", out->len);
		goto out;
	}
	memset(out->data, 0xff, out->len);
	if (walk(text, len, out, fill_data, &f, err))
		goto out;
	rc = 0;
out:
	free(f.written);
	if (rc)
		ihex_free(out);
	return rc;
}

void ihex_free(struct ihex_image *img)
{
	free(img->data);
	memset(img, 0, sizeof(*img));
}

bool ihex_detect(const uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n')
			continue;
		return buf[i] == ':';
	}
	return false;
}
