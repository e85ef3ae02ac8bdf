/* Rough edges a first-time user met that need no device: the progress
 * line's width and rate, the version form, the history path, global option
 * errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "unit.h"
#include "cli/interactive.h"
#include "cli/opts.h"
#include "cli/ui/progress.h"
#include "smp/grp_img.h"

/* Draws a bar at half and at the end into memory with COLUMNS=cols;
 * returns the longest line (between carriage returns, less the erase
 * sequence) and whether any shows "0 B/s". */
static size_t widest_bar(int cols, bool *zero_rate, bool *has_bar)
{
	char *buf = NULL, colbuf[16], *seg;
	size_t len = 0, widest = 0, n;
	struct progress p;
	FILE *f = open_memstream(&buf, &len);

	snprintf(colbuf, sizeof(colbuf), "%d", cols);
	setenv("COLUMNS", colbuf, 1);
	progress_start(&p, f, true, "upload", 1048576);
	progress_update(&p, 1048576); /* at once: too soon for a rate */
	p.start_ms -= 2000;
	p.last_ms -= 1000;
	progress_update(&p, 524288);
	progress_update(&p, 1048576);
	fclose(f);
	*zero_rate = strstr(buf, " 0 B/s") != NULL;
	*has_bar = strchr(buf, '[') != NULL;
	for (seg = strtok(buf, "\r"); seg; seg = strtok(NULL, "\r")) {
		char *esc = strstr(seg, "\033[K");

		n = esc ? (size_t)(esc - seg) : strlen(seg);
		if (n > widest)
			widest = n;
	}
	free(buf);
	unsetenv("COLUMNS");
	return widest;
}

TEST(progress_fits_terminal_width)
{
	bool zero, bar;

	CHECK(widest_bar(50, &zero, &bar) <= 49);
	CHECK(bar);
	CHECK(widest_bar(30, &zero, &bar) <= 29);
	CHECK(widest_bar(200, &zero, &bar) <= 199);
	CHECK(bar);
	CHECK(!zero);
}

TEST(progress_rate_never_zero)
{
	char buf[32];

	CHECK_STR(progress_rate(1000, 0, buf, sizeof(buf)), "");
	CHECK_STR(progress_rate(1000, 0.001, buf, sizeof(buf)), "");
	CHECK_STR(progress_rate(0, 5, buf, sizeof(buf)), "");
	CHECK_STR(progress_rate(1, 3.0, buf, sizeof(buf)), "");
	CHECK_STR(progress_rate(2048, 1.0, buf, sizeof(buf)), " (2.0 KiB/s)");
}

