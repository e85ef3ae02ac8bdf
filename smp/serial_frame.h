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

#define SMP_SERIAL_FRAME_MAX 127 /* marker, base64 and newline */
#define SMP_SERIAL_FRAME_MIN 7	 /* room for one base64 group */
#define SMP_SERIAL_PKT_START1 0x06
#define SMP_SERIAL_PKT_START2 0x09
#define SMP_SERIAL_FRAG_START1 0x04
#define SMP_SERIAL_FRAG_START2 0x14
/* The length field is 16 bits and counts the CRC too. */
#define SMP_SERIAL_PKT_MAX (UINT16_MAX - 2)
#define SMP_SERIAL_CONSOLE_LINE_MAX 256 /* longer console lines come in pieces */

/* CRC-16/XMODEM (poly 0x1021, init 0, no reflection), Zephyr's
 * crc16_itu_t(); pass 0 to start. */
uint16_t smp_serial_crc16(uint16_t crc, const uint8_t *data, size_t len);

/* Bytes on the wire for a packet of pkt_len bytes in frames of at most
 * frame_max bytes (0 means SMP_SERIAL_FRAME_MAX); 0 if pkt_len is 0 or too
 * large, or frame_max is below SMP_SERIAL_FRAME_MIN. */
size_t smp_serial_encoded_size(size_t pkt_len, size_t frame_max);

/* Writes the frames of one packet into out. Each frame carries a whole
 * number of base64 groups, so it decodes on its own, as Zephyr's receiver
 * requires; padding can only appear in the last one. Returns the bytes
 * written, or 0 when cap is too small or the packet cannot be framed. */
size_t smp_serial_frame_encode(const uint8_t *pkt, size_t pkt_len, size_t frame_max, uint8_t *out,
			       size_t cap);

enum smp_serial_event {
	SMP_SERIAL_EV_NONE = 0, /* every byte consumed, nothing complete */
	SMP_SERIAL_EV_PACKET,	/* a whole packet: ev->data, ev->len */
	SMP_SERIAL_EV_CONSOLE,	/* a console line (no '\n'): ev->data, ev->len */
	SMP_SERIAL_EV_DROPPED,	/* a frame or packet was thrown away: ev->drop */
};

enum smp_serial_drop {
	SMP_SERIAL_DROP_NONE = 0,
	SMP_SERIAL_DROP_BAD_BASE64, /* a character that is not base64 in a frame */
	SMP_SERIAL_DROP_BAD_CRC,
	SMP_SERIAL_DROP_BAD_LENGTH, /* decoded more than the length field said, or a
				 * length too short for a CRC */
	SMP_SERIAL_DROP_TOO_BIG,    /* longer than the caller's buffer */
	SMP_SERIAL_DROP_ORPHAN,	    /* a continuation frame with no packet begun */
	SMP_SERIAL_DROP_INCOMPLETE, /* a new packet began before this one ended */
	SMP_SERIAL_DROP_BAD_HEADER, /* raw mode: not an SMP header */
	SMP_SERIAL_DROP_COUNT
};

struct smp_serial_ev {
	enum smp_serial_event type;
	enum smp_serial_drop drop;
	const uint8_t *data;
	size_t len;
};

struct smp_serial_frame_stats {
	unsigned long frames;	     /* frames seen, good or bad */
	unsigned long packets;	     /* packets delivered */
	unsigned long console_lines; /* non-SMP lines skipped */
	unsigned long dropped[SMP_SERIAL_DROP_COUNT];
};

enum smp_serial_dec_state {
	SMP_SERIAL_DEC_TEXT,  /* console text, looking for a marker */
	SMP_SERIAL_DEC_MARK1, /* saw 0x06 or 0x04, waiting for its pair */
	SMP_SERIAL_DEC_FRAME, /* inside a frame, decoding base64 */
	SMP_SERIAL_DEC_SKIP,  /* dropping the rest of a bad frame */
};

struct smp_serial_decoder {
	/* Packet buffer, owned by the caller: holds the length field, the
	 * packet and the CRC, so a packet of cap - 4 bytes fits. */
	uint8_t *buf;
	size_t cap;
	bool raw; /* bare packets, no base64 or lines */

	enum smp_serial_dec_state state;
	uint8_t mark1;	 /* first marker byte seen */
	bool in_packet;	 /* a first frame was accepted */
	bool discard;	 /* skip continuations of a dropped packet */
	size_t skip;	 /* raw mode: bytes of a dropped packet to skip */
	size_t dec_len;	 /* decoded bytes in buf */
	size_t want;	 /* length field + 2, 0 until known */
	uint8_t quad[4]; /* base64 group carried across frames */
	unsigned nquad;
	unsigned pad; /* '=' seen in the current group */

	uint8_t line[SMP_SERIAL_CONSOLE_LINE_MAX];
	size_t line_len;

	struct smp_serial_frame_stats stats;
};

/* buf must hold at least 12 bytes. raw selects the raw UART transport. */
void smp_serial_decoder_init(struct smp_serial_decoder *d, uint8_t *buf, size_t cap, bool raw);
/* Forgets any partial packet and line (after a timeout or reconnect);
 * keeps the counters. */
void smp_serial_decoder_reset(struct smp_serial_decoder *d);
/* True when a packet is partly received (raw mode's timeout needs it). */
bool smp_serial_decoder_busy(const struct smp_serial_decoder *d);

/* Consumes bytes from data up to and including the first one that
 * completes an event, sets *used to how many, and describes the event in
 * ev. ev->data points into the decoder and stays valid until the next
 * call. Call again with the rest until it returns SMP_SERIAL_EV_NONE. */
enum smp_serial_event smp_serial_decoder_feed(struct smp_serial_decoder *d, const uint8_t *data,
					      size_t len, size_t *used, struct smp_serial_ev *ev);

/* A short name for a drop reason, for -v. */
const char *smp_serial_drop_name(enum smp_serial_drop drop);

/* Makes a console line printable in place: drops ANSI escape sequences
 * (shell colours, cursor moves) and control characters other than tab.
 * Returns the new length. */
size_t smp_serial_console_clean(uint8_t *line, size_t len);

#endif
