/* The LE scan behind `smpctl scan` and `--ble NAME`, on a raw HCI socket
 * through BlueZ's libbluetooth (as hcitool lescan does), and the adapter
 * checks every kernel path starts with. */
#include "transport/ble.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bluetooth/bluetooth.h>
#include <bluetooth/hci.h>
#include <bluetooth/hci_lib.h>

#include "smp/clock.h"

#define SCAN_INTERVAL 0x0010 /* 10 ms: listen all the time */
#define SCAN_WINDOW 0x0010
#define HCI_TIMEOUT_MS 1000

/* AD types (Core Supplement Part A 1). */
enum {
	AD_UUID128_SOME = 0x06,
	AD_UUID128_ALL = 0x07,
	AD_NAME_SHORT = 0x08,
	AD_NAME_FULL = 0x09
};

/* 8D53DC1D-1DB7-4CD3-868B-8A527460AA84 as advertised (little-endian). */
static const uint8_t smp_uuid_le[16] = {
	0x84, 0xAA, 0x60, 0x74, 0x52, 0x8A, 0x8B, 0x86,
	0xD3, 0x4C, 0xB7, 0x1D, 0x1D, 0xDC, 0x53, 0x8D,
};

static void no_bluetooth(int e, char *err, size_t errlen)
{
	snprintf(err, errlen,
		 "Bluetooth is not available on this system: the kernel has no "
		 "Bluetooth support, or it is not loaded (%s)",
		 strerror(e));
}

int ble_adapter_check(int hci, uint8_t bdaddr[6], char *err, size_t errlen)
{
	struct hci_dev_info di;

	if (hci_devinfo(hci, &di) < 0) {
		int e = errno;

		if (e == EAFNOSUPPORT || e == EPROTONOSUPPORT)
			no_bluetooth(e, err, errlen);
		else if (e == ENODEV)
			snprintf(err, errlen,
				 "no Bluetooth adapter hci%d: none is plugged in or "
				 "enabled ('bluetoothctl list' shows them; --hci N picks another)",
				 hci);
		else
			snprintf(err, errlen, "cannot query Bluetooth adapter hci%d: %s", hci,
				 strerror(e));
		return -1;
	}
	if (!hci_test_bit(HCI_UP, &di.flags)) {
		snprintf(err, errlen,
			 "Bluetooth adapter hci%d is down: power it on with "
			 "'bluetoothctl power on' (if it stays off, see 'rfkill list')",
			 hci);
		return -1;
	}
	if (bdaddr)
		memcpy(bdaddr, &di.bdaddr, 6);
	return 0;
}

