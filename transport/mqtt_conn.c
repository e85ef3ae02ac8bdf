#include "transport/mqtt_conn.h"

#include <errno.h>
#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "smp/say.h"

#define KEEPALIVE_S 30
/* libmosquitto's reconnect: every second or two while the broker is gone. */
#define RECONNECT_MIN_S 1
#define RECONNECT_MAX_S 2
#define TLS_CHECK_MS 100

enum conn_state {
	CONN_CONNECTING,
	CONN_UP,
	CONN_DOWN,
	CONN_FAILED,
	CONN_CLOSING
};

struct mqtt_sub {
	char *topic;
	mqtt_msg_fn fn;
	void *arg;
	int mid;
	bool acked, refused;
	struct mqtt_sub *next;
};

struct mqtt_conn {
	struct mosquitto *mosq;
	struct mqtt_conn_opts opts;
	char where[300];
	pthread_mutex_t lock;
	pthread_cond_t changed;
	/* last_log has a lock of its own: libmosquitto may log from inside a
	 * call made with lock held. Order: lock, then log_lock. */
	pthread_mutex_t log_lock;
	enum conn_state state;
	int protocol;	     /* MQTT_PROTOCOL_V5 or MQTT_PROTOCOL_V311 */
	int connack_rc;	     /* -1: none yet */
	uint32_t broker_max; /* v5 Maximum Packet Size; 0: none */
	unsigned sessions;   /* CONNACKs seen */
	bool thread_running;
	struct mqtt_sub *subs;
	char last_log[256]; /* libmosquitto's last error, often OpenSSL's */
	char reason[400];   /* why the link is down or failed */
};

#define trace(c, ...) smp_sayf((c)->opts.trace, (c)->opts.arg, __VA_ARGS__)

int64_t mqtt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void set_reason(struct mqtt_conn *c, const char *what)
{
	pthread_mutex_lock(&c->log_lock);
	snprintf(c->reason, sizeof(c->reason), "%s%s%s", what, c->last_log[0] ? ": " : "",
		 c->last_log);
	pthread_mutex_unlock(&c->log_lock);
}

static void clear_log(struct mqtt_conn *c)
{
	pthread_mutex_lock(&c->log_lock);
	c->last_log[0] = 0;
	pthread_mutex_unlock(&c->log_lock);
}

static void subscribe_all(struct mqtt_conn *c)
{
	struct mqtt_sub *s;

	for (s = c->subs; s; s = s->next) {
		s->acked = s->refused = false;
		if (mosquitto_subscribe_v5(c->mosq, &s->mid, s->topic, 1, 0, NULL) !=
		    MOSQ_ERR_SUCCESS)
			s->mid = -1;
	}
}

static const char *connack_text(const struct mqtt_conn *c, int rc)
{
	return c->protocol == MQTT_PROTOCOL_V5 ? mosquitto_reason_string(rc)
					       : mosquitto_connack_string(rc);
}

static void on_connect(struct mosquitto *m, void *obj, int rc, int flags,
		       const mosquitto_property *props)
{
	struct mqtt_conn *c = obj;
	uint32_t max = 0;

	pthread_mutex_lock(&c->lock);
	c->connack_rc = rc;
	if (rc == 0) {
		if (props)
			mosquitto_property_read_int32(props, MQTT_PROP_MAXIMUM_PACKET_SIZE, &max,
						      false);
		c->broker_max = max;
		c->state = CONN_UP;
		c->sessions++;
		c->reason[0] = 0;
		clear_log(c);
		subscribe_all(c);
		if (c->sessions > 1)
			trace(c, "mqtt: connected to %s again", c->where);
	} else if (c->state == CONN_CONNECTING) {
		c->state = CONN_FAILED;
		snprintf(c->reason, sizeof(c->reason), "the broker refused the connection: %s",
			 connack_text(c, rc));
	}
	pthread_cond_broadcast(&c->changed);
	pthread_mutex_unlock(&c->lock);
}

