/* A device-side SMP client on the portable core alone: no POSIX, no
 * stdio, no OpenSSL. It is compiled in the Cortex-M33 cross-build (make
 * cross) and, with the host glue in tests/embedded/host_glue.c, run
 * against the simulated device by tests/e2e/61_embedded_example.sh. */
#include "tests/embedded_example.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "smp/engine.h"
#include "smp/fmt.h"
#include "smp/grp_img.h"
#include "smp/grp_os.h"
#include "smp/image_check.h"
#include "smp/status.h"
#include "smp/image_upload.h"

/* Zephyr's img_mgmt erases the whole slot before it answers the first
 * chunk: give that answer time. */
#define FIRST_CHUNK_TIMEOUT_MS 30000

struct example {
	const struct example_platform *p;
	struct smp_link transport;
	struct smp_engine engine;
	struct smp_image_info info;
};

SMP_PRINTF(2, 3)
static void say(const struct example *x, const char *fmt, ...)
{
	char line[200];
	va_list ap;

	if (!x->p->log)
		return;
	va_start(ap, fmt);
	smp_vfmt(line, sizeof(line), fmt, ap);
	va_end(ap);
	x->p->log(x->p->log_arg, line);
}

/* ---- the transport: the platform's two callbacks */

static int link_send(void *ctx, const uint8_t *pkt, size_t len)
{
	const struct example_platform *p = ctx;

	return p->send(p->link, pkt, len);
}

static int link_recv(void *ctx, uint8_t *buf, size_t cap, size_t *len, int timeout_ms)
{
	const struct example_platform *p = ctx;

	return p->recv(p->link, buf, cap, len, timeout_ms);
}

static size_t link_mtu(void *ctx)
{
	const struct example_platform *p = ctx;

	return p->mtu;
}

static const char *link_error(void *ctx)
{
	return "the link failed";
}

static void link_close(void *ctx)
{
}

static const struct smp_transport_ops link_ops = {
	.name = "example",
	.send = link_send,
	.recv = link_recv,
	.mtu = link_mtu,
	.reconnect = NULL, /* the example's link survives a reset */
	.last_error = link_error,
	.close = link_close,
};

/* ---- one request, its answer checked */

static int call(struct example *x, const char *what, uint8_t op, uint16_t group, uint8_t id,
		cbor_item_t *body, struct smp_response *rsp)
{
	struct smp_request req = { .op = op, .group = group, .id = id, .body = body };
	char why[160];
	int rc;

	rc = smp_call(&x->engine, &req, rsp);
	if (body)
		cbor_decref(&body);
	if (rc == SMP_OK)
		return 0;
	if (rc == SMP_E_DEVICE)
		smp_status_format(&rsp->status, why, sizeof(why));
	else
		smp_fmt(why, sizeof(why), "%s%s%s", smp_result_name(rc), rsp->detail[0] ? ": " : "",
			rsp->detail);
	say(x, "%s: %s", what, why);
	smp_response_clear(rsp);
	return -1;
}

static int echo(struct example *x)
{
	struct smp_response rsp;
	const char *why = NULL;
	char *text = NULL;
	int rc;

	if (call(x, "echo", SMP_OP_WRITE, SMP_GROUP_OS, SMP_OS_ECHO, smp_os_echo_req("hello"),
		 &rsp))
		return -1;
	rc = smp_os_echo_rsp(rsp.body, &text, &why) || strcmp(text, "hello") ? -1 : 0;
	say(x, rc ? "echo: wrong answer (%s)" : "echo: ok", why ? why : "text differs");
	free(text);
	smp_response_clear(&rsp);
	return rc;
}

/* The device's buffer size and count; a device without the params
 * command gets MCUboot's smallest guess. */
static void params(struct example *x, struct smp_os_params *out)
{
	struct smp_response rsp;
	const char *why;

	out->buf_size = 384;
	out->buf_count = 1;
	if (call(x, "params", SMP_OP_READ, SMP_GROUP_OS, SMP_OS_PARAMS, NULL, &rsp))
		return;
	if (smp_os_params_rsp(rsp.body, out, &why))
		say(x, "params: %s; assuming 384-byte buffers", why);
	else
		say(x, "params: %llu buffers of %llu bytes", (unsigned long long)out->buf_count,
		    (unsigned long long)out->buf_size);
	smp_response_clear(&rsp);
}

/* ---- upload */

/* Where the upload starts from: a plan the transfer controller
 * (smp/xfer_ctl.h) adapts as it learns the link. */
static void plan_upload(struct smp_upload_params *up, size_t packet, unsigned window)
{
	up->plan.start.packet = packet;
	up->plan.start.window = window;
	up->plan.window_max = window;
	up->plan.first_timeout_ms = FIRST_CHUNK_TIMEOUT_MS;
}

