/* Writes SMP payloads straight into the caller's buffer with libcbor's
 * allocation-free encoders (cbor_encode_*): no item trees, no heap. A
 * write that does not fit marks the writer full and writes nothing more;
 * smp_cbor_done then fails, so a caller checks once at the end. */
#ifndef SMP_CBOR_WRITE_H
#define SMP_CBOR_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct smp_cbor_writer {
	uint8_t *buf;
	size_t cap, len;
	bool full;
};

void smp_cbor_writer_init(struct smp_cbor_writer *w, uint8_t *buf, size_t cap);
/* 0, or -1 when something did not fit. */
int smp_cbor_done(const struct smp_cbor_writer *w);

/* Definite-length heads: zcbor-based servers (Zephyr's, MCUboot's serial
 * recovery) are happiest with them. */
void smp_cbor_map(struct smp_cbor_writer *w, size_t pairs);
void smp_cbor_array(struct smp_cbor_writer *w, size_t items);
void smp_cbor_uint(struct smp_cbor_writer *w, uint64_t v);
void smp_cbor_int(struct smp_cbor_writer *w, int64_t v);
void smp_cbor_bool(struct smp_cbor_writer *w, bool v);
void smp_cbor_text(struct smp_cbor_writer *w, const char *s);
void smp_cbor_text_n(struct smp_cbor_writer *w, const char *s, size_t n);
void smp_cbor_bytes(struct smp_cbor_writer *w, const uint8_t *p, size_t n);
/* Writes a byte string's head and returns where its n bytes go (the
 * caller fills them), or NULL when they do not fit. */
uint8_t *smp_cbor_bytes_open(struct smp_cbor_writer *w, size_t n);
/* The same for a text string (the caller writes valid UTF-8). */
char *smp_cbor_text_open(struct smp_cbor_writer *w, size_t n);

/* A text key and its value. */
void smp_put_uint(struct smp_cbor_writer *w, const char *key, uint64_t v);
void smp_put_int(struct smp_cbor_writer *w, const char *key, int64_t v);
void smp_put_bool(struct smp_cbor_writer *w, const char *key, bool v);
void smp_put_text(struct smp_cbor_writer *w, const char *key, const char *v);
void smp_put_bytes(struct smp_cbor_writer *w, const char *key, const uint8_t *v, size_t n);

/* Bytes of the CBOR head (major type + length) for a value of length n. */
size_t smp_cbor_head_len(uint64_t n);

#endif
