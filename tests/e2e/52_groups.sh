#!/bin/sh
# Enumeration, settings, shell, statistics, Zephyr basic (storage erase)
# and raw requests, over UDP and serial; errors by name.
. tests/e2e/lib.sh
. tests/e2e/groups_lib.sh

body() {
	dev_start

	dev groups
	check groups_table '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -q "^8 groups$" &&
		printf "%s" "$OUT" | grep -q "^8 *fs *fs mgmt *5$" &&
		printf "%s" "$OUT" | grep -q "^63 *zephyr-basic *zephyr basic mgmt *1$"'
	dev --json groups
	check groups_json '[ "$(jqr .count)" = 8 ] && [ "$(jqr ".groups | map(.id) | join(\",\")")" = "0,1,2,3,8,9,10,63" ] &&
		[ "$(jqr ".groups[0].handlers")" = 9 ]'
	dev --json groups 8 9
	check groups_filter '[ "$(jqr ".groups | length")" = 2 ] && [ "$(jqr ".groups[1].device_name")" = "shell mgmt" ]'
	dev groups banana
	check groups_usage '[ $RC -eq 2 ] && one_line_err'

	# Settings: text, hex and files; run-time values, storage, errors.
	dev settings read app/name
	check settings_read_text '[ $RC -eq 0 ] && [ "$OUT" = smp_svr ]'
	dev --json settings read app/interval
	check settings_read_binary_json '[ "$(jqr .hex)" = e8030000 ] && [ "$(jqr .text)" = null ]'
	dev settings write app/name "hello world"
	check settings_write_text '[ $RC -eq 0 ]'
	dev settings read app/name
	check settings_reads_back '[ "$OUT" = "hello world" ]'
	dev settings write app/blob --hex 00ff7f
	dev settings read app/blob
	check settings_write_hex '[ $RC -eq 0 ] && [ "$OUT" = 00ff7f ]'
	printf 'from\001file' >"$WORK/val"
	dev settings write app/blob --file "$WORK/val"
	rm -f "$WORK/val.out"	# left by the UDP run: --out replaces only with --force
	dev settings read app/blob --out "$WORK/val.out"
	check settings_file_round_trip '[ $RC -eq 0 ] && cmp -s "$WORK/val" "$WORK/val.out"'
	dev settings read app/name --hex
	check settings_read_forced_hex '[ "$OUT" = 68656c6c6f20776f726c64 ]'
	dev settings read app/name --max-size 5
	check settings_max_size '[ "$OUT" = hello ]'
	dev settings write app/blob --hex 0g
	check settings_bad_hex '[ $RC -eq 2 ] && one_line_err'
	dev settings read nope/x
	check settings_root_missing '[ $RC -eq 1 ] && one_line_err &&
		printf "%s" "$ERR" | grep -q "settings read: device error: settings: SETTINGS_MGMT_ERR_ROOT_KEY_NOT_FOUND (5)"'
	dev settings read app/none
	check settings_key_missing '[ $RC -eq 1 ] && printf "%s" "$ERR" | grep -q "SETTINGS_MGMT_ERR_KEY_NOT_FOUND (3)"'
	dev settings write ro/serial x
	check settings_read_only '[ $RC -eq 1 ] && printf "%s" "$ERR" | grep -q "SETTINGS_MGMT_ERR_WRITE_NOT_SUPPORTED (6)"'
	dev settings read app/0123456789012345678901234567890
	check settings_name_too_long '[ $RC -eq 1 ] && printf "%s" "$ERR" | grep -q "SETTINGS_MGMT_ERR_KEY_TOO_LONG (2)"'
	dev settings read app/commits --hex
	commits=$OUT
	dev settings commit
	dev settings read app/commits --hex
	check settings_commit '[ "$commits" = 01000000 ] && [ "$OUT" = 02000000 ]'
	dev --json settings save
	check settings_save '[ $RC -eq 0 ] && [ "$(jqr .save)" = true ]'
	dev settings write app/name unsaved
	dev settings load
	dev settings read app/name
	check settings_load '[ $RC -eq 0 ] && [ "$OUT" = "hello world" ]'
	B=$(sim_boots)
	dev reset
	sim_rebooted "$B"
	dev settings read app/name
	check settings_survive_reset '[ "$OUT" = "hello world" ]'
	dev --json stat read smp_sim_stats
	check settings_reset_happened '[ "$(jqr .fields.boots)" = 2 ]'

	# Storage erase: refused without a terminal or --yes; asks on one.
	dev storage erase </dev/null
	check storage_erase_needs_yes '[ $RC -eq 2 ] && one_line_err'
	printf 'no\n' | script -qec "$SMPCTL $(dev_args) storage erase" /dev/null >"$WORK/tty.out" 2>&1
	RC=$?
	dev settings read app/name
	check storage_erase_prompt_declined 'grep -q "Type yes to erase" "$WORK/tty.out" && [ "$OUT" = "hello world" ]'
	printf 'yes\n' | script -qec "$SMPCTL $(dev_args) storage erase" /dev/null >"$WORK/tty.out" 2>&1
	check storage_erase_prompt_accepted 'grep -q "storage partition erased" "$WORK/tty.out"'
	dev --json storage erase --yes
	check storage_erase_yes '[ $RC -eq 0 ] && [ "$(jqr .erased)" = true ]'
	B=$(sim_boots)
	dev reset
	sim_rebooted "$B"
	dev settings read app/name
	check storage_erase_wiped_settings '[ "$OUT" = smp_svr ]'

	# Shell.
	dev shell exec kernel version
	check shell_exec '[ $RC -eq 0 ] && [ "$OUT" = "Zephyr version 3.7.0" ]'
	dev shell exec sim echo "a  b" c
	check shell_exec_words '[ "$OUT" = "a b c" ]'
	dev shell exec sim fail -5
	check shell_exec_failure '[ $RC -eq 1 ] && [ "$OUT" = "failing with -5" ] && one_line_err &&
		printf "%s" "$ERR" | grep -q "returned -5"'
	dev shell exec -- sim echo -v --json
	check shell_exec_after_dashdash '[ $RC -eq 0 ] && [ "$OUT" = "-v --json" ]'
	dev --json shell exec nosuch
	check shell_exec_json '[ $RC -eq 1 ] && [ "$(jqr .ret)" = -8 ] &&
		[ "$(jqr ".output == \"nosuch: command not found\\n\"")" = true ]'
	dev shell exec "$(printf '%0300d' 1)"
	check shell_exec_too_long '[ $RC -eq 1 ] && printf "%s" "$ERR" | grep -q "shell: SHELL_MGMT_ERR_COMMAND_TOO_LONG (2)"'
	dev shell exec
	check shell_exec_usage '[ $RC -eq 2 ]'

	# Statistics.
	dev stat list
	check stat_list '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -qx smp_svr_stats'
	dev --json stat read smp_sim_stats
	check stat_read '[ $RC -eq 0 ] && [ "$(jqr .fields.boots)" -ge 1 ]'
	dev stat read smp_svr_stats
	check stat_read_human '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -q "^ticks: [0-9]*$"'
	dev stat read nope
	check stat_unknown_group '[ $RC -eq 1 ] && one_line_err && printf "%s" "$ERR" | grep -q "STAT_MGMT_ERR_INVALID_STAT_NAME (3).*nope"'

	# Raw requests: JSON in, JSON out, byte strings as hex.
	dev raw 0 0 --write '{"d": "raw echo"}'
	check raw_echo '[ $RC -eq 0 ] && [ "$(jqr .r)" = "raw echo" ]'
	dev raw 3 0 --write '{"name": "app/blob", "val": {"$hex": "c0ffee"}}'
	dev raw 3 0 '{"name": "app/blob"}'
	check raw_bytes_as_hex '[ $RC -eq 0 ] && [ "$(jqr .val)" = c0ffee ]'
	dev raw 64 0 '{}'
	check raw_user_group_missing '[ $RC -eq 1 ] && one_line_err &&
		printf "%s" "$ERR" | grep -q "does not have group 64; it has: os (0)"'
	dev raw 0 0 '[1, 2]'
	check raw_not_object '[ $RC -eq 2 ] && one_line_err'
	dev raw 0 0 '{"d": '
	check raw_bad_json '[ $RC -eq 2 ] && one_line_err'
	dev raw 70000 0
	check raw_bad_group '[ $RC -eq 2 ]'
	sim_stop

	# Groups a device lacks: each command says which and what it has.
	dev_start --disable-group 3 --disable-group 9 --disable-group 2 --disable-group 63
	for cmd in "settings commit" "shell exec x" "stat list" "storage erase --yes"; do
		dev $cmd
		check "missing_group_$(echo "$cmd" | cut -d' ' -f1)" '[ $RC -eq 1 ] && one_line_err &&
			printf "%s" "$ERR" | grep -q "does not have the .* group ([0-9]*); it has: os (0), image (1), fs (8), enum (10)$"'
	done
	sim_stop
	# Without the enumeration group there is nothing more to say.
	dev_start --disable-group 10
	dev groups
	check groups_enum_missing '[ $RC -eq 1 ] && one_line_err && printf "%s" "$ERR" | grep -q MGMT_ERR_ENOTSUP'
}

run_everywhere body
exit $T_FAILED
