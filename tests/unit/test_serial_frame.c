/* The SMP serial framing codec against fixed vectors: ones computed with
 * Python's base64 module and a separate CRC, and ones produced by a port
 * of Zephyr's mcumgr_serial_tx_pkt() (whose last frames differ). */
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"
#include "transport/serial.h"
#include "smp/serial_frame.h"
#include "transport/serial_port.h"
#include "tests/sim/front_pty_codec.h"

/* An echo request, v2, seq 0x42: {"d": "hello"}. */
static const uint8_t echo_pkt[] = { 0x0a, 0x00, 0x00, 0x09, 0x00, 0x00, 0x42, 0x00, 0xa1,
				    0x61, 0x64, 0x65, 0x68, 0x65, 0x6c, 0x6c, 0x6f };
static const char echo_wire[] = "\x06\x09"
				"ABMKAAAJAABCAKFhZGVoZWxsb0YZ\n";

/* 200 bytes (i * 7 + 3): three frames of 124, 124 and 24 characters. */
static const char big_wire[] =
	"\x06\x09"
	"AMoDChEYHyYtNDtCSVBXXmVsc3qBiI+WnaSrsrnAx87V3OPq8fj/Bg0UGyIpMDc+RUxTWmFob3Z9hIuSmaCnrrW8w8rR2N/m7fT7AgkQFx4lLDM6QUhPVl1ka3J5\n"
	"\x04\x14"
	"gIeOlZyjqrG4v8bN1Nvi6fD3/gUMExohKC82PURLUllgZ251fIOKkZifpq20u8LJ0Nfe5ezz+gEIDxYdJCsyOUBHTlVcY2pxeH+GjZSboqmwt77FzNPa4ejv9v0E\n"
	"\x04\x14"
	"CxIZICcuNTxDSlFYX2ZtdKAa\n";

/* Zephyr's encoder, 91 bytes (i * 13 + 5): it holds one byte back for the
 * next frame so that the CRC is not split. */
static const char zephyr91_wire[] =
	"\x06\x09"
	"AF0FEh8sOUZTYG16h5ShrrvI1eLv/AkWIzA9SldkcX6LmKWyv8zZ5vMADRonNEFOW2h1go+cqbbD0N3q9wQRHis4RVJfbHmGk6CtusfU4e77CBUiLzxJVmNw\n"
	"\x04\x14"
	"fYqXnP0=\n";
/* Zephyr's encoder, 181 bytes: continuation frames carry 120 characters. */
static const char zephyr181_wire[] =
	"\x06\x09"
	"ALcFEh8sOUZTYG16h5ShrrvI1eLv/AkWIzA9SldkcX6LmKWyv8zZ5vMADRonNEFOW2h1go+cqbbD0N3q9wQRHis4RVJfbHmGk6CtusfU4e77CBUiLzxJVmNwfYqX\n"
	"\x04\x14"
	"pLG+y9jl8v8MGSYzQE1aZ3SBjpuotcLP3On2AxAdKjdEUV5reIWSn6y5xtPg7foHFCEuO0hVYm98iZajsL3K1+Tx/gsYJTI/TFlmc4CNmqe0wc7b6PUC\n"
	"\x04\x14"
	"DxwpRGA=\n";

static void pattern(uint8_t *p, size_t n, unsigned mul, unsigned add)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(i * mul + add);
}

/* What a decoder made of a stream: packets (the last one kept), console
 * lines (joined with '|') and drops by reason. */
struct seen {
	int packets;
	uint8_t pkt[2048];
	size_t pkt_len;
	int lines;
	char text[1024];
	int drops[SMP_SERIAL_DROP_COUNT];
	int ndrops;
};

