/* One board of the factory line, in its own process: connect by its CONN,
 * note the running version, run the ordinary upgrade, note the version
 * again, and tell the parent in one result line (cli/fleet/fleet.h): its
 * progress, as JSON progress lines, goes to the parent. Its own output
 * is kept in memory: the upgrade's JSON says which step failed, its
 * stderr's first line why. */
#include "cli/fleet/fleet.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/device_state.h"
#include "cli/connstring.h"
#include "cli/profile.h"
#include "smp/grp_img.h"
#include "smp/hex.h"

static int use_conn(struct cli_ctx *c, const struct fleet_board *b)
{
	const char *conn = b->conn;
	struct conn_settings cs;
	int k;

	/* The board's CONN is its only connection, whatever the parent had. */
	c->opts.transport = CLI_TRANSPORT_NONE;
	c->opts.target = NULL;
	if (b->relay_child_fd >= 0) {
		/* Through the parent's broker connection (cli/fleet/fleet_mqtt.c). */
		c->opts.transport = CLI_TRANSPORT_RELAY;
		c->opts.target = fleet_mqtt_url(conn);
		c->relay = &b->relay;
		return EXIT_OK;
	}
	k = conn_from_spec(c, conn, &cs);
	if (k < 0)
		return EXIT_USAGE;
	if (k > 0)
		return conn_apply(c, &cs);
	return cli_profile_apply_named(c, conn);
}

/* The running image 0: its version (into ver), its hash (hex, into hash)
 * and whether it is fl's image, confirmed. */
static int running(struct cli_ctx *c, const struct fleet *fl, char *ver, size_t cap,
		   char hash[2 * 64 + 1], bool *current)
{
	struct smp_img_state st;
	size_t i;
	int rc = cli_get_image_state(c, &st);

	*current = false;
	for (i = 0; rc == EXIT_OK && i < st.count; i++) {
		const struct smp_img_slot_state *s = &st.slots[i];

		if (s->image != 0 || !s->active)
			continue;
		snprintf(ver, cap, "%s", s->version);
		if (s->hash_len <= 64)
			smp_hex_encode(s->hash, s->hash_len, hash);
		*current = fl->hash_len && s->confirmed && s->hash_len == fl->hash_len &&
			   !memcmp(s->hash, fl->hash, fl->hash_len);
	}
	return rc;
}

/* The failed step's name from the upgrade's JSON report, or NULL. */
static const char *failed_step(json_t *doc)
{
	json_t *steps = json_object_get(doc, "steps"), *s;
	size_t i;

	json_array_foreach(steps, i,
			   s) if (strcmp(json_string_value(json_object_get(s, "status"))
						 ? json_string_value(json_object_get(s, "status"))
						 : "",
					 "ok")) return json_string_value(json_object_get(s,
											 "step"));
	return NULL;
}

/* The first line of what the board's commands said on stderr. */
static void first_error(const char *err, char *buf, size_t cap)
{
	size_t n;

	if (!err)
		err = "";
	if (!strncmp(err, "smpctl: ", 8))
		err += 8;
	n = strcspn(err, "\n");
	snprintf(buf, cap, "%.*s", (int)n, err);
}

static void quiet_stdio(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	int fd = open("/dev/null", O_WRONLY);
	size_t i;

	/* Nothing of a board may land in the parent's table. */
	if (fd >= 0) {
		dup2(fd, STDOUT_FILENO);
		close(fd);
	}
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
}

/* The board's upgrade, through the command table as if typed:
 * "smpctl upgrade ARGS" without the --each words. */
static int run_upgrade(struct cli_ctx *c, const struct fleet *fl)
{
	char *args[sizeof(fl->argv) / sizeof(fl->argv[0]) + 1];
	int i;

	args[0] = (char *)(c->argv0 ? c->argv0 : "smpctl");
	for (i = 0; i < fl->argc; i++)
		args[i + 1] = fl->argv[i];
	args[i + 1] = NULL;
	return cli_dispatch(c, cli_commands, "", fl->argc + 1, args);
}

