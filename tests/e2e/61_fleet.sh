#!/bin/sh
# The factory line. Eight simulated boards at once, four over UDP and four
# on serial pseudo-terminals, named by transport spec, by profile and from
# an --each-file list; one already runs the new image, one loses power
# (its simulator ends) once its upload is 32 KiB in. Checked: the
# per-board JSON and table, the exit code, and each device's flash after.
. tests/e2e/lib.sh

V1="$IMAGES/app_100k_ed25519_v1_0_0.bin"
V2="$IMAGES/app_100k_ed25519_v2.bin"
H2=ef5da6ad19d003eb0a22cada919446bcf0c9218c3e2f6aea1a259548df75bc81
PIDS=""
trap 'for p in $PIDS; do kill $p 2>/dev/null; done; wait 2>/dev/null; t_cleanup' EXIT

# board N KIND PRIMARY [simdev options]: starts board N (flash b$N.bin);
# sets WHERE_N to its CONN spec and PID_N.
board() {
	n=$1 kind=$2 primary=$3
	shift 3
	case $kind in
	udp) front="--udp 0" ;;
	ble) front="--att $WORK/att$n.sock" ;;
	*) front="--pty $WORK/tty$n" ;;
	esac
	"$SIMDEV" --flash "$WORK/b$n.bin" --primary "$primary" $front "$@" >"$WORK/b$n.out" 2>&1 &
	eval "PID_$n=$!"
	PIDS="$PIDS $!"
	wait_line "$WORK/b$n.out" '^ready [a-z]* ' $! ||
		{ echo "FAIL fleet_board_$n: did not start: $(cat "$WORK/b$n.out")"; exit 1; }
	w=$(sed -n "s/^ready [a-z]* //p" "$WORK/b$n.out")
	[ "$kind" = ble ] && w=unix:$WORK/att$n.sock
	eval "WHERE_$n=$kind:$w"
}

board 1 udp "$V1"
board 2 udp "$V1"
board 3 udp "$V2"		# already runs the new image
board 4 udp "$V1" --die-at-byte 32768	# loses power during its upload
board 5 serial "$V1"
board 6 serial "$V1"
board 7 serial "$V1"
board 8 serial "$V1"
# Board 2 by profile name; boards 5-8 from a list file.
printf '[line2]\nudp = %s\n' "${WHERE_2#udp:}" >"$HOME/profile"
export SMPCTL_CONFIG="$HOME/profile"
printf '# serial boards\n%s\n\n%s  # bench B\n%s\n%s\n' "$WHERE_5" "$WHERE_6" "$WHERE_7" "$WHERE_8" >"$WORK/list"

"$SMPCTL" --json upgrade "$V2" --each "$WHERE_1" line2 "$WHERE_3" "$WHERE_4" \
	--each-file "$WORK/list" --each-timeout 300 >"$WORK/out" 2>"$WORK/progress"
RC=$?
OUT=$(cat "$WORK/out")
ERR=$(cat "$WORK/progress")
b() { jqr ".boards[] | select(.board == \"$1\") | $2"; }

expect fleet_exit_some_failed '[ $RC -eq 7 ] && [ "$(jqr .ok)" = false ] && [ "$(jqr ".boards | length")" = 8 ]'
expect fleet_order_kept '[ "$(jqr ".boards | map(.board) | join(\" \")")" = "$WHERE_1 line2 $WHERE_3 $WHERE_4 $WHERE_5 $WHERE_6 $WHERE_7 $WHERE_8" ]'
ok=1
for n in 1 5 6 7 8; do
	eval "w=\$WHERE_$n"
	[ "$(b "$w" .result)" = upgraded ] && [ "$(b "$w" .version_before)" = 1.0.0 ] &&
		[ "$(b "$w" .version_after)" = 2.0.0 ] && [ "$(b "$w" .error)" = null ] || ok=0
done
expect fleet_six_upgraded '[ $ok = 1 ] && [ "$(b line2 .result)" = upgraded ] && [ "$(b line2 .version_after)" = 2.0.0 ]'
expect fleet_up_to_date '[ "$(b "$WHERE_3" .result)" = up-to-date ] && [ "$(b "$WHERE_3" .version_before)" = 2.0.0 ]'
expect fleet_one_failed_mid_upload 'grep -q "^event died [0-9]" "$WORK/b4.out" &&
	[ "$(b "$WHERE_4" .result)" = failed ] && [ "$(b "$WHERE_4" .step)" = upload ] &&
	[ "$(b "$WHERE_4" .exit_code)" = 3 ] && [ "$(b "$WHERE_4" .version_before)" = 1.0.0 ] &&
	[ "$(b "$WHERE_4" .version_after)" = null ] && [ "$(b "$WHERE_4" .error)" != null ]'
