/* Go mcumgr's command line, read as that tool reads it (a cobra/pflag
 * program: global flags anywhere, -t20, -t=20, --timeout 20), and written
 * out as smpctl's: the flags and the connection here, the commands in
 * cli/mcumgr/mcumgr_commands.c. Where smpctl does a thing differently it says so
 * in one line. */
#include "cli/mcumgr/mcumgr_rewrite.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/connstring.h"
#include "cli/opts.h"

/* ---- Go mcumgr's global flags ---- */

static int g_conn(struct rewrite *r, const char *v)
{
	r->conn = v;
	return EXIT_OK;
}

static int g_conntype(struct rewrite *r, const char *v)
{
	r->conntype = v;
	return EXIT_OK;
}

static int g_connstring(struct rewrite *r, const char *v)
{
	r->connstring = v;
	return EXIT_OK;
}

static int g_timeout(struct rewrite *r, const char *v)
{
	int rc = rw_global(r, "--timeout");

	return rc ? rc : rw_global(r, v);
}

/* Go's -r counts every try, smpctl's --retries only the resends. */
static int g_tries(struct rewrite *r, const char *v)
{
	unsigned long n;
	char buf[16];
	const char *s;

	if (cli_parse_uint(v, 101, &n) || n < 1)
		return cli_fail(r->ctx, EXIT_USAGE, "mcumgr: bad --tries '%s' (1 to 101)", v);
	snprintf(buf, sizeof(buf), "%lu", n - 1);
	s = rw_copy(r, buf);
	if (!s || rw_global(r, "--retries"))
		return EXIT_USAGE;
	return rw_global(r, s);
}

static int g_loglevel(struct rewrite *r, const char *v)
{
	static const char *const quiet[] = { "critical", "error", "warn", "warning", "info" };
	size_t i;

	if (!strcasecmp(v, "debug"))
		return rw_global(r, "-vv");
	for (i = 0; i < sizeof(quiet) / sizeof(quiet[0]); i++)
		if (!strcasecmp(v, quiet[i]))
			return EXIT_OK;
	return cli_fail(r->ctx, EXIT_USAGE,
			"mcumgr: bad --loglevel '%s' (critical, error, warn, "
			"info or debug)",
			v);
}

static int g_hci(struct rewrite *r, const char *v)
{
	int rc = rw_global(r, "--hci");

	return rc ? rc : rw_global(r, v);
}

static int g_name(struct rewrite *r, const char *v)
{
	r->name = v;
	return EXIT_OK;
}

static int g_help(struct rewrite *r, const char *v)
{
	r->help = true;
	return EXIT_OK;
}

struct go_flag {
	const char *name;
	char brief;
	bool value;
	int (*apply)(struct rewrite *r, const char *v);
};

static const struct go_flag go_flags[] = {
	{ "conn", 'c', true, g_conn },
	{ "conntype", 0, true, g_conntype },
	{ "connstring", 0, true, g_connstring },
	{ "timeout", 't', true, g_timeout },
	{ "tries", 'r', true, g_tries },
	{ "loglevel", 'l', true, g_loglevel },
	{ "hci", 'i', true, g_hci },
	{ "name", 0, true, g_name },
	{ "help", 'h', false, g_help },
};

static const struct go_flag *find_flag(const char *a, const char **inline_val)
{
	size_t i;

	*inline_val = NULL;
	for (i = 0; i < sizeof(go_flags) / sizeof(go_flags[0]); i++) {
		const struct go_flag *g = &go_flags[i];
		size_t n = strlen(g->name);

		if (a[1] == '-' && !strncmp(a + 2, g->name, n) &&
		    (a[2 + n] == 0 || a[2 + n] == '=')) {
			if (a[2 + n] == '=')
				*inline_val = a + 3 + n;
			return g;
		}
		if (a[1] != '-' && g->brief && a[1] == g->brief) {
			if (a[2])
				*inline_val = a[2] == '=' ? a + 3 : a + 2;
			return g;
		}
	}
	return NULL;
}

/* Splits argv into Go's global flags (applied to r) and the words of the
 * command, flags of the command among them. */
static int read_flags(struct rewrite *r, int argc, char **argv)
{
	int i, rc;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val;
		const struct go_flag *g;

		if (!strcmp(a, "--")) {
			for (i++; i < argc; i++)
				if ((rc = rw_word(r, argv[i])))
					return rc;
			break;
		}
		g = a[0] == '-' && a[1] ? find_flag(a, &val) : NULL;
		if (!g) {
			if ((rc = rw_word(r, a)))
				return rc;
			continue;
		}
		if (g->value && !val) {
			if (i + 1 >= argc)
				return cli_fail(r->ctx, EXIT_USAGE,
						"mcumgr: flag --%s needs a value", g->name);
			val = argv[++i];
		}
		if (!g->value && val)
			return cli_fail(r->ctx, EXIT_USAGE, "mcumgr: flag --%s takes no value",
					g->name);
		if ((rc = g->apply(r, val)))
			return rc;
	}
	return EXIT_OK;
}

