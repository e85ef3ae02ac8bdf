/* Settings management group (3), after Zephyr's settings_mgmt.c over a
 * small settings subsystem: two static handlers, run-time values and a
 * storage partition that survives reboots (not simulator restarts).
 *
 *   app/name, app/interval, app/blob  read, write, saved
 *   app/commits                       read only: h_commit calls since boot
 *   ro/serial                         a handler without h_set
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "host/cbor_tree.h"
#include "smp/grp_settings.h"
#include "tests/sim/sim_priv.h"

#define VALUE_LEN 32 /* CONFIG_MCUMGR_GRP_SETTINGS_VALUE_LEN */

struct key_default {
	const char *key;
	const char *val;
	size_t len;
};

struct handler {
	const char *name;
	bool has_set;	 /* h_set; without it writes are not supported */
	bool has_export; /* h_export: settings_save stores its values */
	const struct key_default *keys;
	size_t nkeys;
};

static const struct key_default app_keys[] = {
	{ "name", "smp_svr", 7 },
	{ "interval", "\xe8\x03\x00\x00", 4 }, /* 1000, little-endian */
	{ "blob", "", 0 },
};

static const struct key_default ro_keys[] = {
	{ "serial", "SIM-0001", 8 },
};

static const struct handler handlers[] = {
	{ "app", true, true, app_keys, sizeof(app_keys) / sizeof(app_keys[0]) },
	{ "ro", false, false, ro_keys, sizeof(ro_keys) / sizeof(ro_keys[0]) },
};

#define N_HANDLERS (sizeof(handlers) / sizeof(handlers[0]))

static struct sim_setting *find(struct sim_setting *list, const char *name)
{
	for (size_t i = 0; i < SIM_SETTINGS_MAX; i++)
		if (list[i].used && !strcmp(list[i].name, name))
			return &list[i];
	return NULL;
}

static int put(struct sim_setting *list, const char *name, const void *val, size_t len)
{
	struct sim_setting *s = find(list, name);

	for (size_t i = 0; !s && i < SIM_SETTINGS_MAX; i++)
		if (!list[i].used)
			s = &list[i];
	if (!s || len > SIM_SETTINGS_VAL_MAX || strlen(name) >= sizeof(s->name))
		return -ENOMEM;
	s->used = true;
	snprintf(s->name, sizeof(s->name), "%s", name);
	memcpy(s->val, val, len);
	s->len = len;
	return 0;
}

/* settings_parse_and_lookup: the handler and the rest of the name. */
static const struct handler *lookup(const char *name, const char **key)
{
	for (size_t i = 0; i < N_HANDLERS; i++) {
		size_t n = strlen(handlers[i].name);

		if (strncmp(name, handlers[i].name, n) || (name[n] && name[n] != '/'))
			continue;
		*key = name[n] ? name + n + 1 : NULL;
		return &handlers[i];
	}
	return NULL;
}

static bool known_key(const struct handler *h, const char *key)
{
	for (size_t i = 0; key && i < h->nkeys; i++)
		if (!strcmp(h->keys[i].key, key))
			return true;
	return false;
}

/* h_set of the simulated handlers: 0 or -errno. */
static int handler_set(struct sim_settings_state *st, const struct handler *h, const char *key,
		       const uint8_t *val, size_t len)
{
	char full[64];

	if (key && !strcmp(h->name, "app") && !strcmp(key, "commits"))
		return -ENOTSUP;
	if (!known_key(h, key))
		return -ENOENT;
	if (len > SIM_SETTINGS_VAL_MAX)
		return -EINVAL;
	snprintf(full, sizeof(full), "%s/%s", h->name, key);
	return put(st->runtime, full, val, len);
}

static void settings_commit(struct sim_settings_state *st)
{
	st->commits++;
}

/* settings_load: every stored value to its handler, then commit. */
static void settings_load(struct sim_settings_state *st)
{
	for (size_t i = 0; i < SIM_SETTINGS_MAX; i++) {
		const struct handler *h;
		const char *key;

		if (!st->stored[i].used || !(h = lookup(st->stored[i].name, &key)) || !h->has_set)
			continue;
		(void)handler_set(st, h, key, st->stored[i].val, st->stored[i].len);
	}
	settings_commit(st);
}

