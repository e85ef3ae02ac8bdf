/* Which path upgrade takes, chosen from the device's state before
 * anything is written: an image that already runs is confirmed, never
 * reset (a reset before the confirm makes MCUboot revert it); one already
 * marked is not marked again; an image number the device has no slots
 * for is refused before the upload, which would otherwise land in the
 * application's secondary slot. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cmd/commands.h"
#include "cli/cmd/image_slots.h"
#include "cli/cmd/upgrade.h"

#define FULL (DO_UPLOAD | DO_CHECK | DO_TEST | DO_RESET | DO_WAIT | DO_ACTIVE | DO_CONFIRM)

static const struct path {
	enum upgrade_where where;
	unsigned steps; /* the steps this path takes */
	const char *says;
} paths[] = {
	{ WHERE_ABSENT, FULL, "not on the device" },
	{ WHERE_STORED, FULL & ~DO_UPLOAD, "already in its secondary slot" },
	{ WHERE_PENDING, FULL & ~(DO_UPLOAD | DO_TEST), "already marked for the next boot" },
	{ WHERE_TRIAL, DO_CONFIRM, "already running, not confirmed" },
	{ WHERE_RUNNING, 0, "already running and confirmed" },
};

/* In serial recovery the bootloader writes the primary slot and boots it
 * as it is: nothing to test. */
#define RECOVERY (FULL & ~DO_TEST)

/* Where the table does not know a place, upload the whole way: the device
 * judges again at every step, so doing too much is safe, too little not. */
static const struct path *path_for(enum upgrade_where where)
{
	size_t k;

	for (k = 0; k < sizeof(paths) / sizeof(paths[0]); k++)
		if (paths[k].where == where)
			return &paths[k];
	return &paths[0];
}

