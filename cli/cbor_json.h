/* CBOR to JSON for --json output and raw requests: byte strings become
 * lower-case hex text, as mcumgr tools print hashes. */
#ifndef CLI_CBOR_JSON_H
#define CLI_CBOR_JSON_H

#include <cbor.h>
#include <jansson.h>

json_t *cbor_to_json(const cbor_item_t *item);
/* Integers, reals, booleans, null, text, arrays and objects; NULL (with
 * why set) for what CBOR cannot carry. */
cbor_item_t *json_to_cbor(const json_t *value, const char **why);

#endif
