/* smp-simdev --device PROFILE and --describe (tests/sim/sim_cli.c and
 * sim_profile.c): the table, the values each profile stands for, and
 * options that override a profile wherever they stand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/sim/sim_cli.h"
#include "tests/unit/unit.h"

#define DESC_MAX 2048

/* Parses argv (NULL-terminated, without the program name) and fills out
 * with --describe's text. Returns sim_cli_parse's result. */
static int describe(const char *const *args, char *out, size_t cap)
{
	char *argv[32];
	int argc = 0, rc;
	struct sim_cli c;

	argv[argc++] = (char *)"smp-simdev";
	for (; *args && argc < 31; args++)
		argv[argc++] = (char *)*args;
	argv[argc] = NULL;
	out[0] = 0;
	if (sim_cli_init(&c) != 0) {
		sim_cli_free(&c);
		return -1;
	}
	rc = sim_cli_parse(&c, argc, argv);
	if (rc == 0)
		sim_cli_describe(&c, out, cap);
	sim_cli_free(&c);
	return rc;
}

/* The value of key in describe's text, or NULL. */
static const char *value_of(const char *desc, const char *key, char *buf, size_t cap)
{
	size_t klen = strlen(key);

	for (const char *p = desc; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (!strncmp(p, key, klen) && p[klen] == '=') {
			const char *v = p + klen + 1, *end = strchr(v, '\n');
			size_t n = end ? (size_t)(end - v) : strlen(v);

			if (n >= cap)
				n = cap - 1;
			memcpy(buf, v, n);
			buf[n] = 0;
			return buf;
		}
	}
	return NULL;
}

static bool has(struct unit_ctx *t, const char *desc, const char *key, const char *want)
{
	char buf[64];
	const char *v = value_of(desc, key, buf, sizeof(buf));

	if (!v) {
		CHECK_STR(key, "(missing from --describe)");
		return false;
	}
	return CHECK_STR(v, want);
}

struct expect {
	const char *profile, *key, *value;
};

/* What each profile stands for (sources in tests/sim/sim_profile.c). */
static const struct expect expected[] = {
	{ "zephyr-udp", "transport", "udp" },
	{ "zephyr-udp", "buf_size", "2048" },
	{ "zephyr-udp", "buf_count", "2" },
	{ "zephyr-udp", "udp_mtu", "1500" },
	{ "zephyr-udp", "erase_progressive", "0" },
	{ "zephyr-udp-4", "buf_count", "4" },
	{ "zephyr-shell", "serial_mode", "shell" },
	{ "zephyr-shell", "buf_size", "384" },
	{ "zephyr-shell", "buf_count", "4" },
	{ "zephyr-shell", "poll_ms", "10" },
	{ "zephyr-shell", "frame_bufs", "2" },
	{ "zephyr-shell", "frame_size", "127" },
	{ "zephyr-shell", "baud", "0" },
	{ "zephyr-uart", "serial_mode", "uart" },
	{ "zephyr-uart", "baud", "115200" },
	{ "zephyr-uart", "frame_size", "128" },
	{ "zephyr-ble", "att_mtu", "252" },
	{ "zephyr-ble", "buf_size", "384" },
	{ "ncs-ble-speedup", "att_mtu", "498" },
	{ "ncs-ble-speedup", "buf_size", "2475" },
	{ "ncs-ble-speedup", "buf_count", "4" },
	{ "ncs-ble-speedup", "erase_progressive", "1" },
	{ "mcuboot-recovery", "serial_mode", "recovery" },
	{ "mcuboot-recovery", "baud", "115200" },
};

TEST(sim_profile_values)
{
	char desc[DESC_MAX];

	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		const char *args[] = { "--device", expected[i].profile, NULL };

		if (!CHECK_INT(describe(args, desc, sizeof(desc)), 0))
			continue;
		has(t, desc, "profile", expected[i].profile);
		if (!has(t, desc, expected[i].key, expected[i].value))
			printf("    (profile %s)\n", expected[i].profile);
	}
}

/* Every profile the issue names exists, applies cleanly, carries the
 * nRF flash timing and prints every documented key. */
