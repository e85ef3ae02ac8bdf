/* The factory line through one MQTT broker connection: every mqtt:// board
 * of `upgrade --each` gets, instead of a broker connection of its own, a
 * relay transport (transport/relay.h) over a socket pair to the parent.
 * The parent holds the one connection (transport/mqtt_conn.h) with one
 * mqtt transport a board on it (mqtt_transport_attach: the board's topics
 * and correlation data), and moves each packet between the two. The
 * children stay what they are for every other board: isolated processes
 * running the ordinary upgrade.
 *
 * The connection and every subscription are made before the first fork,
 * so a bad URL or broker is one error before any board is touched, and
 * no child is forked while it would matter which thread holds what: the
 * children never call libmosquitto. */
#include "cli/fleet/fleet.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "transport/mqtt.h"
#include "transport/mqtt_url.h"

/* QoS-1 messages in flight each way on the shared connection. With one
 * connection for N boards, libmosquitto's default of 20 would let fewer
 * than one packet a board be on its way at a time. */
#define FLEET_MQTT_INFLIGHT 1000
/* Connecting and subscribing: as cli/connect.c, at least 5 s. */
#define FLEET_MQTT_CONNECT_MS 5000
/* Largest relayed packet: the SMP limit of a 16-bit length. */
#define RELAY_PACKET_MAX 65535
#define SMP_BUF_MAX 65543

const char *fleet_mqtt_url(const char *conn)
{
	if (!strncmp(conn, "mqtt:", 5) &&
	    (!strncmp(conn + 5, "mqtt://", 7) || !strncmp(conn + 5, "mqtts://", 8)))
		return conn + 5;
	if (!strncmp(conn, "mqtt://", 7) || !strncmp(conn, "mqtts://", 8))
		return conn;
	return NULL;
}

static void mqtt_trace(void *arg, const char *msg)
{
	cli_verbose(arg, 1, "%s", msg);
}

/* Every MQTT board must name the same broker, as the same client. */
static int same_broker(struct fleet *fl, const struct mqtt_url *a, const struct mqtt_url *b,
		       const char *conn)
{
	if (a->tls == b->tls && a->port == b->port && !strcmp(a->host, b->host) &&
	    a->has_user == b->has_user && !strcmp(a->user, b->user) && a->has_pass == b->has_pass &&
	    !strcmp(a->pass, b->pass))
		return EXIT_OK;
	return cli_fail(fl->ctx, EXIT_USAGE,
			"upgrade --each: '%s' names another broker than the "
			"first mqtt board; one line goes through one broker",
			conn);
}

static int open_conn(struct fleet *fl, const struct mqtt_url *u)
{
	const struct cli_opts *o = &fl->ctx->opts;
	struct mqtt_conn_opts co = {
		.host = u->host,
		.port = u->port,
		.tls = u->tls,
		.cafile = o->cafile,
		.cert = o->cert,
		.key = o->key,
		.user = u->has_user ? u->user : NULL,
		.pass = u->has_pass ? u->pass : NULL,
		.client_id = o->mqtt_client_id,
		.inflight_max = FLEET_MQTT_INFLIGHT,
		.connect_timeout_ms = o->timeout_ms > FLEET_MQTT_CONNECT_MS ? o->timeout_ms
									    : FLEET_MQTT_CONNECT_MS,
		.trace = mqtt_trace,
		.arg = fl->ctx,
	};
	char err[512] = "";

	if (!u->tls && (o->cafile || o->cert || o->key))
		return cli_fail(fl->ctx, EXIT_USAGE,
				"--cafile, --cert and --cert-key need an "
				"mqtts:// URL");
	if (!o->cert != !o->key)
		return cli_fail(fl->ctx, EXIT_USAGE, "--cert and --cert-key go together");
	fl->mqtt = mqtt_conn_open(&co, err, sizeof(err));
	if (!fl->mqtt)
		return cli_fail(fl->ctx, EXIT_TRANSPORT, "%s", err);
	cli_verbose(fl->ctx, 1, "mqtt: one connection to %s for the line, %d messages in flight",
		    mqtt_conn_where(fl->mqtt), FLEET_MQTT_INFLIGHT);
	return EXIT_OK;
}

/* The board's topics on the connection, its socket pair, and what its
 * child's transport needs to know. */
static int attach(struct fleet *fl, struct fleet_board *b, const struct mqtt_url *u)
{
	const struct cli_opts *o = &fl->ctx->opts;
	struct mqtt_dev_opts d = {
		.prefix = u->prefix,
		.device = u->device,
		.topics = o->mqtt_topics,
		.timeout_ms = FLEET_MQTT_CONNECT_MS,
		.trace = mqtt_trace,
		.arg = fl->ctx,
	};
	char err[512] = "", req[MQTT_FIELD_MAX], rsp[MQTT_FIELD_MAX];
	char req_t[MQTT_FIELD_MAX * 2], rsp_t[MQTT_FIELD_MAX * 2];
	size_t max;
	int sv[2];

	if (mqtt_topics_split(o->mqtt_topics, req, rsp, sizeof(req), err, sizeof(err)) != 0 ||
	    mqtt_topic_expand(req, u->prefix, u->device, req_t, sizeof(req_t), err, sizeof(err)) ||
	    mqtt_topic_expand(rsp, u->prefix, u->device, rsp_t, sizeof(rsp_t), err, sizeof(err)) ||
	    mqtt_transport_attach(&b->mqtt, fl->mqtt, &d, err, sizeof(err)) != 0)
		return cli_fail(fl->ctx, EXIT_USAGE, "%s: %s", b->conn, err);
	/* The parent's side takes anything the broker does; the child keeps
	 * to the device's buffer (the relay transport's device_buffer). */
	b->mqtt.ops->device_buffer(b->mqtt.ctx, SMP_BUF_MAX);
	max = b->mqtt.ops->mtu(b->mqtt.ctx);
	snprintf(b->relay_note, sizeof(b->relay_note),
		 "no answer on topic '%s' to requests on '%s'", rsp_t, req_t);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) != 0) {
		b->mqtt.ops->close(b->mqtt.ctx);
		b->mqtt.ops = NULL;
		return cli_fail(fl->ctx, EXIT_LOCAL, "socketpair: %s", strerror(errno));
	}
	b->relay_fd = sv[0];
	b->relay_child_fd = sv[1];
	b->relay = (struct relay_opts){
		.fd = sv[1],
		.link_max = max > RELAY_PACKET_MAX ? RELAY_PACKET_MAX : max,
		.name = "mqtt",
		.silent_note = b->relay_note,
	};
	return EXIT_OK;
}

