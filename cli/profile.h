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
 * the command line win over a profile. `smpctl conn add` writes them
 * (cli/profile_write.c). */
#ifndef CLI_PROFILE_H
#define CLI_PROFILE_H

#include "cli/cli.h"

/* Finds the profile named by --profile/-p in argv (removing it), else by
 * $SMPCTL_PROFILE, else "default", and applies it to ctx->opts. A missing
 * file or [default] is no error; a named profile that is missing is.
 * Returns EXIT_OK or EXIT_USAGE (reported). */
int cli_profile_apply(struct cli_ctx *ctx, int *argc, char **argv);
/* Applies the profile called name, which must exist. Returns EXIT_OK or
 * EXIT_USAGE (reported). */
int cli_profile_apply_named(struct cli_ctx *ctx, const char *name);
/* The profile file's path: $SMPCTL_CONFIG, else ~/.config/smpctl/config.
 * -1 when there is neither. */
int cli_profile_path(char *path, size_t cap);
struct cli_profile_setting {
	const char *key; /* a global option's long name */
	char value[256];
};

/* Replaces (or with remove, deletes) the section [name] of the profile
 * file, keeping every other line; the file is written beside itself and
 * renamed over, and must be a regular file if it exists. Reports errors;
 * returns EXIT_OK, EXIT_USAGE or EXIT_LOCAL. */
int cli_profile_write(struct cli_ctx *ctx, const char *name, const struct cli_profile_setting *set,
		      size_t n, bool remove);
/* Frees what applied profiles keep (option values point into it). */
void cli_profile_free(struct cli_ctx *ctx);

#endif
