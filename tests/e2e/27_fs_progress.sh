#!/bin/sh
# fs upload and fs download show their progress as image upload does
# (--progress): off a terminal a plain line every 10 % or 10 s, JSON lines
# on stderr with --json or --progress json, nothing with none. A transfer
# the device stalls (--stall-at-byte) keeps its lines going and, cut by
# Ctrl-C, says how to resume; every wait is for a line, never a sleep.
. tests/e2e/lib.sh

FS_ROOT="$WORK/fs"
mkdir -p "$FS_ROOT"
head -c 1048576 /dev/urandom >"$WORK/f1m"
no_codes() { ! printf "%s" "$ERR" | grep -q "$(printf "\r\|\033")"; }
# steps LABEL: the plain lines of LABEL in ERR.
steps() { printf '%s\n' "$ERR" | grep -c "^$1: *[0-9]*% "; }

sim_start --fs-root "$FS_ROOT"

# Not a terminal: one line a 10 % step, the last one whole.
smp fs upload "$WORK/f1m" /lfs/f1m
N=$(steps upload)
expect fs_upload_lines '[ $RC -eq 0 ] && [ "$N" -ge 10 ] && [ "$N" -le 11 ] &&
	printf "%s\n" "$ERR" | tail -1 | grep -q "^upload: 100% 1.0 MiB/1.0 MiB" && no_codes &&
	printf "%s\n" "$OUT" | grep -q "^uploaded 1.0 MiB to /lfs/f1m"'
smp fs download /lfs/f1m "$WORK/back"
N=$(steps download)
expect fs_download_lines '[ $RC -eq 0 ] && [ "$N" -ge 10 ] && [ "$N" -le 11 ] &&
	printf "%s\n" "$ERR" | tail -1 | grep -q "^download: 100% 1.0 MiB/1.0 MiB" && no_codes &&
	cmp -s "$WORK/f1m" "$WORK/back"'

# JSON lines: by default with --json, and with --progress json alone.
smp --json fs upload --force "$WORK/f1m" /lfs/f1m
printf '%s\n' "$ERR" >"$WORK/jl"
expect fs_upload_json_lines '[ $RC -eq 0 ] && jq -e -s "length >= 10 and all(.[];
	.progress == \"upload\" and (.phase | type) == \"string\" and
	(.bytes | type) == \"number\" and .total == 1048576 and (.rate | type) == \"number\" and
	has(\"eta\") and (.window | type) == \"number\") and
	.[0].phase == \"upload\" and .[-1].phase == \"done\" and .[-1].bytes == 1048576 and
	.[-1].eta == null and ([.[] | .bytes] | . == sort)" "$WORK/jl" >/dev/null &&
	[ "$(jqr .verified)" = true ]'
rm -f "$WORK/back"
smp --progress json fs download /lfs/f1m "$WORK/back"
printf '%s\n' "$ERR" >"$WORK/jl"
expect fs_download_progress_json '[ $RC -eq 0 ] && jq -e -s "length >= 10 and
	all(.[]; .progress == \"download\" and .total == 1048576) and
	([.[] | select(.phase != \"done\") | .phase] | unique) == [\"download\"] and
	.[-1].phase == \"done\" and .[-1].bytes == 1048576" "$WORK/jl" >/dev/null &&
	printf "%s\n" "$OUT" | grep -q "^downloaded 1.0 MiB" && cmp -s "$WORK/f1m" "$WORK/back"'
rm -f "$WORK/back"
smp --progress none fs download /lfs/f1m "$WORK/back"
expect fs_progress_none_quiet '[ $RC -eq 0 ] && [ -z "$ERR" ] && cmp -s "$WORK/f1m" "$WORK/back"'
sim_stop

# A stalled upload: its 50 % line, then a line 10 s on while no byte
# moves; Ctrl-C says how to resume.
rm -f "$FS_ROOT/up"
sim_start --fs-root "$FS_ROOT" --stall-at-byte 524288
bg_start "$SMPCTL" --udp "$SIM_ADDR" --timeout 600 --mtu 1024 --window 1 fs upload "$WORK/f1m" /lfs/up
sim_wait 'stalled [0-9]*'
wait_line "$WORK/bg.err" "^upload: *50% " "$BG_PID"
# The line 10 s after the 50 % one, with no byte moved, says 50 % again.
wait_until '[ "$(grep -c "^upload: *50% " "$WORK/bg.err")" -ge 2 ] || ! kill -0 $BG_PID'
bg_end INT
expect fs_stalled_keeps_lines '[ $RC -eq 130 ] && [ "$(printf "%s\n" "$ERR" | grep -c "^upload: *50% ")" -ge 2 ]'
expect fs_interrupt_resume_hint 'printf "%s\n" "$ERR" | tail -1 |
	grep -q "^smpctl: interrupted; run the same command again to resume$"'
sim_stop
exit $T_FAILED
