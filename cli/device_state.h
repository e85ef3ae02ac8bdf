/* The device's own state, asked for by commands before they act
 * (cli/device_state.c). */
#ifndef CLI_DEVICE_STATE_H
#define CLI_DEVICE_STATE_H

#include "cli/cli.h"

/* Fetches the device's buffer size and count (os params). */
int cli_get_params(struct cli_ctx *ctx, uint64_t *buf_size, uint64_t *buf_count);
struct smp_img_state;
/* Reads the image state. st is always initialised, empty when the
 * request failed. */
int cli_get_image_state(struct cli_ctx *ctx, struct smp_img_state *st);

#endif
