/* Bluetooth stand-in of the simulated device (front_att.c): a GATT server
 * with mcumgr's SMP service, over a local SOCK_SEQPACKET socket. */
#ifndef SIM_FRONT_ATT_H
#define SIM_FRONT_ATT_H

#include "tests/sim/frontend.h"

extern const struct sim_frontend_def sim_front_att;

#endif
