/* Image management group (1), after Zephyr's img_mgmt.c, img_mgmt_state.c
 * and zephyr_img_mgmt.c with the default smp_svr configuration. */
#include <stdlib.h>
#include <string.h>

#include "smp/bytes.h"
#include "host/cbor_tree.h"
#include "tests/sim/sim_priv.h"

enum img_err {
	IMG_ERR_UNKNOWN = 1,
	IMG_ERR_FLASH_CONFIG_QUERY_FAIL,
	IMG_ERR_NO_IMAGE,
	IMG_ERR_NO_TLVS,
	IMG_ERR_INVALID_TLV,
	IMG_ERR_TLV_MULTIPLE_HASHES_FOUND,
	IMG_ERR_TLV_INVALID_SIZE,
	IMG_ERR_HASH_NOT_FOUND,
	IMG_ERR_NO_FREE_SLOT,
	IMG_ERR_FLASH_OPEN_FAILED,
	IMG_ERR_FLASH_READ_FAILED,
	IMG_ERR_FLASH_WRITE_FAILED,
	IMG_ERR_FLASH_ERASE_FAILED,
	IMG_ERR_INVALID_SLOT,
	IMG_ERR_NO_FREE_MEMORY,
	IMG_ERR_FLASH_CONTEXT_ALREADY_SET,
	IMG_ERR_FLASH_CONTEXT_NOT_SET,
	IMG_ERR_FLASH_AREA_DEVICE_NULL,
	IMG_ERR_INVALID_PAGE_OFFSET,
	IMG_ERR_INVALID_OFFSET,
	IMG_ERR_INVALID_LENGTH,
	IMG_ERR_INVALID_IMAGE_HEADER,
	IMG_ERR_INVALID_IMAGE_HEADER_MAGIC,
	IMG_ERR_INVALID_HASH,
	IMG_ERR_INVALID_FLASH_ADDRESS,
	IMG_ERR_VERSION_GET_FAILED,
	IMG_ERR_CURRENT_VERSION_IS_NEWER,
	IMG_ERR_IMAGE_ALREADY_PENDING,
	IMG_ERR_INVALID_IMAGE_VECTOR_TABLE,
	IMG_ERR_INVALID_IMAGE_TOO_LARGE,
	IMG_ERR_INVALID_IMAGE_DATA_OVERRUN,
	IMG_ERR_IMAGE_CONFIRMATION_DENIED,
	IMG_ERR_IMAGE_SETTING_TEST_TO_ACTIVE_DENIED,
};

/* REPORT_SLOT_* of img_mgmt_state_read. */
enum {
	F_ACTIVE = 1,
	F_PENDING = 2,
	F_CONFIRMED = 4,
	F_PERMANENT = 8
};

void sim_upload_reset(struct sim_device *dev)
{
	memset(&dev->upload, 0, sizeof(dev->upload));
	dev->upload.slot = -1;
}

static int put_flag(cbor_item_t *m, const char *key, bool v)
{
	return tree_put_bool(m, key, v);
}

/* img_mgmt_state_encode_slot: nothing for a slot without a readable image. */
static int encode_slot(struct sim_device *dev, cbor_item_t *list, int slot, int flags)
{
	struct sim_image_info info;
	char ver[32];
	cbor_item_t *m;
	int rc = -1;

	if (sim_image_read_info(&dev->flash, slot, &info) != 0)
		return 0;
	m = cbor_new_indefinite_map();
	if (!m)
		return -1;
	sim_image_ver_str(&info.ver, ver, sizeof(ver));
	if ((dev->flash.images == 1 || tree_put_uint(m, "image", (uint64_t)slot >> 1) == 0) &&
	    tree_put_uint(m, "slot", (uint64_t)slot % 2) == 0 &&
	    tree_put_text(m, "version", ver) == 0 &&
	    tree_put_bytes(m, "hash", info.hash, 32) == 0 &&
	    put_flag(m, "bootable", !(info.flags & SIM_IMAGE_F_NON_BOOTABLE)) == 0 &&
	    put_flag(m, "pending", flags & F_PENDING) == 0 &&
	    put_flag(m, "confirmed", flags & F_CONFIRMED) == 0 &&
	    put_flag(m, "active", flags & F_ACTIVE) == 0 &&
	    put_flag(m, "permanent", flags & F_PERMANENT) == 0)
		rc = cbor_array_push(list, m) ? 0 : -1;
	cbor_decref(&m);
	return rc;
}

