/* The host tool's engine: the core allocates nothing, so the host gives
 * it the largest buffers any link could need (a whole 64 KiB SMP packet
 * each way, a slot per request in flight) from the heap, once. */
#ifndef HOST_ENGINE_HEAP_H
#define HOST_ENGINE_HEAP_H

#include "smp/engine.h"

int engine_heap_init(struct smp_engine *e, struct smp_link *t, const struct smp_engine_cfg *cfg);
void engine_heap_fini(struct smp_engine *e);

#endif
