/* Walking the command table: help, option checks against each command's
 * option table, and the --json failure document, in one place. */
#include <string.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "cli/ui/text_safe.h"
#include "cli/parse_options.h"

const struct cli_option cli_no_options[] = { OPT_END() };

void cli_usage(FILE *f)
{
	const struct cli_cmd *c;
	char left[64];

	fprintf(f,
		"usage: smpctl [options] <command> [args]\n"
		"       smpctl --udp|--serial|--ble|--exec|--mqtt DEVICE   (an interactive shell)\n\n"
		"Manage and update Zephyr/MCUboot devices over SMP (mcumgr),\n"
		"by UDP, serial, Bluetooth LE, a command's pipe or an MQTT broker.\n\nOptions:\n");
	cli_opts_help(f);
	fprintf(f, "  %-34s %s\n  %-34s %s\n  %-34s %s\n", "    --conntype T --connstring S",
		"Go mcumgr's connection flags", "    --mcumgr-compat",
		"take Go mcumgr's whole command line (as when run as mcumgr)", "-h, --help",
		"this help");
	fprintf(f, "  %-34s %s\n\nCommands:\n", "    --version", "print the version");
	for (c = cli_commands; c->name; c++) {
		snprintf(left, sizeof(left), "%s %s", c->name, c->usage ? c->usage : "");
		fprintf(f, "  %-34s %s\n", left, c->summary);
	}
	fprintf(f, "\n'smpctl help COMMAND' or 'smpctl COMMAND --help' describes a command.\n"
		   "Exit codes: 0 ok, 1 device error, 2 usage, 3 transport or timeout,\n"
		   "4 bad answer from the device, 5 invalid image, 6 local file error,\n"
		   "7 some boards of upgrade --each failed, 8 an encrypted image no offline\n"
		   "check can decide (only the device's key can),\n"
		   "130 interrupted (Ctrl-C; an upload resumes when run again).\n"
		   "See smpctl(1) for more.\n");
}

void cli_list_commands(FILE *f, const struct cli_cmd *table, const char *path)
{
	const struct cli_cmd *c;

	fprintf(f, "usage: smpctl %s%s<command>\ncommands:\n", path, *path ? " " : "");
	for (c = table; c->name; c++)
		fprintf(f, "  %-10s %-28s %s\n", c->name, c->usage ? c->usage : "", c->summary);
}

static void option_left(const struct cli_option *o, char *buf, size_t cap)
{
	if (o->brief)
		snprintf(buf, cap, "-%c, --%s%s%s", o->brief, o->name, o->arg ? " " : "",
			 o->arg ? o->arg : "");
	else
		snprintf(buf, cap, "    --%s%s%s", o->name, o->arg ? " " : "",
			 o->arg ? o->arg : "");
}

static void command_help(FILE *f, const struct cli_cmd *c, const char *path)
{
	const struct cli_option *o;
	char left[64];

	if (c->subcommands) {
		fprintf(f, "%s\n", c->summary);
		cli_list_commands(f, c->subcommands, path);
		return;
	}
	fprintf(f, "usage: smpctl %s%s%s\n%s\n", path, c->usage && *c->usage ? " " : "",
		c->usage ? c->usage : "", c->summary);
	if (c->options && c->options[0].name) {
		fprintf(f, "\nOptions:\n");
		for (o = c->options; o->name; o++) {
			option_left(o, left, sizeof(left));
			fprintf(f, "  %-26s %s\n", left, o->help);
		}
	}
	fprintf(f, "\nGlobal options (--udp, --serial, --ble, --json, -v, ...): "
		   "see 'smpctl --help'.\n");
}

/* A cluster of short flags, "-uf": each must be a flag but the last,
 * which may take the rest of the word as its value. */
static bool short_cluster_ok(const struct cli_option *docs, const char *a)
{
	const struct cli_option *o;
	size_t k;

	for (k = 1; a[k]; k++) {
		for (o = docs; o->name && o->brief != a[k]; o++)
			;
		if (!o->name)
			return false;
		if (o->arg)
			return true;
	}
	return true;
}

enum arg_check {
	ARGS_OK,
	ARGS_HELP,
	ARGS_BAD
};

/* Looks for --help and unknown options before a "--". */
static enum arg_check check_args(struct cli_ctx *ctx, const struct cli_cmd *c, const char *path,
				 int argc, char **argv)
{
	const struct cli_option *o;
	bool inline_value;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			return ARGS_HELP;
		if (!c->options || !strcmp(a, "--"))
			return ARGS_OK;
		if (a[0] != '-' || !a[1])
			continue;
		o = cli_option_find(c->options, a, &inline_value);
		if (!o && a[1] != '-' && short_cluster_ok(c->options, a))
			continue;
		if (!o) {
			cli_fail(ctx, EXIT_USAGE, "%s: unknown option '%s' (usage: smpctl %s %s)",
				 path, a, path, c->usage);
			return ARGS_BAD;
		}
		if (o->arg && !inline_value)
			i++;
	}
	return ARGS_OK;
}

static int run_command(struct cli_ctx *ctx, const struct cli_cmd *c, const char *path, int argc,
		       char **argv);

/* "help image upload": the help of what the words name, on stdout. */
static int help_walk(struct cli_ctx *ctx, const struct cli_cmd *table, const char *prefix, int n,
		     char **words)
{
	const struct cli_cmd *c;
	char path[128];

	if (n <= 0) {
		if (*prefix)
			cli_list_commands(ctx->out, table, prefix);
		else
			cli_usage(ctx->out);
		return EXIT_OK;
	}
	for (c = table; c->name && strcmp(c->name, words[0]); c++)
		;
	if (!c->name)
		return cli_fail(ctx, EXIT_USAGE,
				"help: no command '%s%s%s' (see 'smpctl %s%shelp')", prefix,
				*prefix ? " " : "", words[0], prefix, *prefix ? " " : "");
	snprintf(path, sizeof(path), "%s%s%s", prefix, *prefix ? " " : "", c->name);
	if (c->subcommands && n > 1)
		return help_walk(ctx, c->subcommands, path, n - 1, words + 1);
	command_help(ctx->out, c, path);
	return EXIT_OK;
}

