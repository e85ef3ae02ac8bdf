#!/bin/sh
# What scripts read: every --json document has "ok"; reals print with the
# fewest digits that read back; upgrade gives version_before,
# version_after and hash; os info gives named fields; the man page
# documents each shape and exit 130.
. tests/e2e/lib.sh

MAN=${SMPCTL_MAN:-man/smpctl.1}
sim_start

# shape NAME JQ ARGS...: smpctl --json ARGS; PASS when jq -e JQ holds.
shape() {
	name=$1 filter=$2
	shift 2
	smp --json "$@"
	expect "$name" 'printf "%s" "$OUT" | jq -e "$filter" >/dev/null'
}

shape json_ok_echo '.ok == true and .echo == "hi"' echo hi
shape json_ok_params '.ok == true and (.buf_size | type) == "number"' params
shape json_ok_image_list '.ok == true and (.images | type) == "array"' image list
shape json_ok_image_slots '.ok == true and (.images[0].slots | type) == "array"' image slots
shape json_ok_image_info '.ok == true and .verdict != null' image info "$IMAGES/app_100k_ed25519_v2.bin"
shape json_ok_false_on_failure '.ok == false and .error.exit_code == 2 and .error.kind == "usage"' \
	os info xyz
expect json_ok_first 'printf "%s" "$OUT" | jq -e "keys_unsorted[0] == \"ok\"" >/dev/null'

shape os_info_named_all '.ok == true and .kernel_name == "Zephyr" and
	(.kernel_release | type) == "string" and (.machine | type) == "string" and
	(.hardware_platform | type) == "string" and .operating_system == "Zephyr" and
	has("build_date_time") and has("node_name") and has("processor") and
	has("kernel_version") and (.output | type) == "string"' os info a
shape os_info_named_some '.kernel_name == "Zephyr" and (.kernel_version | type) == "string" and
	(has("machine") | not)' os info sv

# Reals: the fewest digits that read back (never 0.20000000000000001),
# seconds to the millisecond.
smp --json image upload "$IMAGES/app_100k_unsigned.bin" --progress none
expect json_reals_shortest '[ $RC -eq 0 ] && ! printf "%s" "$OUT" | grep -q "[0-9]\.[0-9]\{4,\}" &&
	printf "%s" "$OUT" | jq -e ".ok and (.seconds * 1000 | round) / 1000 == .seconds and
	(.erase_seconds | type) == \"number\"" >/dev/null'

V2="$IMAGES/app_100k_ed25519_v2.bin"
smp --json upgrade "$V2" --progress none
expect upgrade_json_versions '[ $RC -eq 0 ] && printf "%s" "$OUT" | jq -e ".ok == true and
	.version_before == \"1.0.0\" and .version_after == \"2.0.0\" and
	(.hash | test(\"^[0-9a-f]{64}$\")) and .path == \"upgrade\"" >/dev/null'
HASH=$(printf "%s" "$OUT" | jq -r .hash)
smp --json image list
expect upgrade_hash_is_device_hash 'printf "%s" "$OUT" | jq -e --arg h "$HASH" \
	"[.images[] | select(.active) | .hash] | index(\$h) != null" >/dev/null'
smp --json upgrade "$V2"
expect upgrade_json_up_to_date '[ $RC -eq 0 ] && printf "%s" "$OUT" | jq -e ".ok and .up_to_date and
	.version_before == \"2.0.0\" and .version_after == \"2.0.0\"" >/dev/null'

# The progress lines a script (and the factory line's parent) reads:
# one JSON object a line; each step's start and outcome, then the
# upload's lines; seconds to the millisecond with their fewest digits
# (0.5, never 0.500), the rate with its fewest digits and no exponent.
sim_start --flash "$WORK/fresh.bin"
smp --json upgrade "$V2"
printf '%s\n' "$ERR" >"$WORK/progress"
expect progress_lines_are_json '[ $RC -eq 0 ] && jq -e -s "length > 10 and
	all(.[]; (.progress | type) == \"string\")" "$WORK/progress" >/dev/null'
expect progress_steps '[ "$(jq -r "select(.progress == \"step\") | .step + \" \" + .status" \
	"$WORK/progress" | tr "\n" " ")" = "verify running verify ok state running state ok upload running upload ok check running check ok test running test ok reset running reset ok wait running wait ok active running active ok confirm running confirm ok " ]'
expect progress_upload_between_its_step 'jq -e -s "(map(.progress == \"upload\") | index(true)) >
	(map(.step == \"upload\" and .status == \"running\") | index(true)) and
	(map(.progress == \"upload\") | rindex(true)) <
	(map(.step == \"upload\" and .status == \"ok\") | index(true))" "$WORK/progress" >/dev/null'
expect progress_seconds_to_ms 'jq -e -s "[.[] | select(.progress == \"upload\") |
	.elapsed, .window, (.eta // 0)] | length > 0 and all(.[]; (. * 1000 | round) / 1000 == .)" \
	"$WORK/progress" >/dev/null &&
	! grep -Eq "\"(elapsed|window|eta)\":-?[0-9]+\.[0-9]*0[,}]" "$WORK/progress" &&
	! grep -Eq "\"rate\":[^,]*[eE]" "$WORK/progress"'

# The man page names each field, and exit 130 is in every table.
expect man_documents_shapes '(for w in version_before version_after kernel_name hardware_platform \
	erase_seconds "\"phase\"" "\"window\"" "\"step\"" "\"running\"" "\"result\""; do
	grep -q -- "$w" "$MAN" || exit 1; done)'
"$SMPCTL" --help >"$WORK/help" 2>&1
expect exit_130_documented 'grep -q "^\.B 130" "$MAN" && grep -q "^| 130 |" README.md &&
	grep -q "130 interrupted" "$WORK/help"'
exit $T_FAILED
