/* MQTT frontend of the simulated device (front_mqtt.c): a device with an
 * MQTT client carrying SMP, as transport/MQTT_DEVICE.md describes. */
#ifndef SIM_FRONT_MQTT_H
#define SIM_FRONT_MQTT_H

#include "tests/sim/frontend.h"

extern const struct sim_frontend_def sim_front_mqtt;

#endif
