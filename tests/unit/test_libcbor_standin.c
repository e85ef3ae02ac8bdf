/* tests/embedded/libcbor_subset.c, the stand-in for libcbor on the
 * target, against the host's libcbor: the same bytes and lengths from
 * every encoder over edge values and buffer sizes, and the same results
 * and callbacks from cbor_stream_decode over every initial byte, every
 * truncation, indefinite and nested items, all half floats and random
 * bytes. The stand-in is linked here with its names prefixed standin_
 * (tests/unit/libcbor_standin_names.h). */
#include <cbor.h>
#include <dlfcn.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "tests/unit/unit.h"

#define STANDIN(name) extern __typeof__(name) standin_##name;
STANDIN(cbor_encode_uint8)
STANDIN(cbor_encode_uint16)
STANDIN(cbor_encode_uint32)
STANDIN(cbor_encode_uint64)
STANDIN(cbor_encode_uint)
STANDIN(cbor_encode_negint8)
STANDIN(cbor_encode_negint16)
STANDIN(cbor_encode_negint32)
STANDIN(cbor_encode_negint64)
STANDIN(cbor_encode_negint)
STANDIN(cbor_encode_bytestring_start)
STANDIN(cbor_encode_indef_bytestring_start)
STANDIN(cbor_encode_string_start)
STANDIN(cbor_encode_indef_string_start)
STANDIN(cbor_encode_array_start)
STANDIN(cbor_encode_indef_array_start)
STANDIN(cbor_encode_map_start)
STANDIN(cbor_encode_indef_map_start)
STANDIN(cbor_encode_tag)
STANDIN(cbor_encode_bool)
STANDIN(cbor_encode_null)
STANDIN(cbor_encode_undef)
STANDIN(cbor_encode_ctrl)
STANDIN(cbor_encode_break)
STANDIN(cbor_encode_single)
STANDIN(cbor_encode_double)
STANDIN(cbor_stream_decode)
STANDIN(cbor_empty_callbacks)

static const uint64_t edges[] = {
	0,
	1,
	23,
	24,
	25,
	UINT8_MAX - 1,
	UINT8_MAX,
	UINT8_MAX + 1,
	UINT16_MAX,
	UINT16_MAX + 1,
	UINT32_MAX,
	(uint64_t)UINT32_MAX + 1,
	UINT64_MAX - 1,
	UINT64_MAX,
};
#define N_EDGES (sizeof(edges) / sizeof(edges[0]))
#define ENC_MAX 12

/* Both encoders into buffers of every size up to ENC_MAX, filled alike
 * beforehand: returns the first size where they differ, or -1. */
#define SAME_ENCODING(real, standin, ...)                                                       \
	({                                                                                      \
		int differs = -1;                                                               \
		for (size_t cap = 0; cap <= ENC_MAX && differs < 0; cap++) {                    \
			unsigned char a[ENC_MAX], b[ENC_MAX];                                   \
			memset(a, 0xA5, sizeof(a));                                             \
			memset(b, 0xA5, sizeof(b));                                             \
			size_t na = real(__VA_ARGS__ a, cap), nb = standin(__VA_ARGS__ b, cap); \
			if (na != nb || memcmp(a, b, sizeof(a)))                                \
				differs = (int)cap;                                             \
		}                                                                               \
		differs;                                                                        \
	})

TEST(standin_encodes_integers_as_libcbor)
{
	for (size_t i = 0; i < N_EDGES; i++) {
		uint64_t v = edges[i];

		CHECK_INT(SAME_ENCODING(cbor_encode_uint, standin_cbor_encode_uint, v, ), -1);
		CHECK_INT(SAME_ENCODING(cbor_encode_negint, standin_cbor_encode_negint, v, ), -1);
		CHECK_INT(SAME_ENCODING(cbor_encode_uint8, standin_cbor_encode_uint8, (uint8_t)v, ),
			  -1);
		CHECK_INT(SAME_ENCODING(cbor_encode_uint16, standin_cbor_encode_uint16,
					(uint16_t)v, ),
			  -1);
		CHECK_INT(SAME_ENCODING(cbor_encode_uint32, standin_cbor_encode_uint32,
					(uint32_t)v, ),
			  -1);
		CHECK_INT(SAME_ENCODING(cbor_encode_uint64, standin_cbor_encode_uint64, v, ), -1);
		CHECK_INT(SAME_ENCODING(cbor_encode_negint8, standin_cbor_encode_negint8,
					(uint8_t)v, ),
			  -1);
		CHECK_INT(SAME_ENCODING(cbor_encode_negint16, standin_cbor_encode_negint16,
					(uint16_t)v, ),
			  -1);
		CHECK_INT(SAME_ENCODING(cbor_encode_negint32, standin_cbor_encode_negint32,
					(uint32_t)v, ),
			  -1);
		CHECK_INT(SAME_ENCODING(cbor_encode_negint64, standin_cbor_encode_negint64, v, ),
			  -1);
		CHECK_INT(SAME_ENCODING(cbor_encode_tag, standin_cbor_encode_tag, v, ), -1);
		CHECK_INT(SAME_ENCODING(cbor_encode_ctrl, standin_cbor_encode_ctrl, (uint8_t)v, ),
			  -1);
	}
}

