#!/bin/sh
# Fails when a file of the portable core includes anything but the C
# standard's freestanding headers, string.h, stdlib.h (for the malloc
# family only; scripts/check-core-symbols.sh holds it to that) and
# libcbor's cbor.h, or a project header from outside the core.
#   check-core-headers.sh [FILE|DIR...]   (default: smp)
# Prints one line per offending include and exits 1; exits 0 when clean.
set -u
allowed=" float.h iso646.h limits.h stdalign.h stdarg.h stdbool.h stddef.h stdint.h stdnoreturn.h string.h stdlib.h cbor.h "
[ $# -gt 0 ] || set -- smp
bad=0
for f in $(find "$@" -type f \( -name '*.c' -o -name '*.h' \) | sort); do
	# "#include <x>" and "# include <x>"; the header name without <>.
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*\([<"][^>"]*[>"]\).*/\1/p' "$f" |
	while IFS= read -r inc; do
		name=${inc#?}
		name=${name%?}
		case $inc in
		\"*)
			case $name in
			smp/*) continue ;;
			esac
			echo "$f: includes \"$name\", which is not part of the core"
			;;
		*)
			case $allowed in
			*" $name "*) continue ;;
			esac
			echo "$f: includes <$name>, which a Cortex-M build without POSIX, OpenSSL or stdio lacks"
			;;
		esac
	done
done | { grep . && exit 1; exit 0; }
