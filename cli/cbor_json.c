#include "cli/cbor_json.h"

#include <stdlib.h>
#include <string.h>

#include "smp/hex.h"
#include "smp/cbor_util.h"

static json_t *string_to_json(const cbor_item_t *item, bool text)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	json_t *out = NULL;
	char *hex;

	if ((text ? smp_item_text(item, (char **)&buf) : smp_item_bytes(item, &buf, &len)) != 0)
		return NULL;
	if (text) {
		out = json_stringn((const char *)buf, strlen((const char *)buf));
	} else {
		hex = malloc(2 * len + 1);
		if (hex) {
			hex_encode(buf, len, hex);
			out = json_string(hex);
			free(hex);
		}
	}
	free(buf);
	return out;
}

static json_t *map_to_json(const cbor_item_t *item)
{
	struct cbor_pair *pairs = cbor_map_handle(item);
	size_t i, n = cbor_map_size(item);
	json_t *obj = json_object();

	for (i = 0; obj && i < n; i++) {
		json_t *k = cbor_to_json(pairs[i].key), *v = cbor_to_json(pairs[i].value);
		char *key = NULL;

		/* JSON keys are text; other CBOR keys are written as JSON text. */
		if (k && v)
			key = json_is_string(k) ? strdup(json_string_value(k))
						: json_dumps(k, JSON_ENCODE_ANY | JSON_COMPACT);
		if (!key || json_object_set_new(obj, key, v) != 0) {
			json_decref(v);
			json_decref(obj);
			obj = NULL;
		}
		free(key);
		json_decref(k);
	}
	return obj;
}

json_t *cbor_to_json(const cbor_item_t *item)
{
	int64_t i;
	size_t k, n;
	json_t *arr;

	switch (cbor_typeof(item)) {
	case CBOR_TYPE_UINT:
	case CBOR_TYPE_NEGINT:
		if (smp_item_int(item, &i) != 0)
			return json_real((double)cbor_get_int(item));
		return json_integer(i);
	case CBOR_TYPE_BYTESTRING:
		return string_to_json(item, false);
	case CBOR_TYPE_STRING:
		return string_to_json(item, true);
	case CBOR_TYPE_ARRAY:
		arr = json_array();
		n = cbor_array_size(item);
		for (k = 0; arr && k < n; k++) {
			cbor_item_t *el = cbor_array_get(item, k);
			json_t *v = el ? cbor_to_json(el) : NULL;

			if (el)
				cbor_decref(&el);
			if (!v || json_array_append_new(arr, v) != 0) {
				json_decref(arr);
				arr = NULL;
			}
		}
		return arr;
	case CBOR_TYPE_MAP:
		return map_to_json(item);
	case CBOR_TYPE_TAG: {
		/* Tags mean nothing to a JSON reader: print the tagged value. */
		cbor_item_t *tagged = cbor_tag_item(item);	/* referenced */
		json_t *v = cbor_to_json(tagged);

		cbor_decref(&tagged);
		return v;
	}
	case CBOR_TYPE_FLOAT_CTRL:
		if (cbor_is_bool(item))
			return json_boolean(cbor_get_bool(item));
		if (cbor_is_null(item) || cbor_is_undef(item))
			return json_null();
		return json_real(cbor_float_get_float(item));
	}
	return NULL;
}

cbor_item_t *json_to_cbor(const json_t *value, const char **why)
{
	cbor_item_t *out = NULL, *el;
	const char *key;
	json_t *v;
	size_t i;

	switch (json_typeof(value)) {
	case JSON_OBJECT:
		out = cbor_new_definite_map(json_object_size(value));
		json_object_foreach((json_t *)value, key, v) {
			el = json_to_cbor(v, why);
			if (!out || !el || smp_put_item(out, key, el) != 0) {
				if (out)
					cbor_decref(&out);
				return NULL;
			}
		}
		return out;
	case JSON_ARRAY:
		out = cbor_new_definite_array(json_array_size(value));
		json_array_foreach(value, i, v) {
			el = json_to_cbor(v, why);
			if (!out || !el || !cbor_array_push(out, el)) {
				if (el)
					cbor_decref(&el);
				if (out)
					cbor_decref(&out);
				return NULL;
			}
			cbor_decref(&el);
		}
		return out;
	case JSON_STRING:
		return cbor_build_string(json_string_value(value));
	case JSON_INTEGER:
		return smp_cbor_int(json_integer_value(value));
	case JSON_REAL:
		return cbor_build_float8(json_real_value(value));
	case JSON_TRUE:
		return cbor_build_bool(true);
	case JSON_FALSE:
		return cbor_build_bool(false);
	case JSON_NULL:
		return cbor_new_null();
	}
	*why = "unsupported JSON value";
	return NULL;
}
