#!/bin/sh
# Bluetooth LE at ATT MTUs 23, 185, 247 and 498: requests split into MTU-3
# Write Commands, answers cut into notifications of every size from 1 byte
# to MTU-3 (the device cycles through them, one size per answer), and a
# full upgrade at each MTU.
. tests/e2e/lib.sh
. tests/e2e/ble_lib.sh

V1=$IMAGES/app_100k_ed25519_v1_0_0.bin
V1_HASH=4ea43c490105f0fe938883e3973eefa19116180729c16323a8645847d90c06ff
V2=$IMAGES/app_100k_ed25519_v2.bin
V2_HASH=ef5da6ad19d003eb0a22cada919446bcf0c9218c3e2f6aea1a259548df75bc81
slot_hash() { "$SMPCTL" --ble "$SIM_ATT" --json image list | jq -r ".images[] | select(.slot == $1) | .hash"; }

ble_require_wired
LONG=$(printf '%01500d' 5)
for MTU in 23 185 247 498; do
	rm -f "$WORK/flash.bin"
	sim_start_att --att-mtu $MTU --att-notify-size cycle --primary "$V1"

	ble -v echo mtu
	expect ble_mtu${MTU}_negotiated '[ $RC -eq 0 ] && printf "%s" "$ERR" | grep -q "ATT MTU $MTU\$"'
	# A 1.5 kB request, in MTU-3 pieces, and its answer.
	ble --mtu 2048 --json echo "$LONG"
	expect ble_mtu${MTU}_large_echo '[ $RC -eq 0 ] && [ "$(jqr .echo)" = "$LONG" ]'
	# Small packets: many answers, so that every notification size from
	# 1 to MTU-3 comes up (the device answers each with the next size).
	ble --mtu 128 --json upgrade "$V2"
	expect ble_mtu${MTU}_upgrade '[ $RC -eq 0 ] && [ "$(slot_hash 0)" = $V2_HASH ]'
	ble --json upgrade --allow-downgrade "$V1"
	expect ble_mtu${MTU}_upgrade_back '[ $RC -eq 0 ] && [ "$(slot_hash 0)" = $V1_HASH ]'
	expect ble_mtu${MTU}_device_saw_no_att_errors 'sim_quiet'
	sim_stop
done
exit $T_FAILED