static void on_disconnect(struct mosquitto *m, void *obj, int rc, const mosquitto_property *props)
{
	struct mqtt_conn *c = obj;
	struct mqtt_sub *s;

	pthread_mutex_lock(&c->lock);
	if (c->state == CONN_CONNECTING) {
		c->state = CONN_FAILED;
		set_reason(c,
			   c->opts.tls
				   ? "the broker closed the connection during TLS setup or login "
				     "(does it trust the CA of --cert?)"
				   : "the broker closed the connection during login");
	} else if (c->state == CONN_UP) {
		c->state = CONN_DOWN;
		set_reason(c, "lost the connection to the broker");
		trace(c, "mqtt: %s (%s): reconnecting", c->reason, mosquitto_strerror(rc));
	}
	for (s = c->subs; s; s = s->next)
		s->acked = false;
	pthread_cond_broadcast(&c->changed);
	pthread_mutex_unlock(&c->lock);
}

static void on_subscribe(struct mosquitto *m, void *obj, int mid, int count, const int *granted,
			 const mosquitto_property *props)
{
	struct mqtt_conn *c = obj;
	struct mqtt_sub *s;

	pthread_mutex_lock(&c->lock);
	for (s = c->subs; s; s = s->next) {
		if (s->mid != mid)
			continue;
		s->acked = true;
		s->refused = count < 1 || granted[0] >= 0x80;
	}
	pthread_cond_broadcast(&c->changed);
	pthread_mutex_unlock(&c->lock);
}

static void on_message(struct mosquitto *m, void *obj, const struct mosquitto_message *msg,
		       const mosquitto_property *props)
{
	struct mqtt_conn *c = obj;
	struct mqtt_msg out = { .payload = msg->payload, .len = (size_t)msg->payloadlen };
	void *corr = NULL;
	char *rt = NULL;
	uint16_t corr_len = 0;
	struct mqtt_sub *s;

	if (props) {
		mosquitto_property_read_binary(props, MQTT_PROP_CORRELATION_DATA, &corr, &corr_len,
					       false);
		mosquitto_property_read_string(props, MQTT_PROP_RESPONSE_TOPIC, &rt, false);
	}
	out.corr = corr;
	out.corr_len = corr ? corr_len : 0;
	out.response_topic = rt;
	pthread_mutex_lock(&c->lock);
	for (s = c->subs; s; s = s->next)
		if (!strcmp(s->topic, msg->topic))
			s->fn(s->arg, &out);
	pthread_cond_broadcast(&c->changed);
	pthread_mutex_unlock(&c->lock);
	free(corr);
	free(rt);
}

static void on_log(struct mosquitto *m, void *obj, int level, const char *text)
{
	struct mqtt_conn *c = obj;

	if (!(level & (MOSQ_LOG_ERR | MOSQ_LOG_WARNING)))
		return;
	pthread_mutex_lock(&c->log_lock);
	snprintf(c->last_log, sizeof(c->last_log), "%s", text);
	pthread_mutex_unlock(&c->log_lock);
}

static void make_client_id(char *buf, size_t len)
{
	uint16_t r = 0;

	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		r = (uint16_t)(mqtt_now_ms() ^ getpid());
	snprintf(buf, len, "smpctl-%d-%04x", (int)getpid(), r);
}

