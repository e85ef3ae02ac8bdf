#include "smp/serial_frame.h"

#include <string.h>

#include "smp/bytes.h"

#define SMP_HDR_LEN 8
#define LEN_FIELD 2
#define CRC_LEN 2

static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

uint16_t smp_serial_crc16(uint16_t crc, const uint8_t *data, size_t len)
{
	size_t i;
	int bit;

	for (i = 0; i < len; i++) {
		crc ^= (uint16_t)(data[i] << 8);
		for (bit = 0; bit < 8; bit++)
			crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021)
					     : (uint16_t)(crc << 1);
	}
	return crc;
}

/* Base64 characters one frame carries: whole groups only, so that every
 * frame decodes on its own. */
static size_t frame_chars(size_t frame_max)
{
	if (frame_max == 0)
		frame_max = SMP_SERIAL_FRAME_MAX;
	if (frame_max < SMP_SERIAL_FRAME_MIN)
		return 0;
	return (frame_max - 3) / 4 * 4;
}

size_t smp_serial_encoded_size(size_t pkt_len, size_t frame_max)
{
	size_t chars = frame_chars(frame_max), b64, frames;

	if (pkt_len == 0 || pkt_len > SMP_SERIAL_PKT_MAX || chars == 0)
		return 0;
	b64 = (pkt_len + LEN_FIELD + CRC_LEN + 2) / 3 * 4;
	frames = (b64 + chars - 1) / chars;
	return b64 + 3 * frames;
}

/* The byte at position i of length field | packet | CRC. */
static uint8_t framed_byte(const uint8_t *pkt, size_t pkt_len, uint16_t crc, size_t i)
{
	if (i == 0)
		return (uint8_t)((pkt_len + CRC_LEN) >> 8);
	if (i == 1)
		return (uint8_t)(pkt_len + CRC_LEN);
	if (i - LEN_FIELD < pkt_len)
		return pkt[i - LEN_FIELD];
	return i - LEN_FIELD == pkt_len ? (uint8_t)(crc >> 8) : (uint8_t)crc;
}

size_t smp_serial_frame_encode(const uint8_t *pkt, size_t pkt_len, size_t frame_max, uint8_t *out,
			       size_t cap)
{
	size_t total = smp_serial_encoded_size(pkt_len, frame_max);
	size_t chars = frame_chars(frame_max);
	size_t n = pkt_len + LEN_FIELD + CRC_LEN, i, o = 0, in_frame = 0;
	uint16_t crc;

	if (total == 0 || total > cap)
		return 0;
	crc = smp_serial_crc16(0, pkt, pkt_len);
	for (i = 0; i < n; i += 3) {
		uint32_t v = 0;
		size_t k, have = n - i < 3 ? n - i : 3;

		if (in_frame == 0) {
			out[o++] = i == 0 ? SMP_SERIAL_PKT_START1 : SMP_SERIAL_FRAG_START1;
			out[o++] = i == 0 ? SMP_SERIAL_PKT_START2 : SMP_SERIAL_FRAG_START2;
		}
		for (k = 0; k < 3; k++)
			v = v << 8 | (k < have ? framed_byte(pkt, pkt_len, crc, i + k) : 0);
		for (k = 0; k < 4; k++)
			out[o++] = k <= have ? (uint8_t)b64_alphabet[(v >> (18 - 6 * k)) & 0x3f]
					     : '=';
		in_frame += 4;
		if (in_frame == chars || i + 3 >= n) {
			out[o++] = '\n';
			in_frame = 0;
		}
	}
	return o;
}

const char *smp_serial_drop_name(enum smp_serial_drop drop)
{
	static const char *const names[SMP_SERIAL_DROP_COUNT] = {
		[SMP_SERIAL_DROP_NONE] = "none",
		[SMP_SERIAL_DROP_BAD_BASE64] = "bad base64",
		[SMP_SERIAL_DROP_BAD_CRC] = "bad CRC",
		[SMP_SERIAL_DROP_BAD_LENGTH] = "bad length field",
		[SMP_SERIAL_DROP_TOO_BIG] = "packet larger than the receive buffer",
		[SMP_SERIAL_DROP_ORPHAN] = "continuation frame without a first frame",
		[SMP_SERIAL_DROP_INCOMPLETE] = "packet cut short by a new one",
		[SMP_SERIAL_DROP_BAD_HEADER] = "not an SMP header",
	};

	return (unsigned)drop < SMP_SERIAL_DROP_COUNT ? names[drop] : "unknown";
}

