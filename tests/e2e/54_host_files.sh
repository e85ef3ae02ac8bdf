#!/bin/sh
# smpctl writes only the regular file the user named, atomically, keeping
# its mode; it never writes through or replaces a symlink, a device node,
# a FIFO or a directory; "-" is standard output; an existing file is
# replaced only with --force.
. tests/e2e/lib.sh

FS=$WORK/fs
D=$WORK/d
mkdir -p "$FS" "$D"
printf 'hello world' >"$FS/f1"
sim_start --fs-root "$FS"

one_line_err() { [ -n "$ERR" ] && [ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ]; }
mode_of() { stat -c %a "$1"; }
# Nothing left beside the target: no temporary file, no LOCAL.part.
no_leftovers() { [ -z "$(ls -A "$D" | grep -v -e '^victim$' -e "^$1\$")" ]; }
reset_dir() { rm -rf "$D" && mkdir -p "$D" && printf victim >"$D/victim"; }

# fs download --force onto a symlink: the link and its target stay.
reset_dir
ln -s "$D/victim" "$D/link"
smp fs download --force /lfs/f1 "$D/link"
expect download_refuses_symlink '[ $RC -eq 6 ] && one_line_err &&
	printf "%s" "$ERR" | grep -q "is a symbolic link" && [ -L "$D/link" ] &&
	[ "$(cat "$D/victim")" = victim ] && no_leftovers link'

# ... onto a symlink to /dev/stdout: it stays a link, nothing is printed.
reset_dir
ln -s /dev/stdout "$D/stdout"
smp fs download --force /lfs/f1 "$D/stdout"
expect download_refuses_dev_stdout_link '[ $RC -eq 6 ] && [ -L "$D/stdout" ] && [ -z "$OUT" ] &&
	no_leftovers stdout'

# ... onto a FIFO (no reader: a write would hang, a rename replace it).
reset_dir
mkfifo "$D/fifo"
smp fs download --force /lfs/f1 "$D/fifo"
expect download_refuses_fifo '[ $RC -eq 6 ] && one_line_err && printf "%s" "$ERR" | grep -q "is a FIFO" &&
	[ -p "$D/fifo" ] && no_leftovers fifo'

# ... onto a device node: a null device of our own where mknod works
# (root), else the system's through the name the user gave.
reset_dir
if mknod "$D/null" c 1 3 2>/dev/null; then NODE=$D/null; else NODE=/dev/null; fi
smp fs download --force /lfs/f1 "$NODE"
expect download_refuses_device '[ $RC -eq 6 ] && one_line_err &&
	printf "%s" "$ERR" | grep -q "is a character device" && [ -c "$NODE" ] && no_leftovers null'

# LOCAL.part is never followed either: the resume file is a symlink.
reset_dir
ln -s "$D/victim" "$D/new.part"
smp fs download /lfs/f1 "$D/new"
expect download_refuses_part_symlink '[ $RC -eq 6 ] && one_line_err && [ -L "$D/new.part" ] &&
	[ "$(cat "$D/victim")" = victim ] && [ ! -e "$D/new" ]'
rm -f "$D/new.part"
ln "$D/victim" "$D/new.part"
smp fs download /lfs/f1 "$D/new"
expect download_refuses_part_hard_link '[ $RC -eq 6 ] && one_line_err && [ "$(cat "$D/victim")" = victim ] &&
	[ ! -e "$D/new" ]'
rm -f "$D/new.part"
mkfifo "$D/new.part"
smp fs download /lfs/f1 "$D/new"
expect download_refuses_part_fifo '[ $RC -eq 6 ] && [ -p "$D/new.part" ] && [ ! -e "$D/new" ]'

# The happy path: a regular file is replaced whole, keeping its mode.
reset_dir
printf old >"$D/reg"
chmod 640 "$D/reg"
smp fs download --force /lfs/f1 "$D/reg"
expect download_replaces_regular '[ $RC -eq 0 ] && [ "$(cat "$D/reg")" = "hello world" ] &&
	[ "$(mode_of "$D/reg")" = 640 ] && no_leftovers reg'

