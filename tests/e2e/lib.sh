# Sourced by every end-to-end test: starts the simulated device, runs
# smpctl against it and reports PASS/FAIL lines for tests/run.sh.
#
# No check depends on how fast the machine is: a test waits for what it
# needs to see (a line the device prints, a file), never for a time. The
# device says what happens to it on its event lines ("event online 2",
# "event stalled 524288"); a test that needs a transfer cut halfway tells
# the device where (--stall-at-byte, --die-at-byte, --reset-at-byte) and
# waits for the event. Bounds on those waits (T_WAIT_S) only stop a test
# that hangs.
: "${SMPCTL:?set SMPCTL to the smpctl binary}" "${SIMDEV:?set SIMDEV to smp-simdev}"
TESTDATA=${SMPCTL_TESTDATA:-../shared/testdata}
IMAGES="$TESTDATA/images"
WORK=$(mktemp -d)
T_WAIT_S=${T_WAIT_S:-120}
# Each test has its own home, configuration, state and cache: nothing of
# the user's is read, and tests running side by side share nothing.
export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" XDG_STATE_HOME="$WORK/state" \
	XDG_CACHE_HOME="$WORK/cache"
unset SMPCTL_CONFIG SMPCTL_PROFILE
mkdir -p "$HOME"
SIM_PID=""
T_FAILED=0

t_cleanup() {
	sim_stop
	rm -rf "$WORK"
}
trap t_cleanup EXIT
# Ended from outside (tests/run.sh's bound on a hung file, Ctrl-C): the
# EXIT trap still stops what the test started.
trap 'exit 143' TERM
trap 'exit 130' INT

# wait_line FILE REGEX [PID]: waits until a line of FILE matches REGEX
# (grep -E). Returns 1 when PID has ended without writing it, or after
# T_WAIT_S seconds.
wait_line() {
	_wl_i=0
	while ! grep -Eq -- "$2" "$1" 2>/dev/null; do
		if [ -n "${3:-}" ] && ! kill -0 "$3" 2>/dev/null; then
			grep -Eq -- "$2" "$1" 2>/dev/null
			return
		fi
		_wl_i=$((_wl_i + 1))
		[ $_wl_i -le $((T_WAIT_S * 20)) ] || return 1
		sleep 0.05
	done
}

# wait_until CONDITION: waits until the shell condition holds (T_WAIT_S
# at most); returns 1 if it never does.
wait_until() {
	_wu_i=0
	until eval "$1"; do
		_wu_i=$((_wu_i + 1))
		[ $_wu_i -le $((T_WAIT_S * 20)) ] || return 1
		sleep 0.05
	done
}

# sim_launch KIND [simdev options...]: starts the simulated device with its
# flash in $WORK (unless the options name another) and waits for its
# "ready KIND WHERE" line; sets SIM_PID and SIM_READY to WHERE. The
# device's event lines go to $WORK/sim.out too.
sim_launch() {
	kind=$1
	shift
	sim_stop
	# A previous device's lines must not be mistaken for this one's.
	rm -f "$WORK/sim.out"
	SIM_READY=""
	"$SIMDEV" --flash "$WORK/flash.bin" "$@" >"$WORK/sim.out" 2>"$WORK/sim.err" &
	SIM_PID=$!
	if wait_line "$WORK/sim.out" "^ready $kind " "$SIM_PID"; then
		SIM_READY=$(sed -n "s/^ready $kind //p" "$WORK/sim.out")
		return 0
	fi
	echo "FAIL sim_start_$kind: simulated device did not start: $(cat "$WORK/sim.err")"
	exit 1
}

# sim_wait EVENT: waits until the device has said "event EVENT" (the
# whole line, as a regex); a device that never says it fails the test.
sim_wait() {
	wait_line "$WORK/sim.out" "^event $1\$" "$SIM_PID" && return 0
	echo "FAIL sim_event: the device never said \"event $1\": $(tail -3 "$WORK/sim.out" "$WORK/sim.err")"
	exit 1
}

# sim_boots: how many times the device has booted (1 once started).
sim_boots() {
	sed -n 's/^event online //p' "$WORK/sim.out" | tail -1
}

# sim_rebooted N: waits until the device, which had booted N times, has
# booted again and answers.
sim_rebooted() {
	sim_wait "online $(($1 + 1))"
}

# sim_release: a stalled device answers again; a rebooting one comes back.
sim_release() {
	kill -USR1 "$SIM_PID"
}

# sim_start [simdev options...]: the device on a free UDP port; sets
# SIM_ADDR (127.0.0.1:PORT) and SIM_PORT.
sim_start() {
	sim_launch udp --udp 0 "$@"
	SIM_ADDR=$SIM_READY
	SIM_PORT=${SIM_READY##*:}
}

# sim_stop: ends the device. One that does not end (a sanitizer's exit
# gone wrong) is killed after 10 s rather than left to hold the test for
# the whole T_WAIT_S: stopping is cleanup, not a check. The log says so.
sim_stop() {
	if [ -n "$SIM_PID" ]; then
		kill "$SIM_PID" 2>/dev/null
		_ss_wait=$T_WAIT_S
		T_WAIT_S=10
		wait_until '! kill -0 "$SIM_PID" 2>/dev/null'
		_ss_rc=$?
		T_WAIT_S=$_ss_wait
		if [ $_ss_rc -ne 0 ]; then
			echo "note: the simulated device ignored SIGTERM for 10 s; killed" >&2
			ps -o pid,stat,wchan:20,cmd -p "$SIM_PID" >&2 2>/dev/null
			kill -9 "$SIM_PID" 2>/dev/null
		fi
		wait "$SIM_PID" 2>/dev/null
		SIM_PID=""
	fi
}

# t_run CMD...: runs a command, keeping its stdout in OUT, stderr in ERR
# and exit code in RC.
t_run() {
	"$@" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	OUT=$(cat "$WORK/out")
	ERR=$(cat "$WORK/err")
}

# smp ARGS...: t_run smpctl against the simulated device over UDP.
smp() {
	t_run "$SMPCTL" --udp "$SIM_ADDR" "$@"
}

# bg_start CMD...: runs CMD in the background, its output kept for bg_end;
# sets BG_PID.
bg_start() {
	"$@" >"$WORK/bg.out" 2>"$WORK/bg.err" &
	BG_PID=$!
}

# bg_end [SIGNAL]: sends SIGNAL (if given) to the command bg_start ran,
# waits for it to end, and sets RC, OUT and ERR as t_run does.
bg_end() {
	[ -n "${1:-}" ] && kill -"$1" "$BG_PID"
	wait "$BG_PID"
	RC=$?
	OUT=$(cat "$WORK/bg.out")
	ERR=$(cat "$WORK/bg.err")
}

pass() { echo "PASS $1"; }
fail() {
	echo "FAIL $1: $2"
	echo "  rc=$RC"
	printf '%s\n' "$OUT" | head -20 | sed 's/^/  out: /'
	printf '%s\n' "$ERR" | head -20 | sed 's/^/  err: /'
	T_FAILED=1
}

# expect NAME SHELL-CONDITION: PASS if the condition holds.
expect() {
	name=$1
	shift
	if eval "$@"; then pass "$name"; else fail "$name" "$*"; fi
}

# jqr EXPR: evaluates a jq expression on $OUT, prints the result.
jqr() { printf '%s' "$OUT" | jq -r "$1" 2>/dev/null; }
