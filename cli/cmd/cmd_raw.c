/* raw GROUP ID [--write] [JSON]: any request, for user-defined groups (64
 * and up) and commands smpctl does not know. The JSON object goes out as
 * CBOR ({"$hex": "0a0b"} stands for a byte string); the answer comes back
 * as JSON, byte strings as hex. */
#include <stdlib.h>
#include <string.h>

#include "cli/ui/cbor_json.h"
#include "cli/cmd/commands.h"
#include "smp/hex.h"
#include "cli/opts.h"
#include "cli/parse_options.h"
#include "host/cbor_tree.h"

static const char usage[] = "usage: smpctl raw GROUP ID [--write] [JSON-OBJECT|-]";

static cbor_item_t *hex_bytes(const char *hex, const char **why)
{
	size_t cap = strlen(hex) / 2 + 1;
	uint8_t *buf = malloc(cap);
	long n = buf ? smp_hex_decode(hex, buf, cap) : -1;
	cbor_item_t *out = NULL;

	if (n < 0)
		*why = "a \"$hex\" value is not hex";
	else
		out = cbor_build_bytestring(buf, (size_t)n);
	free(buf);
	return out;
}

static cbor_item_t *to_cbor(const json_t *v, const char **why);

static cbor_item_t *object_to_cbor(const json_t *v, const char **why)
{
	cbor_item_t *map = cbor_new_definite_map(json_object_size(v)), *el;
	const char *key;
	json_t *member;

	json_object_foreach((json_t *)v, key, member)
	{
		el = map ? to_cbor(member, why) : NULL;
		if (!el) {
			if (map)
				cbor_decref(&map);
			return NULL;
		}
		if (tree_put_item(map, key, el) != 0) {
			cbor_decref(&map);
			return NULL;
		}
	}
	return map;
}

static cbor_item_t *array_to_cbor(const json_t *v, const char **why)
{
	cbor_item_t *arr = cbor_new_definite_array(json_array_size(v)), *el;
	size_t i;
	json_t *member;

	json_array_foreach(v, i, member)
	{
		el = arr ? to_cbor(member, why) : NULL;
		if (!el || !cbor_array_push(arr, el)) {
			if (el)
				cbor_decref(&el);
			if (arr)
				cbor_decref(&arr);
			return NULL;
		}
		cbor_decref(&el);
	}
	return arr;
}

static cbor_item_t *to_cbor(const json_t *v, const char **why)
{
	json_t *hex = json_is_object(v) && json_object_size(v) == 1 ? json_object_get(v, "$hex")
								    : NULL;

	if (hex)
		return json_is_string(hex) ? hex_bytes(json_string_value(hex), why)
					   : (*why = "a \"$hex\" value must be a string", NULL);
	if (json_is_object(v))
		return object_to_cbor(v, why);
	if (json_is_array(v))
		return array_to_cbor(v, why);
	return json_to_cbor(v, why);
}

/* The request body from the command line (or stdin for "-"). */
static int request_body(struct cli_ctx *ctx, const char *arg, cbor_item_t **body)
{
	json_error_t err;
	const char *why = "out of memory";
	json_t *doc;

	if (!arg) {
		*body = cbor_new_definite_map(0);
		return *body ? EXIT_OK : cli_fail(ctx, EXIT_LOCAL, "out of memory");
	}
	doc = strcmp(arg, "-") ? json_loads(arg, 0, &err) : json_loadf(stdin, 0, &err);
	if (!doc)
		return cli_fail(ctx, EXIT_USAGE, "raw: bad JSON: %s", err.text);
	if (!json_is_object(doc)) {
		json_decref(doc);
		return cli_fail(ctx, EXIT_USAGE, "raw: the request must be a JSON object");
	}
	*body = to_cbor(doc, &why);
	json_decref(doc);
	return *body ? EXIT_OK : cli_fail(ctx, EXIT_USAGE, "raw: %s", why);
}

struct raw_args {
	bool write;
};

const struct cli_option raw_options[] = {
	OPT_FLAG("write", 0, "send a write request (a read by default)", struct raw_args, write),
	OPT_END(),
};

int cmd_raw(struct cli_ctx *ctx, int argc, char **argv)
{
	struct raw_args a = { false };
	unsigned long group, id;
	cbor_item_t *body = NULL;
	struct smp_response rsp;
	uint8_t *encoded = NULL;
	size_t encoded_len = 0;
	json_t *doc;
	char what[32];
	int rc;

	if (cli_parse_options(ctx, &argc, argv, raw_options, &a, usage, 0) != EXIT_OK)
		return EXIT_USAGE;
	argc--;
	argv++;
	if (argc < 2 || argc > 3)
		return cli_fail(ctx, EXIT_USAGE, "%s", usage);
	if (cli_parse_uint_in(ctx, "GROUP", argv[0], 0, UINT16_MAX, &group) ||
	    cli_parse_uint_in(ctx, "ID", argv[1], 0, UINT8_MAX, &id))
		return EXIT_USAGE;
	rc = request_body(ctx, argc == 3 ? argv[2] : NULL, &body);
	if (rc != EXIT_OK)
		return rc;
	rc = tree_encode(body, &encoded, &encoded_len);
	cbor_decref(&body);
	if (rc != 0)
		return cli_fail(ctx, EXIT_LOCAL, "out of memory");
	snprintf(what, sizeof(what), "raw %lu %lu", group, id);
	rc = cli_group_request(ctx, what, a.write ? SMP_OP_WRITE : SMP_OP_READ, (uint16_t)group,
			       (uint8_t)id, encoded, encoded_len, &rsp);
	free(encoded);
	if (rc != EXIT_OK)
		return rc;
	doc = cbor_view_to_json(&rsp.body);
	smp_response_clear(&rsp);
	if (!doc)
		return cli_bad_answer(ctx, what, "the answer cannot be shown as JSON");
	cli_print_json(ctx, doc);
	return EXIT_OK;
}
