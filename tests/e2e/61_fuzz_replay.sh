#!/bin/sh
# Every fuzz harness (tests/fuzz/fuzz_*.c) replays its seed corpus and its
# regression inputs once, built into BUILD/fuzz-replay next to smpctl with
# the same sanitizers as the rest of make check. A crash, sanitizer report
# or hang fails the target (the input is named in the log).
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
replay=$(dirname "$SMPCTL")/fuzz-replay
for h in "$root"/tests/fuzz/fuzz_*.c; do
	t=$(basename "$h" .c)
	t=${t#fuzz_}
	if [ ! -x "$replay/$t" ]; then
		echo "FAIL fuzz_$t: $replay/$t was not built"
		T_FAILED=1
		continue
	fi
	out=$(timeout 120 "$replay/$t" "$t" "$root/tests/fuzz/corpus/$t" \
		"$root/tests/fuzz/regress/$t" 2>"$WORK/$t.err")
	rc=$?
	if [ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q "^PASS fuzz_$t: [1-9]"; then
		printf '%s\n' "$out"
	else
		echo "FAIL fuzz_$t: replay exited $rc"
		grep -v '^replay ' "$WORK/$t.err" | head -20 | sed 's/^/  /'
		grep '^replay ' "$WORK/$t.err" | tail -1 | sed 's/^/  last input: /'
		T_FAILED=1
	fi
done
exit $T_FAILED
