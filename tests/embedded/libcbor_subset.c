/* STAND-IN FOR LIBCBOR, NOT LIBCBOR: the allocation-free part of
 * libcbor 0.8's API that the core calls (its encoders, its streaming
 * decoder and the callback defaults), with libcbor's exact signatures
 * and results, for the Cortex-M33 images of make embedded-check and make
 * size. Debian ships libcbor for the host only; a firmware tree builds
 * libcbor's own sources instead (make LIBCBOR_SRC=/path/to/libcbor/src).
 *
 * tests/unit/test_libcbor_standin.c compiles this file with every entry
 * point renamed (tests/unit/libcbor_standin_names.h) and checks it
 * against the host's libcbor: the same bytes from each encoder over edge
 * values, the same callbacks and results from cbor_stream_decode over
 * every initial byte, truncated, indefinite and nested input. That
 * includes 0.8's own choices: tags 6 to 20 and simple values other than
 * false, true, null and undefined are errors, and a half float is
 * widened to float. Not here: the item tree (cbor_load, cbor_new_*,
 * cbor_serialize*), which allocates, and cbor_encode_half. */
#include <cbor/callbacks.h>
#include <cbor/encoding.h>
#include <cbor/streaming.h>
#include <string.h>

/* ---- encoders: an initial byte (major type in offset) and its argument */

static size_t put_be(uint64_t value, unsigned width, uint8_t first, unsigned char *buf, size_t cap)
{
	if (cap < 1 + (size_t)width)
		return 0;
	buf[0] = first;
	for (unsigned i = 0; i < width; i++)
		buf[1 + i] = (unsigned char)(value >> (8 * (width - 1 - i)));
	return 1 + width;
}

static size_t head8(uint8_t value, uint8_t offset, unsigned char *buf, size_t cap)
{
	if (value <= 23)
		return put_be(0, 0, (uint8_t)(offset + value), buf, cap);
	return put_be(value, 1, (uint8_t)(offset + 0x18), buf, cap);
}

static size_t head(uint64_t value, uint8_t offset, unsigned char *buf, size_t cap)
{
	if (value <= UINT8_MAX)
		return head8((uint8_t)value, offset, buf, cap);
	if (value <= UINT16_MAX)
		return put_be(value, 2, (uint8_t)(offset + 0x19), buf, cap);
	if (value <= UINT32_MAX)
		return put_be(value, 4, (uint8_t)(offset + 0x1A), buf, cap);
	return put_be(value, 8, (uint8_t)(offset + 0x1B), buf, cap);
}

size_t cbor_encode_uint8(uint8_t value, unsigned char *buffer, size_t buffer_size)
{
	return head8(value, 0x00, buffer, buffer_size);
}

size_t cbor_encode_uint16(uint16_t value, unsigned char *buffer, size_t buffer_size)
{
	return put_be(value, 2, 0x19, buffer, buffer_size);
}

size_t cbor_encode_uint32(uint32_t value, unsigned char *buffer, size_t buffer_size)
{
	return put_be(value, 4, 0x1A, buffer, buffer_size);
}

size_t cbor_encode_uint64(uint64_t value, unsigned char *buffer, size_t buffer_size)
{
	return put_be(value, 8, 0x1B, buffer, buffer_size);
}

size_t cbor_encode_uint(uint64_t value, unsigned char *buffer, size_t buffer_size)
{
	return head(value, 0x00, buffer, buffer_size);
}

size_t cbor_encode_negint8(uint8_t value, unsigned char *buffer, size_t buffer_size)
{
	return head8(value, 0x20, buffer, buffer_size);
}

size_t cbor_encode_negint16(uint16_t value, unsigned char *buffer, size_t buffer_size)
{
	return put_be(value, 2, 0x39, buffer, buffer_size);
}

size_t cbor_encode_negint32(uint32_t value, unsigned char *buffer, size_t buffer_size)
{
	return put_be(value, 4, 0x3A, buffer, buffer_size);
}

size_t cbor_encode_negint64(uint64_t value, unsigned char *buffer, size_t buffer_size)
{
	return put_be(value, 8, 0x3B, buffer, buffer_size);
}

