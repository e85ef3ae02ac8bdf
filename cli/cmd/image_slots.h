/* What the device has room for, read before an upload: the image numbers
 * it has slots for (image slots, group 1 command 6, else its image list)
 * and how large an image each takes. `upgrade` and `image upload --image`
 * both refuse by it, before anything is written. */
#ifndef CLI_IMAGE_SLOTS_H
#define CLI_IMAGE_SLOTS_H

#include "cli/cli.h"
#include "smp/grp_img.h"

struct cli_image_slots {
	struct smp_img_slot_info info;
	bool have_info; /* the device answered image slots */
	unsigned mask;	/* image numbers it has slots for; 0: it does not say */
	char names[64]; /* "0" or "0, 1" */
};

/* Reads the slots (st is the image list, for a device without the
 * command). Never fails: a device that says nothing gives mask 0. */
void cli_image_slots_read(struct cli_ctx *ctx, const struct smp_img_state *st,
			  struct cli_image_slots *s);

/* Whether image number image is one the device has slots for. */
bool cli_image_slots_has(const struct cli_image_slots *s, unsigned image);

/* The largest image the device takes as image number image; 0 when it
 * does not say. */
uint64_t cli_image_slots_room(const struct cli_image_slots *s, unsigned image);

#endif
