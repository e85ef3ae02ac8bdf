#!/bin/sh
# make bench, serial part: a 256 KiB upload to the simulated device on a
# pseudo-terminal paced at 115200 and at 1000000 baud, with throughput as
# a fraction of what the wire carries (baud / 10 bytes a second: 8N1).
# Base64 and framing alone cap it near 0.73. Figures, not pass/fail.
set -eu
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
IMAGES=${SMPCTL_TESTDATA:-../shared/testdata}/images
SMPCTL=$BUILD/smpctl
IMG=$IMAGES/app_256k_ecdsa-p256.bin
work=$(mktemp -d)
sim=""
trap '[ -n "$sim" ] && kill $sim 2>/dev/null; rm -rf "$work"' EXIT INT TERM

start_sim() {
	rm -f "$work/flash.bin" "$work/sim.out"
	"$BUILD/smp-simdev" --flash "$work/flash.bin" --pty "$work/tty" "$@" \
		>"$work/sim.out" 2>/dev/null &
	sim=$!
	while ! grep -q '^ready pty' "$work/sim.out" 2>/dev/null; do sleep 0.05; done
}

stop_sim() {
	kill "$sim" 2>/dev/null || true
	wait "$sim" 2>/dev/null || true
	sim=""
}

row() {
	baud=$1
	shift
	"$SMPCTL" --serial "$work/tty" image erase >/dev/null
	"$SMPCTL" --serial "$work/tty" --json --progress none image upload --force "$@" "$IMG" >"$work/out"
	jq -r --arg baud "$baud" '
		($baud | tonumber / 10) as $wire |
		[$baud, .window, .packet_size, (.bytes / .seconds / 1024 * 10 | round / 10),
		 (.seconds * 10 | round / 10),
		 (.bytes / .seconds / $wire * 1000 | round / 1000)] | @tsv' "$work/out"
}

printf 'Serial, %s (%s bytes), simulated device on a pseudo-terminal\n' \
	"$(basename "$IMG")" "$(wc -c <"$IMG")"
printf 'baud\twindow\tpacket\tKiB/s\tseconds\tof wire\n'
for baud in 115200 1000000; do
	start_sim --baud "$baud" --buf-count 4
	row "$baud"
	stop_sim
done