static void scan_failed(int hci, const char *step, int e, char *err, size_t errlen)
{
	char self[256];
	ssize_t n;

	if (e != EPERM && e != EACCES) {
		snprintf(err, errlen,
			 "hci%d refused to %s (%s): another scan may be running "
			 "('bluetoothctl scan off')",
			 hci, step, strerror(e));
		return;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = 0;
	snprintf(err, errlen,
		 "scanning needs the CAP_NET_RAW capability: run as root, or "
		 "grant it once with: sudo setcap 'cap_net_raw,cap_net_admin+eip' %s",
		 n > 0 ? self : "$(command -v smpctl)");
}

void ble_ad_parse(const uint8_t *data, size_t len, struct ble_device *d)
{
	size_t i = 0, k;

	while (i < len && data[i] != 0 && i + 1 + data[i] <= len) {
		const uint8_t *v = &data[i + 2];
		size_t vlen = data[i] - 1u, n;

		switch (data[i + 1]) {
		case AD_NAME_SHORT:
			if (d->name[0])
				break;
			/* fall through */
		case AD_NAME_FULL:
			n = vlen < BLE_NAME_MAX ? vlen : BLE_NAME_MAX;
			for (k = 0; k < n; k++)
				d->name[k] = (char)(v[k] < 0x20 || v[k] == 0x7F ? '?' : v[k]);
			d->name[n] = 0;
			break;
		case AD_UUID128_SOME:
		case AD_UUID128_ALL:
			for (k = 0; k + 16 <= vlen; k += 16)
				if (!memcmp(v + k, smp_uuid_le, 16))
					d->smp = true;
			break;
		}
		i += 1u + data[i];
	}
}

static struct ble_device *device_for(struct ble_scan_result *out, const bdaddr_t *ba, uint8_t type)
{
	char address[18];
	bool random = type == 0x01 || type == 0x03; /* (resolved) random */
	size_t i;

	ba2str(ba, address);
	for (i = 0; i < out->count; i++)
		if (!strcmp(out->devices[i].address, address) && out->devices[i].random == random)
			return &out->devices[i];
	if (out->count == BLE_SCAN_MAX)
		return NULL;
	memset(&out->devices[out->count], 0, sizeof(out->devices[0]));
	strcpy(out->devices[out->count].address, address);
	out->devices[out->count].random = random;
	return &out->devices[out->count++];
}

/* One LE Advertising Report event: each report is event type, address
 * type, address, data length, data, RSSI. Returns true to stop. */
static bool take_reports(const uint8_t *p, const uint8_t *end, struct ble_scan_result *out,
			 ble_scan_stop_fn stop, void *arg)
{
	unsigned n = p < end ? *p++ : 0;

	while (n-- > 0 && end - p >= 10 && end - p >= 10 + p[8]) {
		bdaddr_t ba;
		struct ble_device *d;

		memcpy(&ba, p + 2, 6);
		d = device_for(out, &ba, p[1]);
		if (d) {
			ble_ad_parse(p + 9, p[8], d);
			d->rssi = (int8_t)p[9 + p[8]];
			if (stop && stop(arg, d))
				return true;
		}
		p += 10 + p[8];
	}
	return false;
}

static void listen_reports(int dd, int timeout_ms, ble_scan_stop_fn stop, void *arg,
			   struct ble_scan_result *out)
{
	int64_t deadline = smp_clock_ms() + timeout_ms;
	uint8_t buf[HCI_MAX_EVENT_SIZE];

	for (;;) {
		int64_t left = deadline - smp_clock_ms();
		struct pollfd p = { .fd = dd, .events = POLLIN };
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return;
		n = read(dd, buf, sizeof(buf));
		if (n < 1 + HCI_EVENT_HDR_SIZE + 1 || buf[0] != HCI_EVENT_PKT ||
		    buf[1] != EVT_LE_META_EVENT || buf[3] != EVT_LE_ADVERTISING_REPORT)
			continue;
		if (take_reports(buf + 4, buf + n, out, stop, arg))
			return;
	}
}

int ble_scan(int hci, int timeout_ms, ble_scan_stop_fn stop, void *arg, struct ble_scan_result *out,
	     char *err, size_t errlen)
{
	struct hci_filter old, only_le;
	socklen_t olen = sizeof(old);
	int dd, rc = -1;

	out->count = 0;
	if (ble_adapter_check(hci, NULL, err, errlen) != 0)
		return -1;
	dd = hci_open_dev(hci);
	if (dd < 0) {
		scan_failed(hci, "open its HCI socket", errno, err, errlen);
		return -1;
	}
	if (hci_le_set_scan_parameters(dd, 0x01, htobs(SCAN_INTERVAL), htobs(SCAN_WINDOW),
				       LE_PUBLIC_ADDRESS, 0x00, HCI_TIMEOUT_MS) < 0) {
		scan_failed(hci, "set LE scan parameters", errno, err, errlen);
		goto out;
	}
	/* Duplicates are kept: a scan response and fresh RSSI come as them. */
	if (hci_le_set_scan_enable(dd, 0x01, 0x00, HCI_TIMEOUT_MS) < 0) {
		scan_failed(hci, "start an LE scan", errno, err, errlen);
		goto out;
	}
	if (getsockopt(dd, SOL_HCI, HCI_FILTER, &old, &olen) == 0) {
		hci_filter_clear(&only_le);
		hci_filter_set_ptype(HCI_EVENT_PKT, &only_le);
		hci_filter_set_event(EVT_LE_META_EVENT, &only_le);
		if (setsockopt(dd, SOL_HCI, HCI_FILTER, &only_le, sizeof(only_le)) == 0) {
			listen_reports(dd, timeout_ms, stop, arg, out);
			setsockopt(dd, SOL_HCI, HCI_FILTER, &old, sizeof(old));
			rc = 0;
		}
	}
	if (rc != 0)
		snprintf(err, errlen, "hci%d: cannot filter HCI events: %s", hci, strerror(errno));
	hci_le_set_scan_enable(dd, 0x00, 0x00, HCI_TIMEOUT_MS);
out:
	hci_close_dev(dd);
	return rc;
}