/* Damerau-Levenshtein distance (adjacent swaps count one, as "imgae"),
 * up to 32 characters of each word: enough for command names. */
static unsigned edit_distance(const char *a, const char *b)
{
	unsigned d[33][33];
	size_t i, j, n = strnlen(a, 32), m = strnlen(b, 32);

	for (i = 0; i <= n; i++)
		d[i][0] = (unsigned)i;
	for (j = 0; j <= m; j++)
		d[0][j] = (unsigned)j;
	for (i = 1; i <= n; i++)
		for (j = 1; j <= m; j++) {
			unsigned best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[n][m];
}

/* The command a mistyped word most likely meant, as git's "did you
 * mean": the nearest within two edits (one for words of three letters
 * or fewer), or one the word begins; NULL when none is close or two tie. */
static const struct cli_cmd *closest_command(const struct cli_cmd *table, const char *word)
{
	const struct cli_cmd *c, *best = NULL;
	size_t len = strlen(word);
	unsigned dist, best_dist = len <= 3 ? 2 : 3;
	bool tie = false;

	if (len > 32)
		return NULL;
	for (c = table; c->name; c++) {
		dist = edit_distance(word, c->name);
		if (len >= 2 && !strncmp(c->name, word, len))
			dist = 1;
		if (dist < best_dist) {
			best = c;
			best_dist = dist;
			tie = false;
		} else if (dist == best_dist) {
			tie = true;
		}
	}
	return tie ? NULL : best;
}

static int dispatch_table(struct cli_ctx *ctx, const struct cli_cmd *table, const char *prefix,
			  int argc, char **argv)
{
	const struct cli_cmd *c;
	char path[128];

	if (argc < 2) {
		cli_list_commands(ctx->err, table, prefix);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "help"))
		return help_walk(ctx, table, prefix, argc - 2, argv + 2);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return help_walk(ctx, table, prefix, 0, NULL);
	for (c = table; c->name; c++)
		if (!strcmp(c->name, argv[1])) {
			snprintf(path, sizeof(path), "%s%s%s", prefix, *prefix ? " " : "", c->name);
			return run_command(ctx, c, path, argc - 1, argv + 1);
		}
	c = closest_command(table, argv[1]);
	if (c)
		return cli_fail(ctx, EXIT_USAGE, "unknown command '%s%s%s': did you mean '%s%s%s'?",
				prefix, *prefix ? " " : "", SAFE(argv[1]), prefix,
				*prefix ? " " : "", c->name);
	return cli_fail(ctx, EXIT_USAGE, "unknown command '%s%s%s' (see 'smpctl %s%shelp')", prefix,
			*prefix ? " " : "", SAFE(argv[1]), prefix, *prefix ? " " : "");
}

static int run_command(struct cli_ctx *ctx, const struct cli_cmd *c, const char *path, int argc,
		       char **argv)
{
	if (c->subcommands)
		return dispatch_table(ctx, c->subcommands, path, argc, argv);
	/* Of a command whose arguments are the device's, only a first
	 * --help is ours. */
	if (!c->options && argc > 1 && strcmp(argv[1], "--help") && strcmp(argv[1], "-h"))
		return c->run(ctx, argc, argv);
	switch (check_args(ctx, c, path, argc, argv)) {
	case ARGS_HELP:
		command_help(ctx->out, c, path);
		return EXIT_OK;
	case ARGS_BAD:
		return EXIT_USAGE;
	case ARGS_OK:
		break;
	}
	return c->run(ctx, argc, argv);
}

static const char *const exit_kinds[] = {
	[EXIT_OK] = "ok",
	[EXIT_DEVICE] = "device",
	[EXIT_USAGE] = "usage",
	[EXIT_TRANSPORT] = "transport",
	[EXIT_PROTOCOL] = "protocol",
	[EXIT_IMAGE] = "image",
	[EXIT_LOCAL] = "local",
	[EXIT_SOME_BOARDS] = "some-boards",
};

json_t *cli_json_error(struct cli_ctx *ctx, int rc)
{
	const char *kind = rc >= 0 && (size_t)rc < sizeof(exit_kinds) / sizeof(exit_kinds[0])
				   ? exit_kinds[rc]
				   : "unknown";

	json_t *e = json_pack("{s:s,s:i,s:s}", "kind", kind, "exit_code", rc, "message",
			      ctx->last_error);

	/* jansson takes only valid UTF-8, and the message may quote a device's
	 * rsn: then the message goes escaped, as on a terminal. */
	if (!e)
		e = json_pack("{s:s,s:i,s:s}", "kind", kind, "exit_code", rc, "message",
			      SAFE(ctx->last_error));
	return e;
}

int cli_dispatch(struct cli_ctx *ctx, const struct cli_cmd *table, const char *prefix, int argc,
		 char **argv)
{
	int rc;

	ctx->last_error[0] = 0;
	ctx->json_printed = false;
	rc = dispatch_table(ctx, table, prefix, argc, argv);
	cli_json_failure(ctx, rc);
	return rc;
}

void cli_json_failure(struct cli_ctx *ctx, int rc)
{
	if (rc != EXIT_OK && ctx->opts.json && !ctx->json_printed)
		cli_print_json(ctx,
			       json_pack("{s:b,s:o}", "ok", 0, "error", cli_json_error(ctx, rc)));
}
