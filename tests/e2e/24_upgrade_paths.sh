#!/bin/sh
# upgrade chooses its path from the device's state and never leaves the device worse off. A re-run after --test-only or after a
# failed wait confirms the running image without a reset; an image that
# runs confirmed is "up to date"; an image number the device has no slots
# for is refused before the upload; the wait sees the reboot itself. The
# simulator's boot counter (stat group smp_sim_stats) tells whether a
# reset happened.
. tests/e2e/lib.sh

V1=$IMAGES/app_100k_ed25519_v1_0_0.bin
V2=$IMAGES/app_100k_ed25519_v2.bin
V2_HASH=ef5da6ad19d003eb0a22cada919446bcf0c9218c3e2f6aea1a259548df75bc81
SMALL=$IMAGES/app_4k_ed25519.bin
SMALL_HASH=ae797618229cd2793b30758389ed6ccf2eb996388063b4aa6554ab2f9fb5b18e
BUNDLE=$IMAGES/dfu_application.zip

q() { "$SMPCTL" --udp "$SIM_ADDR" --timeout 5 "$@" 2>/dev/null; }
boots() { q --json stat read smp_sim_stats | jq -r .fields.boots; }
# slot_field IMAGE SLOT FIELD: one field of the image list.
slot_field() { q --json image list | jq -r ".images[] | select(.image == $1 and .slot == $2) | .$3"; }
step_status() { jqr ".steps[] | select(.step == \"$1\") | .status"; }
step_detail() { jqr ".steps[] | select(.step == \"$1\") | .detail"; }
one_line_err() { [ -n "$ERR" ] && [ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ]; }

# --- No delay between the reset answer and the reboot: a reset before the
# confirm shows as a revert at once.
sim_start --primary "$V1" --reset-delay-ms 0
smp --json upgrade --test-only "$V2"
expect test_only_runs_on_trial '[ $RC -eq 0 ] && [ "$(slot_field 0 0 hash)" = $V2_HASH ] &&
	[ "$(slot_field 0 0 confirmed)" = false ]'

B=$(boots)
smp --json upgrade --test-only "$V2"
expect test_only_rerun_leaves_trial '[ $RC -eq 0 ] && ! printf "%s" "$ERR" | grep -qi key &&
	[ "$(jqr .path)" = confirm ] &&
	[ "$(step_status reset)" = skipped ] && [ "$(boots)" = "$B" ] &&
	[ "$(slot_field 0 0 hash)" = $V2_HASH ] && [ "$(slot_field 0 0 confirmed)" = false ]'

smp --json upgrade "$V2"
expect rerun_after_test_only_confirms '[ $RC -eq 0 ] && [ "$(jqr .path)" = confirm ] &&
	[ "$(step_status reset)" = skipped ] && [ "$(step_status confirm)" = ok ] &&
	[ "$(boots)" = "$B" ] && [ "$(slot_field 0 0 hash)" = $V2_HASH ] &&
	[ "$(slot_field 0 0 confirmed)" = true ]'
expect rerun_after_test_only_blames_no_key '! printf "%s" "$ERR" | grep -qi key'

smp upgrade "$V2"
expect up_to_date_text '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -q "^up to date" &&
	[ "$(boots)" = "$B" ]'
smp --json upgrade "$V2"
expect up_to_date_json '[ $RC -eq 0 ] && [ "$(jqr .up_to_date)" = true ] &&
	[ "$(jqr .path)" = up-to-date ] && [ "$(step_status upload)" = skipped ] &&
	[ "$(step_status reset)" = skipped ] && [ "$(boots)" = "$B" ]'

# The whole path: exactly one reboot, and the wait saw it.
smp --json upgrade "$SMALL"
expect full_path_delay0 '[ $RC -eq 0 ] && [ "$(jqr .path)" = upgrade ] &&
	[ "$(boots)" = $((B + 1)) ] && [ "$(slot_field 0 0 hash)" = $SMALL_HASH ] &&
	[ "$(slot_field 0 0 confirmed)" = true ] &&
	step_detail wait | grep -q "rebooted\|shows the reboot"'

# Marked by hand but never reset: upgrade resumes at the reset.
smp image upload "$V2"
smp image test "$V2"
B=$(boots)
smp --json upgrade "$V2"
expect resume_pending '[ $RC -eq 0 ] && [ "$(jqr .path)" = resume ] &&
	[ "$(step_status upload)" = skipped ] && [ "$(step_status test)" = skipped ] &&
	[ "$(boots)" = $((B + 1)) ] && [ "$(slot_field 0 0 hash)" = $V2_HASH ] &&
	[ "$(slot_field 0 0 confirmed)" = true ]'

