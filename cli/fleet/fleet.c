/* The factory line's parent: arguments, one child a board, the poll loop.
 * See cli/fleet/fleet.h for the design. */
#include "cli/fleet/fleet.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/image_file.h"
#include "host/nrf_zip.h"
#include "cli/opts.h"
#include "smp/clock.h"

bool fleet_wanted(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--each") || !strcmp(argv[i], "--each-file") ||
		    !strncmp(argv[i], "--each-file=", 12))
			return true;
	return false;
}

static int add_board(struct fleet *fl, const char *conn)
{
	size_t i;

	if (!*conn)
		return cli_fail(fl->ctx, EXIT_USAGE, "upgrade --each: an empty board name");
	for (i = 0; i < fl->n; i++)
		if (!strcmp(fl->boards[i].conn, conn))
			return cli_fail(fl->ctx, EXIT_USAGE,
					"upgrade --each: board '%s' given twice", conn);
	if (fl->n == FLEET_MAX_BOARDS)
		return cli_fail(fl->ctx, EXIT_USAGE, "upgrade --each: more than %d boards",
				FLEET_MAX_BOARDS);
	fl->boards[fl->n].conn = conn;
	fl->boards[fl->n].fd = -1;
	fl->boards[fl->n].relay_fd = -1;
	fl->boards[fl->n].relay_child_fd = -1;
	fl->n++;
	return EXIT_OK;
}

/* One board a line; blank lines and # comments are skipped. The names
 * are kept in *text, which the caller frees. */
static int read_each_file(struct fleet *fl, const char *path, char **text)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *line = NULL, *s, *end;
	size_t cap = 0, used = 0, total = 0;
	ssize_t n;
	int rc = EXIT_OK;

	if (!f)
		return cli_fail(fl->ctx, EXIT_LOCAL, "--each-file %s: %s", path, strerror(errno));
	/* Read it whole first: board names point into one buffer. */
	*text = NULL;
	while ((n = getline(&line, &cap, f)) > 0) {
		char *t = realloc(*text, total + (size_t)n + 1);

		if (!t) {
			rc = cli_fail(fl->ctx, EXIT_LOCAL, "out of memory");
			break;
		}
		*text = t;
		memcpy(*text + total, line, (size_t)n + 1);
		total += (size_t)n + 1;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	for (used = 0; rc == EXIT_OK && used < total; used += n + 1) {
		s = *text + used;
		n = (ssize_t)strlen(s);
		s[strcspn(s, "#\r\n")] = 0;
		while (*s == ' ' || *s == '\t')
			s++;
		end = s + strlen(s);
		while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = 0;
		if (*s)
			rc = fleet_expand(fl, s, add_board);
	}
	if (rc == EXIT_OK && fl->n == 0)
		rc = cli_fail(fl->ctx, EXIT_USAGE, "--each-file %s names no board", path);
	return rc;
}

static const char *find_file(struct fleet *fl);

/* Takes --each CONN..., --each-file LIST and --each-timeout S out of argv;
 * what is left is the upgrade's own command line. */
