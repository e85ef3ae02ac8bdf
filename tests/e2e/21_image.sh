#!/bin/sh
# Image upload, test, confirm, erase, slots and the one-command upgrade,
# against the simulated device over UDP.
. tests/e2e/lib.sh

V1=$IMAGES/app_100k_ed25519_v1_0_0.bin
V1_HASH=4ea43c490105f0fe938883e3973eefa19116180729c16323a8645847d90c06ff
V2=$IMAGES/app_100k_ed25519_v2.bin
V2_HASH=ef5da6ad19d003eb0a22cada919446bcf0c9218c3e2f6aea1a259548df75bc81
slot1_hash() { "$SMPCTL" --udp "$SIM_ADDR" --json image list | jq -r '.images[] | select(.slot == 1) | .hash'; }

# No delay between the reset answer and the reboot, so that the next
# command cannot reach the device before it restarts; upgrade itself is
# tested against the default delay below. --no-erase-pending: the refusal
# older Zephyr gives (CONFIG_MCUMGR_GRP_IMG_ALLOW_ERASE_PENDING=n).
sim_start --primary "$V1" --reset-delay-ms 0 --no-erase-pending

# Files that do not verify never reach the device.
for f in bad_hash_body_100k_unsigned.bin bad_magic_1k_rsa2048.bin truncated_half_256k_ecdsa-p256.bin \
	 truncated_tlv_256k_ecdsa-p256.bin not_an_image_4k.bin; do
	smp image upload "$IMAGES/$f"
	expect "upload_refuses_$f" '[ $RC -eq 5 ] && [ $(printf "%s\n" "$ERR" | wc -l) -eq 1 ] && [ -z "$(slot1_hash)" ]'
done
smp image upload --key "$IMAGES/keys/ecdsa-p256.pub.pem" "$IMAGES/bad_sig_256k_ecdsa-p256.bin"
expect upload_refuses_bad_signature '[ $RC -eq 5 ] && [ -z "$(slot1_hash)" ]'
smp image upload --key "$IMAGES/keys/rsa-2048.pub.pem" "$V2"
expect upload_refuses_wrong_key '[ $RC -eq 5 ] && [ -z "$(slot1_hash)" ]'
smp image upload "$WORK/missing.bin"
expect upload_missing_file '[ $RC -eq 6 ]'

# A good upload lands in slot 1 with the image's own hash.
smp --json image upload --key "$IMAGES/keys/ed25519.pub.pem" "$V2"
expect upload_json '[ $RC -eq 0 ] && [ "$(jqr .bytes)" = 103056 ] && [ "$(jqr .skipped)" = false ]'
expect upload_lands_in_slot1 '[ "$(slot1_hash)" = $V2_HASH ]'
smp image upload "$V2"
expect upload_skips_present '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -q "already has this image"'
smp --json image upload --force "$V2"
expect upload_force '[ "$(jqr .skipped)" = false ] && [ "$(jqr .chunks)" -gt 1 ]'
smp image upload "$V1"
expect upload_skips_running '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -q "running this image"'

# Intel HEX input is uploaded as the binary it describes.
smp image upload "$IMAGES/app_100k_ecdsa-p256.hex"
expect upload_hex '[ $RC -eq 0 ] && [ "$(slot1_hash)" = 13808dcd9b29644002905a13e8cff33ab8ef924f72846bf1a0d9a2be4548fa4c ]'

# test / confirm / erase / slots, and the device's refusals by name.
smp image upload "$V2"
smp image test 0000000000000000000000000000000000000000000000000000000000000000
expect test_unknown_hash '[ $RC -eq 1 ] && printf "%s" "$ERR" | grep -q "IMG_MGMT_ERR_HASH_NOT_FOUND"'
smp image test nothex
expect test_bad_hash_arg '[ $RC -eq 2 ]'
smp --json image test "$V2"
expect test_marks_pending '[ "$(jqr ".images[] | select(.slot == 1) | .pending")" = true ]'
smp image erase
expect erase_refused_while_pending '[ $RC -eq 1 ]'
B=$(sim_boots)
smp reset
sim_rebooted "$B"
smp --json image list
expect test_boots_new '[ "$(jqr ".images[] | select(.slot == 0) | .hash")" = $V2_HASH ] &&
	[ "$(jqr ".images[] | select(.slot == 0) | .confirmed")" = false ]'
smp --json image confirm
expect confirm_running '[ "$(jqr ".images[] | select(.slot == 0) | .confirmed")" = true ]'
smp image erase --slot 0
expect erase_active_refused '[ $RC -eq 1 ]'
smp image erase
expect erase_slot1 '[ $RC -eq 0 ] && [ -z "$(slot1_hash)" ]'
smp --json image slots
expect slots_json '[ "$(jqr ".images[0].slots | length")" = 2 ] && [ "$(jqr ".images[0].slots[0].size")" -gt 1000000 ]'

# --upgrade: the device refuses an image that is not newer.
smp image upload --upgrade "$V1"
expect upload_upgrade_refuses_older '[ $RC -eq 1 ] && printf "%s" "$ERR" | grep -q "CURRENT_VERSION_IS_NEWER"'

# upgrade: dry run changes nothing; a bad file stops at verify.
smp upgrade --dry-run "$IMAGES/app_4k_ed25519.bin"
expect upgrade_dry_run '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -q "would-run" && [ -z "$(slot1_hash)" ]'
smp upgrade "$IMAGES/bad_hash_body_1m_ed25519.bin"
expect upgrade_bad_file '[ $RC -eq 5 ] && [ -z "$(slot1_hash)" ]'

# The whole upgrade, then a test-only one that MCUboot reverts, against a
# device that resets 250 ms after answering, as Zephyr does.
sim_stop
sim_start --primary "$V1"
smp --json upgrade "$IMAGES/app_4k_ed25519.bin"
expect upgrade_full_first '[ $RC -eq 0 ]'
smp --json upgrade --force "$V2"
expect upgrade_full '[ $RC -eq 0 ] && [ "$(jqr .ok)" = true ] && [ "$(jqr ".steps | length")" = 9 ]'
smp --json image list
expect upgrade_runs_confirmed '[ "$(jqr ".images[] | select(.slot == 0) | .hash")" = $V2_HASH ] &&
	[ "$(jqr ".images[] | select(.slot == 0) | .confirmed")" = true ]'
smp upgrade --test-only "$V1"
expect upgrade_test_only '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -q "reverts"'
smp --json image list
expect test_only_unconfirmed '[ "$(jqr ".images[] | select(.slot == 0) | .hash")" = $V1_HASH ] &&
	[ "$(jqr ".images[] | select(.slot == 0) | .confirmed")" = false ]'
B=$(sim_boots)
smp reset
sim_rebooted "$B"
smp --json image list
expect unconfirmed_reverts '[ "$(jqr ".images[] | select(.slot == 0) | .hash")" = $V2_HASH ]'

exit $T_FAILED
