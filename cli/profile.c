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
	line = ini_parse_file(f, apply_setting, &a);
	fclose(f);
	*found = a.found;
	if (line > 0 && a.failed)
		return cli_fail(ctx, EXIT_USAGE, "%s:%d: in profile [%s]", path, line, name);
	if (line > 0)
		return cli_fail(ctx, EXIT_USAGE, "%s:%d: expected [SECTION] or KEY = VALUE", path,
				line);
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