static int upload(struct example *x, const struct smp_os_params *dev)
{
	struct smp_upload_params up;
	struct smp_upload_result res;
	unsigned window;
	size_t packet;
	int rc;

	/* The chunks are read through the image source as they are sent,
	 * as from external flash; the SHA-256 is the image check's, which
	 * read the same source. */
	memset(&up, 0, sizeof(up));
	up.src = x->p->image;
	up.len = x->p->image->size;
	up.sha = x->info.file_sha256;
	up.sha_len = sizeof(x->info.file_sha256);
	up.image = -1;
	/* each chunk in flight holds a device buffer, its answer another */
	window = dev->buf_count > 1 ? (unsigned)(dev->buf_count - 1) : 1;
	if (window > SMP_MAX_WINDOW)
		window = SMP_MAX_WINDOW;
	packet = dev->buf_size > x->p->buf_overhead ? (size_t)dev->buf_size - x->p->buf_overhead
						    : 0;
	plan_upload(&up, packet < x->p->mtu ? packet : x->p->mtu, window);
	up.align = 4;
	rc = smp_upload(&x->engine, &up, &res);
	if (rc != SMP_OK) {
		char why[160];

		if (rc == SMP_E_DEVICE)
			smp_status_format(&res.status, why, sizeof(why));
		else
			smp_fmt(why, sizeof(why), "%s: %s", smp_result_name(rc), res.detail);
		say(x, "upload: %s", why);
		return -1;
	}
	say(x, "upload: %lu bytes in %u chunks, up to %u in flight", (unsigned long)res.offset,
	    res.chunks, window);
	return 0;
}

/* ---- image list and test */

static void hash_hex(const uint8_t *h, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[h[i] >> 4];
		out[2 * i + 1] = digits[h[i] & 15];
	}
	out[2 * n] = '\0';
}

/* Runs an image state request (read, or write with body) and checks the
 * uploaded image's entry: in slot 1, pending or not as want_pending. */
static int image_state(struct example *x, const char *what, cbor_item_t *body, bool want_pending)
{
	struct smp_response rsp;
	struct smp_img_state st = { 0 };
	const struct smp_img_slot_state *s;
	const char *why = NULL;
	char hex[2 * SMP_HASH_MAX + 1];
	int rc = -1;

	if (call(x, what, body ? SMP_OP_WRITE : SMP_OP_READ, SMP_GROUP_IMAGE, SMP_IMG_STATE, body,
		 &rsp))
		return -1;
	hash_hex(x->info.hash, x->info.hash_len, hex);
	if (smp_img_state_rsp(rsp.body, &st, &why)) {
		say(x, "%s: malformed answer (%s)", what, why);
	} else if (!(s = smp_img_state_find(&st, x->info.hash, x->info.hash_len))) {
		say(x, "%s: the device has no image with hash %s", what, hex);
	} else if (s->slot != 1 || s->pending != want_pending) {
		say(x, "%s: image %s is in slot %lu, %spending", what, hex, (unsigned long)s->slot,
		    s->pending ? "" : "not ");
	} else {
		say(x, "%s: slot 1 holds %s, version %s%s", what, hex, s->version,
		    s->pending ? ", pending" : "");
		rc = 0;
	}
	smp_img_state_free(&st);
	smp_response_clear(&rsp);
	return rc;
}

static int reset(struct example *x)
{
	struct smp_response rsp;

	if (call(x, "reset", SMP_OP_WRITE, SMP_GROUP_OS, SMP_OS_RESET, smp_os_reset_req(false, -1),
		 &rsp))
		return -1;
	smp_response_clear(&rsp);
	say(x, "reset: the device restarts into the new image");
	return 0;
}

/* ---- the whole update */

static int check_image(struct example *x)
{
	static const char *const sig_words[] = {
		[SMP_SIG_ABSENT] = "unsigned",
		[SMP_SIG_NOT_CHECKED] = "signature not checked",
		[SMP_SIG_GOOD] = "signature good",
		[SMP_SIG_UNCHECKABLE] = "signature of a type the key cannot check",
	};

	if (smp_image_check(x->p->image, x->p->crypto, &x->info)) {
		say(x, "image: %s", x->info.why);
		return -1;
	}
	say(x, "image: %u.%u.%u+%lu, %lu bytes, hash ok, %s", x->info.hdr.ver_major,
	    x->info.hdr.ver_minor, x->info.hdr.ver_revision, (unsigned long)x->info.hdr.ver_build,
	    (unsigned long)x->p->image->size, sig_words[x->info.sig]);
	return 0;
}

static int run(struct example *x)
{
	struct smp_os_params dev;

	if (check_image(x) || echo(x))
		return -1;
	params(x, &dev);
	if (upload(x, &dev) || image_state(x, "list", NULL, false))
		return -1;
	if (image_state(x, "test", smp_img_state_write_req(x->info.hash, x->info.hash_len, false),
			true))
		return -1;
	return reset(x);
}

int example_update(const struct example_platform *p)
{
	struct example x;
	struct smp_engine_cfg cfg;
	int rc;

	memset(&x, 0, sizeof(x));
	x.p = p;
	x.transport.ops = &link_ops;
	x.transport.ctx = (void *)p;
	smp_engine_cfg_defaults(&cfg);
	if (smp_engine_init(&x.engine, &x.transport, &cfg) != SMP_OK) {
		say(&x, "out of memory");
		return -1;
	}
	rc = run(&x);
	smp_engine_fini(&x.engine);
	return rc;
}
