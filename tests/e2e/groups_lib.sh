# Sourced by the 5x_*.sh tests (after lib.sh): one test body run against
# the simulated device over UDP and, when smp-simdev has a pseudo-terminal
# frontend (--pty), over serial too. Test names get "_serial" there.
. tests/e2e/serial_lib.sh

FS_ROOT="$WORK/fs"
mkdir -p "$FS_ROOT"
MODE=udp

has_pty() { "$SIMDEV" --help 2>/dev/null | grep -q -- '--pty'; }

# dev_start [simdev options...]: the device over the current transport,
# its file system in $FS_ROOT.
dev_start() {
	if [ "$MODE" = serial ]; then
		sim_start_pty --fs-root "$FS_ROOT" "$@"
	else
		sim_start --fs-root "$FS_ROOT" "$@"
	fi
}

# dev ARGS...: smpctl against the device (t_run: OUT, ERR, RC).
dev() {
	if [ "$MODE" = serial ]; then
		t_run "$SMPCTL" --serial "$SIM_TTY" "$@"
	else
		t_run "$SMPCTL" --udp "$SIM_ADDR" "$@"
	fi
}

# The arguments smpctl needs to reach the device, for commands run by hand.
dev_args() {
	if [ "$MODE" = serial ]; then echo "--serial $SIM_TTY"; else echo "--udp $SIM_ADDR"; fi
}

# check NAME CONDITION: expect, with the transport in the name.
check() {
	_check_name=$1
	shift
	[ "$MODE" = serial ] && _check_name="${_check_name}_serial"
	expect "$_check_name" "$@"
}

one_line_err() { [ -n "$ERR" ] && [ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ]; }

# run_over MODE FUNCTION: the body over udp or serial, on a new device.
run_over() {
	MODE=$1
	rm -rf "$FS_ROOT" "$WORK/flash.bin"
	mkdir -p "$FS_ROOT"
	"$2"
	sim_stop
	MODE=udp
}

# run_everywhere FUNCTION: the body over UDP, then over serial.
run_everywhere() {
	run_over udp "$1"
	if has_pty; then
		run_over serial "$1"
	fi
}
