/* The simulated device's image group: state, upload rules, erase, slot
 * info, against Zephyr's img_mgmt. */
#include <stdlib.h>
#include <string.h>

#include "tests/unit/sim_harness.h"
#include "tests/unit/unit.h"

#include "host/cbor_tree.h"

static const uint8_t hash_1k[32] = {
	0x28, 0xfc, 0xbf, 0xcd, 0x34, 0x8f, 0xeb, 0xae, 0x2b, 0x44, 0x0a,
	0x6a, 0x2b, 0x49, 0x99, 0x6b, 0x31, 0x99, 0x68, 0x54, 0xfe, 0xe2,
	0x46, 0x0b, 0x6f, 0x53, 0x1f, 0xd0, 0xa1, 0x7b, 0x33, 0xbd,
};

static uint8_t *load(const char *name, size_t *len)
{
	return simh_read_file(simh_image_path(name), len);
}

static void state_read(struct simh *h)
{
	simh_req(h, 1, SMP_OP_READ, 1, 0, NULL);
}

TEST(sim_img_state_read_fresh_device)
{
	struct simh h;
	char *ver = NULL;

	simh_init(&h);
	if (!CHECK(simh_open(&h)))
		return;
	state_read(&h);
	CHECK_INT(simh_image_count(&h), 1);
	CHECK_INT(simh_image_field(&h, 0, 0, "active"), 1);
	CHECK_INT(simh_image_field(&h, 0, 0, "confirmed"), 1);
	CHECK_INT(simh_image_field(&h, 0, 0, "pending"), 0);
	CHECK_INT(simh_image_field(&h, 0, 0, "permanent"), 0);
	CHECK_INT(simh_image_field(&h, 0, 0, "bootable"), 1);
	CHECK_INT(simh_int(&h, "splitStatus"), 0);
	/* a single-image device leaves "image" out */
	CHECK(tree_map_get(cbor_array_handle(tree_map_get(h.map, "images"))[0], "image") == NULL);
	CHECK(tree_get_text(cbor_array_handle(tree_map_get(h.map, "images"))[0], "version", &ver) ==
	      0);
	CHECK_STR(ver, "1.0.0");
	free(ver);
	CHECK(simh_image_hash(&h, 0, 0) != NULL);
	/* the payload of a read is not looked at */
	simh_req(&h, 1, SMP_OP_READ, 1, 0, cbor_build_string("junk"));
	CHECK_INT(simh_image_count(&h), 1);
	simh_free(&h);
}

TEST(sim_img_upload_whole_image)
{
	struct simh h;
	size_t len;
	uint8_t *img = load("app_1k_unsigned.bin", &len);
	char *ver = NULL;

	simh_init(&h);
	if (!CHECK(img != NULL) || !CHECK(simh_open(&h)))
		return;
	CHECK_INT(simh_upload(&h, img, len, 500), (int64_t)len);
	CHECK_INT(simh_int(&h, "match"), -1); /* IMG_ENABLE_IMAGE_CHECK is off */
	state_read(&h);
	CHECK_INT(simh_image_count(&h), 2);
	if (CHECK(simh_image_hash(&h, 0, 1) != NULL))
		CHECK_MEM(simh_image_hash(&h, 0, 1), hash_1k, 32);
	CHECK_INT(simh_image_field(&h, 0, 1, "pending"), 0);
	CHECK_INT(simh_image_field(&h, 0, 1, "confirmed"), 0);
	CHECK_INT(simh_image_field(&h, 0, 1, "active"), 0);
	CHECK(tree_get_text(cbor_array_handle(tree_map_get(h.map, "images"))[1], "version", &ver) ==
	      0);
	CHECK_STR(ver, "1.2.3.4");
	free(ver);
	free(img);
	simh_free(&h);
}

TEST(sim_img_upload_match_false_on_wrong_sha)
{
	struct simh h;
	size_t len;
	uint8_t *img = load("app_1k_unsigned.bin", &len), sha[32] = { 1 };

	simh_init(&h);
	h.cfg.image_check = true;
	if (!CHECK(img != NULL) || !CHECK(simh_open(&h)))
		return;
	simh_req(&h, 1, SMP_OP_WRITE, 1, 1,
		 simh_map("off", cbor_build_uint8(0), "len", tree_uint(len), "sha",
			  cbor_build_bytestring(sha, 32), "data", cbor_build_bytestring(img, len),
			  NULL));
	CHECK_INT(simh_int(&h, "off"), (int64_t)len);
	CHECK_INT(simh_int(&h, "match"), 0);
	free(img);
	simh_free(&h);
}

