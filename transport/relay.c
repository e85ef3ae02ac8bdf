#include "transport/relay.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Zephyr's CONFIG_MCUMGR_TRANSPORT_NETBUF_SIZE default, until `params`
 * says more (as transport/mqtt.c). */
#define RELAY_DEFAULT_MTU 384
#define SMP_HDR_LEN 8

struct relay {
	struct relay_opts o;
	size_t device_mtu;
	bool timed_out;
	char error[256];
};

static const struct smp_transport_ops relay_ops;

static size_t relay_mtu(void *ctx)
{
	struct relay *r = ctx;
	size_t mtu = r->o.user_mtu ? r->o.user_mtu : r->device_mtu;

	return mtu > r->o.link_max ? r->o.link_max : mtu;
}

static int relay_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct relay *r = ctx;
	ssize_t n;

	if (len == 0 || len > relay_mtu(r))
		return SMP_IO_TOOBIG;
	do
		n = send(r->o.fd, pkt, len, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)len)
		return SMP_IO_OK;
	snprintf(r->error, sizeof(r->error), "%s: the fleet's broker connection is gone: %s",
		 r->o.name, n < 0 ? strerror(errno) : "short write");
	return SMP_IO_ERROR;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int relay_recv(void *ctx, uint8_t *buf, size_t cap, size_t *len, int timeout_ms)
{
	struct relay *r = ctx;
	int64_t deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	struct pollfd p = { .fd = r->o.fd, .events = POLLIN };
	ssize_t n;
	int left, k;

	for (;;) {
		left = (int)(deadline - now_ms());
		k = poll(&p, 1, left > 0 ? left : 0);
		if (k < 0 && errno == EINTR)
			continue;
		if (k == 0) {
			r->timed_out = true;
			return SMP_IO_TIMEOUT;
		}
		n = k < 0 ? -1 : recv(r->o.fd, buf, cap, MSG_TRUNC);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			snprintf(r->error, sizeof(r->error),
				 "%s: the fleet's broker connection is gone%s%s", r->o.name,
				 n < 0 ? ": " : "", n < 0 ? strerror(errno) : "");
			return SMP_IO_ERROR;
		}
		r->timed_out = false;
		if ((size_t)n > cap)
			return SMP_IO_TOOBIG;
		if ((size_t)n < SMP_HDR_LEN)
			continue; /* no SMP packet: dropped, as mqtt.c does */
		*len = (size_t)n;
		return SMP_IO_OK;
	}
}

static const char *relay_last_error(void *ctx)
{
	return ((struct relay *)ctx)->error;
}

static void relay_close(void *ctx)
{
	struct relay *r = ctx;

	close(r->o.fd);
	free(r);
}

/* The device's buffer raises the packet limit, up to link_max. */
static void relay_device_buffer(void *ctx, size_t buf_size)
{
	if (buf_size > SMP_HDR_LEN)
		((struct relay *)ctx)->device_mtu = buf_size;
}

static const char *relay_timeout_note(void *ctx)
{
	const struct relay *r = ctx;

	return r->timed_out ? r->o.silent_note : NULL;
}

static const struct smp_transport_ops relay_ops = {
	.name = "relay",
	.send = relay_send,
	.recv = relay_recv,
	.mtu = relay_mtu,
	.reconnect = NULL, /* the parent's broker link survives a device reset */
	.last_error = relay_last_error,
	.timeout_note = relay_timeout_note,
	.device_buffer = relay_device_buffer,
	.close = relay_close,
};

int relay_transport_open(struct smp_link *t, const struct relay_opts *opts, char *err,
			 size_t errlen)
{
	struct relay *r;

	if (opts->fd < 0 || opts->link_max < SMP_HDR_LEN + 1) {
		snprintf(err, errlen, "%s: no usable link from the fleet's broker connection",
			 opts->name);
		return -1;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	r->o = *opts;
	r->device_mtu = RELAY_DEFAULT_MTU;
	t->ops = &relay_ops;
	t->ctx = r;
	return 0;
}

bool relay_transport_is(const struct smp_link *t)
{
	return t && t->ops == &relay_ops;
}
