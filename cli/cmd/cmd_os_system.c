/* OS group commands beyond cmd_os.c: taskstat, mpstat, datetime get|set
 * and bootloader info. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/ui/cbor_json.h"
#include "cli/cmd/commands.h"
#include "cli/cmd/mcumgr_print.h"
#include "smp/grp_os.h"

static int no_args(struct cli_ctx *ctx, int argc, const char *usage)
{
	return argc == 1 ? EXIT_OK : cli_fail(ctx, EXIT_USAGE, "usage: smpctl %s", usage);
}

/* The device counts its stack in 4-byte words; smpctl shows bytes. */
#define STACK_WORD_BYTES 4

/* The fields and units of the human table: stack in bytes, the state in
 * words (with the device's code beside it). */
static json_t *task_json(const struct smp_os_task *t)
{
	char state[96];
	json_t *o;

	smp_os_thread_state_text(t->state, state, sizeof(state));
	o = json_pack("{s:s,s:I,s:I,s:s,s:I}", "name", t->name, "priority", (json_int_t)t->prio,
		      "tid", (json_int_t)t->tid, "state", state, "state_code",
		      (json_int_t)t->state);
	if (o && t->has_stack) {
		json_object_set_new(o, "stack_used_bytes",
				    json_integer((json_int_t)t->stkuse * STACK_WORD_BYTES));
		json_object_set_new(o, "stack_size_bytes",
				    json_integer((json_int_t)t->stksiz * STACK_WORD_BYTES));
		if (t->stksiz)
			json_object_set_new(o, "stack_used_percent",
					    json_integer(
						    (json_int_t)(t->stkuse * 100 / t->stksiz)));
	}
	if (o && t->has_cswcnt)
		json_object_set_new(o, "switches", json_integer((json_int_t)t->cswcnt));
	if (o && t->has_runtime)
		json_object_set_new(o, "runtime", json_integer((json_int_t)t->runtime));
	if (o && t->has_checkins) {
		json_object_set_new(o, "last_checkin", json_integer((json_int_t)t->last_checkin));
		json_object_set_new(o, "next_checkin", json_integer((json_int_t)t->next_checkin));
	}
	return o;
}

static void print_tasks(struct cli_ctx *ctx, const struct smp_os_tasks *t)
{
	char state[96], stack[40], csw[24], runtime[24];

	fprintf(ctx->out, "%-16s %5s %4s %-18s %-22s %10s %12s\n", "THREAD", "PRIO", "TID", "STATE",
		"STACK USED/SIZE", "SWITCHES", "RUNTIME");
	for (size_t i = 0; i < t->count; i++) {
		const struct smp_os_task *k = &t->tasks[i];

		smp_os_thread_state_text(k->state, state, sizeof(state));
		if (k->has_stack && k->stksiz)
			snprintf(stack, sizeof(stack), "%llu/%llu B (%llu%%)",
				 (unsigned long long)k->stkuse * STACK_WORD_BYTES,
				 (unsigned long long)k->stksiz * STACK_WORD_BYTES,
				 (unsigned long long)(k->stkuse * 100 / k->stksiz));
		else
			snprintf(stack, sizeof(stack), "-");
		snprintf(csw, sizeof(csw), k->has_cswcnt ? "%llu" : "-",
			 (unsigned long long)k->cswcnt);
		snprintf(runtime, sizeof(runtime), k->has_runtime ? "%llu" : "-",
			 (unsigned long long)k->runtime);
		fprintf(ctx->out, "%-16s %5lld %4llu %-18s %-22s %10s %12s\n", SAFE(k->name),
			(long long)k->prio, (unsigned long long)k->tid, state, stack, csw, runtime);
	}
}

/* The decoder's walk, collected into the host's memory. */
struct task_collection {
	struct smp_os_tasks all;
	bool nomem;
};

static int collect_task(void *arg, const struct smp_os_task *t)
{
	struct task_collection *c = arg;
	struct smp_os_task *grown = realloc(c->all.tasks, (c->all.count + 1) * sizeof(*grown));
	char *name = grown ? strdup(t->name) : NULL;

	if (grown)
		c->all.tasks = grown;
	if (!name) {
		c->nomem = true;
		return -1;
	}
	grown[c->all.count] = *t;
	grown[c->all.count++].name = name;
	return 0;
}

