#!/bin/sh
# make bench, factory line through one broker: `upgrade --each` of 50
# simulated devices on a local mosquitto, all through smpctl's one broker
# connection, with the aggregate throughput: all bytes uploaded over the
# wall time of the whole run, reset and confirm included. Figures, not
# pass/fail; skipped without mosquitto.
set -eu
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
IMAGES=${SMPCTL_TESTDATA:-../shared/testdata}/images
SMPCTL=$BUILD/smpctl
MOSQUITTO=${MOSQUITTO:-/usr/sbin/mosquitto}
OLD=$IMAGES/app_100k_ed25519_v1_0_0.bin
IMG=$IMAGES/app_100k_ed25519_v2.bin
N=50
work=$(mktemp -d)
pids=""
trap 'for p in $pids; do kill $p 2>/dev/null; done; rm -rf "$work"' EXIT INT TERM

if [ ! -x "$MOSQUITTO" ]; then
	printf 'Factory line through one MQTT broker: skipped, no %s\n' "$MOSQUITTO"
	exit 0
fi
tries=0
while :; do
	tries=$((tries + 1))
	port=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000))
	printf 'listener %s 127.0.0.1\nallow_anonymous true\nset_tcp_nodelay true\npersistence false\nlog_dest stderr\nlog_type information\n' \
		"$port" >"$work/mosquitto.conf"
	"$MOSQUITTO" -c "$work/mosquitto.conf" >"$work/broker.log" 2>&1 &
	broker=$!
	while kill -0 "$broker" 2>/dev/null && ! grep -q running "$work/broker.log"; do sleep 0.05; done
	kill -0 "$broker" 2>/dev/null && break
	[ $tries -lt 10 ] || { echo "mosquitto did not start"; exit 1; }
done
pids=$broker
k=1
while [ $k -le $N ]; do
	"$BUILD/smp-simdev" --flash "$work/f$k.bin" --primary "$OLD" --mqtt "mqtt://127.0.0.1:$port/bench" \
		--device-id "dev$k" >"$work/s$k.out" 2>/dev/null &
	pids="$pids $!"
	k=$((k + 1))
done
while [ "$(cat "$work"/s*.out 2>/dev/null | grep -c '^ready mqtt')" -lt $N ]; do sleep 0.1; done

t0=$(date +%s.%N)
"$SMPCTL" --json upgrade "$IMG" --each "mqtt://127.0.0.1:$port/bench/dev{1..$N}" >"$work/out" 2>/dev/null || true
t1=$(date +%s.%N)
printf 'Factory line through one MQTT broker connection: %s devices, 100 KiB image, local mosquitto\n' "$N"
printf 'boards\tupgraded\twall s\taggregate KiB/s\n'
jq -r --arg n "$N" --arg t0 "$t0" --arg t1 "$t1" --arg bytes "$(wc -c <"$IMG")" '
	(($t1 | tonumber) - ($t0 | tonumber)) as $wall |
	([.boards[] | select(.result == "upgraded")] | length) as $ok |
	[$n, $ok, ($wall * 100 | round / 100),
	 ($ok * ($bytes | tonumber) / $wall / 1024 | round)] | @tsv' "$work/out"
