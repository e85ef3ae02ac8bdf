/* smpctl: manage and update Zephyr/MCUboot devices over SMP. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/interactive.h"
#include "cli/mcumgr/mcumgr_compat.h"
#include "cli/opts.h"
#include "cli/profile.h"

#define SMPCTL_VERSION "0.1.0"

/* A signal handler gets no argument: this is how it finds the link whose
 * host state (a tty's settings, an --exec child) an interrupted smpctl
 * must put back. */
static struct cli_ctx *interrupted_ctx;

/* A wrapped transport (-vv, the shell's Ctrl-C) has no abort of its own:
 * link, the transport itself, is aborted beside it. */
static void abort_link(const struct smp_link *t)
{
	if (t->ops && t->ops->abort_now)
		t->ops->abort_now(t->ctx);
}

static void on_signal(int sig)
{
	static const char msg[] = "smpctl: interrupted\n";

	/* Also while connecting: an --exec command may be running already,
	 * and transport is filled in before link. */
	if (interrupted_ctx) {
		abort_link(&interrupted_ctx->transport);
		abort_link(&interrupted_ctx->link);
	}
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
		/* Nothing more to do about a closed stderr. */
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void catch_signals(struct cli_ctx *ctx)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	interrupted_ctx = ctx;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

int main(int argc, char **argv)
{
	struct cli_ctx ctx;
	struct compat_front front;
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	cli_opts_defaults(&ctx.opts);
	ctx.argv0 = argv[0];
	ctx.out = stdout;
	ctx.err = stderr;
	ctx.err_is_tty = isatty(STDERR_FILENO);
	catch_signals(&ctx);
	/* Go mcumgr's command lines, and hints for other tools' spellings. */
	rc = compat_front(&ctx, &front, &argc, &argv);
	if (rc != COMPAT_GO_ON)
		return rc;

	if (argc == 2 &&
	    (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))) {
		cli_usage(stdout);
		return EXIT_OK;
	}
	if (argc == 2 && !strcmp(argv[1], "--version")) {
		printf("smpctl %s\n", SMPCTL_VERSION);
		return EXIT_OK;
	}
	rc = cli_profile_apply(&ctx, &argc, argv);
	if (rc == EXIT_OK)
		rc = cli_opts_extract(&ctx, &argc, argv);
	if (rc != EXIT_OK) {
		cli_json_failure(&ctx, rc);
		cli_profile_free(&ctx);
		return rc;
	}
	if (argc < 2) {
		/* Just a connection: the interactive shell on a terminal, else
		 * standard input is a script of commands. */
		if (ctx.opts.transport != CLI_TRANSPORT_NONE) {
			rc = isatty(STDIN_FILENO) ? cli_interactive(&ctx)
						  : cli_run_script(&ctx, stdin);
			cli_disconnect(&ctx);
			cli_profile_free(&ctx);
			return rc;
		}
		fprintf(stderr,
			"usage: smpctl [options] <command> [args] ('smpctl --help' lists them)\n");
		cli_profile_free(&ctx);
		return EXIT_USAGE;
	}
	rc = cli_dispatch(&ctx, cli_commands, "", argc, argv);
	cli_disconnect(&ctx);
	cli_profile_free(&ctx);
	if (fflush(stdout) != 0 && rc == EXIT_OK)
		rc = cli_fail(&ctx, EXIT_LOCAL, "cannot write output");
	return rc;
}
