/* The core's event-driven upgrade (smp/dfu.h) against the simulated
 * device, driven as a Zephyr work queue would drive it: packets handed in,
 * timer calls at the deadline the core asks for, on a virtual clock. The
 * memory test runs a whole 1 MiB upgrade over a 2475-byte link out of one
 * 12 KiB arena and counts every allocation made inside the core's calls. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/crypto_openssl.h"
#include "smp/clock.h"
#include "smp/dfu.h"
#include "smp/grp_img.h"
#include "smp/image_check.h"
#include "tests/unit/sim_harness.h"
#include "tests/unit/unit.h"

#define LINK_MTU 2475 /* NCS's BLE DFU buffer (CONFIG_MCUMGR_TRANSPORT_NETBUF_SIZE) */
#define RAM_BUDGET 12288

/* ---- counting allocations: ASan's hooks see libcbor's too. Without
 * ASan (a plain build), glibc's count of bytes in use must not move
 * across a core call: that misses an allocation freed before the call
 * returns, which the sanitized run (make check) catches. */

extern int __sanitizer_install_malloc_and_free_hooks(void (*m)(const volatile void *, size_t),
						     void (*f)(const volatile void *))
	__attribute__((weak));

static bool in_core;
static unsigned long core_allocs;
static size_t core_alloc_bytes;

static void on_malloc(const volatile void *p, size_t n)
{
	(void)p;
	if (in_core) {
		core_allocs++;
		core_alloc_bytes += n;
	}
}

static void on_free(const volatile void *p)
{
	(void)p;
}

static size_t heap_in_use(void)
{
	return mallinfo2().uordblks;
}

static size_t heap_before;

static void core_enter(void)
{
	in_core = true;
	if (!__sanitizer_install_malloc_and_free_hooks)
		heap_before = heap_in_use();
}

static void core_leave(void)
{
	in_core = false;
	if (!__sanitizer_install_malloc_and_free_hooks && heap_in_use() != heap_before) {
		core_allocs++;
		core_alloc_bytes += heap_in_use() - heap_before;
	}
}

/* ---- the link: what the core sends waits here for the test to deliver */

struct rig {
	struct simh h;
	uint8_t queue[4][LINK_MTU];
	size_t queue_len[4];
	unsigned queued;
	unsigned long sent, delivered;
	bool drop_after_reset; /* the reset's answer is lost */
	bool reset_seen;
	unsigned reconnects;
	enum smp_dfu_phase phases[16];
	unsigned nphases;
	size_t last_progress;
	int done_result;
	char done_detail[192];
	bool done;
};

static int link_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct rig *r = ctx;

	if (r->queued == 4 || len > LINK_MTU)
		return SMP_IO_TOOBIG;
	memcpy(r->queue[r->queued], pkt, len);
	r->queue_len[r->queued++] = len;
	r->sent++;
	return SMP_IO_OK;
}

static int link_recv(void *ctx, uint8_t *buf, size_t cap, size_t *len, int timeout_ms)
{
	(void)ctx, (void)buf, (void)cap, (void)len, (void)timeout_ms;
	return SMP_IO_ERROR; /* the event-driven core never blocks */
}

static size_t link_mtu(void *ctx)
{
	(void)ctx;
	return LINK_MTU;
}

static const struct smp_transport_ops rig_ops = {
	.name = "rig",
	.send = link_send,
	.recv = link_recv,
	.mtu = link_mtu,
};

static void on_progress(void *arg, enum smp_dfu_phase phase, size_t done, size_t total)
{
	struct rig *r = arg;

	(void)total;
	if (r->nphases == 0 || r->phases[r->nphases - 1] != phase)
		if (r->nphases < 16)
			r->phases[r->nphases++] = phase;
	r->last_progress = done;
}

static void on_done(void *arg, int result, const char *detail)
{
	struct rig *r = arg;

	r->done = true;
	r->done_result = result;
	snprintf(r->done_detail, sizeof(r->done_detail), "%s", detail);
}

static void on_reconnect(void *arg)
{
	struct rig *r = arg;

	r->reconnects++;
}

static int64_t rig_clock(void *ctx)
{
	(void)ctx;
	return smp_clock_ms();
}

