#include "fake_transport.h"

#include <string.h>

#include "smp/header.h"
#include "tests/unit/unit.h"

static int fake_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct fake_transport *f = ctx;

	if (f->fail_send)
		return SMP_IO_ERROR;
	f->sent++;
	if (f->respond)
		f->respond(f, pkt, len);
	return SMP_IO_OK;
}

static int fake_recv(void *ctx, uint8_t *buf, size_t cap, size_t *len, int timeout_ms)
{
	struct fake_transport *f = ctx;

	if (f->count == 0) {
		/* Time must pass for the engine's deadlines to expire. */
		unit_clock_pass_us((int64_t)timeout_ms * 1000);
		return SMP_IO_TIMEOUT;
	}
	*len = f->queue_len[f->head];
	if (*len > cap)
		return SMP_IO_TOOBIG;
	memcpy(buf, f->queue[f->head], *len);
	f->head = (f->head + 1) % FAKE_MAX_QUEUE;
	f->count--;
	f->busy = false;
	return SMP_IO_OK;
}

static size_t fake_mtu(void *ctx)
{
	return ((struct fake_transport *)ctx)->mtu;
}

static const char *fake_error(void *ctx)
{
	return "fake link failure";
}

static void fake_close(void *ctx)
{
}

static const struct smp_transport_ops fake_ops = {
	.name = "fake",
	.send = fake_send,
	.recv = fake_recv,
	.mtu = fake_mtu,
	.last_error = fake_error,
	.close = fake_close,
};

void fake_init(struct fake_transport *f, struct smp_link *t, fake_responder respond)
{
	/* The link and its device are scripted: so is their time. */
	unit_clock_virtual();
	memset(f, 0, sizeof(*f));
	f->respond = respond;
	f->mtu = 2048;
	t->ops = &fake_ops;
	t->ctx = f;
}

void fake_push(struct fake_transport *f, const uint8_t *pkt, size_t len)
{
	size_t tail = (f->head + f->count) % FAKE_MAX_QUEUE;

	if (f->count == FAKE_MAX_QUEUE || len > FAKE_MAX_PKT)
		return;
	memcpy(f->queue[tail], pkt, len);
	f->queue_len[tail] = len;
	f->count++;
}

void fake_answer(struct fake_transport *f, const uint8_t *req, uint8_t version,
		 const uint8_t *payload, size_t payload_len)
{
	uint8_t pkt[FAKE_MAX_PKT];
	struct smp_header h;

	smp_header_decode(req, SMP_HEADER_SIZE, &h);
	h.version = version;
	h.op = (uint8_t)(h.op + 1);
	h.len = (uint16_t)payload_len;
	smp_header_encode(&h, pkt);
	memcpy(pkt + SMP_HEADER_SIZE, payload, payload_len);
	fake_push(f, pkt, SMP_HEADER_SIZE + payload_len);
}
