/* A stand-in for the PSA Crypto API's psa/crypto.h, with only what
 * zephyr/src/crypto_psa.c uses, so that the mapping compiles in the
 * Cortex-M33 cross-build without a PSA implementation. Values are those
 * of the PSA Certified Crypto API 1.1 (psa/crypto_values.h); a real build
 * uses the platform's header (nRF Connect SDK: nrf_security, or TF-M)
 * and never this one. */
#ifndef EMBEDDED_PSA_CRYPTO_STUB_H
#define EMBEDDED_PSA_CRYPTO_STUB_H

#include <stddef.h>
#include <stdint.h>

typedef int32_t psa_status_t;
typedef uint32_t psa_algorithm_t;
typedef uint32_t psa_key_id_t;

#define PSA_SUCCESS ((psa_status_t)0)
#define PSA_ERROR_NOT_SUPPORTED ((psa_status_t)-134)
#define PSA_ERROR_INVALID_SIGNATURE ((psa_status_t)-149)

#define PSA_ALG_SHA_256 ((psa_algorithm_t)0x02000009)
#define PSA_ALG_SHA_384 ((psa_algorithm_t)0x0200000a)
#define PSA_ALG_SHA_512 ((psa_algorithm_t)0x0200000b)
#define PSA_ALG_HASH_MASK ((psa_algorithm_t)0x000000ff)
#define PSA_ALG_RSA_PSS(h) ((psa_algorithm_t)(0x06000300 | ((h)&PSA_ALG_HASH_MASK)))
#define PSA_ALG_ECDSA(h) ((psa_algorithm_t)(0x06000600 | ((h)&PSA_ALG_HASH_MASK)))
#define PSA_ALG_PURE_EDDSA ((psa_algorithm_t)0x06000800)

/* Opaque and implementation-sized in a real header. */
typedef struct psa_hash_operation_s {
	uint32_t opaque[64];
} psa_hash_operation_t;
#define PSA_HASH_OPERATION_INIT \
	{                       \
		{               \
			0       \
		}               \
	}

psa_status_t psa_crypto_init(void);
psa_status_t psa_hash_setup(psa_hash_operation_t *op, psa_algorithm_t alg);
psa_status_t psa_hash_update(psa_hash_operation_t *op, const uint8_t *input, size_t len);
psa_status_t psa_hash_finish(psa_hash_operation_t *op, uint8_t *hash, size_t size, size_t *len);
psa_status_t psa_hash_abort(psa_hash_operation_t *op);
psa_status_t psa_verify_hash(psa_key_id_t key, psa_algorithm_t alg, const uint8_t *hash,
			     size_t hash_len, const uint8_t *sig, size_t sig_len);
psa_status_t psa_verify_message(psa_key_id_t key, psa_algorithm_t alg, const uint8_t *input,
				size_t input_len, const uint8_t *sig, size_t sig_len);

#endif
