/* The core's only dependency on cryptography: a digest, fed in pieces,
 * and optionally an image signature check, behind an ops struct like the
 * transport's. The host implements it with OpenSSL
 * (host/crypto_openssl.h); a device maps it to PSA Crypto
 * (psa_hash_setup/update/finish, psa_verify_hash, psa_verify_message; see
 * zephyr/src/crypto_psa.c). */
#ifndef SMP_CRYPTO_H
#define SMP_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "smp/image_src.h"

enum smp_hash_alg {
	SMP_HASH_SHA256,
	SMP_HASH_SHA384,
	SMP_HASH_SHA512,
};

#define SMP_HASH_MAX 64 /* SHA-512 */

struct smp_crypto_ops {
	/* One digest at a time per context: begin, any number of updates,
	 * then finish, which ends it whatever happens. 0 on success, -1 on
	 * failure (begin: also an algorithm the platform lacks). */
	int (*hash_begin)(void *ctx, enum smp_hash_alg alg);
	int (*hash_update)(void *ctx, const uint8_t *data, size_t len);
	/* Writes the digest to out; returns its length, or -1. */
	int (*hash_finish)(void *ctx, uint8_t *out, size_t cap);
	/* May be NULL: signatures are then not checked. Checks MCUboot
	 * signature TLV sig (of TLV type sig_type: SMP_MCUBOOT_TLV_ECDSA_SIG,
	 * _ED25519, _RSA2048_PSS, _RSA3072_PSS, as stored) over the image
	 * hash with the key the context holds. 0: good, 1: bad, -1: the key
	 * or the platform cannot check this type. */
	int (*verify_hash_sig)(void *ctx, uint16_t sig_type, const uint8_t *hash, size_t hash_len,
			       const uint8_t *sig, size_t sig_len);
};

struct smp_crypto {
	const struct smp_crypto_ops *ops;
	void *ctx;
};

size_t smp_hash_len(enum smp_hash_alg alg);

/* Digest of len bytes of src from off, read through a small buffer: an
 * image bigger than RAM hashes straight from flash. Returns the digest
 * length, or -1 (read or crypto failure). */
int smp_hash_src(const struct smp_crypto *c, enum smp_hash_alg alg, const struct smp_image_src *src,
		 uint32_t off, uint32_t len, uint8_t *out, size_t cap);
/* Digest of a buffer; the same return. */
int smp_hash_buf(const struct smp_crypto *c, enum smp_hash_alg alg, const uint8_t *buf, size_t len,
		 uint8_t *out, size_t cap);

/* MCUboot stores an ECDSA signature as ASN.1 DER (SEQUENCE of two
 * INTEGERs); PSA's psa_verify_hash() wants r || s, each n bytes (32 for
 * P-256, 48 for P-384). Returns 0, or -1 when der is not such a
 * signature. */
int smp_ecdsa_der_to_raw(const uint8_t *der, size_t der_len, uint8_t *raw, size_t n);

#endif
