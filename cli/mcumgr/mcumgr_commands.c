/* Go mcumgr's commands, each as smpctl's: the spellings of the Go tool's
 * README and Nordic's "mcumgr command-line tool" page, and newtmgr's
 * (which mcumgr wraps): image list|upload|test|confirm|erase, reset, echo,
 * taskstat, mpstat, datetime [TIME], fs upload|download, shell exec,
 * stat list|NAME, conn add|show|delete, version. */
#include "cli/mcumgr/mcumgr_rewrite.h"

#include <string.h>

static int add_words(struct rewrite *r, const char *const *w)
{
	int rc = EXIT_OK;

	for (; *w && rc == EXIT_OK; w++)
		rc = rw_out(r, *w);
	return rc;
}

static int rest(struct rewrite *r, int argc, char **argv)
{
	int i, rc = EXIT_OK;

	for (i = 0; i < argc && rc == EXIT_OK; i++)
		rc = rw_out(r, argv[i]);
	return rc;
}

static int c_same(struct rewrite *r, const char *const *w, int argc, char **argv)
{
	int rc = add_words(r, w);

	return rc ? rc : rest(r, argc, argv);
}

static int c_datetime(struct rewrite *r, const char *const *w, int argc, char **argv)
{
	if (argc > 1)
		return cli_fail(r->ctx, EXIT_USAGE, "mcumgr: usage: datetime [TIME]");
	if (argc == 0)
		return add_words(r, (const char *const[]){ "datetime", "get", NULL });
	return c_same(r, (const char *const[]){ "datetime", "set", NULL }, argc, argv);
}

/* image upload [-e] [-n N] [-u] [-w N] FILE */
static int c_upload(struct rewrite *r, const char *const *w, int argc, char **argv)
{
	const char *file = NULL, *image = NULL, *window = NULL;
	bool noerase = false, upgrade = false;
	int i, rc;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *val;
		const char **slot = NULL;

		if (!strcmp(a, "-e") || !strcmp(a, "--noerase"))
			noerase = true;
		else if (!strcmp(a, "-u") || !strcmp(a, "--upgrade"))
			upgrade = true;
		else if (!strncmp(a, "-n", 2) || !strncmp(a, "--image", 7))
			slot = &image;
		else if (!strncmp(a, "-w", 2) || !strncmp(a, "--maxwinsize", 12))
			slot = &window;
		else if (a[0] == '-' && a[1])
			return cli_fail(r->ctx, EXIT_USAGE,
					"mcumgr: image upload: unknown flag '%s'", a);
		else if (file)
			return cli_fail(r->ctx, EXIT_USAGE, "mcumgr: image upload takes one file");
		else
			file = a;
		if (!slot)
			continue;
		val = strchr(a, '=')	    ? strchr(a, '=') + 1
		      : a[1] != '-' && a[2] ? a + 2
		      : i + 1 < argc	    ? argv[++i]
					    : NULL;
		if (!val)
			return cli_fail(r->ctx, EXIT_USAGE,
					"mcumgr: image upload: '%s' needs a value", a);
		*slot = val;
	}
	if (!file)
		return cli_fail(r->ctx, EXIT_USAGE,
				"mcumgr: usage: image upload [-e] [-n N] [-u] "
				"[-w N] FILE");
	if (!noerase)
		rw_note(r, "no erase before the upload: the device erases the slot as the image "
			   "arrives (what -e asks for)");
	rc = add_words(r, w);
	if (rc == EXIT_OK && image && (rc = rw_out(r, "--image")) == EXIT_OK)
		rc = rw_out(r, image);
	if (rc == EXIT_OK && upgrade)
		rc = rw_out(r, "--upgrade");
	if (rc == EXIT_OK && window && (rc = rw_global(r, "--window")) == EXIT_OK)
		rc = rw_global(r, window);
	return rc == EXIT_OK ? rw_out(r, file) : rc;
}

/* image confirm [HASH]; the Nordic page spells "no hash" as "". */
static int c_confirm(struct rewrite *r, const char *const *w, int argc, char **argv)
{
	if (argc > 1)
		return cli_fail(r->ctx, EXIT_USAGE, "mcumgr: usage: image confirm [HASH]");
	if (argc == 1 && !argv[0][0])
		argc = 0;
	return c_same(r, w, argc, argv);
}

