/* What the factory line shows: a progress line a board on stderr (redrawn
 * in place on a terminal, plain lines when a phase changes otherwise, with
 * --json as well), and at the end a table on stdout, or with --json
 * {"ok", "boards": [...]}. */
#include "cli/fleet/fleet.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host/host_file.h"
#include "smp/clock.h"

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int percent(const struct fleet_board *b)
{
	return b->total && b->done <= b->total ? (int)(100.0 * (double)b->done / (double)b->total)
					       : 0;
}

/* A board's line: its name in w columns (cut on a terminal, where a
 * line must stay one line), then where it is. */
static void line_for(const struct fleet_board *b, int w, bool cut, char *buf, size_t cap)
{
	int p = cut ? w : (int)strlen(b->conn);

	if (b->fd < 0)
		snprintf(buf, cap, "%-*.*s %s", w, p, b->conn,
			 b->result ? str(b->result, "result") : "failed");
	else if (!strcmp(b->phase, "upload"))
		snprintf(buf, cap, "%-*.*s upload %3d%%", w, p, b->conn, percent(b));
	else
		snprintf(buf, cap, "%-*.*s %s", w, p, b->conn, b->phase);
}

static int name_width(const struct fleet *fl, int cap)
{
	size_t i, w = 5;

	for (i = 0; i < fl->n; i++)
		if (strlen(fl->boards[i].conn) > w)
			w = strlen(fl->boards[i].conn);
	return (int)w > cap ? cap : (int)w;
}

/* Room for a board's name on the terminal: a line that wraps would break
 * the redraw, which counts lines. */
static int tty_name_cap(void)
{
	struct winsize ws;
	int cols = ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col ? ws.ws_col : 80;

	cols -= 13; /* " upload 100%" and the last column */
	return cols < 8 ? 8 : cols > 60 ? 60 : cols;
}

static void draw_tty(struct fleet *fl)
{
	FILE *f = fl->ctx->err;
	char line[120];
	int cap = tty_name_cap();
	size_t i;

	if (fl->drawn)
		fprintf(f, "\033[%dA", fl->drawn);
	for (i = 0; i < fl->n; i++) {
		line_for(&fl->boards[i], name_width(fl, cap), true, line, sizeof(line));
		fprintf(f, "\r%s\033[K\n", line);
	}
	fl->drawn = (int)fl->n;
	fflush(f);
}

/* Plain lines: a phase change, or each quarter of the upload. */
static void say_plain(struct fleet *fl, struct fleet_board *b)
{
	char line[600];
	int q = percent(b) / 25;

	if (!strcmp(b->phase, "upload")) {
		if (!strcmp(b->said_phase, "upload") && q == b->said_pct)
			return;
		b->said_pct = q;
	} else if (!strcmp(b->phase, b->said_phase)) {
		return;
	}
	snprintf(b->said_phase, sizeof(b->said_phase), "%s", b->phase);
	line_for(b, name_width(fl, 512), false, line, sizeof(line));
	fprintf(fl->ctx->err, "%s\n", line);
}

void fleet_progress(struct fleet *fl, struct fleet_board *changed)
{
	int64_t now = smp_clock_ms();

	/* With --json too: stdout holds the JSON, stderr the progress. */
	if (!fl->tty) {
		if (changed)
			say_plain(fl, changed);
		return;
	}
	/* Five redraws a second, and always a board's end. */
	if (now - fl->drawn_ms < 200 && !(changed && changed->fd < 0))
		return;
	fl->drawn_ms = now;
	draw_tty(fl);
}

/* Why a board without a result has none. */
static void no_result(const struct fleet *fl, const struct fleet_board *b, char *buf, size_t cap)
{
	if (b->timed_out)
		snprintf(buf, cap, "no result within %d s (--each-timeout): stopped",
			 fl->timeout_s);
	else if (WIFSIGNALED(b->status))
		snprintf(buf, cap, "its upgrade crashed (signal %d)", WTERMSIG(b->status));
	else
		snprintf(buf, cap, "its upgrade ended without a result (exit %d)",
			 WIFEXITED(b->status) ? WEXITSTATUS(b->status) : -1);
}

/* A field of the board's result; before the upgrade, what its running line
 * said when the result lacks it (a board stopped by --each-timeout). */
static const char *before_field(const struct fleet_board *b, const char *key, const char *said)
{
	const char *v = str(b->result, key);

	return v ? v : said[0] && strcmp(said, "-") ? said : NULL;
}

