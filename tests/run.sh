#!/bin/sh
# Runs the tests against the binaries in BUILD and reports as it goes: a
# line for each unit test source file and each end-to-end file when it
# ends, the details of its failures, and last "N passed, N failed",
# counting checks (a unit TEST, an e2e expect).
#
#   tests/run.sh BUILD                everything
#   tests/run.sh BUILD unit           the unit tests
#   tests/run.sh BUILD e2e [NAME...]  the e2e files named (51_fs), or all
#
# Files run side by side, JOBS at a time (default: twice the cores, as
# most of an e2e file's time is spent waiting for a device): each has its
# own temporary directory, ports and cache. Every file's whole output is
# kept in BUILD/test-logs.
set -u
cd "$(dirname "$0")/.."
root=$(pwd)

# One file, in its own process: runs it, then prints its block whole
# (the lock keeps blocks of files ending together apart).
if [ "${1:-}" = --job ]; then
	logs=$2 job=$3
	log=$logs/$(printf '%s' "$job" | tr '/:' '__').log
	start=$(date +%s.%N)
	case $job in
	unit:*) timeout 600 "$UNIT_TESTS" --file "${job#unit:}" >"$log" 2>&1 ;;
	*) timeout 600 sh "$job" >"$log" 2>&1 ;;
	esac
	rc=$?
	end=$(date +%s.%N)
	name=${job#unit:}
	# A file that dies before reporting still counts as a failure.
	if [ $rc -eq 124 ]; then
		echo "FAIL $name: still running after 600 s (hung?)" >>"$log"
	elif [ $rc -ne 0 ] && ! grep -q '^FAIL ' "$log"; then
		echo "FAIL $name: exited $rc without reporting a failure" >>"$log"
	fi
	passed=$(grep -c '^PASS ' "$log")
	failed=$(grep -c '^FAIL ' "$log")
	if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
		echo "FAIL $name: ran no checks" >>"$log"
		failed=1
	fi
	secs=$(awk "BEGIN { printf \"%.1f\", $end - $start }")
	checks=checks
	[ "$passed" -eq 1 ] && checks="check "
	if [ "$failed" -eq 0 ]; then
		line=$(printf 'PASS %-36s %4d %s %7s s' "$name" "$passed" "$checks" "$secs")
	else
		line=$(printf 'FAIL %-36s %4d passed, %d failed %7s s' "$name" "$passed" "$failed" "$secs")
	fi
	{
		flock 9
		echo "$line"
		if [ "$failed" -ne 0 ]; then
			grep -E '^(FAIL|    also|  )' "$log" | sed 's/^/  /'
			echo "  (whole output: ${log#"$root"/})"
		fi
		echo "$passed $failed $secs $job" >>"$logs/counts"
	} 9>>"$logs/lock"
	exit 0
fi

BUILD=${1:-build}
what=${2:-all}
[ $# -ge 2 ] && shift 2 || shift $#
export SMPCTL="$root/$BUILD/smpctl" SIMDEV="$root/$BUILD/smp-simdev"
export UNIT_TESTS="$root/$BUILD/unit-tests"
export SMPCTL_TESTDATA="${SMPCTL_TESTDATA:-$root/../shared/testdata}"
logs=$root/$BUILD/test-logs
rm -rf "$logs"
mkdir -p "$logs"
: >"$logs/counts"

jobs_file=$logs/jobs
: >"$jobs_file"
add_e2e() {
	for t in "$@"; do
		[ -e "$t" ] && echo "$t" >>"$jobs_file"
	done
}
add_unit() {
	if files=$("$UNIT_TESTS" --list-files) && [ -n "$files" ]; then
		printf '%s\n' "$files" | sort | sed 's/^/unit:/' >>"$jobs_file"
	else
		echo "FAIL ${UNIT_TESTS#"$root"/}: lists no unit tests" >>"$logs/errors"
	fi
}
# Without times from an earlier run, the e2e files go from the highest
# number down (the later numbers are the larger scenarios), then the
# short unit jobs fill the gaps at the end.
all_e2e() { add_e2e $(printf '%s\n' tests/e2e/[0-9]*.sh | sort -r); }
case $what in
all)
	all_e2e
	add_unit
	;;
unit) add_unit ;;
e2e)
	if [ $# -eq 0 ]; then
		all_e2e
	fi
	for n in "$@"; do
		n=${n##*/}
		n=${n%.sh}
		if [ -e "tests/e2e/$n.sh" ]; then
			echo "tests/e2e/$n.sh" >>"$jobs_file"
		else
			echo "FAIL tests/e2e/$n.sh: no such e2e file" >>"$logs/errors"
		fi
	done
	;;
*)
	echo "usage: tests/run.sh BUILD [unit | e2e [NAME...]]" >&2
	exit 2
	;;
esac

# The files that took longest last time start first, so that none is
# left running alone at the end; new ones count as long.
times=$root/$BUILD/test-times
[ -f "$times" ] || : >"$times"
awk 'FILENAME == ARGV[1] { t[$4] = $3; next } { print ($0 in t ? t[$0] : 1e6 - FNR), $0 }' \
	"$times" "$jobs_file" | sort -k1,1 -g -r -s | cut -d' ' -f2- >"$jobs_file.sorted"

JOBS=${JOBS:-$(($(nproc) * 2))}
echo "$(wc -l <"$jobs_file") test files, $JOBS at a time (logs in ${logs#"$root"/})"
xargs -P "$JOBS" -I{} sh tests/run.sh --job "$logs" {} <"$jobs_file.sorted"
awk 'FILENAME == ARGV[1] { t[$4] = $0; next } !($4 in t) { print } END { for (j in t) print t[j] }' \
	"$logs/counts" "$times" >"$times.new" && mv "$times.new" "$times"

if [ -s "$logs/errors" ]; then
	cat "$logs/errors"
fi
passed=$(awk '{ n += $1 } END { print n + 0 }' "$logs/counts")
failed=$(awk '{ n += $2 } END { print n + 0 }' "$logs/counts")
[ -s "$logs/errors" ] && failed=$((failed + $(grep -c '^FAIL ' "$logs/errors")))
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