void smp_serial_decoder_reset(struct smp_serial_decoder *d)
{
	d->state = SMP_SERIAL_DEC_TEXT;
	d->in_packet = false;
	d->discard = false;
	d->skip = 0;
	d->dec_len = 0;
	d->want = 0;
	d->nquad = 0;
	d->pad = 0;
	d->line_len = 0;
}

void smp_serial_decoder_init(struct smp_serial_decoder *d, uint8_t *buf, size_t cap, bool raw)
{
	memset(d, 0, sizeof(*d));
	d->buf = buf;
	d->cap = cap;
	d->raw = raw;
	smp_serial_decoder_reset(d);
}

bool smp_serial_decoder_busy(const struct smp_serial_decoder *d)
{
	return d->dec_len > 0 || d->skip > 0 || d->in_packet;
}

static enum smp_serial_event ev_drop(struct smp_serial_decoder *d, struct smp_serial_ev *ev,
				     enum smp_serial_drop why)
{
	d->stats.dropped[why]++;
	ev->type = SMP_SERIAL_EV_DROPPED;
	ev->drop = why;
	return ev->type;
}

/* Abandons the packet being received: the rest of this frame and its
 * remaining frames are skipped without a report of their own. */
static enum smp_serial_event drop_packet(struct smp_serial_decoder *d, struct smp_serial_ev *ev,
					 enum smp_serial_drop why)
{
	d->state = SMP_SERIAL_DEC_SKIP;
	d->in_packet = false;
	d->discard = true;
	d->dec_len = 0;
	d->want = 0;
	d->nquad = 0;
	d->pad = 0;
	return ev_drop(d, ev, why);
}

static enum smp_serial_event emit_line(struct smp_serial_decoder *d, struct smp_serial_ev *ev)
{
	ev->type = SMP_SERIAL_EV_CONSOLE;
	ev->data = d->line;
	ev->len = d->line_len;
	d->line_len = 0;
	d->stats.console_lines++;
	return ev->type;
}

static int b64_value(uint8_t c)
{
	const char *p;

	if (c == 0 || c == '=')
		return -1;
	p = strchr(b64_alphabet, c);
	return p ? (int)(p - b64_alphabet) : -1;
}

/* Appends one decoded byte; learns the packet's size from the first two. */
static enum smp_serial_event put_byte(struct smp_serial_decoder *d, uint8_t b,
				      struct smp_serial_ev *ev)
{
	size_t field;

	if (d->want && d->dec_len >= d->want)
		return drop_packet(d, ev, SMP_SERIAL_DROP_BAD_LENGTH);
	if (d->dec_len >= d->cap)
		return drop_packet(d, ev, SMP_SERIAL_DROP_TOO_BIG);
	d->buf[d->dec_len++] = b;
	if (d->dec_len != LEN_FIELD)
		return SMP_SERIAL_EV_NONE;
	field = smp_get_be16(d->buf);
	if (field <= CRC_LEN)
		return drop_packet(d, ev, SMP_SERIAL_DROP_BAD_LENGTH);
	d->want = field + LEN_FIELD;
	if (d->want > d->cap)
		return drop_packet(d, ev, SMP_SERIAL_DROP_TOO_BIG);
	return SMP_SERIAL_EV_NONE;
}

/* One base64 character (or '=') of a frame. Padding may end any group, as
 * a sender that encodes each frame on its own may pad mid-packet. */
static enum smp_serial_event frame_char(struct smp_serial_decoder *d, uint8_t c,
					struct smp_serial_ev *ev)
{
	uint32_t v = 0;
	unsigned k, bytes;
	int val = b64_value(c);

