#!/bin/sh
# What a first-time user gets for a wrong command line: the option named,
# usage exit codes, help on stdout, valid ranges, and the --json failure
# document.
. tests/e2e/lib.sh

sim_start

t_run "$SMPCTL" --x echo hi
expect unknown_global_option '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "unknown option --x" &&
	! printf "%s" "$ERR" | grep -q "unknown command"'
smp image erase --bogus
expect unknown_command_option_named '[ $RC -eq 2 ] &&
	printf "%s" "$ERR" | grep -q "image erase: unknown option .--bogus."'
smp upgrade x.bin --frobnicate
expect unknown_upgrade_option_named '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "unknown option .--frobnicate."'
t_run "$SMPCTL" --udp "$SIM_ADDR" --serial /dev/null echo hi
expect two_transports_usage '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "one device at a time"'
t_run "$SMPCTL" --udp "$SIM_ADDR" --udp "$SIM_ADDR" echo hi
expect same_transport_twice_usage '[ $RC -eq 2 ]'
t_run "$SMPCTL" --udp "[::1" echo hi
expect malformed_address_usage '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "bad value for --udp"'

t_run "$SMPCTL" image --help
expect group_help_stdout '[ $RC -eq 0 ] && [ -z "$ERR" ] && printf "%s" "$OUT" | grep -q "^  upload "'
t_run "$SMPCTL" help image
expect help_names_group '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -q "usage: smpctl image <command>" &&
	! printf "%s" "$OUT" | grep -q "^  bootloader"'
t_run "$SMPCTL" help image upload
expect help_leaf_options '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -q "^  -c, --chunk-size N .*32 to 65535" &&
	printf "%s" "$OUT" | grep -q "^  -u, --upgrade "'
t_run "$SMPCTL" reset --help
expect command_help_describes '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -q "^  *--boot-mode N  *boot mode"'
t_run "$SMPCTL" upgrade file.bin --help
expect help_after_args '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -q "^  *--wait SECONDS"'
t_run "$SMPCTL" --udp "$SIM_ADDR" shell exec ls --help
expect shell_args_are_the_devices '! printf "%s" "$OUT" | grep -q "^usage: smpctl shell"'
t_run "$SMPCTL" help frob
expect help_unknown '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "no command .frob."'

smp --window 99 echo hi
expect window_range '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "from 1 to 16"'
smp reset --boot-mode 300
expect boot_mode_range '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "from 0 to 255"'
smp image erase --slot 256
expect slot_range '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "from 0 to 255"'
smp raw 70000 0
expect raw_group_range '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "from 0 to 65535"'
t_run "$SMPCTL" --timeout 0 echo hi
expect timeout_range '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "at most 3600"'

# --json: every failure gives one document on stdout.
smp --json image erase --slot 999
expect json_usage_error '[ $RC -eq 2 ] && [ "$(jqr .ok)" = false ] && [ "$(jqr .error.kind)" = usage ] &&
	[ "$(jqr .error.exit_code)" = 2 ] && jqr .error.message | grep -q "from 0 to 255"'
smp --json image test 0000000000000000000000000000000000000000000000000000000000000000
expect json_device_error '[ $RC -eq 1 ] && [ "$(jqr .ok)" = false ] && [ "$(jqr .error.kind)" = device ]'
t_run "$SMPCTL" --json --udp 127.0.0.1:9 --timeout 0.2 --retries 0 params
expect json_transport_error '[ $RC -eq 3 ] && [ "$(jqr .error.kind)" = transport ] &&
	[ "$(printf "%s" "$OUT" | jq -s length)" = 1 ]'
t_run "$SMPCTL" --json --window 99 echo hi
expect json_global_option_error '[ $RC -eq 2 ] && [ "$(jqr .error.kind)" = usage ] && jqr .error.message | grep -q "from 1 to 16"'
smp --json echo hi
expect json_success_unchanged '[ $RC -eq 0 ] && [ "$(jqr .echo)" = hi ]'
exit $T_FAILED
