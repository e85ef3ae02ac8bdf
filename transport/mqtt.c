#include "transport/mqtt.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "smp/say.h"
#include "transport/mqtt_url.h"

#define SMP_PACKET_MAX 65543
#define SMP_HDR_LEN 8
/* Answers queued and not yet read: more is a flood, not a device. */
#define QUEUE_MAX 64

struct queued_pkt {
	struct queued_pkt *next;
	size_t len;
	uint8_t data[];
};

struct mqtt_dev {
	struct mqtt_conn *conn;
	bool owns_conn;
	char req_topic[MQTT_FIELD_MAX * 2], rsp_topic[MQTT_FIELD_MAX * 2];
	uint8_t corr[MQTT_CORR_LEN]; /* session bytes, then the counter */
	uint16_t counter;
	size_t user_mtu, device_mtu;
	/* under the connection's lock */
	struct queued_pkt *head, *tail;
	unsigned queued;
	unsigned long foreign, overflow;
	/* the caller's thread only */
	bool timed_out;
	char note[700];
	char error[512];
	void (*trace)(void *arg, const char *msg);
	void *trace_arg;
};

static const struct smp_transport_ops mqtt_ops;

#define trace(d, ...) smp_sayf((d)->trace, (d)->trace_arg, __VA_ARGS__)

/* Network thread, connection lock held. */
static void on_answer(void *arg, const struct mqtt_msg *msg)
{
	struct mqtt_dev *d = arg;
	struct queued_pkt *q;

	if (msg->corr &&
	    (msg->corr_len != MQTT_CORR_LEN || memcmp(msg->corr, d->corr, MQTT_CORR_LEN - 2))) {
		d->foreign++; /* another client's answer on a shared topic */
		return;
	}
	if (msg->len < SMP_HDR_LEN || msg->len > SMP_PACKET_MAX)
		return;
	if (d->queued >= QUEUE_MAX || !(q = malloc(sizeof(*q) + msg->len))) {
		d->overflow++;
		return;
	}
	q->next = NULL;
	q->len = msg->len;
	memcpy(q->data, msg->payload, msg->len);
	if (d->tail)
		d->tail->next = q;
	else
		d->head = q;
	d->tail = q;
	d->queued++;
}

static size_t props_len(const struct mqtt_dev *d)
{
	/* Correlation Data and Response Topic: id, u16 length, bytes each */
	return 3 + MQTT_CORR_LEN + 3 + strlen(d->rsp_topic);
}

static size_t dev_mtu(void *ctx)
{
	struct mqtt_dev *d = ctx;
	size_t mtu = d->user_mtu ? d->user_mtu : d->device_mtu;
	size_t broker = mqtt_conn_payload_max(d->conn, strlen(d->req_topic), props_len(d));

	if (mtu > broker)
		mtu = broker;
	return mtu > SMP_PACKET_MAX ? SMP_PACKET_MAX : mtu;
}

static int dev_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct mqtt_dev *d = ctx;
	int rc;

	if (len == 0 || len > dev_mtu(d))
		return SMP_IO_TOOBIG;
	d->counter++;
	d->corr[MQTT_CORR_LEN - 2] = (uint8_t)(d->counter >> 8);
	d->corr[MQTT_CORR_LEN - 1] = (uint8_t)d->counter;
	rc = mqtt_conn_publish(d->conn, d->req_topic, pkt, len, d->corr, MQTT_CORR_LEN,
			       d->rsp_topic, d->error, sizeof(d->error));
	if (rc == MQTT_PUB_TOOBIG)
		return SMP_IO_TOOBIG;
	return rc == MQTT_PUB_OK ? SMP_IO_OK : SMP_IO_ERROR;
}

static int dev_recv(void *ctx, uint8_t *buf, size_t cap, size_t *len, int timeout_ms)
{
	struct mqtt_dev *d = ctx;
	int64_t deadline = mqtt_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	struct queued_pkt *q;
	const char *down;

	mqtt_conn_lock(d->conn);
	while (!d->head && mqtt_conn_wait(d->conn, deadline))
		;
	q = d->head;
	if (!q) {
		down = mqtt_conn_down_reason(d->conn);
		snprintf(d->note, sizeof(d->note),
			 "no answer on topic '%s' to requests on '%s'%s%s", d->rsp_topic,
			 d->req_topic, down ? "; " : "", down ? down : "");
		mqtt_conn_unlock(d->conn);
		d->timed_out = true;
		return SMP_IO_TIMEOUT;
	}
	d->head = q->next;
	if (!d->head)
		d->tail = NULL;
	d->queued--;
	mqtt_conn_unlock(d->conn);
	d->timed_out = false;
	if (q->len > cap) {
		free(q);
		return SMP_IO_TOOBIG;
	}
	memcpy(buf, q->data, q->len);
	*len = q->len;
	free(q);
	return SMP_IO_OK;
}

static const char *dev_last_error(void *ctx)
{
	return ((struct mqtt_dev *)ctx)->error;
}

static void dev_free(struct mqtt_dev *d)
{
	struct queued_pkt *q;

	while ((q = d->head) != NULL) {
		d->head = q->next;
		free(q);
	}
	free(d);
}

static void dev_close(void *ctx)
{
	struct mqtt_dev *d = ctx;

	mqtt_conn_unsubscribe(d->conn, d->rsp_topic);
	if (d->foreign)
		trace(d, "mqtt: dropped %lu answers meant for other clients", d->foreign);
	if (d->owns_conn)
		mqtt_conn_close(d->conn);
	dev_free(d);
}

