#include "cli/ui/cbor_json.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "smp/hex.h"
#include "host/cbor_tree.h"

static json_t *item_to_json(const cbor_item_t *item, unsigned depth);

static json_t *string_to_json(const cbor_item_t *item, bool text)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	json_t *out = NULL;
	char *hex;

	if ((text ? tree_item_text(item, (char **)&buf) : tree_item_bytes(item, &buf, &len)) != 0)
		return NULL;
	if (text) {
		out = json_stringn((const char *)buf, strlen((const char *)buf));
	} else {
		hex = malloc(2 * len + 1);
		if (hex) {
			smp_hex_encode(buf, len, hex);
			out = json_string(hex);
			free(hex);
		}
	}
	free(buf);
	return out;
}

/* Text for a map key that is not text. Writing the key's JSON and then
 * that text as a key again at every level doubles the escaping each time
 * (a 55-byte answer of maps keyed by maps took seconds and hundreds of
 * megabytes), so nested containers are written here in one pass, leaves
 * through jansson. */
struct key_text {
	char *s;
	size_t len, cap;
	bool failed;
};

static void key_append(struct key_text *k, const char *s, size_t n)
{
	char *grown;

	if (k->failed)
		return;
	if (k->len + n + 1 > k->cap) {
		size_t cap = k->cap ? k->cap : 32;

		while (cap < k->len + n + 1)
			cap *= 2;
		grown = realloc(k->s, cap);
		if (!grown) {
			k->failed = true;
			return;
		}
		k->s = grown;
		k->cap = cap;
	}
	memcpy(k->s + k->len, s, n);
	k->len += n;
	k->s[k->len] = 0;
}

static void key_leaf(struct key_text *k, const cbor_item_t *item, unsigned depth)
{
	json_t *v = item_to_json(item, depth);
	char *text = v ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;

	if (text)
		key_append(k, text, strlen(text));
	else
		k->failed = true;
	free(text);
	json_decref(v);
}

static void key_write(struct key_text *k, const cbor_item_t *item, unsigned depth)
{
	size_t i, n;

	if (k->failed || depth >= CBOR_JSON_MAX_DEPTH) {
		k->failed = true;
		return;
	}
	switch (cbor_typeof(item)) {
	case CBOR_TYPE_ARRAY:
		key_append(k, "[", 1);
		n = cbor_array_size(item);
		for (i = 0; i < n && !k->failed; i++) {
			if (i)
				key_append(k, ",", 1);
			key_write(k, cbor_array_handle(item)[i], depth + 1);
		}
		key_append(k, "]", 1);
		return;
	case CBOR_TYPE_MAP:
		key_append(k, "{", 1);
		n = cbor_map_size(item);
		for (i = 0; i < n && !k->failed; i++) {
			struct cbor_pair *p = &cbor_map_handle(item)[i];

			if (i)
				key_append(k, ",", 1);
			key_write(k, p->key, depth + 1);
			key_append(k, ":", 1);
			key_write(k, p->value, depth + 1);
		}
		key_append(k, "}", 1);
		return;
	case CBOR_TYPE_TAG: {
		cbor_item_t *tagged = cbor_tag_item(item); /* referenced */

		key_write(k, tagged, depth + 1);
		cbor_decref(&tagged);
		return;
	}
	default:
		key_leaf(k, item, depth);
	}
}

/* JSON keys are text; text and byte-string keys are written as their text
 * (hex for bytes), other keys as compact JSON. malloc'd, or NULL. */
static char *key_to_text(const cbor_item_t *key, unsigned depth)
{
	struct key_text k = { 0 };
	json_t *v;

	if (cbor_isa_string(key) || cbor_isa_bytestring(key)) {
		v = item_to_json(key, depth);
		k.s = v ? strdup(json_string_value(v)) : NULL;
		json_decref(v);
		return k.s;
	}
	key_write(&k, key, depth);
	if (k.failed) {
		free(k.s);
		return NULL;
	}
	return k.s;
}

static json_t *map_to_json(const cbor_item_t *item, unsigned depth)
{
	struct cbor_pair *pairs = cbor_map_handle(item);
	size_t i, n = cbor_map_size(item);
	json_t *obj = json_object();

	for (i = 0; obj && i < n; i++) {
		char *key = key_to_text(pairs[i].key, depth + 1);
		json_t *v = key ? item_to_json(pairs[i].value, depth + 1) : NULL;

		if (!v || json_object_set_new(obj, key, v) != 0) {
			json_decref(obj);
			obj = NULL;
		}
		free(key);
	}
	return obj;
}

static json_t *array_to_json(const cbor_item_t *item, unsigned depth)
{
	size_t k, n = cbor_array_size(item);
	json_t *arr = json_array();

	for (k = 0; arr && k < n; k++) {
		json_t *v = item_to_json(cbor_array_handle(item)[k], depth + 1);

		if (!v || json_array_append_new(arr, v) != 0) {
			json_decref(arr);
			arr = NULL;
		}
	}
	return arr;
}

/* Major type 7 through the one safe predicate: libcbor's own abort on a
 * float where a boolean is asked for. Simple values other than the four
 * named ones have no JSON form: null, as for undefined. */
static json_t *simple_to_json(const cbor_item_t *item)
{
	double d = 0;

	switch (tree_item_simple(item)) {
	case SMP_SIMPLE_FALSE:
		return json_false();
	case SMP_SIMPLE_TRUE:
		return json_true();
	case SMP_SIMPLE_FLOAT:
		tree_item_float(item, &d);
		/* JSON has no NaN or infinity; jansson refuses them. */
		return isfinite(d) ? json_real(d) : json_null();
	default:
		return json_null();
	}
}

static json_t *item_to_json(const cbor_item_t *item, unsigned depth)
{
	int64_t i;

	if (!item || depth >= CBOR_JSON_MAX_DEPTH)
		return NULL;
	switch (cbor_typeof(item)) {
	case CBOR_TYPE_UINT:
	case CBOR_TYPE_NEGINT:
		if (tree_item_int(item, &i) != 0)
			return json_real((double)cbor_get_int(item));
		return json_integer(i);
	case CBOR_TYPE_BYTESTRING:
		return string_to_json(item, false);
	case CBOR_TYPE_STRING:
		return string_to_json(item, true);
	case CBOR_TYPE_ARRAY:
		return array_to_json(item, depth);
	case CBOR_TYPE_MAP:
		return map_to_json(item, depth);
	case CBOR_TYPE_TAG: {
		/* Tags mean nothing to a JSON reader: print the tagged value. */
		cbor_item_t *tagged = cbor_tag_item(item); /* referenced */
		json_t *v = item_to_json(tagged, depth + 1);

		cbor_decref(&tagged);
		return v;
	}
	case CBOR_TYPE_FLOAT_CTRL:
		return simple_to_json(item);
	}
	return NULL;
}

json_t *cbor_to_json(const cbor_item_t *item)
{
	return item_to_json(item, 0);
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
		json_object_foreach((json_t *)value, key, v)
		{
			el = json_to_cbor(v, why);
			if (!out || !el || tree_put_item(out, key, el) != 0) {
				if (out)
					cbor_decref(&out);
				return NULL;
			}
		}
		return out;
	case JSON_ARRAY:
		out = cbor_new_definite_array(json_array_size(value));
		json_array_foreach(value, i, v)
		{
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
		return tree_int(json_integer_value(value));
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

json_t *cbor_view_to_json(const struct smp_cbor *body)
{
	cbor_item_t *tree = tree_of(body);
	json_t *out;

	if (!tree)
		return NULL;
	out = cbor_to_json(tree);
	cbor_decref(&tree);
	return out;
}
