/* Serial frontend of the simulated device (front_pty*.c): SMP with
 * Zephyr's console framing on a pseudo-terminal (--pty LINK) or on a TCP
 * port like a serial server (--serial-tcp PORT), optionally throttled to
 * a baud rate, with console noise, as Zephyr's shell transport, as the
 * raw UART transport, or as MCUboot's serial recovery. */
#ifndef SIM_FRONT_PTY_H
#define SIM_FRONT_PTY_H

#include "tests/sim/frontend.h"

extern const struct sim_frontend_def sim_front_pty;

#endif
