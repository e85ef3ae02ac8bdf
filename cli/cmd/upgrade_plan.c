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
#include "cli/cmd/upgrade.h"

#define FULL (DO_UPLOAD | DO_CHECK | DO_TEST | DO_RESET | DO_WAIT | DO_ACTIVE | DO_CONFIRM)

static const struct path {
	enum upgrade_where where;
	unsigned todo;
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

/* The device's slots by image number (image slots, group 1 command 6);
 * false when it lacks the command (an older Zephyr, or one built without
 * CONFIG_MCUMGR_GRP_IMG_SLOT_INFO, which has to be enabled): then the
 * image list tells, since Zephyr lists every image that holds one. */
static bool read_slot_info(struct upgrade *u, struct smp_img_slot_info *info)
{
	struct smp_request req = { .op = SMP_OP_READ,
				   .group = SMP_GROUP_IMAGE,
				   .id = SMP_IMG_SLOT_INFO };
	struct smp_response rsp;
	const char *why = NULL;
	bool ok = false;

	smp_call(&u->ctx->engine, &req, &rsp);
	if (rsp.result == SMP_OK)
		ok = smp_img_slot_info_rsp(rsp.body, info, &why) == 0;
	if (!ok)
		cli_verbose(u->ctx, 1,
			    "upgrade: no image slots answer (%s): going by the image "
			    "list",
			    why ? why : smp_result_name(rsp.result));
	smp_response_clear(&rsp);
	return ok;
}

static const struct smp_img_slot_info_image *info_for(const struct smp_img_slot_info *info,
						      unsigned image)
{
	size_t i;

	for (i = 0; i < info->count; i++)
		if (info->images[i].image == image)
			return &info->images[i];
	return NULL;
}

/* "0" or "0 and 1": the image numbers in mask. */
static void list_images(unsigned mask, char *out, size_t cap)
{
	unsigned i;

	out[0] = 0;
	for (i = 0; i < 32; i++)
		if (mask & (1u << i))
			snprintf(out + strlen(out), cap - strlen(out), "%s%u", out[0] ? ", " : "",
				 i);
}

/* The largest image the device takes for im: its max_image_size, else
 * the secondary slot; 0 when it does not say. */
static uint64_t room_for(const struct smp_img_slot_info_image *ii)
{
	if (ii->has_max_image_size)
		return ii->max_image_size;
	return ii->nslots > 1 ? ii->slots[1].size : 0;
}

/* Refuses, before any upload, an image the device has no place for. */
static int check_fits(struct upgrade *u, const struct smp_img_state *st)
{
	struct smp_img_slot_info info;
	bool have_info = read_slot_info(u, &info);
	unsigned mask = 0;
	char names[64];
	size_t i;

	if (have_info)
		for (i = 0; i < info.count; i++)
			mask |= info.images[i].image < 32 ? 1u << info.images[i].image : 0;
	else
		for (i = 0; i < st->count; i++)
			mask |= st->slots[i].image < 32 ? 1u << st->slots[i].image : 0;
	if (mask == 0)
		return EXIT_OK; /* the device does not say: let it judge */
	list_images(mask, names, sizeof(names));
	for (i = 0; i < u->n; i++) {
		const struct upgrade_image *im = &u->imgs[i];
		const struct smp_img_slot_info_image *ii = have_info ? info_for(&info, im->index)
								     : NULL;

		if (im->index >= 32 || !(mask & (1u << im->index)))
			return cli_fail(u->ctx, EXIT_USAGE,
					"upgrade: the device has no image %u%s: "
					"its %s names image %s only, and the upload would land in "
					"the application's slot 1; nothing was uploaded%s",
					im->index, u->bundle && im->index ? " (network core)" : "",
					have_info ? "slot list" : "image list", names,
					u->bundle ? " (--image 0 updates the application alone)"
						  : "");
		if (ii && room_for(ii) && im->ci.file.len > room_for(ii))
			return cli_fail(u->ctx, EXIT_USAGE,
					"upgrade: image %u is %zu bytes, and the "
					"device takes at most %llu there; nothing was uploaded",
					im->index, im->ci.file.len,
					(unsigned long long)room_for(ii));
	}
	return EXIT_OK;
}

static void name_path(struct upgrade *u)
{
	if (u->todo == 0)
		u->path_name = "up-to-date";
	else if (u->todo == DO_CONFIRM)
		u->path_name = "confirm";
	else if (!(u->todo & DO_UPLOAD))
		u->path_name = "resume";
	else
		u->path_name = "upgrade";
}

static void choose(struct upgrade *u, const struct smp_img_state *st, char *detail, size_t cap)
{
	size_t i;

	u->todo = 0;
	for (i = 0; i < u->n; i++) {
		struct upgrade_image *im = &u->imgs[i];

		im->where = where_is(im, st);
		/* --force uploads again whatever does not run yet. */
		if (u->up.force && im->where != WHERE_TRIAL && im->where != WHERE_RUNNING)
			im->where = WHERE_ABSENT;
		const struct path *p = path_for(im->where);

		u->todo |= u->recovery ? RECOVERY : p->todo;
		upgrade_detail(detail, cap, "image %u %s", im->index,
			       u->recovery ? "goes to the primary slot" : p->says);
	}
	name_path(u);
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
		u->recovery = !upgrade_has_active(&st);
		if (u->recovery)
			upgrade_detail(detail, cap,
				       "device is in MCUboot serial recovery: images go "
				       "straight to the primary slot");
		rc = check_fits(u, &st);
	}
	if (rc == EXIT_OK) {
		choose(u, &st, detail, cap);
		upgrade_detail(detail, cap, "path: %s", u->path_name);
	}
	smp_img_state_free(&st);
	return rc;
}