static void tasks_free(struct smp_os_tasks *t)
{
	for (size_t i = 0; i < t->count; i++)
		free(t->tasks[i].name);
	free(t->tasks);
	*t = (struct smp_os_tasks){ NULL, 0 };
}

int cmd_taskstat(struct cli_ctx *ctx, int argc, char **argv)
{
	struct task_collection c = { { NULL, 0 }, false };
	struct smp_os_tasks t;
	struct smp_response rsp;
	const char *why;
	json_t *tasks;
	int rc = no_args(ctx, argc, "taskstat");

	if (rc == EXIT_OK)
		rc = cli_group_request(ctx, "taskstat", SMP_OP_READ, SMP_GROUP_OS, SMP_OS_TASKSTAT,
				       NULL, 0, &rsp);
	if (rc != EXIT_OK)
		return rc;
	rc = smp_os_taskstat_rsp(&rsp.body, collect_task, &c, &why);
	smp_response_clear(&rsp);
	t = c.all;
	if (rc != 0) {
		tasks_free(&t);
		return c.nomem ? cli_fail(ctx, EXIT_LOCAL, "out of memory")
			       : cli_bad_answer(ctx, "taskstat", why);
	}
	if (ctx->opts.json) {
		tasks = json_array();
		for (size_t i = 0; tasks && i < t.count; i++)
			json_array_append_new(tasks, task_json(&t.tasks[i]));
		cli_print_json(ctx, json_pack("{s:o}", "tasks", tasks));
	} else if (cli_go_words(ctx)) {
		go_print_tasks(ctx, &t);
	} else {
		print_tasks(ctx, &t);
	}
	tasks_free(&t);
	return EXIT_OK;
}

/* Named as the human table's columns. */
static json_t *pool_json(const struct smp_os_mpool *p)
{
	json_t *o = json_pack("{s:s}", "name", p->name);

	if (o && p->has_blksiz)
		json_object_set_new(o, "block_size", json_integer((json_int_t)p->blksiz));
	if (o) {
		json_object_set_new(o, "blocks", json_integer((json_int_t)p->nblks));
		json_object_set_new(o, "free", json_integer((json_int_t)p->nfree));
	}
	if (o && p->has_min)
		json_object_set_new(o, "min_free", json_integer((json_int_t)p->min));
	return o;
}

static void print_pools(struct cli_ctx *ctx, const struct smp_os_mpools *m)
{
	fprintf(ctx->out, "%-16s %10s %10s %10s %10s\n", "POOL", "BLOCK SIZE", "BLOCKS", "FREE",
		"MIN FREE");
	for (size_t i = 0; i < m->count; i++) {
		const struct smp_os_mpool *p = &m->pools[i];
		char blksiz[24] = "-", min[24] = "-";

		if (p->has_blksiz)
			snprintf(blksiz, sizeof(blksiz), "%llu", (unsigned long long)p->blksiz);
		if (p->has_min)
			snprintf(min, sizeof(min), "%llu", (unsigned long long)p->min);
		fprintf(ctx->out, "%-16s %10s %10llu %10llu %10s\n", SAFE(p->name), blksiz,
			(unsigned long long)p->nblks, (unsigned long long)p->nfree, min);
	}
}

struct pool_collection {
	struct smp_os_mpools all;
	bool nomem;
};

static int collect_pool(void *arg, const struct smp_os_mpool *m)
{
	struct pool_collection *c = arg;
	struct smp_os_mpool *grown = realloc(c->all.pools, (c->all.count + 1) * sizeof(*grown));
	char *name = grown ? strdup(m->name) : NULL;

	if (grown)
		c->all.pools = grown;
	if (!name) {
		c->nomem = true;
		return -1;
	}
	grown[c->all.count] = *m;
	grown[c->all.count++].name = name;
	return 0;
}

static void pools_free(struct smp_os_mpools *m)
{
	for (size_t i = 0; i < m->count; i++)
		free(m->pools[i].name);
	free(m->pools);
	*m = (struct smp_os_mpools){ NULL, 0 };
}

