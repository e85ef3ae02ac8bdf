/* SHA-256 after FIPS 180-4, section 6.2: enough for MCUboot's image hash
 * and an upload's "sha" field. */
#include "tests/embedded/qemu/sha256.h"

#include <string.h>

static const uint32_t k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2,
};

static const uint32_t h0[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static uint32_t ror(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static void compress(struct sha256 *s)
{
	uint32_t w[64], v[8], t1, t2;

	for (unsigned i = 0; i < 16; i++)
		w[i] = (uint32_t)s->block[4 * i] << 24 | (uint32_t)s->block[4 * i + 1] << 16 |
		       (uint32_t)s->block[4 * i + 2] << 8 | s->block[4 * i + 3];
	for (unsigned i = 16; i < 64; i++)
		w[i] = w[i - 16] + (ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3)) +
		       w[i - 7] + (ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10));
	memcpy(v, s->h, sizeof(v));
	for (unsigned i = 0; i < 64; i++) {
		t1 = v[7] + (ror(v[4], 6) ^ ror(v[4], 11) ^ ror(v[4], 25)) +
		     ((v[4] & v[5]) ^ (~v[4] & v[6])) + k[i] + w[i];
		t2 = (ror(v[0], 2) ^ ror(v[0], 13) ^ ror(v[0], 22)) +
		     ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
		memmove(&v[1], &v[0], 7 * sizeof(v[0]));
		v[4] += t1;
		v[0] = t1 + t2;
	}
	for (unsigned i = 0; i < 8; i++)
		s->h[i] += v[i];
}

static int hash_begin(void *ctx, enum smp_hash_alg alg)
{
	struct sha256 *s = ctx;

	if (alg != SMP_HASH_SHA256)
		return -1;
	memcpy(s->h, h0, sizeof(s->h));
	s->bytes = 0;
	s->fill = 0;
	return 0;
}

static int hash_update(void *ctx, const uint8_t *data, size_t len)
{
	struct sha256 *s = ctx;

	s->bytes += len;
	while (len) {
		size_t n = sizeof(s->block) - s->fill < len ? sizeof(s->block) - s->fill : len;

		memcpy(s->block + s->fill, data, n);
		s->fill += n;
		data += n;
		len -= n;
		if (s->fill == sizeof(s->block)) {
			compress(s);
			s->fill = 0;
		}
	}
	return 0;
}

static int hash_finish(void *ctx, uint8_t *out, size_t cap)
{
	struct sha256 *s = ctx;
	uint64_t bits = s->bytes * 8;
	uint8_t pad = 0x80;

	if (cap < 32)
		return -1;
	hash_update(s, &pad, 1);
	pad = 0;
	while (s->fill != 56)
		hash_update(s, &pad, 1);
	for (int i = 7; i >= 0; i--) {
		uint8_t b = (uint8_t)(bits >> (8 * i));

		hash_update(s, &b, 1);
	}
	for (unsigned i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(s->h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(s->h[i] >> 8);
		out[4 * i + 3] = (uint8_t)s->h[i];
	}
	return 32;
}

static const struct smp_crypto_ops sha256_ops = {
	.hash_begin = hash_begin,
	.hash_update = hash_update,
	.hash_finish = hash_finish,
	.verify_hash_sig = NULL,
};

void sha256_crypto(struct smp_crypto *c, struct sha256 *state)
{
	c->ops = &sha256_ops;
	c->ctx = state;
}
