/* Any CBOR item (not only a map) through the pre-scan, libcbor, and
 * CBOR-to-JSON as --json, raw and -vv print answers, then the JSON text
 * through the terminal escaper as human output prints device text. */
#include <stdlib.h>
#include <string.h>

#include "cli/ui/cbor_json.h"
#include "cli/ui/text_safe.h"
#include "smp/cbor_read.h"
#include "host/cbor_tree.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cbor_load_result res;
	cbor_item_t *item;
	const char *why;
	size_t used;
	json_t *js;
	char *text, line[64];
	bool b;

	/* The escaper on the raw bytes, as text. */
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	text_safe_write(fuzz_null_stream(), text, size, TEXT_SAFE_LINES);
	text_safe_str(line, sizeof(line), text);
	if (strlen(line) >= sizeof(line))
		abort();
	free(text);

	if (size == 0 || smp_cbor_check(data, size, &used, &why) != 0)
		return 0;
	item = cbor_load(data, used, &res);
	if (!item)
		return 0;
	tree_item_simple(item);
	tree_item_bool(item, &b);
	js = cbor_to_json(item);
	text = js ? json_dumps(js, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
	if (text)
		text_safe_puts(fuzz_null_stream(), text, TEXT_SAFE_LINE);
	free(text);
	json_decref(js);
	cbor_decref(&item);
	return 0;
}
