/* The request engine, image upload and file transfers over a scripted
 * device (script_link.h: the input is what the device sends), with the -vv
 * tracer wrapped around it. */
#include <stdlib.h>
#include <string.h>

#include "cli/trace.h"
#include "host/engine_heap.h"
#include "smp/clock.h"
#include "smp/engine.h"
#include "smp/fs_transfer.h"
#include "smp/grp_img.h"
#include "smp/header.h"
#include "smp/image_upload.h"
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/script_link.h"

static int sink(void *arg, const uint8_t *data, size_t len)
{
	return 0;
}

/* 300-byte packets, 3 in flight, no probing: the transfer controller
 * starts there and adapts to what the script answers. */
#define PLAN                                                                                    \
	{                                                                                       \
		.start = { .packet = 300, .window = 3 }, .window_max = 4, .first_timeout_ms = 1 \
	}

/* The upload driven by events, as a device without a thread runs it:
 * the script's packets go to smp_engine_input, expiries to
 * smp_engine_expire, every completion to the upload. */
static void upload_by_events(struct smp_engine *e, const struct smp_upload_params *up,
			     struct smp_upload_result *ur)
{
	struct smp_link *t = e->transport;
	struct smp_upload_run run;
	struct smp_response rsp;
	int64_t wait;
	size_t len;
	int rc = smp_upload_start(&run, e, up, ur), io;

	while (rc == SMP_OK && smp_inflight(e)) {
		wait = smp_engine_deadline(e) - smp_clock_ms();
		if (wait <= 0) {
			if (smp_engine_expire(e, &rsp))
				rc = smp_upload_on_response(&run, &rsp);
			continue;
		}
		io = t->ops->recv(t->ctx, e->mem.rx, e->mem.rx_cap, &len,
				  wait > 10 ? 10 : (int)wait);
		if (io == SMP_IO_OK && smp_engine_input(e, e->mem.rx, len, &rsp))
			rc = smp_upload_on_response(&run, &rsp);
		else if (io == SMP_IO_ERROR)
			break;
	}
	smp_cancel_all(e);
}

static void session(struct smp_engine *e)
{
	static uint8_t image[1500];
	static const uint8_t sha[32] = { 1 };
	struct smp_request req = { .op = SMP_OP_READ, .group = 1, .id = 0 };
	struct smp_upload_params up = { .data = image,
					.len = sizeof(image),
					.sha = sha,
					.sha_len = sizeof(sha),
					.image = 0,
					.align = 4,
					.plan = PLAN };
	struct smp_fs_xfer_params fp = { .name = "/lfs/f", .plan = PLAN };
	struct smp_upload_result ur;
	struct smp_fs_xfer_result fr;
	struct smp_response rsp;
	struct smp_img_state st;
	const char *why;

	/* image list, as every image command starts */
	if (smp_call(e, &req, &rsp) == SMP_OK)
		smp_img_state_rsp(&rsp.body, &st, &why);
	smp_response_clear(&rsp);
	smp_upload(e, &up, &ur);
	smp_cancel_all(e);
	upload_by_events(e, &up, &ur);
	smp_set_window(e, 4);
	smp_fs_download(e, &fp, 0, 0, sink, NULL, &fr);
	smp_cancel_all(e);
	smp_fs_upload(e, &fp, image, 700, 0, &fr);
	smp_cancel_all(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct script s;
	struct smp_link t;
	static struct smp_engine e;
	struct smp_engine_cfg cfg;

	script_link_init(&s, &t, data, size);
	smp_engine_cfg_defaults(&cfg);
	cfg.timeout_ms = 1;
	cfg.retries = 1;
	cfg.window = 4;
	if (trace_transport_wrap(&t, fuzz_null_stream()) != 0)
		return 0;
	if (engine_heap_init(&e, &t, &cfg) == SMP_OK)
		session(&e);
	engine_heap_fini(&e);
	t.ops->close(t.ctx);
	return 0;
}
