#include "smp/gatt_rx.h"

#include <string.h>

#include "smp/bytes.h"
#include "smp/engine.h"
#include "smp/header.h"

void smp_gatt_rx_init_buf(struct smp_gatt_rx *rx, uint8_t *buf, size_t cap)
{
	memset(rx, 0, sizeof(*rx));
	rx->buf = buf;
	rx->cap = cap;
}

void smp_gatt_rx_reset(struct smp_gatt_rx *rx)
{
	rx->have = 0;
	rx->need = 0;
	rx->skip = 0;
	rx->ready = false;
}

int smp_gatt_rx_feed(struct smp_gatt_rx *rx, const uint8_t *data, size_t len)
{
	if (rx->ready)
		smp_gatt_rx_reset(rx);
	if (rx->skip) {
		size_t n = rx->skip < len ? rx->skip : len;

		rx->skip -= n;
		data += n;
		len -= n;
	}
	while (len) {
		size_t want = rx->need ? rx->need : SMP_HEADER_SIZE;
		size_t take = want - rx->have < len ? want - rx->have : len;

		memcpy(rx->buf + rx->have, data, take);
		rx->have += take;
		data += take;
		len -= take;
		if (!rx->need && rx->have == SMP_HEADER_SIZE) {
			rx->need = SMP_HEADER_SIZE + (size_t)smp_get_be16(rx->buf + 2);
			if (rx->need > rx->cap) {
				size_t rest = rx->need - rx->have;

				rx->too_big++;
				smp_gatt_rx_reset(rx);
				rx->skip = rest > len ? rest - len : 0;
				return -1;
			}
		}
		if (rx->need && rx->have == rx->need)
			break;
	}
	if (len) {
		/* Zephyr starts every packet in a new notification, so bytes
		 * past the end mean the two sides lost track: start over. */
		rx->overruns++;
		smp_gatt_rx_reset(rx);
		return -1;
	}
	rx->ready = rx->need && rx->have == rx->need;
	return rx->ready ? 1 : 0;
}
