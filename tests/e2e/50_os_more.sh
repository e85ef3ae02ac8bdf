#!/bin/sh
# The OS group: taskstat, mpstat, datetime, bootloader info, over UDP and
# serial.
. tests/e2e/lib.sh
. tests/e2e/groups_lib.sh

body() {
	dev_start --primary "$IMAGES/app_100k_ed25519_v1_0_0.bin"

	dev taskstat
	check taskstat_table '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -q "^THREAD .*STACK USED/SIZE" &&
		printf "%s" "$OUT" | grep -q "^idle .* ready .*72/320 B"'
	dev --json taskstat
	check taskstat_json '[ "$(jqr ".tasks[] | select(.name == \"idle\") | .priority")" = 15 ] &&
		[ "$(jqr ".tasks[] | select(.name == \"idle\") | .stack_size_bytes")" = 320 ] &&
		[ "$(jqr ".tasks[] | select(.name == \"idle\") | .state")" = ready ] &&
		[ "$(jqr ".tasks | length")" -ge 2 ]'
	dev --json os taskstat
	check os_taskstat_alias '[ $RC -eq 0 ] && [ "$(jqr ".tasks[] | select(.name == \"main\") | .tid")" != "" ]'
	dev taskstat extra
	check taskstat_usage '[ $RC -eq 2 ] && one_line_err'

	# Zephyr leaves mpstat out unless CONFIG_MCUMGR_GRP_OS_MPSTAT.
	dev mpstat
	check mpstat_not_built '[ $RC -eq 1 ] && one_line_err &&
		printf "%s" "$ERR" | grep -q "MGMT_ERR_ENOTSUP.*has the os group (0) but not this command"'

	dev datetime get
	check datetime_unset '[ $RC -eq 1 ] && printf "%s" "$ERR" | grep -q "datetime get: device error: os: OS_MGMT_ERR_RTC_NOT_SET (4)"'
	dev datetime set now
	check datetime_set_now '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -q "^device clock set to 20"'
	dev --json datetime get
	dev_t=$(jqr .datetime)
	host_t=$(date -u +%s)
	dev_s=$(date -u -d "$dev_t" +%s 2>/dev/null || echo 0)
	check datetime_follows_host '[ $RC -eq 0 ] && [ $((host_t - dev_s)) -ge -2 ] && [ $((host_t - dev_s)) -le 2 ]'
	dev datetime set 2030-06-01T12:00:00+02:00
	dev datetime get
	check datetime_set_rfc3339_utc '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -q "^2030-06-01T10:00:0[0-2]$"'
	dev datetime set 2030-02-30T00:00:00
	check datetime_bad_date '[ $RC -eq 2 ] && one_line_err'
	dev datetime set yesterday
	check datetime_bad_text '[ $RC -eq 2 ] && one_line_err'

	dev bootloader info
	check bootloader_info '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -q "^bootloader: *MCUboot$" &&
		printf "%s" "$OUT" | grep -q "^mode: *1 (swap using scratch)$"'
	dev --json bootloader info mode
	check bootloader_mode_json '[ "$(jqr .mode)" = 1 ] && [ "$(jqr .no_downgrade)" = false ]'
	dev bootloader info frobnicate
	check bootloader_unknown_query '[ $RC -eq 1 ] && one_line_err && printf "%s" "$ERR" | grep -q "no answer to the query"'
	sim_stop

	dev_start --mpstat --no-downgrade --boot-mode move
	dev --json mpstat
	check mpstat_json '[ $RC -eq 0 ] && [ "$(jqr ".pools[0].name")" = 0 ] && [ "$(jqr ".pools[0].blocks")" = 16384 ] &&
		[ "$(jqr ".pools[0].min_free")" = 9728 ] && [ "$(jqr ".pools[0].block_size")" = 1 ]'
	dev mpstat
	check mpstat_table '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -q "^0 .* 16384 .* 12032 .* 9728$"'
	dev --json bootloader info
	check bootloader_move_no_downgrade '[ "$(jqr .mode)" = 3 ] && [ "$(jqr .no_downgrade)" = true ]'
	sim_stop

	# A v1-only device: the same commands, generic error codes.
	dev_start --v1
	dev datetime get
	check datetime_unset_v1 '[ $RC -eq 1 ] && printf "%s" "$ERR" | grep -q "MGMT_ERR_ENOENT (5)"'
	dev --json taskstat
	check taskstat_v1 '[ $RC -eq 0 ] && [ "$(jqr ".tasks[] | select(.name == \"idle\") | .priority")" = 15 ]'
	sim_stop

	# A device without the OS group says so, and what it has.
	dev_start --disable-group 0
	for cmd in taskstat mpstat "datetime get" "bootloader info"; do
		dev $cmd
		check "os_group_missing_$(echo "$cmd" | cut -d' ' -f1)" '[ $RC -eq 1 ] && one_line_err &&
			printf "%s" "$ERR" | grep -q "does not have the os group (0); it has: image (1), stat (2)"'
	done
}

run_everywhere body
exit $T_FAILED
