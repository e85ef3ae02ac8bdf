#!/bin/sh
# The factory line's and the mcumgr front end's commands and options
# (conn, mcumgr, --each, --conntype...) are in smpctl --help, the README,
# the man page and the bash, zsh and fish completions.
. tests/e2e/lib.sh

commands="conn mcumgr"
subcommands="add show delete image-list image-test image-confirm"
options="--each --each-file --each-timeout --mcumgr-compat --conntype --connstring"
docs="README.md man/smpctl.1 completions/smpctl.bash completions/_smpctl completions/smpctl.fish"

t_run "$SMPCTL" --help
for c in $commands; do
	expect "help_lists_$c" 'printf "%s" "$OUT" | grep -q "^  $c "'
done
for o in --mcumgr-compat --conntype --connstring --each; do
	expect "help_has_$o" 'printf "%s" "$OUT" | grep -q -- "$o"'
done
expect help_exit_7 'printf "%s" "$OUT" | grep -q "7 some boards of upgrade --each failed"'
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
# The Debian package puts each completion where Debian looks for it.
expect deb_zsh_dir 'grep -q "ZSHDIR=/usr/share/zsh/vendor-completions" debian/rules'
exit $T_FAILED
