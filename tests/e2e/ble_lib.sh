# Sourced by the 40_ble*.sh tests (after lib.sh): the simulated device's
# Bluetooth stand-in (a GATT server on a local SOCK_SEQPACKET socket) and
# smpctl run against it with --ble unix:PATH, through the same ATT client
# code as a real device.

# sim_start_att [simdev options...]: starts the device serving GATT at
# $WORK/att.sock (its flash in $WORK); sets SIM_ATT.
sim_start_att() {
	sim_launch att --att "$WORK/att.sock" "$@"
	SIM_ATT="unix:$SIM_READY"
}

# ble ARGS...: t_run smpctl against the device over the ATT stand-in.
ble() {
	t_run "$SMPCTL" --ble "$SIM_ATT" "$@"
}

# one_line: true when ERR is a single line.
one_line() {
	[ -n "$ERR" ] && [ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ]
}

# ble_require_wired: one clear failure, not dozens, while smpctl does not
# yet route --ble to the BLE transport.
ble_require_wired() {
	t_run "$SMPCTL" --ble "unix:$WORK/none.sock" echo x
	if ! printf '%s' "$ERR" | grep -q "no simulated device at"; then
		fail ble_wired "smpctl does not route --ble unix:PATH to transport/ble.c yet"
		exit 1
	fi
}

# sim_quiet: the device saw no ATT misbehaviour (PDUs over the MTU...).
sim_quiet() {
	! grep -q "att:" "$WORK/sim.err" 2>/dev/null
}
