#include "tests/sim/front_pty_codec.h"

#include <string.h>

#define MCUBOOT_FRAME_MTU 124

static const char zb64_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* 0-63 for a base64 digit, 64 for '=', 127 for anything else. */
static unsigned zb64_val(uint8_t c)
{
	const char *p;

	if (c == '=')
		return 64;
	if (c == 0 || c > 127)
		return 127;
	p = strchr(zb64_chars, c);
	return p ? (unsigned)(p - zb64_chars) : 127;
}

static bool zb64_skip(const uint8_t *src, size_t slen, size_t i)
{
	return src[i] == '\n' || (src[i] == '\r' && i + 1 < slen && src[i + 1] == '\n');
}

int zbase64_decode(uint8_t *dst, size_t dlen, size_t *olen, const uint8_t *src, size_t slen)
{
	size_t i, n = 0, pads = 0, spaces, out = 0, k = 0;
	uint32_t acc = 0;
	unsigned keep = 3;

	/* First pass, as Zephyr: validate and size the output. */
	for (i = 0; i < slen; i++) {
		for (spaces = 0; i < slen && src[i] == ' '; i++)
			spaces++;
		if (i == slen)
			break;
		if (zb64_skip(src, slen, i))
			continue;
		if (spaces)
			return -1;
		if (src[i] == '=' && ++pads > 2)
			return -1;
		if (zb64_val(src[i]) == 127 || (zb64_val(src[i]) < 64 && pads))
			return -1;
		n++;
	}
	*olen = 0;
	if (n == 0)
		return 0;
	n = (n * 6 + 7) / 8 - pads;
	if (dlen < n) {
		*olen = n;
		return -2;
	}
	for (i = 0; i < slen; i++) {
		unsigned v;

		if (src[i] == '\r' || src[i] == '\n' || src[i] == ' ')
			continue;
		v = zb64_val(src[i]);
		keep -= v == 64;
		acc = acc << 6 | (v & 0x3f);
		if (++k < 4)
			continue;
		k = 0;
		if (keep > 0)
			dst[out++] = (uint8_t)(acc >> 16);
		if (keep > 1)
			dst[out++] = (uint8_t)(acc >> 8);
		if (keep > 2)
			dst[out++] = (uint8_t)acc;
	}
	*olen = out;
	return 0;
}

static uint16_t zcrc16_itu_t(uint16_t seed, const uint8_t *p, size_t len)
{
	while (len--) {
		seed = (uint16_t)((seed >> 8) | (seed << 8));
		seed ^= *p++;
		seed ^= (seed & 0xff) >> 4;
		seed ^= (uint16_t)(seed << 12);
		seed ^= (uint16_t)((seed & 0xff) << 5);
	}
	return seed;
}

static void rx_free(struct zser_rx *rx)
{
	if (rx->have_nb && rx->give)
		rx->give(rx->pool_arg);
	rx->have_nb = false;
	rx->pulled = 0;
	rx->len = 0;
}

bool zser_process_frag(struct zser_rx *rx, const uint8_t *frag, size_t frag_len,
		       const uint8_t **pkt, size_t *len)
{
	uint16_t op;
	size_t dec;

	if (!rx->have_nb) {
		if (rx->take && !rx->take(rx->pool_arg))
			return false;
		rx->have_nb = true;
		rx->pulled = rx->len = 0;
	}
	if (frag_len < 2)
		return false;
	op = (uint16_t)(frag[0] << 8 | frag[1]);
	if (op == ZSER_HDR_PKT) {
		rx->pulled = rx->len = 0;
	} else if (op != ZSER_HDR_FRAG) {
		return false;
	} else if (rx->len == 0) {
		rx_free(rx);
		return false;
	}
	if (zbase64_decode(rx->buf + rx->pulled + rx->len, rx->cap - rx->pulled - rx->len, &dec,
			   frag + 2, frag_len - 2) != 0) {
		rx_free(rx);
		return false;
	}
	rx->len += dec;
	if (op == ZSER_HDR_PKT) {
		if (rx->len < 2) {
			rx_free(rx);
			return false;
		}
		rx->pkt_len = (size_t)rx->buf[0] << 8 | rx->buf[1];
		rx->pulled = 2;
		rx->len -= 2;
	}
	if (rx->len < rx->pkt_len)
		return false;
	if (rx->len > rx->pkt_len || zcrc16_itu_t(0, rx->buf + rx->pulled, rx->len) != 0 ||
	    rx->len < 2) {
		rx_free(rx);
		return false;
	}
	*pkt = rx->buf + rx->pulled;
	*len = rx->len - 2;
	rx->have_nb = false;
	return true;
}

