/* The crypto seam (smp/crypto.h) on PSA Crypto: NCS (nrf_security, the
 * CryptoCell), TF-M, or Mbed TLS's PSA core on upstream Zephyr. The hash
 * goes in pieces (psa_hash_setup/update/finish rather than the one-shot
 * psa_hash_compute) because the image is read from flash 256 bytes at a
 * time; the signature check is optional, with a key imported once. */
#include "smpctl_zephyr.h"

#include <string.h>

#include "smp/mcuboot_format.h"

static const psa_algorithm_t hash_algs[] = {
	[SMP_HASH_SHA256] = PSA_ALG_SHA_256,
	[SMP_HASH_SHA384] = PSA_ALG_SHA_384,
	[SMP_HASH_SHA512] = PSA_ALG_SHA_512,
};

static int hash_begin(void *ctx, enum smp_hash_alg alg)
{
	struct smpctl_crypto *s = ctx;
	psa_hash_operation_t fresh = PSA_HASH_OPERATION_INIT;

	if ((unsigned)alg >= sizeof(hash_algs) / sizeof(hash_algs[0]))
		return -1;
	s->op = fresh;
	return psa_hash_setup(&s->op, hash_algs[alg]) == PSA_SUCCESS ? 0 : -1;
}

static int hash_update(void *ctx, const uint8_t *data, size_t len)
{
	struct smpctl_crypto *s = ctx;

	return psa_hash_update(&s->op, data, len) == PSA_SUCCESS ? 0 : -1;
}

static int hash_finish(void *ctx, uint8_t *out, size_t cap)
{
	struct smpctl_crypto *s = ctx;
	size_t len = 0;

	if (psa_hash_finish(&s->op, out, cap, &len) != PSA_SUCCESS) {
		psa_hash_abort(&s->op);
		return -1;
	}
	return (int)len;
}

static psa_algorithm_t hash_alg_for_len(size_t len)
{
	return len == 32 ? PSA_ALG_SHA_256 : len == 48 ? PSA_ALG_SHA_384 : PSA_ALG_SHA_512;
}

/* MCUboot signs the image hash: ECDSA and RSA-PSS as a hash signature,
 * Ed25519 (non-pure) as a message that is the hash. */
static int verify_hash_sig(void *ctx, uint16_t sig_type, const uint8_t *hash, size_t hash_len,
			   const uint8_t *sig, size_t sig_len)
{
	struct smpctl_crypto *s = ctx;
	psa_algorithm_t halg = hash_alg_for_len(hash_len);
	uint8_t raw[96];
	psa_status_t st;

	if (!s->key || sig_type != s->sig_type || hash_len > 48)
		return -1;
	switch (sig_type) {
	case SMP_MCUBOOT_TLV_ECDSA_SIG:
		/* the curve follows the hash: P-256 with SHA-256, P-384 with SHA-384 */
		if (smp_ecdsa_der_to_raw(sig, sig_len, raw, hash_len))
			return 1;
		st = psa_verify_hash(s->key, PSA_ALG_ECDSA(halg), hash, hash_len, raw,
				     2 * hash_len);
		break;
	case SMP_MCUBOOT_TLV_RSA2048_PSS:
	case SMP_MCUBOOT_TLV_RSA3072_PSS:
		st = psa_verify_hash(s->key, PSA_ALG_RSA_PSS(halg), hash, hash_len, sig, sig_len);
		break;
	case SMP_MCUBOOT_TLV_ED25519:
		st = psa_verify_message(s->key, PSA_ALG_PURE_EDDSA, hash, hash_len, sig, sig_len);
		break;
	default:
		return -1;
	}
	if (st == PSA_SUCCESS)
		return 0;
	return st == PSA_ERROR_INVALID_SIGNATURE ? 1 : -1;
}

static const struct smp_crypto_ops psa_ops = { hash_begin, hash_update, hash_finish,
					       verify_hash_sig };

int smpctl_crypto_init(struct smp_crypto *c, struct smpctl_crypto *state)
{
	/* idempotent: the app or the Bluetooth host may have called it */
	if (psa_crypto_init() != PSA_SUCCESS)
		return -1;
	memset(state, 0, sizeof(*state));
	c->ops = &psa_ops;
	c->ctx = state;
	return 0;
}

void smpctl_crypto_psa_key(struct smpctl_crypto *state, psa_key_id_t key, uint16_t sig_type)
{
	state->key = key;
	state->sig_type = sig_type;
}
