/* Device errors in words, asked quietly of the device on the open link:
 * cli_report_response adds them to its message (cli/group_explain.c,
 * cli/image_explain.c). */
#ifndef CLI_EXPLAIN_H
#define CLI_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/cli.h"

/* Explains SMP_MGMT_ERR_ENOTSUP for a request to group (cli/group_explain.c):
 * asks the device's enumeration group which groups it has and writes "the device does not
 * have the fs (8) group; it has: os (0), ..." (or that the group is there
 * but lacks the command) into buf. False when the device cannot tell (no
 * enumeration group) or requests are in flight; prints nothing. */
bool cli_explain_unsupported(struct cli_ctx *ctx, uint16_t group, char *buf, size_t cap);

/* Image group errors in words (cli/image_explain.c): for NO_FREE_SLOT and
 * IMAGE_ALREADY_PENDING, which slot holds a pending image and how to
 * clear it, asked of the device. False when there is nothing to add. */
bool cli_explain_image_error(struct cli_ctx *ctx, const struct smp_status *st, char *buf,
			     size_t cap);
struct smp_img_state;
/* The image state, on a connected ctx, reporting nothing: st is always
 * initialised, empty when the device gave none. */
int cli_get_image_state_quiet(struct cli_ctx *ctx, struct smp_img_state *st);
bool cli_image_hash_not_found(const struct smp_status *st);
bool cli_image_no_free_slot(const struct smp_status *st);

#endif
