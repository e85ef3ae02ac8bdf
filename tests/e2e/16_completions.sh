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

# In a real terminal (tmux), with and without bash-completion: bash splits
# words at COMP_WORDBREAKS (':' among them), so a HOST:PORT, tcp:H:P or a
# URL before the command must not stop completion; no Tab prints an
# error; --serial offers serial ports, not the virtual consoles.
command -v tmux >/dev/null || { echo "FAIL completions_tmux: tmux is not installed"; exit 1; }
mkdir -p "$WORK/bin" "$WORK/dev/serial/by-id" "$WORK/files"
ln -s "$SMPCTL" "$WORK/bin/smpctl"
: >"$WORK/dev/ttyACM0"; : >"$WORK/dev/ttyUSB1"; : >"$WORK/dev/tty5"; : >"$WORK/dev/tty63"
: >"$WORK/dev/serial/by-id/usb-SEGGER_J-Link_000683012345-if00"
cp "$IMAGES/app_1k_unsigned.bin" "$WORK/files/"
: >"$WORK/files/boards.txt"
# A server of its own for each case: a new session on a server still
# shutting down fails.
n_tmux=0
TM="tmux -S $WORK/tmux.0"
trap '$TM kill-server 2>/dev/null; t_cleanup' EXIT
screen() { $TM capture-pane -p -S -100 2>/dev/null; }
# wait_for TEXT: until the screen shows it (30 s at most).
wait_for() {
	i=0
	while [ $i -lt 300 ]; do
		screen | grep -qxF -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
# wait_for_list: until the screen lists the by-id port (30 s at most).
wait_for_list() {
	i=0
	while [ $i -lt 300 ] && ! screen | grep -q "usb-SEGGER_J-Link_000683012345-if00"; do
		sleep 0.1
		i=$((i + 1))
	done
}
# in_bash WITH|WITHOUT KEYS...: a fresh interactive bash in tmux, the
# completion loaded (after bash-completion with "with"), KEYS typed.
in_bash() {
	$TM kill-server 2>/dev/null
	n_tmux=$((n_tmux + 1))
	TM="tmux -S $WORK/tmux.$n_tmux"
	{
		echo "PS1='ready\$ '"
		[ "$1" = with ] && echo ". /usr/share/bash-completion/bash_completion"
		echo ". $PWD/completions/smpctl.bash"
		echo "PATH=$WORK/bin:\$PATH SMPCTL_DEVDIR=$WORK/dev; export SMPCTL_DEVDIR; cd $WORK/files"
	} >"$WORK/rc"
	shift
	$TM new-session -d -x 200 -y 40 "bash --noprofile --rcfile $WORK/rc -i"
	wait_for 'ready$' || return 1
	$TM send-keys "$@"
}
RC=0 ERR=""
tmux_case() { # NAME WITH|WITHOUT EXPECTED KEYS...
	name=$1 mode=$2 want=$3
	shift 3
	in_bash "$mode" "$@"
	wait_for "$want"
	OUT=$(screen)
	expect "${name}_$mode" 'printf "%s\n" "$OUT" | grep -qxF -- "$want" &&
		! printf "%s" "$OUT" | grep -q "command not found"'
}
modes=without
[ -r /usr/share/bash-completion/bash_completion ] && modes="without with"
for m in $modes; do
	tmux_case after_udp_host_port "$m" "ready$ smpctl --udp 127.0.0.1:1337 image" \
		"smpctl --udp 127.0.0.1:1337 ima" Tab
	tmux_case after_udp_ipv6 "$m" "ready$ smpctl --udp [::1]:1337 image upload" \
		"smpctl --udp [::1]:1337 image up" Tab
	tmux_case after_serial_tcp "$m" "ready$ smpctl --serial tcp:127.0.0.1:4000 image erase" \
		"smpctl --serial tcp:127.0.0.1:4000 image er" Tab
	tmux_case after_mqtt_url "$m" "ready$ smpctl --mqtt mqtt://127.0.0.1:1883/fleet/b1 upgrade" \
		"smpctl --mqtt mqtt://127.0.0.1:1883/fleet/b1 upg" Tab
	tmux_case file_after_colon "$m" "ready$ smpctl --udp 127.0.0.1:1337 upgrade app_1k_unsigned.bin" \
		"smpctl --udp 127.0.0.1:1337 upgrade app_1k_u" Tab
	tmux_case each_file_no_error "$m" "ready$ smpctl upgrade x.bin --each-file boards.txt" \
		"smpctl upgrade x.bin --each-file boa" Tab
	tmux_case serial_port_acm "$m" "ready$ smpctl --serial $WORK/dev/ttyACM0" \
		"smpctl --serial $WORK/dev/ttyA" Tab
	in_bash "$m" "smpctl --serial $WORK/dev/" Tab Tab
	wait_for_list
	OUT=$(screen)
	expect "serial_offers_ports_not_consoles_$m" 'printf "%s" "$OUT" | grep -q "ttyACM0" &&
		printf "%s" "$OUT" | grep -q "ttyUSB1" && printf "%s" "$OUT" | grep -q "usb-SEGGER" &&
		! printf "%s" "$OUT" | grep -q "tty5" && ! printf "%s" "$OUT" | grep -q "tty63"'
done

# zsh and fish offer the same serial ports as bash, not every tty in the
# directory: fish asked directly (complete -C), zsh in a terminal.
command -v fish >/dev/null || { echo "FAIL completions_fish: fish is not installed"; exit 1; }
ports_not_consoles() {
	printf "%s" "$OUT" | grep -q "ttyACM0" && printf "%s" "$OUT" | grep -q "ttyUSB1" &&
		printf "%s" "$OUT" | grep -q "usb-SEGGER" && ! printf "%s" "$OUT" | grep -q "tty5" &&
		! printf "%s" "$OUT" | grep -q "tty63"
}
t_run env SMPCTL_DEVDIR="$WORK/dev" fish --no-config -c "source completions/smpctl.fish
	complete -C 'smpctl --serial '; complete -C 'smpctl --serial $WORK/dev/tty'
	complete -C 'smpctl --serial $WORK/dev/serial/by-id/'"
expect fish_serial_offers_ports '[ $RC -eq 0 ] && [ -z "$ERR" ] && ports_not_consoles'
# (only the completion offers files: it turns fish's own file names off)
comp_fish=$PWD/completions/smpctl.fish
(cd "$WORK/files" && env SMPCTL_DEVDIR="$WORK/dev" fish --no-config -c "source $comp_fish
	complete -C 'smpctl --serial boa'") >"$WORK/out" 2>"$WORK/err"
RC=$? OUT=$(cat "$WORK/out") ERR=$(cat "$WORK/err")
expect fish_serial_other_paths_files '[ $RC -eq 0 ] && [ -z "$ERR" ] &&
	printf "%s\n" "$OUT" | grep -q "^boards.txt"'

command -v zsh >/dev/null || { echo "FAIL completions_zsh: zsh is not installed"; exit 1; }
cat >"$WORK/.zshrc" <<EOS
PS1='zready> '
fpath=($PWD/completions \$fpath)
autoload -Uz compinit && compinit -u -d $WORK/zcompdump
export SMPCTL_DEVDIR=$WORK/dev PATH=$WORK/bin:\$PATH
cd $WORK/files
EOS
$TM kill-server 2>/dev/null
TM="tmux -S $WORK/tmux.zsh"
$TM new-session -d -x 200 -y 40 "env ZDOTDIR=$WORK zsh -i"
wait_for 'zready>'
$TM send-keys "smpctl --serial $WORK/dev/" Tab
wait_for_list
OUT=$(screen)
expect zsh_serial_offers_ports 'ports_not_consoles'
$TM kill-server 2>/dev/null
exit $T_FAILED
