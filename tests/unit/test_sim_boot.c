/* MCUboot in the simulated device: test, confirm, revert, permanent,
 * refused images, and state kept across simulator restarts. */
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

/* Opens a device with app_1k_unsigned.bin uploaded; old gets the hash of
 * the image that was running. */
static bool open_with_upload(struct unit_ctx *t, struct simh *h, uint8_t old[32])
{
	size_t len;
	uint8_t *img = simh_read_file(simh_image_path("app_1k_unsigned.bin"), &len);
	bool ok;

	ok = CHECK(img != NULL) && CHECK(simh_open(h)) &&
	     CHECK_INT(simh_upload(h, img, len, 700), (int64_t)len);
	free(img);
	if (!ok)
		return false;
	simh_req(h, 1, SMP_OP_READ, 1, 0, NULL);
	memcpy(old, simh_image_hash(h, 0, 0), 32);
	return true;
}

static void mark(struct simh *h, const uint8_t *hash, bool confirm)
{
	simh_req(h, 1, SMP_OP_WRITE, 1, 0,
		 hash ? simh_map("hash", cbor_build_bytestring(hash, 32), "confirm",
				 cbor_build_bool(confirm), NULL)
		      : simh_map("confirm", cbor_build_bool(confirm), NULL));
}

static void state(struct simh *h)
{
	simh_req(h, 1, SMP_OP_READ, 1, 0, NULL);
}

static bool slot_has(const struct simh *h, int slot, const uint8_t *hash)
{
	const uint8_t *got = simh_image_hash(h, 0, slot);

	return got && memcmp(got, hash, 32) == 0;
}

TEST(sim_boot_test_then_revert)
{
	struct simh h;
	uint8_t old[32];

	simh_init(&h);
	if (!open_with_upload(t, &h, old))
		return;
	mark(&h, hash_1k, false);
	simh_reset(&h);
	state(&h);
	CHECK(slot_has(&h, 0, hash_1k));
	CHECK(slot_has(&h, 1, old));
	CHECK_INT(simh_image_field(&h, 0, 0, "active"), 1);
	CHECK_INT(simh_image_field(&h, 0, 0, "confirmed"), 0);
	CHECK_INT(simh_image_field(&h, 0, 1, "confirmed"), 1);
	CHECK_INT(simh_image_field(&h, 0, 1, "pending"), 0);
	/* testing anything while running a test image is refused */
	mark(&h, old, false);
	CHECK_INT(simh_err_rc(&h), 28);
	/* no confirm: the next boot goes back */
	simh_reset(&h);
	state(&h);
	CHECK(slot_has(&h, 0, old));
	CHECK(slot_has(&h, 1, hash_1k));
	CHECK_INT(simh_image_field(&h, 0, 0, "confirmed"), 1);
	CHECK_INT(simh_image_field(&h, 0, 1, "confirmed"), 0);
	CHECK_INT(simh_image_field(&h, 0, 1, "pending"), 0);
	simh_free(&h);
}

TEST(sim_boot_test_then_confirm)
{
	struct simh h;
	uint8_t old[32];

	simh_init(&h);
	if (!open_with_upload(t, &h, old))
		return;
	mark(&h, hash_1k, false);
	simh_reset(&h);
	mark(&h, NULL, true);
	CHECK_INT(simh_image_field(&h, 0, 0, "confirmed"), 1);
	CHECK_INT(simh_image_field(&h, 0, 1, "confirmed"), 0);
	simh_reset(&h);
	state(&h);
	CHECK(slot_has(&h, 0, hash_1k));
	CHECK_INT(simh_image_field(&h, 0, 0, "confirmed"), 1);
	simh_free(&h);
}

TEST(sim_boot_permanent)
{
	struct simh h;
	uint8_t old[32];

	simh_init(&h);
	if (!open_with_upload(t, &h, old))
		return;
	mark(&h, hash_1k, true);
	CHECK_INT(simh_image_field(&h, 0, 1, "pending"), 1);
	CHECK_INT(simh_image_field(&h, 0, 1, "permanent"), 1);
	simh_reset(&h);
	simh_reset(&h);
	state(&h);
	CHECK(slot_has(&h, 0, hash_1k));
	CHECK_INT(simh_image_field(&h, 0, 0, "confirmed"), 1);
	CHECK_INT(simh_image_field(&h, 0, 1, "confirmed"), 0);
	simh_free(&h);
}

TEST(sim_boot_state_survives_restart)
{
	struct simh h;
	uint8_t old[32];

	simh_init(&h);
	if (!open_with_upload(t, &h, old))
		return;
	mark(&h, hash_1k, false);
	simh_close(&h);
	if (!CHECK(simh_open(&h)))
		return;
	/* power cycle: MCUboot ran the test swap */
	state(&h);
	CHECK(slot_has(&h, 0, hash_1k));
	CHECK_INT(simh_image_field(&h, 0, 0, "confirmed"), 0);
	simh_free(&h);
}

TEST(sim_boot_refuses_bad_image)
{
	struct simh h;
	size_t len;
	uint8_t *img = simh_read_file(simh_image_path("bad_hash_body_100k_unsigned.bin"), &len);
	uint8_t old[32], bad[32];

	simh_init(&h);
	if (!CHECK(img != NULL) || !CHECK(simh_open(&h)) ||
	    !CHECK_INT(simh_upload(&h, img, len, 1900), (int64_t)len)) {
		free(img);
		simh_free(&h);
		return;
	}
	state(&h);
	memcpy(old, simh_image_hash(&h, 0, 0), 32);
	memcpy(bad, simh_image_hash(&h, 0, 1), 32);
	mark(&h, bad, false);
	CHECK_INT(simh_image_field(&h, 0, 1, "pending"), 1);
	simh_reset(&h);
	state(&h);
	CHECK(slot_has(&h, 0, old));
	CHECK_INT(simh_image_count(&h), 1); /* MCUboot erased it */
	free(img);
	simh_free(&h);
}

TEST(sim_boot_no_downgrade)
{
	struct simh h;
	size_t len;
	uint8_t *img = simh_read_file(simh_image_path("app_100k_ed25519_v2.bin"), &len);
	uint8_t *old = simh_read_file(simh_image_path("app_100k_ed25519_v1_0_0.bin"), &len);
	uint8_t newer[32], older[32];

	simh_init(&h);
	h.cfg.no_downgrade = true;
	h.cfg.primary_image = simh_image_path("app_100k_ed25519_v2.bin");
	if (!CHECK(img && old) || !CHECK(simh_open(&h))) {
		free(img);
		free(old);
		return;
	}
	simh_req(&h, 1, SMP_OP_READ, 0, 8, simh_map("query", cbor_build_string("mode"), NULL));
	CHECK_INT(simh_int(&h, "no-downgrade"), 1);
	CHECK_INT(simh_upload(&h, old, len, 1900), (int64_t)len);
	state(&h);
	memcpy(newer, simh_image_hash(&h, 0, 0), 32);
	memcpy(older, simh_image_hash(&h, 0, 1), 32);
	mark(&h, older, false);
	simh_reset(&h);
	state(&h);
	CHECK(slot_has(&h, 0, newer));
	CHECK_INT(simh_image_count(&h), 1);
	free(img);
	free(old);
	simh_free(&h);
}
