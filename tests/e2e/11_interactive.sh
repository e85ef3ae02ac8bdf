#!/bin/sh
# The interactive shell, on a pseudo-terminal made by script(1).
. tests/e2e/lib.sh

sim_start
printf 'echo one two\nparams --json\nimage frob\necho after error\nhelp\nquit\n' |
	TERM=dumb XDG_STATE_HOME="$WORK/state" script -qec "$SMPCTL --udp $SIM_ADDR" /dev/null >"$WORK/session" 2>&1
RC=$?
OUT=$(tr -d '\r' <"$WORK/session")
ERR=""
expect interactive_runs_commands 'printf "%s" "$OUT" | grep -q "^one two$"'
expect interactive_json_per_line 'printf "%s" "$OUT" | grep -q "\"buf_size\": 2048"'
expect interactive_survives_errors 'printf "%s" "$OUT" | grep -q "unknown command .image frob." &&
	printf "%s" "$OUT" | grep -q "^after error$"'
expect interactive_help_lists_quit 'printf "%s" "$OUT" | grep -q "^  quit .*end the shell" &&
	printf "%s" "$OUT" | grep -q "^  exit .*end the shell"'

# Not on a terminal, standard input is a script: one command a line,
# blank lines and # comments skipped, stopping at the first failure with
# its exit code.
t_run "$SMPCTL" --udp "$SIM_ADDR" </dev/null
expect empty_script_not_tty '[ $RC -eq 0 ] && [ -z "$OUT" ] && [ -z "$ERR" ]'
printf '# set up\necho one\n\n  echo two  \nparams --json\n' >"$WORK/script"
t_run "$SMPCTL" --udp "$SIM_ADDR" <"$WORK/script"
expect script_runs_lines '[ $RC -eq 0 ] && [ "$(printf "%s\n" "$OUT" | head -2)" = "one
two" ] && printf "%s" "$OUT" | grep -q "\"buf_size\": 2048"'
printf 'echo one\nimage test 00\necho not-reached\n' >"$WORK/script"
t_run "$SMPCTL" --udp "$SIM_ADDR" <"$WORK/script"
expect script_stops_at_failure '[ $RC -eq 2 ] && [ "$OUT" = one ] &&
	printf "%s" "$ERR" | grep -q "stopped at line 2 of the script (exit 2)"'
printf 'echo one\nquit\necho not-reached\n' >"$WORK/script"
t_run "$SMPCTL" --udp "$SIM_ADDR" <"$WORK/script"
expect script_quit '[ $RC -eq 0 ] && [ "$OUT" = one ]'
# No device and no command: one line, not the whole help.
t_run "$SMPCTL" </dev/null
expect no_command_one_line '[ $RC -eq 2 ] && [ -z "$OUT" ] && [ "$(printf "%s\n" "$ERR" | wc -l)" -eq 1 ]'
exit $T_FAILED
