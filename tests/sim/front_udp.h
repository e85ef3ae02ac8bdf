/* UDP frontend of the simulated device (front_udp.c). */
#ifndef SIM_FRONT_UDP_H
#define SIM_FRONT_UDP_H

#include "tests/sim/frontend.h"

extern const struct sim_frontend_def sim_front_udp;

#endif
