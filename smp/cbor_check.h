/* A pre-scan of untrusted CBOR before libcbor sees it. libcbor reserves the
 * size an array or map head declares before reading a single element, so an
 * 8-byte answer can ask for gigabytes; it also recurses once per nesting
 * level. This walk reads every head without allocating, and refuses any
 * declared length the remaining bytes cannot hold, nesting deeper than
 * SMP_CBOR_MAX_DEPTH, and anything that is not exactly one well-formed item.
 * Once it passes, libcbor's allocations are bounded by the input size. */
#ifndef SMP_CBOR_CHECK_H
#define SMP_CBOR_CHECK_H

#include <stddef.h>
#include <stdint.h>

/* SMP payloads nest a few levels (a map of arrays of maps); 32 leaves room
 * for any real answer and keeps libcbor's recursion shallow. */
#define SMP_CBOR_MAX_DEPTH 32

/* 0 when buf starts with one well-formed CBOR item within the limits, its
 * size in *used (the caller decides about bytes after it); otherwise -1 and
 * *why is a short static description. */
int smp_cbor_check(const uint8_t *buf, size_t len, size_t *used, const char **why);

#endif
