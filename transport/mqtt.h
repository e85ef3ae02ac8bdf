/* SMP through an MQTT broker: one SMP packet is one MQTT message, QoS 1.
 * Requests are published to the request topic, answers arrive on the
 * response topic (by default PREFIX/DEVICE/smp/req and .../smp/rsp; see
 * transport/MQTT_DEVICE.md for the device side). Over MQTT v5 each
 * request carries Correlation Data (8 random bytes for this client, then
 * a u16 big-endian counter) and a Response Topic; an answer that carries
 * Correlation Data not ours is another client's and is dropped. An answer
 * without any (a v3.1.1 device or broker) is matched by the engine with
 * the SMP sequence number, as on every transport.
 *
 * A transport context is one device; the broker connection under it
 * (mqtt_conn.h) can carry many: mqtt_transport_open() makes both, and
 * mqtt_transport_attach() adds a device to a connection already open. */
#ifndef TRANSPORT_MQTT_H
#define TRANSPORT_MQTT_H

#include <stdbool.h>
#include <stddef.h>

#include "smp/transport.h"
#include "transport/mqtt_conn.h"

/* Zephyr's CONFIG_MCUMGR_TRANSPORT_NETBUF_SIZE default: what a device
 * takes until `params` says more. */
#define MQTT_DEFAULT_MTU 384
#define MQTT_CORR_LEN 10

struct mqtt_dev_opts {
	const char *prefix, *device;
	const char *topics; /* "REQ,RSP" templates; NULL: the defaults */
	size_t mtu;	    /* the user's limit; 0: the device's */
	int timeout_ms;	    /* for the SUBACK */
	void (*trace)(void *arg, const char *msg);
	void *arg;
};

struct mqtt_transport_opts {
	const char *url; /* mqtt[s]://[USER[:PASS]@]HOST[:PORT]/PREFIX/DEVICE */
	const char *topics;
	const char *client_id;
	const char *cafile, *cert, *key;
	size_t mtu;
	int timeout_ms; /* connecting and subscribing */
	void (*trace)(void *arg, const char *msg);
	void *arg;
};

/* Connects to the broker the URL names and subscribes to the device's
 * answers. Returns 0, or -1 with a one-line reason in err. */
int mqtt_transport_open(struct smp_link *t, const struct mqtt_transport_opts *opts, char *err,
			size_t errlen);
/* One more device on conn, which the caller keeps and closes after every
 * device's transport is closed. */
int mqtt_transport_attach(struct smp_link *t, struct mqtt_conn *conn,
			  const struct mqtt_dev_opts *opts, char *err, size_t errlen);
bool mqtt_transport_is(const struct smp_link *t);

#endif