static void collect(struct smp_serial_decoder *d, const uint8_t *data, size_t len, struct seen *s)
{
	size_t off = 0, used;
	struct smp_serial_ev ev;

	while (off < len || len == 0) {
		enum smp_serial_event e = smp_serial_decoder_feed(d, data + off, len - off, &used,
								  &ev);

		off += used;
		if (e == SMP_SERIAL_EV_PACKET) {
			s->packets++;
			s->pkt_len = ev.len;
			if (ev.len <= sizeof(s->pkt))
				memcpy(s->pkt, ev.data, ev.len);
		} else if (e == SMP_SERIAL_EV_CONSOLE) {
			size_t n = strlen(s->text);

			s->lines++;
			snprintf(s->text + n, sizeof(s->text) - n, "%s%.*s", n ? "|" : "",
				 (int)ev.len, (const char *)ev.data);
		} else if (e == SMP_SERIAL_EV_DROPPED) {
			s->drops[ev.drop]++;
			s->ndrops++;
		} else {
			break;
		}
	}
}

static uint8_t dec_buf[70000];

static void decode_str(struct smp_serial_decoder *d, const char *wire, struct seen *s)
{
	collect(d, (const uint8_t *)wire, strlen(wire), s);
}

TEST(serial_crc16_check_value)
{
	/* The catalogued check value of CRC-16/XMODEM. */
	CHECK_INT(smp_serial_crc16(0, (const uint8_t *)"123456789", 9), 0x31c3);
	CHECK_INT(smp_serial_crc16(smp_serial_crc16(0, (const uint8_t *)"1234", 4),
				   (const uint8_t *)"56789", 5),
		  0x31c3);
	CHECK_INT(smp_serial_crc16(0, NULL, 0), 0);
}

TEST(serial_encode_echo_vector)
{
	uint8_t out[256];
	size_t n = smp_serial_frame_encode(echo_pkt, sizeof(echo_pkt), 0, out, sizeof(out));

	CHECK_INT(n, strlen(echo_wire));
	CHECK_MEM(out, echo_wire, strlen(echo_wire));
	CHECK_INT(smp_serial_encoded_size(sizeof(echo_pkt), 0), n);
}

TEST(serial_encode_multi_frame_vector)
{
	uint8_t pkt[200], out[512];
	size_t n, i, start = 0;

	pattern(pkt, sizeof(pkt), 7, 3);
	n = smp_serial_frame_encode(pkt, sizeof(pkt), SMP_SERIAL_FRAME_MAX, out, sizeof(out));
	CHECK_INT(n, strlen(big_wire));
	CHECK_MEM(out, big_wire, strlen(big_wire));
	CHECK_INT(smp_serial_encoded_size(sizeof(pkt), 0), n);
	for (i = 0; i < n; i++) {
		if (out[i] != '\n')
			continue;
		CHECK(i + 1 - start <= SMP_SERIAL_FRAME_MAX);
		start = i + 1;
	}
	/* One byte short of room: nothing is written. */
	CHECK_INT(smp_serial_frame_encode(pkt, sizeof(pkt), 0, out, n - 1), 0);
}

TEST(serial_encode_rejects_what_cannot_be_framed)
{
	uint8_t out[64], pkt[1] = { 0 };

	CHECK_INT(smp_serial_frame_encode(pkt, 0, 0, out, sizeof(out)), 0);
	CHECK_INT(smp_serial_encoded_size(SMP_SERIAL_PKT_MAX + 1, 0), 0);
	CHECK_INT(smp_serial_encoded_size(10, SMP_SERIAL_FRAME_MIN - 1), 0);
	CHECK(smp_serial_encoded_size(SMP_SERIAL_PKT_MAX, 0) > 0);
}

TEST(serial_encode_small_frames)
{
	uint8_t pkt[100], out[1024];
	struct smp_serial_decoder d;
	struct seen s = { 0 };
	size_t n, i, start = 0;

	pattern(pkt, sizeof(pkt), 3, 1);
	n = smp_serial_frame_encode(pkt, sizeof(pkt), 20, out, sizeof(out));
	CHECK(n > 0);
	CHECK_INT(n, smp_serial_encoded_size(sizeof(pkt), 20));
	for (i = 0; i < n; i++) {
		if (out[i] != '\n')
			continue;
		/* 20 leaves 17 for base64: 16 characters, four groups. */
		CHECK(i + 1 - start <= 19);
		start = i + 1;
	}
	smp_serial_decoder_init(&d, dec_buf, sizeof(dec_buf), false);
	collect(&d, out, n, &s);
	CHECK_INT(s.packets, 1);
	CHECK_INT(s.pkt_len, sizeof(pkt));
	CHECK_MEM(s.pkt, pkt, sizeof(pkt));
}

