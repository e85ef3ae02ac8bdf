#!/bin/sh
# Safe by default: an older image than the running one is refused unless
# --allow-downgrade; --dry-run reads the device and says the real plan,
# changing nothing; image upload --image N refuses an image number the
# device has no slots for (Zephyr's img_mgmt would write image 0's slot).
# The simulator's boot counter tells whether a reset happened.
. tests/e2e/lib.sh

V1=$IMAGES/app_100k_ed25519_v1_0_0.bin
V1_HASH=$("$SMPCTL" --json image info "$V1" | jq -r .hash.stored)
V2=$IMAGES/app_100k_ed25519_v2.bin
SMALL=$IMAGES/app_4k_ed25519.bin

q() { "$SMPCTL" --udp "$SIM_ADDR" --timeout 0.5 --retries 10 "$@" 2>/dev/null; }
boots() { q --json stat read smp_sim_stats | jq -r .fields.boots; }
slot_field() { q --json image list | jq -r ".images[] | select(.image == $1 and .slot == $2) | .$3"; }
step_status() { jqr ".steps[] | select(.step == \"$1\") | .status"; }
one_line_err() { [ -n "$ERR" ] && [ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ]; }

sim_start --primary "$V2" --reset-delay-ms 0
B=$(boots)

# --- An older version stops before anything is written, both named.
smp upgrade "$V1"
expect downgrade_refused '[ $RC -eq 2 ] && one_line_err &&
	printf "%s" "$ERR" | grep -q "version 1.0.0+0, older than the running 2.0.0" &&
	printf "%s" "$ERR" | grep -q -- "--allow-downgrade" &&
	[ -z "$(slot_field 0 1 hash)" ] && [ "$(boots)" = "$B" ]'

# --- --dry-run reads the device: the plan, and nothing changes.
smp --json upgrade --dry-run --allow-downgrade "$V1"
expect dry_run_upload_needed '[ $RC -eq 0 ] && [ "$(jqr .plan)" = "upload needed" ] &&
	[ "$(jqr .path)" = upgrade ] && [ "$(step_status state)" = ok ] &&
	[ "$(step_status upload)" = would-run ] && [ -z "$(slot_field 0 1 hash)" ] &&
	[ "$(boots)" = "$B" ]'
smp upgrade --dry-run "$V1"
expect dry_run_sees_downgrade '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "older than the running"'
smp upgrade --dry-run "$V2"
expect dry_run_up_to_date '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -q "^dry run: up to date; nothing was changed" &&
	printf "%s" "$OUT" | grep -q "upload *skipped: up to date" && [ "$(boots)" = "$B" ]'

# --- image upload --image 1 on a single-image device.
smp image upload --image 1 "$SMALL"
expect upload_image1_refused '[ $RC -eq 2 ] && one_line_err &&
	printf "%s" "$ERR" | grep -q "image upload: the device has no image 1" &&
	[ -z "$(slot_field 0 1 hash)" ] && [ -z "$(slot_field 1 1 hash)" ]'
smp image upload --image 0 "$SMALL"
expect upload_image0_taken '[ $RC -eq 0 ] && [ -n "$(slot_field 0 1 hash)" ]'

# --- With --allow-downgrade the older image goes in; then a trial run
# plans "confirm only".
smp --json upgrade --allow-downgrade --test-only "$V1"
expect downgrade_allowed '[ $RC -eq 0 ] && [ "$(slot_field 0 0 hash)" = "$V1_HASH" ]'
smp --json upgrade --dry-run "$V1"
expect dry_run_confirm_only '[ $RC -eq 0 ] && [ "$(jqr .plan)" = "confirm only" ] &&
	[ "$(step_status confirm)" = would-run ] && [ "$(slot_field 0 0 confirmed)" = false ]'
sim_stop

# --- The command line's edges (conn add, conn show, the mcumgr front end).
export SMPCTL_CONFIG="$WORK/profiles"
LONG=$(printf 'n%.0s' $(seq 600))
t_run "$SMPCTL" conn add "$LONG" udp=192.0.2.1
expect conn_add_long_name_refused '[ $RC -eq 2 ] && one_line_err &&
	printf "%s" "$ERR" | grep -q "at most 49" && [ ! -e "$SMPCTL_CONFIG" ]'
TOKEN=$(printf 'T%.0s' $(seq 190))
t_run "$SMPCTL" conn add lab mqtt="mqtts://user:$TOKEN@broker/a/b"
expect conn_add_long_line_refused '[ $RC -eq 2 ] && one_line_err &&
	printf "%s" "$ERR" | grep -q "holds at most 197" && [ ! -e "$SMPCTL_CONFIG" ]'
t_run "$SMPCTL" conn add lab udp=192.0.2.1 timeout=3
printf 'junk line\nmqtt = mqtt://h/%s\n' "$TOKEN" >>"$SMPCTL_CONFIG"
t_run "$SMPCTL" conn show
expect bad_profile_line_skipped '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -q "lab: udp=192.0.2.1" &&
	printf "%s" "$ERR" | grep -q "profiles:4: expected \[SECTION\]" &&
	printf "%s" "$ERR" | grep -q "profiles:5: too long"'
t_run "$SMPCTL" conn show a b
expect conn_show_usage '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "usage: smpctl conn show" &&
	! printf "%s" "$ERR" | grep -q "LeakSanitizer"'
unset SMPCTL_CONFIG
t_run "$SMPCTL" --mcumgr-compat --conntype udp --connstring 192.0.2.1:1 shell exec $(seq 200)
expect mcumgr_too_many_words '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "at most 128"'

exit $T_FAILED
