#include "smp/cbor_write.h"

#include <string.h>

#include <cbor.h>

void smp_cbor_writer_init(struct smp_cbor_writer *w, uint8_t *buf, size_t cap)
{
	*w = (struct smp_cbor_writer){ .buf = buf, .cap = buf ? cap : 0 };
}

int smp_cbor_done(const struct smp_cbor_writer *w)
{
	return w->full ? -1 : 0;
}

/* libcbor's encoders return the bytes written, 0 when they do not fit. */
static void wrote(struct smp_cbor_writer *w, size_t n)
{
	if (n == 0)
		w->full = true;
	w->len += n;
}

static unsigned char *at(struct smp_cbor_writer *w)
{
	return w->buf ? w->buf + w->len : NULL;
}

static size_t room(const struct smp_cbor_writer *w)
{
	return w->full ? 0 : w->cap - w->len;
}

void smp_cbor_map(struct smp_cbor_writer *w, size_t pairs)
{
	wrote(w, cbor_encode_map_start(pairs, at(w), room(w)));
}

void smp_cbor_array(struct smp_cbor_writer *w, size_t items)
{
	wrote(w, cbor_encode_array_start(items, at(w), room(w)));
}

void smp_cbor_uint(struct smp_cbor_writer *w, uint64_t v)
{
	wrote(w, cbor_encode_uint(v, at(w), room(w)));
}

void smp_cbor_int(struct smp_cbor_writer *w, int64_t v)
{
	/* CBOR negative integers store -1 - v. */
	if (v >= 0)
		smp_cbor_uint(w, (uint64_t)v);
	else
		wrote(w, cbor_encode_negint((uint64_t)(-1 - v), at(w), room(w)));
}

void smp_cbor_bool(struct smp_cbor_writer *w, bool v)
{
	wrote(w, cbor_encode_bool(v, at(w), room(w)));
}

uint8_t *smp_cbor_bytes_open(struct smp_cbor_writer *w, size_t n)
{
	uint8_t *p;

	wrote(w, cbor_encode_bytestring_start(n, at(w), room(w)));
	if (n > room(w)) {
		w->full = true;
		return NULL;
	}
	p = at(w);
	w->len += n;
	return p;
}

void smp_cbor_bytes(struct smp_cbor_writer *w, const uint8_t *p, size_t n)
{
	uint8_t *dst = smp_cbor_bytes_open(w, n);

	if (dst && n)
		memcpy(dst, p, n);
}

char *smp_cbor_text_open(struct smp_cbor_writer *w, size_t n)
{
	char *p;

	wrote(w, cbor_encode_string_start(n, at(w), room(w)));
	if (n > room(w)) {
		w->full = true;
		return NULL;
	}
	p = (char *)at(w);
	w->len += n;
	return p;
}

void smp_cbor_text_n(struct smp_cbor_writer *w, const char *s, size_t n)
{
	char *dst = smp_cbor_text_open(w, n);

	if (dst && n)
		memcpy(dst, s, n);
}

void smp_cbor_text(struct smp_cbor_writer *w, const char *s)
{
	smp_cbor_text_n(w, s, strlen(s));
}

void smp_put_uint(struct smp_cbor_writer *w, const char *key, uint64_t v)
{
	smp_cbor_text(w, key);
	smp_cbor_uint(w, v);
}

void smp_put_int(struct smp_cbor_writer *w, const char *key, int64_t v)
{
	smp_cbor_text(w, key);
	smp_cbor_int(w, v);
}

void smp_put_bool(struct smp_cbor_writer *w, const char *key, bool v)
{
	smp_cbor_text(w, key);
	smp_cbor_bool(w, v);
}

void smp_put_text(struct smp_cbor_writer *w, const char *key, const char *v)
{
	smp_cbor_text(w, key);
	smp_cbor_text(w, v);
}

void smp_put_bytes(struct smp_cbor_writer *w, const char *key, const uint8_t *v, size_t n)
{
	smp_cbor_text(w, key);
	smp_cbor_bytes(w, v, n);
}

size_t smp_cbor_head_len(uint64_t n)
{
	if (n < 24)
		return 1;
	if (n <= UINT8_MAX)
		return 2;
	if (n <= UINT16_MAX)
		return 3;
	if (n <= UINT32_MAX)
		return 5;
	return 9;
}