int cmd_mpstat(struct cli_ctx *ctx, int argc, char **argv)
{
	struct pool_collection c = { { NULL, 0 }, false };
	struct smp_os_mpools m;
	struct smp_response rsp;
	const char *why;
	json_t *pools;
	int rc = no_args(ctx, argc, "mpstat");

	if (rc == EXIT_OK)
		rc = cli_group_request(ctx, "mpstat", SMP_OP_READ, SMP_GROUP_OS, SMP_OS_MPSTAT,
				       NULL, 0, &rsp);
	if (rc != EXIT_OK)
		return rc;
	rc = smp_os_mpstat_rsp(&rsp.body, collect_pool, &c, &why);
	smp_response_clear(&rsp);
	m = c.all;
	if (rc != 0) {
		pools_free(&m);
		return c.nomem ? cli_fail(ctx, EXIT_LOCAL, "out of memory")
			       : cli_bad_answer(ctx, "mpstat", why);
	}
	if (ctx->opts.json) {
		pools = json_array();
		for (size_t i = 0; pools && i < m.count; i++)
			json_array_append_new(pools, pool_json(&m.pools[i]));
		cli_print_json(ctx, json_pack("{s:o}", "pools", pools));
	} else if (cli_go_words(ctx)) {
		go_print_pools(ctx, &m);
	} else {
		print_pools(ctx, &m);
	}
	pools_free(&m);
	return EXIT_OK;
}

static int cmd_datetime_get(struct cli_ctx *ctx, int argc, char **argv)
{
	struct smp_response rsp;
	char datetime[SMP_OS_DATETIME_MAX];
	const char *why;
	int rc = no_args(ctx, argc, "datetime get");

	if (rc == EXIT_OK)
		rc = cli_group_request(ctx, "datetime get", SMP_OP_READ, SMP_GROUP_OS,
				       SMP_OS_DATETIME, NULL, 0, &rsp);
	if (rc != EXIT_OK)
		return rc;
	if (smp_os_datetime_rsp(&rsp.body, datetime, sizeof(datetime), &why) != 0)
		rc = cli_bad_answer(ctx, "datetime get", why);
	else if (cli_go_words(ctx))
		go_print_datetime(ctx, datetime);
	else
		cli_print_text(ctx, "datetime", datetime);
	smp_response_clear(&rsp);
	return rc;
}

/* "now", or RFC 3339: sent as UTC, which is what the device's RTC keeps
 * (Zephyr reads the six numbers and ignores any zone). */
static int datetime_arg(struct cli_ctx *ctx, const char *arg, char *out, size_t cap)
{
	struct timespec ts;
	const char *why;
	int64_t secs;
	int ms;

	if (!strcmp(arg, "now")) {
		clock_gettime(CLOCK_REALTIME, &ts);
		secs = (int64_t)ts.tv_sec;
		ms = (int)(ts.tv_nsec / 1000000);
	} else if (smp_os_datetime_parse(arg, &secs, &ms, &why) != 0) {
		return cli_fail(ctx, EXIT_USAGE, "datetime set: '%s': %s", arg, why);
	}
	if (secs < -2208988800LL || secs > 253402300799LL) /* the RTC's years */
		return cli_fail(ctx, EXIT_USAGE, "datetime set: '%s': year out of range", arg);
	smp_os_datetime_format(secs, ms, out, cap);
	return EXIT_OK;
}

