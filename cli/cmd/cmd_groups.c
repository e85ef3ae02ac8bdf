/* The enumeration group: `groups` lists what the device supports; and
 * the request helpers of the other groups, whose "not supported" answers
 * that list explains (cli/group_explain.c). */
#include <stdlib.h>
#include <string.h>

#include "cli/cmd/commands.h"
#include "cli/opts.h"
#include "smp/grp_enum.h"

int cli_group_report(struct cli_ctx *ctx, const char *what, const struct smp_response *rsp)
{
	char line[160], why[512];

	if (rsp->result == SMP_E_DEVICE && rsp->status.kind == SMP_STATUS_RC &&
	    rsp->status.rc == SMP_MGMT_ERR_ENOTSUP &&
	    cli_explain_unsupported(ctx, rsp->hdr.group, why, sizeof(why))) {
		smp_status_format(&rsp->status, line, sizeof(line));
		return cli_fail(ctx, EXIT_DEVICE, "%s: device error: %s; %s", what, line, why);
	}
	return cli_report_response(ctx, what, rsp);
}

int cli_group_call(struct cli_ctx *ctx, const char *what, const struct smp_request *req,
		   struct smp_response *rsp)
{
	int rc;

	memset(rsp, 0, sizeof(*rsp));
	rc = cli_connect(ctx);
	if (rc != EXIT_OK)
		return rc;
	smp_call(&ctx->engine, req, rsp);
	return cli_group_report(ctx, what, rsp);
}

int cli_group_request(struct cli_ctx *ctx, const char *what, uint8_t op, uint16_t group, uint8_t id,
		      const uint8_t *body, size_t body_len, struct smp_response *rsp)
{
	struct smp_request req = {
		.op = op, .group = group, .id = id, .body = body, .body_len = body_len
	};

	return cli_group_call(ctx, what, &req, rsp);
}

/* ---- smpctl groups ------------------------------------------------- */

struct groups_view {
	uint64_t count;
	struct smp_enum_list list;
	bool has_details;
	struct smp_enum_details details;
};

static const struct smp_enum_detail *detail_of(const struct groups_view *v, uint16_t id)
{
	for (size_t i = 0; v->has_details && i < v->details.count; i++)
		if (v->details.items[i].group == id)
			return &v->details.items[i];
	return NULL;
}

/* Details are optional (CONFIG_MCUMGR_GRP_ENUM_DETAILS): a device
 * without them still lists its groups. */
static int fetch_details(struct cli_ctx *ctx, struct groups_view *v, const uint16_t *ids,
			 size_t nids)
{
	struct smp_request req = { .op = SMP_OP_READ,
				   .group = SMP_GROUP_ENUM,
				   .id = SMP_ENUM_DETAILS };
	struct smp_response rsp;
	/* {"groups": [ids]}: at most 64 ids of 3 bytes, and the heads. */
	uint8_t body[256];
	struct smp_cbor_writer w;
	const char *why;
	int rc = EXIT_OK;

	smp_cbor_writer_init(&w, body, sizeof(body));
	if (smp_enum_details_req(&w, ids, nids) != 0)
		return cli_fail(ctx, EXIT_LOCAL, "groups: too many group numbers");
	req.body = body;
	req.body_len = w.len;
	smp_call(&ctx->engine, &req, &rsp);
	if (rsp.result == SMP_E_DEVICE && rsp.status.kind == SMP_STATUS_RC &&
	    rsp.status.rc == SMP_MGMT_ERR_ENOTSUP)
		cli_verbose(ctx, 1, "groups: the device gives no details (names, handler counts)");
	else if (rsp.result != SMP_OK)
		rc = cli_report_response(ctx, "groups", &rsp);
	else if (smp_enum_details_rsp(&rsp.body, &v->details, &why) != 0)
		rc = cli_bad_answer(ctx, "groups", why);
	else
		v->has_details = true;
	smp_response_clear(&rsp);
	return rc;
}

static int fetch_groups(struct cli_ctx *ctx, struct groups_view *v, const uint16_t *ids,
			size_t nids)
{
	struct smp_response rsp;
	const char *why;
	int rc;

	rc = cli_group_request(ctx, "groups", SMP_OP_READ, SMP_GROUP_ENUM, SMP_ENUM_COUNT, NULL, 0,
			       &rsp);
	if (rc != EXIT_OK)
		return rc;
	if (smp_enum_count_rsp(&rsp.body, &v->count, &why) != 0)
		rc = cli_bad_answer(ctx, "groups", why);
	smp_response_clear(&rsp);
	if (rc != EXIT_OK)
		return rc;
	rc = cli_group_request(ctx, "groups", SMP_OP_READ, SMP_GROUP_ENUM, SMP_ENUM_LIST, NULL, 0,
			       &rsp);
	if (rc != EXIT_OK)
		return rc;
	if (smp_enum_list_rsp(&rsp.body, &v->list, &why) != 0)
		rc = cli_bad_answer(ctx, "groups", why);
	else if (v->list.count != v->count)
		rc = cli_bad_answer(ctx, "groups", "the count and the list of groups disagree");
	smp_response_clear(&rsp);
	return rc != EXIT_OK ? rc : fetch_details(ctx, v, ids, nids);
}

