/* Small typed accessors over libcbor maps, the shape of every SMP payload.
 * Maps, arrays, byte and text strings may be definite or indefinite length:
 * devices differ, and every accessor here accepts both. */
#ifndef SMP_CBOR_UTIL_H
#define SMP_CBOR_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cbor.h>

/* Result of a typed lookup. */
enum smp_get {
	SMP_GET_OK = 0,
	SMP_GET_ABSENT = -1, /* key not in the map */
	SMP_GET_TYPE = -2,   /* present with the wrong type or range */
	SMP_GET_NOMEM = -3,
};

/* Decodes one CBOR map filling buf exactly. On failure returns NULL and
 * sets *why to a short static description. */
cbor_item_t *smp_cbor_decode_map(const uint8_t *buf, size_t len, const char **why);

/* Serialises item into a malloc'd buffer. Returns 0, or -1 on no memory. */
int smp_cbor_encode(const cbor_item_t *item, uint8_t **buf, size_t *len);

/* Value for a text key, or NULL. The first match wins. */
cbor_item_t *smp_map_get(const cbor_item_t *map, const char *key);

bool smp_cbor_text_eq(const cbor_item_t *item, const char *s);

int smp_get_uint(const cbor_item_t *map, const char *key, uint64_t *out);
int smp_get_int(const cbor_item_t *map, const char *key, int64_t *out);
int smp_get_bool(const cbor_item_t *map, const char *key, bool *out);
/* NUL-terminated copy, malloc'd. */
int smp_get_text(const cbor_item_t *map, const char *key, char **out);
/* Copy of a byte string, malloc'd (NULL when empty). */
int smp_get_bytes(const cbor_item_t *map, const char *key, uint8_t **out, size_t *len);

/* Item-level forms of the above, for array elements. */
int smp_item_uint(const cbor_item_t *item, uint64_t *out);
int smp_item_int(const cbor_item_t *item, int64_t *out);
int smp_item_bool(const cbor_item_t *item, bool *out);
int smp_item_float(const cbor_item_t *item, double *out);
int smp_item_text(const cbor_item_t *item, char **out);

/* What a major-type-7 item holds. The only safe way to ask: libcbor's own
 * predicates abort on floats. Use this, never cbor_is_bool/null/undef. */
enum smp_simple {
	SMP_SIMPLE_NONE, /* not major type 7 */
	SMP_SIMPLE_FALSE,
	SMP_SIMPLE_TRUE,
	SMP_SIMPLE_NULL,
	SMP_SIMPLE_UNDEF,
	SMP_SIMPLE_OTHER, /* another simple value */
	SMP_SIMPLE_FLOAT, /* a half, single or double float */
};
enum smp_simple smp_item_simple(const cbor_item_t *item);
int smp_item_bytes(const cbor_item_t *item, uint8_t **out, size_t *len);

/* Builders: each returns 0, or -1 on no memory. */
int smp_put_uint(cbor_item_t *map, const char *key, uint64_t v);
int smp_put_int(cbor_item_t *map, const char *key, int64_t v);
int smp_put_bool(cbor_item_t *map, const char *key, bool v);
int smp_put_text(cbor_item_t *map, const char *key, const char *v);
int smp_put_bytes(cbor_item_t *map, const char *key, const uint8_t *v, size_t len);
/* Takes ownership of value (decref'd even on failure). */
int smp_put_item(cbor_item_t *map, const char *key, cbor_item_t *value);

/* Smallest unsigned integer item that holds v, as CBOR encoders do. */
cbor_item_t *smp_cbor_uint(uint64_t v);
cbor_item_t *smp_cbor_int(int64_t v);

/* Bytes of the CBOR head (major type + length) for a value of length n. */
size_t smp_cbor_head_len(uint64_t n);

#endif
