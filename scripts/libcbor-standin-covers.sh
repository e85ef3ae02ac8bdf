#!/bin/sh
# Whether the libcbor stand-in (tests/embedded/libcbor_subset.c) has every
# libcbor function the given objects call: prints those it lacks, one a
# line, and exits 1 when there are any. While the core calls libcbor's
# item API (cbor_load, cbor_new_*, ...), a target image links only with a
# real libcbor (LIBCBOR_SRC).
#   libcbor-standin-covers.sh NM STANDIN_OBJ OBJ...
set -eu
nm=$1 standin=$2
shift 2
have=$("$nm" -g --defined-only "$standin" | awk '{ print $3 }' | sort -u)
missing=$("$nm" -u "$@" | awk '$1 == "U" && $2 ~ /^_?cbor_/ { print $2 }' | sort -u |
	while read -r s; do printf '%s\n' "$have" | grep -qx "$s" || echo "$s"; done)
[ -z "$missing" ] && exit 0
printf '%s\n' "$missing"
exit 1