static int configure(struct mqtt_conn *c, char *err, size_t errlen)
{
	const struct mqtt_conn_opts *o = &c->opts;
	int rc = MOSQ_ERR_SUCCESS;

	mosquitto_int_option(c->mosq, MOSQ_OPT_PROTOCOL_VERSION, c->protocol);
	/* One small request, one small answer: Nagle's algorithm against
	 * delayed ACKs would hold each for tens of milliseconds. */
	mosquitto_int_option(c->mosq, MOSQ_OPT_TCP_NODELAY, 1);
	if (o->inflight_max) {
		mosquitto_int_option(c->mosq, MOSQ_OPT_SEND_MAXIMUM, (int)o->inflight_max);
		mosquitto_int_option(c->mosq, MOSQ_OPT_RECEIVE_MAXIMUM, (int)o->inflight_max);
	}
	mosquitto_connect_v5_callback_set(c->mosq, on_connect);
	mosquitto_disconnect_v5_callback_set(c->mosq, on_disconnect);
	mosquitto_subscribe_v5_callback_set(c->mosq, on_subscribe);
	mosquitto_message_v5_callback_set(c->mosq, on_message);
	mosquitto_log_callback_set(c->mosq, on_log);
	mosquitto_reconnect_delay_set(c->mosq, RECONNECT_MIN_S, RECONNECT_MAX_S, false);
	if (o->user)
		rc = mosquitto_username_pw_set(c->mosq, o->user, o->pass);
	if (rc == MOSQ_ERR_SUCCESS && o->tls) {
		/* Without --cafile: the system's CAs, as for any TLS client. */
		rc = mosquitto_tls_set(c->mosq, o->cafile,
				       o->cafile ? NULL : X509_get_default_cert_dir(), o->cert,
				       o->key, NULL);
		if (rc == MOSQ_ERR_SUCCESS && !o->cafile)
			mosquitto_int_option(c->mosq, MOSQ_OPT_TLS_USE_OS_CERTS, 1);
	}
	if (rc != MOSQ_ERR_SUCCESS) {
		set_reason(c, mosquitto_strerror(rc));
		snprintf(err, errlen, "mqtt: %s%s",
			 o->tls ? "TLS setup (--cafile, --cert, --cert-key): " : "", c->reason);
		return -1;
	}
	return 0;
}

/* A failed TLS handshake makes libmosquitto log OpenSSL's reason and try
 * again, without a callback: the log says it first. */
static bool tls_failed(struct mqtt_conn *c)
{
	bool failed;

	pthread_mutex_lock(&c->log_lock);
	failed = !strncmp(c->last_log, "OpenSSL Error", 13);
	pthread_mutex_unlock(&c->log_lock);
	return failed;
}

/* One attempt at one protocol version: 0 when up, 1 when the broker
 * wants another version, -1 with err. */
static int try_connect(struct mqtt_conn *c, char *err, size_t errlen)
{
	int64_t deadline = mqtt_now_ms() + c->opts.connect_timeout_ms;
	int rc;

	c->state = CONN_CONNECTING;
	c->connack_rc = -1;
	c->reason[0] = 0;
	clear_log(c);
	rc = mosquitto_connect_async(c->mosq, c->opts.host, c->opts.port, KEEPALIVE_S);
	if (rc != MOSQ_ERR_SUCCESS) {
		int e = errno;

		if (c->opts.tls && (rc != MOSQ_ERR_ERRNO || e == EPROTO || e == ECONNRESET))
			set_reason(c, "TLS setup failed (check --cafile, --cert and --cert-key)");
		else
			set_reason(c, rc == MOSQ_ERR_ERRNO ? strerror(e) : mosquitto_strerror(rc));
		snprintf(err, errlen, "mqtt: cannot connect to %s: %s", c->where, c->reason);
		return -1;
	}
	if (mosquitto_loop_start(c->mosq) != MOSQ_ERR_SUCCESS) {
		snprintf(err, errlen, "mqtt: cannot start the network thread");
		return -1;
	}
	c->thread_running = true;
	pthread_mutex_lock(&c->lock);
	while (c->state == CONN_CONNECTING && !tls_failed(c)) {
		int64_t slice = mqtt_now_ms() + TLS_CHECK_MS;

		if (!mqtt_conn_wait(c, slice < deadline ? slice : deadline) &&
		    mqtt_now_ms() >= deadline)
			break;
	}
	rc = c->state == CONN_UP ? 0 : -1;
	if (c->state == CONN_CONNECTING)
		set_reason(c, tls_failed(c) ? "TLS setup failed" : "no answer from the broker");
	if (rc && c->protocol == MQTT_PROTOCOL_V5 &&
	    (c->connack_rc == MQTT_RC_UNSUPPORTED_PROTOCOL_VERSION || c->connack_rc == 1))
		rc = 1;
	else if (rc)
		snprintf(err, errlen, "mqtt: %s: %s", c->where, c->reason);
	pthread_mutex_unlock(&c->lock);
	if (rc) {
		mosquitto_disconnect(c->mosq);
		mosquitto_loop_stop(c->mosq, false);
		c->thread_running = false;
	}
	return rc;
}

