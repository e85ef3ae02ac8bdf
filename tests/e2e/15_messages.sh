#!/bin/sh
# The messages a first-time user meets, in words: a hash the device lacks,
# the running slot, a pending image in the way, one version form, transfer
# rates, groups the device lacks.
. tests/e2e/lib.sh

# Zephyr with CONFIG_MCUMGR_GRP_IMG_ALLOW_ERASE_PENDING off (its default).
sim_start --primary "$IMAGES/app_100k_ed25519_v1_0_0.bin" --no-erase-pending
NOHASH=0000000000000000000000000000000000000000000000000000000000000000

smp image test $NOHASH
expect test_unknown_hash_upload_first '[ $RC -eq 1 ] &&
	printf "%s" "$ERR" | grep -q "no image with hash $NOHASH on the device.*upload it first"'
smp image confirm $NOHASH
expect confirm_unknown_hash_upload_first '[ $RC -eq 1 ] && printf "%s" "$ERR" | grep -q "upload it first"'
smp image erase --slot 0
expect erase_slot0_running '[ $RC -eq 1 ] && printf "%s" "$ERR" | grep -q "slot 0 holds the running image"'

smp image upload "$IMAGES/app_1k_unsigned.bin"
expect small_upload_no_zero_rate '[ $RC -eq 0 ] && ! printf "%s" "$OUT" | grep -q " 0 B/s"'
# The hash as image list shows it (its first 8 bytes) names the image.
smp image test 28fcbfcd348febae
expect test_by_listed_hash '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -q "pending.*<= file"'
smp image test 28fcbfcd
expect test_by_short_prefix '[ $RC -eq 0 ]'
smp image test 0badc0de0badc0de
expect test_prefix_unknown '[ $RC -eq 1 ] && printf "%s" "$ERR" | grep -q "no image with a hash starting 0badc0de0badc0de.*upload it first"'
smp image test "$IMAGES/app_1k_unsigned.bin"
expect test_ok '[ $RC -eq 0 ]'
smp image list
LIST=$OUT
t_run "$SMPCTL" image info "$IMAGES/app_1k_unsigned.bin"
INFO=$OUT
expect one_version_form 'printf "%s" "$LIST" | grep -q "^0 *1 *1.2.3+4 " &&
	printf "%s" "$INFO" | grep -q "1.2.3+4" && ! printf "%s" "$LIST" | grep -qF "1.2.3.4"'
smp --json image list
expect one_version_form_json '[ "$(jqr ".images[1].version")" = "1.2.3+4" ]'

smp image erase
expect erase_pending_says_what '[ $RC -eq 1 ] &&
	printf "%s" "$ERR" | grep -q "slot 1 holds pending image 1.2.3+4 (" &&
	printf "%s" "$ERR" | grep -q "smpctl reset" && [ "$(printf "%s\n" "$ERR" | wc -l)" -eq 1 ]'
smp image upload "$IMAGES/app_100k_unsigned.bin"
expect upload_pending_says_what '[ $RC -eq 1 ] && printf "%s" "$ERR" | grep -q "NO_FREE_SLOT.*slot 1 holds pending image"'
smp image confirm
expect confirm_already_pending_in_words '[ $RC -eq 1 ] &&
	printf "%s" "$ERR" | grep -q "IMAGE_ALREADY_PENDING.*slot 1 holds pending image.*one pending image at a time"'

smp groups 0 1 99 100
expect groups_missing_named '[ $RC -eq 1 ] && printf "%s" "$OUT" | grep -q "^2 groups$" &&
	printf "%s" "$ERR" | grep -q "does not have groups 99, 100"'
smp --json groups 1 99
expect groups_missing_json '[ $RC -eq 1 ] && [ "$(jqr .count)" = 1 ] && [ "$(jqr .missing[0])" = 99 ] &&
	[ "$(jqr .ok)" = false ] && [ "$(jqr .error.kind)" = device ]'
smp groups 0 1
expect groups_present_ok '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -q "^2 groups$"'
sim_stop

# A resumed download says so, and a tiny transfer shows no 0 B/s.
mkdir -p "$WORK/root"
head -c 20000 /dev/urandom >"$WORK/root/f"
head -c 3000 "$WORK/root/f" >"$WORK/got.part"
sim_start --fs-root "$WORK/root"
smp fs download /lfs/f "$WORK/got"
expect download_resumed_says_so '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -q "resumed at 3000 bytes" &&
	cmp -s "$WORK/root/f" "$WORK/got"'
printf x >"$WORK/tiny"
smp fs upload "$WORK/tiny" /lfs/tiny
expect tiny_upload_no_zero_rate '[ $RC -eq 0 ] && ! printf "%s" "$OUT" | grep -q " 0 B/s"'
exit $T_FAILED
