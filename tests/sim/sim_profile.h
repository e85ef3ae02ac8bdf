/* Device profiles for smp-simdev --device NAME: each is a list of the
 * simulator's own command-line options, applied before the user's, so that
 * any option given after it still overrides one of its values. */
#ifndef SIM_PROFILE_H
#define SIM_PROFILE_H

#include <stddef.h>

#define SIM_PROFILE_MAX_OPTS 16

struct sim_profile_opt {
	const char *name;  /* long option without "--" */
	const char *value; /* NULL for an option without argument */
};

struct sim_profile {
	const char *name;
	/* Which link the profile stands for: udp, shell, uart, ble or
	 * recovery (printed as transport= by --describe). */
	const char *transport;
	const char *summary;
	struct sim_profile_opt opts[SIM_PROFILE_MAX_OPTS]; /* ended by { NULL } */
};

/* The profile called name, or NULL. */
const struct sim_profile *sim_profile_find(const char *name);
/* The i-th profile (for --help and the tests), or NULL past the end. */
const struct sim_profile *sim_profile_at(size_t i);

#endif
