/* UDP frontend: one SMP packet per datagram on loopback, as Zephyr's
 * smp_udp.c (datagrams longer than the MTU are cut to it), plus fault
 * injection for tests. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/sim/front_udp.h"
#include "tests/sim/frontend.h"
#include "tests/sim/sim.h"
#include "tests/sim/sim_wq.h"

#define UDP_MAX_DGRAM 65536
#define REORDER_HOLD_MS 20

struct udp_front {
	bool enabled, ipv6, reorder;
	unsigned long port, drop_every, dup_every, delay_ms, mtu;
	int fd;
	struct sim_device *dev;
	unsigned long received, answered;
	struct sim_outq out; /* answers waiting for their time */
	uint8_t *buf;
};

/* Queued items carry the peer's address in front of the packet. */
struct udp_peer {
	socklen_t len;
	struct sockaddr_storage addr;
};

/* What the work queue keeps with each request (its net_buf user data). */
struct udp_tag {
	struct udp_peer peer;
	bool twice;
};

static int set_port(void *ctx, const char *arg)
{
	struct udp_front *u = ctx;

	u->enabled = true;
	return sim_parse_uint(arg, 65535, &u->port);
}

static int set_ipv6(void *ctx, const char *arg)
{
	((struct udp_front *)ctx)->ipv6 = true;
	return 0;
}

static int set_reorder(void *ctx, const char *arg)
{
	((struct udp_front *)ctx)->reorder = true;
	return 0;
}

static int set_drop(void *ctx, const char *arg)
{
	return sim_parse_uint(arg, 1000000, &((struct udp_front *)ctx)->drop_every);
}

static int set_dup(void *ctx, const char *arg)
{
	return sim_parse_uint(arg, 1000000, &((struct udp_front *)ctx)->dup_every);
}

static int set_delay(void *ctx, const char *arg)
{
	return sim_parse_uint(arg, 600000, &((struct udp_front *)ctx)->delay_ms);
}

static int set_mtu(void *ctx, const char *arg)
{
	struct udp_front *u = ctx;

	if (sim_parse_uint(arg, UDP_MAX_DGRAM, &u->mtu) != 0 || u->mtu < 1)
		return -1;
	return 0;
}

static const struct sim_frontend_opt udp_opts[] = {
	{ "udp", 1, "PORT  serve SMP over UDP on loopback (0 = any free port)", set_port },
	{ "udp6", 0, "      listen on ::1 instead of 127.0.0.1", set_ipv6 },
	{ "udp-mtu", 1, "N     cut datagrams longer than N bytes (default 1500)", set_mtu },
	{ "drop-every", 1, "N     drop every Nth request datagram", set_drop },
	{ "dup-every", 1, "N     answer every Nth request twice", set_dup },
	{ "delay-ms", 1, "N     delay every answer by N ms", set_delay },
	{ "reorder", 0, "      hold every other answer back so answers overtake", set_reorder },
	{ NULL, 0, NULL, NULL },
};

static void *udp_create(void)
{
	struct udp_front *u = calloc(1, sizeof(*u));

	if (u) {
		u->fd = -1;
		u->mtu = 1500;
	}
	return u;
}

static int udp_start(void *ctx, struct sim_device *dev, char *err, size_t errlen)
{
	struct udp_front *u = ctx;
	struct sockaddr_storage ss;
	socklen_t len;

	if (!u->enabled)
		return 1;
	u->dev = dev;
	memset(&ss, 0, sizeof(ss));
	if (u->ipv6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		a->sin6_port = htons((uint16_t)u->port);
		len = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		a->sin_port = htons((uint16_t)u->port);
		len = sizeof(*a);
	}
	u->buf = malloc(UDP_MAX_DGRAM);
	u->fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (!u->buf || u->fd < 0 || bind(u->fd, (struct sockaddr *)&ss, len) != 0 ||
	    getsockname(u->fd, (struct sockaddr *)&ss, &len) != 0) {
		snprintf(err, errlen, "udp port %lu: %s", u->port, strerror(errno));
		return -1;
	}
	u->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
						 : ((struct sockaddr_in *)&ss)->sin_port);
	return 0;
}

static void udp_describe(void *ctx, char *buf, size_t len)
{
	struct udp_front *u = ctx;

	snprintf(buf, len, u->ipv6 ? "udp [::1]:%lu" : "udp 127.0.0.1:%lu", u->port);
}

static int udp_params(void *ctx, char *buf, size_t len)
{
	return snprintf(buf, len, "udp_mtu=%lu\n", ((struct udp_front *)ctx)->mtu);
}

