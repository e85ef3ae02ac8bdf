/* SMP over a command's stdin and stdout (--exec, --exec-raw): smpctl
 * starts CMD with /bin/sh -c in its own process group and speaks to it as
 * to a serial line, for a bridge on a gateway (ssh + socat, a vendor's
 * program). Framed mode is Zephyr's console framing (smp/serial_frame.h);
 * raw mode carries each packet whole behind a length prefix:
 *
 *   u16 big-endian N | N bytes: one SMP packet (8-byte header + CBOR)
 *
 * both ways, nothing else on the stream (no CRC: the pipe is reliable). A
 * prefix below 8 or above PIPE_RAW_MAX cannot be resynchronised and ends
 * the link. The command's stderr goes line by line to opts->stderr_line
 * and its last line into the error that reports its death. */
#ifndef TRANSPORT_PIPE_H
#define TRANSPORT_PIPE_H

#include <stdbool.h>
#include <stddef.h>

#include "smp/transport.h"

#define PIPE_RAW_MAX 65535 /* the prefix is 16 bits */
#define PIPE_STDERR_LINE_MAX 256

struct pipe_opts {
	const char *command; /* run by /bin/sh -c */
	bool raw;	     /* length-prefixed packets instead of framing */
	size_t mtu;	     /* largest packet; 0: SERIAL_DEFAULT_MTU (framed) or 384 */
	/* A line the command wrote on stderr, or non-SMP text on its stdout
	 * (shown with -v). May be NULL. */
	void (*stderr_line)(void *arg, const char *line);
	void (*console)(void *arg, const char *line);
	void (*trace)(void *arg, const char *msg);
	void *arg;
};

/* Starts the command and fills t. Returns 0, or -1 with a one-line reason
 * in err. */
int pipe_transport_open(struct smp_link *t, const struct pipe_opts *opts, char *err, size_t errlen);
bool pipe_transport_is(const struct smp_link *t);

/* Raw mode's codec, exposed for tests: writes the prefix of a packet of
 * len bytes into out[2]; -1 if len cannot be carried. */
int pipe_raw_prefix(size_t len, unsigned char out[2]);

#endif
