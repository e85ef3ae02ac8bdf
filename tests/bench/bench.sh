#!/bin/sh
# make bench: upload throughput against the simulated device, with the
# window at 1 and at its default, side by side. Figures, not pass/fail.
set -eu
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
IMAGES=${SMPCTL_TESTDATA:-../shared/testdata}/images
SMPCTL=$BUILD/smpctl
work=$(mktemp -d)
sim=""
trap '[ -n "$sim" ] && kill $sim 2>/dev/null; rm -rf "$work"' EXIT INT TERM

start_sim() {
	rm -f "$work/flash.bin" "$work/sim.out"
	"$BUILD/smp-simdev" --udp 0 --flash "$work/flash.bin" "$@" >"$work/sim.out" 2>/dev/null &
	sim=$!
	while ! grep -q '^ready udp' "$work/sim.out" 2>/dev/null; do sleep 0.05; done
	addr=$(sed -n 's/^ready udp //p' "$work/sim.out")
}

stop_sim() {
	kill "$sim" 2>/dev/null || true
	wait "$sim" 2>/dev/null || true
	sim=""
}

# cpu_of CMD...: runs CMD, leaves its output in $work/out and the user+sys
# CPU seconds it used in $cpu.
cpu_of() {
	# times must run in this shell: its second line is the children's.
	times >"$work/t0"
	"$@" >"$work/out"
	times >"$work/t1"
	cpu=$({ sed -n 2p "$work/t0"; sed -n 2p "$work/t1"; } | awk '
		function secs(s) { split(s, a, "m"); sub("s", "", a[2]); return a[1] * 60 + a[2] }
		NR == 1 { b = secs($1) + secs($2) } NR == 2 { print secs($1) + secs($2) - b }')
}

row() {
	label=$1
	shift
	# A fresh slot, so that the upload neither resumes nor is skipped.
	"$SMPCTL" --udp "$addr" image erase >/dev/null
	cpu_of "$SMPCTL" --udp "$addr" --json --progress none image upload --force "$@"
	jq -r --arg name "$label" --arg cpu "$cpu" '
		(.bytes / 1048576) as $mib |
		[$name, .window, .packet_size,
		 (.bytes / .seconds / 1048576 * 100 | round / 100),
		 .wire.requests,
		 ((.wire.bytes_out + .wire.bytes_in) / .bytes * 1000 | round / 1000),
		 (($cpu | tonumber) / $mib * 1000 | round)] | @tsv' "$work/out"
}

header() {
	printf '%s\n' "$1"
	printf 'case\twindow\tpacket\tMiB/s\trequests\twire/payload\tcpu ms/MiB\n'
}

IMG=$IMAGES/app_1m_unsigned.bin
header "UDP, 1 MiB image ($(wc -c <"$IMG") bytes), simulated device on loopback"
start_sim --buf-count 4
row "window 1" --window 1 "$IMG"
row "default" "$IMG"
stop_sim
start_sim --buf-count 4 --delay-ms 1
row "1 ms/answer, window 1" --window 1 "$IMG"
row "1 ms/answer, default" "$IMG"
stop_sim
sh tests/bench/bench_serial.sh "$BUILD"
sh tests/bench/bench_matrix.sh "$BUILD"
sh tests/bench/bench_loss.sh "$BUILD"
sh tests/bench/bench_fleet.sh "$BUILD"
sh tests/bench/bench_fleet_mqtt.sh "$BUILD"
