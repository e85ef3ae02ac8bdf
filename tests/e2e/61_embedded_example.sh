#!/bin/sh
# The device-side example (tests/embedded_example.c, on the portable core
# alone) updates the simulated device over UDP: it checks the image and
# its signature through the crypto interface, reading it through a
# callback, then runs the core's upgrade by events (smp/dfu.h): params,
# list, upload, test, reset, and after the reset it checks that the device
# runs the new image and confirms it. Broken images must never reach it.
. tests/e2e/lib.sh

EXAMPLE=${EMBEDDED_EXAMPLE:-$(dirname "$SMPCTL")/embedded-example}
V1=$IMAGES/app_100k_ed25519_v1_0_0.bin
V2=$IMAGES/app_100k_ed25519_v2.bin
V2_HASH=ef5da6ad19d003eb0a22cada919446bcf0c9218c3e2f6aea1a259548df75bc81
KEYS=$IMAGES/keys
slot_hash() { "$SMPCTL" --udp "$SIM_ADDR" --json image list |
	jq -r ".images[] | select(.slot == $1) | .hash"; }
slot_confirmed() { "$SMPCTL" --udp "$SIM_ADDR" --json image list |
	jq -r ".images[] | select(.slot == $1) | .confirmed"; }
example() { t_run "$EXAMPLE" "$SIM_ADDR" "$@"; }

sim_start --primary "$V1" --reset-delay-ms 0

# Broken images stop at the check, before anything is sent.
example "$IMAGES/bad_hash_body_100k_unsigned.bin"
expect example_refuses_bad_hash '[ $RC -eq 1 ] && printf "%s" "$OUT" | grep -q "^image: image hash does not match" &&
	! printf "%s" "$OUT" | grep -q "^params" && [ -z "$(slot_hash 1)" ]'
example "$IMAGES/bad_sig_256k_ecdsa-p256.bin" "$KEYS/ecdsa-p256.pub.pem"
expect example_refuses_bad_signature '[ $RC -eq 1 ] && printf "%s" "$OUT" | grep -q "does not verify" &&
	[ -z "$(slot_hash 1)" ]'
example "$IMAGES/truncated_tlv_256k_ecdsa-p256.bin"
expect example_refuses_truncated '[ $RC -eq 1 ] && printf "%s" "$OUT" | grep -q "^image: .*TLV area" &&
	[ -z "$(slot_hash 1)" ]'
example "$WORK/missing.bin"
expect example_missing_image '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "missing.bin"'
t_run "$EXAMPLE" "$SIM_ADDR"
expect example_usage '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "^usage:"'

# The whole update, the signature checked with the image's key.
B=$(sim_boots)
example "$V2" "$KEYS/ed25519.pub.pem"
expect example_updates '[ $RC -eq 0 ]'
expect example_checked_signature 'printf "%s" "$OUT" | grep -q "^image: 2\.0\.0+0, 103056 bytes, hash ok, signature good$"'
expect example_params 'printf "%s" "$OUT" | grep -q "^params: [0-9]* buffers"'
expect example_upload_windowed 'printf "%s" "$OUT" | grep -q "^upload: 103056 bytes in [0-9]* chunks"'
expect example_test_pending 'printf "%s" "$OUT" | grep -q "^test: slot 1 holds $V2_HASH, pending$"'
expect example_resets 'printf "%s" "$OUT" | grep -q "^reset: the device restarts into the new image$"'
# After the reset MCUboot swapped the tested image in, and the example
# confirmed it once the device said it runs it.
expect example_confirms 'printf "%s" "$OUT" | grep -q "^done: running version 2.0.0, confirmed$"'
sim_rebooted "$B"
expect device_runs_new_image_confirmed '[ "$(slot_hash 0)" = $V2_HASH ] && [ "$(slot_confirmed 0)" = true ]'

# The same image again: the device runs it already, nothing is sent.
example "$V2"
expect example_up_to_date '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -q "^done: the device already runs version 2.0.0$" &&
	! printf "%s" "$OUT" | grep -q "^upload:"'

# Another key cannot check an Ed25519 signature: said, not called bad.
sim_stop
rm -f "$WORK/flash.bin" # a new device: the last one runs V2, confirmed
sim_start --primary "$V1" --reset-delay-ms 0
example "$V2" "$KEYS/ecdsa-p256.pub.pem"
expect example_uncheckable_signature '[ $RC -eq 0 ] &&
	printf "%s" "$OUT" | grep -q "signature of a type the key cannot check"'

# A device with more buffers gets a wider window, and the image still lands.
sim_stop
rm -f "$WORK/flash.bin" # a new device: the last one runs V2, confirmed
sim_start --primary "$V1" --reset-delay-ms 0 --buf-count 5
example "$V2"
sim_rebooted 1
expect example_window_from_params '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -q "^params: 5 buffers" &&
	printf "%s" "$OUT" | grep -q "up to 4 in flight" && [ "$(slot_hash 0)" = $V2_HASH ]'

# A device without the image group: the failing step says so, nothing is reset.
sim_stop
rm -f "$WORK/flash.bin" # a new device: the last one runs V2, confirmed
sim_start --primary "$V1" --disable-group 1
example "$V2"
expect example_reports_device_refusal '[ $RC -eq 1 ] && printf "%s" "$OUT" | grep -q "^image list: .*NOTSUP" &&
	! printf "%s" "$OUT" | grep -q "^reset"'

exit $T_FAILED
