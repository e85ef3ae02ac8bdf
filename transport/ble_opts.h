/* What a BLE link is asked for and what a scan finds: the options of
 * `--ble`, a scanned device, and the address syntax. Both backends, the
 * kernel's sockets (ble.c) and BlueZ over D-Bus (ble_dbus.c), take them. */
#ifndef TRANSPORT_BLE_OPTS_H
#define TRANSPORT_BLE_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
	const char *backend;	/* "dbus", "kernel" or NULL: dbus when bluetoothd runs */
	/* -v diagnostics; may be NULL. */
	void (*trace)(void *arg, const char *msg);
	void *trace_arg;
};

/* True when text is a Bluetooth address "AA:BB:CC:DD:EE:FF"; fills out
 * (most significant byte first, as written) when out is not NULL. */
bool ble_parse_address(const char *text, uint8_t out[6]);

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

#endif
