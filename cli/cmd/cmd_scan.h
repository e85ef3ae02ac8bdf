/* smpctl scan: Bluetooth LE devices nearby that advertise the SMP service. */
#ifndef CLI_CMD_SCAN_H
#define CLI_CMD_SCAN_H

#include "cli/cli.h"

/* smpctl scan [--all]: scans for the global --timeout on adapter --hci. */
int cmd_scan(struct cli_ctx *ctx, int argc, char **argv);
extern const struct cli_option scan_options[];

#endif
