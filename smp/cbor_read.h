/* Reads SMP payloads in place, with libcbor's streaming decoder
 * (cbor_stream_decode): no item trees and no heap, so the core runs in a
 * fixed RAM budget. A struct smp_cbor is a view of one whole encoded item
 * inside the caller's buffer; it lives as long as that buffer.
 *
 * Maps, arrays, byte and text strings may be definite or indefinite length:
 * devices differ, and every accessor here accepts both. */
#ifndef SMP_CBOR_READ_H
#define SMP_CBOR_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* SMP payloads nest a few levels (a map of arrays of maps); 32 leaves room
 * for any real answer and bounds the walk's state. */
#define SMP_CBOR_MAX_DEPTH 32

/* One whole encoded item: p[0..len). */
struct smp_cbor {
	const uint8_t *p;
	size_t len;
};

/* Result of a typed lookup. */
enum smp_get {
	SMP_GET_OK = 0,
	SMP_GET_ABSENT = -1, /* key not in the map */
	SMP_GET_TYPE = -2,   /* present with the wrong type or range */
	SMP_GET_NOMEM = -3,  /* the caller's buffer cannot hold the value */
};

enum smp_cbor_type {
	SMP_CBOR_UINT,
	SMP_CBOR_NEGINT,
	SMP_CBOR_BYTES,
	SMP_CBOR_TEXT,
	SMP_CBOR_ARRAY,
	SMP_CBOR_MAP,
	SMP_CBOR_TAG,
	SMP_CBOR_SIMPLE, /* false, true, null, undefined, a float */
	SMP_CBOR_BAD,
};

/* What a major-type-7 item holds. */
enum smp_simple {
	SMP_SIMPLE_NONE, /* not major type 7 */
	SMP_SIMPLE_FALSE,
	SMP_SIMPLE_TRUE,
	SMP_SIMPLE_NULL,
	SMP_SIMPLE_UNDEF,
	SMP_SIMPLE_OTHER, /* another simple value */
	SMP_SIMPLE_FLOAT, /* a half, single or double float */
};

/* 0 when buf[0..len) is exactly one well-formed CBOR map no deeper than
 * SMP_CBOR_MAX_DEPTH, viewed in *out; otherwise -1 and *why is a short
 * static description. Every later accessor trusts this check. */
int smp_cbor_decode_map(const uint8_t *buf, size_t len, struct smp_cbor *out, const char **why);
/* The same for any one item at the start of buf; its size in *used. */
int smp_cbor_check(const uint8_t *buf, size_t len, size_t *used, const char **why);

enum smp_cbor_type smp_cbor_type(const struct smp_cbor *item);

/* Walks the elements of an array, or the keys and values of a map in
 * turn (key, value, key, ...). */
struct smp_cbor_iter {
	const uint8_t *p;
	size_t len, off;
	uint64_t left; /* definite: items still to come */
	bool indefinite;
};
/* SMP_GET_OK, or SMP_GET_TYPE when item is not an array or map. */
int smp_cbor_enter(const struct smp_cbor *item, struct smp_cbor_iter *it);
/* The next element, or false at the end. */
bool smp_cbor_next(struct smp_cbor_iter *it, struct smp_cbor *out);

/* Value for a text key: SMP_GET_OK, SMP_GET_ABSENT, or SMP_GET_TYPE when
 * map is not a map. The first match wins. */
int smp_map_find(const struct smp_cbor *map, const char *key, struct smp_cbor *val);
bool smp_cbor_text_eq(const struct smp_cbor *item, const char *s);

int smp_item_uint(const struct smp_cbor *item, uint64_t *out);
int smp_item_int(const struct smp_cbor *item, int64_t *out);
int smp_item_bool(const struct smp_cbor *item, bool *out);
int smp_item_float(const struct smp_cbor *item, double *out);
enum smp_simple smp_item_simple(const struct smp_cbor *item);
/* Total length of a (possibly chunked) text or byte string. */
int smp_item_text_len(const struct smp_cbor *item, size_t *len);
int smp_item_bytes_len(const struct smp_cbor *item, size_t *len);
/* NUL-terminated copy into out[0..cap): SMP_GET_NOMEM when it does not
 * fit (out then holds as much as fits). */
int smp_item_text(const struct smp_cbor *item, char *out, size_t cap);
/* Copy into out[0..cap), its length in *len; SMP_GET_NOMEM when it does
 * not fit. */
int smp_item_bytes(const struct smp_cbor *item, uint8_t *out, size_t cap, size_t *len);

int smp_get_uint(const struct smp_cbor *map, const char *key, uint64_t *out);
int smp_get_int(const struct smp_cbor *map, const char *key, int64_t *out);
int smp_get_bool(const struct smp_cbor *map, const char *key, bool *out);
int smp_get_text(const struct smp_cbor *map, const char *key, char *out, size_t cap);
int smp_get_bytes(const struct smp_cbor *map, const char *key, uint8_t *out, size_t cap,
		  size_t *len);

#endif
