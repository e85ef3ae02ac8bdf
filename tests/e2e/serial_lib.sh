# Sourced by the 3x_serial*.sh tests (after lib.sh): the simulated device
# on a pseudo-terminal, and smpctl run against it with --serial.

# sim_start_pty [simdev options...]: starts the device with its UART on a
# pseudo-terminal linked at $WORK/tty (its flash in $WORK unless --flash
# is given); sets SIM_TTY.
sim_start_pty() {
	sim_launch pty --pty "$WORK/tty" "$@"
	SIM_TTY=$SIM_READY
}

# sim_start_serial_tcp [simdev options...]: the same UART behind a serial
# server on a TCP port; sets SIM_SERIAL to tcp:127.0.0.1:PORT.
sim_start_serial_tcp() {
	sim_launch serial-tcp --serial-tcp 0 "$@"
	SIM_SERIAL=tcp:$SIM_READY
}

# ser ARGS...: t_run smpctl against the device on the pseudo-terminal.
ser() {
	t_run "$SMPCTL" --serial "$SIM_TTY" "$@"
}

# one_line: true when ERR is a single line.
one_line() {
	[ -n "$ERR" ] && [ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ]
}
