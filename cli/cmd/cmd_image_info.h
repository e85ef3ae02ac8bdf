/* smpctl image info FILE [--key PUB.pem]: everything about an image file,
 * offline. */
#ifndef CLI_CMD_IMAGE_INFO_H
#define CLI_CMD_IMAGE_INFO_H

#include "cli/cli.h"

/* argv[0] is "info". Returns 0 for an image MCUboot would take (valid,
 * valid-encrypted, or hash-ok / encrypted-unchecked without a key),
 * EXIT_IMAGE for a broken one, EXIT_LOCAL for an unreadable file,
 * EXIT_USAGE for bad arguments or an unusable key. */
int cmd_image_info(struct cli_ctx *ctx, int argc, char **argv);

#endif
