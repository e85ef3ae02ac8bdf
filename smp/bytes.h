/* Multi-byte fields in byte arrays: SMP's header and serial framing are
 * big-endian, MCUboot's image format and Bluetooth's ATT little-endian.
 * Byte by byte, so neither the host's byte order nor alignment matters. */
#ifndef SMP_BYTES_H
#define SMP_BYTES_H

#include <stdint.h>

static inline uint16_t smp_get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t smp_get_le32(const uint8_t *p)
{
	return (uint32_t)smp_get_le16(p) | (uint32_t)smp_get_le16(p + 2) << 16;
}

static inline void smp_put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void smp_put_le32(uint8_t *p, uint32_t v)
{
	smp_put_le16(p, (uint16_t)v);
	smp_put_le16(p + 2, (uint16_t)(v >> 16));
}

static inline uint16_t smp_get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t smp_get_be32(const uint8_t *p)
{
	return (uint32_t)smp_get_be16(p) << 16 | smp_get_be16(p + 2);
}

static inline void smp_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

#endif
