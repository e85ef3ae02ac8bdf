/* The SMP-over-GATT reassembler: notifications (or any fragments) are fed
 * in order; a packet is complete when it holds the 8-byte header and the
 * payload length the header gives. Used by the host's GATT client
 * (transport/gatt_smp.c) and by a Zephyr central, from its notify
 * callback (zephyr/PORTING.md, zephyr/samples/ble_central). */
#ifndef SMP_GATT_RX_H
#define SMP_GATT_RX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct smp_gatt_rx {
	uint8_t *buf;
	size_t cap;		/* bytes buf holds: the largest packet taken */
	size_t have;		/* bytes collected */
	size_t need;		/* whole packet size, 0 until the header is in */
	size_t skip;		/* bytes left of a packet too big for buf */
	bool ready;		/* buf[0..have) is one whole packet */
	unsigned long overruns; /* fragments that ran past their packet */
	unsigned long too_big;	/* packets larger than cap, dropped */
};

/* With the caller's buffer (at least 8 bytes), which it keeps: a device
 * sizes it to the peer's buffer (mcumgr params' buf_size), the host to
 * the largest SMP packet (SMP_MAX_PACKET). */
void smp_gatt_rx_init_buf(struct smp_gatt_rx *rx, uint8_t *buf, size_t cap);
/* Forgets a partial packet (after a reconnect) and a ready one. */
void smp_gatt_rx_reset(struct smp_gatt_rx *rx);
/* Adds one notification's value. Returns 1 when a packet became ready, 0
 * when more is needed, -1 when the fragment ran past the end of the
 * packet its header announced, or the packet is larger than the buffer
 * (the packet is dropped; a too-big one's remaining bytes are skipped). */
int smp_gatt_rx_feed(struct smp_gatt_rx *rx, const uint8_t *data, size_t len);

#endif
