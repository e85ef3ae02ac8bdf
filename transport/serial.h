/* SMP over a serial line: a local tty (USB-UART, USB CDC ACM) or a serial
 * server reached as tcp:HOST:PORT (ser2net in raw mode), with Zephyr's
 * console framing (smp/serial_frame.h) or, with raw set, Zephyr's
 * raw UART transport (bare packets). Console and shell output on the same
 * line is skipped without losing sync and handed to opts->console. */
#ifndef TRANSPORT_SERIAL_H
#define TRANSPORT_SERIAL_H

#include <stdbool.h>
#include <stddef.h>

#include "smp/transport.h"
#include "smp/serial_frame.h"

/* Zephyr's CONFIG_MCUMGR_TRANSPORT_NETBUF_SIZE default is 384 and the
 * device's buffer holds the length field and CRC too: 380 is the largest
 * packet a default device takes until `params` says more. */
#define SERIAL_DEFAULT_BUF_SIZE 384
#define SERIAL_DEFAULT_MTU (SERIAL_DEFAULT_BUF_SIZE - 4)
/* MCUboot serial recovery's MCUBOOT_SERIAL_MAX_RECEIVE_SIZE default: what
 * a device without params is first tried with. */
#define SERIAL_RECOVERY_BUF_SIZE 1024
/* A partial raw packet older than this is noise (Zephyr's raw UART input
 * timeout plays the same role on the device). */
#define SERIAL_RAW_STALE_MS 1000

struct serial_opts {
	const char *path; /* tty path, or tcp:HOST:PORT */
	unsigned baud;	  /* 0: 115200 */
	bool rtscts;	  /* hardware flow control */
	bool raw;	  /* raw UART transport: no base64, no lines */
	size_t mtu;	  /* largest packet, header included; 0: SERIAL_DEFAULT_MTU */
	size_t frame_max; /* bytes per line; 0: SMP_SERIAL_FRAME_MAX (127) */
	/* A console or shell line that is not SMP, cleaned of escape codes
	 * (shown with -v). May be NULL. */
	void (*console)(void *arg, const char *line);
	/* A frame or packet that was dropped, and why (-v). May be NULL. */
	void (*trace)(void *arg, const char *msg);
	void *arg;
};

/* Opens the port and fills t. Returns 0, or -1 with a one-line message in
 * err that says what to do (missing port, port in use, permission). */
int serial_transport_open(struct smp_link *t, const struct serial_opts *opts, char *err,
			  size_t errlen);

/* True if t is a serial transport (the functions below need one). */
bool serial_transport_is(const struct smp_link *t);
/* The packet limit for a device buffer of buf_size bytes (params
 * buf_size): framed packets share it with the length field and CRC. */
size_t serial_mtu_for_buf_size(size_t buf_size, bool raw);
/* Frames seen, packets, console lines skipped and drops by reason. */
void serial_transport_stats(const struct smp_link *t, struct smp_serial_frame_stats *out);

#endif
