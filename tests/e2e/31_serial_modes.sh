#!/bin/sh
# Serial transport against the other kinds of serial SMP server: Zephyr's
# raw UART transport, SMP on the Zephyr shell, MCUboot serial recovery, a
# serial server on TCP, and a line paced at a real baud rate.
. tests/e2e/lib.sh
. tests/e2e/serial_lib.sh

V1=$IMAGES/app_100k_ed25519_v1_0_0.bin
V1_HASH=4ea43c490105f0fe938883e3973eefa19116180729c16323a8645847d90c06ff
V2=$IMAGES/app_100k_ed25519_v2.bin
V2_HASH=ef5da6ad19d003eb0a22cada919446bcf0c9218c3e2f6aea1a259548df75bc81
I4K=$IMAGES/app_4k_ed25519.bin
I4K_HASH=$(awk -F'\t' '$1 == "app_4k_ed25519.bin" { print $6 }' "$IMAGES/MANIFEST.tsv")
slot_hash() { "$SMPCTL" --serial "$SIM_TTY" $RAW --json image list | jq -r ".images[] | select(.slot == $1) | .hash"; }

# Raw UART transport: bare packets both ways.
RAW=--serial-raw
rm -f "$WORK/flash.bin"
sim_start_pty --primary "$V1" --raw
ser $RAW echo raw hello
expect raw_echo '[ $RC -eq 0 ] && [ "$OUT" = "raw hello" ]'
ser $RAW --json image upload "$V2"
expect raw_upload '[ $RC -eq 0 ] && [ "$(slot_hash 1)" = $V2_HASH ]'
# Framed requests mean nothing to a raw device: a timeout, not a hang.
ser --timeout 0.3 --retries 0 echo framed
expect raw_device_ignores_frames '[ $RC -eq 3 ] && one_line'
ser $RAW echo still there
expect raw_after_garbage '[ $RC -eq 0 ] && [ "$OUT" = "still there" ]'
sim_stop
RAW=

# SMP on the Zephyr shell: prompt and echo on the line, answers after the
# prompt, one request at a time and small packets only.
rm -f "$WORK/flash.bin"
sim_start_pty --primary "$V1" --shell --console-noise --buf-count 4
ser echo shell hello
expect shell_echo '[ $RC -eq 0 ] && [ "$OUT" = "shell hello" ]'
ser --json image list
expect shell_image_list '[ $RC -eq 0 ] && [ "$(jqr ".images[0].hash")" = $V1_HASH ]'
ser --json os info s
expect shell_os_info '[ $RC -eq 0 ] && [ "$(jqr .output)" = Zephyr ]'
ser --mtu 188 --json image upload "$I4K"
expect shell_upload_small_packets '[ $RC -eq 0 ] && [ "$(slot_hash 1)" = "$I4K_HASH" ]'
# With its defaults smpctl must find the packet size and window itself.
ser --json image upload --force "$I4K"
expect shell_upload_defaults '[ $RC -eq 0 ] && [ "$(slot_hash 1)" = "$I4K_HASH" ]'
sim_stop

# MCUboot serial recovery: its own small server writes straight into the
# primary slot; after the reset the board runs the new image.
rm -f "$WORK/flash.bin"
sim_start_pty --primary "$V1" --recovery
ser --json image list
expect recovery_image_list '[ $RC -eq 0 ] && [ "$(jqr ".images[0].hash")" = $V1_HASH ] &&
	[ "$(jqr ".images | length")" = 1 ]'
ser image test "$V1"
expect recovery_no_test '[ $RC -eq 1 ] && one_line'
ser --json image upload "$V2"
expect recovery_upload_to_primary '[ $RC -eq 0 ] && [ "$(slot_hash 0)" = $V2_HASH ]'
B=$(sim_boots)
ser reset
expect recovery_reset '[ $RC -eq 0 ]'
sim_rebooted "$B"
ser --json image list
expect recovery_boots_new '[ "$(jqr ".images[] | select(.slot == 0) | .hash")" = $V2_HASH ] &&
	[ "$(jqr ".images[] | select(.slot == 0) | .active")" = true ]'
sim_stop
rm -f "$WORK/flash.bin"
sim_start_pty --primary "$V1" --recovery
B=$(sim_boots)
ser --json upgrade "$V2"
expect recovery_upgrade '[ $RC -eq 0 ]'
sim_rebooted "$B"
ser --json image list
expect recovery_upgrade_runs_new '[ "$(jqr ".images[] | select(.slot == 0) | .hash")" = $V2_HASH ]'
sim_stop

# A serial server on TCP (ser2net in raw mode): the same framing.
rm -f "$WORK/flash.bin"
sim_start_serial_tcp --primary "$V1" --console-noise
t_run "$SMPCTL" --serial "$SIM_SERIAL" echo over tcp
expect tcp_echo '[ $RC -eq 0 ] && [ "$OUT" = "over tcp" ]'
t_run "$SMPCTL" --serial "$SIM_SERIAL" --json image upload "$V2"
expect tcp_upload '[ $RC -eq 0 ] && [ "$(jqr .skipped)" = false ]'
sim_stop
t_run "$SMPCTL" --serial "$SIM_SERIAL" echo gone
expect tcp_refused '[ $RC -eq 3 ] && one_line && printf "%s" "$ERR" | grep -q "ser2net"'
t_run "$SMPCTL" --serial "tcp:nohost" echo x
expect tcp_bad_address '[ $RC -eq 3 ] && one_line && printf "%s" "$ERR" | grep -q "tcp:HOST:PORT"'

# A paced line: 4 KiB at 115200 baud cannot take less than the wire does.
rm -f "$WORK/flash.bin"
sim_start_pty --primary "$V1" --baud 115200
start=$(date +%s.%N)
ser --json image upload "$I4K"
end=$(date +%s.%N)
expect baud_upload '[ $RC -eq 0 ]'
expect baud_upload_paced 'awk "BEGIN { exit !($end - $start >= 4752 * 1.33 * 10 / 115200) }"'

exit $T_FAILED
