/* Where a transfer starts: the device's buffers (os params), the link as
 * an earlier run learned it (the cache), and what -w, -m and --frame-gap
 * pin. After the transfer, what was learned goes back to the cache. */
#ifndef CLI_LINK_H
#define CLI_LINK_H

#include "cli/cli.h"
#include "smp/xfer_ctl.h"

struct cli_link {
	struct smp_xfer_plan plan;
	char key[400]; /* the connection and the device's params */
	bool cached;   /* plan.start came from the cache */
};

/* Asks the device for its buffers and fills l. */
void cli_link_plan(struct cli_ctx *ctx, int first_timeout_ms, struct cli_link *l);
/* After a transfer: the one-line summary for -v, and the learned values
 * into the cache when the transfer succeeded and nothing was pinned. */
void cli_link_done(struct cli_ctx *ctx, const struct cli_link *l, int result,
		   const struct smp_xfer_link *learned, const char *summary);

#endif
