/* smpctl: manage and update Zephyr/MCUboot devices over SMP. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/interactive.h"
#include "cli/opts.h"
#include "cli/profile.h"
#include "transport/pipe.h"
#include "transport/serial.h"

#define SMPCTL_VERSION "0.1.0"

static void usage(FILE *f)
{
	const struct cli_cmd *c;
	char left[64];

	fprintf(f, "usage: smpctl [options] <command> [args]\n"
		   "       smpctl --udp|--serial|--ble|--exec|--mqtt DEVICE   (an interactive shell)\n\n"
		   "Manage and update Zephyr/MCUboot devices over SMP (mcumgr),\n"
		   "by UDP, serial, Bluetooth LE, a command's pipe or an MQTT broker.\n\nOptions:\n");
	cli_opts_help(f);
	fprintf(f, "  %-34s %s\n  %-34s %s\n\nCommands:\n", "-h, --help", "this help",
		"    --version", "print the version");
	for (c = cli_commands; c->name; c++) {
		snprintf(left, sizeof(left), "%s %s", c->name, c->usage ? c->usage : "");
		fprintf(f, "  %-34s %s\n", left, c->summary);
	}
	fprintf(f, "\nExit codes: 0 ok, 1 device error, 2 usage, 3 transport or timeout,\n"
		   "4 bad answer from the device, 5 invalid image, 6 local file error.\n"
		   "See smpctl(1) for more.\n");
}

/* A signal handler gets no argument: this is how it finds the port whose
 * settings an interrupted smpctl must put back. */
static struct cli_ctx *interrupted_ctx;

static void on_signal(int sig)
{
	static const char msg[] = "smpctl: interrupted\n";

	if (interrupted_ctx && interrupted_ctx->connected)
		serial_transport_restore_now(&interrupted_ctx->link);
	/* Also while connecting: the command may be running already. */
	if (interrupted_ctx) {
		pipe_transport_kill_now(&interrupted_ctx->transport);
		pipe_transport_kill_now(&interrupted_ctx->link);
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
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	cli_opts_defaults(&ctx.opts);
	ctx.argv0 = argv[0];
	ctx.out = stdout;
	ctx.err = stderr;
	ctx.err_is_tty = isatty(STDERR_FILENO);
	catch_signals(&ctx);

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
			  !strcmp(argv[1], "help"))) {
		usage(stdout);
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
		cli_profile_free(&ctx);
		return rc;
	}
	if (argc < 2) {
		/* Just a connection, on a terminal: the interactive shell. */
		if (ctx.opts.transport != CLI_TRANSPORT_NONE && isatty(STDIN_FILENO)) {
			rc = cli_interactive(&ctx);
			cli_disconnect(&ctx);
			cli_profile_free(&ctx);
			return rc;
		}
		usage(stderr);
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
