/* smpctl upgrade: what the steps share (cli/cmd/cmd_upgrade.c runs them), the
 * files it loads (cli/cmd/upgrade_load.c) and the path it chooses from the
 * device's state (cli/cmd/upgrade_plan.c). */
#ifndef CLI_UPGRADE_H
#define CLI_UPGRADE_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/cli.h"
#include "host/nrf_zip.h"
#include "cli/cmd/image_upload.h"
#include "smp/grp_img.h"

/* Where one image of the update stands on the device, before anything is
 * done. */
enum upgrade_where {
	WHERE_ABSENT,  /* not on the device: upload it */
	WHERE_STORED,  /* in a secondary slot, not marked: test it */
	WHERE_PENDING, /* marked for the next boot: reset */
	WHERE_TRIAL,   /* running, not confirmed: confirm it, no reset */
	WHERE_RUNNING, /* running and confirmed: nothing to do */
};

struct upgrade_image {
	struct cli_image ci;
	unsigned index; /* image number on the device */
	bool loaded;
	enum upgrade_where where;
};

/* The steps, as bits of upgrade.steps_due. */
enum upgrade_step_bit {
	DO_UPLOAD = 1 << 0,
	DO_CHECK = 1 << 1,
	DO_TEST = 1 << 2,
	DO_RESET = 1 << 3,
	DO_WAIT = 1 << 4,
	DO_ACTIVE = 1 << 5,
	DO_CONFIRM = 1 << 6,
};

struct upgrade {
	struct cli_ctx *ctx;
	const char *path;
	struct upgrade_image imgs[NRF_ZIP_MAX_IMAGES];
	size_t n; /* in the order they are uploaded and marked */
	struct cli_upload_opts up;
	int image_opt; /* --image, or -1 */
	const char *key;
	bool test_only, dry_run;
	bool allow_downgrade; /* install an older version than the running one */
	bool bundle;	      /* FILE is a bundle */
	bool recovery;	      /* the device is MCUboot's serial recovery */
	int wait_ms;
	unsigned steps_due;	     /* enum upgrade_step_bit: the path chosen */
	const char *path_name;	     /* "upgrade", "resume", "confirm", "up-to-date" */
	struct smp_img_state before; /* the state read just before the reset */
	/* --json: the running version of the first image, before and after. */
	char version_before[48], version_after[48];
	json_t *steps; /* --json report */
	int step, nsteps;
};

/* Loads FILE: one image, or a bundle (the network core's image first). */
int upgrade_load(struct upgrade *u);

/* Reads the device's state, refuses an image the device has no slots for
 * (before anything is written), and sets each image's where, u->steps_due and
 * u->path_name. Appends what it found to detail. */
int upgrade_plan(struct upgrade *u, char *detail, size_t cap);

/* The state entry holding im (its hash, its image number), or NULL. */
const struct smp_img_slot_state *upgrade_find(const struct upgrade_image *im,
					      const struct smp_img_state *st);

/* An application always runs an active image: a device that lists none
 * is a bootloader, MCUboot's serial recovery. */
bool upgrade_has_active(const struct smp_img_state *st);

/* The version the device runs as image (its active slot's) into buf, or
 * "" when none runs. */
void upgrade_running(const struct smp_img_state *st, unsigned image, char *buf, size_t cap);

/* Appends to detail, "; " between parts. */
void upgrade_detail(char *detail, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
