#include "cli/tick_link.h"

#include "smp/clock.h"

#define SLICE_MS 250

static int tick_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct tick_link *l = ctx;

	return l->inner.ops->send(l->inner.ctx, pkt, len);
}

static int tick_recv(void *ctx, uint8_t *buf, size_t cap, size_t *len, int timeout_ms)
{
	struct tick_link *l = ctx;
	int64_t end = smp_clock_ms() + timeout_ms, left;
	int rc;

	for (;;) {
		left = end - smp_clock_ms();
		rc = l->inner.ops->recv(l->inner.ctx, buf, cap, len,
					left < SLICE_MS ? (int)(left > 0 ? left : 0) : SLICE_MS);
		if (rc != SMP_IO_TIMEOUT || left <= SLICE_MS)
			return rc;
		l->tick(l->arg);
	}
}

static size_t tick_mtu(void *ctx)
{
	struct tick_link *l = ctx;

	return l->inner.ops->mtu(l->inner.ctx);
}

static int tick_reconnect(void *ctx, int timeout_ms)
{
	struct tick_link *l = ctx;

	return l->inner.ops->reconnect(l->inner.ctx, timeout_ms);
}

static const char *tick_last_error(void *ctx)
{
	struct tick_link *l = ctx;

	return l->inner.ops->last_error(l->inner.ctx);
}

static void tick_set_frame_gap(void *ctx, unsigned ms, unsigned burst)
{
	struct tick_link *l = ctx;

	l->inner.ops->set_frame_gap(l->inner.ctx, ms, burst);
}

static size_t tick_frame_fit(void *ctx, unsigned frames)
{
	struct tick_link *l = ctx;

	return l->inner.ops->frame_fit(l->inner.ctx, frames);
}

static const char *tick_timeout_note(void *ctx)
{
	struct tick_link *l = ctx;

	return l->inner.ops->timeout_note(l->inner.ctx);
}

static void tick_device_buffer(void *ctx, size_t buf_size)
{
	struct tick_link *l = ctx;

	l->inner.ops->device_buffer(l->inner.ctx, buf_size);
}

static size_t tick_no_params_buffer(void *ctx)
{
	struct tick_link *l = ctx;

	return l->inner.ops->no_params_buffer(l->inner.ctx);
}

static void tick_abort_now(void *ctx)
{
	struct tick_link *l = ctx;

	l->inner.ops->abort_now(l->inner.ctx);
}

static void tick_close(void *ctx)
{
	struct tick_link *l = ctx;

	l->inner.ops->close(l->inner.ctx);
}

/* Each optional op stays absent when the inner link has none: callers
 * test for them. */
void tick_link_wrap(struct tick_link *l, struct smp_link *t, void (*tick)(void *arg), void *arg)
{
	const struct smp_transport_ops *in = t->ops;

	l->inner = *t;
	l->tick = tick;
	l->arg = arg;
	l->ops = *in;
	l->ops.send = tick_send;
	l->ops.recv = tick_recv;
	l->ops.mtu = tick_mtu;
	l->ops.close = tick_close;
	l->ops.reconnect = in->reconnect ? tick_reconnect : NULL;
	l->ops.last_error = in->last_error ? tick_last_error : NULL;
	l->ops.set_frame_gap = in->set_frame_gap ? tick_set_frame_gap : NULL;
	l->ops.frame_fit = in->frame_fit ? tick_frame_fit : NULL;
	l->ops.timeout_note = in->timeout_note ? tick_timeout_note : NULL;
	l->ops.device_buffer = in->device_buffer ? tick_device_buffer : NULL;
	l->ops.no_params_buffer = in->no_params_buffer ? tick_no_params_buffer : NULL;
	l->ops.abort_now = in->abort_now ? tick_abort_now : NULL;
	t->ops = &l->ops;
	t->ctx = l;
}

void tick_link_unwrap(struct tick_link *l, struct smp_link *t)
{
	*t = l->inner;
}
