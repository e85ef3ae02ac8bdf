/* SMP through a parent process (upgrade --each over one MQTT broker
 * connection): one end of a SOCK_SEQPACKET socket pair, one datagram one
 * whole SMP packet each way. The kernel keeps the packet boundaries, so
 * there is no prefix to lose sync on. The parent relays each packet to
 * and from the board's topics (cli/fleet/fleet_mqtt.c); this side only knows
 * the limits the parent worked out and the topics, for the error that
 * names the silent one. */
#ifndef TRANSPORT_RELAY_H
#define TRANSPORT_RELAY_H

#include <stdbool.h>
#include <stddef.h>

#include "smp/transport.h"

struct relay_opts {
	int fd;			 /* the socket; closed with the transport */
	size_t user_mtu;	 /* --mtu; 0: the device's */
	size_t link_max;	 /* what the broker takes for this board's topic */
	const char *name;	 /* transport name for messages ("mqtt") */
	const char *silent_note; /* said when an answer does not come */
};

int relay_transport_open(struct smp_link *t, const struct relay_opts *opts, char *err,
			 size_t errlen);
bool relay_transport_is(const struct smp_link *t);

#endif
