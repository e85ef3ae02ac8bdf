#!/bin/sh
# The serial device profiles (profiles_lib.sh): zephyr-shell, zephyr-uart
# and mcuboot-recovery, each transfer with smpctl's defaults, then from
# the cache; and a corrupt cache, and a pinned frame gap.
. tests/e2e/lib.sh
. tests/e2e/serial_lib.sh
. tests/e2e/ble_lib.sh
. tests/e2e/profiles_lib.sh

profile_rounds zephyr-shell zephyr-uart mcuboot-recovery

# A corrupt cache is ignored and replaced; a pinned run leaves it alone.
rm -rf "$XDG_CACHE_HOME" "$WORK/flash.bin"
start zephyr-shell
run image upload --force "$IMG"
f=$(ls "$XDG_CACHE_HOME"/smpctl/links/*)
printf 'smpctl-link 1\nkey nonsense\n' >"$f"
run -v image upload --force "$IMG"
expect cache_corrupt_ignored '[ $RC -eq 0 ] && ! printf "%s\n" "$ERR" | grep -q "as learned before" &&
	[ "$(sed -n 1p "$f")" = "smpctl-link 1" ] && grep -q "^packet [0-9]" "$f"'
before=$(cat "$f")
run -v --frame-gap 11 -w 1 image upload --force "$IMG"
expect frame_gap_pinned '[ $RC -eq 0 ] && printf "%s\n" "$ERR" | grep -q "frame gap 11 ms" &&
	[ "$(cat "$f")" = "$before" ] && [ "$(slot_hash 1)" = $IMG_HASH ]'
run --frame-gap 500 image upload --force "$IMG"
expect frame_gap_bad '[ $RC -eq 2 ] && [ "$(printf "%s\n" "$ERR" | wc -l)" -eq 1 ]'
sim_stop

exit $T_FAILED
