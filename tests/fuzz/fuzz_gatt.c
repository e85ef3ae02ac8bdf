/* SMP over GATT from the device's side: the input is the ATT PDUs a
 * device sends, each as a 2-byte big-endian length and the PDU, queued on a local
 * SOCK_SEQPACKET pair (which keeps PDU boundaries, as an L2CAP ATT socket
 * does) before smpctl's end connects: MTU exchange, service, characteristic
 * and CCCD discovery, enabling notifications, then notifications that
 * smpctl puts back together into SMP packets. */
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "smp/header.h"
#include "transport/att.h"
#include "transport/gatt_smp.h"
#include "tests/fuzz/fuzz.h"

static void queue_pdus(int fd, const uint8_t *data, size_t size)
{
	size_t off = 0;

	while (size - off >= 2) {
		size_t n = (size_t)data[off] << 8 | data[off + 1];

		off += 2;
		if (n > size - off)
			n = size - off;
		if (n)
			send(fd, data + off, n, MSG_DONTWAIT | MSG_NOSIGNAL);
		off += n;
	}
}

static void use_link(struct smp_link *t)
{
	static uint8_t pkt[SMP_HEADER_SIZE + 64], buf[65543];
	struct smp_header h = {
		.version = SMP_V2, .op = SMP_OP_READ, .group = 0, .id = 0, .len = 64
	};
	size_t len;
	int i;

	smp_header_encode(&h, pkt);
	t->ops->mtu(t->ctx);
	gatt_smp_att_mtu(t);
	t->ops->send(t->ctx, pkt, sizeof(pkt));
	for (i = 0; i < 64; i++)
		if (t->ops->recv(t->ctx, buf, sizeof(buf), &len, 0) != SMP_IO_OK &&
		    t->ops->recv(t->ctx, buf, sizeof(buf), &len, 0) != SMP_IO_OK)
			break;
	t->ops->last_error(t->ctx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gatt_smp_opts o = { .setup_timeout_ms = 1 };
	struct smp_link t;
	char err[256];
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) != 0)
		return 0;
	queue_pdus(sv[1], data, size);
	/* smpctl's reads end at the last PDU instead of waiting. */
	shutdown(sv[1], SHUT_WR);
	if (gatt_smp_transport_open_fd(&t, sv[0], &o, err, sizeof(err)) == 0) {
		use_link(&t);
		t.ops->close(t.ctx);
	}
	close(sv[1]);
	return 0;
}
