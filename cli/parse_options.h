/* One parser for every command's options, driven by its table. */
#ifndef CLI_PARSE_OPTIONS_H
#define CLI_PARSE_OPTIONS_H

#include "cli/cli.h"

/* Options end at the first argument, as at a "--" (git's
 * PARSE_OPT_STOP_AT_NON_OPTION): for commands that take no arguments,
 * whose usage is then the error, whatever follows. */
#define CLI_PARSE_STOP_AT_ARG 1u

/* Parses the options of argv[1..*argc-1] against table, storing each value
 * at its row's offset in values (or through its callback). Options and
 * arguments may come in any order until a "--"; the arguments are left in
 * argv[1..*argc-1], in order. A value out of its row's range is named
 * ("bad value for --slot: ..."); any other bad option or missing value
 * gives usage as the error. Returns EXIT_OK or EXIT_USAGE (reported). */
int cli_parse_options(struct cli_ctx *ctx, int *argc, char **argv, const struct cli_option *table,
		      void *values, const char *usage, unsigned flags);

/* The row the option word arg ("--key=x", "-k") names, or NULL; whether
 * the word holds the value too. */
const struct cli_option *cli_option_find(const struct cli_option *table, const char *arg,
					 bool *inline_value);

#endif
