/* The interactive shell: readline, history, completion from the command
 * tables, and one connection for the whole session. */
#include "cli/interactive.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <readline/history.h>
#include <readline/readline.h>

#include "cli/opts.h"

#define MAX_WORDS 64
#define HISTORY_MAX 1000
#define MAX_CANDIDATES 64

int cli_split_line(char *line, char **words, int max)
{
	char *in = line, *out = line;
	int n = 0;

	for (;;) {
		char quote = 0;

		while (*in == ' ' || *in == '\t')
			in++;
		if (!*in)
			return n;
		if (n == max)
			return -1;
		words[n++] = out;
		while (*in && (quote || (*in != ' ' && *in != '\t'))) {
			if (quote && *in == quote) {
				quote = 0;
				in++;
			} else if (!quote && (*in == '\'' || *in == '"')) {
				quote = *in++;
			} else if (*in == '\\' && in[1] && quote != '\'') {
				*out++ = in[1];
				in += 2;
			} else {
				*out++ = *in++;
			}
		}
		if (quote)
			return -1;
		if (*in)
			in++;
		*out++ = 0;
	}
}

/* Completion state lives in statics because readline's generator
 * interface offers nothing else to carry it: the candidates for the word
 * being completed. */
static char completion_words[MAX_CANDIDATES][40];
static size_t completion_count;

static void add_candidate(const char *prefix, const char *name)
{
	if (completion_count < MAX_CANDIDATES)
		snprintf(completion_words[completion_count++], sizeof(completion_words[0]), "%s%s",
			 prefix, name);
}

static char *complete_word(const char *text, int state)
{
	static size_t next;
	size_t len = strlen(text);

	if (state == 0)
		next = 0;
	while (next < completion_count) {
		const char *w = completion_words[next++];

		if (!strncmp(w, text, len))
			return strdup(w);
	}
	return NULL;
}

/* An option word: the command's own options (once the words name one),
 * then the global ones. */
static void option_candidates(const struct cli_cmd *leaf)
{
	const struct cli_option *o;
	const char *name;
	size_t i;

	if (leaf && leaf->options)
		for (o = leaf->options; o->name; o++)
			add_candidate("--", o->name);
	for (i = 0; (name = cli_opts_name(i)); i++)
		add_candidate("--", name);
}

/* Completes the command word, then subcommand words, then options;
 * file names for anything else. */
static char **complete(const char *text, int start, int end)
{
	char *copy = strndup(rl_line_buffer, (size_t)start), *words[MAX_WORDS];
	const struct cli_cmd *table = cli_commands, *leaf = NULL, *c;
	int n, i;

	rl_attempted_completion_over = 0;
	if (!copy)
		return NULL;
	n = cli_split_line(copy, words, MAX_WORDS);
	for (i = 0; i < n && table; i++) {
		if (words[i][0] == '-')
			continue; /* a global option before the command */
		for (c = table; c->name && strcmp(c->name, words[i]); c++)
			;
		if (c->name && !c->subcommands)
			leaf = c;
		table = c->name ? c->subcommands : NULL;
	}
	free(copy);
	if (n < 0)
		return NULL;
	completion_count = 0;
	if (text[0] == '-')
		option_candidates(leaf);
	else if (table)
		for (c = table; c->name; c++)
			add_candidate("", c->name);
	else
		return NULL; /* readline's file name completion */
	rl_attempted_completion_over = 1;
	return rl_completion_matches(text, complete_word);
}

static int run_line(struct cli_ctx *ctx, char *line)
{
	struct cli_opts saved = ctx->opts;
	char *words[MAX_WORDS + 2];
	int n, rc;

	words[0] = "smpctl";
	n = cli_split_line(line, words + 1, MAX_WORDS);
	if (n < 0)
		return cli_fail(ctx, EXIT_USAGE, "unterminated quote (or too many words)");
	if (n == 0)
		return EXIT_OK;
	n++;
	words[n] = NULL;
	/* Options given on a line (--json, -v) hold for that line only; the
	 * connection stays the session's. */
	rc = cli_opts_extract(ctx, &n, words);
	if (rc == EXIT_OK && ctx->opts.target != saved.target)
		rc = cli_fail(ctx, EXIT_USAGE, "the connection is set when the shell starts");
	if (rc == EXIT_OK)
		rc = n < 2 ? EXIT_OK : cli_dispatch(ctx, cli_commands, "", n, words);
	ctx->opts = saved;
	fflush(ctx->out);
	return rc;
}

static bool is_quit(const char *p)
{
	return !strcmp(p, "quit") || !strcmp(p, "exit");
}

static void shell_help(struct cli_ctx *ctx)
{
	cli_list_commands(ctx->out, cli_commands, "");
	fprintf(ctx->out,
		"  %-10s %-28s %s\n  %-10s %-28s %s\n"
		"Ctrl-C ends the line or the running command; Ctrl-D ends the shell.\n"
		"'help COMMAND' or 'COMMAND --help' describes a command.\n",
		"quit", "", "end the shell", "exit", "", "end the shell");
}

/* The SIGINT flag the interruptible transport watches: a signal handler
 * gets no argument, so it lives here. */
static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	interrupted = 1;
}

