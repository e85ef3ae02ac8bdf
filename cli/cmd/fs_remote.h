/* What the fs commands ask the device before and after a transfer: a
 * file's size and hash, quietly where an answer is expected to be "no". */
#ifndef CLI_FS_REMOTE_H
#define CLI_FS_REMOTE_H

#include "cli/cli.h"
#include "smp/fs_transfer.h"
#include "smp/grp_fs.h"

enum probe {
	PROBE_OK = 0,
	PROBE_ABSENT,	   /* no such file */
	PROBE_EMPTY,	   /* hash: the file is empty (the device hashes none) */
	PROBE_UNSUPPORTED, /* the device lacks the command (or hash type) */
	PROBE_FAILED,	   /* reported on stderr; *rc is the exit code */
};

/* fs stat. must_exist: a missing file is an error (reported). */
enum probe fs_remote_size(struct cli_ctx *ctx, const char *what, const char *name, bool must_exist,
			  uint64_t *len, int *rc);

/* fs hash of len bytes from off (len 0: to the end). *type names the
 * type to ask for; NULL tries sha256, then crc32, and sets *type to the
 * one the device has. */
enum probe fs_remote_hash(struct cli_ctx *ctx, const char *what, const char *name, bool must_exist,
			  const char **type, uint64_t off, uint64_t len, struct smp_fs_hash *h,
			  int *rc);

/* fs close, ignoring every answer: it only tidies up. */
void fs_remote_close(struct cli_ctx *ctx, const char *name);

/* Reports a failed transfer (device errors as cli_group_report does). */
int fs_report_xfer(struct cli_ctx *ctx, const char *what, const struct smp_fs_xfer_result *r,
		   const char *hint);

/* fs upload and fs download (cli/cmd/cmd_fs_xfer.c). */
int cmd_fs_upload(struct cli_ctx *ctx, int argc, char **argv);
int cmd_fs_download(struct cli_ctx *ctx, int argc, char **argv);

#endif
