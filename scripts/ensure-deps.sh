#!/bin/sh
# Installs the Debian packages smpctl builds and tests with, when they are
# missing: by itself as root, otherwise it prints the apt-get line to run.
set -u
pkgs="gcc make pkg-config libcbor-dev libssl-dev libjansson-dev libbluetooth-dev libreadline-dev libzip-dev jq libmosquitto-dev mosquitto openssl gcc-arm-none-eabi libnewlib-arm-none-eabi"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
	echo "installing:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2 && apt-get install -y -qq $missing >&2 && exit 0
	echo "error: apt-get install failed for:$missing" >&2
	exit 1
fi
echo "error: missing packages:$missing" >&2
echo "run:   sudo apt-get install -y$missing" >&2
exit 1
