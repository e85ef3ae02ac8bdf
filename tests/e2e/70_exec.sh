#!/bin/sh
# --exec and --exec-raw: SMP through a command's stdin and stdout (a
# gateway's bridge). The simulated device on stdio as the
# command; a bridge to a device that outlives it, dying midway and
# resumed; the command's stderr, exit status and signals; and no process
# left behind, also when smpctl is interrupted.
. tests/e2e/lib.sh

V1=$IMAGES/app_100k_ed25519_v1_0_0.bin
V2=$IMAGES/app_100k_ed25519_v2.bin
V2_HASH=ef5da6ad19d003eb0a22cada919446bcf0c9218c3e2f6aea1a259548df75bc81
KEY=$IMAGES/keys/ed25519.pub.pem
BIG=$IMAGES/app_256k_ecdsa-p256.bin
BIG_HASH=047d5c2092c57b8a5923b4172391c2aee25635ddd917d0c92da996196aecae64
mkdir -p "$WORK/fs"
DEV="$SIMDEV --flash $WORK/flash.bin --primary $V1 --fs-root $WORK/fs"
one_line() { [ -n "$ERR" ] && [ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ]; }
ex() { t_run "$SMPCTL" --exec "$DEV --stdio" "$@"; }
exr() { t_run "$SMPCTL" --exec-raw "$DEV --stdio-raw" "$@"; }
slot_hash() {
	"$SMPCTL" --exec "$DEV --stdio" --json image list | jq -r ".images[] | select(.slot == $1) | .hash"
}
# gone PID: true once no process has that pid (waits T_WAIT_S at most).
gone() {
	_gone_pid=$1
	wait_until '! kill -0 "$_gone_pid" 2>/dev/null'
}

# Every common command through the framed pipe.
# The command's stderr is shown with -v only.
ex -v echo hello pipe
expect exec_echo '[ $RC -eq 0 ] && [ "$OUT" = "hello pipe" ] && printf "%s" "$ERR" | grep -q "exec: ready stdio"'
ex --json params
expect exec_params '[ $RC -eq 0 ] && [ "$(jqr .buf_size)" = 2048 ] && [ -z "$ERR" ]'
ex --json os info s
expect exec_os_info '[ $RC -eq 0 ] && [ "$(jqr .output)" = Zephyr ]'
ex -v --json image upload "$V2"
expect exec_upload_and_list '[ $RC -eq 0 ] && [ "$(slot_hash 1)" = $V2_HASH ] &&
	printf "%s" "$ERR" | grep -q "exec packets up to 2044 bytes"'
head -c 5000 /dev/urandom >"$WORK/f1"
ex fs upload "$WORK/f1" /lfs/f1
ex2rc=$RC
ex fs download /lfs/f1 "$WORK/f1.back"
expect exec_fs_roundtrip '[ $ex2rc -eq 0 ] && [ $RC -eq 0 ] && cmp -s "$WORK/f1" "$WORK/f1.back"'
ex reset
expect exec_reset '[ $RC -eq 0 ]'
rm -f "$WORK/flash.bin"
ex --json upgrade "$V2" --key "$KEY"
expect exec_upgrade '[ $RC -eq 0 ] && [ "$(slot_hash 0)" = $V2_HASH ]'

# Length-prefixed packets, no base64.
rm -f "$WORK/flash.bin"
exr echo hello raw
expect exec_raw_echo '[ $RC -eq 0 ] && [ "$OUT" = "hello raw" ]'
exr -v --json image upload "$V2"
expect exec_raw_upload '[ $RC -eq 0 ] && [ "$(slot_hash 1)" = $V2_HASH ] &&
	printf "%s" "$ERR" | grep -q "exec packets up to 2048 bytes"'
# Framing the device does not speak: no answer, not a hang or a crash.
t_run "$SMPCTL" --timeout 0.3 --retries 0 --exec-raw "$DEV --stdio" echo x
expect exec_raw_mismatch '[ $RC -eq 3 ] && one_line'
# A bridge that sends garbage in raw mode, then waits for smpctl to close
# the pipe: a clear error.
t_run "$SMPCTL" --exec-raw "printf '\\000\\003abc'; exec cat >/dev/null" echo x
expect exec_raw_garbage '[ $RC -eq 3 ] && one_line && printf "%s" "$ERR" | grep -q "not length-prefixed"'

