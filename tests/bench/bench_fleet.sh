#!/bin/sh
# make bench, factory line: `upgrade --each` with a 1 MiB image to one
# simulated board and to eight at once (UDP, each device 1 ms an answer),
# with the aggregate throughput: all bytes uploaded over the wall time of
# the whole run, reset and confirm included. Figures, not pass/fail.
set -eu
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
IMAGES=${SMPCTL_TESTDATA:-../shared/testdata}/images
SMPCTL=$BUILD/smpctl
IMG=$IMAGES/app_1m_unsigned.bin
OLD=$IMAGES/app_100k_ed25519_v1_0_0.bin
work=$(mktemp -d)
sims=""
trap 'for p in $sims; do kill $p 2>/dev/null; done; rm -rf "$work"' EXIT INT TERM

# boards N: N fresh devices running the old image; their specs in $conns.
boards() {
	for p in $sims; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
	sims="" conns=""
	k=0
	while [ $k -lt "$1" ]; do
		rm -f "$work/f$k.bin" "$work/s$k.out"
		"$BUILD/smp-simdev" --udp 0 --flash "$work/f$k.bin" --primary "$OLD" --buf-count 4 \
			--delay-ms 1 >"$work/s$k.out" 2>/dev/null &
		sims="$sims $!"
		while ! grep -q '^ready udp' "$work/s$k.out" 2>/dev/null; do sleep 0.05; done
		conns="$conns udp:$(sed -n 's/^ready udp //p' "$work/s$k.out")"
		k=$((k + 1))
	done
}

row() {
	boards "$1"
	t0=$(date +%s.%N)
	# shellcheck disable=SC2086 # one word a board
	"$SMPCTL" --json upgrade "$IMG" --each $conns >"$work/out" 2>/dev/null || true
	t1=$(date +%s.%N)
	jq -r --arg n "$1" --arg t0 "$t0" --arg t1 "$t1" --arg bytes "$(wc -c <"$IMG")" '
		(($t1 | tonumber) - ($t0 | tonumber)) as $wall |
		([.boards[] | select(.result == "upgraded")] | length) as $ok |
		[$n, $ok, ($wall * 100 | round / 100),
		 ($ok * ($bytes | tonumber) / $wall / 1048576 * 100 | round / 100)] | @tsv' "$work/out"
}

printf 'Factory line: upgrade --each, 1 MiB image, UDP devices answering in 1 ms\n'
printf 'boards\tupgraded\twall s\taggregate MiB/s\n'
row 1
row 8
