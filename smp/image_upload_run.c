/* The blocking upload: the event-driven one (smp/image_upload.c) over
 * smp_next, with the link probe first when the plan asks for it. */
#include "smp/image_upload.h"
#include "smp/xfer_probe.h"

int smp_upload(struct smp_engine *e, const struct smp_upload_params *p, struct smp_upload_result *r)
{
	struct smp_upload_run u;
	struct smp_response rsp;
	int rc = smp_upload_begin(&u, e, p, r, smp_xfer_probe);

	while (rc == SMP_OK) {
		smp_next(e, &rsp);
		rc = smp_upload_on_response(&u, &rsp);
	}
	return rc == SMP_UPLOAD_DONE ? SMP_OK : rc;
}