# The progress lines come from each board's JSON progress lines (the
# ones a script gets): the upload's percent in quarters, then the
# upgrade's own steps, for every board; the one that lost power stops
# in its upload.
said() { printf "%s\n" "$ERR" | grep -c "^$1  *$2$"; }
ok=1
for w in "$WHERE_1" line2 "$WHERE_5" "$WHERE_6" "$WHERE_7" "$WHERE_8"; do
	for p in connect before verify state "upload   0%" "upload  [2-7][0-9]%" "upload 100%" test \
		reset confirm after upgraded; do
		[ "$(said "$w" "$p")" -ge 1 ] || { ok=0; echo "  $w: no line '$p'"; }
	done
done
expect fleet_progress_from_json_lines '[ $ok = 1 ] && [ "$(said "$WHERE_4" "upload  [2-3][0-9]%")" = 1 ] &&
	[ "$(said "$WHERE_4" "upload 100%")" = 0 ] && [ "$(said "$WHERE_4" failed)" = 1 ] &&
	[ "$(said "$WHERE_3" up-to-date)" = 1 ] && [ "$(said "$WHERE_3" verify)" = 0 ]'
# seconds: to the millisecond, with its fewest digits (1.5, never 1.500).
expect fleet_seconds_to_ms '[ "$(jqr "[.boards[].seconds | type == \"number\" and
	(. * 1000 | round) / 1000 == .] | all")" = true ] &&
	! printf "%s\n" "$OUT" | grep -Eq "\"seconds\": -?[0-9]+\.([0-9]*0|[0-9]{4,}),?$"'

# The devices themselves: the six run 2.0.0 confirmed; the up-to-date one
# got no upload; the failed one, powered again, still runs 1.0.0.
state_ok=1
for n in 1 2 5 6 7 8; do
	eval "w=\$WHERE_$n"
	case $w in udp:*) c="--udp ${w#udp:}";; *) c="--serial ${w#serial:}";; esac
	t_run "$SMPCTL" $c --json image list
	[ "$(jqr '.images[] | select(.slot == 0) | .version')" = 2.0.0 ] &&
		[ "$(jqr '.images[] | select(.slot == 0) | .confirmed')" = true ] || state_ok=0
done
expect fleet_devices_upgraded '[ $state_ok = 1 ]'
t_run "$SMPCTL" --udp "${WHERE_3#udp:}" --json image list
expect fleet_up_to_date_untouched '[ "$(jqr ".images | length")" = 1 ] && [ "$(jqr ".images[0].hash")" = $H2 ]'
sim_start --flash "$WORK/b4.bin"
smp --json image list
expect fleet_failed_board_unchanged '[ "$(jqr ".images[] | select(.slot == 0) | .version")" = 1.0.0 ] &&
	[ "$(jqr ".images[] | select(.slot == 0) | .confirmed")" = true ]'
sim_stop

# Again, as a table: every reachable board is now up to date, exit 0.
t_run "$SMPCTL" upgrade "$V2" --each "$WHERE_1" "$WHERE_5"
expect fleet_table_all_ok '[ $RC -eq 0 ] && printf "%s\n" "$OUT" | head -1 | grep -q "^BOARD  *RESULT  *BEFORE  *AFTER  *HASH  *TIME  *ERROR$" &&
	[ "$(printf "%s\n" "$OUT" | grep -c " up-to-date  *2.0.0  *2.0.0 ")" = 2 ] &&
	printf "%s" "$OUT" | grep -q "^2 boards: 0 upgraded, 2 up to date, 0 failed$"'
t_run "$SMPCTL" upgrade "$V2" --each "$WHERE_1" nosuchprofile
expect fleet_table_failed_row '[ $RC -eq 7 ] && printf "%s" "$OUT" | grep -q "^nosuchprofile  *failed .*no profile \[nosuchprofile\]"'

# The table: the hash beside the version, columns kept with a long board
# name, and the failed boards written for --each-file to retry.
LONGNAME=line2-bench-board-with-a-rather-long-name-00
printf '[%s]\nudp = %s\n' "$LONGNAME" "${WHERE_2#udp:}" >>"$HOME/profile"
t_run "$SMPCTL" upgrade "$V2" --each "$WHERE_1" "$LONGNAME" nosuchprofile \
	--each-failed "$WORK/failed"