static int parse(struct fleet *fl, int argc, char **argv, char **text)
{
	unsigned long v;
	int i, rc = EXIT_OK;

	fl->timeout_s = 600;
	for (i = 0; i < argc && rc == EXIT_OK; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--each")) {
			int k = i;

			while (i + 1 < argc && argv[i + 1][0] != '-' && rc == EXIT_OK)
				rc = fleet_expand(fl, argv[++i], add_board);
			/* "--each A B app.bin": FILE may come last. */
			fl->argv[fl->argc] = NULL;
			if (rc == EXIT_OK && i == argc - 1 && i > k + 1 && !find_file(fl)) {
				fl->n--;
				i--;
			}
			if (rc == EXIT_OK && i == k)
				rc = cli_fail(fl->ctx, EXIT_USAGE,
					      "--each needs one board or more");
		} else if (!strcmp(a, "--each-file") || !strncmp(a, "--each-file=", 12)) {
			const char *path = a[11] == '=' ? a + 12 : i + 1 < argc ? argv[++i] : NULL;

			if (!path)
				return cli_fail(fl->ctx, EXIT_USAGE, "--each-file needs a file");
			if (*text)
				return cli_fail(fl->ctx, EXIT_USAGE, "--each-file given twice");
			rc = read_each_file(fl, path, text);
		} else if (!strcmp(a, "--each-failed")) {
			if (i + 1 >= argc || fl->failed_file)
				return cli_fail(fl->ctx, EXIT_USAGE,
						"--each-failed needs one FILE");
			fl->failed_file = argv[++i];
		} else if (!strcmp(a, "--each-timeout")) {
			if (i + 1 >= argc || cli_parse_uint(argv[i + 1], 86400, &v) || v == 0)
				return cli_fail(fl->ctx, EXIT_USAGE,
						"bad --each-timeout: expected "
						"SECONDS, 1 to 86400");
			fl->timeout_s = (int)v;
			i++;
		} else if (fl->argc < (int)(sizeof(fl->argv) / sizeof(fl->argv[0])) - 1) {
			fl->argv[fl->argc++] = argv[i];
		} else {
			return cli_fail(fl->ctx, EXIT_USAGE, "upgrade: too many arguments");
		}
	}
	fl->argv[fl->argc] = NULL;
	if (rc == EXIT_OK && fl->n == 0)
		rc = cli_fail(fl->ctx, EXIT_USAGE, "--each needs one board or more");
	return rc;
}

/* The upgrade's FILE: its last word that is no option's value. */
static const char *find_file(struct fleet *fl)
{
	static const char *const with_value[] = { "-i", "--image", "-k", "--key", "--wait" };
	const char *file = NULL;
	int i;
	size_t k;

	for (i = 1; i < fl->argc; i++) {
		bool value = false;

		for (k = 0; k < sizeof(with_value) / sizeof(with_value[0]); k++)
			value |= !strcmp(fl->argv[i], with_value[k]);
		if (value)
			i++;
		else if (fl->argv[i][0] != '-')
			file = fl->argv[i];
	}
	return file;
}

/* Checks FILE once, before any board: a bad image is one error, not one
 * a board. Keeps its hash for the up-to-date test. */
static int check_file(struct fleet *fl)
{
	struct cli_image ci;
	uint8_t head[4];
	FILE *f;
	bool zip;
	int rc;

	fl->file = find_file(fl);
	if (!fl->file)
		return cli_fail(fl->ctx, EXIT_USAGE,
				"usage: smpctl upgrade FILE --each CONN... "
				"| --each-file LIST [--each-timeout S] [upgrade options]");
	f = fopen(fl->file, "rb");
	if (!f)
		return cli_fail(fl->ctx, EXIT_LOCAL, "%s: %s", fl->file, strerror(errno));
	zip = fread(head, 1, sizeof(head), f) == sizeof(head) && nrf_zip_detect(head, sizeof(head));
	fclose(f);
	if (zip)
		return EXIT_OK;
	rc = cli_image_load(fl->ctx, fl->file, NULL, &ci);
	if (rc != EXIT_OK)
		return rc;
	if (ci.img.hash_len <= sizeof(fl->hash)) {
		memcpy(fl->hash, ci.img.hash_stored, ci.img.hash_len);
		fl->hash_len = ci.img.hash_len;
	}
	cli_image_free(&ci);
	return EXIT_OK;
}

static int start_board(struct fleet *fl, struct fleet_board *b)
{
	int p[2];
	size_t i;

	if (pipe(p) != 0)
		return cli_fail(fl->ctx, EXIT_LOCAL, "pipe: %s", strerror(errno));
	fflush(NULL);
	b->start_ms = smp_clock_ms();
	snprintf(b->phase, sizeof(b->phase), "starting");
	b->pid = fork();
	if (b->pid < 0) {
		close(p[0]);
		close(p[1]);
		return cli_fail(fl->ctx, EXIT_LOCAL, "fork: %s", strerror(errno));
	}
	if (b->pid == 0) {
		close(p[0]);
		/* Other boards' pipes stay the parent's: their EOF must come. */
		for (i = 0; i < fl->n; i++)
			if (fl->boards[i].fd >= 0)
				close(fl->boards[i].fd);
		fleet_mqtt_child_fds(fl, b);
		fleet_child(fl, b, p[1]);
	}
	close(p[1]);
	fleet_mqtt_forked(b);
	b->fd = p[0];
	fcntl(b->fd, F_SETFL, O_NONBLOCK);
	fcntl(b->fd, F_SETFD, FD_CLOEXEC);
	return EXIT_OK;
}

