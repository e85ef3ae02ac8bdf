/* Shared between host/mcuboot*.c only; callers use host/mcuboot.h. */
#ifndef HOST_MCUBOOT_PRIV_H
#define HOST_MCUBOOT_PRIV_H

#include <openssl/evp.h>

#include "host/mcuboot.h"
#include "smp/bytes.h"

enum mcuboot_key_kind {
	MCUBOOT_KEY_RSA,
	MCUBOOT_KEY_EC,
	MCUBOOT_KEY_ED25519
};

struct mcuboot_key {
	EVP_PKEY *pkey;
	enum mcuboot_key_kind kind;
	int bits;
	uint8_t *der; /* what MCUboot hashes for KEYHASH */
	int der_len;
	uint8_t *spki; /* SubjectPublicKeyInfo, also accepted in PUBKEY */
	int spki_len;
	char desc[32];
};

/* Digest of buf with the algorithm of hash TLV type tlv_type
 * (SHA256/384/512). Returns the digest length, or -1. */
int mcuboot_digest(uint16_t tlv_type, const uint8_t *buf, size_t len, uint8_t *out);

/* The device's build with its defaults resolved for one image and key
 * (mcuboot_rules.c). */
struct mcuboot_build {
	const struct mcuboot_verify_opts *o;
	uint16_t hash;	  /* the hash TLV type it computes (EXPECTED_HASH_TLV) */
	uint16_t key_tlv; /* KEYHASH, PUBKEY (hw-key), 0 with any_build: either */
};

void mcuboot_build_resolve(const struct mcuboot_image *img, const uint8_t *buf,
			   const struct mcuboot_key *key, const struct mcuboot_verify_opts *o,
			   struct mcuboot_build *b);

/* MCUboot's refusals that need no key: NON_BOOTABLE, header flags the
 * build cannot take, encryption flags against the ENC_* TLVs, the
 * unprotected TLV allow list, KEYHASH size, key TLV kind, SIG_PURE, ECDSA
 * padding (mcuboot_rules.c). 0, or -1 with err. */
int mcuboot_check_rules(const struct mcuboot_image *img, const uint8_t *buf,
			const struct mcuboot_build *b, struct mcuboot_err *err);

/* RSA2048_PSS, ECDSA224, ECDSA_SIG, RSA3072_PSS, ED25519. */
bool mcuboot_is_sig_tlv(uint16_t type);

/* Digest length for a hash TLV type; 0 if the type is not a hash. */
size_t mcuboot_hash_len(uint16_t tlv_type);
/* The hash TLV type whose digest is len bytes long; 0 if none. */
uint16_t mcuboot_hash_type_for_len(size_t len);
/* The OpenSSL digest for a hash TLV type; NULL if none. */
const EVP_MD *mcuboot_hash_md(uint16_t tlv_type);

#endif
