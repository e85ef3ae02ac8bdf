#!/bin/sh
# What a long upload shows: the erase phase before the first answer, a bar
# on a terminal (tmux) with -v lines above it, plain lines in a log, JSON
# lines for scripts, Ctrl-C that clears the bar and says how to resume, a
# silent device named in words. The device stops at a byte count
# (--stall-at-byte) and every wait is for its "event stalled" line or for the
# screen, with a generous bound, never a fixed sleep.
. tests/e2e/lib.sh

command -v tmux >/dev/null || { echo "FAIL upload_progress: tmux is not installed"; exit 1; }
IMG="$IMAGES/app_100k_unsigned.bin"
TM="tmux -S $WORK/tmux0"
trap '$TM kill-server 2>/dev/null; t_cleanup' EXIT

# poll CONDITION: until it holds (60 s at most).
poll() {
	i=0
	while [ $i -lt 600 ]; do
		eval "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
stalled() { grep -q "^event stalled" "$WORK/sim.out" 2>/dev/null; }
screen() { $TM capture-pane -p -S -200 2>/dev/null; }
on_screen() { screen | grep -q -- "$1"; }
# fresh_sim [simdev options...]: a device with an empty slot 1.
fresh_sim() {
	sim_stop
	rm -f "$WORK/flash.bin"
	sim_start "$@"
}
# tty CMD: runs CMD in a fresh 100-column terminal; its exit code follows.
# A new server each time: one shutting down cannot take the next one.
TTYS=0
tty_run() {
	$TM kill-server 2>/dev/null
	TTYS=$((TTYS + 1))
	TM="tmux -S $WORK/tmux$TTYS"
	# The shell ignores SIGINT, so that Ctrl-C reaches smpctl alone and
	# the shell lives on to print its exit code.
	$TM new-session -d -x 100 -y 30 "trap '' INT; TERM=xterm $1; echo rc=\$?; sleep 60"
}

# Not a terminal: the erase phase, then one line a 10 % step.
sim_start
smp image upload "$IMG"
LINES=$(printf '%s\n' "$ERR" | grep -c '^upload: *[0-9]*% ')
expect lines_log_erase_phase_first '[ $RC -eq 0 ] &&
	printf "%s\n" "$ERR" | head -1 | grep -q "^upload: erasing slot 1… [0-9]* s$"'
expect lines_every_ten_percent '[ "$LINES" -ge 10 ] && [ "$LINES" -le 11 ] &&
	printf "%s\n" "$ERR" | tail -1 | grep -q "^upload: 100% 100.5 KiB/100.5 KiB"'
expect lines_no_terminal_codes '! printf "%s" "$ERR" | grep -q "$(printf "\r\|\033")"'
expect final_line_on_stdout 'printf "%s\n" "$OUT" | grep -q "^uploaded 100.5 KiB in [0-9.]* s"'

# JSON lines: with --json by default, and --progress json alone.
smp --json image upload --force "$IMG"
printf '%s\n' "$ERR" >"$WORK/jl"
expect json_lines_parse '[ $RC -eq 0 ] && jq -e -s "length >= 10 and all(.[];
	(.phase | type) == \"string\" and (.bytes | type) == \"number\" and
	(.total | type) == \"number\" and (.rate | type) == \"number\" and
	(has(\"eta\")) and (.window | type) == \"number\")" "$WORK/jl" >/dev/null'
expect json_lines_phases 'jq -e -s ".[0].phase == \"erase\" and .[-1].phase == \"done\" and
	.[-1].bytes == .[-1].total and .[-1].eta == null and
	([.[] | select(.phase == \"upload\") | .bytes] | . == sort)" "$WORK/jl" >/dev/null'
expect json_doc_ok 'printf "%s" "$OUT" | jq -e ".ok == true and (.erase_seconds | type) == \"number\"
	and .seconds >= .erase_seconds" >/dev/null'
smp --progress json image upload --force "$IMG"
expect progress_json_without_json '[ $RC -eq 0 ] && printf "%s\n" "$OUT" | grep -q "^uploaded" &&
	printf "%s\n" "$ERR" | jq -e -s ".[-1].phase == \"done\"" >/dev/null'
smp --progress none image upload --force "$IMG"
expect progress_none_quiet '[ $RC -eq 0 ] && [ -z "$ERR" ]'
smp --progress sometimes image upload --force "$IMG"
expect progress_bad_mode '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "auto, bar, lines, json or none"'
sim_stop

# A device that stops answering is named in words, not by the probing.
fresh_sim --stall-at-byte 51200
smp -t 1 image upload "$IMG"
expect silent_device_in_words '[ $RC -eq 3 ] && stalled &&
	printf "%s" "$ERR" | grep -q "no answer for [0-9]* s, [0-9]* tries" &&
	printf "%s" "$ERR" | grep -q "run the same command again to resume" &&
	! printf "%s" "$ERR" | grep -q "byte packets"'
sim_stop

# A terminal: the erase phase counts seconds until the first answer;
# Ctrl-C clears it and says how to resume; exit 130.
fresh_sim --stall-at-byte 0
tty_run "$SMPCTL --udp $SIM_ADDR image upload $IMG"
poll stalled && poll 'on_screen "^upload erasing slot 1… [1-9][0-9]* s"'
expect tty_erase_phase 'on_screen "^upload erasing slot 1… [1-9][0-9]* s"'
$TM send-keys C-c
poll 'on_screen "^rc="'
expect tty_ctrl_c_resume_hint 'on_screen "^smpctl: interrupted; run the same command again to resume$" &&
	on_screen "^rc=130$" && ! on_screen "erasing.*interrupted"'
sim_stop

# The bar, with -v log lines above it, and its line cleared by Ctrl-C.
fresh_sim --stall-at-byte 51200
tty_run "$SMPCTL -v --udp $SIM_ADDR image upload $IMG"
poll stalled && poll 'on_screen "^upload \[#*  *\]  *[45][0-9]% "'
OUT=$(screen | grep -v "^$")
expect tty_bar_drawn 'printf "%s\n" "$OUT" | tail -1 | grep -q "^upload \[#* *\]  *[45][0-9]% .*KiB/100.5 KiB"'
expect tty_verbose_above_bar 'printf "%s\n" "$OUT" | grep -q "^smpctl: uploading 102952 bytes" &&
	[ "$(printf "%s\n" "$OUT" | grep -c "^upload \[")" -eq 1 ]'
$TM send-keys C-c
poll 'on_screen "^rc="'
expect tty_bar_cleared_on_ctrl_c 'on_screen "^smpctl: interrupted; run the same command again to resume$" &&
	! on_screen "^upload \[" && on_screen "^rc=130$"'
sim_stop

# The interactive shell: Ctrl-C says "interrupted" once, no transport error.
fresh_sim --stall-at-byte 51200
tty_run "env XDG_STATE_HOME=$WORK/state $SMPCTL --udp $SIM_ADDR"
poll 'on_screen "^smpctl>"'
$TM send-keys "image upload $IMG" Enter
poll stalled && poll 'on_screen "^upload \["'
$TM send-keys C-c
poll 'on_screen "^smpctl: interrupted"'
# (help: the device is still hung; the shell is not)
$TM send-keys 'help' Enter
poll 'on_screen "^  quit "'
OUT=$(screen)
expect shell_interrupted_once '[ "$(printf "%s\n" "$OUT" | grep -c "interrupted")" -eq 1 ] &&
	! printf "%s" "$OUT" | grep -q "timed out\|transport\|no answer" &&
	printf "%s\n" "$OUT" | grep -q "^  quit "'
$TM kill-server 2>/dev/null
exit $T_FAILED