TEST(sim_img_upload_wrong_offset_and_resume)
{
	struct simh h;
	size_t len;
	uint8_t *img = load("app_100k_ed25519_v2.bin", &len), sha[32] = { 9, 9, 9 };

	simh_init(&h);
	if (!CHECK(img != NULL) || !CHECK(simh_open(&h)))
		return;
	simh_req(&h, 1, SMP_OP_WRITE, 1, 1,
		 simh_map("off", cbor_build_uint8(0), "len", tree_uint(len), "sha",
			  cbor_build_bytestring(sha, 3), "data", cbor_build_bytestring(img, 1000),
			  NULL));
	CHECK_INT(simh_int(&h, "off"), 1000);
	/* a chunk at the wrong offset is dropped, answered rc 0 with the offset */
	simh_req(&h, 1, SMP_OP_WRITE, 1, 1,
		 simh_map("off", tree_uint(5000), "data", cbor_build_bytestring(img + 5000, 100),
			  NULL));
	CHECK_INT(simh_int(&h, "off"), 1000);
	CHECK_INT(simh_int(&h, "rc"), -1);
	CHECK_INT(simh_err_rc(&h), -1);
	simh_req(&h, 1, SMP_OP_WRITE, 1, 1,
		 simh_map("off", tree_uint(1000), "data", cbor_build_bytestring(img + 1000, 1000),
			  NULL));
	CHECK_INT(simh_int(&h, "off"), 2000);
	/* off 0 with the same (trimmed) sha resumes: the stored offset */
	simh_req(&h, 1, SMP_OP_WRITE, 1, 1,
		 simh_map("off", cbor_build_uint8(0), "len", tree_uint(len), "sha",
			  cbor_build_bytestring(sha, 3), "data", cbor_build_bytestring(img, 1000),
			  NULL));
	CHECK_INT(simh_int(&h, "off"), 2000);
	/* a different sha restarts */
	sha[0] = 1;
	simh_req(&h, 1, SMP_OP_WRITE, 1, 1,
		 simh_map("off", cbor_build_uint8(0), "len", tree_uint(len), "sha",
			  cbor_build_bytestring(sha, 3), "data", cbor_build_bytestring(img, 1000),
			  NULL));
	CHECK_INT(simh_int(&h, "off"), 1000);
	/* after a reboot the upload is forgotten: a continuation gets off 0 */
	simh_reset(&h);
	simh_req(&h, 1, SMP_OP_WRITE, 1, 1,
		 simh_map("off", tree_uint(1000), "data", cbor_build_bytestring(img + 1000, 1000),
			  NULL));
	CHECK_INT(simh_int(&h, "off"), 0);
	free(img);
	simh_free(&h);
}

/* First-chunk request with a caller-chosen data prefix. */
static void first_chunk(struct simh *h, uint8_t version, const uint8_t *data, size_t n,
			uint64_t len, bool upgrade)
{
	simh_req(h, version, SMP_OP_WRITE, 1, 1,
		 simh_map("off", cbor_build_uint8(0), "len", tree_uint(len), "data",
			  cbor_build_bytestring(data, n), "upgrade", cbor_build_bool(upgrade),
			  NULL));
}

