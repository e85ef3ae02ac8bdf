/* A device-side SMP client on the portable core alone: no POSIX, no
 * stdio, no OpenSSL. It is compiled in the Cortex-M33 cross-build (make
 * cross) and, with the host glue in tests/embedded/host_glue.c, run
 * against the simulated device by tests/e2e/61_embedded_example.sh. */
#include "tests/embedded_example.h"

#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#include "smp/clock.h"
#include "smp/dfu.h"
#include "smp/engine.h"
#include "smp/fmt.h"
#include "smp/grp_img.h"
#include "smp/grp_os.h"
#include "smp/image_check.h"
#include "smp/status.h"
#include "smp/image_upload.h"

/* The engine's RAM, fixed at link time: the largest packet the example
 * sends or takes (Zephyr's CONFIG_MCUMGR_TRANSPORT_UDP_MTU default), and
 * one transmit slot per request in flight. */
#define EXAMPLE_PACKET_MAX 1024
#define EXAMPLE_WINDOW 4

struct example {
	const struct example_platform *p;
	struct smp_link transport;
	struct smp_engine engine;
	struct smp_dfu dfu;
	enum smp_dfu_phase last_phase;
	struct smp_image_info info;
	size_t packet_max; /* the link's MTU, or less once params are in */
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
	const struct example *x = ctx;

	return x->p->send(x->p->link, pkt, len);
}

static int link_recv(void *ctx, uint8_t *buf, size_t cap, size_t *len, int timeout_ms)
{
	const struct example *x = ctx;

	return x->p->recv(x->p->link, buf, cap, len, timeout_ms);
}

static size_t link_mtu(void *ctx)
{
	const struct example *x = ctx;

	return x->packet_max;
}

/* The device's buffer, known from params, bounds a packet less what the
 * framing adds to it in that buffer. */
static void link_device_buffer(void *ctx, size_t buf_size)
{
	struct example *x = ctx;
	size_t room = buf_size > x->p->buf_overhead ? buf_size - x->p->buf_overhead : 0;

	x->packet_max = room && room < x->p->mtu ? room : x->p->mtu;
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
	.device_buffer = link_device_buffer,
	.reconnect = NULL, /* the example's link survives a reset */
	.last_error = link_error,
	.close = link_close,
};

/* ---- the upgrade, driven by events */

static void hash_hex(const uint8_t *h, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[h[i] >> 4];
		out[2 * i + 1] = digits[h[i] & 15];
	}
	out[2 * n] = '\0';
}

/* One line as each phase ends, read from the machine's own state. */
static void on_phase(void *arg, enum smp_dfu_phase phase, size_t done, size_t total)
{
	struct example *x = arg;
	const struct smp_dfu *d = &x->dfu;
	char hex[2 * SMP_HASH_MAX + 1];

	if (phase == x->last_phase)
		return; /* an upload's progress: one line at its end is enough */
	x->last_phase = phase;
	hash_hex(x->info.hash, x->info.hash_len, hex);
	switch (phase) {
	case SMP_DFU_STATE:
		say(x, "params: %llu buffers of %llu bytes", (unsigned long long)d->dev.buf_count,
		    (unsigned long long)d->dev.buf_size);
		break;
	case SMP_DFU_TEST:
		if (d->ur.chunks)
			say(x, "upload: %lu bytes in %u chunks, up to %u in flight",
			    (unsigned long)d->ur.offset, d->ur.chunks, d->up.plan.window_max);
		else
			say(x, "upload: slot 1 holds %s already", hex);
		break;
	case SMP_DFU_RESET:
		say(x, "test: slot 1 holds %s, pending", hex);
		break;
	case SMP_DFU_RECONNECT:
		say(x, "reset: the device restarts into the new image");
		break;
	case SMP_DFU_CONFIRM:
		say(x, "reconnect: the link is back; waiting for the device to boot");
		break;
	default:
		break;
	}
	(void)done, (void)total;
}

static void on_done(void *arg, int result, const char *detail)
{
	struct example *x = arg;

	say(x, result == SMP_OK ? "done: %s" : "%s", detail);
}

/* The loop a super-loop or a work queue runs: each packet the link
 * delivers goes to the machine, and the machine's deadline bounds the
 * wait; it sends through the link on its own. The engine's receive
 * buffer serves, as the answer's view is used before the next packet. */
static int upgrade(struct example *x)
{
	struct smp_engine *e = &x->engine;
	struct smp_dfu_cfg cfg = {
		.src = x->p->image,
		.image_len = x->p->image->size,
		.hash = x->info.hash,
		.hash_len = x->info.hash_len,
		.sha = x->info.file_sha256,
		.image = -1,
		.confirm = true,
		.progress = on_phase,
		.done = on_done,
		.reconnect = NULL, /* the example's link survives a reset */
		.arg = x,
	};
	int64_t wait;
	size_t len;
	int io;

	x->last_phase = SMP_DFU_PARAMS;
	if (smp_dfu_start(&x->dfu, e, &cfg) != SMP_OK)
		return -1;
	while (smp_dfu_busy(&x->dfu)) {
		wait = smp_dfu_deadline(&x->dfu) - smp_clock_ms();
		if (wait <= 0) {
			smp_dfu_timer(&x->dfu);
			continue;
		}
		io = x->p->recv(x->p->link, e->mem.rx, e->mem.rx_cap, &len,
				wait > 60000 ? 60000 : (int)wait);
		if (io == SMP_IO_OK)
			smp_dfu_input(&x->dfu, e->mem.rx, len);
		else if (io != SMP_IO_TIMEOUT && io != SMP_IO_TOOBIG)
			smp_dfu_cancel(&x->dfu);
	}
	return x->dfu.result == SMP_OK ? 0 : -1;
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
	if (check_image(x))
		return -1;
	return upgrade(x);
}

int example_update(const struct example_platform *p)
{
	/* Static, as firmware sizes its RAM at link time: no heap. */
	static uint8_t rx[EXAMPLE_PACKET_MAX], tx[EXAMPLE_WINDOW * EXAMPLE_PACKET_MAX];
	const struct smp_engine_mem mem = { .rx = rx,
					    .rx_cap = sizeof(rx),
					    .tx = tx,
					    .tx_cap = sizeof(tx),
					    .tx_slots = EXAMPLE_WINDOW };
	struct example x;
	struct smp_engine_cfg cfg;
	int rc;

	memset(&x, 0, sizeof(x));
	x.p = p;
	x.transport.ops = &link_ops;
	x.transport.ctx = &x;
	x.packet_max = p->mtu;
	smp_engine_cfg_defaults(&cfg);
	if (smp_engine_init(&x.engine, &x.transport, &cfg, &mem) != SMP_OK) {
		say(&x, "the engine's buffers are too small");
		return -1;
	}
	rc = run(&x);
	smp_engine_fini(&x.engine);
	return rc;
}
