/* What Go mcumgr prints on stdout, for the commands the mcumgr front end
 * (cli/mcumgr/) sends to smpctl's own: each printer is one of Go's format
 * strings, from apache/mynewt-newtmgr newtmgr/cli/, at the commit that
 * apache/mynewt-mcumgr-cli's go.mod pins (60b2da78788c); the function it
 * follows is named beside it. A command prints through these when
 * cli_go_words(ctx) is true. */
#ifndef CLI_CMD_MCUMGR_PRINT_H
#define CLI_CMD_MCUMGR_PRINT_H

#include <stdint.h>

#include "cli/cli.h"
#include "cli/ui/progress.h"

struct smp_os_tasks;
struct smp_os_mpools;
struct smp_stat_list;
struct smp_stat_group;
struct smp_shell_result;

/* In mcumgr mode, and not --json. */
bool cli_go_words(const struct cli_ctx *ctx);
/* "Done\n": reset.go resetRunCmd, image.go imageEraseCmd and
 * imageUploadCmd, datetime.go dateTimeWrite, fs.go. */
void go_print_done(struct cli_ctx *ctx);
void go_print_tasks(struct cli_ctx *ctx, const struct smp_os_tasks *t);
void go_print_pools(struct cli_ctx *ctx, const struct smp_os_mpools *m);
void go_print_stat_list(struct cli_ctx *ctx, const struct smp_stat_list *l);
/* name: the group as the device echoed it, else as asked. */
void go_print_stat_group(struct cli_ctx *ctx, const char *name, const struct smp_stat_group *g);
void go_print_shell(struct cli_ctx *ctx, const struct smp_shell_result *r);
void go_print_datetime(struct cli_ctx *ctx, const char *datetime);
/* "Setting time to ...\n" for `datetime now`, in the host's zone. */
void go_print_setting_time(struct cli_ctx *ctx);
/* An image version as the device sent it: smp/grp_img.c writes a build
 * number as MCUboot does ("1.2.3+4"); Go prints the device's "1.2.3.4". */
void go_version_text(const char *version, bool plus_made, char *out, size_t cap);

/* image.go imageUploadCmd's bar: gopkg.in/cheggaaa/pb.v1 v1.0.28 (the
 * version newtmgr's go.mod pins) as StartNew, SetUnits(U_BYTES) and
 * ShowSpeed leave it: "\r", counters, "[=>-]", percent, speed, time
 * left, padded to the terminal's width; redrawn at most every 200 ms;
 * Finish draws it once more with the time spent, and a line end. */
struct go_bar {
	FILE *f;
	bool on;
	int width;
	uint64_t total, cur;
	int64_t start_ns, change_ns, drawn_ns;
};

void go_bar_start(struct go_bar *b, FILE *f, bool on, uint64_t total);
void go_bar_update(struct go_bar *b, uint64_t cur);
void go_bar_finish(struct go_bar *b);
/* One line of the bar, without "\r", for the times given (for tests). */
void go_bar_line(const struct go_bar *b, int64_t now_ns, bool finished, char *out, size_t cap);
#endif