/* Delivers the oldest queued packet to the device and its answers to the
 * core, one packet at a time as a link would. */
static void deliver(struct rig *r, struct smp_dfu *d)
{
	uint8_t pkt[LINK_MTU], rsp[8192];
	size_t len = r->queue_len[0], n, off = 0;
	struct smp_header hdr;

	memcpy(pkt, r->queue[0], len);
	memmove(r->queue[0], r->queue[1], sizeof(r->queue[0]) * (r->queued - 1));
	memmove(r->queue_len, r->queue_len + 1, sizeof(r->queue_len[0]) * (r->queued - 1));
	r->queued--;
	n = sim_handle_packet(r->h.dev, pkt, len, rsp, sizeof(rsp));
	if ((pkt[0] & 7) == SMP_OP_WRITE && pkt[4] == 0 && pkt[5] == SMP_GROUP_OS &&
	    pkt[7] == SMP_OS_RESET) {
		r->reset_seen = true;
		if (r->drop_after_reset)
			return;
	}
	while (off + SMP_HEADER_SIZE <= n && smp_header_decode(rsp + off, n - off, &hdr) == 0) {
		size_t one = SMP_HEADER_SIZE + hdr.len;

		r->delivered++;
		core_enter();
		smp_dfu_input(d, rsp + off, one);
		core_leave();
		off += one;
	}
}

/* Runs the machine to its end: packets first, then time. */
/* One event: the oldest packet on its way, or else the time the core
 * asks to be woken at. */
static void step(struct rig *r, struct smp_dfu *d)
{
	if (r->queued) {
		deliver(r, d);
		return;
	}
	if (smp_dfu_deadline(d) > smp_clock_ms())
		unit_clock_pass_us((smp_dfu_deadline(d) - smp_clock_ms()) * 1000);
	core_enter();
	smp_dfu_timer(d);
	core_leave();
}

/* Runs the machine to its end, reconnecting when the core asks. */
static void run(struct rig *r, struct smp_dfu *d)
{
	unsigned steps = 0;

	while (smp_dfu_busy(d) && steps++ < 1000000) {
		if (!r->queued && d->phase == SMP_DFU_RECONNECT && d->cfg.reconnect) {
			/* The app's reconnect: the device is back once it
			 * has rebooted (the simulator's offline time). */
			unit_clock_pass_us(1000 * 1000);
			core_enter();
			smp_dfu_reconnected(d);
			core_leave();
			continue;
		}
		step(r, d);
	}
}

/* ---- the memory: one arena, carved as a firmware engineer would */

struct arena {
	struct smp_engine engine;
	struct smp_dfu dfu;
	uint8_t rx[LINK_MTU]; /* unused: packets are handed in */
	uint8_t tx[LINK_MTU];
};

struct image {
	uint8_t *data;
	size_t len;
	struct smp_mem_image mem;
	struct smp_image_src src;
	struct smp_image_info info;
};

static void rig_close(struct rig *r, struct image *im)
{
	simh_free(&r->h);
	free(im->data);
}

static bool load_image(struct image *im, const char *name)
{
	struct smp_crypto c;
	struct crypto_openssl cs;
	bool ok;

	im->data = simh_read_file(simh_image_path(name), &im->len);
	if (!im->data)
		return false;
	smp_image_src_mem(&im->src, &im->mem, im->data, im->len);
	crypto_openssl_init(&c, &cs, NULL);
	ok = smp_image_check(&im->src, &c, &im->info) == 0;
	crypto_openssl_fini(&cs);
	return ok;
}

static bool rig_open_with(struct rig *r, unsigned buf_size, unsigned buf_count, const char *primary)
{
	memset(r, 0, sizeof(*r));
	unit_clock_virtual();
	simh_init(&r->h);
	r->h.cfg.primary_image = primary;
	r->h.cfg.clock_ms = rig_clock;
	r->h.cfg.buf_size = buf_size;
	r->h.cfg.buf_count = buf_count;
	r->h.cfg.slot_size = 0x120000;
	return simh_open(&r->h);
}

static bool rig_open(struct rig *r, unsigned buf_size, unsigned buf_count)
{
	return rig_open_with(r, buf_size, buf_count, NULL);
}

