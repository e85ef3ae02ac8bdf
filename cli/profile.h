/* Connection profiles: named sets of global options in an INI file,
 * $SMPCTL_CONFIG or ~/.config/smpctl/config:
 *
 *     [default]            applies when no profile is named
 *     udp = 192.0.2.10
 *
 *     [bench-board]
 *     serial = /dev/ttyACM0
 *     baud = 1000000
 *     timeout = 5
 *
 * Keys are the long global option names; flags take "true". Options on
 * the command line win over a profile. */
#ifndef CLI_PROFILE_H
#define CLI_PROFILE_H

#include "cli/cli.h"

/* Finds the profile named by --profile/-p in argv (removing it), else by
 * $SMPCTL_PROFILE, else "default", and applies it to ctx->opts. A missing
 * file or [default] is no error; a named profile that is missing is.
 * Returns EXIT_OK or EXIT_USAGE (reported). */
int cli_profile_apply(struct cli_ctx *ctx, int *argc, char **argv);
/* Frees what applied profiles keep (option values point into it). */
void cli_profile_free(struct cli_ctx *ctx);

#endif