TEST(serial_decode_echo_vector)
{
	struct smp_serial_decoder d;
	struct seen s = { 0 };

	smp_serial_decoder_init(&d, dec_buf, sizeof(dec_buf), false);
	decode_str(&d, echo_wire, &s);
	CHECK_INT(s.packets, 1);
	CHECK_INT(s.ndrops, 0);
	CHECK_INT(s.lines, 0);
	CHECK_INT(s.pkt_len, sizeof(echo_pkt));
	CHECK_MEM(s.pkt, echo_pkt, sizeof(echo_pkt));
	CHECK_INT(d.stats.frames, 1);
	CHECK_INT(d.stats.packets, 1);
}

TEST(serial_decode_zephyr_encoder_vectors)
{
	struct smp_serial_decoder d;
	struct seen s = { 0 };
	uint8_t want[181];

	smp_serial_decoder_init(&d, dec_buf, sizeof(dec_buf), false);
	pattern(want, sizeof(want), 13, 5);
	decode_str(&d, zephyr91_wire, &s);
	CHECK_INT(s.packets, 1);
	CHECK_INT(s.pkt_len, 91);
	CHECK_MEM(s.pkt, want, 91);
	decode_str(&d, zephyr181_wire, &s);
	CHECK_INT(s.packets, 2);
	CHECK_INT(s.pkt_len, 181);
	CHECK_MEM(s.pkt, want, 181);
	CHECK_INT(s.ndrops, 0);
}

TEST(serial_decode_split_at_every_position)
{
	size_t len = strlen(big_wire), cut;
	uint8_t want[200];
	int bad = 0;

	pattern(want, sizeof(want), 7, 3);
	for (cut = 0; cut <= len; cut++) {
		struct smp_serial_decoder d;
		struct seen s = { 0 };

		smp_serial_decoder_init(&d, dec_buf, sizeof(dec_buf), false);
		collect(&d, (const uint8_t *)big_wire, cut, &s);
		collect(&d, (const uint8_t *)big_wire + cut, len - cut, &s);
		if (s.packets != 1 || s.pkt_len != sizeof(want) ||
		    memcmp(s.pkt, want, sizeof(want)) || s.ndrops || s.lines) {
			bad++;
			fprintf(stderr, "  split at %zu failed\n", cut);
		}
	}
	CHECK_INT(bad, 0);
}

TEST(serial_decode_byte_by_byte)
{
	size_t len = strlen(big_wire), i;
	struct smp_serial_decoder d;
	struct seen s = { 0 };

	smp_serial_decoder_init(&d, dec_buf, sizeof(dec_buf), false);
	for (i = 0; i < len; i++)
		collect(&d, (const uint8_t *)big_wire + i, 1, &s);
	CHECK_INT(s.packets, 1);
	CHECK_INT(s.pkt_len, 200);
}

TEST(serial_decode_garbage_between_frames)
{
	char wire[2048];
	struct smp_serial_decoder d;
	struct seen s = { 0 };
	uint8_t want[200];

	pattern(want, sizeof(want), 7, 3);
	/* A boot banner, a log line cut in the middle of a packet's frames,
	 * a shell prompt with no newline before the first frame, a stray
	 * 0x06, CRLF endings and bytes that are not text. */
	snprintf(wire, sizeof(wire),
		 "*** Booting Zephyr OS ***\r\n"
		 "[00:00:01.234,000] <inf> app: tick\n"
		 "%.*s"
		 "[00:00:01.300,000] <inf> app: tock\r\n"
		 "%s"
		 "\x1b[1;32muart:~$ \x1b[m%s"
		 "odd \x06 byte\n"
		 "\xff\xfe\x01\n",
		 (int)(strchr(big_wire, '\n') - big_wire + 1), big_wire,
		 big_wire + (strchr(big_wire, '\n') - big_wire + 1), echo_wire);
	smp_serial_decoder_init(&d, dec_buf, sizeof(dec_buf), false);
	decode_str(&d, wire, &s);
	CHECK_INT(s.packets, 2);
	CHECK_INT(s.ndrops, 0);
	CHECK_INT(s.lines, 6);
	CHECK_INT(s.pkt_len, sizeof(echo_pkt));
	CHECK(strstr(s.text, "*** Booting Zephyr OS ***|[00:00:01.234,000] <inf> app: tick|"
			     "[00:00:01.300,000] <inf> app: tock|") == s.text);
	CHECK(strstr(s.text, "uart:~$ ") != NULL);
	CHECK(strstr(s.text, "|odd \x06 byte|") != NULL);
	CHECK_INT(d.stats.console_lines, 6);
}

