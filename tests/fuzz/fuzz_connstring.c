/* The connection parsers a user's text reaches: Go mcumgr's
 * --conntype/--connstring pair, smpctl's KIND:TARGET specs (--each),
 * mqtt:// URLs, and the factory line's {a,b} / {N..M} groups. The first
 * byte picks the parser; for Go's pair the text before the first NUL is
 * the type. */
#include <stdlib.h>
#include <string.h>

#include "cli/connstring.h"
#include "cli/fleet/fleet.h"
#include "cli/opts.h"
#include "tests/fuzz/fuzz.h"
#include "transport/mqtt_url.h"

static int count_board(struct fleet *fl, const char *conn)
{
	fl->n += conn[0] != 0;
	return EXIT_OK;
}

static void expand(struct cli_ctx *ctx, const char *text)
{
	static struct fleet fl;
	size_t i;

	memset(&fl, 0, sizeof(fl));
	fl.ctx = ctx;
	fleet_expand(&fl, text, count_board);
	for (i = 0; i < fl.n_expanded; i++)
		free(fl.expanded[i]);
}

static void parse(struct cli_ctx *ctx, unsigned pick, const char *text, size_t len)
{
	struct conn_settings cs;
	struct mqtt_url url;
	char err[160];

	switch (pick % 5) {
	case 0:
		if (conn_from_mcumgr(ctx, text, text + strlen(text) + (strlen(text) < len), &cs) ==
		    EXIT_OK)
			conn_apply(ctx, &cs);
		break;
	case 1:
		if (conn_from_spec(ctx, text, &cs) == EXIT_OK)
			conn_apply(ctx, &cs);
		break;
	case 2:
	case 3:
		mqtt_url_parse(text, pick % 5 == 2, &url, err, sizeof(err));
		break;
	default:
		expand(ctx, text);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cli_ctx ctx;
	char *text;

	if (size < 1)
		return 0;
	/* The text and a NUL after it: the type/connstring split may point
	 * one past the first string. */
	text = calloc(1, size + 1);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	memset(&ctx, 0, sizeof(ctx));
	cli_opts_defaults(&ctx.opts);
	ctx.argv0 = "smpctl";
	ctx.out = ctx.err = fuzz_null_stream();
	parse(&ctx, data[0], text, size - 1);
	cli_profile_free(&ctx);
	free(text);
	return 0;
}
