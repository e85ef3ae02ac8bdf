/* The one interface every transport implements: move one whole SMP packet
 * (header and payload) each way. Framing, fragmentation and reassembly
 * belong to the transport; commands and sequence numbers do not. */
#ifndef SMP_TRANSPORT_H
#define SMP_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum smp_io {
	SMP_IO_OK = 0,
	SMP_IO_TIMEOUT = -1, /* nothing arrived in time */
	SMP_IO_ERROR = -2,   /* the link failed; see last_error */
	SMP_IO_TOOBIG = -3,  /* packet larger than the transport carries */
};

struct smp_transport_ops {
	const char *name;
	int (*send)(void *ctx, const uint8_t *pkt, size_t len);
	/* Receives one packet into buf; *len is its size. A packet larger than
	 * cap is dropped by the transport and reported as SMP_IO_TOOBIG. */
	int (*recv)(void *ctx, uint8_t *buf, size_t cap, size_t *len, int timeout_ms);
	/* Largest SMP packet (header included) one send can carry. */
	size_t (*mtu)(void *ctx);
	/* Re-establishes the link after the device reset; NULL when the link
	 * survives a reset (UDP). */
	int (*reconnect)(void *ctx, int timeout_ms);
	const char *(*last_error)(void *ctx);
	/* Pauses ms after every burst frames of one packet (burst 0 or 1:
	 * after each), for serial devices that poll their UART and buffer
	 * few frames; NULL for transports without frames. */
	void (*set_frame_gap)(void *ctx, unsigned ms, unsigned burst);
	/* Largest packet that goes in at most frames frames; NULL (or 0)
	 * for transports without frames. Packet sizes between two frame
	 * counts cost the same on the line. */
	size_t (*frame_fit)(void *ctx, unsigned frames);
	/* After a wait that ended with no answer: what the link knows of
	 * the silence (the MQTT topic no answer came on), for the error
	 * message; NULL, or a NULL op, when it knows nothing more. */
	const char *(*timeout_note)(void *ctx);
	/* The device's buffer size (os params buf_size), for a transport
	 * whose packet limit follows it (framing, BLE reassembly, a broker);
	 * NULL where the link alone sets the limit (UDP). */
	void (*device_buffer)(void *ctx, size_t buf_size);
	/* The buffer size to assume of a device that gives no parameters,
	 * for the probe to start from (MCUboot's serial recovery); NULL or
	 * 0: the transport's MTU. */
	size_t (*no_params_buffer)(void *ctx);
	/* Undoes at once what the link changed on the host (a tty's
	 * settings, a child process), for a signal handler: async-signal-
	 * safe, and safe from the moment the transport is filled in. NULL
	 * when there is nothing to undo. */
	void (*abort_now)(void *ctx);
	void (*close)(void *ctx);
};

struct smp_link {
	const struct smp_transport_ops *ops;
	void *ctx;
};

#endif
