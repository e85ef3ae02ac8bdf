/* --ble through bluetoothd on the system D-Bus (sd-bus), after BlueZ's
 * doc/adapter-api.txt, device-api.txt and gatt-api.txt (5.66): discovery
 * with Adapter1.SetDiscoveryFilter (the SMP service UUID, LE) and
 * StartDiscovery, Device1.Connect, the SMP characteristic among the
 * GattCharacteristic1 objects of ObjectManager.GetManagedObjects, and its
 * value moved through the fds of AcquireWrite and AcquireNotify into the
 * same GATT SMP client as the kernel socket (gatt_smp.h). No root needed;
 * pairing is bluetoothd's (and its agent's). */
#ifndef TRANSPORT_BLE_DBUS_H
#define TRANSPORT_BLE_DBUS_H

#include <stdbool.h>
#include <stddef.h>

#include "transport/ble_opts.h"
#include "transport/gatt_smp.h"

/* True when bluetoothd (org.bluez) is on the system bus; otherwise why
 * not, in why. */
bool ble_dbus_available(char *why, size_t whylen);

/* The link to the device o->target names (an address or a name) through
 * adapter hci o->hci. Returns 0, or -1 with a reason in err. */
int ble_dbus_link_make(const struct ble_opts *o, struct gatt_smp_link *link, char *err,
		       size_t errlen);

/* `smpctl scan` through bluetoothd: the devices it finds within
 * timeout_ms (every LE device, SMP or not, marked). */
int ble_dbus_scan(int hci, int timeout_ms, struct ble_scan_result *out, char *err, size_t errlen);

#endif
