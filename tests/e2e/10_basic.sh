#!/bin/sh
# echo, params, os info, image list, reset, JSON and exit codes over UDP
# against the simulated device.
. tests/e2e/lib.sh

sim_start --primary "$IMAGES/app_100k_ed25519_v1_0_0.bin"

smp echo hello world
expect echo_text '[ $RC -eq 0 ] && [ "$OUT" = "hello world" ]'
smp --json echo "a  b"
expect echo_json '[ "$(jqr .echo)" = "a  b" ]'
smp echo -- --json
expect echo_after_dashdash '[ "$OUT" = "--json" ]'

smp params
expect params_human 'printf "%s" "$OUT" | grep -q "^buf_size: *2048$"'
smp -j params
expect params_json '[ "$(jqr .buf_size)" = 2048 ] && [ "$(jqr .buf_count)" -ge 1 ]'

smp os info
expect os_info_default '[ $RC -eq 0 ] && [ -n "$OUT" ]'
smp --json os info s
expect os_info_format '[ "$(jqr .output)" = Zephyr ]'
smp os info xyz
expect os_info_bad_format_usage '[ $RC -eq 2 ]'

smp image list
expect image_list_human 'printf "%s" "$OUT" | grep -q "^0 *0 *1.0.0 *active,confirmed,bootable *4ea43c490105f0fe$"'
expect image_list_fits_80 '[ "$(printf "%s\n" "$OUT" | awk "length > 80" | wc -l)" -eq 0 ]'
smp -v image list
expect image_list_verbose_full_hash 'printf "%s" "$OUT" | grep -q " 4ea43c490105f0fe938883e3973eefa19116180729c16323a8645847d90c06ff$"'
smp --json image list
expect image_list_json '[ "$(jqr ".images[0].hash")" = 4ea43c490105f0fe938883e3973eefa19116180729c16323a8645847d90c06ff ] &&
	[ "$(jqr ".images[0].active")" = true ] && [ "$(jqr ".images[0].pending")" = false ] &&
	[ "$(jqr ".images | length")" = 1 ]'
smp image list "$IMAGES/app_100k_ed25519_v1_0_0.bin"
expect image_list_marks_file 'printf "%s" "$OUT" | grep -q "<= file"'

# Global options stand anywhere before "--".
t_run "$SMPCTL" image list --json --udp "$SIM_ADDR"
expect options_after_command '[ "$(jqr ".images[0].slot")" = 0 ]'

smp -vv echo traced
expect packet_trace 'printf "%s" "$ERR" | grep -q "> v2 write group 0 (os) id 0 seq [0-9]* len [0-9]*: {\"d\":\"traced\"}" &&
	printf "%s" "$ERR" | grep -q "< v2 write-rsp group 0 (os) id 0"'

smp --smp-version 1 echo v1
expect forced_v1 '[ "$OUT" = v1 ]'

B=$(sim_boots)
smp reset
expect reset_ok '[ $RC -eq 0 ]'
# The device answers again once it has rebooted.
sim_rebooted "$B"
smp echo back
expect answers_after_reset '[ "$OUT" = back ]'

# Exit codes.
t_run "$SMPCTL" echo hi
expect no_device_is_usage '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "no device given"'
smp frobnicate
expect unknown_command_usage '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "unknown command"'
smp --timeout banana echo x
expect bad_option_value '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "bad value for --timeout"'
smp echo
expect echo_needs_text '[ $RC -eq 2 ]'
t_run "$SMPCTL" --udp "no.such.host.invalid" echo x
expect unresolvable_host '[ $RC -eq 3 ] && printf "%s" "$ERR" | grep -q "cannot resolve"'
t_run "$SMPCTL" --udp "127.0.0.1:99999" echo x
expect bad_port_usage '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "bad value for --udp.*PORT from 1 to 65535"'

# Nothing listening: a timeout or a refusal, never a hang or a crash.
sim_stop
t_run "$SMPCTL" --udp "$SIM_ADDR" --timeout 0.2 --retries 1 echo x
expect dead_device_exit_3 '[ $RC -eq 3 ] && [ $(printf "%s\n" "$ERR" | wc -l) -eq 1 ]'

# An old, v1-only server: smpctl falls back to v1 by itself.
sim_start --v1
smp -v echo old
expect v1_fallback '[ "$OUT" = old ] && printf "%s" "$ERR" | grep -q "v1"'
smp image test 0000000000000000000000000000000000000000000000000000000000000000
expect v1_error_is_rc '[ $RC -eq 1 ] && printf "%s" "$ERR" | grep -q "MGMT_ERR"'
sim_stop

# A device without the image group says so by name.
sim_start --disable-group 1
smp image list
expect unsupported_group '[ $RC -eq 1 ] && printf "%s" "$ERR" | grep -q "MGMT_ERR_ENOTSUP"'

exit $T_FAILED
