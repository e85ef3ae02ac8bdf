/* MCUboot in swap mode, and img_mgmt's view of it: swap types from the
 * trailer flags (boot_swap_tables), next boot slot, setting the next boot
 * (boot_set_next), and what the bootloader does at power-on. */
#include "tests/sim/sim_priv.h"

enum {
	ERR_FLASH_WRITE_FAILED = 12,
	ERR_IMAGE_ALREADY_PENDING = 28,
	ERR_IMAGE_CONFIRMATION_DENIED = 32,
	ERR_IMAGE_SETTING_TEST_TO_ACTIVE_DENIED = 33,
};

int sim_boot_active_slot(int image)
{
	return image * 2;
}

int sim_boot_opposite_slot(int slot)
{
	return slot ^ 1;
}

enum sim_swap_type sim_boot_swap_type(const struct sim_device *dev, int image)
{
	const struct sim_trailer *pri = &dev->flash.trailer[2 * image];
	const struct sim_trailer *sec = &dev->flash.trailer[2 * image + 1];

	if (sec->magic)
		return sec->image_ok ? SIM_SWAP_PERM : SIM_SWAP_TEST;
	if (pri->magic && !pri->image_ok && pri->copy_done)
		return SIM_SWAP_REVERT;
	return SIM_SWAP_NONE;
}

int sim_boot_next_slot(const struct sim_device *dev, int image, enum sim_next_boot *type)
{
	int active = sim_boot_active_slot(image);

	*type = SIM_NEXT_NORMAL;
	switch (sim_boot_swap_type(dev, image)) {
	case SIM_SWAP_NONE:
		return active;
	case SIM_SWAP_PERM:
		break;
	case SIM_SWAP_REVERT:
		*type = SIM_NEXT_REVERT;
		break;
	case SIM_SWAP_TEST:
		*type = SIM_NEXT_TEST;
		break;
	}
	return sim_boot_opposite_slot(active);
}

bool sim_boot_slot_in_use(const struct sim_device *dev, int slot)
{
	int image = slot / 2, active = sim_boot_active_slot(image);
	enum sim_next_boot type;
	int nbs = sim_boot_next_slot(dev, image, &type);

	if (slot == nbs && type == SIM_NEXT_REVERT)
		return true;
	if (((slot == nbs && type == SIM_NEXT_TEST) ||
	     (active != nbs && type == SIM_NEXT_NORMAL)) &&
	    !dev->cfg.allow_erase_pending)
		return true;
	return slot == active;
}

/* bootutil's boot_set_next on one slot's trailer. */
static int boot_set_next(struct sim_device *dev, int slot, bool active, bool confirm)
{
	struct sim_trailer *t = &dev->flash.trailer[slot];

	if (t->magic) {
		if (active && !t->image_ok)
			t->image_ok = 1;
	} else if (!active) {
		t->magic = 1;
		t->image_ok = confirm;
	}
	return sim_flash_save_trailers(&dev->flash) == 0 ? 0 : ERR_FLASH_WRITE_FAILED;
}

int sim_boot_set_next(struct sim_device *dev, int slot, bool confirm)
{
	int image = slot / 2, active = sim_boot_active_slot(image);
	enum sim_next_boot type;
	int nbs = sim_boot_next_slot(dev, image, &type);

	/* Another image than the running one (0) may only be confirmed in its
	 * secondary slot (ALLOW_CONFIRM_NON_ACTIVE_IMAGE_SECONDARY). */
	if (confirm && image != 0 && slot == active)
		return ERR_IMAGE_CONFIRMATION_DENIED;
	if (!confirm && slot == active)
		return ERR_IMAGE_SETTING_TEST_TO_ACTIVE_DENIED;
	if (type == SIM_NEXT_TEST) {
		if (!confirm && slot == nbs)
			return 0;
		return ERR_IMAGE_ALREADY_PENDING;
	}
	if (type == SIM_NEXT_NORMAL) {
		if (confirm && slot == nbs)
			return 0;
		if ((slot == active && active != nbs) ||
		    (!confirm && slot != active && slot == nbs))
			return ERR_IMAGE_ALREADY_PENDING;
	}
	if (type == SIM_NEXT_REVERT) {
		if (confirm && slot == nbs)
			return 0;
		if (!confirm)
			return ERR_IMAGE_ALREADY_PENDING;
	}
	return boot_set_next(dev, slot, slot == active, confirm);
}

/* MCUboot refuses a secondary image that fails validation (or is older
 * with downgrade prevention) and erases it. */
static bool upgrade_acceptable(struct sim_device *dev, int pri, int sec)
{
	struct sim_image_info a, b;

	if (!sim_image_valid(&dev->flash, sec))
		return false;
	if (dev->cfg.no_downgrade && sim_image_read_info(&dev->flash, pri, &a) == 0 &&
	    sim_image_read_info(&dev->flash, sec, &b) == 0 && sim_image_vercmp(&b.ver, &a.ver) < 0)
		return false;
	return true;
}

static void boot_image(struct sim_device *dev, int image)
{
	int pri = 2 * image, sec = pri + 1;
	struct sim_trailer *tp = &dev->flash.trailer[pri], *ts = &dev->flash.trailer[sec];
	enum sim_swap_type swap = sim_boot_swap_type(dev, image);

	switch (swap) {
	case SIM_SWAP_TEST:
	case SIM_SWAP_PERM:
		if (!upgrade_acceptable(dev, pri, sec)) {
			(void)sim_flash_erase(&dev->flash, sec);
			return;
		}
		if (sim_flash_swap(&dev->flash, pri, sec) != 0)
			return;
		*tp = (struct sim_trailer){ .magic = 1,
					    .copy_done = 1,
					    .image_ok = swap == SIM_SWAP_PERM };
		*ts = (struct sim_trailer){ 0 };
		break;
	case SIM_SWAP_REVERT:
		if (sim_flash_swap(&dev->flash, pri, sec) != 0)
			return;
		*tp = (struct sim_trailer){ .magic = 1, .copy_done = 1, .image_ok = 1 };
		*ts = (struct sim_trailer){ 0 };
		break;
	case SIM_SWAP_NONE:
		return;
	}
	(void)sim_flash_save_trailers(&dev->flash);
}

void sim_boot_run_mcuboot(struct sim_device *dev)
{
	for (unsigned i = 0; i < dev->flash.images; i++)
		boot_image(dev, (int)i);
}