/* One line of the shell or of a script; *quit is set by quit or exit. */
static int run_shell_line(struct cli_ctx *ctx, char *line, bool *quit)
{
	char *p = line;
	int rc;

	while (*p == ' ' || *p == '\t')
		p++;
	if (is_quit(p)) {
		*quit = true;
		return EXIT_OK;
	}
	interrupted = 0;
	if (!strcmp(p, "help")) {
		shell_help(ctx);
		return EXIT_OK;
	}
	rc = run_line(ctx, p);
	if (interrupted) {
		fprintf(ctx->err, "smpctl: interrupted\n");
		/* Answers still due are strays now; the link stays usable. */
		if (ctx->connected)
			smp_cancel_all(&ctx->engine);
	}
	interrupted = 0;
	return rc;
}

int cli_history_path(char *buf, size_t cap)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	int n;

	if (state && state[0] == '/')
		n = snprintf(buf, cap, "%s/smpctl/history", state);
	else if (home && home[0])
		n = snprintf(buf, cap, "%s/.local/state/smpctl/history", home);
	else
		return -1;
	return n > 0 && (size_t)n < cap ? 0 : -1;
}

/* mkdir -p of path's directory, private. */
static int make_parent_dirs(const char *path)
{
	char dir[4096];
	char *p;

	snprintf(dir, sizeof(dir), "%s", path);
	p = strrchr(dir, '/');
	if (!p || p == dir)
		return 0;
	*p = 0;
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(dir, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

/* Written to a temporary file and renamed over the old one, so that a
 * crash or a full disk leaves the old history whole; never through a
 * symlink or onto anything but a regular file. */
static void save_history(struct cli_ctx *ctx, const char *path)
{
	char tmp[4200];
	struct stat st;
	int fd;

	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		cli_fail(ctx, EXIT_LOCAL, "history not saved: %s is not a regular file", path);
		return;
	}
	if (make_parent_dirs(path) != 0) {
		cli_fail(ctx, EXIT_LOCAL,
			 "history not saved: cannot create the directory of %s: %s", path,
			 strerror(errno));
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		cli_fail(ctx, EXIT_LOCAL, "history not saved: %s: %s", tmp, strerror(errno));
		return;
	}
	close(fd);
	errno = write_history(tmp);
	if (errno != 0 || rename(tmp, path) != 0) {
		cli_fail(ctx, EXIT_LOCAL, "history not saved: %s: %s", path, strerror(errno));
		unlink(tmp);
	}
}

/* The line handler readline's callback interface calls: it takes no
 * argument, so the shell it runs lines for is here. */
static struct shell {
	struct cli_ctx *ctx;
	int rc;
	bool done;
} * active_shell;

static void on_line(char *line)
{
	struct shell *sh = active_shell;
	char *p = line;

	if (!line) {
		sh->done = true;
		fputc('\n', sh->ctx->out);
		return;
	}
	while (*p == ' ')
		p++;
	if (*p)
		add_history(p);
	sh->rc = run_shell_line(sh->ctx, p, &sh->done);
	free(line);
}

/* Ctrl-C at the prompt: drop the line, a fresh prompt. */
static void abandon_line(void)
{
	rl_free_line_state();
	rl_callback_sigcleanup();
	rl_replace_line("", 0);
	rl_crlf();
	rl_on_new_line();
	rl_redisplay();
}

int cli_interactive(struct cli_ctx *ctx)
{
	struct shell sh = { .ctx = ctx, .rc = EXIT_OK };
	struct sigaction sa, old;
	char history[4096];
	bool have_history = cli_history_path(history, sizeof(history)) == 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint; /* no SA_RESTART: poll must wake */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	ctx->interrupted = &interrupted;
	rl_readline_name = "smpctl";
	rl_attempted_completion_function = complete;
	rl_catch_signals = 0;
	stifle_history(HISTORY_MAX);
	if (have_history)
		read_history(history);
	fprintf(ctx->out, "smpctl interactive shell: commands as on the command line, "
			  "'help' lists them, 'quit' or Ctrl-D ends.\n");
	fflush(ctx->out);
	active_shell = &sh;
	rl_callback_handler_install("smpctl> ", on_line);
	while (!sh.done) {
		struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
		int r = poll(&p, 1, -1);

		if (r < 0 && errno == EINTR) {
			if (interrupted)
				abandon_line();
			interrupted = 0;
			continue;
		}
		if (r < 0)
			break;
		rl_callback_read_char();
	}
	rl_callback_handler_remove();
	active_shell = NULL;
	if (have_history)
		save_history(ctx, history);
	ctx->interrupted = NULL;
	sigaction(SIGINT, &old, NULL);
	return sh.rc;
}

int cli_run_script(struct cli_ctx *ctx, FILE *in)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned long lineno = 0;
	bool quit = false;
	int rc = EXIT_OK;

	while (!quit && (len = getline(&line, &cap, in)) >= 0) {
		char *p = line;

		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = 0;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			continue;
		rc = run_shell_line(ctx, p, &quit);
		if (rc != EXIT_OK) {
			fprintf(ctx->err, "smpctl: stopped at line %lu of the script (exit %d)\n",
				lineno, rc);
			break;
		}
	}
	free(line);
	return rc;
}
