/* The core's one link-time seam: a monotonic millisecond clock the
 * platform provides (the host: host/clock_posix.c; Zephyr: return
 * k_uptime_get();). A function rather than an ops member because the
 * engine, the transfer controller and the transports all read the same
 * clock, and it has no state. */
#ifndef SMP_CLOCK_H
#define SMP_CLOCK_H

#include <stdint.h>

int64_t smp_clock_ms(void);

#endif
