/* The core's clock (smp/clock.h): milliseconds since boot, the scale of
 * smp_engine_deadline() and smp_dfu_deadline(). */
#include <zephyr/kernel.h>

#include "smp/clock.h"

int64_t smp_clock_ms(void)
{
	return k_uptime_get();
}
