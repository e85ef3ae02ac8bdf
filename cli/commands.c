/* The command table, after git's: one line a command. */
#include "cli/cmd_scan.h"
#include "cli/commands.h"

const struct cli_cmd cli_commands[] = {
	{ "bootloader", "info [QUERY]", "the bootloader and MCUboot's mode", NULL, bootloader_commands },
	{ "conn", "add|show|delete NAME", "connection profiles (mcumgr's conn)", NULL, conn_commands },
	{ "datetime", "get|set now|TIME", "the device's clock", NULL, datetime_commands },
	{ "echo", "TEXT...", "ask the device to echo text back", cmd_echo, NULL },
	{ "fs", "<command>", "files: upload, download, stat, hash, hashes, close", NULL, fs_commands },
	{ "groups", "[GROUP-ID...]", "the SMP groups the device supports", cmd_groups, NULL },
	{ "image", "<command>", "firmware images: list, info, upload, test, confirm, erase, slots",
	  NULL, image_commands },
	{ "mcumgr", "<command>", "Go mcumgr's output: image-list, image-test, image-confirm",
	  NULL, mcumgr_commands },
	{ "mpstat", "", "memory pools (heaps): size, free, low-water mark", cmd_mpstat, NULL },
	{ "os", "<command>", "operating system: info, taskstat, mpstat, datetime", NULL,
	  os_commands },
	{ "params", "", "the device's SMP buffer size and count", cmd_params, NULL },
	{ "raw", "GROUP ID [--write] [JSON]", "any request as JSON (user groups 64 and up)", cmd_raw,
	  NULL },
	{ "reset", "[--force] [--boot-mode N]", "restart the device", cmd_reset, NULL },
	{ "scan", "[--all] [--timeout S]", "list Bluetooth LE devices with the SMP service", cmd_scan,
	  NULL },
	{ "settings", "<command>", "settings: read, write, delete, commit, load, save", NULL,
	  settings_commands },
	{ "shell", "exec COMMAND [ARG...]", "run a command in the device's shell", NULL, shell_commands },
	{ "stat", "list|read GROUP", "statistics groups and their counters", NULL, stat_commands },
	{ "storage", "erase [--yes]", "erase the storage partition", NULL, storage_commands },
	{ "taskstat", "", "threads: priority, state, stack use, context switches", cmd_taskstat, NULL },
	{ "upgrade", "FILE|BUNDLE.zip [options]", "verify, upload, test, reset, confirm (--each: many boards)",
	  cmd_upgrade, NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};
