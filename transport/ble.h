/* `--ble TARGET`: where the GATT SMP link (gatt_smp.h) comes from.
 *
 *   AA:BB:CC:DD:EE:FF  a kernel L2CAP LE socket on the ATT channel, through
 *                      adapter hciN (BlueZ's libbluetooth, no D-Bus);
 *   NAME               the same, to the first device found advertising that
 *                      name in an LE scan;
 *   unix:PATH          the simulated device's SOCK_SEQPACKET socket.
 *
 * The kernel part is kept thin: everything above the socket is the same
 * code for all three. The LE scan (ble_scan.c) also serves `smpctl scan`. */
#ifndef TRANSPORT_BLE_H
#define TRANSPORT_BLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "smp/transport.h"

#define BLE_CONNECT_TIMEOUT_MS 10000
#define BLE_SCAN_TIMEOUT_MS 10000
#define BLE_UNIX_PREFIX "unix:"

struct ble_opts {
	const char *target; /* address, name or unix:PATH */
	int hci;	    /* adapter index N of hciN */
	/* "public" or "random" for an address (NULL: random, as Zephyr's
	 * static addresses); a name uses the type it advertises with. */
	const char *addr_type;
	int connect_timeout_ms; /* connection and GATT setup; 0: BLE_CONNECT_TIMEOUT_MS */
	int scan_timeout_ms;	/* finding a NAME; 0: BLE_SCAN_TIMEOUT_MS */
	size_t packet_max;	/* largest SMP packet (--mtu); 0: GATT_SMP_DEFAULT_PACKET */
	/* -v diagnostics; may be NULL. */
	void (*trace)(void *arg, const char *msg);
	void *trace_arg;
};

/* Opens the transport --ble names. Returns 0, or -1 with a one-line reason
 * in err (no Bluetooth, adapter down, device not found, no SMP service...). */
int ble_transport_open(struct smp_link *t, const struct ble_opts *o, char *err, size_t errlen);

/* True when text is a Bluetooth address "AA:BB:CC:DD:EE:FF"; fills out
 * (most significant byte first, as written) when out is not NULL. */
bool ble_parse_address(const char *text, uint8_t out[6]);

/* ---- LE scan ---- */

#define BLE_SCAN_MAX 256
#define BLE_NAME_MAX 248 /* longest name advertising data can hold */

struct ble_device {
	char address[18];
	bool random; /* random address type (else public) */
	char name[BLE_NAME_MAX + 1];
	int rssi; /* dBm of the latest report; 127 when unknown */
	bool smp; /* advertises the SMP service */
};

struct ble_scan_result {
	struct ble_device devices[BLE_SCAN_MAX];
	size_t count;
};

/* Returns true to end the scan early (for instance: the name was found). */
typedef bool (*ble_scan_stop_fn)(void *arg, const struct ble_device *d);

/* Scans actively on hciN for timeout_ms, merging advertising and scan
 * response data per address into out. Needs CAP_NET_RAW (and CAP_NET_ADMIN)
 * for the raw HCI socket. Returns 0, or -1 with a reason in err. */
int ble_scan(int hci, int timeout_ms, ble_scan_stop_fn stop, void *arg, struct ble_scan_result *out,
	     char *err, size_t errlen);

/* Folds one advertising or scan response payload (AD structures) into d:
 * the name (complete over shortened) and whether the SMP service UUID is
 * listed. Malformed structures end the parse. Exposed for tests. */
void ble_ad_parse(const uint8_t *data, size_t len, struct ble_device *d);

/* Checks that hciN exists and is up. Returns 0, or -1 with a reason that
 * says what to do. Fills bdaddr (as the kernel stores it) when not NULL. */
int ble_adapter_check(int hci, uint8_t bdaddr[6], char *err, size_t errlen);

#endif
