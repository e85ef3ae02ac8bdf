/* The command table, after git's: one line a command. */
#include "cli/cmd/cmd_scan.h"
#include "cli/cmd/commands.h"

/* Each command's own options, for its --help; the global ones are in
 * cli/opts.c. */
static const struct cli_opt_doc raw_options[] = {
	{ "write", 0, NULL, "send a write request (a read by default)" },
	{ NULL, 0, NULL, NULL },
};

static const struct cli_opt_doc reset_options[] = {
	{ "force", 'f', NULL, "reset even if the application objects (busy)" },
	{ "boot-mode", 0, "N", "boot mode to ask for, 0 to 255 (1: stay in the bootloader)" },
	{ NULL, 0, NULL, NULL },
};

static const struct cli_opt_doc scan_options[] = {
	{ "all", 'a', NULL, "list every device, not only those with the SMP service" },
	{ NULL, 0, NULL, NULL },
};

static const struct cli_opt_doc upgrade_options[] = {
	{ "image", 'i', "N", "the image number, 0 to 15 (0; 1 is the nRF5340 network core)" },
	{ "key", 'k', "PUB.pem", "check the signature with this public key first" },
	{ "test-only", 'T', NULL, "leave the new image unconfirmed (MCUboot reverts it)" },
	{ "dry-run", 'n', NULL, "verify the file and show the steps, run none" },
	{ "force", 'f', NULL, "upload even when the device already has the image" },
	{ "upgrade", 0, NULL, "ask the device to refuse an image that is not newer" },
	{ "wait", 0, "SECONDS", "wait this long for the device after the reset, 1 to 3600 (60)" },
	{ "each", 0, "CONN...", "upgrade these boards at once (profiles, udp:/serial:/ble:/exec: specs, mqtt:// URLs sharing one broker connection; one {a,b} or {1..N} group expands)" },
	{ "each-file", 0, "LIST", "read the boards for --each from a file, one a line" },
	{ "each-timeout", 0, "SECONDS", "give up on one board of --each after this long" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_cmd cli_commands[] = {
	{ "bootloader", "info [QUERY]", "the bootloader and MCUboot's mode", NULL,
	  bootloader_commands, NULL },
	{ "conn", "add|show|delete NAME", "connection profiles (mcumgr's conn)", NULL,
	  conn_commands, NULL },
	{ "datetime", "get|set now|TIME", "the device's clock", NULL, datetime_commands, NULL },
	{ "echo", "TEXT...", "ask the device to echo text back", cmd_echo, NULL, NULL },
	{ "fs", "<command>", "files: upload, download, stat, hash, hashes, close", NULL,
	  fs_commands, NULL },
	{ "groups", "[GROUP-ID...]", "the SMP groups the device supports", cmd_groups,
	  NULL, cli_no_options },
	{ "image", "<command>", "firmware images: list, info, upload, test, confirm, erase, slots",
	  NULL, image_commands, NULL },
	{ "mcumgr", "<command>", "Go mcumgr's output: image-list, image-test, image-confirm",
	  NULL, mcumgr_commands, NULL },
	{ "mpstat", "", "memory pools (heaps): size, free, low-water mark", cmd_mpstat,
	  NULL, cli_no_options },
	{ "os", "<command>", "operating system: info, taskstat, mpstat, datetime", NULL,
	  os_commands, NULL },
	{ "params", "", "the device's SMP buffer size and count", cmd_params,
	  NULL, cli_no_options },
	{ "raw", "GROUP ID [--write] [JSON]", "any request as JSON (user groups 64 and up)", cmd_raw,
	  NULL, raw_options },
	{ "reset", "[--force] [--boot-mode N]", "restart the device", cmd_reset,
	  NULL, reset_options },
	{ "scan", "[--all] [--timeout S]", "list Bluetooth LE devices with the SMP service", cmd_scan,
	  NULL, scan_options },
	{ "settings", "<command>", "settings: read, write, delete, commit, load, save", NULL,
	  settings_commands, NULL },
	{ "shell", "exec COMMAND [ARG...]", "run a command in the device's shell", NULL,
	  shell_commands, NULL },
	{ "stat", "list|read GROUP", "statistics groups and their counters", NULL,
	  stat_commands, NULL },
	{ "storage", "erase [--yes]", "erase the storage partition", NULL, storage_commands, NULL },
	{ "taskstat", "", "threads: priority, state, stack use, context switches", cmd_taskstat,
	  NULL, cli_no_options },
	{ "upgrade", "FILE|BUNDLE.zip [options]", "verify, upload, test, reset, confirm (--each: many boards)",
	  cmd_upgrade, NULL, upgrade_options },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
