/* SMP message header: 8 bytes, big-endian, before every CBOR payload. */
#ifndef SMP_HEADER_H
#define SMP_HEADER_H

#include <stddef.h>
#include <stdint.h>

#define SMP_HEADER_SIZE 8

enum smp_op {
	SMP_OP_READ = 0,
	SMP_OP_READ_RSP = 1,
	SMP_OP_WRITE = 2,
	SMP_OP_WRITE_RSP = 3,
};

/* Protocol versions as carried in bits 4-3 of byte 0. */
enum smp_version {
	SMP_V1 = 0,
	SMP_V2 = 1,
};

struct smp_header {
	uint8_t version; /* enum smp_version */
	uint8_t op;	 /* enum smp_op */
	uint8_t flags;
	uint16_t len; /* payload length, header excluded */
	uint16_t group;
	uint8_t seq;
	uint8_t id;
};

void smp_header_encode(const struct smp_header *hdr, uint8_t out[SMP_HEADER_SIZE]);

/* Decodes a header and checks that buf holds the whole packet it announces.
 * Returns 0, or -1 if buf is shorter than a header, -2 if the announced
 * payload runs past the end of buf. */
int smp_header_decode(const uint8_t *buf, size_t n, struct smp_header *hdr);

const char *smp_op_name(uint8_t op);

#endif
