/* OS group commands beyond cmd_os.c: taskstat, mpstat, datetime get|set
 * and bootloader info. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/ui/cbor_json.h"
#include "cli/cmd/commands.h"
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

int cmd_taskstat(struct cli_ctx *ctx, int argc, char **argv)
{
	struct smp_os_tasks t;
	cbor_item_t *rsp = NULL;
	const char *why;
	json_t *tasks;
	int rc = no_args(ctx, argc, "taskstat");

	if (rc == EXIT_OK)
		rc = cli_group_request(ctx, "taskstat", SMP_OP_READ, SMP_GROUP_OS, SMP_OS_TASKSTAT,
				       NULL, &rsp);
	if (rc != EXIT_OK)
		return rc;
	if (smp_os_taskstat_rsp(rsp, &t, &why) != 0) {
		cbor_decref(&rsp);
		return cli_bad_answer(ctx, "taskstat", why);
	}
	if (ctx->opts.json) {
		tasks = json_array();
		for (size_t i = 0; tasks && i < t.count; i++)
			json_array_append_new(tasks, task_json(&t.tasks[i]));
		cli_print_json(ctx, json_pack("{s:o}", "tasks", tasks));
	} else {
		print_tasks(ctx, &t);
	}
	smp_os_tasks_free(&t);
	cbor_decref(&rsp);
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

int cmd_mpstat(struct cli_ctx *ctx, int argc, char **argv)
{
	struct smp_os_mpools m;
	cbor_item_t *rsp = NULL;
	const char *why;
	json_t *pools;
	int rc = no_args(ctx, argc, "mpstat");

	if (rc == EXIT_OK)
		rc = cli_group_request(ctx, "mpstat", SMP_OP_READ, SMP_GROUP_OS, SMP_OS_MPSTAT,
				       NULL, &rsp);
	if (rc != EXIT_OK)
		return rc;
	if (smp_os_mpstat_rsp(rsp, &m, &why) != 0) {
		cbor_decref(&rsp);
		return cli_bad_answer(ctx, "mpstat", why);
	}
	if (ctx->opts.json) {
		pools = json_array();
		for (size_t i = 0; pools && i < m.count; i++)
			json_array_append_new(pools, pool_json(&m.pools[i]));
		cli_print_json(ctx, json_pack("{s:o}", "pools", pools));
	} else {
		print_pools(ctx, &m);
	}
	smp_os_mpools_free(&m);
	cbor_decref(&rsp);
	return EXIT_OK;
}

static int cmd_datetime_get(struct cli_ctx *ctx, int argc, char **argv)
{
	cbor_item_t *rsp = NULL;
	char *datetime = NULL;
	const char *why;
	int rc = no_args(ctx, argc, "datetime get");

	if (rc == EXIT_OK)
		rc = cli_group_request(ctx, "datetime get", SMP_OP_READ, SMP_GROUP_OS,
				       SMP_OS_DATETIME, NULL, &rsp);
	if (rc != EXIT_OK)
		return rc;
	if (smp_os_datetime_rsp(rsp, &datetime, &why) != 0)
		rc = cli_bad_answer(ctx, "datetime get", why);
	else
		cli_print_text(ctx, "datetime", datetime);
	free(datetime);
	cbor_decref(&rsp);
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
	cbor_item_t *req, *rsp = NULL;
	char text[40];
	int rc;

	if (argc != 2)
		return cli_fail(ctx, EXIT_USAGE, "usage: smpctl datetime set now|RFC3339-TIME");
	rc = datetime_arg(ctx, argv[1], text, sizeof(text));
	if (rc != EXIT_OK)
		return rc;
	req = smp_os_datetime_req(text);
	if (!req)
		return cli_fail(ctx, EXIT_LOCAL, "out of memory");
	rc = cli_group_request(ctx, "datetime set", SMP_OP_WRITE, SMP_GROUP_OS, SMP_OS_DATETIME,
			       req, &rsp);
	cbor_decref(&req);
	if (rsp)
		cbor_decref(&rsp);
	if (rc != EXIT_OK)
		return rc;
	if (ctx->opts.json)
		cli_print_json(ctx, json_pack("{s:s}", "datetime", text));
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

static int bootloader_query(struct cli_ctx *ctx, const char *query, struct smp_os_bootloader *b,
			    cbor_item_t **raw)
{
	struct smp_request req = { .op = SMP_OP_READ,
				   .group = SMP_GROUP_OS,
				   .id = SMP_OS_BOOTLOADER_INFO };
	struct smp_response rsp;
	const char *why;
	int rc;

	*raw = NULL;
	rc = cli_connect(ctx);
	if (rc != EXIT_OK)
		return rc;
	req.body = smp_os_bootloader_info_req(query);
	if (!req.body)
		return cli_fail(ctx, EXIT_LOCAL, "out of memory");
	smp_call(&ctx->engine, &req, &rsp);
	cbor_decref((cbor_item_t **)&req.body);
	if (rsp.result != SMP_OK)
		rc = report_query(ctx, query, &rsp);
	else if (b && smp_os_bootloader_rsp(rsp.body, b, &why) != 0)
		rc = cli_bad_answer(ctx, "bootloader info", why);
	if (rc == EXIT_OK) {
		*raw = rsp.body;
		rsp.body = NULL;
	}
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
	const char *why;
	bool ok;

	req.body = smp_os_bootloader_info_req("mode");
	if (!req.body)
		return false;
	ok = smp_call(&ctx->engine, &req, &rsp) == SMP_OK &&
	     smp_os_bootloader_rsp(rsp.body, mode, &why) == 0 && mode->has_mode;
	if (!ok)
		cli_verbose(ctx, 1, "bootloader info: the device does not tell MCUboot's mode");
	smp_response_clear(&rsp);
	cbor_decref((cbor_item_t **)&req.body);
	return ok;
}

/* Without a query: the bootloader's name, and for MCUboot its mode. */
static int bootloader_summary(struct cli_ctx *ctx)
{
	struct smp_os_bootloader name, mode = { 0 };
	cbor_item_t *raw = NULL;
	bool has_mode;
	int rc = bootloader_query(ctx, NULL, &name, &raw);

	if (rc != EXIT_OK)
		return rc;
	cbor_decref(&raw);
	if (!name.name) {
		smp_os_bootloader_free(&name);
		return cli_bad_answer(ctx, "bootloader info", "answer has no \"bootloader\"");
	}
	has_mode = !strcmp(name.name, "MCUboot") && quiet_mode(ctx, &mode);
	print_bootloader(ctx, name.name, has_mode ? &mode : NULL);
	smp_os_bootloader_free(&mode);
	smp_os_bootloader_free(&name);
	return EXIT_OK;
}

static int bootloader_mode(struct cli_ctx *ctx)
{
	struct smp_os_bootloader mode;
	cbor_item_t *raw = NULL;
	int rc = bootloader_query(ctx, "mode", &mode, &raw);

	if (rc != EXIT_OK)
		return rc;
	cbor_decref(&raw);
	if (!mode.has_mode) {
		smp_os_bootloader_free(&mode);
		return cli_bad_answer(ctx, "bootloader info", "answer has no \"mode\"");
	}
	print_bootloader(ctx, NULL, &mode);
	smp_os_bootloader_free(&mode);
	return EXIT_OK;
}

/* Any other query: the answer as it came (Zephyr answers an unknown one
 * with rc 3, its QUERY_YIELDS_NO_ANSWER read as a generic code). */
static int bootloader_other(struct cli_ctx *ctx, const char *query)
{
	cbor_item_t *raw = NULL;
	json_t *doc;
	const char *key;
	json_t *v;
	int rc = bootloader_query(ctx, query, NULL, &raw);

	if (rc != EXIT_OK)
		return rc;
	doc = cbor_to_json(raw);
	cbor_decref(&raw);
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
