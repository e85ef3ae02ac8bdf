#!/bin/sh
# The completions. Bash completes with or without the bash-completion
# package (without it, no error on every Tab); all three (bash, zsh, fish)
# know every command, subcommand and option smpctl's own help lists.
. tests/e2e/lib.sh

cat >"$WORK/comp.bash" <<'EOS'
[ "$1" = with ] && . /usr/share/bash-completion/bash_completion
. completions/smpctl.bash
try() { COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}; COMPREPLY=(); _smpctl smpctl; echo "${COMPREPLY[*]}"; }
try smpctl ima
try smpctl image erase --s
try smpctl --udp 1.2.3.4 image upload "$2"
EOS
IMG="$IMAGES/app_1k_unsig"
t_run bash --norc "$WORK/comp.bash" without "$IMG"
expect bash_without_bash_completion '[ -z "$ERR" ] && [ "$(printf "%s\n" "$OUT" | sed -n 1p)" = image ] &&
	[ "$(printf "%s\n" "$OUT" | sed -n 2p)" = --slot ] &&
	[ "$(printf "%s\n" "$OUT" | sed -n 3p)" = "$IMAGES/app_1k_unsigned.bin" ]'
if [ -r /usr/share/bash-completion/bash_completion ]; then
	t_run bash --norc "$WORK/comp.bash" with "$IMG"
	expect bash_with_bash_completion '[ -z "$ERR" ] && [ "$(printf "%s\n" "$OUT" | sed -n 1p)" = image ] &&
		[ "$(printf "%s\n" "$OUT" | sed -n 3p)" = "$IMAGES/app_1k_unsigned.bin" ]'
fi

# Every word smpctl's help lists, in each completion file.
words_of() { "$SMPCTL" help "$@" | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p'; }
opts_of() { "$SMPCTL" help "$@" | sed -n 's/^  \(-., \)\{0,1\} *\(--[a-z-]*\).*/\2/p'; }
missing=""
check_word() {
	for f in completions/smpctl.bash completions/_smpctl completions/smpctl.fish; do
		w=$2
		case $f in *.fish) w=${2#--} ;; esac
		grep -q -- "$w" "$f" || missing="$missing $f:$1:$2"
	done
}
for o in $("$SMPCTL" --help | sed -n 's/^  \(-., \)\{0,1\} *\(--[a-z-]*\).*/\2/p'); do check_word global "$o"; done
for c in $("$SMPCTL" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p'); do
	check_word command "$c"
	subs=$(words_of "$c" | grep -v "^$c$")
	if "$SMPCTL" help "$c" | grep -q "^usage: smpctl $c <command>"; then
		for s in $subs; do
			check_word "$c" "$s"
			for o in $(opts_of "$c" "$s"); do check_word "$c $s" "$o"; done
		done
	else
		for o in $(opts_of "$c"); do check_word "$c" "$o"; done
	fi
done
RC=0 OUT="$missing" ERR=""
expect completions_know_every_word '[ -z "$missing" ]'
exit $T_FAILED
