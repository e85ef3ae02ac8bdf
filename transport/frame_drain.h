/* Bytes read from a framed serial line (a tty, or a command's pipe) run
 * through Zephyr's framing decoder until one SMP packet comes out: console
 * lines go to the console callback, cleaned; dropped frames and packets
 * too large for the caller are said through trace. Shared by
 * transport/serial.c and transport/pipe.c. */
#ifndef TRANSPORT_FRAME_DRAIN_H
#define TRANSPORT_FRAME_DRAIN_H

#include <stddef.h>
#include <stdint.h>

#include "smp/serial_frame.h"

struct frame_drain_sink {
	const char *who; /* "serial", "exec": the trace lines' prefix */
	void (*console)(void *arg, const char *line);
	void (*trace)(void *arg, const char *msg);
	void *arg;
};

/* Feeds in[*off..len) to dec, advancing *off. Returns SMP_IO_OK with the
 * packet in buf (*pkt_len its size), SMP_IO_TOOBIG, or SMP_IO_TIMEOUT when
 * the input ran dry first. */
int frame_drain(struct smp_serial_decoder *dec, const uint8_t *in, size_t *off, size_t len,
		uint8_t *buf, size_t cap, size_t *pkt_len, const struct frame_drain_sink *sink);

#endif
