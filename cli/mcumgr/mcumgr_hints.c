/* "did you mean" for the spellings of two other SMP tools, smpmgr (Python)
 * and mcumgr-client (Rust), which smpctl does not take: the whole command
 * line comes back in smpctl's words, on one line, with exit code 2. */
#include "cli/mcumgr/mcumgr_compat.h"

#include <string.h>

#include "cli/opts.h"

struct hint {
	const char *tool;
	const char *w1, *w2; /* the foreign spelling; w2 NULL for one word */
	const char *smpctl;  /* what smpctl calls it */
};

/* Options, before the command: the value follows. */
static const struct hint option_hints[] = {
	{ "smpmgr", "--ip", NULL, "--udp" },
	{ "smpmgr", "--port", NULL, "--serial" },
	{ "mcumgr-client", "-d", NULL, "--serial" },
	{ "mcumgr-client", "--device", NULL, "--serial" },
	{ "mcumgr-client", "--baudrate", NULL, "--baud" },
};

static const struct hint command_hints[] = {
	{ "smpmgr", "os", "echo", "echo" },
	{ "smpmgr", "os", "reset", "reset" },
	{ "smpmgr", "image", "state-read", "image list" },
	{ "smpmgr", "image", "state-write", "image test|confirm" },
	{ "smpmgr", "shell", "execute", "shell exec" },
	{ "mcumgr-client", "list", NULL, "image list" },
	{ "mcumgr-client", "upload", NULL, "upgrade" },
	{ "mcumgr-client", "test", NULL, "image test" },
	{ "mcumgr-client", "confirm", NULL, "image confirm" },
	{ "mcumgr-client", "erase", NULL, "image erase" },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct hint *match(const struct hint *t, size_t n, int argc, char **argv, int i)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (!strcmp(argv[i], t[k].w1) &&
		    (!t[k].w2 || (i + 1 < argc && !strcmp(argv[i + 1], t[k].w2))))
			return &t[k];
	return NULL;
}

static void say(struct cli_ctx *ctx, const struct hint *h, int argc, char **argv,
		const char *const *repl)
{
	int i;

	fprintf(ctx->err, "smpctl: '%s%s%s' is %s's spelling; did you mean: smpctl", h->w1,
		h->w2 ? " " : "", h->w2 ? h->w2 : "", h->tool);
	for (i = 1; i < argc; i++)
		if (repl[i])
			fprintf(ctx->err, "%s%s", *repl[i] ? " " : "", repl[i]);
		else
			fprintf(ctx->err, " %s", argv[i]);
	fputc('\n', ctx->err);
}

int compat_hint(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *repl[COMPAT_MAX_ARGS + 1] = { NULL };
	const struct hint *first = NULL, *h;
	int i;

	if (argc > COMPAT_MAX_ARGS)
		return COMPAT_GO_ON;
	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (argv[i][0] == '-') {
			h = match(option_hints, N(option_hints), argc, argv, i);
			if (h) {
				repl[i] = h->smpctl;
				first = first ? first : h;
				i++; /* its value */
			} else if (cli_opts_wants_value(argv[i])) {
				i++;
			}
			continue;
		}
		/* The command word. */
		h = match(command_hints, N(command_hints), argc, argv, i);
		if (h) {
			repl[i] = h->smpctl;
			if (h->w2)
				repl[i + 1] = "";
			first = first ? first : h;
		}
		break;
	}
	if (!first)
		return COMPAT_GO_ON;
	say(ctx, first, argc, argv, repl);
	return EXIT_USAGE;
}
