/* Before an upload: which packet size and, on a serial line, which
 * spacing between frames get through, measured with echo requests. */
#ifndef SMP_XFER_PROBE_H
#define SMP_XFER_PROBE_H

#include "smp/xfer_ctl.h"

/* Sets c->now.packet, c->now.gap_ms and c->proven from what answered
 * fastest per byte. SMP_OK also when the device has no echo (its params
 * are then taken at their word); otherwise a transport failure. */
int xfer_probe(struct xfer_ctl *c);

/* Echo request whose packet is exactly packet bytes; NULL on no memory. */
cbor_item_t *xfer_probe_req(size_t packet);

#endif
