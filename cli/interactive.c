/* The interactive shell: readline, history, completion from the command
 * tables, and one connection for the whole session. */
#include "cli/interactive.h"

#include <stdlib.h>
#include <string.h>
#include <readline/history.h>
#include <readline/readline.h>

#include "cli/opts.h"

#define MAX_WORDS 64

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

/* Completion state lives in these two statics because readline's
 * generator interface offers nothing else to carry it. */
static const struct cli_cmd *completion_table;

static char *complete_word(const char *text, int state)
{
	static const struct cli_cmd *next;
	size_t len = strlen(text);

	if (state == 0)
		next = completion_table;
	while (next && next->name) {
		const struct cli_cmd *c = next++;

		if (!strncmp(c->name, text, len))
			return strdup(c->name);
	}
	return NULL;
}

/* Completes the command word, then subcommand words; file names after. */
static char **complete(const char *text, int start, int end)
{
	char *copy = strndup(rl_line_buffer, (size_t)start), *words[MAX_WORDS];
	const struct cli_cmd *table = cli_commands, *c;
	int n, i;

	rl_attempted_completion_over = 0;
	if (!copy)
		return NULL;
	n = cli_split_line(copy, words, MAX_WORDS);
	for (i = 0; i < n && table; i++) {
		for (c = table; c->name && strcmp(c->name, words[i]); c++)
			;
		table = c->name ? c->subcommands : NULL;
	}
	free(copy);
	if (n < 0 || !table)
		return NULL;	/* readline's file name completion */
	completion_table = table;
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

int cli_interactive(struct cli_ctx *ctx)
{
	char *line;
	int rc = EXIT_OK;

	rl_readline_name = "smpctl";
	rl_attempted_completion_function = complete;
	fprintf(ctx->out, "smpctl interactive shell: commands as on the command line, "
			  "'help' lists them, 'quit' or Ctrl-D ends.\n");
	while ((line = readline("smpctl> "))) {
		char *p = line;

		while (*p == ' ')
			p++;
		if (!strcmp(p, "quit") || !strcmp(p, "exit")) {
			free(line);
			break;
		}
		if (*p)
			add_history(p);
		rc = strcmp(p, "help") ? run_line(ctx, p)
				       : cli_dispatch(ctx, cli_commands, "", 2, (char *[]){ "", "help", NULL });
		free(line);
	}
	return rc;
}
