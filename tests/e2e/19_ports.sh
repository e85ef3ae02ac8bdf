#!/bin/sh
# smpctl ports: serial ports from a fake sysfs tree ($SMPCTL_SYSFS), laid
# out as the kernel does: /sys/class/tty/NAME/device is a link to the USB
# interface, whose parent holds the descriptors. Virtual consoles (no
# device link) and non-USB ports are left out unless --all.
. tests/e2e/lib.sh

S=$WORK/sys
usb_port() { # tty usbdir vid pid serial manufacturer product
	mkdir -p "$S/devices/pci0000:00/$2/$2:1.0" "$S/class/tty/$1"
	printf '%s\n' "$3" >"$S/devices/pci0000:00/$2/idVendor"
	printf '%s\n' "$4" >"$S/devices/pci0000:00/$2/idProduct"
	printf '%s\n' "$5" >"$S/devices/pci0000:00/$2/serial"
	printf '%s\n' "$6" >"$S/devices/pci0000:00/$2/manufacturer"
	printf '%s\n' "$7" >"$S/devices/pci0000:00/$2/product"
	ln -s "../../../devices/pci0000:00/$2/$2:1.0" "$S/class/tty/$1/device"
}
usb_port ttyACM0 1-1 1366 1015 000683012345 SEGGER "J-Link"
usb_port ttyACM1 1-2 1915 521f D1C0FFEE1234 "Nordic Semiconductor" "Open DFU Bootloader"
usb_port ttyACM2 1-3 1915 520f 5A1B2C3D "Nordic Semiconductor ASA" "smp_svr"
usb_port ttyUSB0 1-4 0403 6001 A10KXYZ FTDI "FT232R USB UART"
for i in 0 1 2 63; do mkdir -p "$S/class/tty/tty$i"; done
mkdir -p "$S/class/tty/ptmx" "$S/devices/platform/serial8250/tty/ttyS0" "$S/class/tty/ttyS0"
ln -s ../../../devices/platform/serial8250 "$S/class/tty/ttyS0/device"

SMPCTL_SYSFS=$S t_run "$SMPCTL" ports
expect ports_lists_usb_only '[ $RC -eq 0 ] && [ "$(printf "%s\n" "$OUT" | sed 1d | cut -d" " -f1 | tr "\n" " ")" = "/dev/ttyACM0 /dev/ttyACM1 /dev/ttyACM2 /dev/ttyUSB0 " ]'
line() { printf '%s\n' "$OUT" | grep "^/dev/$1 "; }
expect ports_marks_jlink 'line ttyACM0 | grep -q "1366:1015 *000683012345 *SEGGER J-Link: SEGGER J-Link OB"'
expect ports_marks_dongle 'line ttyACM1 | grep -q "1915:521f .*nRF52840 Dongle"'
expect ports_marks_nrf_cdc 'line ttyACM2 | grep -q "1915:520f .*smp_svr: nRF USB CDC ACM"'
expect ports_plain_usb_unmarked 'line ttyUSB0 | grep -q "0403:6001 *A10KXYZ *FTDI FT232R USB UART$"'

SMPCTL_SYSFS=$S t_run "$SMPCTL" ports --all
expect ports_all_adds_non_usb '[ $RC -eq 0 ] && line ttyS0 | grep -q "(not USB)" &&
	! printf "%s\n" "$OUT" | grep -q "/dev/tty[0-9]" && ! printf "%s\n" "$OUT" | grep -q ptmx'

SMPCTL_SYSFS=$S t_run "$SMPCTL" --json ports
expect ports_json '[ $RC -eq 0 ] && [ "$(jqr ".ports | length")" = 4 ] &&
	[ "$(jqr ".ports[1] | [.path, .usb_id, .serial, .board] | join(\"|\")")" = "/dev/ttyACM1|1915:521f|D1C0FFEE1234|nRF52840 Dongle (Nordic DFU bootloader)" ]'

mkdir -p "$WORK/empty/class/tty/tty1"
SMPCTL_SYSFS=$WORK/empty t_run "$SMPCTL" ports
expect ports_none_says_so '[ $RC -eq 0 ] && [ -z "$OUT" ] && printf "%s" "$ERR" | grep -q "no USB serial port found"'
SMPCTL_SYSFS=$WORK/nowhere t_run "$SMPCTL" ports
expect ports_no_sysfs_one_line '[ $RC -ne 0 ] && [ "$(printf "%s\n" "$ERR" | wc -l)" -eq 1 ]'
t_run "$SMPCTL" ports extra
expect ports_usage '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "usage: smpctl ports"'

# Permission trouble: a port of group root points to a udev rule and the
# dialout group, never to joining root; a dialout port to joining dialout.
# Needs root to play another user (setpriv).
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null && getent group dialout >/dev/null; then
	P=$WORK/perm
	mkdir -p "$P" && chmod 755 "$WORK" "$P"
	: >"$P/ttyACM9" && chmod 600 "$P/ttyACM9"
	t_run setpriv --reuid=65534 --regid=65534 --clear-groups "$SMPCTL" --serial "$P/ttyACM9" echo hi
	expect serial_eacces_root_group_udev '[ $RC -eq 3 ] && printf "%s" "$ERR" | grep -q "udev rule" &&
		printf "%s" "$ERR" | grep -q dialout && ! printf "%s" "$ERR" | grep -q "root"'
	chgrp dialout "$P/ttyACM9" && chmod 660 "$P/ttyACM9"
	t_run setpriv --reuid=65534 --regid=65534 --clear-groups "$SMPCTL" --serial "$P/ttyACM9" echo hi
	expect serial_eacces_dialout_join '[ $RC -eq 3 ] && printf "%s" "$ERR" | grep -q "the .dialout. group"'
fi
exit $T_FAILED