/* Reads what the child has said; false at its end. */
static bool drain(struct fleet *fl, struct fleet_board *b)
{
	char chunk[4096];
	ssize_t n;

	for (;;) {
		n = read(b->fd, chunk, sizeof(chunk));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return true;
		if (n <= 0)
			return false;
		fleet_feed(fl, b, chunk, (size_t)n, fleet_progress);
	}
}

static void finish(struct fleet *fl, struct fleet_board *b)
{
	close(b->fd);
	b->fd = -1;
	while (waitpid(b->pid, &b->status, 0) < 0 && errno == EINTR)
		;
	fleet_mqtt_board_done(b);
	b->end_ms = smp_clock_ms();
	snprintf(b->phase, sizeof(b->phase), "done");
	fleet_progress(fl, b);
}

/* A board past its deadline is killed; its pipe then ends. */
static void enforce_deadlines(struct fleet *fl, int64_t now)
{
	size_t i;

	for (i = 0; i < fl->n; i++) {
		struct fleet_board *b = &fl->boards[i];

		if (b->fd >= 0 && !b->timed_out &&
		    now - b->start_ms > (int64_t)fl->timeout_s * 1000) {
			b->timed_out = true;
			kill(b->pid, SIGKILL);
		}
	}
}

static void run_all(struct fleet *fl)
{
	struct pollfd pfd[FLEET_MAX_BOARDS * 2];
	size_t i, open_n, relay_n;

	for (;;) {
		open_n = 0;
		for (i = 0; i < fl->n; i++)
			if (fl->boards[i].fd >= 0) {
				pfd[open_n].fd = fl->boards[i].fd;
				pfd[open_n].events = POLLIN;
				pfd[open_n].revents = 0;
				open_n++;
			}
		if (!open_n)
			return;
		/* Answers from the broker wake no descriptor of ours: with a
		 * broker line, look for them every 2 ms. */
		relay_n = fleet_mqtt_pollfds(fl, pfd + open_n);
		if (poll(pfd, open_n + relay_n, fl->mqtt ? 2 : 250) < 0 && errno != EINTR)
			return;
		fleet_mqtt_pump(fl);
		for (i = 0; i < fl->n; i++) {
			struct fleet_board *b = &fl->boards[i];

			if (b->fd >= 0 && !drain(fl, b))
				finish(fl, b);
		}
		enforce_deadlines(fl, smp_clock_ms());
		fleet_progress(fl, NULL);
	}
}

int fleet_upgrade(struct cli_ctx *ctx, int argc, char **argv)
{
	struct fleet *fl = calloc(1, sizeof(*fl));
	char *text = NULL;
	size_t i, all;
	int rc;

	if (!fl)
		return cli_fail(ctx, EXIT_LOCAL, "out of memory");
	fl->ctx = ctx;
	fl->tty = ctx->err_is_tty;
	rc = parse(fl, argc, argv, &text);
	if (rc == EXIT_OK)
		rc = check_file(fl);
	if (rc == EXIT_OK)
		rc = fleet_mqtt_open(fl);
	all = fl->n;
	for (i = 0; rc == EXIT_OK && i < fl->n; i++)
		rc = start_board(fl, &fl->boards[i]);
	if (rc != EXIT_OK && i > 0)
		i--; /* the board that failed to start */
	if (i > 0) {
		/* Boards already started are seen to the end, whatever happened. */
		fl->n = i;
		run_all(fl);
		if (rc == EXIT_OK)
			rc = fleet_report(fl);
	}
	fl->n = all;
	fleet_mqtt_close(fl);
	for (i = 0; i < fl->n_expanded; i++)
		free(fl->expanded[i]);
	for (i = 0; i < FLEET_MAX_BOARDS; i++)
		json_decref(fl->boards[i].result);
	free(text);
	free(fl);
	return rc;
}
