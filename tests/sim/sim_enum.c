/* Enumeration management group (10), after Zephyr's enum_mgmt.c with
 * CONFIG_MCUMGR_GRP_ENUM_DETAILS, _DETAILS_NAME and _DETAILS_HANDLERS. */
#include <string.h>

#include "host/cbor_tree.h"
#include "smp/grp_enum.h"
#include "tests/sim/sim_priv.h"

#define MAX_GROUPS 64

/* mg_group_name of each group, as Zephyr's sources set it. */
static const char *group_name(uint16_t id)
{
	static const struct {
		uint16_t id;
		const char *name;
	} names[] = {
		{ SIM_GROUP_OS, "os mgmt" },	 { SIM_GROUP_IMAGE, "img mgmt" },
		{ SIM_GROUP_STAT, "stat mgmt" }, { SIM_GROUP_SETTINGS, "settings mgmt" },
		{ SIM_GROUP_FS, "fs mgmt" },	 { SIM_GROUP_SHELL, "shell mgmt" },
		{ SIM_GROUP_ENUM, "enum mgmt" }, { SIM_GROUP_BASIC, "zephyr basic mgmt" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].id == id)
			return names[i].name;
	return "";
}

static size_t groups_of(const struct sim_req *req, const struct sim_group **g)
{
	size_t n = sim_group_list(req->dev, g, MAX_GROUPS);

	return n < MAX_GROUPS ? n : MAX_GROUPS;
}

static int enum_count(struct sim_req *req)
{
	const struct sim_group *g[MAX_GROUPS];

	return tree_put_uint(req->rsp, "count", groups_of(req, g)) ? MGMT_ERR_ECORRUPT : 0;
}

static int enum_list(struct sim_req *req)
{
	const struct sim_group *g[MAX_GROUPS];
	size_t n = groups_of(req, g);
	cbor_item_t *list = cbor_new_indefinite_array();

	for (size_t i = 0; list && i < n; i++) {
		cbor_item_t *v = tree_uint(g[i]->id);
		bool ok = v && cbor_array_push(list, v);

		if (v)
			cbor_decref(&v);
		if (!ok)
			cbor_decref(&list);
	}
	return list && sim_rsp_put(req, "groups", list) == 0 ? 0 : MGMT_ERR_ECORRUPT;
}

static int enum_single(struct sim_req *req)
{
	uint32_t index = 0;
	struct sim_key keys[] = { { "index", SIM_K_UINT32, &index, false } };
	const struct sim_group *g[MAX_GROUPS];
	size_t decoded, n;

	if (sim_decode_bulk(req, keys, 1, &decoded) != 0 || index > 65535)
		return MGMT_ERR_EINVAL;
	n = groups_of(req, g);
	if (index >= n)
		return sim_add_cmd_err(req, SIM_GROUP_ENUM, SMP_ENUM_ERR_INDEX_TOO_LARGE);
	if (tree_put_uint(req->rsp, "group", g[index]->id) ||
	    (index == n - 1 && tree_put_bool(req->rsp, "end", true)))
		return MGMT_ERR_ECORRUPT;
	return 0;
}

/* The "groups" filter of a details request; false if malformed. */
static bool wanted_groups(const struct sim_req *req, uint16_t *ids, size_t *n)
{
	cbor_item_t *arr;

	*n = 0;
	if (!req->payload || !cbor_isa_map(req->payload))
		return false;
	arr = tree_map_get(req->payload, "groups");
	if (!arr)
		return true;
	if (!cbor_isa_array(arr))
		return true; /* zcbor skips what is not a list */
	for (size_t i = 0; i < cbor_array_size(arr) && *n < MAX_GROUPS; i++) {
		cbor_item_t *v = cbor_array_get(arr, i);
		uint64_t id;
		bool ok = v && tree_item_uint(v, &id) == SMP_GET_OK && id <= UINT32_MAX;

		if (v)
			cbor_decref(&v);
		if (!ok)
			return false;
		ids[(*n)++] = (uint16_t)id;
	}
	return true;
}

static bool wanted(const uint16_t *ids, size_t n, uint16_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return n == 0;
}

static cbor_item_t *detail(const struct sim_group *g)
{
	cbor_item_t *m = cbor_new_indefinite_map();

	if (m && (tree_put_uint(m, "group", g->id) || tree_put_text(m, "name", group_name(g->id)) ||
		  tree_put_uint(m, "handlers", g->count)))
		cbor_decref(&m);
	return m;
}

static int enum_details(struct sim_req *req)
{
	const struct sim_group *g[MAX_GROUPS];
	uint16_t ids[MAX_GROUPS];
	size_t n, nids;
	cbor_item_t *list;

	if (!wanted_groups(req, ids, &nids))
		return MGMT_ERR_EINVAL;
	n = groups_of(req, g);
	list = cbor_new_indefinite_array();
	for (size_t i = 0; list && i < n; i++) {
		cbor_item_t *d;

		if (!wanted(ids, nids, g[i]->id))
			continue;
		d = detail(g[i]);
		if (!d || !cbor_array_push(list, d))
			cbor_decref(&list);
		if (d)
			cbor_decref(&d);
	}
	return list && sim_rsp_put(req, "groups", list) == 0 ? 0 : MGMT_ERR_ECORRUPT;
}

static int enum_translate(uint16_t err)
{
	return err == SMP_ENUM_ERR_TOO_MANY_GROUP_ENTRIES ? MGMT_ERR_EINVAL : MGMT_ERR_EUNKNOWN;
}

static const struct sim_handler enum_handlers[] = {
	[SMP_ENUM_COUNT] = { enum_count, NULL },
	[SMP_ENUM_LIST] = { enum_list, NULL },
	[SMP_ENUM_SINGLE] = { enum_single, NULL },
	[SMP_ENUM_DETAILS] = { enum_details, NULL },
};

const struct sim_group sim_enum_group = {
	.id = SIM_GROUP_ENUM,
	.handlers = enum_handlers,
	.count = sizeof(enum_handlers) / sizeof(enum_handlers[0]),
	.translate = enum_translate,
};
