#!/bin/sh
# make embedded-check: the DFU host image (tests/embedded/qemu) runs on
# QEMU's mps2-an505, a Cortex-M33, and upgrades the simulated device over
# its UART0: QEMU's serial port is a socket to smp-simdev's serial front
# (--serial-tcp), so the device hears SMP serial frames as from a UART.
# The guest says each step on the host's terminal (semihosting); the
# device's state afterwards is read with smpctl over UDP. Ends with
# "N passed, N failed"; the exit status is 0 only when all passed.
#   check.sh BUILD DFU_HOST_ELF
# QEMU_CHECK_SIM_ARGS adds options to the device of the upgrade (to see
# the check fail: "--disable-group 1" refuses the upload).
set -u
cd "$(dirname "$0")/../../.." || exit 2
BUILD=$1
ELF=$2
export SMPCTL="$BUILD/smpctl" SIMDEV="$BUILD/smp-simdev"
export SMPCTL_TESTDATA="${SMPCTL_TESTDATA:-../shared/testdata}"
. tests/e2e/lib.sh

N_PASS=0
N_FAIL=0
pass() {
	echo "PASS $1"
	N_PASS=$((N_PASS + 1))
}
fail() {
	echo "FAIL $1: $2"
	echo "  rc=$RC"
	printf '%s\n' "$OUT" | head -20 | sed 's/^/  guest: /'
	printf '%s\n' "$ERR" | head -20 | sed 's/^/  qemu: /'
	N_FAIL=$((N_FAIL + 1))
}

V1=$IMAGES/app_100k_ed25519_v1_0_0.bin
V2=$IMAGES/app_100k_ed25519_v2.bin
V2_HASH=ef5da6ad19d003eb0a22cada919446bcf0c9218c3e2f6aea1a259548df75bc81

# sim_serial [simdev options...]: a new device (fresh flash, V1 in slot
# 0) with its UART on a TCP port (SERIAL_PORT) and a UDP port for
# smpctl's look at its slots (SIM_ADDR).
sim_serial() {
	sim_stop
	rm -f "$WORK/flash.bin"
	sim_launch serial-tcp --serial-tcp 0 --udp 0 --reset-delay-ms 0 --primary "$V1" "$@"
	SERIAL_PORT=${SIM_READY##*:}
	SIM_ADDR=$(sed -n 's/^ready udp //p' "$WORK/sim.out")
}

# guest IMAGE: runs the DFU host on QEMU against the device; RC is its
# exit status (QEMU's), OUT its lines, MS the run's wall time. The
# timeout only ends a hung run; it decides nothing.
guest() {
	t0=$(date +%s%N)
	t_run timeout "$T_WAIT_S" qemu-system-arm -M mps2-an505 -nographic -monitor none \
		-kernel "$ELF" -chardev "socket,id=uart0,host=127.0.0.1,port=$SERIAL_PORT" \
		-serial chardev:uart0 \
		-semihosting-config "enable=on,target=native,arg=dfu-host,arg=$1"
	MS=$((($(date +%s%N) - t0) / 1000000))
	[ "$RC" -ne 124 ] || ERR="$ERR (hung: ended after $T_WAIT_S s)"
}
said() { printf '%s\n' "$OUT" | grep -q "$1"; }
slot() { "$SMPCTL" --udp "$SIM_ADDR" --json image list |
	jq -r ".images[] | select(.slot == $1) | .$2"; }

# The upgrade: check, params, list, upload, test, reset, confirm; then the
# device runs the tested image, and the guest has confirmed it.
sim_serial ${QEMU_CHECK_SIM_ARGS:-}
B=$(sim_boots)
guest "$V2"
echo "qemu: the upgrade ran $MS ms (guest exit $RC)"
expect guest_updated '[ $RC -eq 0 ] && said "^dfu-host: updated in [0-9]* ms$"'
expect guest_checked_image 'said "^image: 2\.0\.0+0, 103056 bytes, hash ok, signature not checked$"'
expect guest_params 'said "^params: [0-9]* buffers of [0-9]* bytes$"'
expect guest_uploaded 'said "^upload: 103056 bytes in [0-9]* chunks"'
expect guest_tested 'said "^test: slot 1 holds $V2_HASH, pending$"'
expect guest_reset 'said "^reset: the device restarts into the new image$"'
# After the reset the core waits for the device to boot the new image,
# checks that it runs, and confirms it.
expect guest_confirmed 'said "^done: running version 2.0.0, confirmed$"'
if [ "$RC" -eq 0 ]; then
	sim_rebooted "$B"
	expect device_runs_new_image_confirmed '[ "$(slot 0 hash)" = $V2_HASH ] && [ "$(slot 0 confirmed)" = true ]'
else
	fail device_runs_new_image_confirmed "the guest did not finish the upgrade"
fi

# A device without the image group: the upload's refusal ends the run
# with status 1, named, and nothing is reset.
sim_serial --disable-group 1
guest "$V2"
expect guest_reports_refusal '[ $RC -eq 1 ] && said "^image list: .*NOTSUP" && ! said "^reset" &&
	said "^dfu-host: update failed"'

# A broken image stops at the check, before anything is sent.
sim_serial
guest "$IMAGES/bad_hash_body_100k_unsigned.bin"
expect guest_refuses_bad_image '[ $RC -eq 1 ] && said "^image: image hash does not match" &&
	! said "^params" && [ -z "$(slot 1 hash)" ]'

# No image file: the usage status, said.
guest "$WORK/missing.bin"
expect guest_missing_image '[ $RC -eq 2 ] && said "missing.bin: cannot read it"'

sim_stop
echo "$N_PASS passed, $N_FAIL failed"
[ "$N_FAIL" -eq 0 ]