TEST(serial_decode_big_packet_after_garbage)
{
	struct smp_serial_decoder d;
	struct seen s = { 0 };
	uint8_t want[200];

	pattern(want, sizeof(want), 7, 3);
	smp_serial_decoder_init(&d, dec_buf, sizeof(dec_buf), false);
	decode_str(&d, "\x06\x06\x04\x04 noise\n", &s);
	decode_str(&d, big_wire, &s);
	CHECK_INT(s.packets, 1);
	CHECK_MEM(s.pkt, want, 200);
	CHECK_INT(s.lines, 1);
}

TEST(serial_decode_bad_crc_then_resync)
{
	char wire[512];
	struct smp_serial_decoder d;
	struct seen s = { 0 };

	snprintf(wire, sizeof(wire), "%s", echo_wire);
	/* 'Z' -> 'Y' changes a payload byte, not the framing. */
	CHECK(wire[18] == 'Z');
	wire[18] = 'Y';
	strcat(wire, echo_wire);
	smp_serial_decoder_init(&d, dec_buf, sizeof(dec_buf), false);
	decode_str(&d, wire, &s);
	CHECK_INT(s.drops[SMP_SERIAL_DROP_BAD_CRC], 1);
	CHECK_INT(s.ndrops, 1);
	CHECK_INT(s.packets, 1);
	CHECK_MEM(s.pkt, echo_pkt, sizeof(echo_pkt));
	CHECK_INT(d.stats.dropped[SMP_SERIAL_DROP_BAD_CRC], 1);
}

TEST(serial_decode_bad_base64_drops_whole_packet)
{
	char wire[1024];
	struct smp_serial_decoder d;
	struct seen s = { 0 };
	size_t first = (size_t)(strchr(big_wire, '\n') - big_wire) + 1;

	/* A '*' in the first frame: that frame and the two continuations are
	 * lost with one report; the echo after them decodes. */
	snprintf(wire, sizeof(wire), "%.*s*%s%s", 40, big_wire, big_wire + 40, echo_wire);
	CHECK(first > 40);
	smp_serial_decoder_init(&d, dec_buf, sizeof(dec_buf), false);
	decode_str(&d, wire, &s);
	CHECK_INT(s.drops[SMP_SERIAL_DROP_BAD_BASE64], 1);
	CHECK_INT(s.ndrops, 1);
	CHECK_INT(s.packets, 1);
	CHECK_INT(s.pkt_len, sizeof(echo_pkt));
	/* From the bad character on, the line reads as console text. */
	CHECK_INT(s.lines, 1);
	CHECK(s.text[0] == '*');
}

TEST(serial_decode_bad_padding)
{
	struct smp_serial_decoder d;
	struct seen s = { 0 };

	smp_serial_decoder_init(&d, dec_buf, sizeof(dec_buf), false);
	decode_str(&d,
		   "\x06\x09"
		   "A=BM\n",
		   &s);
	decode_str(&d,
		   "\x06\x09"
		   "AB=M\n",
		   &s);
	CHECK_INT(s.drops[SMP_SERIAL_DROP_BAD_BASE64], 2);
	CHECK_INT(s.packets, 0);
	decode_str(&d, echo_wire, &s);
	CHECK_INT(s.packets, 1);
}

