#include "transport/udp.h"
#include "transport/fd_wait.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct udp_link {
	int fd;
	size_t mtu;
	char peer[300];
	char error[320];
};

int udp_split_target(const char *target, char *host, size_t hostlen, char *port, size_t portlen)
{
	const char *colon, *close;
	size_t n;

	if (!target || !*target)
		return -1;
	if (target[0] == '[') {
		close = strchr(target, ']');
		if (!close || close == target + 1)
			return -1;
		n = (size_t)(close - target - 1);
		if (close[1] == ':')
			colon = close + 1;
		else if (close[1] == '\0')
			colon = NULL;
		else
			return -1;
		target++;
	} else {
		colon = strrchr(target, ':');
		/* More than one colon and no brackets: a bare IPv6 address. */
		if (colon && strchr(target, ':') != colon)
			colon = NULL;
		n = colon ? (size_t)(colon - target) : strlen(target);
	}
	if (n == 0 || n >= hostlen)
		return -1;
	memcpy(host, target, n);
	host[n] = 0;
	if (!colon) {
		snprintf(port, portlen, "%s", UDP_DEFAULT_PORT);
		return 0;
	}
	colon++;
	if (!*colon || strlen(colon) >= portlen || strspn(colon, "0123456789") != strlen(colon) ||
	    strtol(colon, NULL, 10) < 1 || strtol(colon, NULL, 10) > 65535)
		return -1;
	snprintf(port, portlen, "%s", colon);
	return 0;
}

static void set_error(struct udp_link *l, const char *what, int err)
{
	if (err == ECONNREFUSED)
		snprintf(l->error, sizeof(l->error),
			 "%s %s: connection refused (nothing listening there?)", what, l->peer);
	else
		snprintf(l->error, sizeof(l->error), "%s %s: %s", what, l->peer, strerror(err));
}

static int udp_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct udp_link *l = ctx;
	ssize_t n;

	if (len > l->mtu)
		return SMP_IO_TOOBIG;
	do
		n = send(l->fd, pkt, len, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		set_error(l, "send to", errno);
		return errno == EMSGSIZE ? SMP_IO_TOOBIG : SMP_IO_ERROR;
	}
	return SMP_IO_OK;
}

static int udp_recv(void *ctx, uint8_t *buf, size_t cap, size_t *len, int timeout_ms)
{
	struct udp_link *l = ctx;
	int r = fd_wait(l->fd, POLLIN, timeout_ms, NULL);
	ssize_t n;

	if (r < 0) {
		set_error(l, "poll on", errno);
		return SMP_IO_ERROR;
	}
	if (r == 0)
		return SMP_IO_TIMEOUT;
	n = recv(l->fd, buf, cap, MSG_TRUNC);
	if (n < 0) {
		/* A refused datagram is reported on a later call; it means no
		 * device, not a passing loss. */
		set_error(l, "receive from", errno);
		return SMP_IO_ERROR;
	}
	if ((size_t)n > cap)
		return SMP_IO_TOOBIG;
	*len = (size_t)n;
	return SMP_IO_OK;
}

static size_t udp_mtu(void *ctx)
{
	return ((struct udp_link *)ctx)->mtu;
}

static const char *udp_last_error(void *ctx)
{
	return ((struct udp_link *)ctx)->error;
}

static void udp_close(void *ctx)
{
	struct udp_link *l = ctx;

	if (l->fd >= 0)
		close(l->fd);
	free(l);
}

static const struct smp_transport_ops udp_ops = {
	.name = "udp",
	.send = udp_send,
	.recv = udp_recv,
	.mtu = udp_mtu,
	.reconnect = NULL,
	.last_error = udp_last_error,
	.close = udp_close,
};

int udp_transport_open(struct smp_link *t, const char *target, size_t mtu, char *err, size_t errlen)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_DGRAM };
	struct addrinfo *res = NULL, *ai;
	struct udp_link *l;
	char host[256], port[16];
	int gai, last = 0;

	if (udp_split_target(target, host, sizeof(host), port, sizeof(port)) != 0) {
		snprintf(err, errlen, "bad UDP address '%s': expected HOST[:PORT] or [IPV6]:PORT",
			 target ? target : "");
		return -1;
	}
	gai = getaddrinfo(host, port, &hints, &res);
	if (gai != 0) {
		snprintf(err, errlen, "cannot resolve '%s': %s", host, gai_strerror(gai));
		return -1;
	}
	l = calloc(1, sizeof(*l));
	if (!l) {
		freeaddrinfo(res);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	l->fd = -1;
	l->mtu = mtu ? mtu : UDP_DEFAULT_MTU;
	snprintf(l->peer, sizeof(l->peer), "%s:%s", host, port);
	for (ai = res; ai && l->fd < 0; ai = ai->ai_next) {
		l->fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (l->fd < 0) {
			last = errno;
			continue;
		}
		/* connect() makes the kernel drop datagrams from anyone else. */
		if (connect(l->fd, ai->ai_addr, ai->ai_addrlen) != 0) {
			last = errno;
			close(l->fd);
			l->fd = -1;
		}
	}
	freeaddrinfo(res);
	if (l->fd < 0) {
		snprintf(err, errlen, "cannot open UDP socket to %s: %s", l->peer, strerror(last));
		free(l);
		return -1;
	}
	t->ops = &udp_ops;
	t->ctx = l;
	return 0;
}
