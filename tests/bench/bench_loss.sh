#!/bin/sh
# make bench, loss: a 256 KiB image upload on a link that loses packets at
# random (smp-simdev --loss, each way, seeded), or duplicates answers, to
# a UDP and a serial device profile, at smpctl's defaults.
#
# clean     cold: first run, empty link cache; warm: the same again
# loss N %  each lossy case from an empty cache; x clean is its time over
#           the clean cold time (targets: 1 % <= 1.5, 5 % <= 2,
#           10 % <= 4, 20 % finishes)
# dup 5 %   5 % of answers arrive twice
# after     a clean run starting from the cache the 20 % run left: it must
#           not inherit the loss (target: within 1.1 x clean cold)
# Figures, not pass/fail; a failed upload prints "failed".
set -eu
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
IMAGES=${SMPCTL_TESTDATA:-../shared/testdata}/images
SMPCTL=$BUILD/smpctl
SIMDEV=$BUILD/smp-simdev
IMG=$IMAGES/app_256k_ecdsa-p256.bin
SLOT=$((0x48000))
PROFILES=${BENCH_PROFILES:-zephyr-udp zephyr-uart zephyr-shell}
SEED=${BENCH_SEED:-1}
work=$(mktemp -d)
sim=""
trap '[ -n "$sim" ] && kill $sim 2>/dev/null; rm -rf "$work"' EXIT INT TERM

start_sim() {
	rm -f "$work/flash.bin" "$work/sim.out"
	case $("$SIMDEV" --device "$profile" --describe | sed -n 's/^transport=//p') in
	udp) set -- "$@" --udp 0; kind=udp ;;
	ble) set -- "$@" --att "$work/att.sock"; kind=att ;;
	*) set -- "$@" --pty "$work/tty"; kind=pty ;;
	esac
	"$SIMDEV" --device "$profile" --flash "$work/flash.bin" --slot-size "$SLOT" \
		--seed "$SEED" "$@" >"$work/sim.out" 2>/dev/null &
	sim=$!
	while ! grep -q "^ready $kind" "$work/sim.out" 2>/dev/null; do sleep 0.05; done
	where=$(sed -n "s/^ready $kind //p" "$work/sim.out")
	case $kind in
	udp) conn="--udp $where" ;;
	att) conn="--ble unix:$where" ;;
	pty) conn="--serial $where" ;;
	esac
}

stop_sim() {
	kill "$sim" 2>/dev/null || true
	wait "$sim" 2>/dev/null || true
	sim=""
}

# upload CACHE: seconds on stdout, or "failed"
upload() {
	# shellcheck disable=SC2086
	if XDG_CACHE_HOME=$work/$1 "$SMPCTL" $conn --json image upload --force "$IMG" \
		>"$work/out" 2>"$work/err"; then
		jq -r '[.seconds, .packet_size, .window, .link.chunks_resent] | @tsv' "$work/out"
	else
		printf 'failed\t-\t-\t-\n'
	fi
}

# case LABEL CACHE SIM-OPTIONS...: one row, its ratio to $base
row() {
	label=$1 cache=$2
	shift 2
	start_sim "$@"
	r=$(upload "$cache")
	stop_sim
	s=$(printf '%s' "$r" | cut -f1)
	x=$(awk -v s="$s" -v b="${base:-$s}" 'BEGIN { if (s == "failed") print "-"; else printf "%.2f", s / b }')
	printf '%-13s %-12s %8s %6s %s\n' "$profile" "$label" "$s" "$x" "$(printf '%s' "$r" | cut -f2-)"
	last=$s
}

printf 'Upload of %s at the defaults, random loss each way (seed %s)\n' "$(basename "$IMG")" "$SEED"
printf '%-13s %-12s %8s %6s %s\n' profile case seconds "x" "packet	window	resent"
for profile in $PROFILES; do
	rm -rf "$work/clean" "$work/lossy"
	base=""
	row "clean cold" clean
	base=$last
	row "clean warm" clean
	for p in 1 5 10 20; do
		rm -rf "$work/lossy"
		row "loss $p %" lossy --loss "$p"
	done
	row "after 20 %" lossy
	rm -rf "$work/lossy"
	row "dup 5 %" lossy --dup 5
done
