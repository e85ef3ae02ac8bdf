/* -vv: a transport that wraps another and prints every packet each way,
 * header decoded and payload as JSON. */
#ifndef CLI_TRACE_H
#define CLI_TRACE_H

#include <stdio.h>

#include "smp/transport.h"

/* Wraps *t in place; closing the wrapper closes the inner transport.
 * Returns -1 (leaving *t as it was) on no memory. */
int trace_transport_wrap(struct smp_link *t, FILE *out);

#endif