# How the command ended, in one line, exit 3.
t_run "$SMPCTL" --exec "echo 'gateway: no route to device' >&2; exit 7" echo x
expect exec_exit_status '[ $RC -eq 3 ] && one_line && printf "%s" "$ERR" | grep -q "exited with status 7: gateway: no route to device"'
t_run "$SMPCTL" --exec "kill -9 \$\$" echo x
expect exec_killed '[ $RC -eq 3 ] && one_line && printf "%s" "$ERR" | grep -q "killed by signal 9"'
t_run "$SMPCTL" --exec "no-such-bridge-cmd" echo x
expect exec_not_found '[ $RC -eq 3 ] && one_line && printf "%s" "$ERR" | grep -q "status 127"'
t_run "$SMPCTL" --exec "" echo x
expect exec_empty_is_usage '[ $RC -eq 2 ] && one_line'

# A device that outlives the pipe (a UART behind a gateway, here a serial
# server), reached by a bridge that dies after passing 60 kB: a transport
# error naming its status, then a second run resumes the upload.
rm -f "$WORK/flash.bin"
sim_launch serial-tcp --serial-tcp 0 --primary "$V1"
PORT=${SIM_READY##*:}
BRIDGE="exec 3<>/dev/tcp/127.0.0.1/$PORT; cat <&3 & "
t_run "$SMPCTL" --exec "bash -c '$BRIDGE dd bs=4096 count=60000 iflag=count_bytes status=none >&3; kill \$!; exit 9'" --json image upload "$BIG"
expect exec_dies_mid_upload '[ $RC -eq 3 ] && one_line && printf "%s" "$ERR" | grep -q "exited with status 9"'
t_run "$SMPCTL" --exec "bash -c '$BRIDGE cat >&3; kill \$!'" --json image upload "$BIG"
expect exec_resumes '[ $RC -eq 0 ] && [ "$(jqr .resumed_from)" -gt 0 ] &&
	[ "$(t_run "$SMPCTL" --exec "bash -c '"'$BRIDGE cat >&3; kill \$!'"'" --json image list; jqr ".images[] | select(.slot == 1) | .hash")" = $BIG_HASH ]'
sim_stop

# socat, when installed, as the bridge users write.
if command -v socat >/dev/null 2>&1; then
	sim_launch serial-tcp --serial-tcp 0 --primary "$V1"
	t_run "$SMPCTL" --exec "socat - TCP:127.0.0.1:${SIM_READY##*:}" echo via socat
	expect exec_socat '[ $RC -eq 0 ] && [ "$OUT" = "via socat" ]'
	sim_stop
fi

# Nothing left behind: the command and what it started are ended on
# close, and when smpctl is interrupted midway (SIGINT, SIGTERM).
PIDS="echo \$\$ >$WORK/child.pid; sleep 300 & echo \$! >$WORK/grand.pid;"
rm -f "$WORK/child.pid" "$WORK/grand.pid"
t_run "$SMPCTL" --exec "$PIDS exec $DEV --stdio" echo x
expect exec_close_reaps '[ $RC -eq 0 ] && gone "$(cat "$WORK/child.pid")" && gone "$(cat "$WORK/grand.pid")"'
# The device hangs at the upload's first chunk; smpctl's timeout outlasts
# the test, and the signal comes once the device has the chunk.
for sig in INT TERM; do
	rm -f "$WORK/child.pid" "$WORK/grand.pid" "$WORK/flash.bin" "$WORK/events"
	bg_start "$SMPCTL" --timeout 600 \
		--exec "$PIDS exec $DEV --stdio --stall-at-byte 0 --events $WORK/events" \
		image upload "$V2"
	wait_line "$WORK/events" '^event stalled 0$' "$BG_PID"
	bg_end "$sig"
	expect "exec_sig${sig}_reaps" 'grep -qx "event stalled 0" "$WORK/events" && [ $RC -gt 128 ] &&
		printf "%s" "$ERR" | grep -q interrupted && gone "$(cat "$WORK/child.pid")" && gone "$(cat "$WORK/grand.pid")"'
done

exit $T_FAILED