TEST(sim_profile_table_and_keys)
{
	static const char *const names[] = { "zephyr-udp",	"zephyr-udp-4", "zephyr-shell",
					     "zephyr-uart",	"zephyr-ble",	"ncs-ble-speedup",
					     "mcuboot-recovery" };
	static const char *const keys[] = {
		"profile",     "transport",	    "buf_size",		 "buf_count",
		"workers",     "request_us",	    "write_ns_per_byte", "erase_us_per_sector",
		"sector_size", "erase_progressive", "udp_mtu",		 "serial_mode",
		"baud",	       "poll_ms",	    "frame_bufs",	 "frame_size",
		"att_mtu",
	};
	char desc[DESC_MAX], buf[64];
	size_t n = 0;

	while (sim_profile_at(n))
		n++;
	CHECK_INT(n, sizeof(names) / sizeof(names[0]));
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *args[] = { "--device", names[i], NULL };

		if (!CHECK(sim_profile_find(names[i]) != NULL) ||
		    !CHECK_INT(describe(args, desc, sizeof(desc)), 0))
			continue;
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (!CHECK(value_of(desc, keys[k], buf, sizeof(buf)) != NULL))
				printf("    (%s: no %s)\n", names[i], keys[k]);
		has(t, desc, "write_ns_per_byte", "10250");
		has(t, desc, "erase_us_per_sector", "89700");
		has(t, desc, "sector_size", "4096");
		has(t, desc, "workers", "1");
	}
}

/* Without a profile: Zephyr's pool and one worker, but no flash time, so
 * that the test suite stays fast. */
TEST(sim_profile_default_is_strict_but_fast)
{
	const char *args[] = { NULL };
	char desc[DESC_MAX];

	if (!CHECK_INT(describe(args, desc, sizeof(desc)), 0))
		return;
	has(t, desc, "profile", "none");
	has(t, desc, "buf_count", "2");
	has(t, desc, "workers", "1");
	has(t, desc, "write_ns_per_byte", "0");
	has(t, desc, "erase_us_per_sector", "0");
}

/* Options override the profile before or after --device. */
TEST(sim_profile_options_override)
{
	const char *after[] = { "--device", "zephyr-shell", "--poll-ms", "0",
				"--baud",   "115200",	    NULL };
	const char *before[] = { "--buf-count", "7", "--device", "zephyr-udp", NULL };
	const char *eq[] = { "--device=zephyr-ble", "--att-mtu", "100", "--erase",
			     "progressive",	    NULL };
	const char *same_mode[] = { "--device", "zephyr-shell", "--shell", NULL };
	char desc[DESC_MAX];

	if (CHECK_INT(describe(after, desc, sizeof(desc)), 0)) {
		has(t, desc, "poll_ms", "0");
		has(t, desc, "baud", "115200");
		has(t, desc, "frame_bufs", "2"); /* the rest stays */
	}
	if (CHECK_INT(describe(before, desc, sizeof(desc)), 0)) {
		has(t, desc, "buf_count", "7");
		has(t, desc, "buf_size", "2048");
	}
	if (CHECK_INT(describe(eq, desc, sizeof(desc)), 0)) {
		has(t, desc, "att_mtu", "100");
		has(t, desc, "erase_progressive", "1");
	}
	CHECK_INT(describe(same_mode, desc, sizeof(desc)), 0);
}

TEST(sim_profile_rejects_bad_input)
{
	const char *unknown[] = { "--device", "zephyr-nope", NULL };
	const char *missing[] = { "--device", NULL };
	const char *bad_erase[] = { "--erase", "sometimes", NULL };
	const char *bad_sector[] = { "--sector-size", "3000", NULL };
	const char *bad_frames[] = { "--frame-bufs", "0", NULL };
	char desc[DESC_MAX];

	CHECK_INT(describe(unknown, desc, sizeof(desc)), 2);
	CHECK_INT(describe(missing, desc, sizeof(desc)), 2);
	CHECK_INT(describe(bad_erase, desc, sizeof(desc)), 2);
	CHECK_INT(describe(bad_sector, desc, sizeof(desc)), 2);
	CHECK_INT(describe(bad_frames, desc, sizeof(desc)), 2);
}