static int img_state_read(struct sim_req *req)
{
	struct sim_device *dev = req->dev;
	cbor_item_t *list = cbor_new_indefinite_array();
	int rc = list ? 0 : -1;

	for (unsigned i = 0; rc == 0 && i < dev->flash.images; i++) {
		enum sim_next_boot type;
		int nbs = sim_boot_next_slot(dev, (int)i, &type);
		int a = sim_boot_active_slot((int)i), o = sim_boot_opposite_slot(a);
		int fa = F_ACTIVE | (type != SIM_NEXT_REVERT ? F_CONFIRMED : 0), fo = 0;

		if (nbs != a)
			fo = type == SIM_NEXT_NORMAL   ? F_PENDING | F_PERMANENT
			     : type == SIM_NEXT_REVERT ? F_CONFIRMED
						       : F_PENDING;
		rc = encode_slot(dev, list, a, fa) || encode_slot(dev, list, o, fo) ? -1 : 0;
	}
	if (rc == 0) {
		rc = sim_rsp_put(req, "images", list);
		list = NULL;
	}
	if (list)
		cbor_decref(&list);
	if (rc == 0)
		rc = tree_put_int(req->rsp, "splitStatus", 0);
	return rc ? MGMT_ERR_ENOMEM : 0;
}

static int find_by_hash(struct sim_device *dev, const uint8_t *hash)
{
	struct sim_image_info info;

	for (int s = 0; s < sim_flash_slot_count(&dev->flash); s++)
		if (sim_image_read_info(&dev->flash, s, &info) == 0 && !memcmp(info.hash, hash, 32))
			return s;
	return -1;
}

static int img_state_write(struct sim_req *req)
{
	bool confirm = false;
	struct sim_str hash = { NULL, 0 };
	struct sim_key keys[] = { { "hash", SIM_K_BSTR, &hash, false },
				  { "confirm", SIM_K_BOOL, &confirm, false } };
	size_t decoded;
	int slot, rc;

	if (sim_decode_bulk(req, keys, 2, &decoded) != 0)
		return MGMT_ERR_EINVAL;
	if (hash.len == 0) {
		if (!confirm)
			return sim_add_cmd_err(req, SIM_GROUP_IMAGE, IMG_ERR_INVALID_HASH);
		slot = sim_boot_active_slot(0);
	} else if (hash.len != 32) {
		return sim_add_cmd_err(req, SIM_GROUP_IMAGE, IMG_ERR_INVALID_HASH);
	} else {
		slot = find_by_hash(req->dev, hash.ptr);
		if (slot < 0)
			return sim_add_cmd_err(req, SIM_GROUP_IMAGE, IMG_ERR_HASH_NOT_FOUND);
	}
	rc = sim_boot_set_next(req->dev, slot, confirm);
	if (rc != 0)
		return sim_add_cmd_err(req, SIM_GROUP_IMAGE, (uint16_t)rc);
	return img_state_read(req);
}

struct upload_req {
	uint32_t image;
	struct sim_str data, sha;
	uint32_t len, off;
	bool upgrade;
	bool has_len, has_off;
};

struct upload_action {
	bool proceed;
	bool erase;
	int slot;
	uint64_t size;
	const char *rsn;
};

static int unused_slot(const struct sim_device *dev, uint32_t image)
{
	int slot;

	if (dev->flash.images == 1) {
		for (slot = 0; slot < 2; slot++)
			if (!sim_boot_slot_in_use(dev, slot))
				return slot;
		return -1;
	}
	if (image >= dev->flash.images)
		return -1;
	slot = sim_boot_opposite_slot(sim_boot_active_slot((int)image));
	return sim_boot_slot_in_use(dev, slot) ? -1 : slot;
}

/* The first chunk: img_mgmt_upload_inspect's checks, in its order. */
static int inspect_first(struct sim_device *dev, const struct upload_req *r,
			 struct upload_action *a)
{
	struct sim_image_info cur;
	struct sim_image_version ver;
	const uint8_t *h = r->data.ptr;
	int e;

