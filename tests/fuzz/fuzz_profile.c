/* A connection-profile file ($SMPCTL_CONFIG), applied as smpctl does at
 * start: the [default] section, then a named one. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/opts.h"
#include "cli/profile.h"
#include "tests/fuzz/fuzz.h"

static char config_file[64];

static void remove_config(void)
{
	unlink(config_file);
}

/* The input goes to one file, reused for the whole run: on tmpfs where
 * there is one, as rewriting a file per input is then cheap. */
static const char *config_path(void)
{
	static const char *const dirs[] = { "/dev/shm", "/tmp" };
	int fd = -1;

	for (size_t i = 0; !config_file[0] && i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(config_file, sizeof(config_file), "%s/smpctl-fuzz-profile-XXXXXX",
			 dirs[i]);
		fd = mkstemp(config_file);
		if (fd < 0) {
			config_file[0] = 0;
			continue;
		}
		close(fd);
		atexit(remove_config);
		setenv("SMPCTL_CONFIG", config_file, 1);
		unsetenv("SMPCTL_PROFILE");
	}
	return config_file[0] ? config_file : NULL;
}

static void apply(int argc, const char *const *args)
{
	struct cli_ctx ctx;
	char *argv[8];
	int i;

	for (i = 0; i < argc; i++)
		argv[i] = (char *)args[i];
	argv[argc] = NULL;
	memset(&ctx, 0, sizeof(ctx));
	cli_opts_defaults(&ctx.opts);
	ctx.argv0 = "smpctl";
	ctx.out = ctx.err = fuzz_null_stream();
	cli_profile_apply(&ctx, &argc, argv);
	cli_profile_free(&ctx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const plain[] = { "smpctl", "image", "list" };
	static const char *const named[] = { "smpctl", "-p", "bench-board", "echo", "hi" };
	const char *path = config_path();
	FILE *f = path ? fopen(path, "w") : NULL;

	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	apply(3, plain);
	apply(5, named);
	return 0;
}