static int cmd_datetime_set(struct cli_ctx *ctx, int argc, char **argv)
{
	struct smp_response rsp;
	char text[40];
	uint8_t body[64]; /* {"datetime": text} */
	struct smp_cbor_writer w;
	int rc;

	if (argc != 2)
		return cli_fail(ctx, EXIT_USAGE, "usage: smpctl datetime set now|RFC3339-TIME");
	rc = datetime_arg(ctx, argv[1], text, sizeof(text));
	if (rc != EXIT_OK)
		return rc;
	if (cli_go_words(ctx) && !strcmp(argv[1], "now"))
		go_print_setting_time(ctx);
	smp_cbor_writer_init(&w, body, sizeof(body));
	if (smp_os_datetime_req(&w, text) != 0)
		return cli_fail(ctx, EXIT_LOCAL, "datetime set: the request does not fit");
	rc = cli_group_request(ctx, "datetime set", SMP_OP_WRITE, SMP_GROUP_OS, SMP_OS_DATETIME,
			       body, w.len, &rsp);
	smp_response_clear(&rsp);
	if (rc != EXIT_OK)
		return rc;
	if (ctx->opts.json)
		cli_print_json(ctx, json_pack("{s:s}", "datetime", text));
	else if (cli_go_words(ctx))
		go_print_done(ctx);
	else
		fprintf(ctx->out, "device clock set to %s UTC\n", text);
	return EXIT_OK;
}

const struct cli_cmd datetime_commands[] = {
	{ "get", "", "the device's clock (RTC)", cmd_datetime_get, NULL, cli_no_options },
	{ "set", "now|TIME", "set the device's clock, from the host or RFC 3339", cmd_datetime_set,
	  NULL, cli_no_options },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};

/* Zephyr answers a query it does not know with its os group code 3
 * (QUERY_YIELDS_NO_ANSWER), but as a generic rc, where 3 reads EINVAL. */
static int report_query(struct cli_ctx *ctx, const char *query, const struct smp_response *rsp)
{
	char line[160];

	if (query && rsp->result == SMP_E_DEVICE && rsp->status.kind == SMP_STATUS_RC &&
	    rsp->status.rc == SMP_MGMT_ERR_EINVAL) {
		smp_status_format(&rsp->status, line, sizeof(line));
		return cli_fail(ctx, EXIT_DEVICE,
				"bootloader info: device error: %s; the device "
				"has no answer to the query '%s'",
				line, query);
	}
	return cli_group_report(ctx, "bootloader info", rsp);
}

/* The query, written by the engine straight into its packet: a query
 * is the user's text, of any length. */
struct query_arg {
	const char *query;
};

static int encode_query(void *arg, struct smp_cbor_writer *w)
{
	const struct query_arg *q = arg;

	return smp_os_bootloader_info_req(w, q->query);
}

/* One query; the decoded answer in *b, or (doc not NULL) the answer as
 * JSON in *doc (NULL when it cannot be shown so). */
static int bootloader_query(struct cli_ctx *ctx, const char *query, struct smp_os_bootloader *b,
			    json_t **doc)
{
	struct query_arg q = { query };
	struct smp_request req = { .op = SMP_OP_READ,
				   .group = SMP_GROUP_OS,
				   .id = SMP_OS_BOOTLOADER_INFO,
				   .encode = encode_query,
				   .encode_arg = &q };
	struct smp_response rsp;
	const char *why;
	int rc;

	rc = cli_connect(ctx);
	if (rc != EXIT_OK)
		return rc;
	smp_call(&ctx->engine, &req, &rsp);
	if (rsp.result != SMP_OK)
		rc = report_query(ctx, query, &rsp);
	else if (b && smp_os_bootloader_rsp(&rsp.body, b, &why) != 0)
		rc = cli_bad_answer(ctx, "bootloader info", why);
	if (rc == EXIT_OK && doc)
		*doc = cbor_view_to_json(&rsp.body);
	smp_response_clear(&rsp);
	return rc;
}

static void print_mode(struct cli_ctx *ctx, const struct smp_os_bootloader *mode, json_t *o)
{
	const char *mode_name = smp_os_boot_mode_name(mode->mode);

	if (o) {
		json_object_set_new(o, "mode", json_integer(mode->mode));
		if (mode_name)
			json_object_set_new(o, "mode_name", json_string(mode_name));
		json_object_set_new(o, "no_downgrade", json_boolean(mode->no_downgrade));
		return;
	}
	fprintf(ctx->out, "mode:         %lld (%s)\n", (long long)mode->mode,
		mode_name ? mode_name : "not known to smpctl");
	fprintf(ctx->out, "no-downgrade: %s\n", mode->no_downgrade ? "yes" : "no");
}