TEST(serial_decode_too_big_is_dropped_and_skipped)
{
	struct smp_serial_decoder d;
	struct seen s = { 0 };
	uint8_t small[64];

	/* Room for a 60-byte packet; the 200-byte one is refused as soon as
	 * its length is known, its continuations are skipped quietly. */
	smp_serial_decoder_init(&d, small, sizeof(small), false);
	decode_str(&d, big_wire, &s);
	CHECK_INT(s.drops[SMP_SERIAL_DROP_TOO_BIG], 1);
	CHECK_INT(s.ndrops, 1);
	CHECK_INT(s.lines, 0);
	decode_str(&d, echo_wire, &s);
	CHECK_INT(s.packets, 1);
	CHECK_MEM(s.pkt, echo_pkt, sizeof(echo_pkt));
}

TEST(serial_decode_orphan_and_incomplete)
{
	struct smp_serial_decoder d;
	struct seen s = { 0 };
	size_t first = (size_t)(strchr(big_wire, '\n') - big_wire) + 1;
	char wire[1024];

	smp_serial_decoder_init(&d, dec_buf, sizeof(dec_buf), false);
	/* Started listening in the middle of a packet: its two continuation
	 * frames are one report. */
	decode_str(&d, big_wire + first, &s);
	CHECK_INT(s.drops[SMP_SERIAL_DROP_ORPHAN], 1);
	CHECK_INT(s.ndrops, 1);
	/* A first frame, then a new packet. */
	snprintf(wire, sizeof(wire), "%.*s%s", (int)first, big_wire, echo_wire);
	decode_str(&d, wire, &s);
	CHECK_INT(s.drops[SMP_SERIAL_DROP_INCOMPLETE], 1);
	CHECK_INT(s.packets, 1);
	CHECK_MEM(s.pkt, echo_pkt, sizeof(echo_pkt));
}

TEST(serial_decode_bad_length_fields)
{
	struct smp_serial_decoder d;
	struct seen s = { 0 };

	smp_serial_decoder_init(&d, dec_buf, sizeof(dec_buf), false);
	/* Length 2: a CRC and no packet. */
	decode_str(&d,
		   "\x06\x09"
		   "AAIAAA==\n",
		   &s);
	/* Length 3 but 5 bytes follow the field. */
	decode_str(&d,
		   "\x06\x09"
		   "AAMBAgMEBQ==\n",
		   &s);
	CHECK_INT(s.drops[SMP_SERIAL_DROP_BAD_LENGTH], 2);
	CHECK_INT(s.packets, 0);
	decode_str(&d, echo_wire, &s);
	CHECK_INT(s.packets, 1);
}

TEST(serial_decode_base64_cut_anywhere)
{
	/* Some senders cut the base64 text at any length: a group then
	 * spans two frames. */
	static const char wire[] = "\x06\x09"
				   "ABMKAAAJAABCA\n"
				   "\x04\x14"
				   "KFhZGVoZWxsb0YZ\n";
	struct smp_serial_decoder d;
	struct seen s = { 0 };

	smp_serial_decoder_init(&d, dec_buf, sizeof(dec_buf), false);
	decode_str(&d, wire, &s);
	CHECK_INT(s.packets, 1);
	CHECK_MEM(s.pkt, echo_pkt, sizeof(echo_pkt));
}

TEST(serial_decode_padding_inside_packet)
{
	/* Each frame encoded on its own, the first ending in padding:
	 * base64(00 13 0a 00 00) then base64 of the rest. */
	static const char wire[] = "\x06\x09"
				   "ABMKAAA=\n"
				   "\x04\x14"
				   "CQAAQgChYWRlaGVsbG9GGQ==\r\n";
	struct smp_serial_decoder d;
	struct seen s = { 0 };

	smp_serial_decoder_init(&d, dec_buf, sizeof(dec_buf), false);
	decode_str(&d, wire, &s);
	CHECK_INT(s.packets, 1);
	CHECK_INT(s.ndrops, 0);
	CHECK_MEM(s.pkt, echo_pkt, sizeof(echo_pkt));
}