	if (c == '=') {
		if (d->nquad < 2)
			return drop_packet(d, ev, SMP_SERIAL_DROP_BAD_BASE64);
		d->pad++;
	} else if (d->pad) {
		return drop_packet(d, ev, SMP_SERIAL_DROP_BAD_BASE64);
	}
	d->quad[d->nquad++] = (uint8_t)(val < 0 ? 0 : val);
	if (d->nquad < 4)
		return SMP_SERIAL_EV_NONE;
	for (k = 0; k < 4; k++)
		v = v << 6 | d->quad[k];
	bytes = 3 - d->pad;
	d->nquad = 0;
	d->pad = 0;
	for (k = 0; k < bytes; k++) {
		enum smp_serial_event e = put_byte(d, (uint8_t)(v >> (16 - 8 * k)), ev);

		if (e != SMP_SERIAL_EV_NONE)
			return e;
	}
	return SMP_SERIAL_EV_NONE;
}

static enum smp_serial_event frame_end(struct smp_serial_decoder *d, struct smp_serial_ev *ev)
{
	d->state = SMP_SERIAL_DEC_TEXT;
	/* A group split across frames is carried over, for senders that cut
	 * the base64 text anywhere. */
	if (!d->in_packet || !d->want || d->dec_len < d->want || d->nquad)
		return SMP_SERIAL_EV_NONE;
	if (smp_serial_crc16(0, d->buf + LEN_FIELD, d->want - LEN_FIELD) != 0) {
		drop_packet(d, ev, SMP_SERIAL_DROP_BAD_CRC);
		d->state = SMP_SERIAL_DEC_TEXT;
		d->discard = false;
		return ev->type;
	}
	d->in_packet = false;
	d->stats.packets++;
	ev->type = SMP_SERIAL_EV_PACKET;
	ev->data = d->buf + LEN_FIELD;
	ev->len = d->want - LEN_FIELD - CRC_LEN;
	d->dec_len = 0;
	d->want = 0;
	return ev->type;
}

static enum smp_serial_event frame_begin(struct smp_serial_decoder *d, bool first,
					 struct smp_serial_ev *ev)
{
	bool cut = first && d->in_packet;

	d->stats.frames++;
	d->state = SMP_SERIAL_DEC_FRAME;
	if (first) {
		d->in_packet = true;
		d->discard = false;
		d->dec_len = 0;
		d->want = 0;
		d->nquad = 0;
		d->pad = 0;
		return cut ? ev_drop(d, ev, SMP_SERIAL_DROP_INCOMPLETE) : SMP_SERIAL_EV_NONE;
	}
	if (d->in_packet)
		return SMP_SERIAL_EV_NONE;
	d->state = SMP_SERIAL_DEC_SKIP;
	if (d->discard)
		return SMP_SERIAL_EV_NONE;
	d->discard = true;
	return ev_drop(d, ev, SMP_SERIAL_DROP_ORPHAN);
}

/* A byte outside frames. Returns an event; *take is false when the byte
 * must be fed again (a full line went out first). */
static enum smp_serial_event text_byte(struct smp_serial_decoder *d, uint8_t b, bool *take,
				       struct smp_serial_ev *ev)
{
	if (b == SMP_SERIAL_PKT_START1 || b == SMP_SERIAL_FRAG_START1) {
		d->state = SMP_SERIAL_DEC_MARK1;
		d->mark1 = b;
		return SMP_SERIAL_EV_NONE;
	}
	if (b == '\n')
		return d->line_len ? emit_line(d, ev) : SMP_SERIAL_EV_NONE;
	if (b == '\r')
		return SMP_SERIAL_EV_NONE;
	if (d->line_len == sizeof(d->line)) {
		*take = false;
		return emit_line(d, ev);
	}
	d->line[d->line_len++] = b;
	return SMP_SERIAL_EV_NONE;
}

static enum smp_serial_event mark_byte(struct smp_serial_decoder *d, uint8_t b, bool *take,
				       struct smp_serial_ev *ev)
{
	bool first = d->mark1 == SMP_SERIAL_PKT_START1 && b == SMP_SERIAL_PKT_START2;
	bool cont = d->mark1 == SMP_SERIAL_FRAG_START1 && b == SMP_SERIAL_FRAG_START2;

