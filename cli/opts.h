#ifndef CLI_OPTS_H
#define CLI_OPTS_H

#include "cli/cli.h"

void cli_opts_defaults(struct cli_opts *o);
/* Takes the global options out of argv wherever they stand before a "--",
 * leaving the command and its own arguments in order. Returns EXIT_OK,
 * or EXIT_USAGE after reporting the bad option. */
int cli_opts_extract(struct cli_ctx *ctx, int *argc, char **argv);
void cli_opts_help(FILE *f);
/* The long name of global option i ("udp"), or NULL past the last. */
const char *cli_opts_name(size_t i);
/* Applies one global option by its long name ("udp", "json"), as a
 * profile gives it; flags take "true" or "false". Reports errors. */
int cli_opts_apply_named(struct cli_ctx *ctx, const char *name, const char *value);
/* Whether arg is a global option whose value is the next argument. */
bool cli_opts_wants_value(const char *arg);
/* Strict number parsing for option values: -1 when s is not one. */
int cli_parse_uint(const char *s, unsigned long max, unsigned long *out);
/* cli_parse_uint for a command's own option or argument (what: "--slot"),
 * reporting a bad value with the valid range. EXIT_OK or EXIT_USAGE. */
int cli_parse_uint_in(struct cli_ctx *ctx, const char *what, const char *s, unsigned long min,
		      unsigned long max, unsigned long *out);

#endif
