/* The core's crypto interface (smp/crypto.h) on PSA Crypto, as a firmware
 * engineer would write it: compiled in the Cortex-M33 cross-build (make
 * cross) against a stand-in psa/crypto.h, linked on a device against the
 * real one. One hash operation per context, and the id of the public key
 * the images are signed with, imported once with psa_import_key(). */
#ifndef EMBEDDED_CRYPTO_PSA_H
#define EMBEDDED_CRYPTO_PSA_H

#include <psa/crypto.h>

#include "smp/crypto.h"

struct crypto_psa {
	psa_hash_operation_t op;
	psa_key_id_t key;      /* 0: signatures are not checked */
	uint16_t key_sig_type; /* the MCUboot signature TLV type the key makes */
};

void crypto_psa_init(struct smp_crypto *c, struct crypto_psa *state, psa_key_id_t key,
		     uint16_t key_sig_type);

#endif