static void print_bootloader(struct cli_ctx *ctx, const char *name,
			     const struct smp_os_bootloader *mode)
{
	json_t *o = NULL;

	if (ctx->opts.json)
		o = name ? json_pack("{s:s}", "bootloader", name) : json_object();
	else if (name)
		fprintf(ctx->out, "bootloader:   %s\n", SAFE(name));
	if (mode && mode->has_mode)
		print_mode(ctx, mode, o);
	if (ctx->opts.json)
		cli_print_json(ctx, o);
}

/* MCUboot's mode, asked quietly: older firmware does not know the query. */
static bool quiet_mode(struct cli_ctx *ctx, struct smp_os_bootloader *mode)
{
	struct smp_request req = { .op = SMP_OP_READ,
				   .group = SMP_GROUP_OS,
				   .id = SMP_OS_BOOTLOADER_INFO };
	struct smp_response rsp;
	uint8_t body[16]; /* {"query": "mode"} */
	struct smp_cbor_writer w;
	const char *why;
	bool ok;

	smp_cbor_writer_init(&w, body, sizeof(body));
	if (smp_os_bootloader_info_req(&w, "mode") != 0)
		return false;
	req.body = body;
	req.body_len = w.len;
	ok = smp_call(&ctx->engine, &req, &rsp) == SMP_OK &&
	     smp_os_bootloader_rsp(&rsp.body, mode, &why) == 0 && mode->has_mode;
	if (!ok)
		cli_verbose(ctx, 1, "bootloader info: the device does not tell MCUboot's mode");
	smp_response_clear(&rsp);
	return ok;
}

/* Without a query: the bootloader's name, and for MCUboot its mode. */
static int bootloader_summary(struct cli_ctx *ctx)
{
	struct smp_os_bootloader name, mode = { 0 };
	bool has_mode;
	int rc = bootloader_query(ctx, NULL, &name, NULL);

	if (rc != EXIT_OK)
		return rc;
	if (!name.name[0])
		return cli_bad_answer(ctx, "bootloader info", "answer has no \"bootloader\"");
	has_mode = !strcmp(name.name, "MCUboot") && quiet_mode(ctx, &mode);
	print_bootloader(ctx, name.name, has_mode ? &mode : NULL);
	return EXIT_OK;
}

static int bootloader_mode(struct cli_ctx *ctx)
{
	struct smp_os_bootloader mode;
	int rc = bootloader_query(ctx, "mode", &mode, NULL);

	if (rc != EXIT_OK)
		return rc;
	if (!mode.has_mode)
		return cli_bad_answer(ctx, "bootloader info", "answer has no \"mode\"");
	print_bootloader(ctx, NULL, &mode);
	return EXIT_OK;
}

/* Any other query: the answer as it came (Zephyr answers an unknown one
 * with rc 3, its QUERY_YIELDS_NO_ANSWER read as a generic code). */
static int bootloader_other(struct cli_ctx *ctx, const char *query)
{
	json_t *doc = NULL;
	const char *key;
	json_t *v;
	int rc = bootloader_query(ctx, query, NULL, &doc);

	if (rc != EXIT_OK)
		return rc;
	if (!doc)
		return cli_bad_answer(ctx, "bootloader info", "answer cannot be shown as JSON");
	if (ctx->opts.json) {
		cli_print_json(ctx, doc);
		return EXIT_OK;
	}
	json_object_foreach(doc, key, v)
	{
		char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);

		fprintf(ctx->out, "%s: %s\n", SAFE(key), text ? SAFE(text) : "?");
		free(text);
	}
	json_decref(doc);
	return EXIT_OK;
}

static int cmd_bootloader_info(struct cli_ctx *ctx, int argc, char **argv)
{
	if (argc > 2)
		return cli_fail(ctx, EXIT_USAGE, "usage: smpctl bootloader info [QUERY]");
	if (argc == 1)
		return bootloader_summary(ctx);
	return strcmp(argv[1], "mode") ? bootloader_other(ctx, argv[1]) : bootloader_mode(ctx);
}

const struct cli_cmd bootloader_commands[] = {
	{ "info", "[QUERY]", "the bootloader, its mode and downgrade protection",
	  cmd_bootloader_info, NULL, cli_no_options },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
