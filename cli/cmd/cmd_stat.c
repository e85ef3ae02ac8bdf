/* Statistics group: stat list, stat read GROUP. */
#include <string.h>

#include "cli/cmd/commands.h"
#include "smp/grp_stat.h"

static int cmd_stat_list(struct cli_ctx *ctx, int argc, char **argv)
{
	struct smp_stat_list l;
	cbor_item_t *rsp = NULL;
	const char *why;
	json_t *arr;
	int rc;

	if (argc != 1)
		return cli_fail(ctx, EXIT_USAGE, "usage: smpctl stat list");
	rc = cli_group_request(ctx, "stat list", SMP_OP_READ, SMP_GROUP_STAT, SMP_STAT_LIST, NULL,
			       &rsp);
	if (rc != EXIT_OK)
		return rc;
	if (smp_stat_list_rsp(rsp, &l, &why) != 0) {
		cbor_decref(&rsp);
		return cli_bad_answer(ctx, "stat list", why);
	}
	if (ctx->opts.json) {
		arr = json_array();
		for (size_t i = 0; arr && i < l.count; i++)
			json_array_append_new(arr, json_string(l.names[i]));
		cli_print_json(ctx, json_pack("{s:o}", "groups", arr));
	} else {
		for (size_t i = 0; i < l.count; i++)
			fprintf(ctx->out, "%s\n", SAFE(l.names[i]));
	}
	smp_stat_list_free(&l);
	cbor_decref(&rsp);
	return EXIT_OK;
}

/* Zephyr answers an unknown statistics group with INVALID_STAT_NAME, filed
 * under the statistics group upstream and under group 63 by some forks:
 * say what it means either way. */
static int report_read_error(struct cli_ctx *ctx, const char *group, const struct smp_response *rsp)
{
	const struct smp_status *st = &rsp->status;

	if (rsp->result == SMP_E_DEVICE && st->kind == SMP_STATUS_ERR &&
	    st->rc == SMP_STAT_ERR_INVALID_STAT_NAME &&
	    (st->group == SMP_GROUP_STAT || st->group == SMP_GROUP_ZEPHYR_BASIC))
		return cli_fail(
			ctx, EXIT_DEVICE,
			"stat read: device error: stat: STAT_MGMT_ERR_INVALID_STAT_NAME (3): "
			"the device has no statistics group '%s' (see smpctl stat list)",
			group);
	return cli_group_report(ctx, "stat read", rsp);
}

static int cmd_stat_read(struct cli_ctx *ctx, int argc, char **argv)
{
	struct smp_request req = { .op = SMP_OP_READ,
				   .group = SMP_GROUP_STAT,
				   .id = SMP_STAT_SHOW };
	struct smp_response rsp;
	struct smp_stat_group g;
	const char *why;
	json_t *fields;
	int rc;

	if (argc != 2 || !argv[1][0])
		return cli_fail(ctx, EXIT_USAGE, "usage: smpctl stat read GROUP");
	rc = cli_connect(ctx);
	if (rc != EXIT_OK)
		return rc;
	req.body = smp_stat_show_req(argv[1]);
	if (!req.body)
		return cli_fail(ctx, EXIT_LOCAL, "out of memory");
	smp_call(&ctx->engine, &req, &rsp);
	cbor_decref((cbor_item_t **)&req.body);
	if (rsp.result != SMP_OK)
		rc = report_read_error(ctx, argv[1], &rsp);
	else if (smp_stat_show_rsp(rsp.body, &g, &why) != 0)
		rc = cli_bad_answer(ctx, "stat read", why);
	smp_response_clear(&rsp);
	if (rc != EXIT_OK)
		return rc;
	if (ctx->opts.json) {
		fields = json_object();
		for (size_t i = 0; fields && i < g.count; i++)
			json_object_set_new(fields, g.fields[i].name,
					    json_integer((json_int_t)g.fields[i].value));
		cli_print_json(ctx, json_pack("{s:s,s:o}", "name", g.name ? g.name : argv[1],
					      "fields", fields));
	} else {
		for (size_t i = 0; i < g.count; i++)
			fprintf(ctx->out, "%s: %llu\n", SAFE(g.fields[i].name),
				(unsigned long long)g.fields[i].value);
	}
	smp_stat_group_free(&g);
	return EXIT_OK;
}

const struct cli_cmd stat_commands[] = {
	{ "list", "", "the device's statistics groups", cmd_stat_list, NULL, cli_no_options },
	{ "read", "GROUP", "the counters of one statistics group", cmd_stat_read, NULL,
	  cli_no_options },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