TEST(serial_roundtrip_every_length)
{
	static uint8_t pkt[1500], wire[2200];
	struct smp_serial_decoder d;
	size_t len;
	int bad = 0;

	smp_serial_decoder_init(&d, dec_buf, sizeof(dec_buf), false);
	srand(7);
	for (len = 1; len <= sizeof(pkt); len++) {
		struct seen s = { 0 };
		size_t i, n;

		for (i = 0; i < len; i++)
			pkt[i] = (uint8_t)rand();
		n = smp_serial_frame_encode(pkt, len, 0, wire, sizeof(wire));
		collect(&d, wire, n, &s);
		if (n != smp_serial_encoded_size(len, 0) || s.packets != 1 || s.pkt_len != len ||
		    memcmp(s.pkt, pkt, len) || s.ndrops || s.lines)
			bad++;
	}
	CHECK_INT(bad, 0);
}

TEST(serial_decode_long_console_line_in_pieces)
{
	char wire[700];
	struct smp_serial_decoder d;
	struct seen s = { 0 };

	memset(wire, 'x', 600);
	wire[600] = '\n';
	wire[601] = 0;
	smp_serial_decoder_init(&d, dec_buf, sizeof(dec_buf), false);
	decode_str(&d, wire, &s);
	CHECK_INT(s.lines, 3);
	CHECK_INT(strlen(s.text), 600 + 2);
}

TEST(serial_raw_mode_packets)
{
	uint8_t wire[64], small[20];
	struct smp_serial_decoder d;
	struct seen s = { 0 };
	size_t i;

	memcpy(wire, echo_pkt, sizeof(echo_pkt));
	memcpy(wire + sizeof(echo_pkt), echo_pkt, sizeof(echo_pkt));
	smp_serial_decoder_init(&d, dec_buf, sizeof(dec_buf), true);
	for (i = 0; i < 2 * sizeof(echo_pkt); i += 5)
		collect(&d, wire + i, i + 5 <= 2 * sizeof(echo_pkt) ? 5 : 2 * sizeof(echo_pkt) - i,
			&s);
	CHECK_INT(s.packets, 2);
	CHECK_INT(s.pkt_len, sizeof(echo_pkt));
	CHECK_MEM(s.pkt, echo_pkt, sizeof(echo_pkt));
	CHECK(!smp_serial_decoder_busy(&d));

	/* Too big for a 20-byte buffer: skipped by its announced length. */
	smp_serial_decoder_init(&d, small, sizeof(small), true);
	memcpy(wire, echo_pkt, sizeof(echo_pkt));
	wire[3] = 20;
	memset(wire + 8, 0, 20);
	memcpy(wire + 28, echo_pkt, sizeof(echo_pkt));
	memset(&s, 0, sizeof(s));
	collect(&d, wire, 28 + sizeof(echo_pkt), &s);
	CHECK_INT(s.drops[SMP_SERIAL_DROP_TOO_BIG], 1);
	CHECK_INT(s.packets, 1);
	CHECK_MEM(s.pkt, echo_pkt, sizeof(echo_pkt));

	/* Reserved bits set: not an SMP header. */
	smp_serial_decoder_init(&d, dec_buf, sizeof(dec_buf), true);
	memset(&s, 0, sizeof(s));
	collect(&d, (const uint8_t *)"\xff\xff\xff\xff\xff\xff\xff\xff", 8, &s);
	CHECK_INT(s.drops[SMP_SERIAL_DROP_BAD_HEADER], 1);
	collect(&d, echo_pkt, 4, &s);
	CHECK(smp_serial_decoder_busy(&d));
	smp_serial_decoder_reset(&d);
	collect(&d, echo_pkt, sizeof(echo_pkt), &s);
	CHECK_INT(s.packets, 1);
}

TEST(serial_console_clean_strips_escapes)
{
	uint8_t line[] = "\x1b[1;32muart:~$ \x1b[m\x07ok\tdone\x1b"
			 "c!";
	size_t n = smp_serial_console_clean(line, sizeof(line) - 1);

	CHECK_INT(n, strlen("uart:~$ ok\tdone!"));
	CHECK_MEM(line, "uart:~$ ok\tdone!", n);
	CHECK_STR(smp_serial_drop_name(SMP_SERIAL_DROP_BAD_CRC), "bad CRC");
	CHECK_STR(smp_serial_drop_name((enum smp_serial_drop)99), "unknown");
}

/* ---- Against the simulated device's separate implementation of Zephyr's
 * and MCUboot's code (tests/sim/front_pty_codec.c). ---- */

