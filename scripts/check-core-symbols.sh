#!/bin/sh
# Fails when the cross-compiled core needs from the outside anything but
# libcbor's allocation-free encoders and streaming decoder, the string.h
# functions and the one symbol a platform provides (smp_clock_ms): so no
# heap (malloc, or a libcbor call that allocates: cbor_load, cbor_new_*,
# cbor_build_*, cbor_serialize_alloc), no snprintf, time, file or socket
# call slips in through a header the header check allows.
#   check-core-symbols.sh NM OBJ...
set -u
nm=$1
shift
defined=$("$nm" --defined-only -g "$@" | awk 'NF == 3 { print $3 }' | sort -u)
bad=0
for o in "$@"; do
	for sym in $("$nm" -u "$o" | awk '{ print $NF }'); do
		case $sym in
		cbor_encode_* | cbor_stream_decode | __aeabi_* | smp_clock_ms) continue ;;
		memcpy | memmove | memset | memcmp | memchr | strlen | strnlen | strcmp | strncmp | \
		strchr | strrchr | strstr | strcpy | strncpy | strspn | strcspn) continue ;;
		esac
		printf '%s\n' "$defined" | grep -qx "$sym" && continue
		echo "$o: needs $sym, which is outside the portable core's seams"
		bad=1
	done
done
exit $bad
