/* Statistics group: stat list, stat read GROUP. */
#include <stdlib.h>
#include <string.h>

#include "cli/cmd/commands.h"
#include "cli/cmd/mcumgr_print.h"
#include "smp/grp_stat.h"

/* The decoders' walks, collected into the host's memory. */
struct stat_collection {
	struct smp_stat_list list;
	struct smp_stat_group group;
	bool nomem;
};

static int collect_name(void *arg, const char *name)
{
	struct stat_collection *c = arg;
	char **grown = realloc(c->list.names, (c->list.count + 1) * sizeof(*grown));
	char *copy = grown ? strdup(name) : NULL;

	if (grown)
		c->list.names = grown;
	if (!copy) {
		c->nomem = true;
		return -1;
	}
	grown[c->list.count++] = copy;
	return 0;
}

static int collect_field(void *arg, const struct smp_stat_field *f)
{
	struct stat_collection *c = arg;
	struct smp_stat_field *grown = realloc(c->group.fields,
					       (c->group.count + 1) * sizeof(*grown));
	char *copy = grown ? strdup(f->name) : NULL;

	if (grown)
		c->group.fields = grown;
	if (!copy) {
		c->nomem = true;
		return -1;
	}
	grown[c->group.count++] = (struct smp_stat_field){ copy, f->value };
	return 0;
}

static void collection_free(struct stat_collection *c)
{
	for (size_t i = 0; i < c->list.count; i++)
		free(c->list.names[i]);
	free(c->list.names);
	for (size_t i = 0; i < c->group.count; i++)
		free(c->group.fields[i].name);
	free(c->group.fields);
	free(c->group.name);
	memset(c, 0, sizeof(*c));
}

static int cmd_stat_list(struct cli_ctx *ctx, int argc, char **argv)
{
	struct stat_collection c = { 0 };
	const struct smp_stat_list *l = &c.list;
	struct smp_response rsp;
	const char *why;
	json_t *arr;
	int rc;

	if (argc != 1)
		return cli_fail(ctx, EXIT_USAGE, "usage: smpctl stat list");
	rc = cli_group_request(ctx, "stat list", SMP_OP_READ, SMP_GROUP_STAT, SMP_STAT_LIST, NULL,
			       0, &rsp);
	if (rc != EXIT_OK)
		return rc;
	rc = smp_stat_list_rsp(&rsp.body, collect_name, &c, &why);
	smp_response_clear(&rsp);
	if (rc != 0) {
		rc = c.nomem ? cli_fail(ctx, EXIT_LOCAL, "out of memory")
			     : cli_bad_answer(ctx, "stat list", why);
		collection_free(&c);
		return rc;
	}
	if (ctx->opts.json) {
		arr = json_array();
		for (size_t i = 0; arr && i < l->count; i++)
			json_array_append_new(arr, json_string(l->names[i]));
		cli_print_json(ctx, json_pack("{s:o}", "groups", arr));
	} else if (cli_go_words(ctx)) {
		go_print_stat_list(ctx, l);
	} else {
		for (size_t i = 0; i < l->count; i++)
			fprintf(ctx->out, "%s\n", SAFE(l->names[i]));
	}
	collection_free(&c);
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
			"the device has no statistics group '%s' (see %s)",
			group, cli_spell(ctx, "smpctl stat list", "mcumgr stat list"));
	return cli_group_report(ctx, "stat read", rsp);
}

/* The group's name, the user's text of any length, written by the
 * engine straight into its packet. */
static int encode_show(void *arg, struct smp_cbor_writer *w)
{
	return smp_stat_show_req(w, arg);
}

static int cmd_stat_read(struct cli_ctx *ctx, int argc, char **argv)
{
	struct smp_request req = { .op = SMP_OP_READ,
				   .group = SMP_GROUP_STAT,
				   .id = SMP_STAT_SHOW };
	struct smp_response rsp;
	struct stat_collection c = { 0 };
	const struct smp_stat_group *g = &c.group;
	char echoed[SMP_STAT_NAME_MAX];
	const char *why;
	json_t *fields;
	int rc;

	if (argc != 2 || !argv[1][0])
		return cli_fail(ctx, EXIT_USAGE, "usage: smpctl stat read GROUP");
	rc = cli_connect(ctx);
	if (rc != EXIT_OK)
		return rc;
	req.encode = encode_show;
	req.encode_arg = argv[1];
	smp_call(&ctx->engine, &req, &rsp);
	if (rsp.result != SMP_OK)
		rc = report_read_error(ctx, argv[1], &rsp);
	else if (smp_stat_show_rsp(&rsp.body, echoed, collect_field, &c, &why) != 0)
		rc = c.nomem ? cli_fail(ctx, EXIT_LOCAL, "out of memory")
			     : cli_bad_answer(ctx, "stat read", why);
	else if (echoed[0] && !(c.group.name = strdup(echoed)))
		rc = cli_fail(ctx, EXIT_LOCAL, "out of memory");
	smp_response_clear(&rsp);
	if (rc != EXIT_OK) {
		collection_free(&c);
		return rc;
	}
	if (ctx->opts.json) {
		fields = json_object();
		for (size_t i = 0; fields && i < g->count; i++)
			json_object_set_new(fields, g->fields[i].name,
					    json_integer((json_int_t)g->fields[i].value));
		cli_print_json(ctx, json_pack("{s:s,s:o}", "name", g->name ? g->name : argv[1],
					      "fields", fields));
	} else if (cli_go_words(ctx)) {
		go_print_stat_group(ctx, g->name ? g->name : argv[1], g);
	} else {
		for (size_t i = 0; i < g->count; i++)
			fprintf(ctx->out, "%s: %llu\n", SAFE(g->fields[i].name),
				(unsigned long long)g->fields[i].value);
	}
	collection_free(&c);
	return EXIT_OK;
}

const struct cli_cmd stat_commands[] = {
	{ "list", "", "the device's statistics groups", cmd_stat_list, NULL, cli_no_options },
	{ "read", "GROUP", "the counters of one statistics group", cmd_stat_read, NULL,
	  cli_no_options },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
