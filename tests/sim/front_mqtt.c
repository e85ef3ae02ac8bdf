/* The device as an MQTT client (--mqtt URL --device-id ID): subscribed at
 * QoS 1 to its request topic, each message one SMP request, each answer
 * published at QoS 1 to the request's v5 Response Topic when it has one,
 * else to the device's response topic, with the request's Correlation
 * Data copied back (transport/MQTT_DEVICE.md). --mqtt-v311 makes it a
 * v3.1.1 client that knows neither. A request larger than the device's
 * netbuf (CONFIG_MCUMGR_TRANSPORT_NETBUF_SIZE) is dropped, as Zephyr's
 * smp_rx_req cannot take it; an answer larger than the broker takes is
 * lost, as a device's publish would fail.
 *
 * The broker link (transport/mqtt_conn.c, libmosquitto's thread) queues
 * what arrives and wakes the device's single-threaded loop through a
 * pipe; the device itself runs only on that loop. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/sim/front_mqtt.h"
#include "tests/sim/sim.h"
#include "transport/mqtt_conn.h"
#include "transport/mqtt_url.h"

#define SUBSCRIBE_TIMEOUT_MS 10000
#define INBOX_MAX 64

struct mqtt_front {
	const char *url, *device_id, *topics, *cafile, *cert, *key;
	bool v311;
	struct mqtt_url u;
	char req_topic[MQTT_FIELD_MAX * 2], rsp_topic[MQTT_FIELD_MAX * 2];
	struct mqtt_conn *conn;
	int wake[2];
	/* filled on the network thread under the connection's lock */
	struct sim_outq inbox;
	unsigned inbox_len;
	/* the device loop's own */
	struct sim_outq reqs; /* waiting while the device is busy */
	unsigned reqs_len;
	struct sim_outq out; /* answers waiting for their time */
	struct sim_device *dev;
	unsigned long dropped;
};

/* An item carries where its answer goes in front of the packet. */
struct reply_to {
	uint16_t corr_len, topic_len;
};

#define STR_OPT(fn, field)                               \
	static int fn(void *ctx, const char *arg)        \
	{                                                \
		if (!*arg)                               \
			return -1;                       \
		((struct mqtt_front *)ctx)->field = arg; \
		return 0;                                \
	}
STR_OPT(set_url, url)
STR_OPT(set_device_id, device_id)
STR_OPT(set_topics, topics)
STR_OPT(set_cafile, cafile)
STR_OPT(set_cert, cert)
STR_OPT(set_key, key)

static int set_v311(void *ctx, const char *arg)
{
	((struct mqtt_front *)ctx)->v311 = true;
	return 0;
}

static const struct sim_frontend_opt mqtt_opts[] = {
	{ "mqtt", 1, "URL   serve SMP through a broker: mqtt[s]://[U:P@]HOST[:PORT]/PREFIX",
	  set_url },
	{ "device-id", 1, "ID    the device's name in its topics (needed with --mqtt)",
	  set_device_id },
	{ "mqtt-topics", 1, "R,A   request and answer topic templates", set_topics },
	{ "mqtt-cafile", 1, "FILE  CA the broker's certificate is checked against", set_cafile },
	{ "mqtt-cert", 1, "FILE  the device's client certificate", set_cert },
	{ "mqtt-key", 1, "FILE  its private key", set_key },
	{ "mqtt-v311", 0, "      an MQTT v3.1.1 client (no correlation data)", set_v311 },
	{ NULL, 0, NULL, NULL },
};

static void *mqtt_create(void)
{
	struct mqtt_front *f = calloc(1, sizeof(*f));

	if (f)
		f->wake[0] = f->wake[1] = -1;
	return f;
}

static void log_line(void *arg, const char *msg)
{
	fprintf(stderr, "smp-simdev: %s\n", msg);
}

