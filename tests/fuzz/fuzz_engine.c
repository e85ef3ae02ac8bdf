/* The request engine, image upload and file transfers over a scripted
 * transport, with the -vv tracer wrapped around it. The input is the
 * device's side, one record per packet it sends:
 *
 *   ctl  len_hi  len_lo  payload[len]
 *
 * ctl bit 0: payload is a whole packet, sent as it is (strays, duplicates,
 * bad headers); otherwise it is the CBOR payload of an answer to the last
 * request sent, under a matching header (bit 1: SMP v1; bit 2: the header
 * announces ctl >> 4 more bytes than there are). When the records run out
 * the link fails, so every run ends without waiting for a timeout. */
#include <stdlib.h>
#include <string.h>

#include "cli/trace.h"
#include "smp/engine.h"
#include "smp/fs_transfer.h"
#include "smp/grp_img.h"
#include "smp/header.h"
#include "smp/upload.h"
#include "tests/fuzz/fuzz.h"

struct script {
	const uint8_t *data;
	size_t size, off;
	struct smp_hdr last;	/* of the last request sent */
};

static int s_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct script *s = ctx;

	return smp_hdr_decode(pkt, len, &s->last) == -1 ? SMP_IO_ERROR : SMP_IO_OK;
}

static int s_recv(void *ctx, uint8_t *buf, size_t cap, size_t *len, int timeout_ms)
{
	struct script *s = ctx;
	struct smp_hdr h = s->last;
	size_t n;
	uint8_t ctl;

	if (s->size - s->off < 3)
		return SMP_IO_ERROR;
	ctl = s->data[s->off];
	n = (size_t)s->data[s->off + 1] << 8 | s->data[s->off + 2];
	s->off += 3;
	if (n > s->size - s->off)
		n = s->size - s->off;
	if (n + SMP_HDR_SIZE > cap)
		return SMP_IO_TOOBIG;
	if (ctl & 1) {
		memcpy(buf, s->data + s->off, n);
		*len = n;
	} else {
		h.op = (uint8_t)(h.op + 1);
		h.version = ctl & 2 ? SMP_V1 : SMP_V2;
		h.len = (uint16_t)(n + (ctl & 4 ? ctl >> 4 : 0));
		smp_hdr_encode(&h, buf);
		memcpy(buf + SMP_HDR_SIZE, s->data + s->off, n);
		*len = SMP_HDR_SIZE + n;
	}
	s->off += n;
	return SMP_IO_OK;
}

static size_t s_mtu(void *ctx)
{
	return 512;
}

static const char *s_error(void *ctx)
{
	return "end of script";
}

static void s_close(void *ctx)
{
}

static const struct smp_transport_ops script_ops = {
	.name = "script",
	.send = s_send,
	.recv = s_recv,
	.mtu = s_mtu,
	.last_error = s_error,
	.close = s_close,
};

static int sink(void *arg, const uint8_t *data, size_t len)
{
	return 0;
}

static void session(struct smp_engine *e)
{
	static uint8_t image[1500];
	static const uint8_t sha[32] = { 1 };
	struct smp_request req = { .op = SMP_OP_READ, .group = 1, .id = 0 };
	struct smp_upload_params up = { .data = image, .len = sizeof(image), .sha = sha,
					.sha_len = sizeof(sha), .image = 0, .packet_max = 300,
					.window = 3, .first_timeout_ms = 1, .align = 4 };
	struct fs_xfer_params fp = { .name = "/lfs/f", .packet_max = 300, .window = 3,
				     .first_timeout_ms = 1 };
	struct smp_upload_result ur;
	struct fs_xfer_result fr;
	struct smp_response rsp;
	struct img_state st;
	const char *why;

	/* image list, as every image command starts */
	if (smp_call(e, &req, &rsp) == SMP_OK && img_state_rsp(rsp.body, &st, &why) == 0)
		img_state_free(&st);
	smp_response_clear(&rsp);
	smp_upload(e, &up, &ur);
	smp_cancel_all(e);
	smp_set_window(e, 4);
	fs_download(e, &fp, 0, 0, sink, NULL, &fr);
	smp_cancel_all(e);
	fs_upload(e, &fp, image, 700, 0, &fr);
	smp_cancel_all(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct script s = { .data = data, .size = size };
	struct smp_transport t = { .ops = &script_ops, .ctx = &s };
	static struct smp_engine e;
	struct smp_engine_cfg cfg;

	smp_engine_cfg_defaults(&cfg);
	cfg.timeout_ms = 1;
	cfg.retries = 1;
	cfg.window = 4;
	if (trace_transport_wrap(&t, fuzz_null_stream()) != 0)
		return 0;
	if (smp_engine_init(&e, &t, &cfg) == SMP_OK)
		session(&e);
	smp_engine_fini(&e);
	t.ops->close(t.ctx);
	return 0;
}
