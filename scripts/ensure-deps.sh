#!/bin/sh
# Installs the Debian packages smpctl builds and tests with, when they are
# missing: by itself as root, otherwise it prints the apt-get line to run.
# Another apt holding the lock (as on a cloud machine just booted) is
# waited for, up to SMPCTL_APT_LOCK_WAIT seconds (600), not failed on.
set -u
pkgs="gcc make pkg-config libcbor-dev libssl-dev libjansson-dev libbluetooth-dev libreadline-dev libzip-dev jq libmosquitto-dev mosquitto openssl tmux libinih-dev debhelper dpkg-dev gcc-arm-none-eabi libnewlib-arm-none-eabi"
# make lint: the formatter, clang-tidy and cppcheck.
pkgs="$pkgs clang-format clang-tidy cppcheck"
# make fuzz also needs clang and its libFuzzer runtime.
[ "${1:-}" = fuzz ] && pkgs="$pkgs clang libclang-rt-14-dev"
lock_wait=${SMPCTL_APT_LOCK_WAIT:-600}
retry_every=${SMPCTL_APT_RETRY_SECONDS:-5}
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

# apt-get waits for the dpkg lock itself with DPkg::Lock::Timeout; the
# package lists' lock (apt-get update) is not covered by that in every apt
# release, so a run that fails on a lock is retried until the deadline.
apt_get() {
	end=$(($(date +%s) + lock_wait))
	while :; do
		out=$(apt-get -o DPkg::Lock::Timeout="$lock_wait" "$@" 2>&1) && return 0
		case $out in
		*"Could not get lock"* | *"Unable to lock"* | *"Unable to acquire the dpkg"*) ;;
		*) printf '%s\n' "$out" >&2; return 1 ;;
		esac
		if [ "$(date +%s)" -ge "$end" ]; then
			printf '%s\n' "$out" >&2
			return 1
		fi
		echo "waiting for another apt to release its lock..." >&2
		sleep "$retry_every"
	done
}

if [ "$(id -u)" -eq 0 ]; then
	echo "installing:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt_get update -qq && apt_get install -y -qq $missing && exit 0
	echo "error: apt-get install failed for:$missing" >&2
	exit 1
fi
echo "error: missing packages:$missing" >&2
echo "run:   sudo apt-get -o DPkg::Lock::Timeout=600 install -y$missing" >&2
exit 1
