/* The core's GATT reassembler with a device-sized buffer: a packet that
 * fits is delivered, one larger than the buffer is dropped with its
 * remaining fragments skipped, and the next packet still arrives whole. */
#include "unit.h"

#include "smp/gatt_rx.h"

TEST(gatt_rx_caller_buffer_drops_too_big)
{
	uint8_t buf[24];
	struct smp_gatt_rx rx;
	/* header: payload length 16 (fits: 24), then 40 (does not) */
	static const uint8_t small[8] = { 0x0a, 0, 0, 16, 0, 0, 1, 0 };
	static const uint8_t big[8] = { 0x0a, 0, 0, 40, 0, 0, 2, 0 };
	uint8_t payload[40];

	memset(payload, 0x5a, sizeof(payload));
	smp_gatt_rx_init_buf(&rx, buf, sizeof(buf));
	CHECK_INT(smp_gatt_rx_feed(&rx, small, 8), 0);
	CHECK_INT(smp_gatt_rx_feed(&rx, payload, 16), 1);
	CHECK_INT(rx.have, 24);

	/* the big one: header plus 10 bytes, then 30 more in two pieces */
	{
		uint8_t first[18];

		memcpy(first, big, 8);
		memcpy(first + 8, payload, 10);
		CHECK_INT(smp_gatt_rx_feed(&rx, first, sizeof(first)), -1);
	}
	CHECK_INT(rx.too_big, 1);
	CHECK_INT(smp_gatt_rx_feed(&rx, payload, 20), 0);
	CHECK_INT(smp_gatt_rx_feed(&rx, payload, 10), 0);
	CHECK_INT(rx.have, 0);

	/* the next packet is whole again */
	CHECK_INT(smp_gatt_rx_feed(&rx, small, 8), 0);
	CHECK_INT(smp_gatt_rx_feed(&rx, payload, 16), 1);
	CHECK_MEM(rx.buf, small, 8);
}
