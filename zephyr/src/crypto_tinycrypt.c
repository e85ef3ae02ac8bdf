/* The crypto seam (smp/crypto.h) on TinyCrypt: tc_sha256_* for the image
 * hash, and uECC_verify for an ECDSA P-256 signature (MCUboot's
 * SMP_MCUBOOT_TLV_ECDSA_SIG over a SHA-256 image hash) when the app set
 * the public key. TinyCrypt is deprecated in the Zephyr 4.x releases; it
 * remains the small choice on 3.x. */
#include <string.h>

#include <tinycrypt/constants.h>
#if defined(CONFIG_TINYCRYPT_ECC_DSA)
#include <tinycrypt/ecc.h>
#include <tinycrypt/ecc_dsa.h>
#endif

#include "smp/mcuboot_format.h"
#include "smpctl_zephyr.h"

static int hash_begin(void *ctx, enum smp_hash_alg alg)
{
	struct smpctl_crypto *s = ctx;

	if (alg != SMP_HASH_SHA256)
		return -1;
	return tc_sha256_init(&s->sha) == TC_CRYPTO_SUCCESS ? 0 : -1;
}

static int hash_update(void *ctx, const uint8_t *data, size_t len)
{
	struct smpctl_crypto *s = ctx;

	return tc_sha256_update(&s->sha, data, len) == TC_CRYPTO_SUCCESS ? 0 : -1;
}

static int hash_finish(void *ctx, uint8_t *out, size_t cap)
{
	struct smpctl_crypto *s = ctx;

	if (cap < TC_SHA256_DIGEST_SIZE) {
		/* tc_sha256_final also wipes the state: end the operation */
		uint8_t scratch[TC_SHA256_DIGEST_SIZE];

		(void)tc_sha256_final(scratch, &s->sha);
		return -1;
	}
	return tc_sha256_final(out, &s->sha) == TC_CRYPTO_SUCCESS ? TC_SHA256_DIGEST_SIZE : -1;
}

#if defined(CONFIG_TINYCRYPT_ECC_DSA)
static int verify_hash_sig(void *ctx, uint16_t sig_type, const uint8_t *hash, size_t hash_len,
			   const uint8_t *sig, size_t sig_len)
{
	struct smpctl_crypto *s = ctx;
	uint8_t raw[2 * NUM_ECC_BYTES];

	if (!s->has_key || sig_type != SMP_MCUBOOT_TLV_ECDSA_SIG || hash_len != 32)
		return -1;
	/* MCUboot stores DER; uECC_verify takes r || s */
	if (smp_ecdsa_der_to_raw(sig, sig_len, raw, NUM_ECC_BYTES))
		return 1;
	return uECC_verify(s->pub, hash, (unsigned int)hash_len, raw, uECC_secp256r1()) ? 0 : 1;
}
#define SIG_CHECK verify_hash_sig
#else
/* without CONFIG_TINYCRYPT_ECC_DSA there is no uECC_verify: the image
 * check reports the signature as not checked */
#define SIG_CHECK NULL
#endif

static const struct smp_crypto_ops tinycrypt_ops = {
	.hash_begin = hash_begin,
	.hash_update = hash_update,
	.hash_finish = hash_finish,
	.verify_hash_sig = SIG_CHECK,
};

int smpctl_crypto_init(struct smp_crypto *c, struct smpctl_crypto *state)
{
	memset(state, 0, sizeof(*state));
	c->ops = &tinycrypt_ops;
	c->ctx = state;
	return 0;
}

void smpctl_crypto_tinycrypt_key(struct smpctl_crypto *state, const uint8_t pub[64])
{
	memcpy(state->pub, pub, sizeof(state->pub));
	state->has_key = 1;
}