static void dfu_cfg(struct smp_dfu_cfg *cfg, struct rig *r, struct image *im, bool confirm)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->src = &im->src;
	cfg->image_len = im->len;
	cfg->hash = im->info.hash;
	cfg->hash_len = im->info.hash_len;
	cfg->sha = im->info.file_sha256;
	cfg->image = -1;
	cfg->confirm = confirm;
	cfg->progress = on_progress;
	cfg->done = on_done;
	cfg->reconnect = on_reconnect;
	cfg->arg = r;
}

static int engine_open(struct arena *a, struct smp_link *link, struct rig *r, unsigned slots)
{
	struct smp_engine_cfg ecfg;
	struct smp_engine_mem mem = { a->rx, sizeof(a->rx), a->tx, sizeof(a->tx), slots };

	link->ops = &rig_ops;
	link->ctx = r;
	smp_engine_cfg_defaults(&ecfg);
	ecfg.window = slots;
	return smp_engine_init(&a->engine, link, &ecfg, &mem);
}

TEST(dfu_upgrades_1mib_in_12kib_with_no_allocation)
{
	static struct arena a; /* one block, as a static in firmware */
	struct image im = { 0 };
	struct smp_dfu_cfg cfg;
	struct smp_link link;
	struct rig r;
	struct simh after;

	CHECK(sizeof(a) <= RAM_BUDGET);
	printf("    RAM: engine %zu + upgrade state %zu + rx %zu + tx %zu = %zu of %d bytes\n",
	       sizeof(a.engine), sizeof(a.dfu), sizeof(a.rx), sizeof(a.tx), sizeof(a), RAM_BUDGET);
	if (__sanitizer_install_malloc_and_free_hooks)
		__sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
	CHECK(load_image(&im, "app_1m_ecdsa-p256.bin"));
	CHECK(im.len >= 1024 * 1024);
	CHECK(rig_open(&r, LINK_MTU, 4));
	CHECK_INT(engine_open(&a, &link, &r, 1), SMP_OK);
	dfu_cfg(&cfg, &r, &im, true);
	core_enter();
	CHECK_INT(smp_dfu_start(&a.dfu, &a.engine, &cfg), SMP_OK);
	core_leave();
	run(&r, &a.dfu);
	CHECK(r.done);
	CHECK_INT(r.done_result, SMP_OK);
	CHECK_STR(r.done_detail, "running version 1.2.3+4, confirmed");
	CHECK_INT(core_allocs, 0);
	if (core_allocs)
		printf("    %lu allocations (%zu bytes) inside the core\n", core_allocs,
		       core_alloc_bytes);
	CHECK_INT(a.dfu.ur.offset, im.len);
	CHECK_INT(r.reconnects, 1);
	/* Every phase, in order. */
	CHECK_INT(r.nphases, 8);
	CHECK_INT(r.phases[0], SMP_DFU_PARAMS);
	CHECK_INT(r.phases[2], SMP_DFU_UPLOAD);
	CHECK_INT(r.phases[5], SMP_DFU_RECONNECT);
	CHECK_INT(r.phases[7], SMP_DFU_DONE);
	/* The device itself says so: slot 0 runs the image, confirmed. */
	after = r.h;
	CHECK(simh_req(&after, SMP_V2, SMP_OP_READ, SMP_GROUP_IMAGE, SMP_IMG_STATE, NULL) > 0);
	CHECK(simh_image_hash(&after, 0, 0) &&
	      memcmp(simh_image_hash(&after, 0, 0), im.info.hash, 32) == 0);
	CHECK_INT(simh_image_field(&after, 0, 0, "confirmed"), 1);
	if (__sanitizer_install_malloc_and_free_hooks)
		__sanitizer_install_malloc_and_free_hooks(NULL, NULL);
	rig_close(&r, &im);
}

