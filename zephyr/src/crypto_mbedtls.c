/* The crypto seam (smp/crypto.h) on Mbed TLS 3.x, which Zephyr 3.1 to 4.x
 * ship: mbedtls_sha256_starts/update/finish return an int there (2.x had
 * the _ret names). SHA-256 only, the hash every MCUboot image of an nRF
 * carries; signatures are left unchecked (no verify op): take PSA for
 * them, which is the same library on upstream Zephyr. */
#include <string.h>

#include "smpctl_zephyr.h"

static int hash_begin(void *ctx, enum smp_hash_alg alg)
{
	struct smpctl_crypto *s = ctx;

	if (alg != SMP_HASH_SHA256)
		return -1;
	mbedtls_sha256_init(&s->sha);
	if (mbedtls_sha256_starts(&s->sha, 0 /* SHA-256, not SHA-224 */) != 0) {
		mbedtls_sha256_free(&s->sha);
		return -1;
	}
	return 0;
}

static int hash_update(void *ctx, const uint8_t *data, size_t len)
{
	struct smpctl_crypto *s = ctx;

	return mbedtls_sha256_update(&s->sha, data, len) == 0 ? 0 : -1;
}

static int hash_finish(void *ctx, uint8_t *out, size_t cap)
{
	struct smpctl_crypto *s = ctx;
	int rc = cap >= 32 ? mbedtls_sha256_finish(&s->sha, out) : -1;

	/* ends the operation whatever happened, as the seam requires */
	mbedtls_sha256_free(&s->sha);
	return rc == 0 ? 32 : -1;
}

static const struct smp_crypto_ops mbedtls_ops = {
	.hash_begin = hash_begin,
	.hash_update = hash_update,
	.hash_finish = hash_finish,
	.verify_hash_sig = NULL,
};

int smpctl_crypto_init(struct smp_crypto *c, struct smpctl_crypto *state)
{
	memset(state, 0, sizeof(*state));
	c->ops = &mbedtls_ops;
	c->ctx = state;
	return 0;
}
