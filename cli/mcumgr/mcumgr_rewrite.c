/* The command line being rewritten from Go mcumgr's to smpctl's: the
 * lists it grows and the store its copied words live in, used by the
 * flag reader (cli/mcumgr/mcumgr_compat.c) and the command map
 * (cli/mcumgr/mcumgr_commands.c) alike. */
#include "cli/mcumgr/mcumgr_rewrite.h"

#include <string.h>

int compat_push(struct compat_front *f, const char *s, bool copy)
{
	if (f->argc >= COMPAT_MAX_ARGS)
		return -1;
	if (copy) {
		size_t n = strlen(s) + 1;

		if (f->used + n > sizeof(f->store))
			return -1;
		memcpy(f->store + f->used, s, n);
		s = f->store + f->used;
		f->used += n;
	}
	f->argv[f->argc++] = (char *)s;
	f->argv[f->argc] = NULL;
	return 0;
}

void rw_note(struct rewrite *r, const char *what)
{
	fprintf(r->ctx->err, "smpctl: mcumgr: %s\n", what);
}

/* Appends to a list of r (globals or out); the strings must outlive
 * main(): argv's own, literals, or copies in f's store. */
static int add(struct rewrite *r, char **list, int *n, const char *s)
{
	if (*n >= COMPAT_MAX_ARGS)
		return cli_fail(r->ctx, EXIT_USAGE, "mcumgr: too many arguments");
	list[(*n)++] = (char *)s;
	return EXIT_OK;
}

int rw_out(struct rewrite *r, const char *s)
{
	return add(r, r->out, &r->nout, s);
}

int rw_global(struct rewrite *r, const char *s)
{
	return add(r, r->globals, &r->nglobals, s);
}

int rw_word(struct rewrite *r, const char *s)
{
	return add(r, r->words, &r->nwords, s);
}

const char *rw_copy(struct rewrite *r, const char *s)
{
	struct compat_front *f = r->f;
	size_t n = strlen(s) + 1;

	if (f->used + n > sizeof(f->store))
		return NULL;
	memcpy(f->store + f->used, s, n);
	f->used += n;
	return f->store + f->used - n;
}
