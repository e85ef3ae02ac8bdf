# Sourced by the 3x_serial*.sh tests (after lib.sh): the simulated device
# on a pseudo-terminal, and smpctl run against it with --serial.

# sim_start_pty [simdev options...]: starts the device with its UART on a
# pseudo-terminal linked at $WORK/tty (its flash in $WORK unless --flash
# is given); sets SIM_TTY.
sim_start_pty() {
	rm -f "$WORK/sim.out"
	"$SIMDEV" --flash "$WORK/flash.bin" --pty "$WORK/tty" "$@" >"$WORK/sim.out" 2>"$WORK/sim.err" &
	SIM_PID=$!
	i=0
	while [ $i -lt 100 ]; do
		grep -q "^ready pty $WORK/tty\$" "$WORK/sim.out" 2>/dev/null && break
		kill -0 "$SIM_PID" 2>/dev/null || break
		sleep 0.05
		i=$((i + 1))
	done
	if ! grep -q "^ready pty" "$WORK/sim.out" 2>/dev/null; then
		echo "FAIL sim_start_pty: simulated device did not start: $(cat "$WORK/sim.err")"
		exit 1
	fi
	SIM_TTY="$WORK/tty"
}

# sim_start_serial_tcp [simdev options...]: the same UART behind a serial
# server on a TCP port; sets SIM_SERIAL to tcp:127.0.0.1:PORT.
sim_start_serial_tcp() {
	rm -f "$WORK/sim.out"
	"$SIMDEV" --flash "$WORK/flash.bin" --serial-tcp 0 "$@" >"$WORK/sim.out" 2>"$WORK/sim.err" &
	SIM_PID=$!
	i=0
	while [ $i -lt 100 ]; do
		SIM_SERIAL=$(sed -n 's/^ready serial-tcp \(127\.0\.0\.1:[0-9]*\)$/tcp:\1/p' "$WORK/sim.out")
		[ -n "$SIM_SERIAL" ] && break
		kill -0 "$SIM_PID" 2>/dev/null || break
		sleep 0.05
		i=$((i + 1))
	done
	if [ -z "$SIM_SERIAL" ]; then
		echo "FAIL sim_start_serial_tcp: simulated device did not start: $(cat "$WORK/sim.err")"
		exit 1
	fi
}

# ser ARGS...: t_run smpctl against the device on the pseudo-terminal.
ser() {
	t_run "$SMPCTL" --serial "$SIM_TTY" "$@"
}

# one_line: true when ERR is a single line.
one_line() {
	[ -n "$ERR" ] && [ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ]
}