/* A boot: handlers start from their defaults, then the app loads. */
static struct sim_settings_state *settings_state(struct sim_device *dev)
{
	struct sim_settings_state *st = &dev->groups.settings;
	char full[64];

	if (st->boot == sim_device_boot_count(dev))
		return st;
	st->boot = sim_device_boot_count(dev);
	memset(st->runtime, 0, sizeof(st->runtime));
	st->commits = 0;
	for (size_t i = 0; i < N_HANDLERS; i++)
		for (size_t k = 0; k < handlers[i].nkeys; k++) {
			snprintf(full, sizeof(full), "%s/%s", handlers[i].name,
				 handlers[i].keys[k].key);
			put(st->runtime, full, handlers[i].keys[k].val, handlers[i].keys[k].len);
		}
	settings_load(st);
	return st;
}

void sim_settings_erase_storage(struct sim_device *dev)
{
	memset(dev->groups.settings.stored, 0, sizeof(dev->groups.settings.stored));
}

/* settings_runtime_get: bytes copied, or -errno. */
static int runtime_get(struct sim_settings_state *st, const char *name, uint8_t *buf, size_t cap)
{
	const char *key;
	const struct handler *h = lookup(name, &key);
	const struct sim_setting *s;
	uint8_t commits[4];

	if (!h)
		return -EINVAL;
	if (key && !strcmp(h->name, "app") && !strcmp(key, "commits")) {
		for (int i = 0; i < 4; i++)
			commits[i] = (uint8_t)(st->commits >> (8 * i));
		memcpy(buf, commits, cap < 4 ? cap : 4);
		return cap < 4 ? (int)cap : 4;
	}
	if (!key || !(s = find(st->runtime, name)))
		return -ENOENT;
	memcpy(buf, s->val, s->len < cap ? s->len : cap);
	return (int)(s->len < cap ? s->len : cap);
}

static int settings_err(struct sim_req *req, int rc, int enotsup_err)
{
	int err = rc == -EINVAL	   ? SMP_SETTINGS_ERR_ROOT_KEY_NOT_FOUND
		  : rc == -ENOENT  ? SMP_SETTINGS_ERR_KEY_NOT_FOUND
		  : rc == -ENOTSUP ? enotsup_err
				   : SMP_SETTINGS_ERR_UNKNOWN;

	return sim_add_cmd_err(req, SIM_GROUP_SETTINGS, (uint16_t)err);
}

/* The "name" every command but commit, load and save takes. False when
 * it is unusable; *rc is then the handler's answer. */
static bool name_arg(struct sim_req *req, const struct sim_str *key, bool found, char *name,
		     int *rc)
{
	if (!found || key->len == 0) {
		*rc = MGMT_ERR_EINVAL;
		return false;
	}
	if (key->len >= SIM_SETTINGS_NAME_LEN) {
		*rc = sim_add_cmd_err(req, SIM_GROUP_SETTINGS, SMP_SETTINGS_ERR_KEY_TOO_LONG);
		return false;
	}
	memcpy(name, key->ptr, key->len);
	name[key->len] = 0;
	return true;
}

static int settings_read(struct sim_req *req)
{
	struct sim_str key = { NULL, 0 };
	uint32_t max_size = VALUE_LEN;
	struct sim_key keys[] = { { "name", SIM_K_TSTR, &key, false },
				  { "max_size", SIM_K_UINT32, &max_size, false } };
	char name[SIM_SETTINGS_NAME_LEN];
	uint8_t data[VALUE_LEN];
	bool limited = false;
	size_t decoded;
	int rc;

	if (sim_decode_bulk(req, keys, 2, &decoded) != 0)
		return MGMT_ERR_EINVAL;
	if (!name_arg(req, &key, keys[0].found, name, &rc))
		return rc;
	if (max_size > VALUE_LEN) {
		max_size = VALUE_LEN;
		limited = true;
	}
	rc = runtime_get(settings_state(req->dev), name, data, max_size);
	if (rc < 0)
		return settings_err(req, rc, SMP_SETTINGS_ERR_READ_NOT_SUPPORTED);
	if (tree_put_bytes(req->rsp, "val", data, (size_t)rc) ||
	    (limited && tree_put_uint(req->rsp, "max_size", VALUE_LEN)))
		return MGMT_ERR_EMSGSIZE;
	return 0;
}

