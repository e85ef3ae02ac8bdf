/* The engine's only dependency on the platform besides the transport: a
 * monotonic millisecond clock. On Zephyr this is k_uptime_get(). */
#ifndef SMP_CLOCK_H
#define SMP_CLOCK_H

#include <stdint.h>

int64_t smp_clock_ms(void);

#endif