col() { printf "%s\n" "$OUT" | grep "^$1" | awk -v w="$2" '{ print index($0, w) }'; }
expect fleet_table_hash_column '[ $RC -eq 7 ] &&
	[ "$(printf "%s\n" "$OUT" | grep -c " up-to-date  *2.0.0  *2.0.0  *${H2%${H2#????????}}  ")" = 2 ]'
expect fleet_table_long_name_columns '[ "$(col BOARD RESULT)" = "$(col "$LONGNAME" up-to-date)" ] &&
	[ "$(col BOARD RESULT)" = "$(col nosuchprofile failed)" ] && [ "$(col BOARD RESULT)" -gt 46 ]'
expect fleet_failed_file '[ "$(cat "$WORK/failed")" = nosuchprofile ]'
t_run "$SMPCTL" --json upgrade "$V2" --each-file "$WORK/failed"
expect fleet_failed_file_retry '[ $RC -eq 7 ] && [ "$(jqr ".boards | length")" = 1 ] &&
	[ "$(jqr ".boards[0].board")" = nosuchprofile ]'
t_run "$SMPCTL" upgrade "$V2" --each "$WHERE_1" --each-failed "$WORK/failed"
expect fleet_failed_file_emptied '[ $RC -eq 0 ] && [ -f "$WORK/failed" ] && [ ! -s "$WORK/failed" ]'
ln -s /dev/null "$WORK/failed-link"
t_run "$SMPCTL" upgrade "$V2" --each "$WHERE_1" --each-failed "$WORK/failed-link"
expect fleet_failed_file_no_symlink '[ $RC -ne 0 ] && [ -L "$WORK/failed-link" ] &&
	printf "%s" "$ERR" | grep -q "each-failed"'

# A board over Bluetooth LE (the simulator's ATT stand-in) by ble:TARGET.
board 9 ble "$V1"
t_run "$SMPCTL" upgrade "$V2" --each "$WHERE_9"
expect fleet_ble_board '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -q "^ble:unix:.* upgraded  *1.0.0  *2.0.0 "'

# A board slower than --each-timeout is stopped and counted failed; the
# other board is not held up by it. Board 10's upload stalls at its first
# chunk, whose answer smpctl awaits as long as its timeout (600 s): only
# the factory line's limit ends it.
board 10 udp "$V1" --stall-at-byte 0
board 11 udp "$V1"
t_run "$SMPCTL" --timeout 600 --json upgrade "$V2" --each "$WHERE_10" "$WHERE_11" --each-timeout 30
expect fleet_board_timeout '[ $RC -eq 7 ] && [ "$(b "$WHERE_10" .result)" = failed ] &&
	grep -q "^event stalled 0" "$WORK/b10.out" &&
	printf "%s" "$(b "$WHERE_10" .error)" | grep -q "no result within 30 s" &&
	[ "$(b "$WHERE_11" .result)" = upgraded ]'
expect fleet_timeout_keeps_before '[ "$(b "$WHERE_10" .version_before)" = 1.0.0 ] &&
	[ -n "$(b "$WHERE_10" .hash_before)" ] && [ "$(b "$WHERE_10" .hash_before)" != null ]'
expect fleet_timeout_keeps_before '[ "$(b "$WHERE_10" .version_before)" = 1.0.0 ] &&
	[ -n "$(b "$WHERE_10" .hash_before)" ] && [ "$(b "$WHERE_10" .hash_before)" != null ]'

# Bad command lines stop before any board is touched.
t_run "$SMPCTL" upgrade "$V2" --each
expect fleet_no_boards '[ $RC -eq 2 ] && [ -z "$OUT" ]'
t_run "$SMPCTL" upgrade "$V2" --each-file "$WORK/none"
expect fleet_missing_list '[ $RC -eq 6 ] && [ -z "$OUT" ]'
printf '# nothing\n' >"$WORK/empty"
t_run "$SMPCTL" upgrade "$V2" --each-file "$WORK/empty"
expect fleet_empty_list '[ $RC -eq 2 ]'
t_run "$SMPCTL" upgrade "$IMAGES/bad_magic_1k_rsa2048.bin" --each "$WHERE_1"
expect fleet_bad_image_once '[ $RC -eq 5 ] && [ -z "$OUT" ] && [ "$(printf "%s\n" "$ERR" | wc -l)" -eq 1 ]'
t_run "$SMPCTL" upgrade "$V2" --each "$WHERE_1" "$WHERE_1"
expect fleet_duplicate_board '[ $RC -eq 2 ]'
t_run "$SMPCTL" upgrade "$V2" --each "$WHERE_1" --each-timeout 0
expect fleet_bad_timeout '[ $RC -eq 2 ]'
exit $T_FAILED