	if (r->data.len < 32) {
		a->rsn = "header malformed";
		return IMG_ERR_INVALID_IMAGE_HEADER;
	}
	if (!r->has_len) {
		a->rsn = "header malformed";
		return IMG_ERR_INVALID_LENGTH;
	}
	a->size = r->len;
	if (smp_get_le32(h) != SIM_IMAGE_MAGIC) {
		a->rsn = "magic mismatch";
		return IMG_ERR_INVALID_IMAGE_HEADER_MAGIC;
	}
	if (r->sha.len > 32)
		return IMG_ERR_INVALID_HASH;
	/* The same data hash as the interrupted upload: resume it. */
	if (r->sha.len > 0 && dev->upload.slot != -1 && dev->upload.sha_len == r->sha.len &&
	    !memcmp(dev->upload.sha, r->sha.ptr, r->sha.len))
		return 0;
	a->slot = unused_slot(dev, r->image);
	if (a->slot < 0) {
		a->rsn = "no slot";
		return IMG_ERR_NO_FREE_SLOT;
	}
	if (r->len > dev->flash.slot_size) {
		a->rsn = "img too large";
		return IMG_ERR_INVALID_IMAGE_TOO_LARGE;
	}
	if (r->upgrade) {
		if (sim_image_read_info(&dev->flash, sim_boot_active_slot(0), &cur) != 0)
			return IMG_ERR_VERSION_GET_FAILED;
		ver = (struct sim_image_version){ h[20], h[21], smp_get_le16(h + 22), 0 };
		if (sim_image_vercmp(&cur.ver, &ver) >= 0) {
			a->rsn = "downgrade";
			return IMG_ERR_CURRENT_VERSION_IS_NEWER;
		}
	}
	e = sim_flash_is_erased(&dev->flash, a->slot);
	if (e < 0)
		return IMG_ERR_FLASH_READ_FAILED;
	a->erase = e == 0;
	a->proceed = true;
	return 0;
}

static int upload_inspect(struct sim_device *dev, const struct upload_req *r,
			  struct upload_action *a)
{
	memset(a, 0, sizeof(*a));
	if (!r->has_off) {
		a->rsn = "header malformed";
		return IMG_ERR_INVALID_OFFSET;
	}
	if (r->off == 0)
		return inspect_first(dev, r, a);
	a->slot = dev->upload.slot;
	a->size = dev->upload.size;
	if (r->off != dev->upload.off)
		return 0; /* dropped: answered with the offset expected */
	if ((uint64_t)r->off + r->data.len > a->size) {
		a->rsn = "data overrun";
		return IMG_ERR_INVALID_IMAGE_DATA_OVERRUN;
	}
	a->proceed = true;
	return 0;
}

static int upload_good_rsp(struct sim_req *req)
{
	if (req->dev->cfg.legacy_rc && tree_put_int(req->rsp, "rc", 0))
		return MGMT_ERR_ENOMEM;
	return tree_put_uint(req->rsp, "off", req->dev->upload.off) ? MGMT_ERR_ENOMEM : 0;
}

/* flash_img_check: the slot's first size bytes against the data hash. */
static bool upload_matches(struct sim_device *dev)
{
	uint8_t got[32];

	return sim_flash_sha256(&dev->flash, dev->upload.slot, dev->upload.size, got) == 0 &&
	       memcmp(got, dev->upload.sha, 32) == 0;
}

static int upload_decode(struct sim_req *req, struct upload_req *r)
{
	struct sim_key keys[] = {
		{ "image", SIM_K_UINT32, &r->image, false },
		{ "data", SIM_K_BSTR, &r->data, false },
		{ "len", SIM_K_UINT32, &r->len, false },
		{ "off", SIM_K_UINT32, &r->off, false },
		{ "sha", SIM_K_BSTR, &r->sha, false },
		{ "upgrade", SIM_K_BOOL, &r->upgrade, false },
	};
	size_t decoded;

	if (sim_decode_bulk(req, keys, sizeof(keys) / sizeof(keys[0]), &decoded) != 0)
		return -1;
	r->has_len = keys[2].found;
	r->has_off = keys[3].found;
	return 0;
}

static uint64_t sectors_of(const struct sim_device *dev, uint64_t bytes)
{
	uint64_t sector = dev->cfg.sector_size ? dev->cfg.sector_size : 4096;

	return (bytes + sector - 1) / sector;
}

/* The flash time of writing len bytes that end at end: the bytes, and
 * with CONFIG_IMG_ERASE_PROGRESSIVELY the sectors stream_flash erases as
 * the write reaches them (stream_flash_erase_page). */
static void upload_cost(struct sim_device *dev, uint64_t end, uint64_t len)
{
	struct sim_upload *u = &dev->upload;
	uint64_t want;

	sim_cost_write(dev, len);
	if (!dev->cfg.erase_progressive)
		return;
	want = sectors_of(dev, end) * (dev->cfg.sector_size ? dev->cfg.sector_size : 4096);
	if (want > u->erased_to) {
		sim_cost_erase(dev, sectors_of(dev, want - u->erased_to));
		u->erased_to = want;
	}
}

