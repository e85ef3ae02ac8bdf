/* `conn add`'s writer (cli/profile_write.c) against the reader
 * (cli/profile.c, libinih): whatever the writer accepts must read back
 * exactly, name and every value. The input is NUL-separated: the
 * profile's name, then values, each value's key picked by its first byte
 * from the global options' names. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/opts.h"
#include "cli/profile.h"
#include "tests/fuzz/fuzz.h"

#define MAX_SETTINGS 8

static char config_file[64];

static void remove_config(void)
{
	unlink(config_file);
}

/* The profile file, fresh for each input, on tmpfs where there is one. */
static const char *config_path(void)
{
	static const char *const dirs[] = { "/dev/shm", "/tmp" };
	int fd;

	for (size_t i = 0; !config_file[0] && i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(config_file, sizeof(config_file), "%s/smpctl-fuzz-write-XXXXXX", dirs[i]);
		fd = mkstemp(config_file);
		if (fd < 0) {
			config_file[0] = 0;
			continue;
		}
		close(fd);
		atexit(remove_config);
		setenv("SMPCTL_CONFIG", config_file, 1);
	}
	return config_file[0] ? config_file : NULL;
}

struct readback {
	const char *name;
	const struct cli_profile_setting *set;
	size_t n, seen;
	bool wrong;
};

static int check_setting(void *user, const char *section, const char *key, const char *value)
{
	struct readback *r = user;

	if (strcmp(section, r->name) || r->seen >= r->n || strcmp(key, r->set[r->seen].key) ||
	    strcmp(value, r->set[r->seen].value))
		r->wrong = true;
	r->seen++;
	return 1;
}

static size_t n_options(void)
{
	size_t n = 0;

	while (cli_opts_name(n))
		n++;
	return n;
}

/* The settings from the words after the name; the number taken. */
static size_t settings(const char *p, const char *end, struct cli_profile_setting *set)
{
	size_t n = 0, keys = n_options();

	for (; p < end && n < MAX_SETTINGS; p += strlen(p) + 1) {
		if (!*p)
			continue;
		set[n].key = cli_opts_name((unsigned char)*p % keys);
		snprintf(set[n].value, sizeof(set[n].value), "%s", p + 1);
		n++;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cli_profile_setting set[MAX_SETTINGS];
	const char *path = config_path();
	struct readback r = { 0 };
	struct cli_ctx ctx;
	char *text;
	FILE *f;

	if (!path || !(text = calloc(1, size + 1)))
		return 0;
	memcpy(text, data, size);
	r.name = text;
	r.set = set;
	r.n = settings(text + strlen(text) + 1, text + size, set);
	memset(&ctx, 0, sizeof(ctx));
	cli_opts_defaults(&ctx.opts);
	ctx.argv0 = "smpctl";
	ctx.out = ctx.err = fuzz_null_stream();
	unlink(path);
	if (r.n && cli_profile_write(&ctx, r.name, set, r.n, false) == EXIT_OK) {
		f = fopen(path, "r");
		if (!f || cli_profile_parse(&ctx, f, path, check_setting, &r) != 0 || r.wrong ||
		    r.seen != r.n)
			abort();
		fclose(f);
	}
	free(text);
	return 0;
}
