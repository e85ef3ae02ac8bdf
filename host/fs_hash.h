/* The host's side of a file hash check: the same hash of local bytes,
 * with OpenSSL's SHA-256 (the core only decodes the device's answer). */
#ifndef HOST_FS_HASH_H
#define HOST_FS_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "smp/grp_fs.h"

/* The hash the device would report for data, by type name ("sha256",
 * "crc32"). Returns 0, or -1 for a type smpctl cannot compute. */
int fs_hash_local(const char *type, const uint8_t *data, size_t len, struct smp_fs_hash *h);

#endif
