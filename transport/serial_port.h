/* The byte pipe under the serial transport: a local tty (raw, 8N1, the
 * chosen baud and flow control, exclusive, put back as it was on close)
 * or a TCP connection to a serial server in raw mode (ser2net). */
#ifndef TRANSPORT_SERIAL_PORT_H
#define TRANSPORT_SERIAL_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <termios.h>

#define SERIAL_DEFAULT_BAUD 115200

struct serial_port {
	int fd;
	bool is_tty;
	bool saved_valid;
	struct termios saved; /* settings to put back on close */
	char name[256];	      /* the path or tcp:HOST:PORT, for messages */
};

/* Opens path (a tty, or "tcp:HOST:PORT"). On failure returns -1 with a
 * one-line message that says what to do. */
int serial_port_open(struct serial_port *p, const char *path, unsigned baud, bool rtscts, char *err,
		     size_t errlen);
/* Restores the tty's settings and closes it. Safe to call twice. */
void serial_port_close(struct serial_port *p);
/* Puts the tty's settings back and nothing else: safe in a signal
 * handler, for an interrupted smpctl. */
void serial_port_restore(const struct serial_port *p);
/* True when the link is gone (USB device unplugged, connection closed). */
bool serial_port_hung_up(const struct serial_port *p);
/* True if baud is a rate the tty layer can set. */
bool serial_baud_supported(unsigned baud);
/* Splits "tcp:HOST:PORT" (HOST may be [IPV6]); -1 if malformed. */
int serial_split_tcp(const char *path, char *host, size_t hostlen, char *port, size_t portlen);

#endif
