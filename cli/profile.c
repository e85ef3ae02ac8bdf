#include "cli/profile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/opts.h"

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
		*--end = 0;
	return s;
}

static FILE *open_config(char *path, size_t cap)
{
	const char *env = getenv("SMPCTL_CONFIG"), *home = getenv("HOME");

	if (env)
		snprintf(path, cap, "%s", env);
	else if (home)
		snprintf(path, cap, "%s/.config/smpctl/config", home);
	else
		return NULL;
	return fopen(path, "r");
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

/* Applies the [name] section; *found says whether it exists. */
static int apply_section(struct cli_ctx *ctx, FILE *f, const char *path, const char *name,
			 bool *found)
{
	char line[512], *s, *eq, *val;
	bool in = false;
	int lineno = 0;

	while (fgets(line, sizeof(line), f)) {
		lineno++;
		s = trim(line);
		if (!*s || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *close = strchr(s, ']');

			if (!close)
				return cli_fail(ctx, EXIT_USAGE, "%s:%d: bad section line", path, lineno);
			*close = 0;
			in = !strcmp(trim(s + 1), name);
			*found |= in;
			continue;
		}
		if (!in)
			continue;
		eq = strchr(s, '=');
		if (!eq)
			return cli_fail(ctx, EXIT_USAGE, "%s:%d: expected KEY = VALUE", path, lineno);
		*eq = 0;
		/* Option values must outlive this function: keep a copy. */
		val = strdup(trim(eq + 1));
		if (!val || ctx->profile_strings_used == CLI_PROFILE_MAX_VALUES) {
			free(val);
			return cli_fail(ctx, EXIT_USAGE, "%s: too many settings", path);
		}
		ctx->profile_strings[ctx->profile_strings_used++] = val;
		if (cli_opts_apply_named(ctx, trim(s), val) != EXIT_OK)
			return cli_fail(ctx, EXIT_USAGE, "%s:%d: in profile [%s]", path, lineno, name);
	}
	return EXIT_OK;
}

int cli_profile_apply(struct cli_ctx *ctx, int *argc, char **argv)
{
	const char *name = take_profile_arg(argc, argv);
	bool named = name != NULL, found = false;
	char path[512];
	FILE *f;
	int rc;

	if (!name)
		name = getenv("SMPCTL_PROFILE");
	named |= name != NULL;
	if (!name)
		name = "default";
	f = open_config(path, sizeof(path));
	if (!f) {
		if (named)
			return cli_fail(ctx, EXIT_USAGE, "profile '%s': cannot read %s: %s", name,
					path, strerror(errno));
		return EXIT_OK;
	}
	rc = apply_section(ctx, f, path, name, &found);
	fclose(f);
	if (rc == EXIT_OK && named && !found)
		rc = cli_fail(ctx, EXIT_USAGE, "no profile [%s] in %s", name, path);
	return rc;
}

void cli_profile_free(struct cli_ctx *ctx)
{
	while (ctx->profile_strings_used)
		free(ctx->profile_strings[--ctx->profile_strings_used]);
}
