#include "smp/mcuboot_format.h"

#include "smp/bytes.h"

void smp_mcuboot_header_decode(const uint8_t *buf, struct smp_mcuboot_header *h)
{
	h->magic = smp_get_le32(buf);
	h->load_addr = smp_get_le32(buf + 4);
	h->hdr_size = smp_get_le16(buf + 8);
	h->protect_tlv_size = smp_get_le16(buf + 10);
	h->img_size = smp_get_le32(buf + 12);
	h->flags = smp_get_le32(buf + 16);
	h->ver_major = buf[20];
	h->ver_minor = buf[21];
	h->ver_revision = smp_get_le16(buf + 22);
	h->ver_build = smp_get_le32(buf + 24);
}
