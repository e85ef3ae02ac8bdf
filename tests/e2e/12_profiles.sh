#!/bin/sh
# Connection profiles: a named profile, the default one, command-line
# options winning, and bad files.
. tests/e2e/lib.sh

sim_start
cfg=$WORK/config
cat >"$cfg" <<EOT
# smpctl profiles
[board]
udp = $SIM_ADDR
timeout = 5
json = true

[broken]
udp = $SIM_ADDR
colour = blue
EOT
export SMPCTL_CONFIG="$cfg"

t_run "$SMPCTL" --profile board echo hi
expect profile_named '[ $RC -eq 0 ] && [ "$(jqr .echo)" = hi ]'
t_run "$SMPCTL" echo hi
expect no_default_profile_no_device '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "no device given"'
SMPCTL_PROFILE=board t_run "$SMPCTL" echo env
expect profile_from_env '[ "$(jqr .echo)" = env ]'
t_run "$SMPCTL" -p board --udp 127.0.0.1:9 --timeout 0.2 --retries 0 echo x
expect command_line_wins '[ $RC -eq 3 ]'
t_run "$SMPCTL" -p nosuch echo x
expect missing_profile '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "no profile \[nosuch\]"'
t_run "$SMPCTL" -p broken echo x
expect bad_profile_key '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "unknown option .colour."'

printf '[default]\nudp = %s\n' "$SIM_ADDR" >"$cfg"
t_run "$SMPCTL" echo via default
expect default_profile '[ "$OUT" = "via default" ]'
SMPCTL_CONFIG="$WORK/none" t_run "$SMPCTL" -p board echo x
expect unreadable_config '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "cannot read"'
exit $T_FAILED
