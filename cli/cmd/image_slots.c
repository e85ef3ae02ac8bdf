/* The device's image slots by image number, for refusing an upload that
 * would otherwise land in the application's secondary slot. */
#include "cli/cmd/image_slots.h"

#include <stdio.h>
#include <string.h>

#include "cli/cmd/commands.h"

/* The device's slots by image number (image slots, group 1 command 6);
 * false when it lacks the command (an older Zephyr, or one built without
 * CONFIG_MCUMGR_GRP_IMG_SLOT_INFO, which has to be enabled): then the
 * image list tells, since Zephyr lists every image that holds one. */
static bool read_slot_info(struct cli_ctx *ctx, struct smp_img_slot_info *info)
{
	struct smp_request req = { .op = SMP_OP_READ,
				   .group = SMP_GROUP_IMAGE,
				   .id = SMP_IMG_SLOT_INFO };
	struct smp_response rsp;
	const char *why = NULL;
	bool ok = false;

	smp_call(&ctx->engine, &req, &rsp);
	if (rsp.result == SMP_OK)
		ok = smp_img_slot_info_rsp(&rsp.body, info, &why) == 0;
	if (!ok)
		cli_verbose(ctx, 1, "no image slots answer (%s): going by the image list",
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

/* "0" or "0, 1": the image numbers in mask. */
static void list_images(unsigned mask, char *out, size_t cap)
{
	unsigned i;

	out[0] = 0;
	for (i = 0; i < 32; i++)
		if (mask & (1u << i))
			snprintf(out + strlen(out), cap - strlen(out), "%s%u", out[0] ? ", " : "",
				 i);
}

void cli_image_slots_read(struct cli_ctx *ctx, const struct smp_img_state *st,
			  struct cli_image_slots *s)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	s->have_info = read_slot_info(ctx, &s->info);
	if (s->have_info)
		for (i = 0; i < s->info.count; i++)
			s->mask |= s->info.images[i].image < 32 ? 1u << s->info.images[i].image : 0;
	else
		for (i = 0; i < st->count; i++)
			s->mask |= st->slots[i].image < 32 ? 1u << st->slots[i].image : 0;
	list_images(s->mask, s->names, sizeof(s->names));
}

bool cli_image_slots_has(const struct cli_image_slots *s, unsigned image)
{
	return !s->mask || (image < 32 && (s->mask & (1u << image)));
}

/* Its max_image_size, else the secondary slot's size. */
uint64_t cli_image_slots_room(const struct cli_image_slots *s, unsigned image)
{
	const struct smp_img_slot_info_image *ii = s->have_info ? info_for(&s->info, image) : NULL;

	if (!ii)
		return 0;
	if (ii->has_max_image_size)
		return ii->max_image_size;
	return ii->nslots > 1 ? ii->slots[1].size : 0;
}