size_t cbor_encode_negint(uint64_t value, unsigned char *buffer, size_t buffer_size)
{
	return head(value, 0x20, buffer, buffer_size);
}

size_t cbor_encode_bytestring_start(size_t length, unsigned char *buffer, size_t buffer_size)
{
	return head(length, 0x40, buffer, buffer_size);
}

size_t cbor_encode_indef_bytestring_start(unsigned char *buffer, size_t buffer_size)
{
	return put_be(0, 0, 0x5F, buffer, buffer_size);
}

size_t cbor_encode_string_start(size_t length, unsigned char *buffer, size_t buffer_size)
{
	return head(length, 0x60, buffer, buffer_size);
}

size_t cbor_encode_indef_string_start(unsigned char *buffer, size_t buffer_size)
{
	return put_be(0, 0, 0x7F, buffer, buffer_size);
}

size_t cbor_encode_array_start(size_t length, unsigned char *buffer, size_t buffer_size)
{
	return head(length, 0x80, buffer, buffer_size);
}

size_t cbor_encode_indef_array_start(unsigned char *buffer, size_t buffer_size)
{
	return put_be(0, 0, 0x9F, buffer, buffer_size);
}

size_t cbor_encode_map_start(size_t length, unsigned char *buffer, size_t buffer_size)
{
	return head(length, 0xA0, buffer, buffer_size);
}

size_t cbor_encode_indef_map_start(unsigned char *buffer, size_t buffer_size)
{
	return put_be(0, 0, 0xBF, buffer, buffer_size);
}

size_t cbor_encode_tag(uint64_t value, unsigned char *buffer, size_t buffer_size)
{
	return head(value, 0xC0, buffer, buffer_size);
}

size_t cbor_encode_bool(bool value, unsigned char *buffer, size_t buffer_size)
{
	return put_be(0, 0, value ? 0xF5 : 0xF4, buffer, buffer_size);
}

size_t cbor_encode_null(unsigned char *buffer, size_t buffer_size)
{
	return put_be(0, 0, 0xF6, buffer, buffer_size);
}

size_t cbor_encode_undef(unsigned char *buffer, size_t buffer_size)
{
	return put_be(0, 0, 0xF7, buffer, buffer_size);
}

size_t cbor_encode_ctrl(uint8_t value, unsigned char *buffer, size_t buffer_size)
{
	return head8(value, 0xE0, buffer, buffer_size);
}

size_t cbor_encode_break(unsigned char *buffer, size_t buffer_size)
{
	return put_be(0, 0, 0xFF, buffer, buffer_size);
}

size_t cbor_encode_single(float value, unsigned char *buffer, size_t buffer_size)
{
	uint32_t bits;

	memcpy(&bits, &value, sizeof(bits));
	return put_be(bits, 4, 0xFA, buffer, buffer_size);
}

size_t cbor_encode_double(double value, unsigned char *buffer, size_t buffer_size)
{
	uint64_t bits;

	memcpy(&bits, &value, sizeof(bits));
	return put_be(bits, 8, 0xFB, buffer, buffer_size);
}

/* ---- the streaming decoder */

/* libcbor's claim_bytes: on a shortfall the result asks for everything
 * claimed so far plus this claim, and reads nothing. */
static bool claim(size_t n, size_t size, struct cbor_decoder_result *r)
{
	if (n > size - r->read) {
		r->required = n + r->read;
		r->read = 0;
		r->status = CBOR_DECODER_NEDATA;
		return false;
	}
	r->read += n;
	r->required = 0;
	return true;
}

static uint64_t load_be(cbor_data p, unsigned width)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < width; i++)
		v = v << 8 | p[i];
	return v;
}

/* IEEE 754 half to float, as libcbor's _cbor_decode_half, in integers
 * (no libm, no soft-float): every half is exactly a float, a subnormal
 * one normalised. NaN is the quiet NaN whatever its payload. */