/* Go's fs upload/download replace the destination; smpctl's want --force. */
static int c_fs(struct rewrite *r, const char *const *w, int argc, char **argv)
{
	int rc;

	if (argc != 2)
		return cli_fail(r->ctx, EXIT_USAGE, "mcumgr: usage: fs %s FROM TO", w[1]);
	rc = c_same(r, w, argc, argv);
	return rc ? rc : rw_out(r, "--force");
}

/* stat list, or stat NAME for one group's counters. */
static int c_stat(struct rewrite *r, const char *const *w, int argc, char **argv)
{
	if (argc == 1 && !strcmp(argv[0], "list"))
		return add_words(r, (const char *const[]){ "stat", "list", NULL });
	if (argc != 1)
		return cli_fail(r->ctx, EXIT_USAGE, "mcumgr: usage: stat list | stat NAME");
	return c_same(r, (const char *const[]){ "stat", "read", NULL }, argc, argv);
}

static int c_version(struct rewrite *r, const char *const *w, int argc, char **argv)
{
	return rw_out(r, "--version");
}

struct go_cmd {
	const char *w1, *w2;   /* w2 NULL: one word */
	const char *smpctl[4]; /* the smpctl words it becomes */
	int (*map)(struct rewrite *r, const char *const *w, int argc, char **argv);
};

static const struct go_cmd go_cmds[] = {
	{ "echo", NULL, { "echo" }, c_same },
	{ "reset", NULL, { "reset" }, c_same },
	{ "taskstat", NULL, { "taskstat" }, c_same },
	{ "mpstat", NULL, { "mpstat" }, c_same },
	{ "datetime", NULL, { NULL }, c_datetime },
	{ "image", "list", { "mcumgr", "image-list" }, c_same },
	{ "image", "upload", { "image", "upload" }, c_upload },
	{ "image", "test", { "mcumgr", "image-test" }, c_same },
	{ "image", "confirm", { "mcumgr", "image-confirm" }, c_confirm },
	{ "image", "erase", { "image", "erase" }, c_same },
	{ "fs", "upload", { "fs", "upload" }, c_fs },
	{ "fs", "download", { "fs", "download" }, c_fs },
	{ "shell", "exec", { "shell", "exec", "--" }, c_same },
	{ "stat", NULL, { NULL }, c_stat },
	{ "conn", "add", { "conn", "add" }, c_same },
	{ "conn", "show", { "conn", "show" }, c_same },
	{ "conn", "delete", { "conn", "delete" }, c_same },
	{ "version", NULL, { NULL }, c_version },
};

#define NCMDS (sizeof(go_cmds) / sizeof(go_cmds[0]))

void rw_help(FILE *f)
{
	fprintf(f, "usage: mcumgr [flags] <command>   (smpctl, taking Go mcumgr's command line)\n\n"
		   "Flags: -c, --conn NAME; --conntype serial|udp|ble; --connstring STRING;\n"
		   "       -t, --timeout S; -r, --tries N; -l, --loglevel LEVEL; -i, --hci N;\n"
		   "       --name NAME; -h, --help\n\nCommands:\n");
	fprintf(f, "  conn add|show|delete NAME   echo TEXT   reset   taskstat   mpstat\n"
		   "  datetime [TIME]   image list|upload|test|confirm|erase\n"
		   "  fs upload|download FROM TO   shell exec CMD...   stat list|NAME   version\n\n"
		   "Exit codes are smpctl's (see smpctl(1)): 0 only when the device did it.\n");
}

int rw_command(struct rewrite *r)
{
	size_t i;

	if (r->words[0][0] == '-')
		return cli_fail(r->ctx, EXIT_USAGE, "mcumgr: unknown flag '%s' (see mcumgr --help)",
				r->words[0]);
	for (i = 0; i < NCMDS; i++) {
		const struct go_cmd *c = &go_cmds[i];
		int used = c->w2 ? 2 : 1;

		if (r->nwords < used || strcmp(r->words[0], c->w1) ||
		    (c->w2 && strcmp(r->words[1], c->w2)))
			continue;
		return c->map(r, c->smpctl, r->nwords - used, r->words + used);
	}
	return cli_fail(r->ctx, EXIT_USAGE,
			"mcumgr: '%s%s%s' is not a command smpctl takes in "
			"mcumgr's spelling (see mcumgr --help, or smpctl --help)",
			r->words[0], r->nwords > 1 ? " " : "", r->nwords > 1 ? r->words[1] : "");
}
