/* Small typed accessors over libcbor item trees, for the host: the CLI's
 * JSON of unknown maps, raw, the simulator and tests. The core reads and
 * writes in place (smp/cbor_read.h, smp/cbor_write.h).
 * Maps, arrays, byte and text strings may be definite or indefinite length:
 * devices differ, and every accessor here accepts both. */
#ifndef HOST_CBOR_TREE_H
#define HOST_CBOR_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cbor.h>

#include "smp/cbor_read.h"

/* Decodes one CBOR map filling buf exactly. On failure returns NULL and
 * sets *why to a short static description. */
cbor_item_t *tree_decode_map(const uint8_t *buf, size_t len, const char **why);
/* A tree of an answer's map (already checked by the engine), for the
 * host's JSON and raw output; NULL on no memory or an empty view. */
cbor_item_t *tree_of(const struct smp_cbor *body);

/* Serialises item into a malloc'd buffer. Returns 0, or -1 on no memory. */
int tree_encode(const cbor_item_t *item, uint8_t **buf, size_t *len);

/* Value for a text key, or NULL. The first match wins. */
cbor_item_t *tree_map_get(const cbor_item_t *map, const char *key);

bool tree_text_eq(const cbor_item_t *item, const char *s);

int tree_get_uint(const cbor_item_t *map, const char *key, uint64_t *out);
int tree_get_int(const cbor_item_t *map, const char *key, int64_t *out);
int tree_get_bool(const cbor_item_t *map, const char *key, bool *out);
/* NUL-terminated copy, malloc'd. */
int tree_get_text(const cbor_item_t *map, const char *key, char **out);
/* Copy of a byte string, malloc'd (NULL when empty). */
int tree_get_bytes(const cbor_item_t *map, const char *key, uint8_t **out, size_t *len);

/* Item-level forms of the above, for array elements. */
int tree_item_uint(const cbor_item_t *item, uint64_t *out);
int tree_item_int(const cbor_item_t *item, int64_t *out);
int tree_item_bool(const cbor_item_t *item, bool *out);
int tree_item_float(const cbor_item_t *item, double *out);
int tree_item_text(const cbor_item_t *item, char **out);

enum smp_simple tree_item_simple(const cbor_item_t *item);
int tree_item_bytes(const cbor_item_t *item, uint8_t **out, size_t *len);

/* Builders: each returns 0, or -1 on no memory. */
int tree_put_uint(cbor_item_t *map, const char *key, uint64_t v);
int tree_put_int(cbor_item_t *map, const char *key, int64_t v);
int tree_put_bool(cbor_item_t *map, const char *key, bool v);
int tree_put_text(cbor_item_t *map, const char *key, const char *v);
int tree_put_bytes(cbor_item_t *map, const char *key, const uint8_t *v, size_t len);
/* Takes ownership of value (decref'd even on failure). */
int tree_put_item(cbor_item_t *map, const char *key, cbor_item_t *value);

/* Smallest unsigned integer item that holds v, as CBOR encoders do. */
cbor_item_t *tree_uint(uint64_t v);
cbor_item_t *tree_int(int64_t v);

#endif
