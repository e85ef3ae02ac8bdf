/* The --ble plumbing that needs no radio: address parsing, advertising
 * data, the simulator path's errors, and the kernel path's messages on a
 * machine without Bluetooth. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "transport/ble.h"

#define BYTES(...) ((const uint8_t[]){ __VA_ARGS__ })
#define NBYTES(...) sizeof((const uint8_t[]){ __VA_ARGS__ })
#define AD(d, ...) ble_ad_parse(BYTES(__VA_ARGS__), NBYTES(__VA_ARGS__), (d))

#define SMP_SVC_LE                                                                                \
	0x84, 0xAA, 0x60, 0x74, 0x52, 0x8A, 0x8B, 0x86, 0xD3, 0x4C, 0xB7, 0x1D, 0x1D, 0xDC, 0x53, \
		0x8D

TEST(ble_address_parsing)
{
	uint8_t a[6];

	CHECK(ble_parse_address("C4:2F:0a:11:22:FF", a));
	CHECK_MEM(a, BYTES(0xC4, 0x2F, 0x0A, 0x11, 0x22, 0xFF), 6);
	CHECK(!ble_parse_address("C4:2F:0A:11:22", a));
	CHECK(!ble_parse_address("C4:2F:0A:11:22:FF:00", a));
	CHECK(!ble_parse_address("C4-2F-0A-11-22-FF", a));
	CHECK(!ble_parse_address("C4:2F:0A:11:22:FG", a));
	CHECK(!ble_parse_address("C4:2F:0A:1:122:FF", a));
	CHECK(!ble_parse_address(" 4:2F:0A:11:22:FF", a));
	CHECK(!ble_parse_address("my-device", NULL));
	CHECK(!ble_parse_address(NULL, NULL));
}

TEST(ble_advertising_data)
{
	struct ble_device d = { 0 };

	/* What Zephyr's smp_svr advertises: flags and the SMP service. */
	AD(&d, 0x02, 0x01, 0x06, 0x11, 0x07, SMP_SVC_LE);
	CHECK(d.smp);
	CHECK_STR(d.name, "");
	/* Its scan response: the name. A shortened name does not replace a
	 * complete one. */
	AD(&d, 0x0B, 0x09, 'Z', 'e', 'p', 'h', 'y', 'r', ' ', 'S', 'M', 'P');
	CHECK_STR(d.name, "Zephyr SMP");
	AD(&d, 0x04, 0x08, 'Z', 'e', 'p');
	CHECK_STR(d.name, "Zephyr SMP");

	memset(&d, 0, sizeof(d));
	AD(&d, 0x04, 0x08, 'Z', 'e', 'p');
	CHECK_STR(d.name, "Zep");
	/* Another 128-bit service, then SMP second in the list. */
	AD(&d, 0x21, 0x06, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, SMP_SVC_LE);
	CHECK(d.smp);

	memset(&d, 0, sizeof(d));
	/* Control characters in a name do not reach the terminal. */
	AD(&d, 0x04, 0x09, 'a', 0x1B, 'b');
	CHECK_STR(d.name, "a?b");
	/* Malformed: a length past the end, a zero length (padding), a
	 * partial UUID. None crash; what comes before them counts. */
	memset(&d, 0, sizeof(d));
	AD(&d, 0x03, 0x09, 'o', 'k', 0x20, 0x07, SMP_SVC_LE);
	CHECK_STR(d.name, "ok");
	CHECK(!d.smp);
	AD(&d, 0x00, 0x11, 0x07, SMP_SVC_LE);
	CHECK(!d.smp);
	AD(&d, 0x0A, 0x07, 0x84, 0xAA, 0x60, 0x74, 0x52, 0x8A, 0x8B, 0x86, 0xD3);
	CHECK(!d.smp);
	ble_ad_parse(NULL, 0, &d);
	CHECK_STR(d.name, "ok");
}

TEST(ble_open_simulator_path_errors)
{
	struct ble_opts o = { .target = "unix:/nonexistent/att.sock" };
	struct smp_link tr = { 0 };
	char err[512] = "", longpath[200];

	CHECK_INT(ble_transport_open(&tr, &o, err, sizeof(err)), -1);
	CHECK_STR(err, "no simulated device at /nonexistent/att.sock: No such file or directory");
	o.target = "unix:";
	CHECK_INT(ble_transport_open(&tr, &o, err, sizeof(err)), -1);
	CHECK(strstr(err, "path is empty") != NULL);
	snprintf(longpath, sizeof(longpath), "unix:/%0150d", 0);
	o.target = longpath;
	CHECK_INT(ble_transport_open(&tr, &o, err, sizeof(err)), -1);
	CHECK(strstr(err, "too long") != NULL);
	o.target = "";
	CHECK_INT(ble_transport_open(&tr, &o, err, sizeof(err)), -1);
	CHECK(strstr(err, "needs a device address") != NULL);
	CHECK(tr.ops == NULL);
}

static bool no_bluetooth_here(void)
{
	struct stat st;

	return stat("/sys/class/bluetooth", &st) != 0;
}

TEST(ble_kernel_path_without_bluetooth)
{
	struct ble_opts o = { .target = "C4:2F:0A:11:22:33", .hci = 0 };
	struct ble_scan_result *res = malloc(sizeof(*res));
	struct smp_link tr = { 0 };
	char err[512] = "";

	/* Only meaningful where the kernel has no Bluetooth (build hosts). */
	if (!no_bluetooth_here() || !CHECK(res != NULL)) {
		free(res);
		return;
	}
	CHECK_INT(ble_transport_open(&tr, &o, err, sizeof(err)), -1);
	CHECK(strstr(err, "Bluetooth is not available on this system") != NULL);
	o.target = "my-device";
	err[0] = 0;
	CHECK_INT(ble_transport_open(&tr, &o, err, sizeof(err)), -1);
	CHECK(strstr(err, "Bluetooth is not available on this system") != NULL);
	err[0] = 0;
	CHECK_INT(ble_scan(0, 100, NULL, NULL, res, err, sizeof(err)), -1);
	CHECK(strstr(err, "Bluetooth is not available on this system") != NULL);
	CHECK_INT(res->count, 0);
	err[0] = 0;
	CHECK_INT(ble_adapter_check(1, NULL, err, sizeof(err)), -1);
	CHECK(err[0] != 0);
	CHECK(tr.ops == NULL);
	free(res);
}
