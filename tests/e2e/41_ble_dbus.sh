#!/bin/sh
# Bluetooth LE through bluetoothd: smpctl as an ordinary user finds the
# device by name (SetDiscoveryFilter, StartDiscovery), connects
# (Device1.Connect), acquires the SMP characteristic's pipes (AcquireWrite,
# AcquireNotify) from a stand-in of org.bluez on a private bus, which
# carries each value to the simulated device's GATT stand-in at ATT MTU
# 247. Upload, upgrade (through a reset and a reconnection), fs and scan.
. tests/e2e/lib.sh
. tests/e2e/ble_lib.sh
. tests/e2e/ble_dbus_lib.sh

V1=$IMAGES/app_100k_ed25519_v1_0_0.bin
V2=$IMAGES/app_100k_ed25519_v2.bin
V2_HASH=ef5da6ad19d003eb0a22cada919446bcf0c9218c3e2f6aea1a259548df75bc81
V1_HASH=4ea43c490105f0fe938883e3973eefa19116180729c16323a8645847d90c06ff
slot_hash() { as_user "$SMPCTL" --ble smp-sim --json image list | jq -r ".images[] | select(.slot == $1) | .hash"; }

bus_start
mkdir -p "$WORK/fs"
sim_start_att --att-mtu 247 --primary "$V1" --fs-root "$WORK/fs"
standin_start

bled -v echo hello dbus
expect dbus_echo '[ $RC -eq 0 ] && [ "$OUT" = "hello dbus" ]'
expect dbus_auto_choice_said 'printf "%s" "$ERR" | grep -q "bluetoothd over D-Bus: bluetoothd (org.bluez) is on the system D-Bus"'
expect dbus_mtu_from_acquire 'printf "%s" "$ERR" | grep -q "acquired through bluetoothd, ATT MTU 247"'
expect dbus_ran_as_user '[ "$(id -u)" -ne 0 ] || [ "$(as_user id -u)" -ne 0 ]'
# 2000 bytes: nine Write Commands through AcquireWrite's pipe, the answer
# in notifications through AcquireNotify's, reassembled as on the kernel
# path.
HUGE=$(printf '%02000d' 3)
bled --mtu 2048 --json echo "$HUGE"
expect dbus_echo_device_buffer '[ $RC -eq 0 ] && [ "$(jqr .echo)" = "$HUGE" ]'

bled --json image upload "$V2"
expect dbus_upload '[ $RC -eq 0 ] && [ "$(slot_hash 1)" = $V2_HASH ]'
bled --json upgrade "$V2"
expect dbus_upgrade '[ $RC -eq 0 ] && [ "$(slot_hash 0)" = $V2_HASH ]'
bled --json upgrade --allow-downgrade "$V1"
expect dbus_upgrade_back '[ $RC -eq 0 ] && [ "$(slot_hash 0)" = $V1_HASH ]'

head -c 5000 /dev/urandom >"$WORK/user/blob"
bled fs upload "$WORK/user/blob" /lfs/blob
expect dbus_fs_upload '[ $RC -eq 0 ]'
bled fs download /lfs/blob "$WORK/user/back"
expect dbus_fs_download '[ $RC -eq 0 ] && cmp -s "$WORK/user/blob" "$WORK/user/back"'

t_run as_user "$SMPCTL" --timeout 0.5 --json scan
expect dbus_scan '[ $RC -eq 0 ] && [ "$(jqr ".devices[0].name")" = smp-sim ] && [ "$(jqr ".devices[0].smp")" = true ] && [ "$(jqr ".devices[0].address")" = C0:FF:EE:00:00:01 ]'

# The kernel path is still there when asked for: without Bluetooth in
# the kernel it says so.
t_run as_user "$SMPCTL" --ble-backend kernel --ble smp-sim --timeout 0.5 echo x
expect kernel_backend_when_asked '[ $RC -ne 0 ] && ! printf "%s" "$ERR" | grep -q bluetoothd'

exit $T_FAILED
