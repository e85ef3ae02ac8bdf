/* State of the simulated device's other groups (fs, settings, stat),
 * embedded in struct sim_device. Each group notices a reboot by the boot
 * count and resets what Zephyr keeps in RAM. */
#ifndef SIM_GROUPS_H
#define SIM_GROUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_FS_PATH_LEN 64	 /* CONFIG_MCUMGR_GRP_FS_PATH_LEN */
#define SIM_SETTINGS_MAX 24	 /* stored and run-time values */
#define SIM_SETTINGS_NAME_LEN 32 /* CONFIG_MCUMGR_GRP_SETTINGS_NAME_LEN */
#define SIM_SETTINGS_VAL_MAX 64	 /* what the simulated handlers hold */

/* fs_mgmt_ctxt: the file a transfer has open. */
struct sim_fs_state {
	unsigned boot;
	int mode; /* 0 none, 1 upload, 2 download */
	uint64_t off, len;
	char path[SIM_FS_PATH_LEN + 1];
	int64_t last_ms; /* for the automatic idle close */
};

struct sim_setting {
	bool used;
	char name[SIM_SETTINGS_NAME_LEN + 16];
	uint8_t val[SIM_SETTINGS_VAL_MAX];
	size_t len;
};

struct sim_settings_state {
	unsigned boot;
	struct sim_setting runtime[SIM_SETTINGS_MAX]; /* the handlers' values */
	struct sim_setting stored[SIM_SETTINGS_MAX];  /* the storage partition */
	uint32_t commits;			      /* h_commit calls since boot */
};

struct sim_stat_state {
	unsigned boot;
	int64_t boot_ms;
};

struct sim_groups_state {
	struct sim_fs_state fs;
	struct sim_settings_state settings;
	struct sim_stat_state stat;
};

struct sim_device;
/* Erases the storage partition (the stored settings). */
void sim_settings_erase_storage(struct sim_device *dev);

#endif