static float half_to_float(uint16_t half)
{
	uint32_t sign = (uint32_t)(half & 0x8000u) << 16, exp = (half >> 10) & 0x1Fu;
	uint32_t mant = half & 0x3FFu, bits;
	float f;

	if (exp == 31) {
		bits = sign | (mant ? 0x7FC00000u : 0x7F800000u);
	} else if (exp == 0 && mant == 0) {
		bits = sign;
	} else {
		exp += 112; /* rebias: 15 to 127 */
		if (exp == 112) {
			exp = 113;
			while (!(mant & 0x400u)) {
				mant <<= 1;
				exp--;
			}
			mant &= 0x3FFu;
		}
		bits = sign | exp << 23 | mant << 13;
	}
	memcpy(&f, &bits, sizeof(f));
	return f;
}

static float load_float(cbor_data p)
{
	uint32_t bits = (uint32_t)load_be(p, 4);
	float f;

	memcpy(&f, &bits, sizeof(f));
	return f;
}

static double load_double(cbor_data p)
{
	uint64_t bits = load_be(p, 8);
	double d;

	memcpy(&d, &bits, sizeof(d));
	return d;
}

/* Integers: the callback of the argument's width (immediate: 8 bits). */
static void int_cb(const struct cbor_callbacks *cb, void *ctx, bool neg, unsigned width, uint64_t v)
{
	switch (width) {
	case 0:
	case 1:
		(neg ? cb->negint8 : cb->uint8)(ctx, (uint8_t)v);
		break;
	case 2:
		(neg ? cb->negint16 : cb->uint16)(ctx, (uint16_t)v);
		break;
	case 4:
		(neg ? cb->negint32 : cb->uint32)(ctx, (uint32_t)v);
		break;
	default:
		(neg ? cb->negint64 : cb->uint64)(ctx, v);
		break;
	}
}

/* Major type 7 once its argument is in: false, true, null, undefined and
 * the three floats (every other simple value was refused before). */
static void simple_cb(const struct cbor_callbacks *cb, void *ctx, uint8_t info, cbor_data arg)
{
	switch (info) {
	case 20:
	case 21:
		cb->boolean(ctx, info == 21);
		break;
	case 22:
		cb->null(ctx);
		break;
	case 23:
		cb->undefined(ctx);
		break;
	case 25:
		cb->float2(ctx, half_to_float((uint16_t)load_be(arg, 2)));
		break;
	case 26:
		cb->float4(ctx, load_float(arg));
		break;
	case 27:
		cb->float8(ctx, load_double(arg));
		break;
	default:
		break;
	}
}

/* The initial byte's additional information 31: indefinite starts and
 * break; an error for integers and tags. */
static bool indefinite_cb(const struct cbor_callbacks *cb, void *ctx, uint8_t major)
{
	switch (major) {
	case 2:
		cb->byte_string_start(ctx);
		return true;
	case 3:
		cb->string_start(ctx);
		return true;
	case 4:
		cb->indef_array_start(ctx);
		return true;
	case 5:
		cb->indef_map_start(ctx);
		return true;
	case 7:
		cb->indef_break(ctx);
		return true;
	default:
		return false;
	}
}

/* Tags libcbor 0.8 knows without a following byte: 0 to 5 and 21 to 23. */
static bool tag_known(uint8_t info)
{
	return info <= 5 || (info >= 21 && info <= 23);
}