	if (first || cont) {
		/* Text before the marker (a shell prompt) is a line of its own. */
		if (d->line_len) {
			*take = false;
			return emit_line(d, ev);
		}
		return frame_begin(d, first, ev);
	}
	/* Not a marker after all: the first byte was console text. */
	if (d->line_len == sizeof(d->line)) {
		*take = false;
		return emit_line(d, ev);
	}
	d->line[d->line_len++] = d->mark1;
	d->state = SMP_SERIAL_DEC_TEXT;
	*take = false;
	return SMP_SERIAL_EV_NONE;
}

static enum smp_serial_event framed_byte_in(struct smp_serial_decoder *d, uint8_t b, bool *take,
					    struct smp_serial_ev *ev)
{
	switch (d->state) {
	case SMP_SERIAL_DEC_TEXT:
		return text_byte(d, b, take, ev);
	case SMP_SERIAL_DEC_MARK1:
		return mark_byte(d, b, take, ev);
	case SMP_SERIAL_DEC_SKIP:
		if (b == '\n')
			d->state = SMP_SERIAL_DEC_TEXT;
		else if (b == SMP_SERIAL_PKT_START1 || b == SMP_SERIAL_FRAG_START1)
			return text_byte(d, b, take, ev);
		return SMP_SERIAL_EV_NONE;
	case SMP_SERIAL_DEC_FRAME:
		break;
	}
	if (b == '\n')
		return frame_end(d, ev);
	if (b == '\r')
		return SMP_SERIAL_EV_NONE;
	if (b != '=' && b64_value(b) < 0) {
		/* A console line broke into the frame: the packet is lost,
		 * the byte starts console text (or the next frame). */
		drop_packet(d, ev, SMP_SERIAL_DROP_BAD_BASE64);
		d->state = SMP_SERIAL_DEC_TEXT;
		*take = false;
		return ev->type;
	}
	return frame_char(d, b, ev);
}

/* Raw UART transport: the SMP header's length delimits each packet. */
static enum smp_serial_event raw_byte_in(struct smp_serial_decoder *d, uint8_t b,
					 struct smp_serial_ev *ev)
{
	size_t total;

	if (d->skip) {
		d->skip--;
		return SMP_SERIAL_EV_NONE;
	}
	d->buf[d->dec_len++] = b;
	if (d->dec_len < SMP_HDR_LEN)
		return SMP_SERIAL_EV_NONE;
	total = SMP_HDR_LEN + (size_t)smp_get_be16(d->buf + 2);
	if (d->dec_len == SMP_HDR_LEN) {
		if (d->buf[0] & 0xe0) {
			d->dec_len = 0;
			return ev_drop(d, ev, SMP_SERIAL_DROP_BAD_HEADER);
		}
		if (total > d->cap) {
			d->skip = total - SMP_HDR_LEN;
			d->dec_len = 0;
			return ev_drop(d, ev, SMP_SERIAL_DROP_TOO_BIG);
		}
	}
	if (d->dec_len < total)
		return SMP_SERIAL_EV_NONE;
	d->stats.packets++;
	ev->type = SMP_SERIAL_EV_PACKET;
	ev->data = d->buf;
	ev->len = total;
	d->dec_len = 0;
	return ev->type;
}

enum smp_serial_event smp_serial_decoder_feed(struct smp_serial_decoder *d, const uint8_t *data,
					      size_t len, size_t *used, struct smp_serial_ev *ev)
{
	size_t i = 0;

	memset(ev, 0, sizeof(*ev));
	while (i < len) {
		enum smp_serial_event e;
		bool take = true;

		if (d->raw)
			e = raw_byte_in(d, data[i], ev);
		else
			e = framed_byte_in(d, data[i], &take, ev);
		if (take)
			i++;
		if (e != SMP_SERIAL_EV_NONE) {
			*used = i;
			return e;
		}
	}
	*used = i;
	return SMP_SERIAL_EV_NONE;
}

size_t smp_serial_console_clean(uint8_t *line, size_t len)
{
	size_t i = 0, o = 0;

	while (i < len) {
		uint8_t c = line[i++];

		if (c == 0x1b) {
			/* CSI: ESC [ parameters... final byte in 0x40-0x7e;
			 * other escapes are two bytes. */
			if (i < len && line[i] == '[') {
				i++;
				while (i < len && (line[i] < 0x40 || line[i] > 0x7e))
					i++;
			}
			i++;
			continue;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			continue;
		line[o++] = c;
	}
	return o;
}
