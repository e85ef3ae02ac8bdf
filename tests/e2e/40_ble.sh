#!/bin/sh
# Bluetooth LE: every command over the simulator's GATT stand-in at ATT MTU
# 247, through the same discovery, Write Command splitting and notification
# reassembly as a real device; a reset drops the link and smpctl connects
# again.
. tests/e2e/lib.sh
. tests/e2e/ble_lib.sh

V1=$IMAGES/app_100k_ed25519_v1_0_0.bin
V1_HASH=4ea43c490105f0fe938883e3973eefa19116180729c16323a8645847d90c06ff
V2=$IMAGES/app_100k_ed25519_v2.bin
V2_HASH=ef5da6ad19d003eb0a22cada919446bcf0c9218c3e2f6aea1a259548df75bc81
slot_hash() { "$SMPCTL" --ble "$SIM_ATT" --json image list | jq -r ".images[] | select(.slot == $1) | .hash"; }

ble_require_wired
sim_start_att --att-mtu 247 --primary "$V1"

ble echo hello ble
expect ble_echo '[ $RC -eq 0 ] && [ "$OUT" = "hello ble" ]'
# 300 characters: a request of two Write Commands, an answer of two
# notifications.
LONG=$(printf '%0300d' 7)
ble --json echo "$LONG"
expect ble_echo_split '[ $RC -eq 0 ] && [ "$(jqr .echo)" = "$LONG" ]'
# A packet as large as the device's buffer: nine Write Commands.
HUGE=$(printf '%02000d' 3)
ble --mtu 2048 --json echo "$HUGE"
expect ble_echo_device_buffer '[ $RC -eq 0 ] && [ "$(jqr .echo)" = "$HUGE" ]'
ble -v echo mtu
expect ble_mtu_negotiated '[ $RC -eq 0 ] && printf "%s" "$ERR" | grep -q "ATT MTU 247"'

ble -j params
expect ble_params '[ $RC -eq 0 ] && [ "$(jqr .buf_size)" -ge 256 ]'
ble --json os info s
expect ble_os_info '[ $RC -eq 0 ] && [ "$(jqr .output)" = Zephyr ]'
ble --json image list
expect ble_image_list '[ $RC -eq 0 ] && [ "$(jqr ".images[0].hash")" = $V1_HASH ]'
ble --json image slots
expect ble_image_slots '[ $RC -eq 0 ] && [ "$(jqr ".images[0].slots | length")" = 2 ]'

ble --json image upload "$V2"
expect ble_upload '[ $RC -eq 0 ] && [ "$(jqr .skipped)" = false ] && [ "$(slot_hash 1)" = $V2_HASH ]'
ble --json image test "$V2"
expect ble_test '[ $RC -eq 0 ] && [ "$(jqr ".images[] | select(.slot == 1) | .pending")" = true ]'
B=$(sim_boots)
ble reset
expect ble_reset '[ $RC -eq 0 ]'
sim_rebooted "$B"
ble --json image list
expect ble_boots_new '[ "$(jqr ".images[] | select(.slot == 0) | .hash")" = $V2_HASH ]'
ble --json image confirm
expect ble_confirm '[ $RC -eq 0 ] && [ "$(jqr ".images[] | select(.slot == 0) | .confirmed")" = true ]'
ble image erase
expect ble_erase '[ $RC -eq 0 ] && [ -z "$(slot_hash 1)" ]'
# The whole upgrade in one run: the reset breaks the link and smpctl
# connects again to see the new image and confirm it.
ble --json upgrade "$V1"
expect ble_upgrade '[ $RC -eq 0 ] && [ "$(slot_hash 0)" = $V1_HASH ]'
ble image test 0000000000000000000000000000000000000000000000000000000000000000
expect ble_device_error '[ $RC -eq 1 ] && one_line'
expect ble_device_saw_no_att_errors 'sim_quiet'

exit $T_FAILED