static int udp_fd(void *ctx)
{
	return ((struct udp_front *)ctx)->fd;
}

static int push_with_peer(struct sim_outq *q, int64_t due, const struct udp_peer *peer,
			  const uint8_t *pkt, size_t len)
{
	uint8_t *tmp = malloc(sizeof(*peer) + len);
	int rc;

	if (!tmp)
		return -1;
	memcpy(tmp, peer, sizeof(*peer));
	memcpy(tmp + sizeof(*peer), pkt, len);
	rc = sim_outq_push(q, due, tmp, sizeof(*peer) + len);
	free(tmp);
	return rc;
}

static void udp_emit(void *ctx, const void *tag, size_t tag_len, const uint8_t *pkt, size_t len)
{
	struct udp_front *u = ctx;
	const struct udp_tag *t = tag;
	int64_t due = sim_now_ms(u->dev) + (int64_t)u->delay_ms;

	if (tag_len != sizeof(*t))
		return;
	if (u->reorder && (u->answered++ % 2) == 0)
		due += REORDER_HOLD_MS;
	for (int i = 0; i < (t->twice ? 2 : 1); i++)
		(void)push_with_peer(&u->out, due, &t->peer, pkt, len);
}

/* smp_udp_receive_thread: it runs at CONFIG_MCUMGR_TRANSPORT_UDP_THREAD_PRIO
 * (default 0), above the SMP work queue (CONFIG_MCUMGR_TRANSPORT_WORKQUEUE_
 * THREAD_PRIO, default 3), so every datagram waiting is read before the
 * queue gets to run. It reads into its own static buffer, so it holds no
 * pool buffer while it waits. Each needs a buffer of the shared pool
 * (smp_packet_alloc); without one it is dropped ("Failed to allocate
 * mcumgr buffer"). A device that is rebooting reads nothing. */
static void udp_on_readable(void *ctx, struct sim_device *dev)
{
	struct udp_front *u = ctx;
	struct udp_tag tag;
	ssize_t n;

	for (;;) {
		memset(&tag, 0, sizeof(tag));
		tag.peer.len = sizeof(tag.peer.addr);
		n = recvfrom(u->fd, u->buf, u->mtu, 0, (struct sockaddr *)&tag.peer.addr,
			     &tag.peer.len);
		if (n < 0)
			break;
		u->received++;
		if (u->drop_every && u->received % u->drop_every == 0)
			continue;
		if (sim_device_offline(dev))
			continue;
		tag.twice = u->dup_every && u->received % u->dup_every == 0;
		(void)sim_wq_receive(dev, u->buf, (size_t)n, &tag, sizeof(tag), udp_emit, u);
	}
	sim_wq_run(dev);
}

static void udp_on_tick(void *ctx, struct sim_device *dev)
{
	struct udp_front *u = ctx;
	struct sim_outq_item *it;
	struct udp_peer peer;

	sim_wq_run(dev);
	while ((it = sim_outq_pop_due(&u->out, sim_now_ms(dev))) != NULL) {
		memcpy(&peer, it->data, sizeof(peer));
		(void)sendto(u->fd, it->data + sizeof(peer), it->len - sizeof(peer), 0,
			     (struct sockaddr *)&peer.addr, peer.len);
		sim_outq_free_item(it);
	}
}

static int udp_next_timeout(void *ctx, struct sim_device *dev)
{
	struct udp_front *u = ctx;
	int t = sim_outq_timeout_ms(&u->out, sim_now_ms(dev));
	int w = sim_wq_next_ms(dev);

	return t < 0 || (w >= 0 && w < t) ? w : t;
}

static void udp_close(void *ctx)
{
	struct udp_front *u = ctx;

	if (!u)
		return;
	if (u->fd >= 0)
		close(u->fd);
	if (u->dev)
		sim_wq_forget(u->dev, u);
	sim_outq_clear(&u->out);
	free(u->buf);
	free(u);
}

static const struct sim_frontend_ops udp_ops = {
	.name = "udp",
	.fd = udp_fd,
	.on_readable = udp_on_readable,
	.next_timeout_ms = udp_next_timeout,
	.on_tick = udp_on_tick,
	.close = udp_close,
};

const struct sim_frontend_def sim_front_udp = {
	.name = "udp",
	.opts = udp_opts,
	.create = udp_create,
	.start = udp_start,
	.describe = udp_describe,
	.ops = &udp_ops,
	.params = udp_params,
};
