/* Statistics management group (2), after Zephyr's stat_mgmt.c with the
 * smp_svr sample's statistics and one of the simulator's own. */
#include <string.h>

#include "host/cbor_tree.h"
#include "smp/grp_stat.h"
#include "tests/sim/sim_priv.h"

#define MAX_NAME_LEN 32 /* CONFIG_MCUMGR_GRP_STAT_MAX_NAME_LEN */

struct stat_entry {
	const char *name;
	uint32_t (*value)(struct sim_device *dev);
};

struct stat_group_def {
	const char *name;
	const struct stat_entry *entries;
	size_t count;
};

static int64_t uptime_ms(struct sim_device *dev)
{
	struct sim_stat_state *st = &dev->groups.stat;

	if (st->boot != sim_device_boot_count(dev)) {
		st->boot = sim_device_boot_count(dev);
		st->boot_ms = sim_now_ms(dev);
	}
	return sim_now_ms(dev) - st->boot_ms;
}

/* smp_svr's main loop counts one tick a second. */
static uint32_t ticks(struct sim_device *dev)
{
	return (uint32_t)(uptime_ms(dev) / 1000);
}

static uint32_t boots(struct sim_device *dev)
{
	return sim_device_boot_count(dev);
}

static uint32_t uptime(struct sim_device *dev)
{
	return (uint32_t)uptime_ms(dev);
}

static const struct stat_entry svr_entries[] = { { "ticks", ticks } };
static const struct stat_entry sim_entries[] = { { "boots", boots }, { "uptime_ms", uptime } };

static const struct stat_group_def stat_groups[] = {
	{ "smp_svr_stats", svr_entries, 1 },
	{ "smp_sim_stats", sim_entries, 2 },
};

#define N_GROUPS (sizeof(stat_groups) / sizeof(stat_groups[0]))

static const struct stat_group_def *find_group(const char *name, size_t len)
{
	for (size_t i = 0; i < N_GROUPS; i++)
		if (strlen(stat_groups[i].name) == len && !memcmp(stat_groups[i].name, name, len))
			return &stat_groups[i];
	return NULL;
}

static int stat_show(struct sim_req *req)
{
	struct sim_str name = { NULL, 0 };
	struct sim_key keys[] = { { "name", SIM_K_TSTR, &name, false } };
	const struct stat_group_def *g;
	cbor_item_t *fields;
	size_t decoded;

	if (sim_decode_bulk(req, keys, 1, &decoded) != 0 || name.len == 0 ||
	    name.len >= MAX_NAME_LEN)
		return MGMT_ERR_EINVAL;
	g = find_group((const char *)name.ptr, name.len);
	if (!g) /* upstream files it under the statistics group (NCS: 63) */
		return sim_add_cmd_err(req, SIM_GROUP_STAT, SMP_STAT_ERR_INVALID_STAT_NAME);
	if (req->dev->cfg.legacy_rc && tree_put_int(req->rsp, "rc", 0))
		return MGMT_ERR_EMSGSIZE;
	fields = cbor_new_indefinite_map();
	for (size_t i = 0; fields && i < g->count; i++)
		if (tree_put_uint(fields, g->entries[i].name, g->entries[i].value(req->dev)))
			cbor_decref(&fields);
	if (!fields || tree_put_text(req->rsp, "name", g->name) ||
	    sim_rsp_put(req, "fields", fields))
		return MGMT_ERR_EMSGSIZE;
	return 0;
}

static int stat_list(struct sim_req *req)
{
	cbor_item_t *list = cbor_new_indefinite_array();

	for (size_t i = 0; list && i < N_GROUPS; i++) {
		cbor_item_t *s = cbor_build_string(stat_groups[i].name);
		bool ok = s && cbor_array_push(list, s);

		if (s)
			cbor_decref(&s);
		if (!ok)
			cbor_decref(&list);
	}
	/* stat_mgmt_list writes "rc": 0 whatever the configuration. */
	if (!list || tree_put_int(req->rsp, "rc", 0) || sim_rsp_put(req, "stat_list", list))
		return MGMT_ERR_EMSGSIZE;
	return 0;
}

static int stat_translate(uint16_t err)
{
	switch (err) {
	case SMP_STAT_ERR_INVALID_GROUP:
	case SMP_STAT_ERR_INVALID_STAT_NAME:
		return MGMT_ERR_ENOENT;
	case SMP_STAT_ERR_INVALID_STAT_SIZE:
		return MGMT_ERR_EINVAL;
	default:
		return MGMT_ERR_EUNKNOWN;
	}
}

static const struct sim_handler stat_handlers[] = {
	[SMP_STAT_SHOW] = { stat_show, NULL },
	[SMP_STAT_LIST] = { stat_list, NULL },
};

const struct sim_group sim_stat_group = {
	.id = SIM_GROUP_STAT,
	.handlers = stat_handlers,
	.count = sizeof(stat_handlers) / sizeof(stat_handlers[0]),
	.translate = stat_translate,
};