void upgrade_detail(char *detail, size_t cap, const char *fmt, ...)
{
	size_t n = strlen(detail);
	va_list ap;

	if (n && n + 2 < cap) {
		strcpy(detail + n, "; ");
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(detail + n, cap - n, fmt, ap);
	va_end(ap);
}

const struct smp_img_slot_state *upgrade_find(const struct upgrade_image *im,
					      const struct smp_img_state *st)
{
	const struct smp_img_slot_state *s = smp_img_state_find(st, im->ci.img.hash_stored,
								im->ci.img.hash_len);

	return s && s->image == im->index ? s : NULL;
}

static enum upgrade_where where_is(const struct upgrade_image *im, const struct smp_img_state *st)
{
	const struct smp_img_slot_state *s = upgrade_find(im, st);

	if (!s)
		return WHERE_ABSENT;
	if (s->active)
		return s->confirmed ? WHERE_RUNNING : WHERE_TRIAL;
	return s->pending ? WHERE_PENDING : WHERE_STORED;
}

bool upgrade_has_active(const struct smp_img_state *st)
{
	size_t i;

	for (i = 0; i < st->count; i++)
		if (st->slots[i].active)
			return true;
	return false;
}

/* Refuses, before any upload, an image the device has no place for. */
static int check_fits(struct upgrade *u, const struct smp_img_state *st)
{
	struct cli_image_slots slots;
	size_t i;

	cli_image_slots_read(u->ctx, st, &slots);
	for (i = 0; i < u->n; i++) {
		const struct upgrade_image *im = &u->imgs[i];
		uint64_t room = cli_image_slots_room(&slots, im->index);

		if (!cli_image_slots_has(&slots, im->index))
			return cli_fail(u->ctx, EXIT_USAGE,
					"upgrade: the device has no image %u%s: "
					"its %s names image %s only, and the upload would land in "
					"the application's slot 1; nothing was uploaded%s",
					im->index, u->bundle && im->index ? " (network core)" : "",
					slots.have_info ? "slot list" : "image list", slots.names,
					u->bundle ? " (--image 0 updates the application alone)"
						  : "");
		if (room && im->ci.file.len > room)
			return cli_fail(u->ctx, EXIT_USAGE,
					"upgrade: image %u is %zu bytes, and the "
					"device takes at most %llu there; nothing was uploaded",
					im->index, im->ci.file.len, (unsigned long long)room);
	}
	return EXIT_OK;
}

/* major.minor.revision, as Zephyr's img_mgmt_vercmp() compares them (it
 * leaves out the build number); false when the device's text is not one. */
static bool device_version(const char *text, unsigned v[3])
{
	return sscanf(text, "%u.%u.%u", &v[0], &v[1], &v[2]) == 3;
}

static int version_cmp(const struct mcuboot_version *a, const unsigned b[3])
{
	unsigned x[3] = { a->major, a->minor, a->revision };
	int k;

	for (k = 0; k < 3; k++)
		if (x[k] != b[k])
			return x[k] < b[k] ? -1 : 1;
	return 0;
}

/* Refuses an image older than the one running as its image number,
 * unless --allow-downgrade: MCUboot would boot it, and it may lack fixes. */
static int check_downgrade(struct upgrade *u, const struct smp_img_state *st)
{
	char ver[32];
	unsigned run[3];
	size_t i, k;

	if (u->allow_downgrade)
		return EXIT_OK;
	for (i = 0; i < u->n; i++) {
		const struct upgrade_image *im = &u->imgs[i];

		for (k = 0; k < st->count; k++) {
			const struct smp_img_slot_state *s = &st->slots[k];

			if (s->image != im->index || !s->active ||
			    !device_version(s->version, run) ||
			    version_cmp(&im->ci.img.version, run) >= 0)
				continue;
			mcuboot_version_format(&im->ci.img.version, ver, sizeof(ver));
			return cli_fail(u->ctx, EXIT_USAGE,
					"upgrade: image %u is version %s, older "
					"than the running %s; nothing was uploaded "
					"(--allow-downgrade installs it)",
					im->index, ver, s->version);
		}
	}
	return EXIT_OK;
}

static void name_path(struct upgrade *u)
{
	if (u->steps_due == 0)
		u->path_name = "up-to-date";
	else if (u->steps_due == DO_CONFIRM)
		u->path_name = "confirm";
	else if (!(u->steps_due & DO_UPLOAD))
		u->path_name = "resume";
	else
		u->path_name = "upgrade";
}

static void choose(struct upgrade *u, const struct smp_img_state *st, char *detail, size_t cap)
{
	size_t i;

	u->steps_due = 0;
	for (i = 0; i < u->n; i++) {
		struct upgrade_image *im = &u->imgs[i];

		im->where = where_is(im, st);
		/* --force uploads again whatever does not run yet. */
		if (u->up.force && im->where != WHERE_TRIAL && im->where != WHERE_RUNNING)
			im->where = WHERE_ABSENT;
		const struct path *p = path_for(im->where);

		u->steps_due |= u->recovery ? RECOVERY : p->steps;
		upgrade_detail(detail, cap, "image %u %s", im->index,
			       u->recovery ? "goes to the primary slot" : p->says);
	}
	name_path(u);
}

void upgrade_running(const struct smp_img_state *st, unsigned image, char *buf, size_t cap)
{
	size_t i;

	buf[0] = 0;
	for (i = 0; i < st->count; i++)
		if (st->slots[i].image == image && st->slots[i].active)
			snprintf(buf, cap, "%s", st->slots[i].version);
}

int upgrade_plan(struct upgrade *u, char *detail, size_t cap)
{
	struct smp_img_state st;
	int rc;

	if (u->test_only && !u->bundle && u->imgs[0].index != 0)
		return cli_fail(u->ctx, EXIT_USAGE,
				"upgrade: image %u cannot run on trial: it is "
				"marked permanent; leave out --test-only",
				u->imgs[0].index);
	rc = cli_get_image_state(u->ctx, &st);

	if (rc == EXIT_OK) {
		upgrade_running(&st, u->imgs[0].index, u->version_before,
				sizeof(u->version_before));
		u->recovery = !upgrade_has_active(&st);
		if (u->recovery)
			upgrade_detail(detail, cap,
				       "device is in MCUboot serial recovery: images go "
				       "straight to the primary slot");
		rc = check_fits(u, &st);
	}
	if (rc == EXIT_OK && !u->recovery)
		rc = check_downgrade(u, &st);
	if (rc == EXIT_OK) {
		choose(u, &st, detail, cap);
		upgrade_detail(detail, cap, "path: %s", u->path_name);
	}
	return rc;
}
