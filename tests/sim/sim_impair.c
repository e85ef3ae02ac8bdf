/* Seeded random loss, duplication and jitter (sim_impair.h). */
#include "tests/sim/sim_impair.h"

#include <string.h>

/* splitmix64: small, good enough for a coin, and the same on every host. */
static uint64_t next(struct sim_impair *im)
{
	uint64_t z = (im->state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Each frontend draws from its own stream, so that adding a frontend
 * does not change which packets another one loses. */
void sim_impair_init(struct sim_impair *im, const struct sim_impair_cfg *cfg, unsigned stream)
{
	memset(im, 0, sizeof(*im));
	im->cfg = *cfg;
	im->state = cfg->seed * 0x100000001b3ull + stream;
}

bool sim_impair_active(const struct sim_impair *im)
{
	return im->cfg.loss_bp || im->cfg.dup_bp || im->cfg.jitter_ms;
}

static bool coin(struct sim_impair *im, unsigned bp)
{
	return bp && next(im) % 10000 < bp;
}

bool sim_impair_lose(struct sim_impair *im)
{
	bool lost = coin(im, im->cfg.loss_bp);

	im->lost += lost;
	return lost;
}

bool sim_impair_dup(struct sim_impair *im)
{
	bool dup = coin(im, im->cfg.dup_bp);

	im->duplicated += dup;
	return dup;
}

unsigned sim_impair_jitter(struct sim_impair *im)
{
	return im->cfg.jitter_ms ? (unsigned)(next(im) % (im->cfg.jitter_ms + 1)) : 0;
}

int sim_parse_percent(const char *arg, unsigned *bp)
{
	unsigned whole = 0, frac = 0, digits = 0;
	const char *p = arg;

	if (!arg || *p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++)
		if ((whole = whole * 10 + (unsigned)(*p - '0')) > 100)
			return -1;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9' && digits < 2; p++, digits++)
			frac = frac * 10 + (unsigned)(*p - '0');
		if (!digits)
			return -1;
		if (digits == 1)
			frac *= 10;
	}
	if (*p || whole * 100 + frac > 10000)
		return -1;
	*bp = whole * 100 + frac;
	return 0;
}