json_t *fleet_board_json(const struct fleet_board *b)
{
	double secs = (double)(b->end_ms - b->start_ms) / 1000.0;
	const json_t *r = b->result;

	return json_pack("{s:s,s:s,s:s?,s:s?,s:s?,s:s?,s:f,s:s?,s:s?,s:i}", "board", b->conn,
			 "result", str(r, "result") ? str(r, "result") : "failed", "version_before",
			 before_field(b, "version_before", b->before), "version_after",
			 str(r, "version_after"), "hash_before",
			 before_field(b, "hash_before", b->before_hash), "hash", str(r, "hash"),
			 "seconds", cli_json_round(secs, 3), "step", str(r, "step"), "error",
			 str(r, "error"), "exit_code",
			 r ? (int)json_integer_value(json_object_get(r, "exit_code"))
			   : EXIT_TRANSPORT);
}

static bool succeeded(const json_t *o)
{
	const char *r = str(o, "result");

	return !strcmp(r, "upgraded") || !strcmp(r, "up-to-date");
}

/* A version column: the version, or "-". */
static const char *or_dash(const char *s)
{
	return s ? s : "-";
}

/* Every board's name in full: the columns after it line up whatever its
 * length. HASH is the start of the image hash running at the end. */
static void print_table(struct fleet *fl, json_t *boards)
{
	FILE *f = fl->ctx->out;
	size_t i, w = 5, counts[3] = { 0, 0, 0 };
	json_t *o;

	json_array_foreach(boards, i, o) if (strlen(str(o, "board")) > w)
		w = strlen(str(o, "board"));
	fprintf(f, "%-*s  %-10s  %-9s  %-9s  %-8s  %6s  %s\n", (int)w, "BOARD", "RESULT", "BEFORE",
		"AFTER", "HASH", "TIME", "ERROR");
	json_array_foreach(boards, i, o)
	{
		const char *res = str(o, "result"), *step = str(o, "step"), *err = str(o, "error");

		counts[!strcmp(res, "upgraded") ? 0 : !strcmp(res, "up-to-date") ? 1 : 2]++;
		fprintf(f, "%-*s  %-10s  %-9s  %-9s  %-8.8s  %5.1fs%s%s%s%s\n", (int)w,
			str(o, "board"), res, or_dash(str(o, "version_before")),
			or_dash(str(o, "version_after")), or_dash(str(o, "hash")),
			json_real_value(json_object_get(o, "seconds")), step || err ? "  " : "",
			step ? step : "", step && err ? ": " : "", err ? err : "");
	}
	fprintf(f, "%zu board%s: %zu upgraded, %zu up to date, %zu failed\n", fl->n,
		fl->n == 1 ? "" : "s", counts[0], counts[1], counts[2]);
}

/* --each-failed FILE: the boards that failed, one a line, as --each-file
 * takes them for the retry; empty when none did. Written as every host
 * file is (host/host_file.h: beside it, renamed over). */
static int write_failed(struct fleet *fl, json_t *boards)
{
	struct host_file_error e;
	char *text = NULL;
	size_t len = 0, i;
	FILE *m = open_memstream(&text, &len);
	json_t *o;
	int rc;

	if (!m)
		return cli_fail(fl->ctx, EXIT_LOCAL, "out of memory");
	json_array_foreach(boards, i, o) if (!succeeded(o)) fprintf(m, "%s\n", str(o, "board"));
	fclose(m);
	rc = host_file_write(fl->failed_file, text ? text : "", len, true, &e);
	free(text);
	if (rc != 0)
		return cli_fail(fl->ctx, EXIT_LOCAL, "--each-failed %s %s", fl->failed_file, e.msg);
	return EXIT_OK;
}

int fleet_report(struct fleet *fl)
{
	json_t *boards = json_array();
	char why[160];
	bool all = true;
	size_t i;
	int rc;

	if (fl->tty)
		draw_tty(fl);
	for (i = 0; i < fl->n; i++) {
		struct fleet_board *b = &fl->boards[i];
		json_t *o;

		if (!b->result) {
			no_result(fl, b, why, sizeof(why));
			b->result = json_pack("{s:s,s:s,s:i}", "result", "failed", "error", why,
					      "exit_code",
					      b->timed_out ? EXIT_TRANSPORT : EXIT_LOCAL);
		}
		o = fleet_board_json(b);
		all &= o && succeeded(o);
		json_array_append_new(boards, o);
	}
	rc = fl->failed_file ? write_failed(fl, boards) : EXIT_OK;
	if (fl->ctx->opts.json)
		cli_print_json(fl->ctx, json_pack("{s:b,s:o}", "ok", all, "boards", boards));
	else {
		print_table(fl, boards);
		json_decref(boards);
	}
	/* Seven says which boards to retry; without the list, say so. */
	return !all ? EXIT_SOME_BOARDS : rc;
}