/* Network thread, connection lock held: queue it, wake the device. */
static void on_request(void *arg, const struct mqtt_msg *m)
{
	struct mqtt_front *f = arg;
	struct reply_to rt = { 0, 0 };
	size_t tlen = m->response_topic ? strlen(m->response_topic) : 0;
	uint8_t *item;
	size_t n;

	if (f->inbox_len >= INBOX_MAX || tlen > UINT16_MAX || m->corr_len > UINT16_MAX)
		return;
	rt.corr_len = (uint16_t)m->corr_len;
	rt.topic_len = (uint16_t)tlen;
	n = sizeof(rt) + m->corr_len + tlen + m->len;
	item = malloc(n ? n : 1);
	if (!item)
		return;
	memcpy(item, &rt, sizeof(rt));
	if (m->corr_len)
		memcpy(item + sizeof(rt), m->corr, m->corr_len);
	if (tlen)
		memcpy(item + sizeof(rt) + m->corr_len, m->response_topic, tlen);
	memcpy(item + sizeof(rt) + m->corr_len + tlen, m->payload, m->len);
	if (sim_outq_push(&f->inbox, 0, item, n) == 0)
		f->inbox_len++;
	free(item);
	if (write(f->wake[1], "", 1) < 0) {
		/* The pipe is full: the device is awake already. */
	}
}