int fleet_mqtt_open(struct fleet *fl)
{
	struct mqtt_url *first = NULL, *u = malloc(sizeof(*u));
	char err[512] = "";
	int rc = EXIT_OK;
	size_t i;

	if (!u)
		return cli_fail(fl->ctx, EXIT_LOCAL, "out of memory");
	for (i = 0; rc == EXIT_OK && i < fl->n; i++) {
		struct fleet_board *b = &fl->boards[i];
		const char *url = fleet_mqtt_url(b->conn);

		if (!url)
			continue;
		if (mqtt_url_parse(url, true, u, err, sizeof(err)) != 0) {
			rc = cli_fail(fl->ctx, EXIT_USAGE, "%s: %s", b->conn, err);
			break;
		}
		if (!first) {
			first = u;
			u = malloc(sizeof(*u));
			rc = u ? open_conn(fl, first)
			       : cli_fail(fl->ctx, EXIT_LOCAL, "out of memory");
			if (rc != EXIT_OK)
				break;
			memcpy(u, first, sizeof(*u));
		} else {
			rc = same_broker(fl, first, u, b->conn);
		}
		if (rc == EXIT_OK)
			rc = attach(fl, b, u);
	}
	free(first);
	free(u);
	return rc;
}

void fleet_mqtt_child_fds(struct fleet *fl, struct fleet_board *b)
{
	size_t i;

	for (i = 0; i < fl->n; i++) {
		struct fleet_board *o = &fl->boards[i];

		if (o->relay_fd >= 0)
			close(o->relay_fd);
		if (o != b && o->relay_child_fd >= 0)
			close(o->relay_child_fd);
	}
}

void fleet_mqtt_forked(struct fleet_board *b)
{
	if (b->relay_child_fd >= 0)
		close(b->relay_child_fd);
	b->relay_child_fd = -1;
}

size_t fleet_mqtt_pollfds(struct fleet *fl, struct pollfd *pfd)
{
	size_t i, n = 0;

	for (i = 0; i < fl->n; i++)
		if (fl->boards[i].relay_fd >= 0) {
			pfd[n].fd = fl->boards[i].relay_fd;
			pfd[n].events = POLLIN;
			pfd[n].revents = 0;
			n++;
		}
	return n;
}

/* Child to broker: each datagram is one request. A failed publish is
 * left to the child's own retries and timeout, as a lost packet. */
static void relay_up(struct fleet_board *b, uint8_t *buf, size_t cap)
{
	ssize_t n;

	while ((n = recv(b->relay_fd, buf, cap, MSG_DONTWAIT | MSG_TRUNC)) > 0)
		if ((size_t)n <= cap)
			b->mqtt.ops->send(b->mqtt.ctx, buf, (size_t)n);
}

/* Broker to child: what the board's topic has queued. */
static void relay_down(struct fleet_board *b, uint8_t *buf, size_t cap)
{
	size_t len;

	while (b->mqtt.ops->recv(b->mqtt.ctx, buf, cap, &len, 0) == SMP_IO_OK)
		if (send(b->relay_fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 && errno != EAGAIN)
			break;
}

void fleet_mqtt_pump(struct fleet *fl)
{
	uint8_t *buf;
	size_t i;

	if (!fl->mqtt || !(buf = malloc(SMP_BUF_MAX)))
		return;
	for (i = 0; i < fl->n; i++) {
		struct fleet_board *b = &fl->boards[i];

		if (b->relay_fd < 0)
			continue;
		relay_up(b, buf, SMP_BUF_MAX);
		relay_down(b, buf, SMP_BUF_MAX);
	}
	free(buf);
}

void fleet_mqtt_board_done(struct fleet_board *b)
{
	if (b->relay_fd >= 0)
		close(b->relay_fd);
	b->relay_fd = -1;
	if (b->relay_child_fd >= 0)
		close(b->relay_child_fd);
	b->relay_child_fd = -1;
	if (b->mqtt.ops)
		b->mqtt.ops->close(b->mqtt.ctx);
	b->mqtt.ops = NULL;
}

void fleet_mqtt_close(struct fleet *fl)
{
	size_t i;

	for (i = 0; i < fl->n; i++)
		fleet_mqtt_board_done(&fl->boards[i]);
	if (fl->mqtt)
		mqtt_conn_close(fl->mqtt);
	fl->mqtt = NULL;
}
