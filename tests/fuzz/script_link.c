#include "tests/fuzz/script_link.h"

#include <string.h>

static int s_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct script *s = ctx;

	return smp_header_decode(pkt, len, &s->last) == -1 ? SMP_IO_ERROR : SMP_IO_OK;
}

static int s_recv(void *ctx, uint8_t *buf, size_t cap, size_t *len, int timeout_ms)
{
	struct script *s = ctx;
	struct smp_header h = s->last;
	size_t n;
	uint8_t ctl;

	if (s->size - s->off < 3)
		return SMP_IO_ERROR;
	ctl = s->data[s->off];
	n = (size_t)s->data[s->off + 1] << 8 | s->data[s->off + 2];
	s->off += 3;
	if (n > s->size - s->off)
		n = s->size - s->off;
	if (n + SMP_HEADER_SIZE > cap)
		return SMP_IO_TOOBIG;
	if (ctl & 1) {
		memcpy(buf, s->data + s->off, n);
		*len = n;
	} else {
		h.op = (uint8_t)(h.op + 1);
		h.version = ctl & 2 ? SMP_V1 : SMP_V2;
		h.len = (uint16_t)(n + (ctl & 4 ? ctl >> 4 : 0));
		smp_header_encode(&h, buf);
		memcpy(buf + SMP_HEADER_SIZE, s->data + s->off, n);
		*len = SMP_HEADER_SIZE + n;
	}
	s->off += n;
	return SMP_IO_OK;
}

static size_t s_mtu(void *ctx)
{
	return 512;
}

static const char *s_error(void *ctx)
{
	return "end of script";
}

static void s_close(void *ctx)
{
}

static const struct smp_transport_ops script_ops = {
	.name = "script",
	.send = s_send,
	.recv = s_recv,
	.mtu = s_mtu,
	.last_error = s_error,
	.close = s_close,
};

void script_link_init(struct script *s, struct smp_link *t, const uint8_t *data, size_t size)
{
	memset(s, 0, sizeof(*s));
	s->data = data;
	s->size = size;
	t->ops = &script_ops;
	t->ctx = s;
}
