#!/bin/sh
# The README is for users first: what smpctl is, how to install it and a
# quickstart come before the developer material; what it claims of the
# core's size is what make size measures.
. tests/e2e/lib.sh

R=README.md
line_of() { grep -n -m1 -F -- "$1" "$R" | cut -d: -f1; }
RC=0 OUT="" ERR=""
expect readme_install_first '[ "$(line_of "## Install")" -lt "$(line_of "## Commands")" ] &&
	[ "$(line_of "## Install")" -lt 20 ] && [ "$(line_of "make check")" -gt "$(line_of "## Building, testing")" ]'
expect readme_quickstart '[ "$(line_of "smpctl --serial /dev/ttyACM0 image list")" -lt "$(line_of "## Commands")" ] &&
	grep -q "smpctl --serial /dev/ttyACM0 upgrade build/zephyr/zephyr.signed.bin" "$R"'
expect readme_install_both_ways 'grep -q "dpkg-buildpackage" "$R" && grep -q "sudo make install" "$R"'
names_all() { for w in "$@"; do grep -q -- "$w" "$R" || return 1; done; }
expect readme_board_needs 'names_all serial.conf cdc.conf usb.overlay bt.conf udp.conf \
	overlay-serial.conf overlay-cdc.conf overlay-bt.conf overlay-udp.conf CONFIG_MCUMGR_TRANSPORT_UART CONFIG_MCUMGR_TRANSPORT_BT \
	CONFIG_MCUMGR_TRANSPORT_UDP CONFIG_USB_DEVICE_STACK CONFIG_MCUMGR= dfu_application.zip \
	"imgtool sign" SB_CONFIG_BOOTLOADER_MCUBOOT'
expect readme_permissions_no_root_group 'grep -q "udev rule" "$R" && grep -q "usermod -aG dialout" "$R" &&
	! grep -qi "aG root" "$R"'

# The size figure: make size's budget set, rounded to whole KiB.
if command -v arm-none-eabi-size >/dev/null; then
	t_run make -s size
	kib=$(printf '%s\n' "$OUT" | sed -n 's/.*(\([0-9.]*\) KiB of .*/\1/p')
	whole=$(printf '%.0f' "$kib" 2>/dev/null)
	expect readme_core_size_is_measured '[ $RC -eq 0 ] && [ -n "$whole" ] &&
		grep -q "today it is about $whole KiB" "$R"'
fi
exit $T_FAILED