TEST(standin_encodes_heads_and_simple_values_as_libcbor)
{
	for (size_t i = 0; i < N_EDGES; i++) {
		size_t n = (size_t)edges[i];

		CHECK_INT(SAME_ENCODING(cbor_encode_bytestring_start,
					standin_cbor_encode_bytestring_start, n, ),
			  -1);
		CHECK_INT(SAME_ENCODING(cbor_encode_string_start, standin_cbor_encode_string_start,
					n, ),
			  -1);
		CHECK_INT(SAME_ENCODING(cbor_encode_array_start, standin_cbor_encode_array_start,
					n, ),
			  -1);
		CHECK_INT(SAME_ENCODING(cbor_encode_map_start, standin_cbor_encode_map_start, n, ),
			  -1);
	}
	CHECK_INT(SAME_ENCODING(cbor_encode_bool, standin_cbor_encode_bool, true, ), -1);
	CHECK_INT(SAME_ENCODING(cbor_encode_bool, standin_cbor_encode_bool, false, ), -1);
	CHECK_INT(SAME_ENCODING(cbor_encode_null, standin_cbor_encode_null, ), -1);
	CHECK_INT(SAME_ENCODING(cbor_encode_undef, standin_cbor_encode_undef, ), -1);
	CHECK_INT(SAME_ENCODING(cbor_encode_break, standin_cbor_encode_break, ), -1);
	CHECK_INT(SAME_ENCODING(cbor_encode_indef_bytestring_start,
				standin_cbor_encode_indef_bytestring_start, ),
		  -1);
	CHECK_INT(SAME_ENCODING(cbor_encode_indef_string_start,
				standin_cbor_encode_indef_string_start, ),
		  -1);
	CHECK_INT(SAME_ENCODING(cbor_encode_indef_array_start,
				standin_cbor_encode_indef_array_start, ),
		  -1);
	CHECK_INT(SAME_ENCODING(cbor_encode_indef_map_start, standin_cbor_encode_indef_map_start, ),
		  -1);
	CHECK_INT(SAME_ENCODING(cbor_encode_single, standin_cbor_encode_single, 1.5f, ), -1);
	CHECK_INT(SAME_ENCODING(cbor_encode_single, standin_cbor_encode_single, -0.0f, ), -1);
	CHECK_INT(SAME_ENCODING(cbor_encode_double, standin_cbor_encode_double, 1e300, ), -1);
	CHECK_INT(SAME_ENCODING(cbor_encode_double, standin_cbor_encode_double, -2.5, ), -1);
}

/* ---- the decoder: each callback appends a line to a log */

struct trace {
	char log[4096];
	size_t len;
};

