/* One connection to an MQTT broker (libmosquitto, its network thread),
 * shared by any number of per-device transport contexts (mqtt.h), each
 * subscribed to its own answer topic: the connection dispatches every
 * message by exact topic to the subscriber that asked for it. It also
 * outlives the broker going away: libmosquitto reconnects, and every
 * subscription is made again on each new session.
 *
 * Locking: message callbacks run on the network thread with the
 * connection's lock held. A subscriber takes the same lock (mqtt_conn_lock)
 * to read what its callback queued, and mqtt_conn_wait() to sleep until
 * something changes (a message, the link going down or up). */
#ifndef TRANSPORT_MQTT_CONN_H
#define TRANSPORT_MQTT_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mqtt_conn;

struct mqtt_conn_opts {
	const char *host;
	int port;
	bool tls;
	const char *cafile;	 /* NULL with tls: the system's CAs */
	const char *cert, *key;	 /* client certificate (AWS IoT Core), or NULL */
	const char *user, *pass; /* NULL when not given */
	const char *client_id;	 /* NULL: smpctl-PID-RANDOM */
	bool v311_only;		 /* do not try MQTT v5 first */
	/* QoS-1 messages in flight each way (MQTT v5 Receive Maximum and
	 * libmosquitto's send limit); 0: libmosquitto's default, 20. */
	unsigned inflight_max;
	int connect_timeout_ms;
	void (*trace)(void *arg, const char *msg);
	void *arg;
};

/* A message on a subscribed topic. corr and response_topic are the MQTT
 * v5 properties, NULL when absent (always, over MQTT v3.1.1). */
struct mqtt_msg {
	const uint8_t *payload;
	size_t len;
	const uint8_t *corr;
	size_t corr_len;
	const char *response_topic;
};
typedef void (*mqtt_msg_fn)(void *arg, const struct mqtt_msg *msg);

/* Connects and waits for the broker's CONNACK, falling back from v5 to
 * v3.1.1 when the broker refuses v5. NULL with a one-line reason in err
 * (TLS, credentials, refused, timeout). */
struct mqtt_conn *mqtt_conn_open(const struct mqtt_conn_opts *opts, char *err, size_t errlen);
/* Disconnects, stops the network thread, frees. Subscribers must be gone. */
void mqtt_conn_close(struct mqtt_conn *c);

/* Subscribes at QoS 1 and waits for the SUBACK. fn runs for every message
 * on exactly this topic. Returns 0, or -1 with a reason. */
int mqtt_conn_subscribe(struct mqtt_conn *c, const char *topic, mqtt_msg_fn fn, void *arg,
			int timeout_ms, char *err, size_t errlen);
/* Stops dispatching to fn; after it returns fn is not running. */
void mqtt_conn_unsubscribe(struct mqtt_conn *c, const char *topic);

enum mqtt_pub {
	MQTT_PUB_OK = 0,      /* sent, or queued while the link is down */
	MQTT_PUB_TOOBIG = -1, /* larger than the broker takes */
	MQTT_PUB_ERROR = -2,  /* err says why */
};
/* Publishes at QoS 1; corr and response_topic are sent over v5 only. */
int mqtt_conn_publish(struct mqtt_conn *c, const char *topic, const void *payload, size_t len,
		      const void *corr, size_t corr_len, const char *response_topic, char *err,
		      size_t errlen);
/* Largest payload one PUBLISH to a topic of topic_len bytes can carry,
 * with props_len bytes of v5 properties: the broker's Maximum Packet
 * Size (CONNACK) less the headers; SIZE_MAX when the broker sets none. */
size_t mqtt_conn_payload_max(struct mqtt_conn *c, size_t topic_len, size_t props_len);
bool mqtt_conn_is_v5(struct mqtt_conn *c);

void mqtt_conn_lock(struct mqtt_conn *c);
void mqtt_conn_unlock(struct mqtt_conn *c);
/* With the lock held: sleeps until something changes or deadline_ms
 * (monotonic) passes. Returns false on timeout. */
bool mqtt_conn_wait(struct mqtt_conn *c, int64_t deadline_ms);
/* With the lock held: NULL while connected, else why the link is down. */
const char *mqtt_conn_down_reason(struct mqtt_conn *c);
/* "HOST:PORT", for messages. */
const char *mqtt_conn_where(const struct mqtt_conn *c);

int64_t mqtt_now_ms(void);

#endif
