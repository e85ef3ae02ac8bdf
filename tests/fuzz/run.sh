#!/bin/sh
# make fuzz: runs each libFuzzer harness built in BUILD/fuzzer for SECONDS,
# with its seed corpus and the SMP dictionary, and prints one line per
# target with its executions. New inputs go to BUILD/corpus/TARGET, crash,
# hang and OOM reproducers to BUILD/artifacts/TARGET/ (copy one to
# tests/fuzz/regress/TARGET/ once fixed, so that make check replays it).
#   sh tests/fuzz/run.sh BUILD SECONDS TARGET...
set -u
BUILD=$1
SECONDS_EACH=$2
shift 2
cd "$(dirname "$0")/../.."
# A smaller ASan quarantine: recycling the default 256 MB at once can take
# longer than -timeout on a busy machine, a timeout that is not the code's.
export ASAN_OPTIONS="${ASAN_OPTIONS:-quarantine_size_mb=32}"
failed=0
for t in "$@"; do
	bin="$BUILD/fuzzer/$t"
	work="$BUILD/corpus/$t"
	art="$BUILD/artifacts/$t/"
	log="$BUILD/logs/$t.log"
	mkdir -p "$work" "$art" "$BUILD/logs"
	dict=tests/fuzz/smp.dict
	[ -f "tests/fuzz/$t.dict" ] && dict="tests/fuzz/$t.dict"
	# The first folder gets new inputs; the seeds and regressions stay as
	# they are in the tree.
	"$bin" "$work" "tests/fuzz/corpus/$t" $( [ -d "tests/fuzz/regress/$t" ] && echo "tests/fuzz/regress/$t") \
		-dict="$dict" -max_total_time="$SECONDS_EACH" -rss_limit_mb=512 -timeout=2 \
		-print_final_stats=1 -artifact_prefix="$art" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	found=$(ls "$art" 2>/dev/null | wc -l)
	if [ $rc -eq 0 ] && [ "$found" -eq 0 ]; then
		echo "fuzz $t: ${execs:-?} execs in ${SECONDS_EACH} s, nothing found"
	else
		echo "fuzz $t: FOUND $(ls "$art" | tr '\n' ' ')(exit $rc; see $log)"
		failed=1
	fi
done
exit $failed
