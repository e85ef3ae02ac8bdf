/* The command table, after git's: one line a command. */
#include "cli/commands.h"

const struct cli_cmd cli_commands[] = {
	{ "echo", "TEXT...", "ask the device to echo text back", cmd_echo, NULL },
	{ "image", "<command>", "firmware images: list, info, upload, test, confirm, erase, slots",
	  NULL, image_commands },
	{ "os", "<command>", "operating system: info", NULL, os_commands },
	{ "params", "", "the device's SMP buffer size and count", cmd_params, NULL },
	{ "reset", "[--force] [--boot-mode N]", "restart the device", cmd_reset, NULL },
	{ "upgrade", "FILE [--test-only] [--dry-run]", "verify, upload, test, reset, confirm",
	  cmd_upgrade, NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};
