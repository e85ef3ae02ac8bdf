#!/bin/sh
# The interactive shell, on a pseudo-terminal made by script(1).
. tests/e2e/lib.sh

sim_start
printf 'echo one two\nparams --json\nimage frob\necho after error\nquit\n' |
	TERM=dumb script -qec "$SMPCTL --udp $SIM_ADDR" /dev/null >"$WORK/session" 2>&1
RC=$?
OUT=$(tr -d '\r' <"$WORK/session")
ERR=""
expect interactive_runs_commands 'printf "%s" "$OUT" | grep -q "^one two$"'
expect interactive_json_per_line 'printf "%s" "$OUT" | grep -q "\"buf_size\": 2048"'
expect interactive_survives_errors 'printf "%s" "$OUT" | grep -q "unknown command .image frob." &&
	printf "%s" "$OUT" | grep -q "^after error$"'

# Not on a terminal, no command is a usage error, not a hang.
t_run "$SMPCTL" --udp "$SIM_ADDR" </dev/null
expect no_command_not_tty '[ $RC -eq 2 ]'
exit $T_FAILED