static void note(void *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(void *ctx, const char *fmt, ...)
{
	struct trace *tr = ctx;
	va_list ap;

	if (tr->len >= sizeof(tr->log) - 1)
		return;
	va_start(ap, fmt);
	tr->len += (size_t)vsnprintf(tr->log + tr->len, sizeof(tr->log) - tr->len, fmt, ap);
	va_end(ap);
	if (tr->len > sizeof(tr->log) - 1)
		tr->len = sizeof(tr->log) - 1;
}

static void on_uint8(void *c, uint8_t v)
{
	note(c, "u8 %u\n", v);
}
static void on_uint16(void *c, uint16_t v)
{
	note(c, "u16 %u\n", v);
}
static void on_uint32(void *c, uint32_t v)
{
	note(c, "u32 %" PRIu32 "\n", v);
}
static void on_uint64(void *c, uint64_t v)
{
	note(c, "u64 %" PRIu64 "\n", v);
}
static void on_negint8(void *c, uint8_t v)
{
	note(c, "n8 %u\n", v);
}
static void on_negint16(void *c, uint16_t v)
{
	note(c, "n16 %u\n", v);
}
static void on_negint32(void *c, uint32_t v)
{
	note(c, "n32 %" PRIu32 "\n", v);
}
static void on_negint64(void *c, uint64_t v)
{
	note(c, "n64 %" PRIu64 "\n", v);
}
/* A string's bytes are compared by where they point into the input. */
static const uint8_t *input;
static void on_bytes(void *c, cbor_data d, size_t n)
{
	note(c, "bytes @%td %zu\n", d - input, n);
}
static void on_string(void *c, cbor_data d, size_t n)
{
	note(c, "text @%td %zu\n", d - input, n);
}
static void on_bytes_start(void *c)
{
	note(c, "bytes...\n");
}
static void on_string_start(void *c)
{
	note(c, "text...\n");
}
static void on_array(void *c, size_t n)
{
	note(c, "array %zu\n", n);
}
static void on_indef_array(void *c)
{
	note(c, "array...\n");
}
static void on_map(void *c, size_t n)
{
	note(c, "map %zu\n", n);
}
static void on_indef_map(void *c)
{
	note(c, "map...\n");
}
static void on_tag(void *c, uint64_t v)
{
	note(c, "tag %" PRIu64 "\n", v);
}
static void on_float2(void *c, float v)
{
	uint32_t bits;

	memcpy(&bits, &v, sizeof(bits));
	note(c, "half %08" PRIx32 "\n", bits);
}
static void on_float4(void *c, float v)
{
	uint32_t bits;

	memcpy(&bits, &v, sizeof(bits));
	note(c, "float %08" PRIx32 "\n", bits);
}
static void on_float8(void *c, double v)
{
	uint64_t bits;

	memcpy(&bits, &v, sizeof(bits));
	note(c, "double %016" PRIx64 "\n", bits);
}
static void on_undefined(void *c)
{
	note(c, "undefined\n");
}
static void on_null(void *c)
{
	note(c, "null\n");
}
static void on_bool(void *c, bool v)
{
	note(c, "bool %d\n", v);
}
static void on_break(void *c)
{
	note(c, "break\n");
}

static const struct cbor_callbacks tracer = {
	.uint8 = on_uint8,
	.uint16 = on_uint16,
	.uint32 = on_uint32,
	.uint64 = on_uint64,
	.negint8 = on_negint8,
	.negint16 = on_negint16,
	.negint32 = on_negint32,
	.negint64 = on_negint64,
	.byte_string = on_bytes,
	.byte_string_start = on_bytes_start,
	.string = on_string,
	.string_start = on_string_start,
	.array_start = on_array,
	.indef_array_start = on_indef_array,
	.map_start = on_map,
	.indef_map_start = on_indef_map,
	.tag = on_tag,
	.float2 = on_float2,
	.float4 = on_float4,
	.float8 = on_float8,
	.undefined = on_undefined,
	.null = on_null,
	.boolean = on_bool,
	.indef_break = on_break,
};

/* Decodes buf item after item, as a client walks a message, until the
 * end, an error or a shortfall; logs every callback and result. */
static void walk(__typeof__(cbor_stream_decode) *decode, const uint8_t *buf, size_t len,
		 struct trace *tr)
{
	size_t off = 0;

	memset(tr, 0, sizeof(*tr));
	input = buf;
	while (off < len) {
		struct cbor_decoder_result r = decode(buf + off, len - off, &tracer, tr);

		note(tr, "= %zu %d %zu\n", r.read, (int)r.status, r.required);
		if (r.status != CBOR_DECODER_FINISHED || r.read == 0)
			return;
		off += r.read;
	}
	/* The empty input's answer too. */
	struct cbor_decoder_result r = decode(buf + off, 0, &tracer, tr);

	note(tr, "= %zu %d %zu\n", r.read, (int)r.status, r.required);
}

/* Every prefix of buf decodes alike; returns the first length that does
 * not, or -1. */
static long same_decoding(const uint8_t *buf, size_t len)
{
	static struct trace a, b;

	for (size_t n = 0; n <= len; n++) {
		walk(cbor_stream_decode, buf, n, &a);
		walk(standin_cbor_stream_decode, buf, n, &b);
		if (a.len != b.len || memcmp(a.log, b.log, a.len)) {
			fprintf(stderr, "libcbor:\n%s\nstand-in:\n%s\n", a.log, b.log);
			return (long)n;
		}
	}
	return -1;
}

TEST(standin_decodes_every_initial_byte_as_libcbor)
{
	uint8_t buf[12];

	for (unsigned ib = 0; ib < 256; ib++) {
		buf[0] = (uint8_t)ib;
		/* Arguments of 1, 2, 4 or 8 bytes, and a short string's bytes. */
		for (size_t i = 1; i < sizeof(buf); i++)
			buf[i] = (uint8_t)(0x03 * i);
		if (!CHECK_INT(same_decoding(buf, sizeof(buf)), -1))
			fprintf(stderr, "initial byte 0x%02x\n", ib);
	}
}

TEST(standin_decodes_nested_indefinite_and_truncated_as_libcbor)
{
	static const uint8_t corpus[][48] = {
		/* An SMP image upload answer: {"rc": 0, "off": 4096} */
		{ 0xbf, 0x62, 'r', 'c', 0x00, 0x63, 'o', 'f', 'f', 0x19, 0x10, 0x00, 0xff },
		/* {"images": [{"slot": 0, "hash": h'0102', "confirmed": true}]} */
		{ 0xa1, 0x66, 'i', 'm',	 'a',  'g', 'e', 's', 0x81, 0xa3, 0x64, 's',
		  'l',	'o',  't', 0x00, 0x64, 'h', 'a', 's', 'h',  0x42, 0x01, 0x02,
		  0x69, 'c',  'o', 'n',	 'f',  'i', 'r', 'm', 'e',  'd',  0xf5 },
		/* indefinite strings of chunks, nested indefinite arrays */
		{ 0x5f, 0x41, 0xaa, 0x42, 0xbb, 0xcc, 0xff, 0x7f, 0x61, 'a',  0xff, 0x9f, 0x9f,
		  0x01, 0xff, 0x20, 0x3b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
		/* tags, floats, null, undefined, simple values, reserved bytes */
		{ 0xc1, 0x1a, 0x5f, 0x00, 0x00, 0x00, 0xd8, 0x20, 0x60, 0xf9, 0x7e,
		  0x00, 0xfa, 0x3f, 0xc0, 0x00, 0x00, 0xfb, 0x40, 0x09, 0x21, 0xfb,
		  0x54, 0x44, 0x2d, 0x18, 0xf6, 0xf7, 0xf0, 0xf8, 0x20, 0x1c },
		/* long heads: 8-byte lengths that cannot be there */
		{ 0x5b, 0,    0,    0,	  0,	0,    0,    0,	  4,
		  1,	2,    3,    0x9b, 0xff, 0xff, 0xff, 0xff, 0xff,
		  0xff, 0xff, 0xff, 0x7a, 0xff, 0xff, 0xff, 0xff, 'x' },
	};

	for (size_t i = 0; i < sizeof(corpus) / sizeof(corpus[0]); i++)
		if (!CHECK_INT(same_decoding(corpus[i], sizeof(corpus[i])), -1))
			fprintf(stderr, "corpus entry %zu\n", i);
}

TEST(standin_widens_every_half_float_as_libcbor)
{
	static struct trace a, b;
	uint8_t buf[3] = { 0xf9 };
	unsigned differ = 0;

	for (unsigned h = 0; h <= 0xffff; h++) {
		buf[1] = (uint8_t)(h >> 8);
		buf[2] = (uint8_t)h;
		walk(cbor_stream_decode, buf, sizeof(buf), &a);
		walk(standin_cbor_stream_decode, buf, sizeof(buf), &b);
		differ += a.len != b.len || memcmp(a.log, b.log, a.len);
	}
	CHECK_INT(differ, 0);
}

TEST(standin_decodes_random_bytes_as_libcbor)
{
	uint32_t x = 0x12345678;
	uint8_t buf[40];

	for (int round = 0; round < 3000; round++) {
		for (size_t i = 0; i < sizeof(buf); i++) {
			x = x * 1664525u + 1013904223u; /* a fixed sequence */
			buf[i] = (uint8_t)(x >> 24);
		}
		if (!CHECK_INT(same_decoding(buf, sizeof(buf)), -1))
			return;
	}
}

/* The real functions are libcbor's, not the stand-in linked under their
 * names: otherwise the tests above compare the stand-in with itself. */
TEST(standin_is_compared_with_the_real_libcbor)
{
	Dl_info info;

	CHECK(dladdr((void *)cbor_stream_decode, &info) && info.dli_fname &&
	      strstr(info.dli_fname, "libcbor"));
	CHECK(dladdr((void *)cbor_encode_uint, &info) && info.dli_fname &&
	      strstr(info.dli_fname, "libcbor"));
	CHECK(standin_cbor_empty_callbacks.uint8 != cbor_empty_callbacks.uint8);
}
