/* smpctl's read-only commands end to end, human and --json output, against
 * a scripted device (script_link.h): the first input byte picks the
 * command, the rest is what the device answers. Covers each command's
 * checks of the answers and its printing of device text. Commands that
 * write host files, reset the device or wait for it are left out. */
#include <string.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "host/engine_heap.h"
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/script_link.h"

static const char *const commands[][5] = {
	{ "image", "list" },
	{ "image", "slots" },
	{ "taskstat" },
	{ "mpstat" },
	{ "params" },
	{ "os", "info" },
	{ "datetime", "get" },
	{ "bootloader", "info" },
	{ "bootloader", "info", "mode" },
	{ "stat", "list" },
	{ "stat", "read", "smp_svr_stats" },
	{ "settings", "read", "a/b" },
	{ "groups" },
	{ "echo", "hello" },
	{ "shell", "exec", "ls" },
	{ "fs", "stat", "/lfs/a" },
	{ "fs", "hash", "/lfs/a" },
	{ "fs", "hashes" },
	{ "raw", "64", "0" },
	{ "image", "erase" },
	{ "fs", "close" },
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cli_ctx ctx;
	struct smp_engine_cfg cfg;
	struct script s;
	char *argv[7] = { "smpctl" }; /* cli_dispatch skips the program name */
	int argc = 1;
	unsigned pick;

	if (size < 1)
		return 0;
	pick = data[0] % (2 * N_COMMANDS);
	memset(&ctx, 0, sizeof(ctx));
	cli_opts_defaults(&ctx.opts);
	ctx.opts.json = pick >= N_COMMANDS;
	ctx.opts.timeout_ms = 1;
	ctx.opts.retries = 0;
	ctx.argv0 = "smpctl";
	ctx.out = ctx.err = fuzz_null_stream();
	/* Connected already, to the script. */
	script_link_init(&s, &ctx.transport, data + 1, size - 1);
	ctx.link = ctx.transport;
	smp_engine_cfg_defaults(&cfg);
	cfg.timeout_ms = 1;
	cfg.retries = 0;
	if (engine_heap_init(&ctx.engine, &ctx.transport, &cfg) != SMP_OK)
		return 0;
	ctx.connected = true;
	for (const char *const *a = commands[pick % N_COMMANDS]; argc < 6 && a[argc - 1]; argc++)
		argv[argc] = (char *)a[argc - 1];
	argv[argc] = NULL;
	cli_dispatch(&ctx, cli_commands, "", argc, argv);
	cli_disconnect(&ctx);
	return 0;
}
