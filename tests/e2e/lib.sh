# Sourced by every end-to-end test: starts the simulated device, runs
# smpctl against it and reports PASS/FAIL lines for tests/run.sh.
: "${SMPCTL:?set SMPCTL to the smpctl binary}" "${SIMDEV:?set SIMDEV to smp-simdev}"
TESTDATA=${SMPCTL_TESTDATA:-../shared/testdata}
IMAGES="$TESTDATA/images"
WORK=$(mktemp -d)
# smpctl keeps what it learns about a link in the cache: one per test.
export XDG_CACHE_HOME="$WORK/cache"
SIM_PID=""
T_FAILED=0

t_cleanup() {
	sim_stop
	rm -rf "$WORK"
}
trap t_cleanup EXIT

# sim_launch KIND [simdev options...]: starts the simulated device with its
# flash in $WORK (unless the options name another) and waits for its
# "ready KIND WHERE" line; sets SIM_PID and SIM_READY to WHERE.
sim_launch() {
	kind=$1
	shift
	# A previous device's ready line must not be mistaken for this one's.
	rm -f "$WORK/sim.out"
	SIM_READY=""
	"$SIMDEV" --flash "$WORK/flash.bin" "$@" >"$WORK/sim.out" 2>"$WORK/sim.err" &
	SIM_PID=$!
	i=0
	while [ $i -lt 100 ]; do
		# The device opens sim.out itself: it may not exist yet.
		SIM_READY=$(sed -n "s/^ready $kind //p" "$WORK/sim.out" 2>/dev/null)
		[ -n "$SIM_READY" ] && return 0
		kill -0 "$SIM_PID" 2>/dev/null || break
		sleep 0.05
		i=$((i + 1))
	done
	echo "FAIL sim_start_$kind: simulated device did not start: $(cat "$WORK/sim.err")"
	exit 1
}

# sim_start [simdev options...]: the device on a free UDP port; sets
# SIM_ADDR (127.0.0.1:PORT) and SIM_PORT.
sim_start() {
	sim_launch udp --udp 0 "$@"
	SIM_ADDR=$SIM_READY
	SIM_PORT=${SIM_READY##*:}
}

sim_stop() {
	if [ -n "$SIM_PID" ]; then
		kill "$SIM_PID" 2>/dev/null
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
