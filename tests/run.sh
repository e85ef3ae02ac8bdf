#!/bin/sh
# Runs the unit tests and every end-to-end test against the binaries in
# BUILD, and ends with one line: "N passed, N failed".
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/.."
root=$(pwd)
export SMPCTL="$root/$BUILD/smpctl" SIMDEV="$root/$BUILD/smp-simdev"
export SMPCTL_TESTDATA="${SMPCTL_TESTDATA:-$root/../shared/testdata}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

"$root/$BUILD/unit-tests" >>"$log" 2>&1 || true
for t in tests/e2e/[0-9]*.sh; do
	[ -e "$t" ] || continue
	# Each script runs in its own shell; one that dies before reporting
	# still counts as a failure.
	out=$(timeout 600 sh "$t" 2>&1); rc=$?
	printf '%s\n' "$out" >>"$log"
	if [ $rc -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^FAIL '; then
		echo "FAIL $t: exited $rc without reporting a failure" >>"$log"
	fi
done
grep -E '^(FAIL|    also|  )' "$log" || true
passed=$(grep -c '^PASS ' "$log")
failed=$(grep -c '^FAIL ' "$log")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
