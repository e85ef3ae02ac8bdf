/* Random impairment of the link between host and device: each packet lost
 * or duplicated with a probability, each answer delayed by a random
 * jitter. The draws come from a seeded generator, so that a run with the
 * same seed loses the same packets whatever the timing: tests count on
 * which requests are lost, not on when. */
#ifndef SIM_IMPAIR_H
#define SIM_IMPAIR_H

#include <stdbool.h>
#include <stdint.h>

/* Probabilities in hundredths of a percent (0..10000). */
struct sim_impair_cfg {
	unsigned loss_bp;   /* --loss: each packet, each way */
	unsigned dup_bp;    /* --dup: each answer sent twice */
	unsigned jitter_ms; /* --jitter: each answer delayed 0..N ms */
	uint64_t seed;	    /* --seed */
};

struct sim_impair {
	struct sim_impair_cfg cfg;
	uint64_t state;
	unsigned lost, duplicated;
};

void sim_impair_init(struct sim_impair *im, const struct sim_impair_cfg *cfg, unsigned stream);
bool sim_impair_active(const struct sim_impair *im);
/* One draw each: whether this packet is lost, sent twice, and its delay. */
bool sim_impair_lose(struct sim_impair *im);
bool sim_impair_dup(struct sim_impair *im);
unsigned sim_impair_jitter(struct sim_impair *im);

/* "12", "0.5", "1.25" (percent, at most two decimals, at most 100) into
 * hundredths of a percent. Returns 0, or -1 when arg is not such a
 * number. */
int sim_parse_percent(const char *arg, unsigned *bp);

#endif