/* Writes the chunk; returns 0 or an IMG_MGMT_ERR code. */
static int upload_write(struct sim_device *dev, const struct upload_req *r, bool *last)
{
	struct sim_upload *u = &dev->upload;

	if (r->data.len == 0)
		return 0;
	*last = u->off + r->data.len == u->size;
	if (sim_flash_write(&dev->flash, u->slot, r->off, r->data.ptr, r->data.len) != 0)
		return IMG_ERR_FLASH_WRITE_FAILED;
	upload_cost(dev, r->off + r->data.len, r->data.len);
	u->off += r->data.len;
	return 0;
}

static int upload_start(struct sim_device *dev, const struct upload_req *r,
			const struct upload_action *a, bool *last, bool *match)
{
	struct sim_upload *u = &dev->upload;

	u->off = 0;
	u->sha_len = r->sha.len;
	memset(u->sha, 0, sizeof(u->sha));
	if (r->sha.len)
		memcpy(u->sha, r->sha.ptr, r->sha.len);
	/* Already there: nothing to send (CONFIG_IMG_ENABLE_IMAGE_CHECK). */
	if (dev->cfg.image_check && u->sha_len == 32 && upload_matches(dev)) {
		u->off = u->size;
		*last = *match = true;
		return -1;
	}
	/* The delay stands for the erase a real device's secondary slot
	 * almost always needs, even when ours happens to be blank. */
	dev->busy_until = sim_now_ms(dev) + dev->cfg.erase_delay_ms;
	if (a->erase && sim_flash_erase(&dev->flash, u->slot) != 0)
		return IMG_ERR_FLASH_ERASE_FAILED;
	/* Without CONFIG_IMG_ERASE_PROGRESSIVELY (default n) img_mgmt erases
	 * the sectors the whole image will take before the first write. */
	u->erased_to = 0;
	if (!dev->cfg.erase_progressive)
		sim_cost_erase(dev, sectors_of(dev, u->size));
	return 0;
}

static int img_upload(struct sim_req *req)
{
	struct sim_device *dev = req->dev;
	struct upload_req r = { 0 };
	struct upload_action a;
	bool last = false, match = false, done = false;
	int rc;

	if (upload_decode(req, &r) != 0)
		return MGMT_ERR_EINVAL;
	rc = upload_inspect(dev, &r, &a);
	if (rc != 0) {
		req->rsn = a.rsn;
		sim_upload_reset(dev);
		return sim_add_cmd_err(req, SIM_GROUP_IMAGE, (uint16_t)rc);
	}
	if (!a.proceed)
		return upload_good_rsp(req);
	dev->upload.slot = a.slot;
	dev->upload.size = a.size;
	if (r.off == 0)
		rc = upload_start(dev, &r, &a, &last, &match);
	if (rc == 0)
		rc = upload_write(dev, &r, &last);
	if (rc > 0) {
		sim_upload_reset(dev);
		return sim_add_cmd_err(req, SIM_GROUP_IMAGE, (uint16_t)rc);
	}
	if (rc == 0 && dev->upload.off == dev->upload.size && r.data.len != 0) {
		done = true;
		match = upload_matches(dev);
	}
	rc = upload_good_rsp(req);
	if (rc == 0 && last && dev->cfg.image_check && tree_put_bool(req->rsp, "match", match))
		rc = MGMT_ERR_ENOMEM;
	if (done || match)
		sim_upload_reset(dev);
	return rc;
}

static int img_erase(struct sim_req *req)
{
	struct sim_device *dev = req->dev;
	uint32_t slot = (uint32_t)sim_boot_opposite_slot(sim_boot_active_slot(0));
	struct sim_key keys[] = { { "slot", SIM_K_UINT32, &slot, false } };
	struct sim_image_info info;
	size_t decoded;
	int rc = 0, e;

	if (sim_decode_bulk(req, keys, 1, &decoded) != 0)
		return MGMT_ERR_EINVAL;
	if (slot >= (uint32_t)sim_flash_slot_count(&dev->flash)) {
		rc = IMG_ERR_INVALID_SLOT; /* no flash area for that slot */
	} else if (sim_image_read_info(&dev->flash, (int)slot, &info) == 0 &&
		   sim_boot_slot_in_use(dev, (int)slot)) {
		return sim_add_cmd_err(req, SIM_GROUP_IMAGE, IMG_ERR_NO_FREE_SLOT);
	} else {
		e = sim_flash_is_erased(&dev->flash, (int)slot);
		if (e == 0) {
			rc = sim_flash_erase(&dev->flash, (int)slot) ? IMG_ERR_FLASH_ERASE_FAILED
								     : 0;
			dev->busy_until = sim_now_ms(dev) + dev->cfg.erase_delay_ms;
			/* img_mgmt_erase_slot: the whole flash area. */
			sim_cost_erase(dev, sectors_of(dev, dev->flash.slot_size));
		} else if (e < 0) {
			rc = IMG_ERR_FLASH_READ_FAILED;
		}
	}
	sim_upload_reset(dev);
	if (rc)
		return sim_add_cmd_err(req, SIM_GROUP_IMAGE, (uint16_t)rc);
	if (dev->cfg.legacy_rc && tree_put_int(req->rsp, "rc", 0))
		return MGMT_ERR_ENOMEM;
	return 0;
}

