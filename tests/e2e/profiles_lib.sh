# Sourced by the 60_profiles_*.sh tests (after lib.sh, serial_lib.sh and
# ble_lib.sh): image upload, fs upload and fs download with smpctl's
# defaults against a simulated device profile (smp-simdev --device), each
# checked by hash afterwards; then again, starting from what the first run
# learned about the link (the cache).

IMG=$IMAGES/app_4k_ed25519.bin
IMG_HASH=ae797618229cd2793b30758389ed6ccf2eb996388063b4aa6554ab2f9fb5b18e
FS_ROOT=$WORK/fs
mkdir -p "$FS_ROOT"
head -c 8000 /dev/urandom >"$WORK/file"
sha() { sha256sum "$1" | cut -d' ' -f1; }
FILE_SHA=$(sha "$WORK/file")

# start PROFILE: the device over the profile's own transport; sets CONN.
# Small slots: MCUboot's recovery erases the whole slot first.
start() {
	transport=$("$SIMDEV" --device "$1" --describe | sed -n 's/^transport=//p')
	set -- --device "$1" --fs-root "$FS_ROOT" --slot-size 0x10000
	case $transport in
	udp) sim_start "$@"; CONN="--udp $SIM_ADDR" ;;
	ble) sim_start_att "$@"; CONN="--ble $SIM_ATT" ;;
	*) sim_start_pty "$@"; CONN="--serial $SIM_TTY" ;;
	esac
}

# shellcheck disable=SC2086
run() { t_run "$SMPCTL" $CONN "$@"; }

slot_hash() {
	run --json image list
	jqr ".images[] | select(.slot == $1) | .hash"
}

# round PROFILE SLOT SUFFIX: the three transfers, each checked (with a
# suffix, the cached round: the image only).
round() {
	p=$1 slot=$2 n=$3
	run -v --json image upload --force "$IMG"
	expect "${p}_image_upload$n" '[ $RC -eq 0 ] && [ "$(jqr .bytes)" = 4752 ]'
	IMG_ERR=$ERR
	learned=$(printf '%s\n' "$ERR" | grep -c '^smpctl: link: ')
	expect "${p}_says_what_it_learned$n" '[ "$learned" = 1 ]'
	expect "${p}_image_hash$n" '[ "$(slot_hash "$slot")" = $IMG_HASH ]'
	# MCUboot has no file system group; the cached round is the image's.
	[ "$p" = mcuboot-recovery ] || [ -n "$n" ] && return
	rm -f "$FS_ROOT/f" "$WORK/back"
	run --json fs upload "$WORK/file" /lfs/f
	expect "${p}_fs_upload$n" '[ $RC -eq 0 ] && [ "$(jqr .verified)" = true ] &&
		[ "$(sha "$FS_ROOT/f")" = $FILE_SHA ]'
	run --json fs download /lfs/f "$WORK/back"
	expect "${p}_fs_download$n" '[ $RC -eq 0 ] && [ "$(sha "$WORK/back")" = $FILE_SHA ]'
}

# profile_rounds PROFILE...: both rounds against each profile, each on a
# new device and an empty cache.
profile_rounds() {
	for p in "$@"; do
		slot=1
		[ "$p" = mcuboot-recovery ] && slot=0
		rm -rf "$XDG_CACHE_HOME" "$WORK/flash.bin"
		start "$p"
		round "$p" "$slot" ""
		cached=$(ls "$XDG_CACHE_HOME/smpctl/links" 2>/dev/null | wc -l)
		expect "${p}_cache_written" '[ "$cached" -ge 1 ]'
		round "$p" "$slot" _cached
		expect "${p}_starts_from_cache" 'printf "%s\n" "$IMG_ERR" | grep -q "link as learned before"'
		sim_stop
	done
}
