/* Digests and public keys (OpenSSL 3). A key keeps the encoding MCUboot
 * hashes for KEYHASH: imgtool's get_public_bytes(), i.e. the PKCS#1
 * RSAPublicKey for RSA and the SubjectPublicKeyInfo DER for EC and
 * Ed25519. */
#include "host/mcuboot.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "host/mcuboot_priv.h"

static const EVP_MD *hash_md(uint16_t tlv_type)
{
	switch (tlv_type) {
	case SMP_MCUBOOT_TLV_SHA256:
		return EVP_sha256();
	case SMP_MCUBOOT_TLV_SHA384:
		return EVP_sha384();
	case SMP_MCUBOOT_TLV_SHA512:
		return EVP_sha512();
	}
	return NULL;
}

size_t mcuboot_hash_len(uint16_t tlv_type)
{
	const EVP_MD *md = hash_md(tlv_type);

	return md ? (size_t)EVP_MD_get_size(md) : 0;
}

uint16_t mcuboot_hash_type_for_len(size_t len)
{
	return len == 32   ? SMP_MCUBOOT_TLV_SHA256
	       : len == 48 ? SMP_MCUBOOT_TLV_SHA384
	       : len == 64 ? SMP_MCUBOOT_TLV_SHA512
			   : 0;
}

const EVP_MD *mcuboot_hash_md(uint16_t tlv_type)
{
	return hash_md(tlv_type);
}

int mcuboot_digest(uint16_t tlv_type, const uint8_t *buf, size_t len, uint8_t *out)
{
	const EVP_MD *md = hash_md(tlv_type);
	unsigned int n = 0;

	if (!md || !EVP_Digest(buf, len, out, &n, md, NULL))
		return -1;
	return (int)n;
}

int mcuboot_sha256(const uint8_t *buf, size_t len, uint8_t out[32])
{
	return mcuboot_digest(SMP_MCUBOOT_TLV_SHA256, buf, len, out) == 32 ? 0 : -1;
}

/* Never prompt on the terminal for an encrypted private key. */
static int no_password(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

static EVP_PKEY *read_pem(const char *pem, size_t len)
{
	EVP_PKEY *pkey = NULL;
	BIO *bio = BIO_new_mem_buf(pem, (int)len);

	if (!bio)
		return NULL;
	pkey = PEM_read_bio_PUBKEY(bio, NULL, no_password, NULL);
	if (!pkey && BIO_reset(bio) == 1)
		pkey = PEM_read_bio_PrivateKey(bio, NULL, no_password, NULL);
	BIO_free(bio);
	ERR_clear_error();
	return pkey;
}

static int describe_key(struct mcuboot_key *k, struct mcuboot_err *err)
{
	char group[64] = "";

	k->bits = EVP_PKEY_get_bits(k->pkey);
	switch (EVP_PKEY_get_base_id(k->pkey)) {
	case EVP_PKEY_RSA:
		k->kind = MCUBOOT_KEY_RSA;
		snprintf(k->desc, sizeof(k->desc), "RSA-%d", k->bits);
		return 0;
	case EVP_PKEY_ED25519:
		k->kind = MCUBOOT_KEY_ED25519;
		snprintf(k->desc, sizeof(k->desc), "Ed25519");
		return 0;
	case EVP_PKEY_EC:
		k->kind = MCUBOOT_KEY_EC;
		EVP_PKEY_get_utf8_string_param(k->pkey, OSSL_PKEY_PARAM_GROUP_NAME, group,
					       sizeof(group), NULL);
		if (!strcmp(group, "prime256v1"))
			snprintf(k->desc, sizeof(k->desc), "ECDSA P-256");
		else if (!strcmp(group, "secp384r1"))
			snprintf(k->desc, sizeof(k->desc), "ECDSA P-384");
		else
			snprintf(k->desc, sizeof(k->desc), "ECDSA %.20s", group);
		return 0;
	case EVP_PKEY_X25519:
		return mcuboot_fail(
			err, MCUBOOT_ERR_BAD_KEY,
			"X25519 is an encryption key; images are signed with another key");
	}
	return mcuboot_fail(err, MCUBOOT_ERR_BAD_KEY, "unsupported key type %s",
			    EVP_PKEY_get0_type_name(k->pkey));
}

int mcuboot_key_load_pem(const char *pem, size_t len, struct mcuboot_key **key,
			 struct mcuboot_err *err)
{
	struct mcuboot_key *k = calloc(1, sizeof(*k));
	unsigned char *p;

	*key = NULL;
	memset(err, 0, sizeof(*err));
	if (!k)
		return mcuboot_fail(err, MCUBOOT_ERR_NOMEM, "out of memory");
	k->pkey = read_pem(pem, len);
	if (!k->pkey) {
		mcuboot_key_free(k);
		return mcuboot_fail(err, MCUBOOT_ERR_BAD_KEY,
				    "not a PEM public or (unencrypted) private key");
	}
	if (describe_key(k, err)) {
		mcuboot_key_free(k);
		return -1;
	}
	k->spki_len = i2d_PUBKEY(k->pkey, NULL);
	k->der_len = k->kind == MCUBOOT_KEY_RSA ? i2d_PublicKey(k->pkey, NULL) : k->spki_len;
	k->spki = k->spki_len > 0 ? malloc((size_t)k->spki_len) : NULL;
	k->der = k->der_len > 0 ? malloc((size_t)k->der_len) : NULL;
	if (!k->spki || !k->der) {
		mcuboot_key_free(k);
		return mcuboot_fail(err, MCUBOOT_ERR_CRYPTO, "cannot encode the public key");
	}
	p = k->spki;
	i2d_PUBKEY(k->pkey, &p);
	p = k->der;
	if (k->kind == MCUBOOT_KEY_RSA)
		i2d_PublicKey(k->pkey, &p);
	else
		memcpy(k->der, k->spki, (size_t)k->spki_len);
	*key = k;
	return 0;
}

int mcuboot_key_load_file(const char *path, struct mcuboot_key **key, struct mcuboot_err *err)
{
	char pem[16384];
	size_t n;
	int read_errno;
	FILE *f = fopen(path, "rb");

	*key = NULL;
	memset(err, 0, sizeof(*err));
	if (!f)
		return mcuboot_fail(err, MCUBOOT_ERR_IO, "cannot open: %s", strerror(errno));
	n = fread(pem, 1, sizeof(pem), f);
	read_errno = ferror(f) ? errno : 0;
	fclose(f);
	if (read_errno)
		return mcuboot_fail(err, MCUBOOT_ERR_IO, "read error: %s", strerror(read_errno));
	if (n == sizeof(pem))
		return mcuboot_fail(err, MCUBOOT_ERR_BAD_KEY, "too large for a PEM key");
	return mcuboot_key_load_pem(pem, n, key, err);
}

void mcuboot_key_free(struct mcuboot_key *key)
{
	if (!key)
		return;
	EVP_PKEY_free(key->pkey);
	free(key->der);
	free(key->spki);
	free(key);
}

const char *mcuboot_key_desc(const struct mcuboot_key *key)
{
	return key ? key->desc : NULL;
}
