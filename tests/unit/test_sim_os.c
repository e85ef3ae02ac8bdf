/* The simulated device's OS group against Zephyr's os_mgmt.c. */
#include <stdlib.h>
#include <string.h>

#include "tests/unit/sim_harness.h"
#include "tests/unit/unit.h"

#include "host/cbor_tree.h"

static char *text_of(const struct simh *h, const char *key)
{
	char *s = NULL;

	if (!h->map || tree_get_text(h->map, key, &s) != 0)
		return NULL;
	return s;
}

static void check_info(struct unit_ctx *t, struct simh *h, const char *fmt, const char *want)
{
	char *out;

	simh_req(h, 1, SMP_OP_READ, 0, 7,
		 fmt ? simh_map("format", cbor_build_string(fmt), NULL) : NULL);
	out = text_of(h, "output");
	CHECK_STR(out, want);
	free(out);
}

TEST(sim_os_info_formats)
{
	struct simh h;

	simh_init(&h);
	if (!CHECK(simh_open(&h)))
		return;
	check_info(t, &h, NULL, NULL); /* no payload: not a map, EINVAL */
	CHECK_INT(simh_int(&h, "rc"), 3);
	check_info(t, &h, "", "Zephyr");
	check_info(t, &h, "s", "Zephyr");
	check_info(t, &h, "vs", "Zephyr 3.7.0");
	check_info(t, &h, "a", "Zephyr unknown v3.7.0 3.7.0 arm cortex-m4 nrf52840dk Zephyr");
	/* 'b' needs CONFIG_MCUMGR_GRP_OS_INFO_BUILD_DATE_TIME, off by default */
	check_info(t, &h, "sb", NULL);
	CHECK_INT(simh_err_rc(&h), 2);
	simh_free(&h);
}

TEST(sim_os_bootloader_info)
{
	struct simh h;
	char *s;

	simh_init(&h);
	h.cfg.boot_mode = SIM_BOOT_SWAP_MOVE;
	if (!CHECK(simh_open(&h)))
		return;
	simh_req(&h, 1, SMP_OP_READ, 0, 8, simh_map(NULL));
	s = text_of(&h, "bootloader");
	CHECK_STR(s, "MCUboot");
	free(s);
	simh_req(&h, 1, SMP_OP_READ, 0, 8, simh_map("query", cbor_build_string("mode"), NULL));
	CHECK_INT(simh_int(&h, "mode"), 3);
	CHECK_INT(simh_int(&h, "no-downgrade"), -1);
	simh_req(&h, 1, SMP_OP_READ, 0, 8, simh_map("query", cbor_build_string("what"), NULL));
	CHECK_INT(simh_int(&h, "rc"), 3);
	simh_free(&h);
}

TEST(sim_os_datetime)
{
	struct simh h;
	char *s;

	simh_init(&h);
	if (!CHECK(simh_open(&h)))
		return;
	simh_req(&h, 1, SMP_OP_READ, 0, 4, NULL);
	CHECK_INT(simh_err_group(&h), 0);
	CHECK_INT(simh_err_rc(&h), 4); /* RTC not set */
	simh_req(&h, 0, SMP_OP_READ, 0, 4, NULL);
	CHECK_INT(simh_int(&h, "rc"), 5); /* ENOENT for a v1 client */
	simh_req(&h, 1, SMP_OP_WRITE, 0, 4,
		 simh_map("datetime", cbor_build_string("2030-02-31T10:00:00"), NULL));
	CHECK_INT(simh_err_rc(&h), 5); /* no such day: RTC refuses */
	simh_req(&h, 1, SMP_OP_WRITE, 0, 4,
		 simh_map("datetime", cbor_build_string("2030-13-01T10:00:00"), NULL));
	CHECK_INT(simh_int(&h, "rc"), 3);
	simh_req(&h, 1, SMP_OP_WRITE, 0, 4,
		 simh_map("datetime", cbor_build_string("2030-01-01"), NULL));
	CHECK_INT(simh_int(&h, "rc"), 3);
	simh_req(&h, 1, SMP_OP_WRITE, 0, 4,
		 simh_map("datetime", cbor_build_string("2030-06-15T10:20:30+02:00"), NULL));
	CHECK_INT(simh_int(&h, "rc"), -1);
	CHECK_INT(simh_err_rc(&h), -1);
	simh_req(&h, 1, SMP_OP_READ, 0, 4, NULL);
	s = text_of(&h, "datetime");
	CHECK(s && strncmp(s, "2030-06-15T10:2", 15) == 0 && strlen(s) == 19);
	free(s);
	simh_free(&h);
}

TEST(sim_os_reset_goes_offline)
{
	struct simh h;

	simh_init(&h);
	if (!CHECK(simh_open(&h)))
		return;
	CHECK_INT(sim_device_boot_count(h.dev), 1);
	CHECK_INT(simh_req(&h, 1, SMP_OP_WRITE, 0, 5,
			   simh_map("force", cbor_build_bool(true), NULL)),
		  1);
	CHECK_INT(cbor_map_size(h.map), 0);
	/* still up until the reset delay has passed */
	CHECK_INT(simh_req(&h, 1, SMP_OP_READ, 0, 6, NULL), 1);
	simh_advance(&h, h.cfg.reset_delay_ms);
	CHECK(sim_device_offline(h.dev));
	CHECK_INT(simh_req(&h, 1, SMP_OP_READ, 0, 6, NULL), 0);
	CHECK_INT(sim_device_boot_count(h.dev), 2);
	simh_advance(&h, h.cfg.reset_offline_ms);
	CHECK(!sim_device_offline(h.dev));
	CHECK_INT(simh_req(&h, 1, SMP_OP_READ, 0, 6, NULL), 1);
	/* undecodable arguments are ignored */
	CHECK_INT(simh_req(&h, 1, SMP_OP_WRITE, 0, 5,
			   simh_map("force", cbor_build_string("yes"), NULL)),
		  1);
	CHECK_INT(cbor_map_size(h.map), 0);
	simh_free(&h);
}

TEST(sim_os_taskstat_and_params)
{
	struct simh h;
	cbor_item_t *tasks, *idle;

	simh_init(&h);
	h.cfg.buf_size = 1024;
	h.cfg.buf_count = 5;
	if (!CHECK(simh_open(&h)))
		return;
	simh_req(&h, 1, SMP_OP_READ, 0, 6, NULL);
	CHECK_INT(simh_int(&h, "buf_size"), 1024);
	CHECK_INT(simh_int(&h, "buf_count"), 5);
	simh_req(&h, 1, SMP_OP_READ, 0, 2, NULL);
	tasks = h.map ? tree_map_get(h.map, "tasks") : NULL;
	idle = tasks ? tree_map_get(tasks, "idle") : NULL;
	if (CHECK(idle != NULL)) {
		uint64_t v;

		CHECK(tree_get_uint(idle, "stksiz", &v) == 0 && v > 0);
		CHECK(tree_get_uint(idle, "tid", &v) == 0);
	}
	simh_free(&h);
}