/* The device's buffer raises the packet limit, up to what the broker
 * takes. */
static void dev_device_buffer(void *ctx, size_t buf_size)
{
	if (buf_size > SMP_HDR_LEN)
		((struct mqtt_dev *)ctx)->device_mtu = buf_size;
}

static const char *dev_timeout_note(void *ctx)
{
	const struct mqtt_dev *d = ctx;

	return d->timed_out ? d->note : NULL;
}

static const struct smp_transport_ops mqtt_ops = {
	.name = "mqtt",
	.send = dev_send,
	.recv = dev_recv,
	.mtu = dev_mtu,
	.reconnect = NULL, /* the broker link survives a device reset */
	.last_error = dev_last_error,
	.timeout_note = dev_timeout_note,
	.device_buffer = dev_device_buffer,
	.close = dev_close,
};

static int make_topics(struct mqtt_dev *d, const struct mqtt_dev_opts *o, char *err, size_t errlen)
{
	char req[MQTT_FIELD_MAX], rsp[MQTT_FIELD_MAX];

	if (mqtt_topics_split(o->topics, req, rsp, sizeof(req), err, errlen) != 0 ||
	    mqtt_topic_expand(req, o->prefix, o->device, d->req_topic, sizeof(d->req_topic), err,
			      errlen) != 0 ||
	    mqtt_topic_expand(rsp, o->prefix, o->device, d->rsp_topic, sizeof(d->rsp_topic), err,
			      errlen) != 0)
		return -1;
	if (!strcmp(d->req_topic, d->rsp_topic)) {
		snprintf(err, errlen, "mqtt: requests and answers would share topic '%s'",
			 d->req_topic);
		return -1;
	}
	return 0;
}

int mqtt_transport_attach(struct smp_link *t, struct mqtt_conn *conn, const struct mqtt_dev_opts *o,
			  char *err, size_t errlen)
{
	struct mqtt_dev *d = calloc(1, sizeof(*d));

	if (!d) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	d->conn = conn;
	d->user_mtu = o->mtu;
	d->device_mtu = MQTT_DEFAULT_MTU;
	d->trace = o->trace;
	d->trace_arg = o->arg;
	if (getrandom(d->corr, MQTT_CORR_LEN - 2, 0) != MQTT_CORR_LEN - 2) {
		int64_t now = mqtt_now_ms();

		memcpy(d->corr, &now, MQTT_CORR_LEN - 2);
	}
	if (make_topics(d, o, err, errlen) != 0 ||
	    mqtt_conn_subscribe(conn, d->rsp_topic, on_answer, d, o->timeout_ms, err, errlen) !=
		    0) {
		dev_free(d);
		return -1;
	}
	trace(d, "mqtt: requests to '%s', answers on '%s'%s", d->req_topic, d->rsp_topic,
	      mqtt_conn_is_v5(conn) ? "" : " (v3.1.1: matched by sequence number)");
	t->ops = &mqtt_ops;
	t->ctx = d;
	return 0;
}

static int check_tls_opts(const struct mqtt_transport_opts *o, const struct mqtt_url *u, char *err,
			  size_t errlen)
{
	if (!u->tls && (o->cafile || o->cert || o->key)) {
		snprintf(err, errlen, "--cafile, --cert and --cert-key need an mqtts:// URL");
		return -1;
	}
	if (!o->cert != !o->key) {
		snprintf(err, errlen, "--cert and --cert-key go together");
		return -1;
	}
	return 0;
}

int mqtt_transport_open(struct smp_link *t, const struct mqtt_transport_opts *o, char *err,
			size_t errlen)
{
	struct mqtt_conn_opts co = { 0 };
	struct mqtt_dev_opts dopts = { 0 };
	struct mqtt_conn *conn;
	struct mqtt_url *u = calloc(1, sizeof(*u));
	int rc = -1;

	if (!u) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (mqtt_url_parse(o->url, true, u, err, errlen) != 0 ||
	    check_tls_opts(o, u, err, errlen) != 0)
		goto out;
	co.host = u->host;
	co.port = u->port;
	co.tls = u->tls;
	co.cafile = o->cafile;
	co.cert = o->cert;
	co.key = o->key;
	co.user = u->has_user ? u->user : NULL;
	co.pass = u->has_pass ? u->pass : NULL;
	co.client_id = o->client_id;
	co.connect_timeout_ms = o->timeout_ms;
	co.trace = o->trace;
	co.arg = o->arg;
	conn = mqtt_conn_open(&co, err, errlen);
	if (!conn)
		goto out;
	dopts.prefix = u->prefix;
	dopts.device = u->device;
	dopts.topics = o->topics;
	dopts.mtu = o->mtu;
	dopts.timeout_ms = o->timeout_ms;
	dopts.trace = o->trace;
	dopts.arg = o->arg;
	if (mqtt_transport_attach(t, conn, &dopts, err, errlen) != 0) {
		mqtt_conn_close(conn);
		goto out;
	}
	((struct mqtt_dev *)t->ctx)->owns_conn = true;
	rc = 0;
out:
	free(u);
	return rc;
}

bool mqtt_transport_is(const struct smp_link *t)
{
	return t && t->ops == &mqtt_ops;
}