/* base64 of one to three bytes: always four characters. */
static void tx_small(const uint8_t *raw, size_t n, zser_tx_fn cb, void *arg)
{
	uint8_t out[4];
	uint32_t v = (uint32_t)raw[0] << 16 | (n > 1 ? (uint32_t)raw[1] << 8 : 0) |
		     (n > 2 ? raw[2] : 0);
	size_t k;

	for (k = 0; k < 4; k++)
		out[k] = k <= n ? (uint8_t)zb64_chars[(v >> (18 - 6 * k)) & 0x3f] : '=';
	cb(arg, out, 4);
}

/* The end of the last frame: what is left of the data, then the CRC. */
static void tx_tail(const uint8_t *rest, size_t n, uint16_t crc, zser_tx_fn cb, void *arg)
{
	uint8_t raw[3];

	if (n == 0) {
		raw[0] = (uint8_t)(crc >> 8);
		raw[1] = (uint8_t)crc;
		tx_small(raw, 2, cb, arg);
	} else if (n == 1) {
		raw[0] = rest[0];
		raw[1] = (uint8_t)(crc >> 8);
		raw[2] = (uint8_t)crc;
		tx_small(raw, 3, cb, arg);
	} else {
		raw[0] = rest[0];
		raw[1] = rest[1];
		raw[2] = (uint8_t)(crc >> 8);
		tx_small(raw, 3, cb, arg);
		raw[0] = (uint8_t)crc;
		tx_small(raw, 1, cb, arg);
	}
}

void zser_tx_pkt(const uint8_t *data, size_t len, zser_tx_fn cb, void *arg)
{
	static const uint8_t pkt_mark[2] = { 0x06, 0x09 }, frag_mark[2] = { 0x04, 0x14 };
	/* Not reset between frames: continuation frames stay 3 bytes short,
	 * as in Zephyr. */
	long max_input = (ZSER_MAX_FRAME - 3) / 4 * 3;
	uint16_t crc = zcrc16_itu_t(0, data, len);
	size_t src = 0;
	bool first = true, last = false;

	while (src < len) {
		long to_process, remainder;

		cb(arg, first ? pkt_mark : frag_mark, 2);
		if (first) {
			uint8_t raw[3] = { (uint8_t)((len + 2) >> 8), (uint8_t)(len + 2), data[0] };

			tx_small(raw, 3, cb, arg);
			src++;
			max_input -= 3;
		}
		remainder = max_input - (long)(len - src);
		to_process = remainder < 0 ? max_input : (long)(len - src);
		if (remainder == 0 || remainder == 1) {
			to_process--;
			last = false;
		} else if (remainder >= 2) {
			last = true;
		}
		for (; to_process >= 3; to_process -= 3, src += 3)
			tx_small(data + src, 3, cb, arg);
		if (last) {
			tx_tail(data + src, len - src, crc, cb, arg);
			src = len;
		}
		cb(arg, (const uint8_t *)"\n", 1);
		first = false;
	}
}

bool mcuboot_in_line(struct mcuboot_rx *rx, const uint8_t *line, size_t len, const uint8_t **pkt,
		     size_t *pkt_len)
{
	size_t dec, total;

	if (len < 3)
		return false;
	if (line[0] == 0x06 && line[1] == 0x09)
		rx->off = 0;
	else if (!(line[0] == 0x04 && line[1] == 0x14))
		return false;
	/* The line without marker and newline. */
	if (zbase64_decode(rx->dec + rx->off, rx->cap - rx->off, &dec, line + 2, len - 3) != 0)
		return false;
	rx->off += dec;
	if (rx->off <= 2)
		return false;
	total = (size_t)rx->dec[0] << 8 | rx->dec[1];
	if (total != rx->off - 2)
		return false;
	if (zcrc16_itu_t(0, rx->dec + 2, total) != 0 || total <= 2)
		return false;
	*pkt = rx->dec + 2;
	*pkt_len = total - 2;
	return true;
}

void mcuboot_tx_pkt(const uint8_t *data, size_t len, zser_tx_fn cb, void *arg)
{
	static const uint8_t pkt_mark[2] = { 0x06, 0x09 }, frag_mark[2] = { 0x04, 0x14 };
	uint16_t crc = zcrc16_itu_t(0, data, len);
	size_t total = len + 4, i = 0, chars = 0;

	/* Encode the whole frame, then cut the text every 124 characters. */
	while (i < total) {
		uint8_t raw[3];
		size_t n = 0;

		if (chars % MCUBOOT_FRAME_MTU == 0) {
			if (chars)
				cb(arg, (const uint8_t *)"\n", 1);
			cb(arg, chars ? frag_mark : pkt_mark, 2);
		}
		for (; n < 3 && i < total; n++, i++) {
			if (i < 2)
				raw[n] = (uint8_t)((len + 2) >> (i == 0 ? 8 : 0));
			else if (i < total - 2)
				raw[n] = data[i - 2];
			else
				raw[n] = (uint8_t)(crc >> (i == total - 2 ? 8 : 0));
		}
		tx_small(raw, n, cb, arg);
		chars += 4;
	}
	cb(arg, (const uint8_t *)"\n", 1);
}
