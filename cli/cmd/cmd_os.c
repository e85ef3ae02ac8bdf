/* OS group commands: echo, reset, params, os info. */
#include <stdlib.h>
#include <string.h>

#include "cli/cmd/commands.h"
#include "cli/opts.h"
#include "cli/parse_options.h"
#include "smp/grp_os.h"

/* Joins argv[1..] with spaces, as a shell user expects "echo a b". */
static char *join_args(int argc, char **argv)
{
	size_t len = 1, i;
	char *s;

	for (i = 1; i < (size_t)argc; i++)
		len += strlen(argv[i]) + 1;
	s = malloc(len);
	if (!s)
		return NULL;
	s[0] = 0;
	for (i = 1; i < (size_t)argc; i++) {
		if (i > 1)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

int cmd_echo(struct cli_ctx *ctx, int argc, char **argv)
{
	cbor_item_t *req = NULL, *rsp = NULL;
	char *text = NULL, *answer = NULL;
	const char *why;
	int rc;

	if (argc > 1 && !strcmp(argv[1], "--")) {
		argv++;
		argc--;
	}
	if (argc < 2)
		return cli_fail(ctx, EXIT_USAGE, "usage: smpctl echo TEXT...");
	text = join_args(argc, argv);
	req = text ? smp_os_echo_req(text) : NULL;
	if (!req) {
		rc = cli_fail(ctx, EXIT_LOCAL, "out of memory");
		goto out;
	}
	rc = cli_request(ctx, "echo", SMP_OP_WRITE, SMP_GROUP_OS, SMP_OS_ECHO, req, &rsp);
	if (rc != EXIT_OK)
		goto out;
	if (smp_os_echo_rsp(rsp, &answer, &why) != 0) {
		rc = cli_bad_answer(ctx, "echo", why);
		goto out;
	}
	cli_print_text(ctx, "echo", answer);
out:
	free(text);
	free(answer);
	if (req)
		cbor_decref(&req);
	if (rsp)
		cbor_decref(&rsp);
	return rc;
}

struct reset_args {
	bool force;
	int boot_mode; /* < 0: not sent */
};

const struct cli_option reset_options[] = {
	OPT_FLAG("force", 'f', "reset even if the application objects (busy)", struct reset_args,
		 force),
	OPT_INT("boot-mode", 0, "N", "boot mode to ask for, 0 to 255 (1: stay in the bootloader)",
		struct reset_args, boot_mode, 0, 255),
	OPT_END(),
};

int cmd_reset(struct cli_ctx *ctx, int argc, char **argv)
{
	static const char usage[] = "usage: smpctl reset [--force] [--boot-mode N]";
	struct reset_args a = { false, -1 };
	cbor_item_t *req, *rsp = NULL;
	int rc;

	if (cli_parse_options(ctx, &argc, argv, reset_options, &a, usage, CLI_PARSE_STOP_AT_ARG) !=
	    EXIT_OK)
		return EXIT_USAGE;
	if (argc != 1)
		return cli_fail(ctx, EXIT_USAGE, "%s", usage);
	req = smp_os_reset_req(a.force, a.boot_mode);
	if (!req)
		return cli_fail(ctx, EXIT_LOCAL, "out of memory");
	rc = cli_request(ctx, "reset", SMP_OP_WRITE, SMP_GROUP_OS, SMP_OS_RESET, req, &rsp);
	cbor_decref(&req);
	if (rsp)
		cbor_decref(&rsp);
	if (rc != EXIT_OK)
		return rc;
	if (ctx->opts.json)
		cli_print_json(ctx, json_pack("{s:b}", "reset", 1));
	else
		fprintf(ctx->out, "device is resetting\n");
	return EXIT_OK;
}

int cmd_params(struct cli_ctx *ctx, int argc, char **argv)
{
	uint64_t size = 0, count = 0;
	int rc;

	if (argc != 1)
		return cli_fail(ctx, EXIT_USAGE, "usage: smpctl params");
	rc = cli_get_params(ctx, &size, &count);
	if (rc != EXIT_OK)
		return rc;
	if (ctx->opts.json)
		cli_print_json(ctx, json_pack("{s:I,s:I}", "buf_size", (json_int_t)size,
					      "buf_count", (json_int_t)count));
	else
		fprintf(ctx->out, "buf_size:  %llu\nbuf_count: %llu\n", (unsigned long long)size,
			(unsigned long long)count);
	return EXIT_OK;
}

static int cmd_os_info(struct cli_ctx *ctx, int argc, char **argv)
{
	cbor_item_t *req, *rsp = NULL;
	char *output = NULL;
	const char *why;
	int rc;

	if (argc > 2)
		return cli_fail(ctx, EXIT_USAGE, "usage: smpctl os info [FORMAT]");
	if (argc == 2 && strspn(argv[1], "snrvbmpioa") != strlen(argv[1]))
		return cli_fail(ctx, EXIT_USAGE,
				"os info: bad format '%s': use letters of snrvbmpioa", argv[1]);
	req = smp_os_info_req(argc == 2 ? argv[1] : NULL);
	if (!req)
		return cli_fail(ctx, EXIT_LOCAL, "out of memory");
	rc = cli_request(ctx, "os info", SMP_OP_READ, SMP_GROUP_OS, SMP_OS_INFO, req, &rsp);
	cbor_decref(&req);
	if (rc != EXIT_OK)
		return rc;
	if (smp_os_info_rsp(rsp, &output, &why) != 0)
		rc = cli_bad_answer(ctx, "os info", why);
	else
		cli_print_text(ctx, "output", output);
	free(output);
	cbor_decref(&rsp);
	return rc;
}

const struct cli_cmd os_commands[] = {
	{ "info", "[FORMAT]", "OS and build information (format letters snrvbmpioa)", cmd_os_info,
	  NULL, cli_no_options },
	{ "taskstat", "", "threads (as smpctl taskstat)", cmd_taskstat, NULL, cli_no_options },
	{ "mpstat", "", "memory pools (as smpctl mpstat)", cmd_mpstat, NULL, cli_no_options },
	{ "datetime", "get|set now|TIME", "the clock (as smpctl datetime)", NULL, datetime_commands,
	  NULL },
	{ "bootloader", "info [QUERY]", "the bootloader (as smpctl bootloader)", NULL,
	  bootloader_commands, NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