struct mqtt_conn *mqtt_conn_open(const struct mqtt_conn_opts *opts, char *err, size_t errlen)
{
	struct mqtt_conn *c = calloc(1, sizeof(*c));
	pthread_condattr_t ca;
	char id[64];
	int rc;

	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->opts = *opts;
	snprintf(c->where, sizeof(c->where), strchr(opts->host, ':') ? "[%s]:%d" : "%s:%d",
		 opts->host, opts->port);
	pthread_mutex_init(&c->lock, NULL);
	pthread_mutex_init(&c->log_lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&c->changed, &ca);
	pthread_condattr_destroy(&ca);
	mosquitto_lib_init();
	if (!opts->client_id)
		make_client_id(id, sizeof(id));
	c->protocol = opts->v311_only ? MQTT_PROTOCOL_V311 : MQTT_PROTOCOL_V5;
	for (;;) {
		c->mosq = mosquitto_new(opts->client_id ? opts->client_id : id, true, c);
		if (!c->mosq) {
			snprintf(err, errlen, "mqtt: cannot create a client: %s", strerror(errno));
			goto fail;
		}
		if (configure(c, err, errlen) != 0)
			goto fail;
		rc = try_connect(c, err, errlen);
		if (rc == 0)
			break;
		if (rc < 0)
			goto fail;
		trace(c, "mqtt: %s does not take MQTT v5: using v3.1.1", c->where);
		mosquitto_destroy(c->mosq);
		c->protocol = MQTT_PROTOCOL_V311;
	}
	trace(c, "mqtt: connected to %s with MQTT %s%s", c->where,
	      c->protocol == MQTT_PROTOCOL_V5 ? "v5" : "v3.1.1", c->opts.tls ? " over TLS" : "");
	return c;
fail:
	if (c->mosq)
		mosquitto_destroy(c->mosq);
	pthread_cond_destroy(&c->changed);
	pthread_mutex_destroy(&c->lock);
	pthread_mutex_destroy(&c->log_lock);
	free(c);
	return NULL;
}

void mqtt_conn_close(struct mqtt_conn *c)
{
	struct mqtt_sub *s;

	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	c->state = CONN_CLOSING;
	pthread_mutex_unlock(&c->lock);
	mosquitto_disconnect(c->mosq);
	if (c->thread_running)
		mosquitto_loop_stop(c->mosq, false);
	mosquitto_destroy(c->mosq);
	while ((s = c->subs) != NULL) {
		c->subs = s->next;
		free(s->topic);
		free(s);
	}
	pthread_cond_destroy(&c->changed);
	pthread_mutex_destroy(&c->lock);
	pthread_mutex_destroy(&c->log_lock);
	free(c);
}

