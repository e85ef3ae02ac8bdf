#!/bin/sh
# Installs the Debian packages smpctl builds and tests with, when they are
# missing: by itself as root, otherwise it prints the apt-get line to run.
# Another apt holding the lock (as on a cloud machine just booted) is
# waited for, up to SMPCTL_APT_LOCK_WAIT seconds (600), not failed on.
set -u
# What each target needs, by what it does:
# build: the libraries smpctl and the simulated device link, and the
#        compiler; demo: that and mosquitto (the demo's MQTT part);
# check: that and what the tests drive (jq reads --json, openssl makes
#        keys, tmux is the terminal, bash-completion, zsh and fish the
#        completion tests), the package tools (debhelper, dpkg-dev) and the Arm
#        toolchain for make cross / make size (800 MB: never for demo),
#        and make lint's clang-format, clang-tidy and cppcheck, and
#        embedded's QEMU (.ci/run runs make embedded-check);
# embedded: make embedded-check: the build's, jq, the Arm toolchain and
#        newlib (semihosting's librdimon), and QEMU's Cortex-M boards;
# fuzz:  clang and its libFuzzer runtime.
build="gcc make pkg-config libcbor-dev libssl-dev libjansson-dev libbluetooth-dev libsystemd-dev libreadline-dev libzip-dev libmosquitto-dev libinih-dev"
demo="$build mosquitto"
arm="gcc-arm-none-eabi libnewlib-arm-none-eabi"
embedded="$build jq $arm qemu-system-arm"
check="$demo dbus-daemon jq openssl tmux bash-completion zsh fish debhelper dpkg-dev $arm clang-format clang-tidy cppcheck qemu-system-arm"
case ${1:-check} in
build) pkgs=$build ;;
demo) pkgs=$demo ;;
check) pkgs=$check ;;
embedded) pkgs=$embedded ;;
fuzz) pkgs="$check clang libclang-rt-14-dev" ;;
*) echo "usage: ensure-deps.sh [build|demo|check|embedded|fuzz]" >&2; exit 2 ;;
esac
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
	echo "installing the Debian packages ${1:-check} needs:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt_get update -qq && apt_get install -y -qq $missing && exit 0
	echo "error: apt-get install failed for:$missing" >&2
	exit 1
fi
echo "${1:-check} needs these Debian packages:$missing" >&2
echo "run:   sudo apt-get -o DPkg::Lock::Timeout=600 install -y$missing" >&2
exit 1
