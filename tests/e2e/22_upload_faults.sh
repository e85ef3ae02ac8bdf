#!/bin/sh
# Uploads that survive lost, duplicated, reordered and cut datagrams, an
# interrupted upload that resumes, and a device that reboots midway.
. tests/e2e/lib.sh

BIG=$IMAGES/app_1m_ed25519.bin
BIG_HASH=a020a7d4ef42d1058ac1bb93f801697bc8dfb29f96a7f6970d598ad1231eb68d
slot1_hash() { "$SMPCTL" --udp "$SIM_ADDR" --json image list | jq -r '.images[] | select(.slot == 1) | .hash'; }

# Default window from the device's buffer count; the image arrives whole.
sim_start --buf-count 4
smp --json image upload "$BIG"
expect upload_1m_windowed '[ $RC -eq 0 ] && [ "$(jqr .window)" = 3 ] && [ "$(slot1_hash)" = $BIG_HASH ]'
sim_stop

# A short timeout finds lost requests soon; many retries keep a starved
# machine's late answers from failing the upload.
for fault in "--drop-every 7" "--dup-every 5" "--reorder" "--delay-ms 2 --drop-every 11"; do
	rm -f "$WORK/flash.bin"
	sim_start --buf-count 4 $fault
	smp --timeout 0.3 --retries 100 --json image upload "$IMAGES/app_256k_ecdsa-p256.bin"
	expect "upload_survives${fault}" '[ $RC -eq 0 ] && [ "$(slot1_hash)" = 047d5c2092c57b8a5923b4172391c2aee25635ddd917d0c92da996196aecae64 ]'
	sim_stop
done

# A lost chunk makes the device answer with the offset it expects: the
# upload follows it (-v says so).
rm -f "$WORK/flash.bin"
sim_start --buf-count 4 --drop-every 9
smp -v --timeout 0.3 --retries 100 image upload "$IMAGES/app_256k_ecdsa-p256.bin"
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

# An upload cut off midway resumes where the device stopped: the upload
# stalls at 512 KiB, smpctl is interrupted (with its timeout long and its
# packet size pinned it waits for the device as long as the test needs),
# the device answers again.
rm -f "$WORK/flash.bin"
sim_start --stall-at-byte 524288
bg_start "$SMPCTL" --udp "$SIM_ADDR" --timeout 600 --mtu 1024 --window 1 image upload "$BIG"
sim_wait 'stalled [0-9]*'
bg_end INT
cut_rc=$RC
sim_release
sim_wait released
smp --json image upload "$BIG"
expect upload_resumes '[ $cut_rc -eq 130 ] && [ $RC -eq 0 ] && [ "$(jqr .resumed_from)" -gt 0 ] &&
	[ "$(jqr .resumed_from)" -lt 1049232 ] && [ "$(slot1_hash)" = $BIG_HASH ]'
sim_stop

# The device reboots midway (at 512 KiB): it answers offset 0, the
# upload starts over.
rm -f "$WORK/flash.bin"
sim_start --reset-at-byte 524288
smp --json image upload "$BIG"
expect upload_restarts_after_reboot '[ $RC -eq 0 ] && [ "$(jqr .restarts)" -ge 1 ] &&
	[ "$(sim_boots)" = 2 ] && [ "$(slot1_hash)" = $BIG_HASH ]'

exit $T_FAILED
