/* The SMP serial framing codec (Zephyr's "SMP over console", also spoken
 * by MCUboot's serial recovery): a packet travels as base64 of
 *   u16 big-endian length (packet + 2) | packet | u16 CRC-16/XMODEM
 * cut into lines of at most 127 bytes: 0x06 0x09 starts the first,
 * 0x04 0x14 every continuation, '\n' ends each. Pure and portable: no I/O,
 * no allocation, no globals, so it can run on a small host MCU too.
 *
 * The decoder is fed the raw byte stream of a UART that may also carry a
 * console log and a shell: everything outside frames comes back as
 * console lines, and a frame may start in the middle of a line (after a
 * shell prompt). It also takes the raw UART transport's bare packets. */
#ifndef SMP_SERIAL_FRAME_H
#define SMP_SERIAL_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SERIAL_FRAME_MAX 127		/* marker, base64 and newline */
#define SERIAL_FRAME_MIN 7		/* room for one base64 group */
#define SERIAL_PKT_START1 0x06
#define SERIAL_PKT_START2 0x09
#define SERIAL_FRAG_START1 0x04
#define SERIAL_FRAG_START2 0x14
/* The length field is 16 bits and counts the CRC too. */
#define SERIAL_PKT_MAX (UINT16_MAX - 2)
#define SERIAL_CONSOLE_LINE_MAX 256	/* longer console lines come in pieces */

/* CRC-16/XMODEM (poly 0x1021, init 0, no reflection), Zephyr's
 * crc16_itu_t(); pass 0 to start. */
uint16_t serial_crc16(uint16_t crc, const uint8_t *data, size_t len);

/* Bytes on the wire for a packet of pkt_len bytes in frames of at most
 * frame_max bytes (0 means SERIAL_FRAME_MAX); 0 if pkt_len is 0 or too
 * large, or frame_max is below SERIAL_FRAME_MIN. */
size_t serial_encoded_size(size_t pkt_len, size_t frame_max);

/* Writes the frames of one packet into out. Each frame carries a whole
 * number of base64 groups, so it decodes on its own, as Zephyr's receiver
 * requires; padding can only appear in the last one. Returns the bytes
 * written, or 0 when cap is too small or the packet cannot be framed. */
size_t serial_frame_encode(const uint8_t *pkt, size_t pkt_len, size_t frame_max,
			   uint8_t *out, size_t cap);

enum serial_event {
	SERIAL_EV_NONE = 0,	/* every byte consumed, nothing complete */
	SERIAL_EV_PACKET,	/* a whole packet: ev->data, ev->len */
	SERIAL_EV_CONSOLE,	/* a console line (no '\n'): ev->data, ev->len */
	SERIAL_EV_DROPPED,	/* a frame or packet was thrown away: ev->drop */
};

enum serial_drop {
	SERIAL_DROP_NONE = 0,
	SERIAL_DROP_BAD_BASE64,	/* a character that is not base64 in a frame */
	SERIAL_DROP_BAD_CRC,
	SERIAL_DROP_BAD_LENGTH,	/* decoded more than the length field said, or a
				 * length too short for a CRC */
	SERIAL_DROP_TOO_BIG,	/* longer than the caller's buffer */
	SERIAL_DROP_ORPHAN,	/* a continuation frame with no packet begun */
	SERIAL_DROP_INCOMPLETE,	/* a new packet began before this one ended */
	SERIAL_DROP_BAD_HEADER,	/* raw mode: not an SMP header */
	SERIAL_DROP_COUNT
};

struct serial_ev {
	enum serial_event type;
	enum serial_drop drop;
	const uint8_t *data;
	size_t len;
};

struct serial_frame_stats {
	unsigned long frames;		/* frames seen, good or bad */
	unsigned long packets;		/* packets delivered */
	unsigned long console_lines;	/* non-SMP lines skipped */
	unsigned long dropped[SERIAL_DROP_COUNT];
};

enum serial_dec_state {
	SERIAL_DEC_TEXT,	/* console text, looking for a marker */
	SERIAL_DEC_MARK1,	/* saw 0x06 or 0x04, waiting for its pair */
	SERIAL_DEC_FRAME,	/* inside a frame, decoding base64 */
	SERIAL_DEC_SKIP,	/* dropping the rest of a bad frame */
};

struct serial_decoder {
	/* Packet buffer, owned by the caller: holds the length field, the
	 * packet and the CRC, so a packet of cap - 4 bytes fits. */
	uint8_t *buf;
	size_t cap;
	bool raw;			/* bare packets, no base64 or lines */

	enum serial_dec_state state;
	uint8_t mark1;			/* first marker byte seen */
	bool in_packet;			/* a first frame was accepted */
	bool discard;			/* skip continuations of a dropped packet */
	size_t skip;			/* raw mode: bytes of a dropped packet to skip */
	size_t dec_len;			/* decoded bytes in buf */
	size_t want;			/* length field + 2, 0 until known */
	uint8_t quad[4];		/* base64 group carried across frames */
	unsigned nquad;
	unsigned pad;			/* '=' seen in the current group */

	uint8_t line[SERIAL_CONSOLE_LINE_MAX];
	size_t line_len;

	struct serial_frame_stats stats;
};

/* buf must hold at least 12 bytes. raw selects the raw UART transport. */
void serial_decoder_init(struct serial_decoder *d, uint8_t *buf, size_t cap, bool raw);
/* Forgets any partial packet and line (after a timeout or reconnect);
 * keeps the counters. */
void serial_decoder_reset(struct serial_decoder *d);
/* True when a packet is partly received (raw mode's timeout needs it). */
bool serial_decoder_busy(const struct serial_decoder *d);

/* Consumes bytes from data up to and including the first one that
 * completes an event, sets *used to how many, and describes the event in
 * ev. ev->data points into the decoder and stays valid until the next
 * call. Call again with the rest until it returns SERIAL_EV_NONE. */
enum serial_event serial_decoder_feed(struct serial_decoder *d, const uint8_t *data,
				      size_t len, size_t *used, struct serial_ev *ev);

/* A short name for a drop reason, for -v. */
const char *serial_drop_name(enum serial_drop drop);

/* Makes a console line printable in place: drops ANSI escape sequences
 * (shell colours, cursor moves) and control characters other than tab.
 * Returns the new length. */
size_t serial_console_clean(uint8_t *line, size_t len);

#endif
