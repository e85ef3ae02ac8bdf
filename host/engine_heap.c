#include "host/engine_heap.h"

#include <stdlib.h>

int engine_heap_init(struct smp_engine *e, struct smp_link *t, const struct smp_engine_cfg *cfg)
{
	struct smp_engine_mem mem = {
		.rx_cap = SMP_MAX_PACKET,
		.tx_cap = (size_t)SMP_MAX_PACKET * SMP_MAX_WINDOW,
		.tx_slots = SMP_MAX_WINDOW,
	};
	int rc;

	mem.rx = malloc(mem.rx_cap);
	mem.tx = malloc(mem.tx_cap);
	if (!mem.rx || !mem.tx) {
		free(mem.rx);
		free(mem.tx);
		e->mem = (struct smp_engine_mem){ 0 };
		return SMP_E_NOMEM;
	}
	rc = smp_engine_init(e, t, cfg, &mem);
	if (rc != SMP_OK) {
		free(mem.rx);
		free(mem.tx);
		e->mem = (struct smp_engine_mem){ 0 };
	}
	return rc;
}

void engine_heap_fini(struct smp_engine *e)
{
	smp_engine_fini(e);
	free(e->mem.rx);
	free(e->mem.tx);
	e->mem = (struct smp_engine_mem){ 0 };
}
