#!/bin/sh
# Issue 3: uploads that survive lost, duplicated, reordered and cut
# datagrams, an interrupted upload that resumes, and a device that
# reboots midway.
. tests/e2e/lib.sh

BIG=$IMAGES/app_1m_ed25519.bin
BIG_HASH=a020a7d4ef42d1058ac1bb93f801697bc8dfb29f96a7f6970d598ad1231eb68d
slot1_hash() { "$SMPCTL" --udp "$SIM_ADDR" --json image list | jq -r '.images[] | select(.slot == 1) | .hash'; }

# Default window from the device's buffer count; the image arrives whole.
sim_start --buf-count 4
smp --json image upload "$BIG"
expect upload_1m_windowed '[ $RC -eq 0 ] && [ "$(jqr .window)" = 3 ] && [ "$(slot1_hash)" = $BIG_HASH ]'
sim_stop

for fault in "--drop-every 7" "--dup-every 5" "--reorder" "--delay-ms 2 --drop-every 11"; do
	rm -f "$WORK/flash.bin"
	sim_start --buf-count 4 $fault
	smp --timeout 0.3 --json image upload "$IMAGES/app_256k_ecdsa-p256.bin"
	expect "upload_survives${fault}" '[ $RC -eq 0 ] && [ "$(slot1_hash)" = 047d5c2092c57b8a5923b4172391c2aee25635ddd917d0c92da996196aecae64 ]'
	sim_stop
done

# A lost chunk makes the device answer with the offset it expects: the
# upload follows it (-v says so).
rm -f "$WORK/flash.bin"
sim_start --buf-count 4 --drop-every 9
smp -v --timeout 0.3 image upload "$IMAGES/app_256k_ecdsa-p256.bin"
expect upload_resyncs '[ $RC -eq 0 ] && printf "%s" "$ERR" | grep -q "device expects offset"'
sim_stop

# The device says buf_size 2048 but cuts datagrams past 1024 bytes: the
# upload shrinks its packets and keeps the size that works.
rm -f "$WORK/flash.bin"
sim_start --udp-mtu 1024
smp -v --mtu 2048 --json image upload "$IMAGES/app_256k_ecdsa-p256.bin"
expect upload_shrinks '[ $RC -eq 0 ] && [ "$(jqr .packet_size)" -le 1024 ] &&
	printf "%s" "$ERR" | grep -q "retrying with" &&
	[ "$(slot1_hash)" = 047d5c2092c57b8a5923b4172391c2aee25635ddd917d0c92da996196aecae64 ]'
sim_stop

# An upload cut off midway resumes where the device stopped.
rm -f "$WORK/flash.bin"
sim_start --delay-ms 3
timeout -s INT 1 "$SMPCTL" --udp "$SIM_ADDR" --window 1 image upload "$BIG" >/dev/null 2>&1
smp --json image upload "$BIG"
expect upload_resumes '[ $RC -eq 0 ] && [ "$(jqr .resumed_from)" -gt 0 ] &&
	[ "$(jqr .resumed_from)" -lt 1049232 ] && [ "$(slot1_hash)" = $BIG_HASH ]'
sim_stop

# The device reboots midway: it answers offset 0, the upload starts over.
rm -f "$WORK/flash.bin"
sim_start --delay-ms 2 --reset-delay-ms 0
"$SMPCTL" --udp "$SIM_ADDR" --json image upload "$BIG" >"$WORK/up.json" 2>"$WORK/up.err" &
up=$!
sleep 0.7
"$SMPCTL" --udp "$SIM_ADDR" reset >/dev/null 2>&1
wait $up
RC=$?
OUT=$(cat "$WORK/up.json")
ERR=$(cat "$WORK/up.err")
expect upload_restarts_after_reboot '[ $RC -eq 0 ] && [ "$(jqr .restarts)" -ge 1 ] && [ "$(slot1_hash)" = $BIG_HASH ]'

exit $T_FAILED
