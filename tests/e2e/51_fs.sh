#!/bin/sh
# The file system group over UDP (fs_lib.sh: uploads and downloads of 0
# bytes, 1 byte and 1 MiB, resumed transfers, no half files, no
# overwriting without --force; lost requests and a v1 device), and the
# command line's own errors.
. tests/e2e/lib.sh
. tests/e2e/groups_lib.sh
. tests/e2e/fs_lib.sh

run_over udp fs_body

# Bad arguments, no device needed.
t_run "$SMPCTL" fs upload only-one
expect fs_upload_usage '[ $RC -eq 2 ] && one_line_err'
t_run "$SMPCTL" --udp 127.0.0.1:9 fs upload "$WORK/no-such-file" /lfs/x
expect fs_upload_local_missing '[ $RC -eq 6 ] && one_line_err'
exit $T_FAILED
