/* Zephyr basic group: storage erase wipes the device's storage partition
 * (its settings and whatever else lives there). It asks first on a
 * terminal; scripts say --yes. */
#include <string.h>
#include <unistd.h>

#include "cli/cmd/commands.h"
#include "cli/parse_options.h"
#include "smp/grp_basic.h"

/* Erasing a partition of some hundred kilobytes takes seconds. */
#define ERASE_TIMEOUT_MS 30000

/* Asks on the terminal; true only for an answer of "yes". */
static bool confirmed(struct cli_ctx *ctx)
{
	char line[32];

	fprintf(ctx->err,
		"This erases the storage partition of the device at %s: its settings "
		"and any data kept there.\nType yes to erase: ",
		ctx->opts.target ? ctx->opts.target : "?");
	fflush(ctx->err);
	if (!fgets(line, sizeof(line), stdin))
		return false;
	line[strcspn(line, "\r\n")] = 0;
	return !strcmp(line, "yes");
}

struct erase_args {
	bool yes;
};

static const struct cli_option storage_erase_options[] = {
	OPT_FLAG("yes", 0, "do not ask (needed when standard input is not a terminal)",
		 struct erase_args, yes),
	OPT_END(),
};

static int cmd_storage_erase(struct cli_ctx *ctx, int argc, char **argv)
{
	static const char usage[] = "usage: smpctl storage erase [--yes]";
	struct smp_request req = { .op = SMP_OP_WRITE,
				   .group = SMP_GROUP_ZEPHYR_BASIC,
				   .id = SMP_BASIC_ERASE_STORAGE };
	struct smp_response rsp;
	const char *why;
	struct erase_args a = { false };
	int rc;

	if (cli_parse_options(ctx, &argc, argv, storage_erase_options, &a, usage, 0) != EXIT_OK)
		return EXIT_USAGE;
	if (argc != 1)
		return cli_fail(ctx, EXIT_USAGE, "%s", usage);
	if (!a.yes && !isatty(STDIN_FILENO))
		return cli_fail(ctx, EXIT_USAGE,
				"storage erase: refusing to erase without --yes "
				"(standard input is not a terminal to ask on)");
	if (!a.yes && !confirmed(ctx))
		return cli_fail(ctx, EXIT_USAGE, "storage erase: not confirmed; nothing erased");
	req.timeout_ms = ctx->opts.timeout_ms > ERASE_TIMEOUT_MS ? ctx->opts.timeout_ms
								 : ERASE_TIMEOUT_MS;
	rc = cli_group_call(ctx, "storage erase", &req, &rsp);
	if (rc == EXIT_OK && smp_basic_erase_rsp(&rsp.body, &why) != 0)
		rc = cli_bad_answer(ctx, "storage erase", why);
	smp_response_clear(&rsp);
	if (rc != EXIT_OK)
		return rc;
	if (ctx->opts.json)
		cli_print_json(ctx, json_pack("{s:b}", "erased", 1));
	else
		fprintf(ctx->out, "storage partition erased\n");
	return EXIT_OK;
}

const struct cli_cmd storage_commands[] = {
	{ "erase", "[--yes]", "erase the storage partition (settings and data)", cmd_storage_erase,
	  NULL, storage_erase_options },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
