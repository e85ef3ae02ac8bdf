/* smp-simdev's command line: the device's options, the frontends' and
 * --device PROFILE, and --describe. Apart from main.c so that unit tests
 * can parse a command line and read what it set. */
#ifndef SIM_CLI_H
#define SIM_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "tests/sim/frontend.h"
#include "tests/sim/sim.h"
#include "tests/sim/sim_profile.h"

#define SIM_CLI_MAX_FRONTENDS 8

struct sim_cli {
	struct sim_config cfg;
	size_t n_frontends;
	const struct sim_frontend_def *const *frontends;
	void *ctx[SIM_CLI_MAX_FRONTENDS];
	const struct sim_profile *profile; /* --device, or NULL */
	const char *events_path;	   /* --events, or NULL: stdout */
	bool describe;			   /* --describe */
	bool help;			   /* --help */
};

/* Sets defaults and creates every frontend's context. Returns 0, or -1 on
 * no memory (what was created is freed by sim_cli_free). */
int sim_cli_init(struct sim_cli *c);
/* Frees the frontends' contexts (those not started). */
void sim_cli_free(struct sim_cli *c);
/* Parses argv: the profile first, then every option in order, so that
 * options override the profile wherever they stand. Returns 0, or 2 with
 * a one-line message on stderr. --flash is not checked here. */
int sim_cli_parse(struct sim_cli *c, int argc, char **argv);
void sim_cli_usage(const struct sim_cli *c, FILE *f);
/* --describe: the parameters in force, one key=value a line (keys in
 * sim_cli.c). Returns the length written, as snprintf. */
int sim_cli_describe(const struct sim_cli *c, char *buf, size_t len);

#endif
