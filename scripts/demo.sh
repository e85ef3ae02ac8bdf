#!/bin/sh
# make demo: start the simulated device and upgrade it over UDP, showing
# each command as a user would type it; then, when mosquitto is installed,
# upgrade a second one through an MQTT broker.
set -eu
BUILD=${1:-build}
cd "$(dirname "$0")/.."
IMAGES=${SMPCTL_TESTDATA:-../shared/testdata}/images
SMPCTL=$BUILD/smpctl
work=$(mktemp -d)
sim=""
sim2=""
broker=""
cleanup() {
	[ -n "$sim" ] && kill "$sim" 2>/dev/null
	[ -n "$sim2" ] && kill "$sim2" 2>/dev/null
	[ -n "$broker" ] && kill "$broker" 2>/dev/null
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

# Part two, when mosquitto is installed: the same upgrade through an MQTT
# broker on loopback, as a cellular board would get it.
MOSQUITTO=/usr/sbin/mosquitto
[ -x "$MOSQUITTO" ] || exit 0
started=""
for try in 1 2 3 4 5 6 7 8 9 10; do
	port=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000))
	printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nset_tcp_nodelay true\nuser %s\nlog_dest stderr\nlog_type information\n' \
		"$port" "$(id -un)" >"$work/mosquitto.conf"
	"$MOSQUITTO" -c "$work/mosquitto.conf" 2>"$work/broker.log" &
	broker=$!
	i=0
	while [ $i -lt 100 ] && kill -0 "$broker" 2>/dev/null; do
		grep -q running "$work/broker.log" && { started=1; break; }
		sleep 0.05
		i=$((i + 1))
	done
	[ -n "$started" ] && break
	kill "$broker" 2>/dev/null
	broker=""
done
if [ -z "$started" ]; then
	echo "demo: mosquitto did not start; skipping the MQTT part" >&2
	exit 0
fi
"$BUILD/smp-simdev" --mqtt "mqtt://127.0.0.1:$port/demo" --device-id board7 \
	--flash "$work/flash2.bin" --primary "$IMAGES/app_100k_ed25519_v1_0_0.bin" \
	>"$work/sim2.out" 2>"$work/sim2.err" &
sim2=$!
i=0
while ! grep -q '^ready mqtt' "$work/sim2.out" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 200 ] || ! kill -0 "$sim2" 2>/dev/null; then
		echo "demo: the MQTT device did not start:" >&2
		cat "$work/sim2.err" >&2
		exit 1
	fi
	sleep 0.05
done
echo
echo "mosquitto on 127.0.0.1:$port; a second simulated device subscribed to demo/board7/smp/req"

mrun() {
	echo
	echo "\$ smpctl --mqtt mqtt://127.0.0.1:$port/demo/board7 $*"
	"$SMPCTL" --mqtt "mqtt://127.0.0.1:$port/demo/board7" "$@"
}

mrun image list
mrun upgrade "$IMAGES/app_100k_ed25519_v2.bin" --key "$IMAGES/keys/ed25519.pub.pem"
mrun image list
echo
echo "demo: done: the board behind the broker runs version 2.0.0 too."
