#!/bin/sh
# make demo: start the simulated device and upgrade it over UDP, showing
# each command as a user would type it.
set -eu
BUILD=${1:-build}
cd "$(dirname "$0")/.."
IMAGES=${SMPCTL_TESTDATA:-../shared/testdata}/images
SMPCTL=$BUILD/smpctl
work=$(mktemp -d)
sim=""
cleanup() {
	[ -n "$sim" ] && kill "$sim" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

if [ ! -d "$IMAGES" ]; then
	echo "demo: test images not found at $IMAGES (set SMPCTL_TESTDATA)" >&2
	exit 1
fi
"$BUILD/smp-simdev" --udp 0 --flash "$work/flash.bin" \
	--primary "$IMAGES/app_100k_ed25519_v1_0_0.bin" >"$work/sim.out" 2>"$work/sim.err" &
sim=$!
i=0
while ! grep -q '^ready udp' "$work/sim.out" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$sim" 2>/dev/null; then
		echo "demo: the simulated device did not start:" >&2
		cat "$work/sim.err" >&2
		exit 1
	fi
	sleep 0.05
done
addr=$(sed -n 's/^ready udp //p' "$work/sim.out")
echo "simulated device (Zephyr smp_svr + MCUboot) listening on udp $addr"

run() {
	echo
	echo "\$ smpctl $*"
	"$SMPCTL" --udp "$addr" "$@"
}

run echo hello from smpctl
run params
run os info
run image list
run image info "$IMAGES/app_100k_ed25519_v2.bin" --key "$IMAGES/keys/ed25519.pub.pem"
run upgrade "$IMAGES/app_100k_ed25519_v2.bin" --key "$IMAGES/keys/ed25519.pub.pem"
run image list
echo
echo "demo: done: the device now runs version 2.0.0, confirmed."
