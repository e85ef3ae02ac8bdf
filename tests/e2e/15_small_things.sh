#!/bin/sh
# The small things a person meets: a mistyped command gets "did you
# mean"; --version names the build (version and commit, "unknown" without
# git); the package ships the documents and names every transport.
. tests/e2e/lib.sh

t_run "$SMPCTL" imgae list
expect did_you_mean_swap '[ $RC -eq 2 ] && [ "$ERR" = "smpctl: unknown command '"'imgae'"': did you mean '"'image'"'?" ]'
t_run "$SMPCTL" upgarde x.bin
expect did_you_mean_upgrade '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "did you mean .upgrade.?"'
t_run "$SMPCTL" image lsit
expect did_you_mean_subcommand '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "did you mean .image list.?"'
t_run "$SMPCTL" settigns read x
expect did_you_mean_settings '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "did you mean .settings.?"'
t_run "$SMPCTL" zzzzzz
expect no_guess_when_nothing_close '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "unknown command .zzzzzz." &&
	! printf "%s" "$ERR" | grep -q "did you mean"'

t_run "$SMPCTL" --version
expect version_names_commit '[ $RC -eq 0 ] &&
	printf "%s\n" "$OUT" | grep -Eqx "smpctl [0-9]+\.[0-9]+\.[0-9]+ \(commit ([0-9a-f]{12}(-modified)?|unknown)\)"'
commit=$(printf '%s' "$OUT" | sed -n 's/.*(commit \([0-9a-f]*\).*/\1/p')
if [ -e .git ] && [ -n "$commit" ]; then
	expect version_commit_is_real 'git cat-file -e "$commit^{commit}"'
fi
# A tarball: the Makefile outside any git tree says "unknown".
mkdir -p "$WORK/tarball"
cp Makefile "$WORK/tarball/"
t_run make -s -C "$WORK/tarball" version
expect version_unknown_without_git '[ $RC -eq 0 ] && [ "$OUT" = unknown ]'

# The package: the documents in /usr/share/doc/smpctl (dh_installdocs
# reads debian/smpctl.docs), and a description naming every transport.
has_doc() { grep -qx "$1" debian/smpctl.docs && [ -r "$1" ]; }
expect deb_ships_docs 'has_doc README.md && has_doc zephyr/PORTING.md &&
	has_doc transport/MQTT_DEVICE.md'
desc=$(sed -n '/^Description:/,$p' debian/control | tr '\n' ' ')
names_all() { for w in "$@"; do printf "%s" "$desc" | grep -q -- "$w" || return 1; done; }
expect deb_description_names_transports 'names_all UDP serial "USB CDC ACM" "Bluetooth LE" \
	"--exec" MQTT "mqtts://" TCP'

# A device error with a usual fix names it.
mkdir -p "$WORK/lfs"
sim_start --primary "$IMAGES/app_100k_ed25519_v1_0_0.bin" --fs-root "$WORK/lfs"
smp datetime get
expect rtc_not_set_hint '[ $RC -eq 1 ] && printf "%s" "$ERR" | grep -q "RTC_NOT_SET" &&
	printf "%s" "$ERR" | grep -q "smpctl datetime set now"'
smp fs stat notes.txt
expect fs_invalid_name_hint '[ $RC -eq 1 ] && printf "%s" "$ERR" | grep -q "FILE_INVALID_NAME" &&
	printf "%s" "$ERR" | grep -q "mount point"'
smp image upload "$IMAGES/dfu_application.zip"
expect bundle_to_image_upload_says_upgrade '[ $RC -ne 0 ] &&
	printf "%s" "$ERR" | grep -q "smpctl upgrade $IMAGES/dfu_application.zip. takes a bundle"'
smp image upload --upgrade --force "$IMAGES/app_100k_ed25519_v1_0_0.bin"
expect not_newer_names_both_versions '[ $RC -eq 1 ] && printf "%s" "$ERR" | grep -q "CURRENT_VERSION_IS_NEWER" &&
	printf "%s" "$ERR" | grep -q "the device runs 1.0.0 and .*app_100k_ed25519_v1_0_0.bin is 1.0.0"'
sim_stop

# IPv6 addresses in errors as they are typed: [::1]:PORT.
t_run "$SMPCTL" --udp "[::1]:1" -t 0.5 -r 0 echo hi
expect ipv6_in_brackets '[ $RC -ne 0 ] && printf "%s" "$ERR" | grep -qF "[::1]:1" &&
	! printf "%s" "$ERR" | grep -qF " ::1:1"'
exit $T_FAILED
