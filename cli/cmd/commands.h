/* Each cli/cmd_*.c file's entry points, for the command table. */
#ifndef CLI_COMMANDS_H
#define CLI_COMMANDS_H

#include "cli/cli.h"
#include "cli/device_state.h"
#include "cli/explain.h"
#include "cli/ui/text_safe.h"

int cmd_echo(struct cli_ctx *ctx, int argc, char **argv);
int cmd_reset(struct cli_ctx *ctx, int argc, char **argv);
int cmd_params(struct cli_ctx *ctx, int argc, char **argv);
int cmd_upgrade(struct cli_ctx *ctx, int argc, char **argv);
/* The option tables of the commands above that take options. */
extern const struct cli_option reset_options[];
extern const struct cli_option upgrade_options[];
extern const struct cli_option raw_options[];
extern const struct cli_option ports_options[];
int cmd_image_info(struct cli_ctx *ctx, int argc, char **argv);
extern const struct cli_cmd os_commands[];
extern const struct cli_cmd image_commands[];

struct smp_img_state;
/* Prints the state, as the last step of list, test and confirm. */
int cli_show_image_state(struct cli_ctx *ctx, const struct smp_img_state *st);

/* The other standard groups: cmd_os_system.c, cmd_fs.c, cmd_shell.c,
 * cmd_stat.c, cmd_settings.c, cmd_groups.c, cmd_storage.c, cmd_raw.c. */
int cmd_taskstat(struct cli_ctx *ctx, int argc, char **argv);
int cmd_mpstat(struct cli_ctx *ctx, int argc, char **argv);
int cmd_groups(struct cli_ctx *ctx, int argc, char **argv);
int cmd_raw(struct cli_ctx *ctx, int argc, char **argv);
int cmd_ports(struct cli_ctx *ctx, int argc, char **argv);
extern const struct cli_cmd datetime_commands[];
extern const struct cli_cmd bootloader_commands[];
extern const struct cli_cmd fs_commands[];
/* The options of fs upload and fs download (cmd_fs_xfer.c). */
extern const struct cli_option fs_xfer_options[];
extern const struct cli_cmd shell_commands[];
extern const struct cli_cmd stat_commands[];
extern const struct cli_cmd settings_commands[];
extern const struct cli_cmd storage_commands[];
/* Saved connections (cmd_conn.c) and Go mcumgr's output formats
 * (mcumgr_format.c). */
extern const struct cli_cmd conn_commands[];
extern const struct cli_cmd mcumgr_commands[];
/* cli_report_response, with ENOTSUP explained (cli/explain.h). */
int cli_group_report(struct cli_ctx *ctx, const char *what, const struct smp_response *rsp);
/* One request; on EXIT_OK rsp holds the answer (smp_response_clear it
 * either way). Failures are reported with cli_group_report. */
int cli_group_call(struct cli_ctx *ctx, const char *what, const struct smp_request *req,
		   struct smp_response *rsp);
/* cli_request with cli_group_report's error reporting: body[0..body_len)
 * is the encoded request map (NULL: an empty map); on EXIT_OK rsp->body
 * views the answer, valid until the next request. */
int cli_group_request(struct cli_ctx *ctx, const char *what, uint8_t op, uint16_t group, uint8_t id,
		      const uint8_t *body, size_t body_len, struct smp_response *rsp);

#endif
