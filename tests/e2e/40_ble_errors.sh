#!/bin/sh
# Bluetooth LE errors a user meets, each one line with exit 3 saying what
# is wrong: no device, a device without the SMP service or its CCCD, one
# that wants pairing, a link lost in the middle of an upload (the rerun
# resumes), and on a machine without Bluetooth the kernel path and scan.
. tests/e2e/lib.sh
. tests/e2e/ble_lib.sh

V2=$IMAGES/app_100k_ed25519_v2.bin
V2_HASH=ef5da6ad19d003eb0a22cada919446bcf0c9218c3e2f6aea1a259548df75bc81
has() { printf '%s' "$ERR" | grep -q -- "$1"; }

ble_require_wired

t_run "$SMPCTL" --ble "unix:$WORK/nothing-here.sock" echo x
expect ble_no_device '[ $RC -eq 3 ] && one_line && has "no simulated device at"'
t_run "$SMPCTL" --ble unix: echo x
expect ble_empty_path '[ $RC -eq 3 ] && one_line && has "path is empty"'

sim_start_att --att-db no-smp
ble echo x
expect ble_service_not_found '[ $RC -eq 3 ] && one_line && has "no SMP service (8D53DC1D-1DB7-4CD3-868B-8A527460AA84)" && has CONFIG_MCUMGR_TRANSPORT_BT'
sim_stop
sim_start_att --att-db no-cccd
ble echo x
expect ble_no_cccd '[ $RC -eq 3 ] && one_line && has "Client Characteristic Configuration"'
sim_stop
sim_start_att --att-db auth
ble echo x
expect ble_needs_pairing '[ $RC -eq 3 ] && one_line && has "pair with it first"'
sim_stop

# The link drops after 40 requests, in the middle of the upload: the
# device keeps what it has, and the next run carries on from there.
rm -f "$WORK/flash.bin"
sim_start_att --att-mtu 185 --att-drop-after 40
# (no progress lines: the error must be the one line on stderr)
ble --retries 0 --progress none image upload "$V2"
expect ble_lost_mid_upload '[ $RC -eq 3 ] && one_line && has "connection to the device lost" && has "run it again to resume"'
ble --json image upload "$V2"
expect ble_upload_resumes '[ $RC -eq 0 ] && [ "$(jqr .resumed_from)" -gt 0 ]'
ble --json image list
expect ble_resumed_image_whole '[ "$(jqr ".images[] | select(.slot == 1) | .hash")" = $V2_HASH ]'
sim_stop

# The kernel path where there is no Bluetooth at all (as on a build
# machine): clear messages, not a hang. Skipped where an adapter exists.
if [ ! -e /sys/class/bluetooth ] || [ -z "$(ls /sys/class/bluetooth 2>/dev/null)" ]; then
	t_run "$SMPCTL" --ble C4:2F:0A:11:22:33 echo x
	expect ble_kernel_address_no_bluetooth '[ $RC -eq 3 ] && one_line && has Bluetooth'
	t_run "$SMPCTL" --ble my-device echo x
	expect ble_kernel_name_no_bluetooth '[ $RC -eq 3 ] && one_line && has Bluetooth'
	t_run "$SMPCTL" --hci 3 --addr-type public --ble C4:2F:0A:11:22:33 echo x
	expect ble_kernel_options_no_bluetooth '[ $RC -eq 3 ] && one_line && has Bluetooth'
	t_run "$SMPCTL" --timeout 1 scan
	expect ble_scan_no_bluetooth '[ $RC -eq 3 ] && one_line && has "scan: .*Bluetooth"'
	t_run "$SMPCTL" scan --bogus
	expect ble_scan_usage '[ $RC -eq 2 ] && one_line'
fi
exit $T_FAILED
