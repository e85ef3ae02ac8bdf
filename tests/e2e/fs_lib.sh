# Sourced by the 51_fs*.sh tests (after lib.sh and groups_lib.sh): the
# file system group's checks, which each of them runs over one transport
# (fs_body): uploads and downloads of 0 bytes, 1 byte and 1 MiB with
# matching hashes, resumed transfers, no half files, no overwriting
# without --force.

head -c 1048576 /dev/urandom >"$WORK/f1m"
printf 'x' >"$WORK/f1"
: >"$WORK/f0"
sha() { sha256sum "$1" | cut -d' ' -f1; }

# cut_transfer ARGS...: smpctl ARGS against a device whose transfer
# stalls halfway, interrupted (SIGINT) once it has; RC, OUT, ERR as t_run.
# With its timeout long and its packet size pinned, smpctl waits for the
# device as long as the test needs: only the interrupt ends it.
cut_transfer() {
	dev_start --stall-at-byte 524288
	bg_start "$SMPCTL" $(dev_args) --timeout 600 --mtu 1024 --window 1 "$@"
	sim_wait 'stalled [0-9]*'
	bg_end INT
	sim_stop
}

fs_body() {
	rm -rf "$WORK"/out* "$WORK/dir" "$WORK"/bad* "$WORK"/cut* "$WORK/keep" "$WORK/lossy"
	dev_start --buf-count 4
	for n in 0 1 1m; do
		dev --json fs upload "$WORK/f$n" "/lfs/f$n"
		check "fs_upload_$n" '[ $RC -eq 0 ] && [ "$(jqr .verified)" = true ] &&
			cmp -s "$WORK/f$n" "$FS_ROOT/f$n"'
		rm -f "$WORK/out$n"
		dev --json fs download "/lfs/f$n" "$WORK/out$n"
		check "fs_download_$n" '[ $RC -eq 0 ] && [ "$(sha "$WORK/out$n")" = "$(sha "$WORK/f$n")" ] &&
			[ ! -e "$WORK/out$n.part" ]'
	done
	dev --json fs download --force /lfs/f1m "$WORK/out1m"
	check fs_download_1m_hashed '[ "$(jqr .hash)" = sha256 ] && [ "$(jqr .bytes)" = 1048576 ]'

	dev fs hash /lfs/f1m "$WORK/f1m"
	check fs_hash_matches '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -q "^sha256  $(sha "$WORK/f1m")  /lfs/f1m (1048576 bytes)$" &&
		printf "%s" "$OUT" | grep -q "^matches "'
	dev fs hash /lfs/f1m "$WORK/f1" --type crc32
	check fs_hash_differs '[ $RC -eq 1 ] && one_line_err && printf "%s" "$OUT" | grep -q "^DIFFERS"'
	dev --json fs hash /lfs/f1 --type crc32
	check fs_hash_crc32 '[ $RC -eq 0 ] && [ "$(jqr .output)" = 2363233923 ]'
	dev --json fs hash /lfs/f0 "$WORK/f0"
	check fs_hash_empty '[ $RC -eq 0 ] && [ "$(jqr .empty)" = true ] && [ "$(jqr .match)" = true ]'
	dev fs hash /lfs/f1 --type md5
	check fs_hash_unknown_type '[ $RC -eq 1 ] && one_line_err'
	dev --json fs hashes
	check fs_hashes '[ "$(jqr ".types[0].name")" = crc32 ] && [ "$(jqr ".types[1].size")" = 32 ]'
	dev --json fs stat /lfs/f1m
	check fs_stat '[ "$(jqr .len)" = 1048576 ]'
	dev fs stat /lfs/none
	check fs_stat_missing '[ $RC -eq 1 ] && one_line_err &&
		printf "%s" "$ERR" | grep -q "fs stat: device error: fs: FS_MGMT_ERR_FILE_NOT_FOUND (3)"'
	dev fs close
	check fs_close '[ $RC -eq 0 ]'

	# Uploading what the device already has is skipped; another file
	# needs --force; a missing directory is the device's error, by name.
	dev --json fs upload "$WORK/f1m" /lfs/f1m
	check fs_upload_same_skips '[ $RC -eq 0 ] && [ "$(jqr .skipped)" = true ]'
	dev fs upload "$WORK/f1" /lfs/f1m
	check fs_upload_refuses_overwrite '[ $RC -eq 2 ] && one_line_err && cmp -s "$WORK/f1m" "$FS_ROOT/f1m"'
	dev fs upload --force "$WORK/f1" /lfs/f1
	check fs_upload_force '[ $RC -eq 0 ]'
	dev fs upload "$WORK/f1" /lfs/nodir/f1
	check fs_upload_no_dir '[ $RC -eq 1 ] && printf "%s" "$ERR" | grep -q "FS_MGMT_ERR_MOUNT_POINT_NOT_FOUND (14)"'

	# Downloads never replace LOCAL without --force, and leave nothing
	# behind when the file is not there.
	printf keep >"$WORK/keep"
	dev fs download /lfs/f1 "$WORK/keep"
	check fs_download_no_overwrite '[ $RC -eq 2 ] && one_line_err && [ "$(cat "$WORK/keep")" = keep ]'
	dev fs download --force /lfs/f1 "$WORK/keep"
	check fs_download_force '[ $RC -eq 0 ] && [ "$(cat "$WORK/keep")" = x ]'
	dev fs download /lfs/none "$WORK/none"
	check fs_download_missing '[ $RC -eq 1 ] && [ ! -e "$WORK/none" ] && [ ! -e "$WORK/none.part" ]'
	mkdir -p "$WORK/dir"
	dev fs download /lfs/f1 "$WORK/dir"
	check fs_download_into_dir '[ $RC -eq 0 ] && [ "$(cat "$WORK/dir/f1")" = x ]'
	sim_stop

	# Cut off midway: no half LOCAL, a .part to resume from.
	rm -f "$WORK/cut" "$WORK/cut.part"
	cut_transfer fs download /lfs/f1m "$WORK/cut"
	part=$(stat -c %s "$WORK/cut.part" 2>/dev/null || echo 0)
	check fs_download_cut_leaves_part '[ $RC -eq 130 ] && [ ! -e "$WORK/cut" ] && [ "$part" -gt 0 ] &&
		[ "$part" -lt 1048576 ]'
	dev_start
	dev --json fs download /lfs/f1m "$WORK/cut"
	check fs_download_resumes '[ $RC -eq 0 ] && [ "$(jqr .resumed_from)" -ge "$part" ] &&
		[ "$(jqr .resumed_from)" -gt 0 ] && [ "$(sha "$WORK/cut")" = "$(sha "$WORK/f1m")" ] &&
		[ ! -e "$WORK/cut.part" ]'
	# A .part that is not the file's beginning is not trusted.
	head -c 5000 /dev/urandom >"$WORK/bad.part"
	dev --json fs download /lfs/f1m "$WORK/bad"
	check fs_download_distrusts_part '[ $RC -eq 0 ] && [ "$(jqr .resumed_from)" = 0 ] &&
		cmp -s "$WORK/bad" "$WORK/f1m"'
	sim_stop

	rm -f "$FS_ROOT/up"
	cut_transfer fs upload "$WORK/f1m" /lfs/up
	dev_start
	dev --json fs upload "$WORK/f1m" /lfs/up
	check fs_upload_resumes '[ $RC -eq 0 ] && [ "$(jqr .resumed_from)" -gt 0 ] &&
		[ "$(jqr .verified)" = true ] && cmp -s "$WORK/f1m" "$FS_ROOT/up"'
	sim_stop

	# Lost requests (UDP) and a v1-only device: still whole files.
	if [ "$MODE" = udp ]; then
		dev_start --buf-count 4 --drop-every 7
		rm -f "$WORK/lossy"
		dev --timeout 0.3 --retries 100 --json fs download /lfs/f1m "$WORK/lossy"
		check fs_download_lossy '[ $RC -eq 0 ] && cmp -s "$WORK/lossy" "$WORK/f1m"'
		dev --timeout 0.3 --retries 100 --json fs upload "$WORK/f1m" /lfs/lossy
		check fs_upload_lossy '[ $RC -eq 0 ] && cmp -s "$WORK/f1m" "$FS_ROOT/lossy"'
		sim_stop
	fi
	dev_start --v1
	rm -f "$FS_ROOT/v1"
	dev fs upload "$WORK/f1m" /lfs/v1
	check fs_upload_v1 '[ $RC -eq 0 ] && cmp -s "$WORK/f1m" "$FS_ROOT/v1"'
	dev fs stat /lfs/none
	check fs_stat_missing_v1 '[ $RC -eq 1 ] && printf "%s" "$ERR" | grep -q "MGMT_ERR_ENOENT (5)"'
	sim_stop

	# A device without the fs group says so, and what it has.
	dev_start --disable-group 8
	dev fs stat /lfs/f1
	check fs_group_missing '[ $RC -eq 1 ] && one_line_err &&
		printf "%s" "$ERR" | grep -q "does not have the fs group (8); it has: os (0), image (1)"'
	dev fs download /lfs/f1 "$WORK/nogroup"
	check fs_group_missing_download '[ $RC -eq 1 ] && one_line_err && [ ! -e "$WORK/nogroup" ] &&
		[ ! -e "$WORK/nogroup.part" ]'
}
