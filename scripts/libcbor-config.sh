#!/bin/sh
# Writes the two headers libcbor's CMake build generates, for compiling
# libcbor's sources straight into a firmware image (make embedded-check
# LIBCBOR_SRC=...): cbor/configuration.h with the version from libcbor's
# CMakeLists.txt and its options: the allocator hooks on (allocators.c,
# which libcbor 0.10 and later always build, then compiles in 0.8 too),
# no pretty printer (a device has no FILE); and cbor/cbor_export.h, empty
# for a static link.
#   libcbor-config.sh LIBCBOR_SRC OUTDIR
set -eu
src=$1 out=$2
cmake="$src/../CMakeLists.txt"
ver() { sed -n "s/^ *SET *( *CBOR_VERSION_$1 \"\([0-9]*\)\".*/\1/Ip" "$cmake" 2>/dev/null | head -1; }
major=$(ver MAJOR) minor=$(ver MINOR) patch=$(ver PATCH)
mkdir -p "$out/cbor"
cat >"$out/cbor/configuration.h.tmp" <<EOH
#ifndef LIBCBOR_CONFIGURATION_H
#define LIBCBOR_CONFIGURATION_H
#define CBOR_MAJOR_VERSION ${major:-0}
#define CBOR_MINOR_VERSION ${minor:-0}
#define CBOR_PATCH_VERSION ${patch:-0}
#define CBOR_CUSTOM_ALLOC 1
#define CBOR_BUFFER_GROWTH 2
#define CBOR_MAX_STACK_SIZE 2048
#define CBOR_PRETTY_PRINTER 0
#define CBOR_RESTRICT_SPECIFIER restrict
#define CBOR_INLINE_SPECIFIER inline
#endif
EOH
cat >"$out/cbor/cbor_export.h.tmp" <<'EOH'
#ifndef CBOR_EXPORT_H
#define CBOR_EXPORT_H
#define CBOR_EXPORT
#define CBOR_NO_EXPORT
#define CBOR_DEPRECATED __attribute__((deprecated))
#endif
EOH
for h in configuration.h cbor_export.h; do
	if cmp -s "$out/cbor/$h.tmp" "$out/cbor/$h"; then rm -f "$out/cbor/$h.tmp"; else mv "$out/cbor/$h.tmp" "$out/cbor/$h"; fi
done
