#!/bin/sh
# The interactive shell on a real terminal (tmux): Ctrl-C ends the line or
# the running command, not the shell; options complete; the history is
# kept in the XDG state directory. Every wait is for an event on the
# screen or from the device, never a fixed sleep.
. tests/e2e/lib.sh

command -v tmux >/dev/null || { echo "FAIL shell_tty: tmux is not installed"; exit 1; }
# The upload stalls halfway, so that it is still running when Ctrl-C
# comes: with its timeout long and its packet size pinned, smpctl waits
# for the device as long as the test needs.
sim_start --stall-at-byte 524288
TM="tmux -S $WORK/tmux"
# A test that stops early must not leave the terminal server running.
trap '$TM kill-server 2>/dev/null; t_cleanup' EXIT
mkdir -p "$WORK/state"
$TM new-session -d -x 150 -y 50 \
	"env XDG_STATE_HOME=$WORK/state TERM=xterm $SMPCTL --udp $SIM_ADDR --timeout 600 --mtu 1024; echo shell-ended rc=\$?; sleep 600"
screen() { $TM capture-pane -p -S -200 2>/dev/null; }
# wait_for REGEX: until the screen shows it.
wait_for() {
	_wf_re=$1
	wait_until 'screen | grep -q -- "$_wf_re"'
}
keys() { $TM send-keys "$@"; }
RC=0 OUT="" ERR=""

wait_for '^smpctl>'
expect shell_prompt 'screen | grep -q "^smpctl>"'

keys 'echo dropped-line' C-c
keys 'echo after-ctrl-c' Enter
wait_for '^after-ctrl-c$'
OUT=$(screen)
expect ctrl_c_at_prompt_drops_line '! printf "%s\n" "$OUT" | grep -q "^dropped-line$" &&
	printf "%s\n" "$OUT" | grep -q "^after-ctrl-c$" && ! printf "%s" "$OUT" | grep -q shell-ended'

keys "image upload $IMAGES/app_1m_unsigned.bin" Enter
sim_wait 'stalled [0-9]*'
keys C-c
wait_for '^smpctl: interrupted'
sim_release
sim_wait released
keys 'echo link-still-usable' Enter
wait_for '^link-still-usable$'
OUT=$(screen)
expect ctrl_c_stops_command 'printf "%s" "$OUT" | grep -q "interrupted" &&
	printf "%s\n" "$OUT" | grep -q "^link-still-usable$" && ! printf "%s" "$OUT" | grep -q shell-ended'

keys 'image erase --sl' Tab
wait_for 'image erase --slot'
expect options_complete 'screen | grep -q "smpctl> image erase --slot"'
keys C-c

keys 'help' Enter
wait_for '^  quit '
expect help_lists_quit_exit 'screen | grep -q "^  quit " && screen | grep -q "^  exit "'

keys 'quit' Enter
wait_for 'shell-ended'
OUT=$(screen)
expect quit_ends_shell 'printf "%s" "$OUT" | grep -q "shell-ended rc=0"'
$TM kill-server 2>/dev/null
HIST="$WORK/state/smpctl/history"
expect history_saved '[ -f "$HIST" ] && grep -q "^echo link-still-usable$" "$HIST" &&
	! grep -q "dropped-line" "$HIST"'
expect history_private '[ "$(stat -c %a "$WORK/state/smpctl")" = 700 ] && [ "$(stat -c %a "$HIST")" = 600 ]'

# The next session reads it back: Up brings the last line. On a server of
# its own: a new session on the one still shutting down can land on it
# and show the old screen.
TM="tmux -S $WORK/tmux2"
$TM new-session -d -x 150 -y 50 \
	"env XDG_STATE_HOME=$WORK/state TERM=xterm $SMPCTL --udp $SIM_ADDR; echo shell-ended rc=\$?; sleep 600"
wait_for '^smpctl>'
keys Up
wait_for 'smpctl> quit'
expect history_read_back 'screen | grep -q "smpctl> quit"'
keys Enter
wait_for 'shell-ended'
$TM kill-server 2>/dev/null

# A symlink where the history goes is left alone.
rm -f "$HIST"
ln -s "$WORK/elsewhere" "$HIST"
printf 'echo x\nquit\n' | TERM=dumb XDG_STATE_HOME=$WORK/state timeout 600 \
	script -qec "$SMPCTL --udp $SIM_ADDR" /dev/null >"$WORK/session" 2>&1
expect history_symlink_untouched '[ -L "$HIST" ] && [ ! -e "$WORK/elsewhere" ] &&
	grep -q "not a regular file" "$WORK/session"'
exit $T_FAILED