struct cbor_decoder_result cbor_stream_decode(cbor_data source, size_t source_size,
					      const struct cbor_callbacks *callbacks, void *context)
{
	static const unsigned widths[4] = { 1, 2, 4, 8 };
	const struct cbor_decoder_result error = { .read = 0, .status = CBOR_DECODER_ERROR };
	struct cbor_decoder_result r = { .status = CBOR_DECODER_FINISHED };
	uint8_t major, info;
	unsigned width = 0;
	uint64_t arg;

	if (!claim(1, source_size, &r))
		return r;
	major = source[0] >> 5;
	info = source[0] & 0x1F;
	if (info == 31)
		return indefinite_cb(callbacks, context, major) ? r : error;
	if (info >= 28 || (major == 7 && info < 20) || (major == 7 && info == 24) ||
	    (major == 6 && info < 24 && !tag_known(info)))
		return error;
	arg = info;
	if (info >= 24) {
		width = widths[info - 24];
		if (!claim(width, source_size, &r))
			return r;
		arg = load_be(source + 1, width);
	}
	switch (major) {
	case 0:
	case 1:
		int_cb(callbacks, context, major == 1, width, arg);
		break;
	case 2:
	case 3:
		if (claim((size_t)arg, source_size, &r))
			(major == 2 ? callbacks->byte_string
				    : callbacks->string)(context, source + 1 + width, (size_t)arg);
		break;
	case 4:
		callbacks->array_start(context, (size_t)arg);
		break;
	case 5:
		callbacks->map_start(context, (size_t)arg);
		break;
	case 6:
		callbacks->tag(context, arg);
		break;
	default:
		simple_cb(callbacks, context, info, source + 1);
		break;
	}
	return r;
}

/* ---- the callbacks that do nothing, and the set of them */

void cbor_null_uint8_callback(void *ctx, uint8_t v)
{
}
void cbor_null_uint16_callback(void *ctx, uint16_t v)
{
}
void cbor_null_uint32_callback(void *ctx, uint32_t v)
{
}
void cbor_null_uint64_callback(void *ctx, uint64_t v)
{
}
void cbor_null_negint8_callback(void *ctx, uint8_t v)
{
}
void cbor_null_negint16_callback(void *ctx, uint16_t v)
{
}
void cbor_null_negint32_callback(void *ctx, uint32_t v)
{
}
void cbor_null_negint64_callback(void *ctx, uint64_t v)
{
}
void cbor_null_string_callback(void *ctx, cbor_data data, size_t len)
{
}
void cbor_null_string_start_callback(void *ctx)
{
}
void cbor_null_byte_string_callback(void *ctx, cbor_data data, size_t len)
{
}
void cbor_null_byte_string_start_callback(void *ctx)
{
}
void cbor_null_array_start_callback(void *ctx, size_t n)
{
}
void cbor_null_indef_array_start_callback(void *ctx)
{
}
void cbor_null_map_start_callback(void *ctx, size_t n)
{
}
void cbor_null_indef_map_start_callback(void *ctx)
{
}
void cbor_null_tag_callback(void *ctx, uint64_t v)
{
}
void cbor_null_float2_callback(void *ctx, float v)
{
}
void cbor_null_float4_callback(void *ctx, float v)
{
}
void cbor_null_float8_callback(void *ctx, double v)
{
}
void cbor_null_null_callback(void *ctx)
{
}
void cbor_null_undefined_callback(void *ctx)
{
}
void cbor_null_boolean_callback(void *ctx, bool v)
{
}
void cbor_null_indef_break_callback(void *ctx)
{
}

const struct cbor_callbacks cbor_empty_callbacks = {
	.uint8 = cbor_null_uint8_callback,
	.uint16 = cbor_null_uint16_callback,
	.uint32 = cbor_null_uint32_callback,
	.uint64 = cbor_null_uint64_callback,
	.negint8 = cbor_null_negint8_callback,
	.negint16 = cbor_null_negint16_callback,
	.negint32 = cbor_null_negint32_callback,
	.negint64 = cbor_null_negint64_callback,
	.byte_string_start = cbor_null_byte_string_start_callback,
	.byte_string = cbor_null_byte_string_callback,
	.string = cbor_null_string_callback,
	.string_start = cbor_null_string_start_callback,
	.indef_array_start = cbor_null_indef_array_start_callback,
	.array_start = cbor_null_array_start_callback,
	.indef_map_start = cbor_null_indef_map_start_callback,
	.map_start = cbor_null_map_start_callback,
	.tag = cbor_null_tag_callback,
	.float2 = cbor_null_float2_callback,
	.float4 = cbor_null_float4_callback,
	.float8 = cbor_null_float8_callback,
	.undefined = cbor_null_undefined_callback,
	.null = cbor_null_null_callback,
	.boolean = cbor_null_boolean_callback,
	.indef_break = cbor_null_indef_break_callback,
};
