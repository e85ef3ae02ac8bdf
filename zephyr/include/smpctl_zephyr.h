/* The Zephyr side of smpctl's core seams: the crypto backend chosen in
 * Kconfig (SMPCTL_CRYPTO_*) behind struct smp_crypto, and an image source
 * over a flash area. The names are smpctl_*, apart from the core's smp_*
 * and Zephyr's own mcumgr names, so an app that is also an SMP server can
 * include both. */
#ifndef SMPCTL_ZEPHYR_H
#define SMPCTL_ZEPHYR_H

#include <stdint.h>

#include "smp/crypto.h"
#include "smp/image_src.h"

#if defined(CONFIG_SMPCTL_CRYPTO_PSA)
#include <psa/crypto.h>
#elif defined(CONFIG_SMPCTL_CRYPTO_MBEDTLS)
#include <mbedtls/sha256.h>
#elif defined(CONFIG_SMPCTL_CRYPTO_TINYCRYPT)
#include <tinycrypt/sha256.h>
#endif

/* One digest at a time, and the public key images are signed with when
 * the backend checks signatures. */
struct smpctl_crypto {
#if defined(CONFIG_SMPCTL_CRYPTO_PSA)
	psa_hash_operation_t op;
	psa_key_id_t key;  /* 0: signatures are not checked */
	uint16_t sig_type; /* the MCUboot signature TLV the key makes */
#elif defined(CONFIG_SMPCTL_CRYPTO_MBEDTLS)
	mbedtls_sha256_context sha;
#elif defined(CONFIG_SMPCTL_CRYPTO_TINYCRYPT)
	struct tc_sha256_state_struct sha;
	uint8_t pub[64]; /* X || Y of a P-256 key */
	int has_key;
#else
	int unused;
#endif
};

/* Fills c with the Kconfig-chosen backend over state; the hash only,
 * signatures are reported as not checked until a key is set. 0, or -1
 * when the backend does not start (psa_crypto_init() failed). */
int smpctl_crypto_init(struct smp_crypto *c, struct smpctl_crypto *state);

#if defined(CONFIG_SMPCTL_CRYPTO_PSA)
/* key: imported with psa_import_key() (PSA_KEY_USAGE_VERIFY_HASH, or
 * VERIFY_MESSAGE for Ed25519); sig_type: SMP_MCUBOOT_TLV_ECDSA_SIG,
 * _ED25519, _RSA2048_PSS or _RSA3072_PSS. */
void smpctl_crypto_psa_key(struct smpctl_crypto *state, psa_key_id_t key, uint16_t sig_type);
#endif
#if defined(CONFIG_SMPCTL_CRYPTO_TINYCRYPT)
/* pub: the 64-byte X || Y of the P-256 key (the 65-byte point that
 * "imgtool getpub" prints, without its leading 0x04). */
void smpctl_crypto_tinycrypt_key(struct smpctl_crypto *state, const uint8_t pub[64]);
#endif

struct flash_area;
/* An image source reading size bytes of fa from its start. */
void smpctl_image_src_flash(struct smp_image_src *src, const struct flash_area *fa, uint32_t size);

#endif
