/* The front end for command lines written for other SMP tools, run before
 * anything else reads argv:
 *  - installed as `mcumgr` (argv[0]'s name) or given --mcumgr-compat,
 *    smpctl takes Go mcumgr's whole command line (its global flags, conn
 *    profiles, command spellings and flags) and rewrites it into smpctl's;
 *  - otherwise Go mcumgr's --conntype/--connstring/--conn are taken as
 *    they are, and smpmgr's and mcumgr-client's spellings get a one-line
 *    "did you mean" (cli/mcumgr/mcumgr_hints.c).
 * The rewritten argv lives in struct compat_front, on main()'s stack. */
#ifndef CLI_MCUMGR_COMPAT_H
#define CLI_MCUMGR_COMPAT_H

#include "cli/cli.h"

#define COMPAT_MAX_ARGS 128
#define COMPAT_GO_ON (-1)

struct compat_front {
	char *argv[COMPAT_MAX_ARGS + 1];
	int argc;
	char store[4096]; /* strings made for argv */
	size_t used;
};

/* Rewrites argc and argv (pointing them at f) when needed. Returns
 * COMPAT_GO_ON to carry on with them, or the exit code when it has
 * already answered (help, a hint, a usage error). */
int compat_front(struct cli_ctx *ctx, struct compat_front *f, int *argc, char ***argv);

/* Adds s to f's argv (copying it into f's store when copy). -1 if full. */
int compat_push(struct compat_front *f, const char *s, bool copy);

/* Normal mode: a one-line "did you mean" for smpmgr's and mcumgr-client's
 * spellings in argv. Returns EXIT_USAGE after saying it, or COMPAT_GO_ON. */
int compat_hint(struct cli_ctx *ctx, int argc, char **argv);

#endif
