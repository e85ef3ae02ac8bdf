/* raw's request body: JSON text (as typed on the command line) to CBOR,
 * with {"$hex": ...} for byte strings; then, as -vv shows it, the CBOR
 * back through the decoder and CBOR-to-JSON. The converter is static in
 * cli/cmd/cmd_raw.c, so that file is compiled into this one. */
#define cmd_raw fuzz_cmd_raw_unused
#define raw_options fuzz_raw_options_unused
#include "cli/cmd/cmd_raw.c"
#undef raw_options
#undef cmd_raw

#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cli_ctx ctx;
	cbor_item_t *body = NULL, *back;
	const char *why;
	uint8_t *cbor = NULL;
	size_t len = 0;
	char *arg = malloc(size + 1);
	json_t *js;

	if (!arg)
		return 0;
	memcpy(arg, data, size);
	arg[size] = 0;
	memset(&ctx, 0, sizeof(ctx));
	ctx.out = ctx.err = fuzz_null_stream();
	/* "-" reads stdin */
	if (strcmp(arg, "-") != 0 && request_body(&ctx, arg, &body) == EXIT_OK) {
		if (tree_encode(body, &cbor, &len) == 0) {
			back = tree_decode_map(cbor, len, &why);
			js = back ? cbor_to_json(back) : NULL;
			json_decref(js);
			if (back)
				cbor_decref(&back);
			free(cbor);
		}
		cbor_decref(&body);
	}
	free(arg);
	return 0;
}
