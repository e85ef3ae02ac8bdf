/* Connection profiles, read with libinih: the parser is a kept library's,
 * the meaning of each key (a global option's long name) is ours. */
#include "cli/profile.h"

#include <errno.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>

#include "cli/opts.h"

int cli_profile_path(char *path, size_t cap)
{
	const char *env = getenv("SMPCTL_CONFIG"), *home = getenv("HOME");

	if (env && *env)
		snprintf(path, cap, "%s", env);
	else if (home && *home)
		snprintf(path, cap, "%s/.config/smpctl/config", home);
	else
		return -1;
	return 0;
}

/* Takes --profile NAME, --profile=NAME or -p NAME out of argv. */
static const char *take_profile_arg(int *argc, char **argv)
{
	const char *name = NULL;
	int i, out = 1, skip;

	for (i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		skip = 0;
		if ((!strcmp(argv[i], "--profile") || !strcmp(argv[i], "-p")) && i + 1 < *argc) {
			name = argv[i + 1];
			skip = 2;
		} else if (!strncmp(argv[i], "--profile=", 10)) {
			name = argv[i] + 10;
			skip = 1;
		}
		if (skip) {
			i += skip - 1;
			continue;
		}
		argv[out++] = argv[i];
	}
	for (; i < *argc; i++)
		argv[out++] = argv[i];
	argv[out] = NULL;
	*argc = out;
	return name;
}

struct profile_parse {
	FILE *f;
	struct cli_ctx *ctx;
	const char *path;
	int line;
	cli_profile_handler handler;
	void *user;
	bool refused; /* the handler stopped at a setting */
};

/* Whether inih would refuse the line: a '[' without ']', or a line that is
 * neither a comment, a continuation (it starts with a blank) nor has a
 * KEY = VALUE separator. What this misses inih reports by its return. */
static bool malformed(const char *s, int line)
{
	if (line == 1 && !strncmp(s, "\xEF\xBB\xBF", 3))
		s += 3;
	if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n' || !*s || *s == ';' || *s == '#')
		return false;
	if (*s == '[')
		return !strchr(s, ']');
	return !strpbrk(s, "=:");
}

/* inih's line reader (fgets' shape): a line too long for inih's buffer, or
 * one it would refuse, is skipped whole with a warning naming it, so that
 * one bad line does not stop every command. */
static char *read_line(char *str, int num, void *stream)
{
	struct profile_parse *p = stream;
	FILE *err = p->ctx->profile_warned ? NULL : p->ctx->err;
	size_t n;
	int c;

	if (!fgets(str, num, p->f))
		return NULL;
	p->line++;
	n = strlen(str);
	if (n && str[n - 1] != '\n' && !feof(p->f)) {
		while ((c = fgetc(p->f)) != EOF && c != '\n')
			;
		if (err)
			fprintf(err,
				"smpctl: warning: %s:%d: too long for a profile line "
				"(at most %d characters); skipped\n",
				p->path, p->line, CLI_PROFILE_MAX_LINE);
		snprintf(str, (size_t)num, "\n");
	} else if (malformed(str, p->line)) {
		if (err)
			fprintf(err,
				"smpctl: warning: %s:%d: expected [SECTION] or KEY = VALUE; "
				"skipped\n",
				p->path, p->line);
		snprintf(str, (size_t)num, "\n");
	}
	return str;
}

static int pass_setting(void *user, const char *section, const char *key, const char *value)
{
	struct profile_parse *p = user;

	if (p->handler(p->user, section, key, value))
		return 1;
	p->refused = true;
	return 0;
}

int cli_profile_parse(struct cli_ctx *ctx, FILE *f, const char *path, cli_profile_handler handler,
		      void *user)
{
	struct profile_parse p = { f, ctx, path, 0, handler, user, false };
	int line = ini_parse_stream(read_line, &p, pass_setting, &p);

	if (line > 0 && !p.refused && !ctx->profile_warned)
		fprintf(ctx->err, "smpctl: warning: %s:%d: not a profile line; skipped\n", path,
			line);
	ctx->profile_warned = true;
	return line > 0 && !p.refused ? 0 : line;
}

struct section_apply {
	struct cli_ctx *ctx;
	const char *name;
	bool found;
	bool failed; /* the first bad setting was reported; ignore the rest */
};

/* inih calls this for every KEY = VALUE; 0 makes ini_parse_file return
 * this line's number. */
static int apply_setting(void *user, const char *section, const char *key, const char *value)
{
	struct section_apply *a = user;
	struct cli_ctx *ctx = a->ctx;
	char *val;

	if (a->failed || strcmp(section, a->name))
		return 1;
	a->found = true;
	/* Option values must outlive the parse: keep a copy. */
	val = strdup(value);
	if (!val || ctx->profile_strings_used == CLI_PROFILE_MAX_VALUES) {
		free(val);
		cli_fail(ctx, EXIT_USAGE, "too many settings");
		a->failed = true;
		return 0;
	}
	ctx->profile_strings[ctx->profile_strings_used++] = val;
	if (cli_opts_apply_named(ctx, key, val) != EXIT_OK) {
		a->failed = true;
		return 0;
	}
	return 1;
}

/* Applies section name of the file at path; *found says whether it has
 * one. A missing file is ENOENT in *open_errno and EXIT_OK. */
static int apply_file(struct cli_ctx *ctx, const char *path, const char *name, bool *found,
		      int *open_errno)
{
	struct section_apply a = { .ctx = ctx, .name = name };
	FILE *f = fopen(path, "r");
	int line;

	*found = false;
	*open_errno = f ? 0 : errno;
	if (!f)
		return EXIT_OK;
	line = cli_profile_parse(ctx, f, path, apply_setting, &a);
	fclose(f);
	*found = a.found;
	if (line > 0)
		return cli_fail(ctx, EXIT_USAGE, "%s:%d: in profile [%s]", path, line, name);
	if (line < 0)
		return cli_fail(ctx, EXIT_LOCAL, "%s: out of memory", path);
	return EXIT_OK;
}

int cli_profile_apply_named(struct cli_ctx *ctx, const char *name)
{
	char path[512];
	bool found;
	int rc, err;

	if (cli_profile_path(path, sizeof(path)) != 0)
		return cli_fail(ctx, EXIT_USAGE, "profile '%s': no $HOME to find it in", name);
	rc = apply_file(ctx, path, name, &found, &err);
	if (rc != EXIT_OK)
		return rc;
	if (err)
		return cli_fail(ctx, EXIT_USAGE, "profile '%s': cannot read %s: %s", name, path,
				strerror(err));
	if (!found)
		return cli_fail(ctx, EXIT_USAGE, "no profile [%s] in %s", name, path);
	return EXIT_OK;
}

int cli_profile_apply(struct cli_ctx *ctx, int *argc, char **argv)
{
	const char *name = take_profile_arg(argc, argv);
	char path[512];
	bool found;
	int rc, err;

	if (!name)
		name = getenv("SMPCTL_PROFILE");
	if (name)
		return cli_profile_apply_named(ctx, name);
	/* [default] applies when it is there; no file is no error. */
	if (cli_profile_path(path, sizeof(path)) != 0)
		return EXIT_OK;
	rc = apply_file(ctx, path, "default", &found, &err);
	return rc;
}

void cli_profile_free(struct cli_ctx *ctx)
{
	while (ctx->profile_strings_used)
		free(ctx->profile_strings[--ctx->profile_strings_used]);
}