TEST(dfu_with_a_window_keeps_several_chunks_in_flight)
{
	static uint8_t tx[4 * LINK_MTU], rx[16];
	static struct smp_engine e;
	static struct smp_dfu d;
	struct smp_engine_mem mem = { rx, sizeof(rx), tx, sizeof(tx), 4 };
	struct smp_engine_cfg ecfg;
	struct image im = { 0 };
	struct smp_dfu_cfg cfg;
	struct smp_link link = { &rig_ops, NULL };
	struct rig r;

	CHECK(load_image(&im, "app_100k_ed25519_v2.bin"));
	CHECK(rig_open(&r, LINK_MTU, 4));
	link.ctx = &r;
	smp_engine_cfg_defaults(&ecfg);
	ecfg.window = 4;
	CHECK_INT(smp_engine_init(&e, &link, &ecfg, &mem), SMP_OK);
	dfu_cfg(&cfg, &r, &im, false);
	CHECK_INT(smp_dfu_start(&d, &e, &cfg), SMP_OK);
	/* Without delivering anything: params, then list, one at a time. */
	CHECK_INT(r.queued, 1);
	run(&r, &d);
	CHECK_INT(r.done_result, SMP_OK);
	CHECK_STR(r.done_detail, "the device restarts into the new image");
	CHECK(d.run.c.st.window_peak >= 2);
	CHECK_INT(r.reconnects, 0);
	CHECK(r.reset_seen);
	rig_close(&r, &im);
}

TEST(dfu_of_the_running_image_sends_nothing)
{
	static struct arena a;
	struct image im = { 0 };
	struct smp_dfu_cfg cfg;
	struct smp_link link;
	struct rig r;

	CHECK(load_image(&im, "app_100k_ed25519_v2.bin"));
	CHECK(rig_open_with(&r, LINK_MTU, 4, simh_image_path("app_100k_ed25519_v2.bin")));
	CHECK_INT(engine_open(&a, &link, &r, 1), SMP_OK);
	dfu_cfg(&cfg, &r, &im, true);
	CHECK_INT(smp_dfu_start(&a.dfu, &a.engine, &cfg), SMP_OK);
	run(&r, &a.dfu);
	CHECK_INT(r.done_result, SMP_OK);
	CHECK_STR(r.done_detail, "the device already runs version 2.0.0");
	CHECK_INT(r.sent, 2); /* params and the list, no chunk */
	CHECK_INT(a.dfu.ur.offset, 0);
	rig_close(&r, &im);
}

TEST(dfu_that_never_comes_back_says_so)
{
	static struct arena a;
	struct image im = { 0 };
	struct smp_dfu_cfg cfg;
	struct smp_link link;
	struct rig r;

	CHECK(load_image(&im, "app_100k_ed25519_v2.bin"));
	CHECK(rig_open(&r, LINK_MTU, 2));
	CHECK_INT(engine_open(&a, &link, &r, 1), SMP_OK);
	dfu_cfg(&cfg, &r, &im, true);
	cfg.reconnect_timeout_ms = 5000;
	CHECK_INT(smp_dfu_start(&a.dfu, &a.engine, &cfg), SMP_OK);
	/* Deliver until the reset; then the app never reconnects. */
	while (smp_dfu_busy(&a.dfu) && a.dfu.phase != SMP_DFU_RECONNECT)
		step(&r, &a.dfu);
	CHECK_INT(a.dfu.phase, SMP_DFU_RECONNECT);
	CHECK_INT(r.reconnects, 1);
	CHECK_INT(smp_dfu_deadline(&a.dfu) - smp_clock_ms(), 5000);
	unit_clock_pass_us(5000 * 1000);
	smp_dfu_timer(&a.dfu);
	CHECK(r.done);
	CHECK_INT(r.done_result, SMP_E_TIMEOUT);
	CHECK_STR(r.done_detail, "reconnect: the device did not come back");
	rig_close(&r, &im);
}