TEST(sim_img_upload_refusals)
{
	struct simh h;
	size_t len, len1;
	uint8_t *img = load("app_100k_ed25519_v2.bin", &len);
	uint8_t *old = load("app_100k_ed25519_v1_0_0.bin", &len1);
	uint8_t bad[64];

	simh_init(&h);
	if (!CHECK(img && old) || !CHECK(simh_open(&h)))
		return;
	memcpy(bad, img, sizeof(bad));
	bad[0] ^= 1;
	first_chunk(&h, 1, img, 31, len, false);
	CHECK_INT(simh_err_rc(&h), 22); /* INVALID_IMAGE_HEADER */
	CHECK_INT(simh_err_group(&h), 1);
	first_chunk(&h, 0, img, 31, len, false);
	CHECK_INT(simh_int(&h, "rc"), 3); /* v1: EINVAL */
	simh_req(&h, 1, SMP_OP_WRITE, 1, 1,
		 simh_map("off", cbor_build_uint8(0), "data", cbor_build_bytestring(img, 100),
			  NULL));
	CHECK_INT(simh_err_rc(&h), 21); /* INVALID_LENGTH */
	simh_req(&h, 1, SMP_OP_WRITE, 1, 1,
		 simh_map("len", tree_uint(len), "data", cbor_build_bytestring(img, 100), NULL));
	CHECK_INT(simh_err_rc(&h), 20); /* INVALID_OFFSET */
	first_chunk(&h, 1, bad, sizeof(bad), len, false);
	CHECK_INT(simh_err_rc(&h), 23); /* INVALID_IMAGE_HEADER_MAGIC */
	first_chunk(&h, 0, bad, sizeof(bad), len, false);
	CHECK_INT(simh_int(&h, "rc"), 1); /* v1: EUNKNOWN */
	first_chunk(&h, 1, img, 100, 0x110001, false);
	CHECK_INT(simh_err_rc(&h), 30); /* INVALID_IMAGE_TOO_LARGE */
	first_chunk(&h, 1, old, 100, len1, true);
	CHECK_INT(simh_err_rc(&h), 27); /* CURRENT_VERSION_IS_NEWER (1.0.0 runs) */
	first_chunk(&h, 0, old, 100, len1, true);
	CHECK_INT(simh_int(&h, "rc"), 6); /* v1: EBADSTATE */
	first_chunk(&h, 1, img, 100, 150, true);
	CHECK_INT(simh_int(&h, "off"), 100);
	/* data past len: overrun, and the upload is dropped */
	simh_req(&h, 1, SMP_OP_WRITE, 1, 1,
		 simh_map("off", cbor_build_uint8(100), "data", cbor_build_bytestring(img, 51),
			  NULL));
	CHECK_INT(simh_err_rc(&h), 31);
	simh_req(&h, 1, SMP_OP_WRITE, 1, 1,
		 simh_map("off", cbor_build_uint8(100), "data", cbor_build_bytestring(img, 10),
			  NULL));
	CHECK_INT(simh_int(&h, "off"), 0);
	/* wrong types for known keys */
	simh_req(&h, 1, SMP_OP_WRITE, 1, 1,
		 simh_map("off", cbor_build_string("0"), "data", cbor_build_bytestring(img, 64),
			  NULL));
	CHECK_INT(simh_int(&h, "rc"), 3);
	simh_req(&h, 1, SMP_OP_WRITE, 1, 1,
		 simh_map("off", cbor_build_negint8(0), "data", cbor_build_bytestring(img, 64),
			  NULL));
	CHECK_INT(simh_int(&h, "rc"), 3);
	free(img);
	free(old);
	simh_free(&h);
}

TEST(sim_img_upload_delay_marks_busy)
{
	struct simh h;
	size_t len;
	uint8_t *img = load("app_1k_unsigned.bin", &len);

	simh_init(&h);
	h.cfg.erase_delay_ms = 700;
	if (!CHECK(img != NULL) || !CHECK(simh_open(&h)))
		return;
	CHECK(sim_device_busy_until(h.dev) <= h.now);
	first_chunk(&h, 1, img, 100, len, false);
	CHECK_INT(sim_device_busy_until(h.dev), h.now + 700);
	free(img);
	simh_free(&h);
}

