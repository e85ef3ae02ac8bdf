# Sourced by the 41_ble_dbus*.sh tests (after lib.sh and ble_lib.sh):
# bluetoothd's stand-in (smp-bluez-standin) on a private dbus-daemon, in
# front of the simulated device's GATT stand-in, and smpctl run against it
# as an ordinary user with DBUS_SYSTEM_BUS_ADDRESS pointed at that bus.
STANDIN=${BLUEZ_STANDIN:-$(dirname "$SIMDEV")/smp-bluez-standin}
BUS_PID=""
STANDIN_PID=""

# The user's side: smpctl runs as nobody when the tests run as root, and
# so needs to reach the bus socket and its own cache.
chmod 711 "$WORK"
mkdir -p "$WORK/user/cache"
chmod -R 777 "$WORK/user"

dbus_cleanup() {
	for p in $STANDIN_PID $BUS_PID; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	STANDIN_PID=""
	BUS_PID=""
	t_cleanup
}
trap dbus_cleanup EXIT

# wait_line FILE PATTERN PID: until FILE holds a line matching PATTERN (or
# PID died).
wait_line() {
	i=0
	while [ $i -lt 200 ]; do
		grep -q "$2" "$1" 2>/dev/null && return 0
		kill -0 "$3" 2>/dev/null || return 1
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

# bus_start: a dbus-daemon of its own on $WORK/user/bus, open to every
# user, as the system bus is; sets BUS.
bus_start() {
	cat >"$WORK/bus.conf" <<EOC
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$WORK/user/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
EOC
	dbus-daemon --config-file="$WORK/bus.conf" --print-address --nofork \
		>"$WORK/bus.out" 2>"$WORK/bus.err" &
	BUS_PID=$!
	if ! wait_line "$WORK/bus.out" "unix:" "$BUS_PID"; then
		echo "FAIL bus_start: dbus-daemon did not start: $(cat "$WORK/bus.err")"
		exit 1
	fi
	BUS=$(head -n 1 "$WORK/bus.out")
	chmod 777 "$WORK/user/bus"
}

# standin_start [standin options...]: bluetoothd's stand-in for the device
# at $WORK/att.sock (sim_start_att first).
standin_start() {
	standin_stop
	rm -f "$WORK/standin.out"
	"$STANDIN" --bus "$BUS" --att "$WORK/att.sock" "$@" >"$WORK/standin.out" \
		2>"$WORK/standin.err" &
	STANDIN_PID=$!
	if ! wait_line "$WORK/standin.out" "standin: ready" "$STANDIN_PID"; then
		echo "FAIL standin_start: $(cat "$WORK/standin.err")"
		exit 1
	fi
}

standin_stop() {
	if [ -n "$STANDIN_PID" ]; then
		kill "$STANDIN_PID" 2>/dev/null
		wait "$STANDIN_PID" 2>/dev/null
		STANDIN_PID=""
	fi
}

# as_user CMD...: CMD as nobody when we are root (no capability left), as
# ourselves otherwise.
as_user() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
			env XDG_CACHE_HOME="$WORK/user/cache" DBUS_SYSTEM_BUS_ADDRESS="$BUS" "$@"
	else
		env XDG_CACHE_HOME="$WORK/user/cache" DBUS_SYSTEM_BUS_ADDRESS="$BUS" "$@"
	fi
}

# bled ARGS...: t_run smpctl --ble NAME through the stand-in, as a user.
bled() {
	t_run as_user "$SMPCTL" --ble smp-sim "$@"
}