static cbor_item_t *slot_info_image(const struct sim_device *dev, unsigned image)
{
	cbor_item_t *img = cbor_new_indefinite_map(), *slots = cbor_new_indefinite_array();
	bool ok = img && slots && tree_put_uint(img, "image", image) == 0;

	for (int s = 0; ok && s < 2; s++) {
		int slot = (int)image * 2 + s;
		cbor_item_t *m = cbor_new_indefinite_map();

		ok = m && tree_put_uint(m, "slot", (uint64_t)s) == 0 &&
		     tree_put_uint(m, "size", dev->flash.slot_size) == 0 &&
		     (slot == sim_boot_active_slot((int)image) ||
		      tree_put_uint(m, "upload_image_id", image) == 0) &&
		     cbor_array_push(slots, m);
		if (m)
			cbor_decref(&m);
	}
	if (ok) {
		ok = tree_put_item(img, "slots", slots) == 0;
		slots = NULL;
	}
	if (slots)
		cbor_decref(&slots);
	if (!ok && img)
		cbor_decref(&img);
	return img;
}

static int img_slot_info(struct sim_req *req)
{
	/* Slot info (CONFIG_MCUMGR_GRP_IMG_SLOT_INFO) came to Zephyr well
	 * after SMP version 2: an old, v1-only server has no such handler,
	 * and an absent handler is answered with MGMT_ERR_ENOTSUP. */
	if (req->dev->cfg.v1_only)
		return MGMT_ERR_ENOTSUP;

	cbor_item_t *list = cbor_new_indefinite_array();
	bool ok = list != NULL;

	for (unsigned i = 0; ok && i < req->dev->flash.images; i++) {
		cbor_item_t *img = slot_info_image(req->dev, i);

		ok = img && cbor_array_push(list, img);
		if (img)
			cbor_decref(&img);
	}
	if (!ok) {
		if (list)
			cbor_decref(&list);
		return MGMT_ERR_ENOMEM;
	}
	return sim_rsp_put(req, "images", list) ? MGMT_ERR_ENOMEM : 0;
}

static int img_translate(uint16_t err)
{
	switch (err) {
	case IMG_ERR_NO_IMAGE:
	case IMG_ERR_NO_TLVS:
		return MGMT_ERR_ENOENT;
	case IMG_ERR_NO_FREE_SLOT:
	case IMG_ERR_CURRENT_VERSION_IS_NEWER:
	case IMG_ERR_IMAGE_ALREADY_PENDING:
		return MGMT_ERR_EBADSTATE;
	case IMG_ERR_NO_FREE_MEMORY:
		return MGMT_ERR_ENOMEM;
	case IMG_ERR_INVALID_SLOT:
	case IMG_ERR_INVALID_PAGE_OFFSET:
	case IMG_ERR_INVALID_OFFSET:
	case IMG_ERR_INVALID_LENGTH:
	case IMG_ERR_INVALID_IMAGE_HEADER:
	case IMG_ERR_INVALID_HASH:
	case IMG_ERR_INVALID_FLASH_ADDRESS:
		return MGMT_ERR_EINVAL;
	default:
		return MGMT_ERR_EUNKNOWN;
	}
}

static const struct sim_handler img_handlers[] = {
	[0] = { img_state_read, img_state_write },
	[1] = { NULL, img_upload },
	[5] = { NULL, img_erase },
	[6] = { img_slot_info, NULL },
};

const struct sim_group sim_img_group = {
	.id = SIM_GROUP_IMAGE,
	.handlers = img_handlers,
	.count = sizeof(img_handlers) / sizeof(img_handlers[0]),
	.translate = img_translate,
};