TEST(sim_img_state_write_refusals)
{
	struct simh h;
	size_t len;
	uint8_t *img = load("app_1k_unsigned.bin", &len), zero[32] = { 0 }, active[32];

	simh_init(&h);
	h.cfg.allow_erase_pending = false;
	if (!CHECK(img != NULL) || !CHECK(simh_open(&h)))
		return;
	state_read(&h);
	memcpy(active, simh_image_hash(&h, 0, 0), 32);
	simh_req(&h, 1, SMP_OP_WRITE, 1, 0, simh_map("confirm", cbor_build_bool(false), NULL));
	CHECK_INT(simh_err_rc(&h), 24); /* INVALID_HASH: test without hash */
	simh_req(&h, 1, SMP_OP_WRITE, 1, 0,
		 simh_map("hash", cbor_build_bytestring(zero, 31), NULL));
	CHECK_INT(simh_err_rc(&h), 24);
	simh_req(&h, 1, SMP_OP_WRITE, 1, 0,
		 simh_map("hash", cbor_build_bytestring(zero, 32), NULL));
	CHECK_INT(simh_err_rc(&h), 8); /* HASH_NOT_FOUND */
	simh_req(&h, 0, SMP_OP_WRITE, 1, 0,
		 simh_map("hash", cbor_build_bytestring(zero, 32), NULL));
	CHECK_INT(simh_int(&h, "rc"), 1);
	simh_req(&h, 1, SMP_OP_WRITE, 1, 0,
		 simh_map("hash", cbor_build_bytestring(active, 32), NULL));
	CHECK_INT(simh_err_rc(&h), 33); /* SETTING_TEST_TO_ACTIVE_DENIED */
	/* confirming what already runs confirmed: fine, answered with the list */
	simh_req(&h, 1, SMP_OP_WRITE, 1, 0, simh_map("confirm", cbor_build_bool(true), NULL));
	CHECK_INT(simh_image_count(&h), 1);
	CHECK_INT(simh_upload(&h, img, len, 4096), (int64_t)len);
	simh_req(&h, 1, SMP_OP_WRITE, 1, 0,
		 simh_map("hash", cbor_build_bytestring(hash_1k, 32), NULL));
	CHECK_INT(simh_image_field(&h, 0, 1, "pending"), 1);
	CHECK_INT(simh_image_field(&h, 0, 1, "permanent"), 0);
	/* testing again is fine; confirming the running image is not */
	simh_req(&h, 1, SMP_OP_WRITE, 1, 0,
		 simh_map("hash", cbor_build_bytestring(hash_1k, 32), NULL));
	CHECK_INT(simh_image_field(&h, 0, 1, "pending"), 1);
	simh_req(&h, 1, SMP_OP_WRITE, 1, 0, simh_map("confirm", cbor_build_bool(true), NULL));
	CHECK_INT(simh_err_rc(&h), 28); /* IMAGE_ALREADY_PENDING */
	/* nothing more can be uploaded or erased while an image is pending */
	simh_req(&h, 1, SMP_OP_WRITE, 1, 1,
		 simh_map("off", cbor_build_uint8(0), "len", tree_uint(len), "data",
			  cbor_build_bytestring(img, 64), NULL));
	CHECK_INT(simh_err_rc(&h), 9); /* NO_FREE_SLOT */
	simh_req(&h, 1, SMP_OP_WRITE, 1, 5, simh_map(NULL));
	CHECK_INT(simh_err_rc(&h), 9);
	simh_req(&h, 0, SMP_OP_WRITE, 1, 5, simh_map(NULL));
	CHECK_INT(simh_int(&h, "rc"), 6);
	/* no payload at all is not a map: EINVAL */
	simh_req(&h, 1, SMP_OP_WRITE, 1, 5, NULL);
	CHECK_INT(simh_int(&h, "rc"), 3);
	free(img);
	simh_free(&h);
}

TEST(sim_img_erase)
{
	struct simh h;
	size_t len;
	uint8_t *img = load("app_1k_unsigned.bin", &len);

	simh_init(&h);
	if (!CHECK(img != NULL) || !CHECK(simh_open(&h)))
		return;
	CHECK_INT(simh_upload(&h, img, len, 4096), (int64_t)len);
	simh_req(&h, 1, SMP_OP_WRITE, 1, 5, simh_map("slot", cbor_build_uint8(0), NULL));
	CHECK_INT(simh_err_rc(&h), 9); /* the running slot */
	simh_req(&h, 1, SMP_OP_WRITE, 1, 5, simh_map("slot", cbor_build_uint8(7), NULL));
	CHECK(simh_err_rc(&h) > 0);
	simh_req(&h, 1, SMP_OP_WRITE, 1, 5, simh_map("slot", cbor_build_string("1"), NULL));
	CHECK_INT(simh_int(&h, "rc"), 3);
	simh_req(&h, 1, SMP_OP_WRITE, 1, 5, simh_map(NULL));
	CHECK_INT(cbor_map_size(h.map), 0);
	state_read(&h);
	CHECK_INT(simh_image_count(&h), 1);
	free(img);
	simh_free(&h);
}

TEST(sim_img_legacy_rc)
{
	struct simh h;
	size_t len;
	uint8_t *img = load("app_1k_unsigned.bin", &len);

	simh_init(&h);
	h.cfg.legacy_rc = true;
	if (!CHECK(img != NULL) || !CHECK(simh_open(&h)))
		return;
	first_chunk(&h, 1, img, 100, len, false);
	CHECK_INT(simh_int(&h, "rc"), 0);
	CHECK_INT(simh_int(&h, "off"), 100);
	free(img);
	simh_free(&h);
}

TEST(sim_img_slot_info)
{
	struct simh h;
	cbor_item_t *images, *slots;

	simh_init(&h);
	if (!CHECK(simh_open(&h)))
		return;
	simh_req(&h, 1, SMP_OP_READ, 1, 6, NULL);
	images = tree_map_get(h.map, "images");
	if (!CHECK(images && cbor_array_size(images) == 1))
		return;
	slots = tree_map_get(cbor_array_handle(images)[0], "slots");
	if (CHECK(slots && cbor_array_size(slots) == 2)) {
		uint64_t v;

		CHECK(tree_get_uint(cbor_array_handle(slots)[0], "size", &v) == 0 && v == 0x110000);
		CHECK(tree_map_get(cbor_array_handle(slots)[0], "upload_image_id") == NULL);
		CHECK(tree_get_uint(cbor_array_handle(slots)[1], "upload_image_id", &v) == 0 &&
		      v == 0);
	}
	simh_free(&h);
}

