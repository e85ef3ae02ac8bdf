/* The serial framing decoder over a UART byte stream, fed in pieces as
 * reads return them; the first byte picks raw mode and the piece size.
 * Every packet decoded is encoded again and must decode to itself. */
#include <stdlib.h>
#include <string.h>

#include "smp/serial_frame.h"
#include "tests/fuzz/fuzz.h"

#define PKT_CAP 2100 /* a 2048-byte SMP buffer, as smpctl sizes it */

static void roundtrip(const uint8_t *pkt, size_t len)
{
	static uint8_t wire[2 * PKT_CAP * 2], buf[PKT_CAP + 8];
	struct smp_serial_decoder d;
	struct smp_serial_ev ev;
	size_t n = smp_serial_frame_encode(pkt, len, 0, wire, sizeof(wire)), used, off = 0;

	if (n == 0 || n != smp_serial_encoded_size(len, 0))
		abort();
	smp_serial_decoder_init(&d, buf, sizeof(buf), false);
	while (off < n) {
		if (smp_serial_decoder_feed(&d, wire + off, n - off, &used, &ev) ==
		    SMP_SERIAL_EV_PACKET) {
			if (ev.len != len || memcmp(ev.data, pkt, len) != 0)
				abort();
			return;
		}
		off += used;
		if (used == 0)
			break;
	}
	abort(); /* what the encoder wrote did not decode */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[PKT_CAP], line[SMP_SERIAL_CONSOLE_LINE_MAX];
	struct smp_serial_decoder d;
	struct smp_serial_ev ev;
	size_t piece, off = 1, used;
	bool raw;

	if (size < 1)
		return 0;
	raw = data[0] & 0x80;
	piece = (data[0] & 0x7f) + 1;
	smp_serial_decoder_init(&d, buf, sizeof(buf), raw);
	while (off < size) {
		size_t n = size - off < piece ? size - off : piece, at = 0;

		while (at < n) {
			enum smp_serial_event e = smp_serial_decoder_feed(&d, data + off + at,
									  n - at, &used, &ev);

			at += used;
			if (e == SMP_SERIAL_EV_PACKET && !raw && ev.len > 0 &&
			    ev.len <= PKT_CAP - 4)
				roundtrip(ev.data, ev.len);
			if (e == SMP_SERIAL_EV_CONSOLE && ev.len <= sizeof(line)) {
				memcpy(line, ev.data, ev.len);
				smp_serial_console_clean(line, ev.len);
			}
			if (e == SMP_SERIAL_EV_DROPPED)
				smp_serial_drop_name(ev.drop);
			if (e == SMP_SERIAL_EV_NONE || used == 0)
				break;
		}
		off += n;
		if (data[0] & 0x40 && off < size)
			smp_serial_decoder_reset(&d); /* as after a timeout */
	}
	smp_serial_decoder_busy(&d);
	return 0;
}