struct sink {
	uint8_t buf[4096];
	size_t len;
};

static void sink_put(void *arg, const uint8_t *data, size_t len)
{
	struct sink *s = arg;

	if (s->len + len <= sizeof(s->buf)) {
		memcpy(s->buf + s->len, data, len);
		s->len += len;
	}
}

/* Feeds wire line by line to Zephyr's receiver; returns packets seen and
 * keeps the last in out. */
static int zephyr_receive(struct zser_rx *rx, const uint8_t *wire, size_t n, uint8_t *out,
			  size_t *out_len)
{
	size_t start = 0, i, len;
	const uint8_t *pkt;
	int got = 0;

	for (i = 0; i < n; i++) {
		if (wire[i] != '\n')
			continue;
		if (zser_process_frag(rx, wire + start, i + 1 - start, &pkt, &len)) {
			memcpy(out, pkt, len);
			*out_len = len;
			got++;
		}
		start = i + 1;
	}
	return got;
}

static int mcuboot_receive(struct mcuboot_rx *rx, const uint8_t *wire, size_t n, uint8_t *out,
			   size_t *out_len)
{
	size_t start = 0, i, len;
	const uint8_t *pkt;
	int got = 0;

	for (i = 0; i < n; i++) {
		if (wire[i] != '\n')
			continue;
		if (mcuboot_in_line(rx, wire + start, i + 1 - start, &pkt, &len)) {
			memcpy(out, pkt, len);
			*out_len = len;
			got++;
		}
		start = i + 1;
	}
	return got;
}

TEST(serial_sim_zephyr_encoder_matches_vectors)
{
	struct sink s = { .len = 0 };
	uint8_t pkt[181];

	pattern(pkt, sizeof(pkt), 13, 5);
	zser_tx_pkt(pkt, 91, sink_put, &s);
	CHECK_INT(s.len, strlen(zephyr91_wire));
	CHECK_MEM(s.buf, zephyr91_wire, strlen(zephyr91_wire));
	s.len = 0;
	zser_tx_pkt(pkt, 181, sink_put, &s);
	CHECK_INT(s.len, strlen(zephyr181_wire));
	CHECK_MEM(s.buf, zephyr181_wire, strlen(zephyr181_wire));
	/* MCUboot cuts the text the way our encoder does. */
	s.len = 0;
	{
		uint8_t big[200];

		pattern(big, sizeof(big), 7, 3);
		mcuboot_tx_pkt(big, sizeof(big), sink_put, &s);
	}
	CHECK_INT(s.len, strlen(big_wire));
	CHECK_MEM(s.buf, big_wire, strlen(big_wire));
}

TEST(serial_cross_check_with_sim_codec)
{
	static uint8_t pkt[1200], wire[2000], got[2048];
	static uint8_t zbuf[2048], mbuf[1025];
	struct zser_rx zrx = { .buf = zbuf, .cap = sizeof(zbuf) };
	struct mcuboot_rx mrx = { .dec = mbuf, .cap = sizeof(mbuf) };
	struct smp_serial_decoder d;
	size_t len, n, got_len = 0;
	int bad_z = 0, bad_m = 0, bad_us = 0, bad_mus = 0;

	smp_serial_decoder_init(&d, dec_buf, sizeof(dec_buf), false);
	srand(11);
	for (len = 1; len <= sizeof(pkt); len++) {
		struct sink s = { .len = 0 };
		struct seen seen = { 0 };
		size_t i;

		for (i = 0; i < len; i++)
			pkt[i] = (uint8_t)rand();
		n = smp_serial_frame_encode(pkt, len, 0, wire, sizeof(wire));
		if (zephyr_receive(&zrx, wire, n, got, &got_len) != 1 || got_len != len ||
		    memcmp(got, pkt, len))
			bad_z++;
		if (len + 4 <= sizeof(mbuf) &&
		    (mcuboot_receive(&mrx, wire, n, got, &got_len) != 1 || got_len != len ||
		     memcmp(got, pkt, len)))
			bad_m++;
		zser_tx_pkt(pkt, len, sink_put, &s);
		collect(&d, s.buf, s.len, &seen);
		if (seen.packets != 1 || seen.pkt_len != len || memcmp(seen.pkt, pkt, len))
			bad_us++;
		s.len = 0;
		memset(&seen, 0, sizeof(seen));
		mcuboot_tx_pkt(pkt, len, sink_put, &s);
		collect(&d, s.buf, s.len, &seen);
		if (seen.packets != 1 || seen.pkt_len != len || memcmp(seen.pkt, pkt, len))
			bad_mus++;
	}
	CHECK_INT(bad_z, 0);
	CHECK_INT(bad_m, 0);
	CHECK_INT(bad_us, 0);
	CHECK_INT(bad_mus, 0);
}

