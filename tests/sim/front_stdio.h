/* Stdio frontend of the simulated device (front_stdio.c): the device's
 * UART as seen through a bridge on stdin/stdout, for smpctl --exec. */
#ifndef SIM_FRONT_STDIO_H
#define SIM_FRONT_STDIO_H

#include "tests/sim/frontend.h"

extern const struct sim_frontend_def sim_front_stdio;

#endif
