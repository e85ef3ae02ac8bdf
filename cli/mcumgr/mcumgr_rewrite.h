/* Inside the Go mcumgr front end: the command line being rewritten
 * (cli/mcumgr/mcumgr_rewrite.c), shared by cli/mcumgr/mcumgr_compat.c (flags,
 * connection, assembly) and cli/mcumgr/mcumgr_commands.c (Go's commands as
 * smpctl's). */
#ifndef CLI_MCUMGR_REWRITE_H
#define CLI_MCUMGR_REWRITE_H

#include "cli/mcumgr/mcumgr_compat.h"

struct rewrite {
	struct cli_ctx *ctx;
	const char *conntype, *connstring, *conn, *name;
	char *globals[COMPAT_MAX_ARGS]; /* smpctl options made from Go's */
	int nglobals;
	char *words[COMPAT_MAX_ARGS]; /* the command and what follows it */
	int nwords;
	char *out[COMPAT_MAX_ARGS]; /* the smpctl command */
	int nout;
	bool help;
	struct compat_front *f;
};

/* Adds s to the smpctl command (out), to the smpctl options made from
 * Go's (global) or to Go's command words (word); s must outlive main().
 * EXIT_OK or EXIT_USAGE (reported). */
int rw_out(struct rewrite *r, const char *s);
int rw_global(struct rewrite *r, const char *s);
int rw_word(struct rewrite *r, const char *s);
/* s copied into the front end's store, or NULL when it is full. */
const char *rw_copy(struct rewrite *r, const char *s);
/* One line on stderr: where smpctl does something differently. */
void rw_note(struct rewrite *r, const char *what);

/* Maps r->words (Go's command) onto r->out. */
int rw_command(struct rewrite *r);
void rw_help(FILE *f);

#endif
