#include "smp/crypto.h"

#include <stdbool.h>
#include <string.h>

/* Small enough for a Cortex-M stack, big enough that a flash read per
 * piece costs little. */
#define HASH_PIECE 256

size_t smp_hash_len(enum smp_hash_alg alg)
{
	switch (alg) {
	case SMP_HASH_SHA256:
		return 32;
	case SMP_HASH_SHA384:
		return 48;
	case SMP_HASH_SHA512:
		return 64;
	}
	return 0;
}

int smp_hash_src(const struct smp_crypto *c, enum smp_hash_alg alg, const struct smp_image_src *src,
		 uint32_t off, uint32_t len, uint8_t *out, size_t cap)
{
	uint8_t piece[HASH_PIECE];
	bool ok;

	if (off > src->size || len > src->size - off || cap < smp_hash_len(alg))
		return -1;
	if (c->ops->hash_begin(c->ctx, alg))
		return -1;
	ok = true;
	while (ok && len) {
		size_t n = len < sizeof(piece) ? len : sizeof(piece);

		ok = !src->read(src->ctx, off, piece, n) && !c->ops->hash_update(c->ctx, piece, n);
		off += (uint32_t)n;
		len -= (uint32_t)n;
	}
	/* finish even after a failure: it ends the operation */
	{
		int n = c->ops->hash_finish(c->ctx, out, cap);

		return ok ? n : -1;
	}
}

int smp_hash_buf(const struct smp_crypto *c, enum smp_hash_alg alg, const uint8_t *buf, size_t len,
		 uint8_t *out, size_t cap)
{
	int rc;

	if (cap < smp_hash_len(alg) || c->ops->hash_begin(c->ctx, alg))
		return -1;
	rc = len ? c->ops->hash_update(c->ctx, buf, len) : 0;
	{
		int n = c->ops->hash_finish(c->ctx, out, cap);

		return rc ? -1 : n;
	}
}

/* One DER INTEGER at *p into an n-byte big-endian field. */
static int der_integer(const uint8_t **p, const uint8_t *end, uint8_t *field, size_t n)
{
	const uint8_t *q = *p;
	size_t len;

	if (end - q < 2 || q[0] != 0x02 || q[1] & 0x80)
		return -1;
	len = q[1];
	q += 2;
	if ((size_t)(end - q) < len || len == 0)
		return -1;
	*p = q + len;
	/* a leading zero keeps a positive number's top bit clear */
	while (len > n && *q == 0) {
		q++;
		len--;
	}
	if (len > n)
		return -1;
	memset(field, 0, n - len);
	memcpy(field + n - len, q, len);
	return 0;
}

int smp_ecdsa_der_to_raw(const uint8_t *der, size_t der_len, uint8_t *raw, size_t n)
{
	const uint8_t *p = der, *end = der + der_len;

	/* P-384's SEQUENCE is at most 104 bytes: a one-byte length suffices */
	if (der_len < 8 || p[0] != 0x30 || p[1] & 0x80 || (size_t)p[1] != der_len - 2)
		return -1;
	p += 2;
	if (der_integer(&p, end, raw, n) || der_integer(&p, end, raw + n, n))
		return -1;
	return p == end ? 0 : -1;
}
