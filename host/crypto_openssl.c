#include "host/crypto_openssl.h"

#include <string.h>

#include <openssl/evp.h>

static int hash_begin(void *ctx, enum smp_hash_alg alg)
{
	struct crypto_openssl *s = ctx;
	const EVP_MD *md = alg == SMP_HASH_SHA256   ? EVP_sha256()
			   : alg == SMP_HASH_SHA384 ? EVP_sha384()
			   : alg == SMP_HASH_SHA512 ? EVP_sha512()
						    : NULL;

	EVP_MD_CTX_free(s->md_ctx);
	s->md_ctx = md ? EVP_MD_CTX_new() : NULL;
	if (s->md_ctx && EVP_DigestInit_ex(s->md_ctx, md, NULL) == 1)
		return 0;
	EVP_MD_CTX_free(s->md_ctx);
	s->md_ctx = NULL;
	return -1;
}

static int hash_update(void *ctx, const uint8_t *data, size_t len)
{
	struct crypto_openssl *s = ctx;

	return s->md_ctx && EVP_DigestUpdate(s->md_ctx, data, len) == 1 ? 0 : -1;
}

static int hash_finish(void *ctx, uint8_t *out, size_t cap)
{
	struct crypto_openssl *s = ctx;
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	int rc = -1;

	if (s->md_ctx && EVP_DigestFinal_ex(s->md_ctx, md, &n) == 1 && n <= cap) {
		memcpy(out, md, n);
		rc = (int)n;
	}
	EVP_MD_CTX_free(s->md_ctx);
	s->md_ctx = NULL;
	return rc;
}

static int verify_hash_sig(void *ctx, uint16_t sig_type, const uint8_t *hash, size_t hash_len,
			   const uint8_t *sig, size_t sig_len)
{
	struct crypto_openssl *s = ctx;

	return mcuboot_verify_hash_sig(s->key, sig_type, hash, hash_len, sig, sig_len);
}

static const struct smp_crypto_ops with_key = { hash_begin, hash_update, hash_finish,
						verify_hash_sig };
static const struct smp_crypto_ops digest_only = { hash_begin, hash_update, hash_finish, NULL };

void crypto_openssl_init(struct smp_crypto *c, struct crypto_openssl *state,
			 const struct mcuboot_key *key)
{
	state->md_ctx = NULL;
	state->key = key;
	c->ops = key ? &with_key : &digest_only;
	c->ctx = state;
}

void crypto_openssl_fini(struct crypto_openssl *state)
{
	EVP_MD_CTX_free(state->md_ctx);
	state->md_ctx = NULL;
}
