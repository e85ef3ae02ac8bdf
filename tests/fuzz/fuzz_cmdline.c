/* The command line as main() reads it before any command runs: the words
 * through the mcumgr front end (Go mcumgr's flags and spellings, the
 * hints for other tools), the profile argument, then the global options.
 * The input is the words, NUL-separated; its first byte picks argv[0]
 * ("smpctl" or "mcumgr", which turns the whole Go rewrite on). */
#include <stdlib.h>
#include <string.h>

#include "cli/mcumgr/mcumgr_compat.h"
#include "cli/opts.h"
#include "cli/profile.h"
#include "tests/fuzz/fuzz.h"

/* More than the front end takes, so that its limit is reached too. */
#define MAX_WORDS (COMPAT_MAX_ARGS + 8)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *words[MAX_WORDS + 1];
	struct compat_front *front;
	struct cli_ctx ctx;
	char *text, *p, *end, **argv = words;
	int argc = 1;

	if (size < 1)
		return 0;
	/* No profile file: what is read is the command line alone. */
	setenv("SMPCTL_CONFIG", "/nonexistent/smpctl-fuzz", 1);
	unsetenv("SMPCTL_PROFILE");
	text = malloc(size);
	front = malloc(sizeof(*front));
	if (!text || !front)
		goto out;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = 0;
	words[0] = data[0] & 1 ? "mcumgr" : "smpctl";
	for (p = text, end = text + size - 1; p < end && argc < MAX_WORDS; p += strlen(p) + 1)
		words[argc++] = p;
	words[argc] = NULL;
	memset(&ctx, 0, sizeof(ctx));
	cli_opts_defaults(&ctx.opts);
	ctx.argv0 = words[0];
	ctx.out = ctx.err = fuzz_null_stream();
	if (compat_front(&ctx, front, &argc, &argv) == COMPAT_GO_ON &&
	    cli_profile_apply(&ctx, &argc, argv) == EXIT_OK)
		cli_opts_extract(&ctx, &argc, argv);
	cli_profile_free(&ctx);
out:
	free(front);
	free(text);
	return 0;
}