static bool listed(const uint16_t *ids, size_t n, uint16_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return n == 0;
}

/* The groups of ids the device has: its count when ids is empty. */
static size_t shown_count(const struct groups_view *v, const uint16_t *ids, size_t nids)
{
	size_t n = 0;

	for (size_t i = 0; i < v->list.count; i++)
		n += listed(ids, nids, v->list.ids[i]);
	return n;
}

/* The ids asked for that the device lacks, into missing. */
static size_t find_missing(const struct groups_view *v, const uint16_t *ids, size_t nids,
			   uint16_t *missing)
{
	size_t n = 0, i, k;

	for (i = 0; i < nids; i++) {
		for (k = 0; k < v->list.count && v->list.ids[k] != ids[i]; k++)
			;
		if (k == v->list.count)
			missing[n++] = ids[i];
	}
	return n;
}

static json_t *groups_json(const struct groups_view *v, const uint16_t *ids, size_t nids)
{
	json_t *arr = json_array(), *o;

	for (size_t i = 0; arr && i < v->list.count; i++) {
		const struct smp_enum_detail *d = detail_of(v, v->list.ids[i]);

		if (!listed(ids, nids, v->list.ids[i]))
			continue;
		o = json_pack("{s:i,s:s?}", "id", v->list.ids[i], "name",
			      smp_group_name(v->list.ids[i]));
		if (o && d && d->has_name)
			json_object_set_new(o, "device_name", json_string(d->name));
		if (o && d && d->has_handlers)
			json_object_set_new(o, "handlers", json_integer(d->handlers));
		json_array_append_new(arr, o);
	}
	return json_pack("{s:I,s:o}", "count", (json_int_t)shown_count(v, ids, nids), "groups",
			 arr);
}

static void print_groups(struct cli_ctx *ctx, const struct groups_view *v, const uint16_t *ids,
			 size_t nids)
{
	fprintf(ctx->out, "%zu groups\n", shown_count(v, ids, nids));
	fprintf(ctx->out, "%-6s %-13s %-20s %s\n", "ID", "GROUP", "DEVICE NAME", "HANDLERS");
	for (size_t i = 0; i < v->list.count; i++) {
		const struct smp_enum_detail *d = detail_of(v, v->list.ids[i]);
		const char *name = smp_group_name(v->list.ids[i]);
		char handlers[16] = "-";

		if (!listed(ids, nids, v->list.ids[i]))
			continue;
		if (d && d->has_handlers)
			snprintf(handlers, sizeof(handlers), "%u", d->handlers);
		fprintf(ctx->out, "%-6u %-13s %-20s %s\n", v->list.ids[i],
			name ? name : (v->list.ids[i] >= SMP_GROUP_PERUSER ? "(user)" : "-"),
			d && d->has_name && d->name[0] ? SAFE(d->name) : "-", handlers);
	}
}

/* Shows the groups; ids the device lacks are a device error that names
 * them, after the ones it has. */
static int report_groups(struct cli_ctx *ctx, const struct groups_view *v, const uint16_t *ids,
			 size_t nids)
{
	uint16_t missing[64];
	size_t nmissing = find_missing(v, ids, nids, missing), n = 0;
	char names[400] = "";
	json_t *doc, *arr;
	int rc = EXIT_OK;

	for (size_t i = 0; i < nmissing && n < sizeof(names); i++)
		n += (size_t)snprintf(names + n, sizeof(names) - n, "%s%u", i ? ", " : "",
				      missing[i]);
	if (!ctx->opts.json)
		print_groups(ctx, v, ids, nids);
	if (nmissing)
		rc = cli_fail(ctx, EXIT_DEVICE, "groups: the device does not have group%s %s",
			      nmissing > 1 ? "s" : "", names);
	if (!ctx->opts.json)
		return rc;
	doc = groups_json(v, ids, nids);
	if (doc && nmissing) {
		arr = json_array();
		for (size_t i = 0; arr && i < nmissing; i++)
			json_array_append_new(arr, json_integer(missing[i]));
		json_object_set_new(doc, "missing", arr);
		json_object_set_new(doc, "ok", json_false());
		json_object_set_new(doc, "error", cli_json_error(ctx, rc));
	}
	cli_print_json(ctx, doc);
	return rc;
}

int cmd_groups(struct cli_ctx *ctx, int argc, char **argv)
{
	struct groups_view *v;
	uint16_t ids[64];
	size_t nids = 0;
	unsigned long id;
	int rc;

	if (argc > 1 && !strcmp(argv[1], "--"))
		argc--, argv++;
	if (argc - 1 > (int)(sizeof(ids) / sizeof(ids[0])))
		return cli_fail(ctx, EXIT_USAGE, "groups: too many group numbers");
	for (int i = 1; i < argc; i++) {
		if (cli_parse_uint_in(ctx, "GROUP-ID", argv[i], 0, UINT16_MAX, &id))
			return EXIT_USAGE;
		ids[nids++] = (uint16_t)id;
	}
	v = calloc(1, sizeof(*v));
	if (!v)
		return cli_fail(ctx, EXIT_LOCAL, "out of memory");
	rc = fetch_groups(ctx, v, ids, nids);
	if (rc == EXIT_OK)
		rc = report_groups(ctx, v, ids, nids);
	free(v);
	return rc;
}
