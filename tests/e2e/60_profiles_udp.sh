#!/bin/sh
# The UDP device profiles (profiles_lib.sh): zephyr-udp and zephyr-udp-4,
# each transfer with smpctl's defaults, then from the cache; and more
# requests in flight than zephyr-udp has buffers for.
. tests/e2e/lib.sh
. tests/e2e/serial_lib.sh
. tests/e2e/ble_lib.sh
. tests/e2e/profiles_lib.sh

profile_rounds zephyr-udp zephyr-udp-4

# zephyr-udp (2 buffers) with -w 3: ENOMEM means slow down, not fail.
rm -f "$WORK/flash.bin"
start zephyr-udp
run -v --json -w 3 image upload --force "$IMG"
expect zephyr_udp_w3_upload '[ $RC -eq 0 ] && [ "$(slot_hash 1)" = $IMG_HASH ]'
run -w 3 --json fs upload "$WORK/file" /lfs/w3
expect zephyr_udp_w3_fs_upload '[ $RC -eq 0 ] && [ "$(sha "$FS_ROOT/w3")" = $FILE_SHA ]'
sim_stop
exit $T_FAILED
