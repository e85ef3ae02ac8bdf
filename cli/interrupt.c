#include "cli/interrupt.h"

#include <stdlib.h>

#include "smp/clock.h"

/* A receive waits in slices this long, so that Ctrl-C is seen soon. */
#define SLICE_MS 100

struct interrupt_link {
	struct smp_link inner;
	volatile sig_atomic_t *flag;
};

static int intr_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct interrupt_link *l = ctx;

	return *l->flag ? SMP_IO_ERROR : l->inner.ops->send(l->inner.ctx, pkt, len);
}

static int intr_recv(void *ctx, uint8_t *buf, size_t cap, size_t *len, int timeout_ms)
{
	struct interrupt_link *l = ctx;
	int64_t end = smp_clock_ms() + timeout_ms, left;
	int rc;

	for (;;) {
		if (*l->flag)
			return SMP_IO_ERROR;
		left = end - smp_clock_ms();
		rc = l->inner.ops->recv(l->inner.ctx, buf, cap, len,
					left < SLICE_MS ? (int)(left > 0 ? left : 0) : SLICE_MS);
		if (rc != SMP_IO_TIMEOUT || left <= SLICE_MS)
			return rc;
	}
}

static size_t intr_mtu(void *ctx)
{
	struct interrupt_link *l = ctx;

	return l->inner.ops->mtu(l->inner.ctx);
}

static int intr_reconnect(void *ctx, int timeout_ms)
{
	struct interrupt_link *l = ctx;

	if (*l->flag)
		return -1;
	return l->inner.ops->reconnect ? l->inner.ops->reconnect(l->inner.ctx, timeout_ms) : 0;
}

static const char *intr_last_error(void *ctx)
{
	struct interrupt_link *l = ctx;

	if (*l->flag)
		return "interrupted";
	return l->inner.ops->last_error ? l->inner.ops->last_error(l->inner.ctx) : "";
}

static void intr_close(void *ctx)
{
	struct interrupt_link *l = ctx;

	l->inner.ops->close(l->inner.ctx);
	free(l);
}

static const struct smp_transport_ops interrupt_ops = {
	.name = "interruptible",
	.send = intr_send,
	.recv = intr_recv,
	.mtu = intr_mtu,
	.reconnect = intr_reconnect,
	.last_error = intr_last_error,
	.close = intr_close,
};

int interrupt_transport_wrap(struct smp_link *t, volatile sig_atomic_t *flag)
{
	struct interrupt_link *l = malloc(sizeof(*l));

	if (!l)
		return -1;
	l->inner = *t;
	l->flag = flag;
	t->ops = &interrupt_ops;
	t->ctx = l;
	return 0;
}