static int mqtt_start(void *ctx, struct sim_device *dev, char *err, size_t errlen)
{
	struct mqtt_front *f = ctx;
	struct mqtt_conn_opts co = { 0 };
	char req[MQTT_FIELD_MAX], rsp[MQTT_FIELD_MAX];

	if (!f->url)
		return 1;
	f->dev = dev;
	if (!f->device_id) {
		snprintf(err, errlen, "--mqtt needs --device-id ID");
		return -1;
	}
	if (mqtt_url_parse(f->url, false, &f->u, err, errlen) != 0 ||
	    mqtt_topics_split(f->topics, req, rsp, sizeof(req), err, errlen) != 0 ||
	    mqtt_topic_expand(req, f->u.prefix, f->device_id, f->req_topic, sizeof(f->req_topic),
			      err, errlen) != 0 ||
	    mqtt_topic_expand(rsp, f->u.prefix, f->device_id, f->rsp_topic, sizeof(f->rsp_topic),
			      err, errlen) != 0)
		return -1;
	if (pipe2(f->wake, O_CLOEXEC | O_NONBLOCK) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	co.host = f->u.host;
	co.port = f->u.port;
	co.tls = f->u.tls;
	co.cafile = f->cafile;
	co.cert = f->cert;
	co.key = f->key;
	co.user = f->u.has_user ? f->u.user : NULL;
	co.pass = f->u.has_pass ? f->u.pass : NULL;
	co.v311_only = f->v311;
	co.connect_timeout_ms = SUBSCRIBE_TIMEOUT_MS;
	co.trace = log_line;
	f->conn = mqtt_conn_open(&co, err, errlen);
	if (!f->conn)
		return -1;
	/* Subscribed before "ready": no request can be missed. */
	if (mqtt_conn_subscribe(f->conn, f->req_topic, on_request, f, SUBSCRIBE_TIMEOUT_MS, err,
				errlen) != 0)
		return -1;
	return 0;
}

static void mqtt_describe(void *ctx, char *buf, size_t len)
{
	snprintf(buf, len, "mqtt %s", ((struct mqtt_front *)ctx)->req_topic);
}

static int mqtt_fd(void *ctx)
{
	return ((struct mqtt_front *)ctx)->wake[0];
}

struct emit_ctx {
	struct mqtt_front *f;
	const uint8_t *reply; /* struct reply_to, corr, topic */
	size_t reply_len;
};

static void emit_answer(void *ctx, const uint8_t *pkt, size_t len)
{
	struct emit_ctx *e = ctx;
	int64_t due = sim_now_ms(e->f->dev);
	uint8_t *item = malloc(e->reply_len + len);

	if (!item)
		return;
	if (sim_device_busy_until(e->f->dev) > due)
		due = sim_device_busy_until(e->f->dev);
	memcpy(item, e->reply, e->reply_len);
	memcpy(item + e->reply_len, pkt, len);
	sim_outq_push(&e->f->out, due, item, e->reply_len + len);
	free(item);
}

static size_t reply_len(const uint8_t *item)
{
	struct reply_to rt;

	memcpy(&rt, item, sizeof(rt));
	return sizeof(rt) + rt.corr_len + rt.topic_len;
}

static void handle(struct mqtt_front *f, const uint8_t *item, size_t n)
{
	struct emit_ctx e = { f, item, reply_len(item) };

	if (n - e.reply_len > sim_device_config(f->dev)->buf_size) {
		f->dropped++;
		return;
	}
	sim_process(f->dev, item + e.reply_len, n - e.reply_len, emit_answer, &e);
}

/* Zephyr holds each waiting request in one of buf_count buffers; the one
 * being handled takes two (request and answer). */
static void request(struct mqtt_front *f, const uint8_t *item, size_t n)
{
	unsigned count = sim_device_config(f->dev)->buf_count;

	if (sim_device_busy_until(f->dev) > sim_now_ms(f->dev) || f->reqs.head) {
		if (count > 2 && f->reqs_len < count - 2 &&
		    sim_outq_push(&f->reqs, 0, item, n) == 0)
			f->reqs_len++;
		return;
	}
	handle(f, item, n);
}

static void mqtt_on_readable(void *ctx, struct sim_device *dev)
{
	struct mqtt_front *f = ctx;
	struct sim_outq_item *it;
	char drain[256];

	while (read(f->wake[0], drain, sizeof(drain)) > 0)
		;
	for (;;) {
		mqtt_conn_lock(f->conn);
		it = sim_outq_pop_due(&f->inbox, INT64_MAX);
		if (it)
			f->inbox_len--;
		mqtt_conn_unlock(f->conn);
		if (!it)
			break;
		request(f, it->data, it->len);
		sim_outq_free_item(it);
	}
}

static void publish(struct mqtt_front *f, const uint8_t *item, size_t n)
{
	struct reply_to rt;
	char topic[UINT16_MAX + 1];
	size_t head = reply_len(item);
	char err[300];
	int rc;

	memcpy(&rt, item, sizeof(rt));
	memcpy(topic, item + sizeof(rt) + rt.corr_len, rt.topic_len);
	topic[rt.topic_len] = 0;
	rc = mqtt_conn_publish(f->conn, rt.topic_len ? topic : f->rsp_topic, item + head, n - head,
			       rt.corr_len ? item + sizeof(rt) : NULL, rt.corr_len, NULL, err,
			       sizeof(err));
	if (rc == MQTT_PUB_TOOBIG)
		fprintf(stderr, "smp-simdev: a %zu-byte answer is larger than the broker takes\n",
			n - head);
	else if (rc != MQTT_PUB_OK)
		fprintf(stderr, "smp-simdev: %s\n", err);
}

static void mqtt_on_tick(void *ctx, struct sim_device *dev)
{
	struct mqtt_front *f = ctx;
	struct sim_outq_item *it;

	while (f->reqs.head && sim_device_busy_until(dev) <= sim_now_ms(dev)) {
		it = sim_outq_pop_due(&f->reqs, INT64_MAX);
		f->reqs_len--;
		handle(f, it->data, it->len);
		sim_outq_free_item(it);
	}
	while ((it = sim_outq_pop_due(&f->out, sim_now_ms(dev))) != NULL) {
		publish(f, it->data, it->len);
		sim_outq_free_item(it);
	}
}

static int mqtt_next_timeout(void *ctx, struct sim_device *dev)
{
	struct mqtt_front *f = ctx;

	return sim_held_timeout_ms(&f->out, &f->reqs, dev);
}

static void mqtt_close(void *ctx)
{
	struct mqtt_front *f = ctx;

	if (!f)
		return;
	if (f->conn) {
		mqtt_conn_unsubscribe(f->conn, f->req_topic);
		mqtt_conn_close(f->conn);
	}
	if (f->wake[0] >= 0) {
		close(f->wake[0]);
		close(f->wake[1]);
	}
	sim_outq_clear(&f->inbox);
	sim_outq_clear(&f->reqs);
	sim_outq_clear(&f->out);
	free(f);
}

static const struct sim_frontend_ops mqtt_ops = {
	.name = "mqtt",
	.fd = mqtt_fd,
	.on_readable = mqtt_on_readable,
	.next_timeout_ms = mqtt_next_timeout,
	.on_tick = mqtt_on_tick,
	.close = mqtt_close,
};

const struct sim_frontend_def sim_front_mqtt = {
	.name = "mqtt",
	.opts = mqtt_opts,
	.create = mqtt_create,
	.start = mqtt_start,
	.describe = mqtt_describe,
	.ops = &mqtt_ops,
};
