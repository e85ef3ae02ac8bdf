# bash completion for smpctl. It uses the bash-completion package's
# helpers when they are loaded; without them it falls back to bash's own
# words and compgen file names, so Tab never prints an error.

# File names: bash-completion's _filedir, else compgen -f (no extension
# filter then).
_smpctl_filedir()
{
	if declare -F _filedir >/dev/null; then
		_filedir "$@"
	else
		local IFS=$'\n'
		COMPREPLY+=($(compgen -f -- "$cur"))
	fi
}

# Serial ports a board is on: USB ones and their stable by-id names, not
# the virtual consoles (tty0..63) a plain file completion in /dev offers.
# Anything else typed (a path, tcp:HOST:PORT) completes as a file name.
_smpctl_serial_ports()
{
	local dev=${SMPCTL_DEVDIR:-/dev} p ports=()
	for p in "$dev"/ttyACM* "$dev"/ttyUSB* "$dev"/ttyAMA* "$dev"/serial/by-id/*; do
		[[ -e $p ]] && ports+=("$p")
	done
	if [[ -z $cur || $cur == "$dev"/* || $dev/ == "$cur"* ]]; then
		local IFS=$'\n'
		COMPREPLY=($(compgen -W "${ports[*]}" -- "$cur"))
	fi
	((${#COMPREPLY[@]})) || _smpctl_filedir
}

# The words without bash-completion: from the line itself, split at
# blanks only, so that 127.0.0.1:1337 or mqtt://h:1883/p stay one word
# whatever COMP_WORDBREAKS holds (it splits at ':' and '=').
_smpctl_split_line()
{
	local line=${COMP_LINE:0:COMP_POINT}
	read -ra words <<<"$line"
	[[ -z $line || $line == *[[:blank:]] ]] && words+=("")
	cword=$((${#words[@]} - 1))
	cur=${words[cword]}
	prev=${words[cword - 1]}
}

# Bash replaces only the part of the word after the last ':' (or '='):
# an answer for a word holding one loses what comes before it.
_smpctl_ltrim_breaks()
{
	local c prefix i
	for c in : =; do
		[[ $cur == *"$c"* && $COMP_WORDBREAKS == *"$c"* ]] || continue
		prefix=${cur%"${cur##*"$c"}"}
		for i in "${!COMPREPLY[@]}"; do
			COMPREPLY[i]=${COMPREPLY[i]#"$prefix"}
		done
		return
	done
}

_smpctl()
{
	local cur prev words cword
	if declare -F _init_completion >/dev/null; then
		_init_completion -n =: || return
	else
		_smpctl_split_line
	fi
	_smpctl_complete
	_smpctl_ltrim_breaks
}

_smpctl_complete()
{
	local globals="--udp --serial --ble --baud --rtscts --serial-raw --hci --addr-type
		--exec --exec-raw --mqtt --mqtt-topics --mqtt-client-id --cafile --cert --cert-key
		--timeout --retries --window --mtu --frame-gap --smp-version --json --no-tlv-allow-list --mcuboot --require-signature --verbose --profile --help --version
		--progress
		--conntype --connstring --mcumgr-compat
		--ble-backend"
	local commands="bootloader conn datetime echo fs groups image mcumgr mpstat os params ports raw reset
		scan settings shell stat storage taskstat upgrade"

	case $prev in
	--serial) _smpctl_serial_ports; return ;;
	--cafile|--cert|--cert-key) _smpctl_filedir pem; return ;;
	--exec|--exec-raw) COMPREPLY=($(compgen -c -- "$cur")); return ;;
	--mqtt) COMPREPLY=($(compgen -W "mqtt:// mqtts://" -- "$cur")); compopt -o nospace; return ;;
	--mqtt-topics|--mqtt-client-id) return ;;
	--key) _smpctl_filedir pem; return ;;
	--smp-version) COMPREPLY=($(compgen -W "1 2" -- "$cur")); return ;;
	--out|--file) _smpctl_filedir; return ;;
	--type) COMPREPLY=($(compgen -W "sha256 crc32" -- "$cur")); return ;;
	--max-size) return ;;
	--addr-type) COMPREPLY=($(compgen -W "public random" -- "$cur")); return ;;
	--ble-backend) COMPREPLY=($(compgen -W "dbus kernel" -- "$cur")); return ;;
	--progress) COMPREPLY=($(compgen -W "auto bar lines json none" -- "$cur")); return ;;
	--conntype) COMPREPLY=($(compgen -W "serial udp ble" -- "$cur")); return ;;
	--each-file|--each-failed) _smpctl_filedir; return ;;
	--connstring|--each-timeout) return ;;
	--profile|-p)
		local cfg=${SMPCTL_CONFIG:-$HOME/.config/smpctl/config}
		[[ -r $cfg ]] && COMPREPLY=($(compgen -W "$(sed -n 's/^\[\(.*\)\]$/\1/p' "$cfg")" -- "$cur"))
		return ;;
	--udp|--ble|--baud|--hci|--timeout|-t|--retries|-r|--window|-w|--mtu|-m|--frame-gap|--image|--slot|\
	--chunk-size|--boot-mode|--wait) return ;;
	--mcuboot)
		COMPREPLY=($(compgen -W "hash= sig= pure enc= enc-key= decompression hw-key tlv-allow-list= ecdsa= default any" -- "$cur"))
		return ;;
	esac

	# The command is the first word that is not an option or its value.
	local i cmd="" sub=""
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		--udp|--serial|--ble|--baud|--hci|--addr-type|--timeout|-t|--retries|-r|\
		--exec|--exec-raw|--mqtt|--mqtt-topics|--mqtt-client-id|--cafile|--cert|--cert-key|\
		--window|-w|--mtu|-m|--frame-gap|--smp-version|--profile|-p|--conntype|--connstring|\
		--mcuboot) ((i++)) ;;
		--ble-backend) ((i++)) ;;
		--progress) ((i++)) ;;
		-*) ;;
		*) if [[ -z $cmd ]]; then cmd=${words[i]}; elif [[ -z $sub ]]; then sub=${words[i]}; fi ;;
		esac
	done

	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$commands $globals" -- "$cur"))
		return
	fi
	case $cmd in
	image)
		if [[ -z $sub ]]; then
			COMPREPLY=($(compgen -W "list info upload test confirm erase slots" -- "$cur"))
			return
		fi
		case $sub in
		upload) COMPREPLY=($(compgen -W "--image --upgrade --force --key --chunk-size" -- "$cur")) ;;
		info) COMPREPLY=($(compgen -W "--key" -- "$cur")) ;;
		erase) COMPREPLY=($(compgen -W "--slot" -- "$cur")) ;;
		esac
		[[ $cur != -* ]] && _smpctl_filedir '@(bin|hex|signed.bin)'
		;;
	os) [[ -z $sub ]] && COMPREPLY=($(compgen -W "info taskstat mpstat datetime bootloader" -- "$cur")) ;;
	bootloader) [[ -z $sub ]] && COMPREPLY=($(compgen -W "info" -- "$cur")) ;;
	datetime)
		if [[ -z $sub ]]; then
			COMPREPLY=($(compgen -W "get set" -- "$cur"))
		elif [[ $sub == set ]]; then
			COMPREPLY=($(compgen -W "now" -- "$cur"))
		fi ;;
	fs)
		if [[ -z $sub ]]; then
			COMPREPLY=($(compgen -W "upload download stat hash hashes close" -- "$cur"))
			return
		fi
		case $sub in
		upload|download) COMPREPLY=($(compgen -W "--force" -- "$cur")) ;;
		hash) COMPREPLY=($(compgen -W "--type" -- "$cur")) ;;
		esac
		[[ $cur != -* ]] && _smpctl_filedir
		;;
	settings)
		if [[ -z $sub ]]; then
			COMPREPLY=($(compgen -W "read write delete commit load save" -- "$cur"))
			return
		fi
		case $sub in
		read) COMPREPLY=($(compgen -W "--hex --text --out --force --max-size" -- "$cur")) ;;
		write) COMPREPLY=($(compgen -W "--hex --text --file" -- "$cur")) ;;
		esac ;;
	shell) [[ -z $sub ]] && COMPREPLY=($(compgen -W "exec" -- "$cur")) ;;
	stat) [[ -z $sub ]] && COMPREPLY=($(compgen -W "list read" -- "$cur")) ;;
	storage)
		if [[ -z $sub ]]; then
			COMPREPLY=($(compgen -W "erase" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "--yes" -- "$cur"))
		fi ;;
	raw) COMPREPLY=($(compgen -W "--write" -- "$cur")) ;;
	reset) COMPREPLY=($(compgen -W "--force --boot-mode" -- "$cur")) ;;
	scan|ports) COMPREPLY=($(compgen -W "--all" -- "$cur")) ;;
	conn) [[ -z $sub ]] && COMPREPLY=($(compgen -W "add show delete" -- "$cur")) ;;
	mcumgr) [[ -z $sub ]] && COMPREPLY=($(compgen -W "image-list image-test image-confirm" -- "$cur")) ;;
	upgrade)
		COMPREPLY=($(compgen -W "--image --key --test-only --dry-run --force --wait --upgrade
			--allow-downgrade
			--each --each-file --each-timeout --each-failed" -- "$cur"))
		[[ $cur != -* ]] && _smpctl_filedir '@(bin|hex|zip)'
		;;
	esac
} &&
complete -o filenames -F _smpctl smpctl
