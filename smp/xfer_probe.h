/* Before an upload: which packet size and, on a serial line, which
 * spacing between frames get through, measured with echo requests. */
#ifndef SMP_XFER_PROBE_H
#define SMP_XFER_PROBE_H

#include "smp/xfer_ctl.h"

/* Sets c->now.packet, c->now.gap_ms and c->proven from what answered
 * fastest per byte. SMP_OK also when the device has no echo (its params
 * are then taken at their word); otherwise a transport failure. */
int smp_xfer_probe(struct smp_xfer_ctl *c);

/* Writes the echo request whose packet is exactly packet bytes: 0, or -1
 * when none is that small or w cannot hold it. */
int smp_xfer_probe_req(struct smp_cbor_writer *w, size_t packet);

#endif
