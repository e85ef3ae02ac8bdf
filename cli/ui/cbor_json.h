/* CBOR to JSON for --json output and raw requests: byte strings become
 * lower-case hex text, as mcumgr tools print hashes. */
#ifndef CLI_CBOR_JSON_H
#define CLI_CBOR_JSON_H

#include <cbor.h>
#include <jansson.h>

#include "smp/cbor_read.h"

/* Nesting deeper than this gives NULL: libcbor's decoder is kept shallower
 * (SMP_CBOR_MAX_DEPTH), this guards items built some other way. */
#define CBOR_JSON_MAX_DEPTH 64

/* NULL on no memory or too deep. Linear in the item's size, map keys that
 * are themselves maps included. */
json_t *cbor_to_json(const cbor_item_t *item);
/* The same for an answer's map viewed in place (an engine response's
 * body); NULL also for an empty view. */
json_t *cbor_view_to_json(const struct smp_cbor *body);
/* Integers, reals, booleans, null, text, arrays and objects; NULL (with
 * why set) for what CBOR cannot carry. */
cbor_item_t *json_to_cbor(const json_t *value, const char **why);

#endif
