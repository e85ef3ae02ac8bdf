/* The core's in-place reader against libcbor's tree decoder: whatever
 * passes the check must load as a tree, and every key and value the
 * reader finds must be what the tree holds. */
#include <stdlib.h>
#include <string.h>

#include "host/cbor_tree.h"
#include "smp/cbor_read.h"
#include "tests/fuzz/fuzz.h"

/* Walks every element, asking every accessor, to reach every path. */
static void walk(const struct smp_cbor *item, unsigned depth)
{
	struct smp_cbor_iter it;
	struct smp_cbor e;
	char text[16];
	uint8_t bytes[16];
	uint64_t u;
	int64_t i;
	double f;
	size_t len;
	bool b;

	if (depth > SMP_CBOR_MAX_DEPTH + 1)
		abort(); /* the check bounds nesting */
	smp_item_uint(item, &u);
	smp_item_int(item, &i);
	smp_item_bool(item, &b);
	smp_item_float(item, &f);
	smp_item_text(item, text, sizeof(text));
	if (smp_item_bytes(item, bytes, sizeof(bytes), &len) != SMP_GET_TYPE && len > sizeof(bytes))
		abort();
	smp_item_text_len(item, &len);
	if (smp_cbor_enter(item, &it) == SMP_GET_OK)
		while (smp_cbor_next(&it, &e)) {
			if (e.p < item->p || e.p + e.len > item->p + item->len)
				abort();
			walk(&e, depth + 1);
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct smp_cbor map, k, v;
	struct smp_cbor_iter it;
	cbor_item_t *tree, *tv;
	const char *why;
	char key[32];
	uint64_t a, b;
	size_t klen;

	if (smp_cbor_decode_map(data, size, &map, &why) != 0)
		return 0;
	walk(&map, 0);
	tree = tree_decode_map(data, size, &why);
	if (!tree)
		abort(); /* the reader took what libcbor refuses */
	smp_cbor_enter(&map, &it);
	while (smp_cbor_next(&it, &k) && smp_cbor_next(&it, &v)) {
		if (smp_item_text(&k, key, sizeof(key)) != SMP_GET_OK ||
		    smp_item_text_len(&k, &klen) != SMP_GET_OK || strlen(key) != klen)
			continue;
		/* The first match wins in both; a key with a NUL in it is
		 * not one either can be asked for. */
		if (smp_map_find(&map, key, &v) != SMP_GET_OK)
			abort();
		tv = tree_map_get(tree, key);
		if (!tv)
			abort();
		if ((smp_item_uint(&v, &a) == SMP_GET_OK) != (tree_item_uint(tv, &b) == SMP_GET_OK))
			abort();
		if (smp_item_uint(&v, &a) == SMP_GET_OK && a != b)
			abort();
	}
	cbor_decref(&tree);
	return 0;
}
