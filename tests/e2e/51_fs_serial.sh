#!/bin/sh
# The file system group over serial (fs_lib.sh): the same checks as
# 51_fs.sh over UDP, named with "_serial".
. tests/e2e/lib.sh
. tests/e2e/groups_lib.sh
. tests/e2e/fs_lib.sh

has_pty || { echo "FAIL fs_serial: $SIMDEV has no --pty frontend"; exit 1; }
run_over serial fs_body
exit $T_FAILED
