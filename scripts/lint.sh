#!/bin/sh
# make lint: the format check over every tracked C file, then cppcheck and
# clang-tidy over the portable core and the host and transport layers.
# Each part reports on one line and all three run whatever the others
# found; the exit status is nonzero when any part fails.
#   sh scripts/lint.sh BUILD [format] [cppcheck] [tidy]
set -u
cd "$(dirname "$0")/.."
build=${1:-build}
[ $# -gt 0 ] && shift
parts=${*:-format cppcheck tidy}
jobs=$(nproc 2>/dev/null || echo 2)
failed=""

# The C files make format rewrites: the tracked ones (every one, in a copy
# without .git).
c_files() {
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git ls-files -- 'smp/*.[ch]' 'host/*.[ch]' 'transport/*.[ch]' 'cli/*.[ch]' \
			'tests/*.[ch]'
	else
		find smp host transport cli tests -name '*.[ch]' | sort
	fi
}

lint_format() {
	out=$(c_files | xargs -P "$jobs" -n 16 sh -c \
		'for f; do clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || echo "$f"; done' _)
	total=$(c_files | wc -l)
	if [ -z "$out" ]; then
		echo "lint: format: ok ($total files)"
		return 0
	fi
	n=$(printf '%s\n' "$out" | wc -l)
	printf '%s\n' "$out" | head -5 | sed 's/^/  would change: /'
	[ "$n" -gt 5 ] && echo "  ..."
	echo "lint: format: $n of $total files would change (run make format)"
	return 1
}

lint_cppcheck() {
	out=$(cppcheck --quiet --std=c11 -D_GNU_SOURCE -I. \
		--enable=warning,portability,performance --inline-suppr --error-exitcode=1 \
		--template='{file}:{line}: {severity}: {message} [{id}]' smp host transport 2>&1)
	rc=$?
	[ -n "$out" ] && printf '%s\n' "$out"
	if [ $rc -eq 0 ]; then
		echo "lint: cppcheck: ok"
		return 0
	fi
	echo "lint: cppcheck: $(printf '%s\n' "$out" | grep -c ': error: \|: warning: \|: portability: \|: performance: ') findings"
	return 1
}

# clang-tidy runs once per file (a run over several files carries analyzer
# state from one to the next and reports false va_list errors); make keeps
# a stamp per clean file, so a second run checks only what changed.
lint_tidy() {
	if make -s --no-print-directory -k -j"$jobs" BUILD="$build" lint-tidy; then
		echo "lint: clang-tidy: ok"
		return 0
	fi
	echo "lint: clang-tidy: findings above"
	return 1
}

for p in $parts; do
	case $p in
	format) lint_format || failed="$failed $p" ;;
	cppcheck) lint_cppcheck || failed="$failed $p" ;;
	tidy) lint_tidy || failed="$failed $p" ;;
	*) echo "lint: unknown part '$p'" >&2; exit 2 ;;
	esac
done
[ -z "$failed" ] && exit 0
echo "lint: failed:$failed"
exit 1
