#include "tests/embedded/qemu/uart_link.h"

#include <string.h>

#include "smp/transport.h"
#include "tests/embedded/qemu/board.h"

void uart_link_init(struct uart_link *l)
{
	memset(l, 0, sizeof(*l));
	smp_serial_decoder_init(&l->dec, l->dec_buf, sizeof(l->dec_buf), false);
}

int uart_link_send(void *link, const uint8_t *pkt, size_t len)
{
	struct uart_link *l = link;
	size_t n = smp_serial_frame_encode(pkt, len, 0, l->tx, sizeof(l->tx));

	if (!n)
		return SMP_IO_ERROR;
	board_uart_write(l->tx, n);
	return SMP_IO_OK;
}

int uart_link_next(struct uart_link *l, int64_t deadline_ms, const uint8_t **pkt, size_t *len)
{
	struct smp_serial_ev ev;
	size_t used;

	for (;;) {
		while (l->rx_pos < l->rx_len) {
			enum smp_serial_event e = smp_serial_decoder_feed(&l->dec,
									  l->rx + l->rx_pos,
									  l->rx_len - l->rx_pos,
									  &used, &ev);

			l->rx_pos += used;
			if (e == SMP_SERIAL_EV_PACKET) {
				*pkt = ev.data;
				*len = ev.len;
				return SMP_IO_OK;
			}
		}
		l->rx_pos = 0;
		l->rx_len = board_uart_read(l->rx, sizeof(l->rx), deadline_ms);
		if (!l->rx_len)
			return SMP_IO_TIMEOUT;
	}
}

int uart_link_recv(void *link, uint8_t *buf, size_t cap, size_t *len, int timeout_ms)
{
	const uint8_t *pkt;
	int rc = uart_link_next(link, board_ms() + (timeout_ms < 0 ? 0 : timeout_ms), &pkt, len);

	if (rc != SMP_IO_OK)
		return rc;
	if (*len > cap)
		return SMP_IO_TOOBIG;
	memcpy(buf, pkt, *len);
	return SMP_IO_OK;
}