TEST(dfu_cancel_stops_at_once_and_says_so)
{
	static struct arena a;
	struct image im = { 0 };
	struct smp_dfu_cfg cfg;
	struct smp_link link;
	struct rig r;
	unsigned long sent;

	CHECK(load_image(&im, "app_100k_ed25519_v2.bin"));
	CHECK(rig_open(&r, LINK_MTU, 2));
	CHECK_INT(engine_open(&a, &link, &r, 1), SMP_OK);
	dfu_cfg(&cfg, &r, &im, true);
	CHECK_INT(smp_dfu_start(&a.dfu, &a.engine, &cfg), SMP_OK);
	while (smp_dfu_busy(&a.dfu) && (a.dfu.phase < SMP_DFU_UPLOAD || r.last_progress < 20000) &&
	       r.queued)
		deliver(&r, &a.dfu);
	CHECK_INT(a.dfu.phase, SMP_DFU_UPLOAD);
	smp_dfu_cancel(&a.dfu);
	CHECK(!smp_dfu_busy(&a.dfu));
	CHECK_INT(r.done_result, SMP_E_CANCELLED);
	CHECK_STR(r.done_detail, "upload: cancelled");
	CHECK_INT(smp_inflight(&a.engine), 0);
	/* Answers still on their way are strays now. */
	sent = r.sent;
	while (r.queued)
		deliver(&r, &a.dfu);
	CHECK_INT(r.sent, sent);
	CHECK_INT(smp_dfu_deadline(&a.dfu), INT64_MAX);
	rig_close(&r, &im);
}

TEST(dfu_without_reconnect_waits_until_the_device_has_reset)
{
	static struct arena a;
	struct image im = { 0 };
	struct smp_dfu_cfg cfg;
	struct smp_link link;
	struct rig r;

	CHECK(load_image(&im, "app_100k_ed25519_v2.bin"));
	CHECK(rig_open(&r, LINK_MTU, 2));
	/* A device that answers the reset and goes on answering, from the
	 * old image, longer than the core's settle time. */
	simh_close(&r.h);
	r.h.cfg.reset_delay_ms = 3500;
	CHECK(simh_open(&r.h));
	CHECK_INT(engine_open(&a, &link, &r, 1), SMP_OK);
	dfu_cfg(&cfg, &r, &im, true);
	cfg.reconnect = NULL; /* a UART: the link survives the reset */
	CHECK_INT(smp_dfu_start(&a.dfu, &a.engine, &cfg), SMP_OK);
	run(&r, &a.dfu);
	CHECK_INT(r.done_result, SMP_OK);
	CHECK_STR(r.done_detail, "running version 2.0.0, confirmed");
	CHECK_INT(r.reconnects, 0);
	rig_close(&r, &im);
}

TEST(dfu_says_when_mcuboot_keeps_the_old_image)
{
	static struct arena a;
	struct image im = { 0 };
	struct smp_dfu_cfg cfg;
	struct smp_link link;
	struct rig r;

	/* An image whose body does not match its hash: the device takes it
	 * and tests it, and MCUboot refuses it at the reset. */
	CHECK(!load_image(&im, "bad_hash_body_100k_unsigned.bin"));
	CHECK_INT(im.info.err, SMP_IMG_HASH_MISMATCH);
	CHECK(rig_open(&r, LINK_MTU, 2));
	CHECK_INT(engine_open(&a, &link, &r, 1), SMP_OK);
	dfu_cfg(&cfg, &r, &im, true);
	CHECK_INT(smp_dfu_start(&a.dfu, &a.engine, &cfg), SMP_OK);
	run(&r, &a.dfu);
	CHECK_INT(r.done_result, SMP_E_PROTOCOL);
	CHECK_STR(
		r.done_detail,
		"after the reset: the device does not run the new image (MCUboot kept the old one)");
	CHECK(r.reset_seen);
	rig_close(&r, &im);
}

TEST(dfu_refuses_a_config_without_an_image)
{
	static struct arena a;
	struct image im = { 0 };
	struct smp_dfu_cfg cfg;
	struct smp_link link;
	struct rig r;

	CHECK(load_image(&im, "app_100k_ed25519_v2.bin"));
	CHECK(rig_open(&r, LINK_MTU, 2));
	CHECK_INT(engine_open(&a, &link, &r, 1), SMP_OK);
	dfu_cfg(&cfg, &r, &im, true);
	cfg.hash_len = 0;
	CHECK_INT(smp_dfu_start(&a.dfu, &a.engine, &cfg), SMP_E_PROTOCOL);
	CHECK(!smp_dfu_busy(&a.dfu));
	CHECK_INT(r.sent, 0);
	rig_close(&r, &im);
}
