/* Zephyr basic management group (63), after Zephyr's basic_mgmt.c: erase
 * the storage partition, which holds the stored settings. */
#include "smp/grp_basic.h"
#include "tests/sim/sim_priv.h"

static int basic_erase_storage(struct sim_req *req)
{
	sim_settings_erase_storage(req->dev);
	return 0;
}

/* zephyr_basic_group_translate_error_code, for v1 answers (Zephyr maps
 * two of its own failures to success there). */
static int basic_translate(uint16_t err)
{
	switch (err) {
	case SMP_BASIC_ERR_FLASH_OPEN_FAILED:
		return MGMT_ERR_ENOENT;
	case SMP_BASIC_ERR_FLASH_CONFIG_QUERY_FAIL:
	case SMP_BASIC_ERR_FLASH_ERASE_FAILED:
		return MGMT_ERR_EOK;
	default:
		return MGMT_ERR_EUNKNOWN;
	}
}

static const struct sim_handler basic_handlers[] = {
	[SMP_BASIC_ERASE_STORAGE] = { NULL, basic_erase_storage },
};

const struct sim_group sim_basic_group = {
	.id = SIM_GROUP_BASIC,
	.handlers = basic_handlers,
	.count = sizeof(basic_handlers) / sizeof(basic_handlers[0]),
	.translate = basic_translate,
};