static int settings_write(struct sim_req *req)
{
	struct sim_str key = { NULL, 0 }, val = { (const uint8_t *)"", 0 };
	struct sim_key keys[] = { { "name", SIM_K_TSTR, &key, false },
				  { "val", SIM_K_BSTR, &val, false } };
	struct sim_settings_state *st = settings_state(req->dev);
	char name[SIM_SETTINGS_NAME_LEN];
	const struct handler *h;
	const char *rest;
	size_t decoded;
	int rc;

	if (sim_decode_bulk(req, keys, 2, &decoded) != 0)
		return MGMT_ERR_EINVAL;
	if (!name_arg(req, &key, keys[0].found, name, &rc))
		return rc;
	h = lookup(name, &rest);
	rc = !h ? -EINVAL : !h->has_set ? -ENOTSUP : handler_set(st, h, rest, val.ptr, val.len);
	return rc < 0 ? settings_err(req, rc, SMP_SETTINGS_ERR_WRITE_NOT_SUPPORTED) : 0;
}

static int settings_delete(struct sim_req *req)
{
	struct sim_str key = { NULL, 0 };
	struct sim_key keys[] = { { "name", SIM_K_TSTR, &key, false } };
	struct sim_setting *s;
	char name[SIM_SETTINGS_NAME_LEN];
	size_t decoded;
	int rc;

	if (sim_decode_bulk(req, keys, 1, &decoded) != 0)
		return MGMT_ERR_EINVAL;
	if (!name_arg(req, &key, keys[0].found, name, &rc))
		return rc;
	/* settings_delete stores "no value": nothing to find is no error. */
	s = find(settings_state(req->dev)->stored, name);
	if (s)
		memset(s, 0, sizeof(*s));
	return 0;
}

static int settings_commit_cmd(struct sim_req *req)
{
	settings_commit(settings_state(req->dev));
	return 0;
}

static int settings_load_cmd(struct sim_req *req)
{
	settings_load(settings_state(req->dev));
	return 0;
}

/* settings_save: every handler with h_export stores its values. */
static int settings_save_cmd(struct sim_req *req)
{
	struct sim_settings_state *st = settings_state(req->dev);

	for (size_t i = 0; i < SIM_SETTINGS_MAX; i++) {
		const struct handler *h;
		const char *key;

		if (st->runtime[i].used && (h = lookup(st->runtime[i].name, &key)) && h->has_export)
			(void)put(st->stored, st->runtime[i].name, st->runtime[i].val,
				  st->runtime[i].len);
	}
	return 0;
}

static int settings_translate(uint16_t err)
{
	switch (err) {
	case SMP_SETTINGS_ERR_KEY_TOO_LONG:
		return MGMT_ERR_EINVAL;
	case SMP_SETTINGS_ERR_KEY_NOT_FOUND:
	case SMP_SETTINGS_ERR_READ_NOT_SUPPORTED:
		return MGMT_ERR_ENOENT;
	default:
		return MGMT_ERR_EUNKNOWN;
	}
}

static const struct sim_handler settings_handlers[] = {
	[SMP_SETTINGS_READ_WRITE] = { settings_read, settings_write },
	[SMP_SETTINGS_DELETE] = { NULL, settings_delete },
	[SMP_SETTINGS_COMMIT] = { NULL, settings_commit_cmd },
	[SMP_SETTINGS_LOAD_SAVE] = { settings_load_cmd, settings_save_cmd },
};

const struct sim_group sim_settings_group = {
	.id = SIM_GROUP_SETTINGS,
	.handlers = settings_handlers,
	.count = sizeof(settings_handlers) / sizeof(settings_handlers[0]),
	.translate = settings_translate,
};
