#include "host/cbor_tree.h"

#include "smp/cbor_read.h"

#include <stdlib.h>
#include <string.h>

cbor_item_t *tree_decode_map(const uint8_t *buf, size_t len, const char **why)
{
	struct cbor_load_result res;
	cbor_item_t *item;
	size_t used = 0;

	if (len == 0) {
		*why = "empty payload";
		return NULL;
	}
	/* libcbor trusts declared lengths: check them all before it reads. */
	if (smp_cbor_check(buf, len, &used, why) != 0)
		return NULL;
	if (used != len) {
		*why = "trailing bytes after CBOR map";
		return NULL;
	}
	item = cbor_load(buf, len, &res);
	if (!item) {
		switch (res.error.code) {
		case CBOR_ERR_NOTENOUGHDATA:
			*why = "truncated CBOR";
			break;
		case CBOR_ERR_MEMERROR:
			*why = "out of memory decoding CBOR";
			break;
		default:
			*why = "malformed CBOR";
			break;
		}
		return NULL;
	}
	if (res.read != len) {
		*why = "trailing bytes after CBOR map";
		cbor_decref(&item);
		return NULL;
	}
	if (!cbor_isa_map(item)) {
		*why = "payload is not a CBOR map";
		cbor_decref(&item);
		return NULL;
	}
	return item;
}

cbor_item_t *tree_of(const struct smp_cbor *body)
{
	const char *why;

	if (!body || !body->p || !body->len)
		return NULL;
	return tree_decode_map(body->p, body->len, &why);
}

int tree_encode(const cbor_item_t *item, uint8_t **buf, size_t *len)
{
	unsigned char *out = NULL;
	size_t cap = 0;
	size_t n = cbor_serialize_alloc(item, &out, &cap);

	if (n == 0) {
		free(out);
		return -1;
	}
	*buf = out;
	*len = n;
	return 0;
}

/* Gathers a possibly chunked (indefinite) byte or text string. */
static int string_copy(const cbor_item_t *item, bool text, uint8_t **out, size_t *len)
{
	size_t total = 0, i, nchunks;
	cbor_item_t **chunks;
	uint8_t *buf;

	if (text ? !cbor_isa_string(item) : !cbor_isa_bytestring(item))
		return SMP_GET_TYPE;
	if (text ? cbor_string_is_definite(item) : cbor_bytestring_is_definite(item)) {
		total = text ? cbor_string_length(item) : cbor_bytestring_length(item);
		buf = malloc(total + 1);
		if (!buf)
			return SMP_GET_NOMEM;
		if (total)
			memcpy(buf, text ? cbor_string_handle(item) : cbor_bytestring_handle(item),
			       total);
		buf[total] = 0;
		*out = buf;
		*len = total;
		return SMP_GET_OK;
	}
	nchunks = text ? cbor_string_chunk_count(item) : cbor_bytestring_chunk_count(item);
	chunks = text ? cbor_string_chunks_handle(item) : cbor_bytestring_chunks_handle(item);
	for (i = 0; i < nchunks; i++)
		total += text ? cbor_string_length(chunks[i]) : cbor_bytestring_length(chunks[i]);
	buf = malloc(total + 1);
	if (!buf)
		return SMP_GET_NOMEM;
	total = 0;
	for (i = 0; i < nchunks; i++) {
		size_t n = text ? cbor_string_length(chunks[i]) : cbor_bytestring_length(chunks[i]);
		const void *src = text ? (const void *)cbor_string_handle(chunks[i])
				       : (const void *)cbor_bytestring_handle(chunks[i]);
		if (n)
			memcpy(buf + total, src, n);
		total += n;
	}
	buf[total] = 0;
	*out = buf;
	*len = total;
	return SMP_GET_OK;
}

bool tree_text_eq(const cbor_item_t *item, const char *s)
{
	size_t n = strlen(s), len;
	uint8_t *copy;
	bool eq;

	if (!cbor_isa_string(item))
		return false;
	if (cbor_string_is_definite(item))
		return cbor_string_length(item) == n && memcmp(cbor_string_handle(item), s, n) == 0;
	if (string_copy(item, true, &copy, &len) != SMP_GET_OK)
		return false;
	eq = len == n && memcmp(copy, s, n) == 0;
	free(copy);
	return eq;
}

cbor_item_t *tree_map_get(const cbor_item_t *map, const char *key)
{
	struct cbor_pair *pairs;
	size_t i, n;

	if (!map || !cbor_isa_map(map))
		return NULL;
	pairs = cbor_map_handle(map);
	n = cbor_map_size(map);
	for (i = 0; i < n; i++)
		if (pairs[i].key && pairs[i].value && tree_text_eq(pairs[i].key, key))
			return pairs[i].value;
	return NULL;
}

int tree_item_uint(const cbor_item_t *item, uint64_t *out)
{
	if (!cbor_isa_uint(item))
		return SMP_GET_TYPE;
	*out = cbor_get_int(item);
	return SMP_GET_OK;
}

int tree_item_int(const cbor_item_t *item, int64_t *out)
{
	uint64_t v;

	if (!cbor_is_int(item))
		return SMP_GET_TYPE;
	v = cbor_get_int(item);
	if (v > INT64_MAX)
		return SMP_GET_TYPE;
	/* CBOR negative integers store -1 - n. */
	*out = cbor_isa_uint(item) ? (int64_t)v : -1 - (int64_t)v;
	return SMP_GET_OK;
}

