#include <string.h>

#include "cli/cli.h"

static void list_subcommands(struct cli_ctx *ctx, const struct cli_cmd *table, const char *prefix)
{
	const struct cli_cmd *c;

	fprintf(ctx->err, "usage: smpctl %s%s<command>\ncommands:\n", prefix, *prefix ? " " : "");
	for (c = table; c->name; c++)
		fprintf(ctx->err, "  %-10s %-28s %s\n", c->name, c->usage ? c->usage : "",
			c->summary);
}

int cli_dispatch(struct cli_ctx *ctx, const struct cli_cmd *table, const char *prefix,
		 int argc, char **argv)
{
	const struct cli_cmd *c;

	if (argc < 2) {
		list_subcommands(ctx, table, prefix);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		list_subcommands(ctx, table, prefix);
		fflush(ctx->err);
		return EXIT_OK;
	}
	for (c = table; c->name; c++)
		if (!strcmp(c->name, argv[1]))
			return c->subcommands
				       ? cli_dispatch(ctx, c->subcommands, c->name, argc - 1, argv + 1)
				       : c->run(ctx, argc - 1, argv + 1);
	return cli_fail(ctx, EXIT_USAGE, "unknown command '%s%s%s' (see 'smpctl %s%shelp')", prefix,
			*prefix ? " " : "", argv[1], prefix, *prefix ? " " : "");
}