# A single-image device: image 1 (by --image, or a bundle's network core)
# is refused before anything is written.
B=$(boots)
S1=$(slot_field 0 1 hash)
smp upgrade --image 1 "$V1"
expect single_image_refuses_image1 '[ $RC -eq 2 ] && one_line_err &&
	printf "%s" "$ERR" | grep -q "no image 1" && [ "$(slot_field 0 1 hash)" = "$S1" ] &&
	[ "$(boots)" = "$B" ]'
smp upgrade "$BUNDLE"
expect single_image_refuses_bundle '[ $RC -eq 2 ] && one_line_err &&
	printf "%s" "$ERR" | grep -q "network core" && [ "$(slot_field 0 1 hash)" = "$S1" ] &&
	[ "$(boots)" = "$B" ]'
sim_stop

# --- An old (v1-only) device has no image slots: the image list tells.
rm -f "$WORK/flash.bin"
sim_start --primary "$V1" --reset-delay-ms 0 --v1
smp upgrade --image 1 "$V2"
expect no_slot_info_refuses_image1 '[ $RC -eq 2 ] && one_line_err &&
	printf "%s" "$ERR" | grep -q "no image 1: its image list" && [ -z "$(slot_field 0 1 hash)" ]'
smp --json upgrade "$V2"
expect no_slot_info_upgrade '[ $RC -eq 0 ] && [ "$(slot_field 0 0 hash)" = $V2_HASH ] &&
	[ "$(slot_field 0 0 confirmed)" = true ]'
sim_stop

# --- A wait that gave up (the device stayed quiet longer than --wait),
# then a re-run: the image runs on trial, so it is confirmed, not reset.
# The device stays quiet after its reset until the test releases it.
rm -f "$WORK/flash.bin"
sim_start --primary "$V1" --reset-delay-ms 0 --reset-offline-ms 600000
smp upgrade --wait 1 "$V2"
expect wait_gives_up '[ $RC -eq 3 ] && printf "%s" "$ERR" | grep -q "run the same command again"'
sim_release
sim_wait 'online 2'
B=$(boots)
smp --json upgrade "$V2"
expect rerun_after_failed_wait '[ $RC -eq 0 ] && [ "$(jqr .path)" = confirm ] &&
	[ "$(step_status reset)" = skipped ] && [ "$(boots)" = "$B" ] &&
	[ "$(slot_field 0 0 hash)" = $V2_HASH ] && [ "$(slot_field 0 0 confirmed)" = true ]'
sim_stop

# --- The default delay: the device answers for a while after the reset
# with its old state, which must not count as back. Without the quiet
# time too, only the state can tell.
for off in 300 0; do
	rm -f "$WORK/flash.bin"
	sim_start --primary "$V1" --reset-offline-ms $off
	smp --json upgrade --test-only "$V2"
	B=$(boots)
	resets=$(grep -c '^event reset' "$WORK/sim.out")
	smp --json upgrade "$V2"
	# A reset asked for is said by the device before it answers: none
	# came, and none will.
	expect "rerun_after_test_only_default_delay_off$off" '[ $RC -eq 0 ] && [ "$(boots)" = "$B" ] &&
		[ "$(grep -c "^event reset" "$WORK/sim.out")" = "$resets" ] &&
		[ "$(slot_field 0 0 hash)" = $V2_HASH ] && [ "$(slot_field 0 0 confirmed)" = true ]'
	smp --json upgrade "$SMALL"
	expect "full_path_default_delay_off$off" '[ $RC -eq 0 ] && [ "$(boots)" = $((B + 1)) ] &&
		[ "$(step_status active)" = ok ] && [ "$(slot_field 0 0 hash)" = $SMALL_HASH ] &&
		[ "$(slot_field 0 0 confirmed)" = true ]'
	sim_stop
done

# --- Two images: image 1 is marked permanent (Zephyr confirms an image
# other than 0 only in its secondary slot), the bundle goes through.
rm -f "$WORK/flash.bin"
sim_start --primary "$V1" --images 2 --reset-delay-ms 0
smp --json upgrade --image 1 "$V2"
expect two_images_image1 '[ $RC -eq 0 ] && [ "$(slot_field 1 0 hash)" = $V2_HASH ] &&
	[ "$(slot_field 1 0 confirmed)" = true ] && [ "$(slot_field 0 0 confirmed)" = true ]'
smp upgrade --test-only --image 1 "$V1"
expect image1_test_only_refused '[ $RC -eq 2 ] && one_line_err'
smp --json upgrade "$BUNDLE"
expect two_images_bundle '[ $RC -eq 0 ] && [ "$(slot_field 0 0 confirmed)" = true ] &&
	[ "$(slot_field 1 0 confirmed)" = true ]'

exit $T_FAILED
