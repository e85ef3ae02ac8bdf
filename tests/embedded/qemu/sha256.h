/* SHA-256 for the DFU host example on QEMU, as the core's crypto
 * interface (smp/crypto.h). A device uses its PSA Crypto instead
 * (zephyr/src/crypto_psa.c); QEMU's AN505 has no crypto engine and
 * Debian ships no PSA library for the target. Signatures are not
 * checked: the image check reports "signature not checked". */
#ifndef TESTS_EMBEDDED_QEMU_SHA256_H
#define TESTS_EMBEDDED_QEMU_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "smp/crypto.h"

struct sha256 {
	uint32_t h[8];
	uint64_t bytes;
	uint8_t block[64];
	size_t fill;
};

void sha256_crypto(struct smp_crypto *c, struct sha256 *state);

#endif
