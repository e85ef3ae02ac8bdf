/* SMP packets over the board's UART in the core's serial framing
 * (smp/serial_frame.h): what Zephyr's UART transport and MCUboot's serial
 * recovery speak. Send frames a whole packet; receive feeds the UART's
 * bytes to the decoder until a packet is whole. Console lines between
 * frames are skipped, as a host on a shared console must. */
#ifndef TESTS_EMBEDDED_QEMU_UART_LINK_H
#define TESTS_EMBEDDED_QEMU_UART_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "smp/serial_frame.h"

#define UART_LINK_PKT_MAX 2048 /* largest packet either way */

struct uart_link {
	struct smp_serial_decoder dec;
	uint8_t dec_buf[UART_LINK_PKT_MAX + 4]; /* length field and CRC too */
	uint8_t tx[UART_LINK_PKT_MAX * 2];	/* base64 and frame markers */
	uint8_t rx[256];			/* bytes read, not yet decoded */
	size_t rx_pos, rx_len;
};

void uart_link_init(struct uart_link *l);
/* SMP_IO_OK, or SMP_IO_ERROR when the packet cannot be framed. */
int uart_link_send(void *link, const uint8_t *pkt, size_t len);
/* The next whole packet, or SMP_IO_TIMEOUT once deadline_ms (board_ms()
 * scale) has passed without one: what an event loop waits in (the
 * core's smp_engine_input / smp_dfu_input take *pkt, valid until the
 * next call). */
int uart_link_next(struct uart_link *l, int64_t deadline_ms, const uint8_t **pkt, size_t *len);
/* One packet into buf, for a blocking recv op: SMP_IO_OK, SMP_IO_TIMEOUT after timeout_ms without
 * one, SMP_IO_TOOBIG when it does not fit in cap. */
int uart_link_recv(void *link, uint8_t *buf, size_t cap, size_t *len, int timeout_ms);

#endif
