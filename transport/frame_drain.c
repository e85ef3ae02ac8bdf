#include "transport/frame_drain.h"

#include <string.h>

#include "smp/say.h"
#include "smp/transport.h"

static void report_console(const struct frame_drain_sink *s, const struct smp_serial_ev *ev)
{
	char line[SMP_SERIAL_CONSOLE_LINE_MAX + 1];
	size_t n = ev->len < SMP_SERIAL_CONSOLE_LINE_MAX ? ev->len : SMP_SERIAL_CONSOLE_LINE_MAX;

	if (!s->console)
		return;
	memcpy(line, ev->data, n);
	n = smp_serial_console_clean((uint8_t *)line, n);
	line[n] = 0;
	if (n)
		s->console(s->arg, line);
}

int frame_drain(struct smp_serial_decoder *dec, const uint8_t *in, size_t *off, size_t len,
		uint8_t *buf, size_t cap, size_t *pkt_len, const struct frame_drain_sink *s)
{
	struct smp_serial_ev ev;
	size_t used;

	while (*off < len) {
		enum smp_serial_event e = smp_serial_decoder_feed(dec, in + *off, len - *off, &used,
								  &ev);

		*off += used;
		if (e == SMP_SERIAL_EV_CONSOLE) {
			report_console(s, &ev);
		} else if (e == SMP_SERIAL_EV_DROPPED) {
			smp_sayf(s->trace, s->arg, "%s: dropped a frame: %s", s->who,
				 smp_serial_drop_name(ev.drop));
		} else if (e == SMP_SERIAL_EV_PACKET) {
			if (ev.len > cap) {
				smp_sayf(s->trace, s->arg,
					 "%s: dropped a %zu-byte packet: larger than %zu", s->who,
					 ev.len, cap);
				return SMP_IO_TOOBIG;
			}
			memcpy(buf, ev.data, ev.len);
			*pkt_len = ev.len;
			return SMP_IO_OK;
		}
	}
	return SMP_IO_TIMEOUT;
}
