/* Each cli/cmd_*.c file's entry points, for the command table. */
#ifndef CLI_COMMANDS_H
#define CLI_COMMANDS_H

#include "cli/cli.h"

int cmd_echo(struct cli_ctx *ctx, int argc, char **argv);
int cmd_reset(struct cli_ctx *ctx, int argc, char **argv);
int cmd_params(struct cli_ctx *ctx, int argc, char **argv);
int cmd_upgrade(struct cli_ctx *ctx, int argc, char **argv);
int cmd_image_info(struct cli_ctx *ctx, int argc, char **argv);
extern const struct cli_cmd os_commands[];
extern const struct cli_cmd image_commands[];

/* Fetches the device's buffer size and count (os params). */
int cli_get_params(struct cli_ctx *ctx, uint64_t *buf_size, uint64_t *buf_count);
struct img_state;
/* Reads the image state; on EXIT_OK st must be freed with img_state_free. */
int cli_get_image_state(struct cli_ctx *ctx, struct img_state *st);
/* Prints the state, as the last step of list, test and confirm. */
int cli_show_image_state(struct cli_ctx *ctx, const struct img_state *st);
/* Reports a malformed answer: EXIT_PROTOCOL. */
int cli_bad_answer(struct cli_ctx *ctx, const char *what, const char *why);

#endif
