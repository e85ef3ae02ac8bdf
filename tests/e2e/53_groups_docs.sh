#!/bin/sh
# The group commands (taskstat ... raw) and their options are in smpctl
# --help, the README, the man page and the bash, zsh and fish completions.
. tests/e2e/lib.sh

commands="taskstat mpstat datetime bootloader fs shell stat settings groups storage raw"
subcommands="upload download hashes close exec commit load save erase"
options="--force --type --hex --text --out --max-size --file --yes --write"
docs="README.md man/smpctl.1 completions/smpctl.bash completions/_smpctl completions/smpctl.fish"

t_run "$SMPCTL" --help
for c in $commands; do
	expect "help_lists_$c" 'printf "%s" "$OUT" | grep -q "^  $c "'
done
# man pages escape dashes; fish names long options with -l.
in_doc() {
	case $2 in
	*.1) grep -q -- "$(printf '%s' "$1" | sed 's/-/\\\\-/g')" "$2" ;;
	*.fish) case $1 in
		--*) grep -q -- "-l ${1#--}\( \|$\)" "$2" ;;
		*) grep -q -- "$1" "$2" ;;
		esac ;;
	*) grep -q -- "$1" "$2" ;;
	esac
}
OUT="" ERR="" RC=0
for d in $docs; do
	base=$(basename "$d")
	for w in $commands $subcommands $options; do
		expect "doc_${base}_has_$w" 'in_doc "$w" "$d"'
	done
done
exit $T_FAILED
