/* The core's crypto interface (smp/crypto.h) on OpenSSL, for the host:
 * digests with EVP, signatures with a key loaded by mcuboot_key_load_*(). */
#ifndef HOST_CRYPTO_OPENSSL_H
#define HOST_CRYPTO_OPENSSL_H

#include "host/mcuboot.h"
#include "smp/crypto.h"

struct crypto_openssl {
	void *md_ctx;		       /* EVP_MD_CTX, while a digest runs */
	const struct mcuboot_key *key; /* NULL: signatures are not checked */
};

/* Sets c up over state; key may be NULL. Call crypto_openssl_fini() when
 * done (it ends a digest left running). */
void crypto_openssl_init(struct smp_crypto *c, struct crypto_openssl *state,
			 const struct mcuboot_key *key);
void crypto_openssl_fini(struct crypto_openssl *state);

#endif
