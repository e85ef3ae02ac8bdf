#!/bin/sh
# Serial transport: every command over a pseudo-terminal with Zephyr's
# console framing, the device logging between and around frames; and the
# port errors a user meets.
. tests/e2e/lib.sh
. tests/e2e/serial_lib.sh

V1=$IMAGES/app_100k_ed25519_v1_0_0.bin
V1_HASH=4ea43c490105f0fe938883e3973eefa19116180729c16323a8645847d90c06ff
V2=$IMAGES/app_100k_ed25519_v2.bin
V2_HASH=ef5da6ad19d003eb0a22cada919446bcf0c9218c3e2f6aea1a259548df75bc81
slot_hash() { "$SMPCTL" --serial "$SIM_TTY" --json image list | jq -r ".images[] | select(.slot == $1) | .hash"; }

sim_start_pty --primary "$V1" --console-noise

ser echo hello serial
expect serial_echo '[ $RC -eq 0 ] && [ "$OUT" = "hello serial" ]'
# 300 characters: a request and an answer of four frames each, fitting
# the 380-byte packet a default device takes; its log lands between them.
LONG=$(printf '%0300d' 7)
ser --json echo "$LONG"
expect serial_echo_many_frames '[ $RC -eq 0 ] && [ "$(jqr .echo)" = "$LONG" ]'
ser -v echo "$LONG"
expect serial_console_with_v '[ $RC -eq 0 ] && printf "%s" "$ERR" | grep -q "<inf> app:"'
ser echo quiet
expect serial_console_hidden '[ $RC -eq 0 ] && ! printf "%s" "$ERR" | grep -q "<inf> app:"'

ser -j params
expect serial_params '[ $RC -eq 0 ] && [ "$(jqr .buf_size)" -ge 256 ]'
ser --json os info s
expect serial_os_info '[ $RC -eq 0 ] && [ "$(jqr .output)" = Zephyr ]'
ser --json image list
expect serial_image_list '[ $RC -eq 0 ] && [ "$(jqr ".images[0].hash")" = $V1_HASH ]'
ser --json image slots
expect serial_image_slots '[ $RC -eq 0 ] && [ "$(jqr ".images[0].slots | length")" = 2 ]'

# An upload: packets as large as the device's buffer, each many frames.
ser --json image upload "$V2"
expect serial_upload '[ $RC -eq 0 ] && [ "$(jqr .skipped)" = false ] && [ "$(slot_hash 1)" = $V2_HASH ]'
ser --json image test "$V2"
expect serial_test '[ $RC -eq 0 ] && [ "$(jqr ".images[] | select(.slot == 1) | .pending")" = true ]'
B=$(sim_boots)
ser reset
expect serial_reset '[ $RC -eq 0 ]'
sim_rebooted "$B"
ser --json image list
expect serial_boots_new '[ "$(jqr ".images[] | select(.slot == 0) | .hash")" = $V2_HASH ]'
ser --json image confirm
expect serial_confirm '[ $RC -eq 0 ] && [ "$(jqr ".images[] | select(.slot == 0) | .confirmed")" = true ]'
ser image erase
expect serial_erase '[ $RC -eq 0 ] && [ -z "$(slot_hash 1)" ]'
ser --json upgrade "$V1"
expect serial_upgrade '[ $RC -eq 0 ] && [ "$(slot_hash 0)" = $V1_HASH ]'
ser image test 0000000000000000000000000000000000000000000000000000000000000000
expect serial_device_error '[ $RC -eq 1 ] && one_line'

# The port restored: settings the user had are back after smpctl.
stty -F "$SIM_TTY" 9600 icanon echo 2>/dev/null
before=$(stty -F "$SIM_TTY" -g 2>/dev/null)
ser echo restore
after=$(stty -F "$SIM_TTY" -g 2>/dev/null)
expect serial_port_restored '[ $RC -eq 0 ] && [ -n "$before" ] && [ "$before" = "$after" ]'
# Also when interrupted midway: the upload stalls halfway, and SIGINT
# comes while smpctl waits for the device (as long as the test needs: its
# timeout long, its packet size pinned).
sim_stop
sim_start_pty --console-noise --stall-at-byte 32768
stty -F "$SIM_TTY" 9600 icanon echo 2>/dev/null
before=$(stty -F "$SIM_TTY" -g 2>/dev/null)
bg_start "$SMPCTL" --serial "$SIM_TTY" --timeout 600 --mtu 1024 image upload --force "$V2"
sim_wait 'stalled [0-9]*'
bg_end INT
after=$(stty -F "$SIM_TTY" -g 2>/dev/null)
expect serial_port_restored_on_interrupt '[ $RC -eq 130 ] && [ -n "$before" ] && [ "$before" = "$after" ] &&
	printf "%s" "$ERR" | grep -q "interrupted"'
sim_release

# Port errors: one line each, exit 3, saying what to do.
t_run "$SMPCTL" --serial "$WORK/no-such-tty" echo x
expect serial_missing_port '[ $RC -eq 3 ] && one_line && printf "%s" "$ERR" | grep -q "plugged in"'
: >"$WORK/plain-file"
t_run "$SMPCTL" --serial "$WORK/plain-file" echo x
expect serial_not_a_tty '[ $RC -eq 3 ] && one_line && printf "%s" "$ERR" | grep -q "not a serial port"'
# A terminal program holding the port (they take the same lock) until
# the test lets it go.
mkfifo "$WORK/unlock"
flock "$SIM_TTY" sh -c ': >"$1"; read go <"$2"' sh "$WORK/locked" "$WORK/unlock" &
LOCKER=$!
wait_until '[ -e "$WORK/locked" ]'
ser echo x
expect serial_port_in_use '[ $RC -eq 3 ] && one_line && printf "%s" "$ERR" | grep -q "in use"'
echo go >"$WORK/unlock"
wait $LOCKER
ser --baud 12345 echo x
expect serial_bad_baud '[ $RC -ne 0 ] && one_line && printf "%s" "$ERR" | grep -q "baud"'
ser --baud 921600 echo fast
expect serial_other_baud '[ $RC -eq 0 ] && [ "$OUT" = fast ]'

# A device that never answers: a timeout, not a hang.
sim_stop
sim_start_pty --primary "$V1"
kill -STOP "$SIM_PID"
ser --timeout 0.3 --retries 1 echo x
kill -CONT "$SIM_PID"
expect serial_timeout '[ $RC -eq 3 ] && one_line'
ser echo back
expect serial_after_timeout '[ $RC -eq 0 ] && [ "$OUT" = back ]'

exit $T_FAILED
