/* Each cli/cmd_*.c file's entry points, for the command table. */
#ifndef CLI_COMMANDS_H
#define CLI_COMMANDS_H

#include "cli/cli.h"
#include "cli/text_safe.h"

int cmd_echo(struct cli_ctx *ctx, int argc, char **argv);
int cmd_reset(struct cli_ctx *ctx, int argc, char **argv);
int cmd_params(struct cli_ctx *ctx, int argc, char **argv);
int cmd_upgrade(struct cli_ctx *ctx, int argc, char **argv);
int cmd_image_info(struct cli_ctx *ctx, int argc, char **argv);
extern const struct cli_cmd os_commands[];
extern const struct cli_cmd image_commands[];

/* Fetches the device's buffer size and count (os params). */
int cli_get_params(struct cli_ctx *ctx, uint64_t *buf_size, uint64_t *buf_count);
struct smp_img_state;
/* Reads the image state. st is always initialised: smp_img_state_free() it
 * whatever the result. */
int cli_get_image_state(struct cli_ctx *ctx, struct smp_img_state *st);
/* The same, on a connected ctx, reporting nothing: for explanations. */
int cli_get_image_state_quiet(struct cli_ctx *ctx, struct smp_img_state *st);
/* Prints the state, as the last step of list, test and confirm. */
int cli_show_image_state(struct cli_ctx *ctx, const struct smp_img_state *st);
/* Reports a malformed answer: EXIT_PROTOCOL. */
int cli_bad_answer(struct cli_ctx *ctx, const char *what, const char *why);

/* The other standard groups (issue 6): cmd_os_more.c, cmd_fs.c,
 * cmd_shell.c, cmd_stat.c, cmd_settings.c, cmd_groups.c, cmd_storage.c,
 * cmd_raw.c. */
int cmd_taskstat(struct cli_ctx *ctx, int argc, char **argv);
int cmd_mpstat(struct cli_ctx *ctx, int argc, char **argv);
int cmd_groups(struct cli_ctx *ctx, int argc, char **argv);
int cmd_raw(struct cli_ctx *ctx, int argc, char **argv);
extern const struct cli_cmd datetime_commands[];
extern const struct cli_cmd bootloader_commands[];
extern const struct cli_cmd fs_commands[];
extern const struct cli_cmd shell_commands[];
extern const struct cli_cmd stat_commands[];
extern const struct cli_cmd settings_commands[];
extern const struct cli_cmd storage_commands[];
/* Issue 11: cmd_conn.c, mcumgr_compat.c. */
extern const struct cli_cmd conn_commands[];
extern const struct cli_cmd mcumgr_commands[];
/* Explains SMP_MGMT_ERR_ENOTSUP for a request to group: asks the device's
 * enumeration group which groups it has and writes "the device does not
 * have the fs (8) group; it has: os (0), ..." (or that the group is there
 * but lacks the command) into buf. False when the device cannot tell (no
 * enumeration group) or requests are in flight; prints nothing. */
bool cli_explain_unsupported(struct cli_ctx *ctx, uint16_t group, char *buf, size_t cap);
/* cli_report_response, with ENOTSUP explained as above. */
int cli_group_report(struct cli_ctx *ctx, const char *what, const struct smp_response *rsp);
/* One request; on EXIT_OK rsp holds the answer (smp_response_clear it
 * either way). Failures are reported with cli_group_report. */
int cli_group_call(struct cli_ctx *ctx, const char *what, const struct smp_request *req,
		   struct smp_response *rsp);
/* cli_request with cli_group_report's error reporting. */
int cli_group_request(struct cli_ctx *ctx, const char *what, uint8_t op, uint16_t group,
		      uint8_t id, const cbor_item_t *body, cbor_item_t **out);

/* Image group errors in words (cli/image_explain.c): for NO_FREE_SLOT and
 * IMAGE_ALREADY_PENDING, which slot holds a pending image and how to
 * clear it, asked of the device. False when there is nothing to add. */
bool cli_explain_image_error(struct cli_ctx *ctx, const struct smp_status *st, char *buf,
			     size_t cap);
bool cli_image_hash_not_found(const struct smp_status *st);
bool cli_image_no_free_slot(const struct smp_status *st);

#endif
