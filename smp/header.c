#include "smp/header.h"

#include "smp/bytes.h"

void smp_header_encode(const struct smp_header *hdr, uint8_t out[SMP_HEADER_SIZE])
{
	out[0] = (uint8_t)(((hdr->version & 0x3) << 3) | (hdr->op & 0x7));
	out[1] = hdr->flags;
	smp_put_be16(out + 2, hdr->len);
	smp_put_be16(out + 4, hdr->group);
	out[6] = hdr->seq;
	out[7] = hdr->id;
}

int smp_header_decode(const uint8_t *buf, size_t n, struct smp_header *hdr)
{
	if (n < SMP_HEADER_SIZE)
		return -1;
	hdr->version = (buf[0] >> 3) & 0x3;
	hdr->op = buf[0] & 0x7;
	hdr->flags = buf[1];
	hdr->len = smp_get_be16(buf + 2);
	hdr->group = smp_get_be16(buf + 4);
	hdr->seq = buf[6];
	hdr->id = buf[7];
	if ((size_t)hdr->len > n - SMP_HEADER_SIZE)
		return -2;
	return 0;
}

const char *smp_op_name(uint8_t op)
{
	static const char *const names[] = {
		"read",
		"read-rsp",
		"write",
		"write-rsp",
	};
	return op < 4 ? names[op] : "op?";
}