/* --conn, --conntype/--connstring and --name as smpctl options. */
static int connection(struct rewrite *r)
{
	struct conn_settings cs;
	size_t i;
	int rc;

	if (r->conn && (rc = rw_global(r, "--profile")) == EXIT_OK)
		rc = rw_global(r, r->conn);
	else
		rc = EXIT_OK;
	if (rc == EXIT_OK && (r->conntype || r->connstring)) {
		if (!r->conntype || !r->connstring)
			return cli_fail(r->ctx, EXIT_USAGE,
					"mcumgr: --conntype and --connstring go "
					"together");
		rc = conn_from_mcumgr(r->ctx, r->conntype, r->connstring, &cs);
		if (rc == EXIT_OK && cs.ignored[0])
			rw_note(r, cs.ignored);
		for (i = 0; rc == EXIT_OK && i < cs.n; i++) {
			char opt[40];
			const char *k, *v;

			/* --name overrides the profile's or connstring's peer. */
			if (r->name && !strcmp(cs.set[i].key, "ble"))
				continue;
			snprintf(opt, sizeof(opt), "--%s", cs.set[i].key);
			k = rw_copy(r, opt);
			v = rw_copy(r, cs.set[i].value);
			rc = k && v ? rw_global(r, k) : EXIT_USAGE;
			if (rc == EXIT_OK)
				rc = rw_global(r, v);
		}
	}
	if (rc == EXIT_OK && r->name && (rc = rw_global(r, "--ble")) == EXIT_OK)
		rc = rw_global(r, r->name);
	return rc;
}

static bool wants_compat(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');
	int i;

	if (!strcmp(base ? base + 1 : argv[0], "mcumgr"))
		return true;
	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--mcumgr-compat"))
			return true;
	return false;
}

/* f's argv: argv0, the options made, then the command. */
static int assemble(struct rewrite *r, char *argv0)
{
	struct compat_front *f = r->f;
	int i, rc;

	f->argc = 0;
	rc = compat_push(f, argv0, false);
	for (i = 0; i < r->nglobals && rc == 0; i++)
		rc = compat_push(f, r->globals[i], false);
	for (i = 0; i < r->nout && rc == 0; i++)
		rc = compat_push(f, r->out[i], false);
	return rc ? cli_fail(r->ctx, EXIT_USAGE, "command line too long") : EXIT_OK;
}

static int rewrite_all(struct cli_ctx *ctx, struct compat_front *f, int argc, char **argv)
{
	struct rewrite *r = calloc(1, sizeof(*r));
	int i, rc, k = 0;
	char *kept[COMPAT_MAX_ARGS + 1];

	if (!r)
		return cli_fail(ctx, EXIT_LOCAL, "out of memory");
	r->ctx = ctx;
	r->f = f;
	for (i = 0; i < argc && k < COMPAT_MAX_ARGS; i++)
		if (strcmp(argv[i], "--mcumgr-compat"))
			kept[k++] = argv[i];
	rc = read_flags(r, k, kept);
	if (rc == EXIT_OK && (r->help || r->nwords == 0)) {
		rw_help(r->help ? ctx->out : ctx->err);
		rc = r->help ? EXIT_OK : EXIT_USAGE;
		goto done;
	}
	if (rc == EXIT_OK)
		rc = rw_command(r);
	if (rc == EXIT_OK)
		rc = connection(r);
	if (rc == EXIT_OK)
		rc = assemble(r, argv[0]);
	if (rc == EXIT_OK)
		rc = COMPAT_GO_ON;
done:
	free(r);
	return rc;
}

/* Normal mode: --conntype/--connstring/--conn among smpctl's options. */
static int take_go_connection(struct cli_ctx *ctx, struct compat_front *f, int argc, char **argv)
{
	struct rewrite *r;
	int i, rc = EXIT_OK;
	bool any = false;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		any |= !strncmp(argv[i], "--conntype", 10) ||
		       !strncmp(argv[i], "--connstring", 12) || !strcmp(argv[i], "--conn") ||
		       !strncmp(argv[i], "--conn=", 7);
	if (!any)
		return COMPAT_GO_ON;
	r = calloc(1, sizeof(*r));
	if (!r)
		return cli_fail(ctx, EXIT_LOCAL, "out of memory");
	r->ctx = ctx;
	r->f = f;
	for (i = 1; i < argc && rc == EXIT_OK; i++) {
		const char *a = argv[i], *val = NULL;
		const struct go_flag *g = NULL;

		if (!strcmp(a, "--")) {
			for (; i < argc && rc == EXIT_OK; i++)
				rc = rw_out(r, argv[i]);
			break;
		}
		if (!strncmp(a, "--conn", 6))
			g = find_flag(a, &val);
		if (!g) {
			rc = rw_out(r, a);
			continue;
		}
		if (!val && i + 1 < argc)
			val = argv[++i];
		rc = val ? g->apply(r, val)
			 : cli_fail(ctx, EXIT_USAGE, "--%s needs a value", g->name);
	}
	if (rc == EXIT_OK)
		rc = connection(r);
	if (rc == EXIT_OK)
		rc = assemble(r, argv[0]);
	free(r);
	return rc == EXIT_OK ? COMPAT_GO_ON : rc;
}

int compat_front(struct cli_ctx *ctx, struct compat_front *f, int *argc, char ***argv)
{
	int rc;

	memset(f, 0, offsetof(struct compat_front, store));
	f->used = 0;
	if (wants_compat(*argc, *argv))
		rc = rewrite_all(ctx, f, *argc, *argv);
	else {
		rc = compat_hint(ctx, *argc, *argv);
		if (rc == COMPAT_GO_ON)
			rc = take_go_connection(ctx, f, *argc, *argv);
	}
	if (rc == COMPAT_GO_ON && f->argc > 0) {
		*argc = f->argc;
		*argv = f->argv;
	}
	return rc;
}
