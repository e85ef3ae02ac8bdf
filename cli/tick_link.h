/* A link that calls a function every quarter second while a receive
 * waits, so that a long wait (a slot erase before the first answer) can
 * show its elapsed time. Every other op goes to the link inside. */
#ifndef CLI_TICK_LINK_H
#define CLI_TICK_LINK_H

#include "smp/transport.h"

struct tick_link {
	struct smp_link inner;
	struct smp_transport_ops ops; /* inner's ops, recv replaced */
	void (*tick)(void *arg);
	void *arg;
};

/* Wraps *t in l (which must outlive the wrap) until tick_link_unwrap. */
void tick_link_wrap(struct tick_link *l, struct smp_link *t, void (*tick)(void *arg), void *arg);
void tick_link_unwrap(struct tick_link *l, struct smp_link *t);

#endif
