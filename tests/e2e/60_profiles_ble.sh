#!/bin/sh
# The Bluetooth LE device profiles (profiles_lib.sh): zephyr-ble and
# ncs-ble-speedup, each transfer with smpctl's defaults, then from the
# cache.
. tests/e2e/lib.sh
. tests/e2e/serial_lib.sh
. tests/e2e/ble_lib.sh
. tests/e2e/profiles_lib.sh

profile_rounds zephyr-ble ncs-ble-speedup
exit $T_FAILED
