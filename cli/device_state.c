/* What commands ask the device about itself before they act: its buffer
 * size and count (os params, which also tell the transport how large a
 * packet may be) and its image slots. */
#include "cli/device_state.h"

#include <string.h>

#include "smp/grp_img.h"
#include "smp/grp_os.h"

int cli_get_params(struct cli_ctx *ctx, uint64_t *buf_size, uint64_t *buf_count)
{
	struct smp_os_params p = { 0, 0 };
	struct smp_response rsp;
	const char *why;
	int rc;

	rc = cli_request(ctx, "params", SMP_OP_READ, SMP_GROUP_OS, SMP_OS_PARAMS, NULL, 0, &rsp);
	if (rc != EXIT_OK)
		return rc;
	if (smp_os_params_rsp(&rsp.body, &p, &why) != 0)
		rc = cli_bad_answer(ctx, "params", why);
	else
		cli_device_buffer(ctx, (size_t)p.buf_size);
	*buf_size = p.buf_size;
	*buf_count = p.buf_count;
	return rc;
}

int cli_get_image_state(struct cli_ctx *ctx, struct smp_img_state *st)
{
	struct smp_response rsp;
	const char *why;
	int rc;

	memset(st, 0, sizeof(*st));
	rc = cli_request(ctx, "image list", SMP_OP_READ, SMP_GROUP_IMAGE, SMP_IMG_STATE, NULL, 0,
			 &rsp);
	if (rc != EXIT_OK)
		return rc;
	if (smp_img_state_rsp(&rsp.body, st, &why) != 0)
		rc = cli_bad_answer(ctx, "image list", why);
	return rc;
}