TEST(serial_device_buffer_holds_length_and_crc)
{
	/* A Zephyr device with a 384-byte buffer takes a 380-byte packet and
	 * drops a 381-byte one: serial_mtu_for_buf_size must agree. */
	static uint8_t pkt[400], wire[700], zbuf[384], got[400];
	struct zser_rx rx = { .buf = zbuf, .cap = sizeof(zbuf) };
	size_t mtu = serial_mtu_for_buf_size(384, false), n, got_len;

	CHECK_INT(mtu, 380);
	CHECK_INT(serial_mtu_for_buf_size(384, true), 384);
	CHECK_INT(SERIAL_DEFAULT_MTU, 380);
	pattern(pkt, sizeof(pkt), 5, 1);
	n = smp_serial_frame_encode(pkt, mtu, 0, wire, sizeof(wire));
	CHECK_INT(zephyr_receive(&rx, wire, n, got, &got_len), 1);
	CHECK_INT(got_len, mtu);
	n = smp_serial_frame_encode(pkt, mtu + 1, 0, wire, sizeof(wire));
	CHECK_INT(zephyr_receive(&rx, wire, n, got, &got_len), 0);
	/* And the device recovers for the next packet. */
	n = smp_serial_frame_encode(pkt, 10, 0, wire, sizeof(wire));
	CHECK_INT(zephyr_receive(&rx, wire, n, got, &got_len), 1);
}

TEST(serial_sim_base64_follows_zephyr_rules)
{
	uint8_t out[16];
	size_t n;

	CHECK_INT(zbase64_decode(out, sizeof(out), &n, (const uint8_t *)"aGVsbG8=\n", 9), 0);
	CHECK_INT(n, 5);
	CHECK_MEM(out, "hello", 5);
	CHECK_INT(zbase64_decode(out, sizeof(out), &n, (const uint8_t *)"aG=sbG8=", 8), -1);
	CHECK_INT(zbase64_decode(out, sizeof(out), &n, (const uint8_t *)"a*Vs", 4), -1);
	CHECK_INT(zbase64_decode(out, 2, &n, (const uint8_t *)"aGVsbG8=", 8), -2);
}

TEST(serial_tcp_address_and_baud)
{
	char host[64], port[8];

	CHECK_INT(serial_split_tcp("tcp:localhost:2000", host, sizeof(host), port, sizeof(port)),
		  0);
	CHECK_STR(host, "localhost");
	CHECK_STR(port, "2000");
	CHECK_INT(serial_split_tcp("tcp:[::1]:3333", host, sizeof(host), port, sizeof(port)), 0);
	CHECK_STR(host, "::1");
	CHECK_STR(port, "3333");
	CHECK_INT(serial_split_tcp("tcp:host", host, sizeof(host), port, sizeof(port)), -1);
	CHECK_INT(serial_split_tcp("tcp::80", host, sizeof(host), port, sizeof(port)), -1);
	CHECK_INT(serial_split_tcp("tcp:h:0", host, sizeof(host), port, sizeof(port)), -1);
	CHECK_INT(serial_split_tcp("tcp:h:99999", host, sizeof(host), port, sizeof(port)), -1);
	CHECK_INT(serial_split_tcp("tcp:h:12a", host, sizeof(host), port, sizeof(port)), -1);
	CHECK_INT(serial_split_tcp("/dev/ttyACM0", host, sizeof(host), port, sizeof(port)), -1);
	CHECK(serial_baud_supported(115200));
	CHECK(serial_baud_supported(1000000));
	CHECK(!serial_baud_supported(12345));
}