TEST(version_one_form)
{
	static const char *const cases[][2] = {
		{ "1.2.3.4", "1.2.3+4" },	  { "1.2.3", "1.2.3" },
		{ "1.2.3+4", "1.2.3+4" },	  { "1.2.3.4.5", "1.2.3.4.5" },
		{ "a.b.c.d", "a.b.c.d" },	  { "1.2.3.", "1.2.3." },
		{ "0.0.0.65535", "0.0.0+65535" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char v[48];

		snprintf(v, sizeof(v), "%s", cases[i][0]);
		smp_img_version_mcuboot_form(v);
		CHECK_STR(v, cases[i][1]);
	}
}

TEST(history_path_xdg)
{
	char *home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
	char *state = getenv("XDG_STATE_HOME") ? strdup(getenv("XDG_STATE_HOME")) : NULL;
	char path[256];

	setenv("XDG_STATE_HOME", "/x/state", 1);
	setenv("HOME", "/h", 1);
	CHECK_INT(cli_history_path(path, sizeof(path)), 0);
	CHECK_STR(path, "/x/state/smpctl/history");
	/* The XDG spec: a relative path is to be ignored. */
	setenv("XDG_STATE_HOME", "rel", 1);
	CHECK_INT(cli_history_path(path, sizeof(path)), 0);
	CHECK_STR(path, "/h/.local/state/smpctl/history");
	unsetenv("XDG_STATE_HOME");
	CHECK_INT(cli_history_path(path, sizeof(path)), 0);
	CHECK_STR(path, "/h/.local/state/smpctl/history");
	unsetenv("HOME");
	CHECK_INT(cli_history_path(path, sizeof(path)), -1);
	if (home)
		setenv("HOME", home, 1);
	if (state)
		setenv("XDG_STATE_HOME", state, 1);
	free(home);
	free(state);
}

/* Runs cli_opts_extract on words; returns its result, the error text in
 * err. */
static int extract(char **words, int *argc, char *err, size_t cap)
{
	struct cli_ctx ctx;
	char *buf = NULL;
	size_t len = 0;
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	cli_opts_defaults(&ctx.opts);
	ctx.err = open_memstream(&buf, &len);
	rc = cli_opts_extract(&ctx, argc, words);
	fclose(ctx.err);
	snprintf(err, cap, "%s", buf ? buf : "");
	free(buf);
	return rc;
}

TEST(global_option_errors)
{
	char *two[] = { "smpctl", "--udp", "127.0.0.1", "--serial", "/dev/ttyACM0", "echo", NULL };
	char *unknown[] = { "smpctl", "--frob", "echo", "x", NULL };
	char *after[] = { "smpctl", "--udp", "h", "image", "erase", "--slot", "1", NULL };
	char *bad_addr[] = { "smpctl", "--udp", "h:0", "echo", NULL };
	char *range[] = { "smpctl", "--retries", "101", "echo", NULL };
	char err[512];
	int argc;

	argc = 6;
	CHECK_INT(extract(two, &argc, err, sizeof(err)), EXIT_USAGE);
	CHECK(strstr(err, "--udp and --serial") != NULL);
	argc = 4;
	CHECK_INT(extract(unknown, &argc, err, sizeof(err)), EXIT_USAGE);
	CHECK(strstr(err, "unknown option --frob") != NULL);
	/* After the command, a dash word is the command's. */
	argc = 7;
	CHECK_INT(extract(after, &argc, err, sizeof(err)), EXIT_OK);
	CHECK_INT(argc, 5);
	CHECK_STR(after[3], "--slot");
	argc = 4;
	CHECK_INT(extract(bad_addr, &argc, err, sizeof(err)), EXIT_USAGE);
	CHECK(strstr(err, "PORT from 1 to 65535") != NULL);
	argc = 4;
	CHECK_INT(extract(range, &argc, err, sizeof(err)), EXIT_USAGE);
	CHECK(strstr(err, "from 0 to 100") != NULL);
}

TEST(json_round)
{
	CHECK(cli_json_round(1.23456, 3) == 1.235);
	CHECK(cli_json_round(0.0004, 3) == 0.0);
	CHECK(cli_json_round(-2.5, 0) == -3.0);
}

/* Reals with the fewest digits that read back, and "ok" first. */
TEST(json_reals_shortest)
{
	struct cli_ctx ctx;
	char *buf = NULL;
	size_t len = 0;

	memset(&ctx, 0, sizeof(ctx));
	ctx.out = open_memstream(&buf, &len);
	ctx.err = stderr;
	cli_print_json(&ctx, json_pack("{s:f,s:f,s:f}", "a", 0.2, "b", 3.468, "c", 0.1 + 0.2));
	fclose(ctx.out);
	CHECK(strstr(buf, "\"a\": 0.2,") != NULL);
	CHECK(strstr(buf, "\"b\": 3.468") != NULL);
	/* 0.1 + 0.2 is not 0.3: it needs its 17 digits to read back; the
	 * others keep their few all the same. */
	CHECK(strstr(buf, "\"c\": 0.30000000000000004") != NULL);
	CHECK(strncmp(buf, "{\n  \"ok\": true,", 15) == 0);
	free(buf);
}

/* The rate is the last seconds', not the average since the start: a
 * transfer that waited 20 s for an erase and then moved 2000 bytes in
 * 2 s goes at 1000 B/s. */
TEST(progress_recent_rate_window)
{
	struct progress p;
	double window = 0, rate;
	FILE *f = fopen("/dev/null", "w");

	progress_start_mode(&p, f, PROGRESS_LINES, "upload", 100000);
	p.start_ms -= 22000;
	progress_update(&p, 0);
	progress_update(&p, 1000);
	p.win[0].ms -= 2000;
	p.win[0].done = 1000;
	p.win_n = 1;
	p.win_head = 1;
	p.done = 3000;
	rate = progress_recent_rate(&p, &window);
	CHECK(rate > 950 && rate < 1050);
	CHECK(window > 1.9 && window < 2.2);
	/* A sample older than the window is not used. */
	p.win[0].ms -= 60000;
	CHECK(progress_recent_rate(&p, &window) == 0);
	fclose(f);
}

/* --progress names a mode; auto follows where stderr goes, and gives way
 * to a bar drawn elsewhere (the factory line, Go mcumgr's words). */
TEST(progress_mode_pick_table)
{
	CHECK(progress_mode_pick("bar", true, false, true) == PROGRESS_BAR);
	CHECK(progress_mode_pick("lines", true, true, false) == PROGRESS_LINES);
	CHECK(progress_mode_pick("json", false, true, false) == PROGRESS_JSON);
	CHECK(progress_mode_pick("none", true, true, false) == PROGRESS_OFF);
	CHECK(progress_mode_pick(NULL, false, true, false) == PROGRESS_BAR);
	CHECK(progress_mode_pick("auto", false, false, false) == PROGRESS_LINES);
	CHECK(progress_mode_pick("auto", true, true, false) == PROGRESS_JSON);
	CHECK(progress_mode_pick(NULL, true, true, true) == PROGRESS_OFF);
}

/* A download's JSON lines name it, in "progress" and in the phase. */
TEST(progress_json_names_download)
{
	struct progress p;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	progress_start_mode(&p, f, PROGRESS_JSON, "download", 1000);
	progress_update(&p, 0);
	progress_update(&p, 500);
	progress_update(&p, 1000);
	fflush(f);
	CHECK(strstr(buf, "{\"progress\":\"download\",\"phase\":\"download\",\"bytes\":500,") !=
	      NULL);
	CHECK(strstr(buf, "\"phase\":\"done\",\"bytes\":1000,") != NULL);
	CHECK(strstr(buf, "\"upload\"") == NULL);
	fclose(f);
	free(buf);
}