/* The board's own steps, around the upgrade's. */
static void step(const struct cli_ctx *c, const char *name)
{
	cli_progress_event(c, json_pack("{s:s,s:s,s:s}", "progress", "step", "step", name, "status",
					"running"));
}

/* The last line: the board's result, with the fields of its object in
 * the factory line's --json document. */
static void say_result(const struct cli_ctx *c, const char *result, const char *before,
		       const char *after, const char *hash_before, const char *hash,
		       const char *step_failed, const char *error, int rc)
{
	cli_progress_event(c, json_pack("{s:s,s:s,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:i}", "progress",
					"result", "result", result, "version_before",
					before[0] ? before : NULL, "version_after",
					after[0] ? after : NULL, "hash_before",
					hash_before[0] ? hash_before : NULL, "hash",
					hash[0] ? hash : NULL, "step", step_failed, "error",
					error[0] ? error : NULL, "exit_code", rc));
}

void fleet_child(struct fleet *fl, struct fleet_board *b, int fd)
{
	char *out_buf = NULL, *err_buf = NULL, before[48] = "", after[48] = "", error[400];
	char hash_before[2 * 64 + 1] = "", hash_after[2 * 64 + 1] = "";
	size_t out_len = 0, err_len = 0;
	const char *result = "failed", *failed_at = NULL;
	FILE *feed = fdopen(fd, "w");
	struct cli_ctx c;
	json_t *doc = NULL;
	bool current = false;
	int rc;

	quiet_stdio();
	memset(&c, 0, sizeof(c));
	c.opts = fl->ctx->opts;
	c.opts.json = true;
	c.opts.progress = "json";
	c.argv0 = fl->ctx->argv0;
	c.out = open_memstream(&out_buf, &out_len);
	c.err = open_memstream(&err_buf, &err_len);
	c.progress_out = feed;
	if (!feed || !c.out || !c.err)
		_exit(EXIT_LOCAL);
	step(&c, "connect");
	failed_at = "connect";
	rc = use_conn(&c, b);
	if (rc == EXIT_OK) {
		step(&c, "before");
		failed_at = "before";
		rc = running(&c, fl, before, sizeof(before), hash_before, &current);
	}
	/* Said now: a board stopped by --each-timeout keeps it in the table. */
	if (rc == EXIT_OK && before[0])
		cli_progress_event(&c,
				   json_pack("{s:s,s:s,s:s?}", "progress", "running", "version",
					     before, "hash", hash_before[0] ? hash_before : NULL));
	if (rc == EXIT_OK)
		failed_at = NULL;
	if (rc == EXIT_OK && current) {
		result = "up-to-date";
		snprintf(after, sizeof(after), "%s", before);
		snprintf(hash_after, sizeof(hash_after), "%s", hash_before);
	} else if (rc == EXIT_OK) {
		rc = run_upgrade(&c, fl);
		fflush(c.out);
		doc = json_loads(out_buf ? out_buf : "", 0, NULL);
		failed_at = rc == EXIT_OK ? NULL : failed_step(doc);
		/* A board that stopped answering would only time out again. */
		if (rc != EXIT_TRANSPORT) {
			step(&c, "after");
			if (running(&c, fl, after, sizeof(after), hash_after, &current) != EXIT_OK)
				after[0] = hash_after[0] = 0;
		}
		result = rc == EXIT_OK ? "upgraded" : "failed";
	}
	cli_disconnect(&c);
	fflush(c.err);
	first_error(rc == EXIT_OK ? "" : err_buf, error, sizeof(error));
	say_result(&c, result, before, after, hash_before, hash_after, failed_at, error, rc);
	fclose(feed);
	json_decref(doc);
	fclose(c.out);
	fclose(c.err);
	free(out_buf);
	free(err_buf);
	cli_profile_free(&c);
	/* _exit: the parent's atexit work (an interactive shell's history) and
	 * its stdio buffers are the parent's, not to be done twice. */
	_exit(rc);
}