# fs download to "-": the checked file on stdout, the report on stderr,
# no file named "-" and no LOCAL.part.
reset_dir
head -c 100000 /dev/urandom >"$FS/big"
(cd "$D" && "$SMPCTL" --udp "$SIM_ADDR" fs download /lfs/big -) >"$WORK/got" 2>"$WORK/err"
RC=$?
ERR=$(cat "$WORK/err")
expect download_to_stdout '[ $RC -eq 0 ] && cmp -s "$WORK/got" "$FS/big" &&
	printf "%s" "$ERR" | grep -q "^downloaded .* to -" && no_leftovers "-"'
# (--progress none: the progress lines, checked in 27_fs_progress.sh,
# would come before the error line)
(cd "$D" && "$SMPCTL" --udp "$SIM_ADDR" --progress none fs download /lfs/big -) >/dev/full 2>"$WORK/err"
RC=$?
ERR=$(cat "$WORK/err")
expect download_to_full_stdout '[ $RC -eq 6 ] && one_line_err && printf "%s" "$ERR" | grep -q "No space left" &&
	no_leftovers "-"'

# settings read --out: never through a symlink, never over a file
# without --force, a new file with 0666 less the umask.
reset_dir
ln -s "$D/victim" "$D/link"
smp settings read app/name --out "$D/link"
expect settings_out_refuses_symlink '[ $RC -eq 6 ] && one_line_err && [ -L "$D/link" ] &&
	[ "$(cat "$D/victim")" = victim ]'
smp settings read app/name --out "$D/link" --force
expect settings_out_refuses_symlink_force '[ $RC -eq 6 ] && [ -L "$D/link" ] && [ "$(cat "$D/victim")" = victim ]'
smp settings read app/name --out "$D/victim"
expect settings_out_needs_force '[ $RC -eq 2 ] && one_line_err &&
	printf "%s" "$ERR" | grep -q "exists; --force replaces it" && [ "$(cat "$D/victim")" = victim ]'
rm "$D/link"
chmod 600 "$D/victim"
smp settings read app/name --out "$D/victim" --force
expect settings_out_force_replaces '[ $RC -eq 0 ] && [ "$(cat "$D/victim")" = smp_svr ] &&
	[ "$(mode_of "$D/victim")" = 600 ] && no_leftovers victim'
(umask 027 && "$SMPCTL" --udp "$SIM_ADDR" settings read app/name --out "$D/new") >/dev/null 2>&1
RC=$?
expect settings_out_new_file_umask '[ $RC -eq 0 ] && [ "$(cat "$D/new")" = smp_svr ] && [ "$(mode_of "$D/new")" = 640 ]'
mkfifo "$D/fifo"
smp settings read app/name --out "$D/fifo" --force
expect settings_out_refuses_fifo '[ $RC -eq 6 ] && [ -p "$D/fifo" ]'
smp settings read app/name --out "$D"
expect settings_out_refuses_dir '[ $RC -eq 6 ] && one_line_err && printf "%s" "$ERR" | grep -q "is a directory"'

# "-" is standard output, the raw bytes and nothing else.
# (Run in $D, where a file named "-" would show.)
reset_dir
(cd "$D" && "$SMPCTL" --udp "$SIM_ADDR" settings read app/name --out -) >"$WORK/out" 2>"$WORK/err"
RC=$?
OUT=$(cat "$WORK/out")
expect settings_out_stdout '[ $RC -eq 0 ] && [ "$OUT" = smp_svr ] && [ ! -e "$D/-" ]'

# F5: /dev/full was a double fclose and a glibc abort.
smp settings read app/name --out /dev/full
expect settings_out_dev_full '[ $RC -eq 6 ] && one_line_err && [ -c /dev/full ]'
(cd "$D" && "$SMPCTL" --udp "$SIM_ADDR" settings read app/name --out -) >/dev/full 2>"$WORK/err"
RC=$?
ERR=$(cat "$WORK/err")
expect settings_out_stdout_full '[ $RC -eq 6 ] && one_line_err && printf "%s" "$ERR" | grep -q "No space left" &&
	[ ! -e "$D/-" ]'

exit $T_FAILED