int mqtt_conn_subscribe(struct mqtt_conn *c, const char *topic, mqtt_msg_fn fn, void *arg,
			int timeout_ms, char *err, size_t errlen)
{
	int64_t deadline = mqtt_now_ms() + timeout_ms;
	struct mqtt_sub *s = calloc(1, sizeof(*s));
	int rc = 0;

	if (!s || !(s->topic = strdup(topic))) {
		free(s);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->fn = fn;
	s->arg = arg;
	s->mid = -1;
	pthread_mutex_lock(&c->lock);
	s->next = c->subs;
	c->subs = s;
	if (c->state == CONN_UP &&
	    mosquitto_subscribe_v5(c->mosq, &s->mid, topic, 1, 0, NULL) != MOSQ_ERR_SUCCESS)
		s->mid = -1;
	while (!s->acked && mqtt_conn_wait(c, deadline))
		;
	if (!s->acked || s->refused) {
		snprintf(err, errlen, "mqtt: %s: %s subscription to '%.200s'%s%s", c->where,
			 s->refused ? "the broker refused the" : "no answer to the", topic,
			 c->reason[0] ? ": " : "", c->reason);
		rc = -1;
	}
	pthread_mutex_unlock(&c->lock);
	if (rc)
		mqtt_conn_unsubscribe(c, topic);
	return rc;
}

void mqtt_conn_unsubscribe(struct mqtt_conn *c, const char *topic)
{
	struct mqtt_sub **p, *s;

	pthread_mutex_lock(&c->lock);
	for (p = &c->subs; (s = *p) != NULL; p = &s->next) {
		if (strcmp(s->topic, topic))
			continue;
		*p = s->next;
		if (c->state == CONN_UP)
			mosquitto_unsubscribe(c->mosq, NULL, s->topic);
		free(s->topic);
		free(s);
		break;
	}
	pthread_mutex_unlock(&c->lock);
}

int mqtt_conn_publish(struct mqtt_conn *c, const char *topic, const void *payload, size_t len,
		      const void *corr, size_t corr_len, const char *response_topic, char *err,
		      size_t errlen)
{
	mosquitto_property *props = NULL;
	int rc = MOSQ_ERR_SUCCESS;

	if (c->protocol == MQTT_PROTOCOL_V5) {
		if (corr && corr_len)
			rc = mosquitto_property_add_binary(&props, MQTT_PROP_CORRELATION_DATA, corr,
							   (uint16_t)corr_len);
		if (rc == MOSQ_ERR_SUCCESS && response_topic)
			rc = mosquitto_property_add_string(&props, MQTT_PROP_RESPONSE_TOPIC,
							   response_topic);
	}
	if (rc == MOSQ_ERR_SUCCESS)
		rc = mosquitto_publish_v5(c->mosq, NULL, topic, (int)len, payload, 1, false, props);
	mosquitto_property_free_all(&props);
	/* QoS 1 while the broker is away: libmosquitto keeps the message and
	 * sends it on the next session; the engine resends if it is lost. */
	if (rc == MOSQ_ERR_SUCCESS || rc == MOSQ_ERR_NO_CONN)
		return MQTT_PUB_OK;
	if (rc == MOSQ_ERR_OVERSIZE_PACKET || rc == MOSQ_ERR_PAYLOAD_SIZE)
		return MQTT_PUB_TOOBIG;
	snprintf(err, errlen, "mqtt: publish to '%.200s' on %s: %s", topic, c->where,
		 rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc));
	return MQTT_PUB_ERROR;
}

/* Bytes a variable byte integer takes for v. */
static size_t varint_len(size_t v)
{
	return v < 128 ? 1 : v < 16384 ? 2 : v < 2097152 ? 3 : 4;
}

size_t mqtt_conn_payload_max(struct mqtt_conn *c, size_t topic_len, size_t props_len)
{
	size_t max, head;

	pthread_mutex_lock(&c->lock);
	max = c->broker_max;
	pthread_mutex_unlock(&c->lock);
	if (max == 0)
		return SIZE_MAX;
	/* type byte, remaining length, topic, packet id, properties */
	head = 1 + 4 + 2 + topic_len + 2;
	if (c->protocol == MQTT_PROTOCOL_V5)
		head += varint_len(props_len) + props_len;
	return max > head ? max - head : 0;
}

bool mqtt_conn_is_v5(struct mqtt_conn *c)
{
	return c->protocol == MQTT_PROTOCOL_V5;
}

void mqtt_conn_lock(struct mqtt_conn *c)
{
	pthread_mutex_lock(&c->lock);
}

void mqtt_conn_unlock(struct mqtt_conn *c)
{
	pthread_mutex_unlock(&c->lock);
}

bool mqtt_conn_wait(struct mqtt_conn *c, int64_t deadline_ms)
{
	struct timespec ts;

	if (mqtt_now_ms() >= deadline_ms)
		return false;
	ts.tv_sec = (time_t)(deadline_ms / 1000);
	ts.tv_nsec = (long)(deadline_ms % 1000) * 1000000L;
	return pthread_cond_timedwait(&c->changed, &c->lock, &ts) != ETIMEDOUT ||
	       mqtt_now_ms() < deadline_ms;
}

const char *mqtt_conn_down_reason(struct mqtt_conn *c)
{
	if (c->state == CONN_UP)
		return NULL;
	return c->reason[0] ? c->reason : "not connected to the broker";
}

const char *mqtt_conn_where(const struct mqtt_conn *c)
{
	return c->where;
}
