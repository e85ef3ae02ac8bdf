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
#include "transport/ble_opts.h"

enum ble_backend {
	BLE_BACKEND_KERNEL,
	BLE_BACKEND_DBUS
};

/* The backend for want ("dbus", "kernel" or NULL: dbus when bluetoothd is
 * on the system bus, else the kernel's sockets); the choice and its reason
 * go to trace. */
enum ble_backend ble_backend_pick(const char *want, void (*trace)(void *arg, const char *msg),
				  void *trace_arg);

/* Opens the transport --ble names. Returns 0, or -1 with a one-line reason
 * in err (no Bluetooth, adapter down, device not found, no SMP service...). */
int ble_transport_open(struct smp_link *t, const struct ble_opts *o, char *err, size_t errlen);

/* ---- LE scan ---- */

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