TEST(sim_img_two_images)
{
	struct simh h;
	size_t len;
	uint8_t *img = load("app_1k_unsigned.bin", &len);

	simh_init(&h);
	h.cfg.images = 2;
	if (!CHECK(img != NULL) || !CHECK(simh_open(&h)))
		return;
	simh_req(&h, 1, SMP_OP_WRITE, 1, 1,
		 simh_map("image", cbor_build_uint8(1), "off", cbor_build_uint8(0), "len",
			  tree_uint(len), "data", cbor_build_bytestring(img, len), NULL));
	CHECK_INT(simh_int(&h, "off"), (int64_t)len);
	state_read(&h);
	CHECK_INT(simh_image_field(&h, 0, 0, "image"), 0);
	CHECK_INT(simh_image_field(&h, 1, 1, "image"), 1);
	CHECK_INT(simh_image_field(&h, 1, 1, "slot"), 1);
	/* the secondary slot of image 1 may be confirmed (permanent) */
	simh_req(&h, 1, SMP_OP_WRITE, 1, 0,
		 simh_map("hash", cbor_build_bytestring(hash_1k, 32), "confirm",
			  cbor_build_bool(true), NULL));
	CHECK_INT(simh_image_field(&h, 1, 1, "permanent"), 1);
	simh_reset(&h);
	state_read(&h);
	if (CHECK(simh_image_hash(&h, 1, 0) != NULL))
		CHECK_MEM(simh_image_hash(&h, 1, 0), hash_1k, 32);
	CHECK_INT(simh_image_field(&h, 1, 0, "confirmed"), 1);
	free(img);
	simh_free(&h);
}

TEST(sim_img_image_check_match_and_skip)
{
	struct simh h;
	size_t len;
	uint8_t *img = load("app_1k_unsigned.bin", &len);

	simh_init(&h);
	h.cfg.image_check = true;
	if (!CHECK(img != NULL) || !CHECK(simh_open(&h)))
		return;
	CHECK_INT(simh_upload(&h, img, len, 500), (int64_t)len);
	CHECK_INT(simh_int(&h, "match"), 1);
	/* the same data again: answered done at once from the first chunk */
	CHECK_INT(simh_upload(&h, img, len, 500), (int64_t)len);
	CHECK_INT(simh_int(&h, "match"), 1);
	free(img);
	simh_free(&h);
}

TEST(sim_img_pending_slot_may_be_replaced)
{
	struct simh h;
	size_t len;
	uint8_t *img = load("app_1k_unsigned.bin", &len);

	simh_init(&h); /* CONFIG_MCUMGR_GRP_IMG_ALLOW_ERASE_PENDING=y, Zephyr's default */
	if (!CHECK(img != NULL) || !CHECK(simh_open(&h)))
		return;
	CHECK_INT(simh_upload(&h, img, len, 4096), (int64_t)len);
	simh_req(&h, 1, SMP_OP_WRITE, 1, 0,
		 simh_map("hash", cbor_build_bytestring(hash_1k, 32), NULL));
	CHECK_INT(simh_image_field(&h, 0, 1, "pending"), 1);
	/* an upload over it starts afresh and clears the pending mark */
	CHECK_INT(simh_upload(&h, img, len, 4096), (int64_t)len);
	state_read(&h);
	CHECK_INT(simh_image_field(&h, 0, 1, "pending"), 0);
	simh_req(&h, 1, SMP_OP_WRITE, 1, 0,
		 simh_map("hash", cbor_build_bytestring(hash_1k, 32), NULL));
	simh_req(&h, 1, SMP_OP_WRITE, 1, 5, simh_map(NULL));
	CHECK_INT(cbor_map_size(h.map), 0);
	state_read(&h);
	CHECK_INT(simh_image_count(&h), 1);
	/* a running test image's fallback (revert) cannot be erased */
	CHECK_INT(simh_upload(&h, img, len, 4096), (int64_t)len);
	simh_req(&h, 1, SMP_OP_WRITE, 1, 0,
		 simh_map("hash", cbor_build_bytestring(hash_1k, 32), NULL));
	simh_reset(&h);
	simh_req(&h, 1, SMP_OP_WRITE, 1, 5, simh_map(NULL));
	CHECK_INT(simh_err_rc(&h), 9);
	free(img);
	simh_free(&h);
}
