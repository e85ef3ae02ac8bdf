/* The transfer controller's blocking loop, apart from its event-driven
 * steps (smp/xfer_ctl.c) so that a caller driven by events links neither
 * this nor the probe. */
#include "smp/xfer_ctl.h"
#include "smp/xfer_probe.h"

int smp_xfer_run(struct smp_xfer_ctl *c, const struct smp_xfer_ops *ops, void *arg, uint64_t start,
		 uint64_t len)
{
	struct smp_response rsp;
	int rc;

	c->probe = smp_xfer_probe;
	rc = smp_xfer_start(c, ops, arg, start, len);
	while (rc == SMP_OK && !smp_xfer_finished(c)) {
		smp_next(c->e, &rsp);
		rc = smp_xfer_on_response(c, &rsp);
	}
	return rc;
}
