/* SMP over UDP: one SMP packet per datagram, IPv4 or IPv6. */
#ifndef TRANSPORT_UDP_H
#define TRANSPORT_UDP_H

#include <stddef.h>

#include "smp/transport.h"

#define UDP_DEFAULT_PORT "1337"
/* Zephyr's CONFIG_MCUMGR_TRANSPORT_UDP_MTU default: the device truncates
 * larger datagrams whatever its SMP buffer size says. */
#define UDP_DEFAULT_MTU 1500

/* target is HOST, HOST:PORT, [IPV6]:PORT or a bare IPv6 address; mtu 0
 * means UDP_DEFAULT_MTU. On failure returns -1 with a one-line reason. */
int udp_transport_open(struct smp_link *t, const char *target, size_t mtu, char *err,
		       size_t errlen);

/* Splits target into host and port (port defaults to 1337). Returns -1 if
 * it is malformed. Exposed for tests. */
int udp_split_target(const char *target, char *host, size_t hostlen, char *port, size_t portlen);

#endif