/* libcbor 0.8's cbor_is_bool, cbor_is_null, cbor_is_undef and
 * cbor_ctrl_value assert when given a float, and
 * cbor_float_get_float asserts on a simple value: look at the width first. */
enum smp_simple tree_item_simple(const cbor_item_t *item)
{
	if (!item || !cbor_isa_float_ctrl(item))
		return SMP_SIMPLE_NONE;
	if (cbor_float_get_width(item) != CBOR_FLOAT_0)
		return SMP_SIMPLE_FLOAT;
	switch (cbor_ctrl_value(item)) {
	case CBOR_CTRL_FALSE:
		return SMP_SIMPLE_FALSE;
	case CBOR_CTRL_TRUE:
		return SMP_SIMPLE_TRUE;
	case CBOR_CTRL_NULL:
		return SMP_SIMPLE_NULL;
	case CBOR_CTRL_UNDEF:
		return SMP_SIMPLE_UNDEF;
	}
	return SMP_SIMPLE_OTHER;
}

int tree_item_bool(const cbor_item_t *item, bool *out)
{
	switch (tree_item_simple(item)) {
	case SMP_SIMPLE_FALSE:
		*out = false;
		return SMP_GET_OK;
	case SMP_SIMPLE_TRUE:
		*out = true;
		return SMP_GET_OK;
	default:
		return SMP_GET_TYPE;
	}
}

int tree_item_float(const cbor_item_t *item, double *out)
{
	if (tree_item_simple(item) != SMP_SIMPLE_FLOAT)
		return SMP_GET_TYPE;
	*out = cbor_float_get_float(item);
	return SMP_GET_OK;
}

int tree_item_text(const cbor_item_t *item, char **out)
{
	size_t len;

	return string_copy(item, true, (uint8_t **)out, &len);
}

int tree_item_bytes(const cbor_item_t *item, uint8_t **out, size_t *len)
{
	return string_copy(item, false, out, len);
}

int tree_get_uint(const cbor_item_t *map, const char *key, uint64_t *out)
{
	cbor_item_t *v = tree_map_get(map, key);

	return v ? tree_item_uint(v, out) : SMP_GET_ABSENT;
}

int tree_get_int(const cbor_item_t *map, const char *key, int64_t *out)
{
	cbor_item_t *v = tree_map_get(map, key);

	return v ? tree_item_int(v, out) : SMP_GET_ABSENT;
}

int tree_get_bool(const cbor_item_t *map, const char *key, bool *out)
{
	cbor_item_t *v = tree_map_get(map, key);

	if (!v)
		return SMP_GET_ABSENT;
	return tree_item_bool(v, out);
}

int tree_get_text(const cbor_item_t *map, const char *key, char **out)
{
	cbor_item_t *v = tree_map_get(map, key);

	return v ? tree_item_text(v, out) : SMP_GET_ABSENT;
}

int tree_get_bytes(const cbor_item_t *map, const char *key, uint8_t **out, size_t *len)
{
	cbor_item_t *v = tree_map_get(map, key);

	return v ? tree_item_bytes(v, out, len) : SMP_GET_ABSENT;
}

cbor_item_t *tree_uint(uint64_t v)
{
	if (v <= UINT8_MAX)
		return cbor_build_uint8((uint8_t)v);
	if (v <= UINT16_MAX)
		return cbor_build_uint16((uint16_t)v);
	if (v <= UINT32_MAX)
		return cbor_build_uint32((uint32_t)v);
	return cbor_build_uint64(v);
}

cbor_item_t *tree_int(int64_t v)
{
	cbor_item_t *item;
	uint64_t n;

	if (v >= 0)
		return tree_uint((uint64_t)v);
	n = (uint64_t)(-1 - v);
	item = tree_uint(n);
	if (item)
		cbor_mark_negint(item);
	return item;
}

int tree_put_item(cbor_item_t *map, const char *key, cbor_item_t *value)
{
	cbor_item_t *k = cbor_build_string(key);
	bool ok = false;

	if (k && value)
		ok = cbor_map_add(map, (struct cbor_pair){ .key = k, .value = value });
	if (k)
		cbor_decref(&k);
	if (value)
		cbor_decref(&value);
	return ok ? 0 : -1;
}

int tree_put_uint(cbor_item_t *map, const char *key, uint64_t v)
{
	return tree_put_item(map, key, tree_uint(v));
}

int tree_put_int(cbor_item_t *map, const char *key, int64_t v)
{
	return tree_put_item(map, key, tree_int(v));
}

int tree_put_bool(cbor_item_t *map, const char *key, bool v)
{
	return tree_put_item(map, key, cbor_build_bool(v));
}

int tree_put_text(cbor_item_t *map, const char *key, const char *v)
{
	return tree_put_item(map, key, cbor_build_string(v));
}

int tree_put_bytes(cbor_item_t *map, const char *key, const uint8_t *v, size_t len)
{
	/* libcbor copies; a zero-length string still needs a valid pointer. */
	static const uint8_t empty[1];

	return tree_put_item(map, key, cbor_build_bytestring(len ? v : empty, len));
}
