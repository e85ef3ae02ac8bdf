/* The transfer controller (smp/xfer_ctl.c) against scripted devices that
 * lose requests in each of the ways a real one does, and the learned-link
 * cache (cli/link_cache.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/link.h"
#include "cli/link_cache.h"
#include "host/cbor_tree.h"
#include "host/engine_heap.h"
#include "smp/grp_os.h"
#include "smp/clock.h"
#include "smp/header.h"
#include "smp/image_upload.h"
#include "smp/xfer_ctl.h"
#include "smp/xfer_probe.h"
#include "tests/unit/fake_transport.h"
#include "tests/unit/unit.h"

#define DATA_LEN 100000
#define CHUNK_OVERHEAD 32 /* header and CBOR fields, rounded up */

/* A device that appends each chunk at its offset, and how it fails. */
struct dev {
	uint8_t got[DATA_LEN];
	uint64_t off;
	unsigned requests;
	unsigned drop_every;		 /* lose every Nth request silently */
	unsigned burst_every, burst_len; /* lose burst_len in a row of every burst_every */
	unsigned pool;			 /* buffers shared by requests and answers (0: plenty) */
	int pool_rc;			 /* the rc when no buffer is left: ENOMEM or EBUSY */
	unsigned pool_after;		 /* the pool only binds from this request on */
	unsigned pool_until;		 /* ... and up to this one (0: always) */
	size_t packet_limit;		 /* drop longer packets (0: none) */
	unsigned gap_needed;		 /* longer packets pass with this frame gap */
	unsigned gap;			 /* what the client set */
	unsigned peak;			 /* most requests in the device at once */
	unsigned silent_from;		 /* stop answering at this request (0: never) */
	unsigned delay_us;		 /* service time of each request */
};

static void answer_map(struct fake_transport *f, const uint8_t *req, cbor_item_t *m)
{
	uint8_t *buf = NULL;
	size_t len = 0;

	tree_encode(m, &buf, &len);
	fake_answer(f, req, SMP_V2, buf, len);
	free(buf);
	cbor_decref(&m);
}

static void answer_rc(struct fake_transport *f, const uint8_t *req, int rc)
{
	cbor_item_t *m = cbor_new_definite_map(1);

	tree_put_int(m, "rc", rc);
	answer_map(f, req, m);
}

static void device(struct fake_transport *f, const uint8_t *req, size_t len)
{
	struct dev *d = f->user;
	struct smp_header h;
	cbor_item_t *body, *m;
	uint64_t off = 0;
	uint8_t *data = NULL;
	size_t n = 0;
	const char *why;

	d->requests++;
	if (f->count + 1 > d->peak)
		d->peak = (unsigned)f->count + 1;
	if ((d->drop_every && d->requests % d->drop_every == 0) ||
	    (d->burst_every && d->requests % d->burst_every >= d->burst_every - d->burst_len) ||
	    (d->silent_from && d->requests >= d->silent_from) ||
	    (d->packet_limit && len > d->packet_limit &&
	     (!d->gap_needed || d->gap < d->gap_needed))) {
		f->dropped++;
		return;
	}
	if (d->pool && d->requests >= d->pool_after &&
	    (!d->pool_until || d->requests <= d->pool_until) && f->count + 1 >= d->pool) {
		answer_rc(f, req, d->pool_rc); /* no buffer for the answer */
		return;
	}
	if (d->delay_us)
		unit_clock_pass_us(d->delay_us);
	smp_header_decode(req, len, &h);
	body = tree_decode_map(req + SMP_HEADER_SIZE, h.len, &why);
	if (h.group == SMP_GROUP_OS && h.id == SMP_OS_ECHO) {
		char *text = NULL;

		tree_get_text(body, "d", &text);
		m = cbor_new_definite_map(1);
		tree_put_text(m, "r", text ? text : "");
		free(text);
		cbor_decref(&body);
		answer_map(f, req, m);
		return;
	}
	tree_get_uint(body, "off", &off);
	tree_get_bytes(body, "data", &data, &n);
	cbor_decref(&body);
	if (off == d->off && off + n <= DATA_LEN) {
		memcpy(d->got + off, data, n);
		d->off += n;
	}
	free(data);
	m = cbor_new_definite_map(1);
	tree_put_uint(m, "off", d->off);
	answer_map(f, req, m);
}

static void gap_set(void *ctx, unsigned ms, unsigned burst)
{
	struct fake_transport *f = ctx;

	((struct dev *)f->user)->gap = ms;
}

struct rig {
	struct fake_transport f;
	struct smp_transport_ops ops; /* the fake's, plus a frame gap */
	struct smp_link tr;
	struct smp_engine e;
	struct dev d;
	uint8_t data[DATA_LEN];
	size_t chunk_off, chunk_n; /* the chunk build chose, for encode */
};

static void rig_open(struct rig *r, bool framed)
{
	struct smp_engine_cfg cfg;

	memset(r, 0, sizeof(*r));
	fake_init(&r->f, &r->tr, device);
	r->f.user = &r->d;
	if (framed) {
		r->ops = *r->tr.ops;
		r->ops.set_frame_gap = gap_set;
		r->tr.ops = &r->ops;
	}
	for (size_t i = 0; i < DATA_LEN; i++)
		r->data[i] = (uint8_t)(i * 13 + i / 7);
	smp_engine_cfg_defaults(&cfg);
	cfg.timeout_ms = 40;
	cfg.retries = 3;
	engine_heap_init(&r->e, &r->tr, &cfg);
}

static int encode(void *arg, struct smp_cbor_writer *w)
{
	struct rig *r = arg;

	smp_cbor_map(w, 2);
	smp_put_uint(w, "off", r->chunk_off);
	smp_put_bytes(w, "data", r->data + r->chunk_off, r->chunk_n);
	return smp_cbor_done(w);
}

static int build(void *arg, uint64_t off, size_t packet, struct smp_request *req, size_t *n)
{
	struct rig *r = arg;
	size_t k = packet > CHUNK_OVERHEAD + 8 ? packet - CHUNK_OVERHEAD : 0;

	if (k > DATA_LEN - off)
		k = DATA_LEN - off;
	if (k == 0 && off < DATA_LEN)
		return SMP_E_TOOBIG;
	r->chunk_off = (size_t)off;
	r->chunk_n = k;
	*req = (struct smp_request){
		.op = SMP_OP_WRITE, .group = 64, .id = 1, .encode = encode, .encode_arg = r
	};
	*n = k;
	return SMP_OK;
}

static enum smp_xfer_verdict take(void *arg, const struct smp_response *rsp, uint64_t off, size_t n,
				  uint64_t *at)
{
	return smp_get_uint(&rsp->body, "off", at) == SMP_GET_OK ? SMP_XFER_TAKEN : SMP_XFER_STOP;
}

static const struct smp_xfer_ops ops = { .build = build, .take = take };

static struct smp_xfer_plan plan(size_t packet, unsigned window)
{
	return (struct smp_xfer_plan){ .start = { .packet = packet, .window = window },
				       .window_max = window };
}

/* Runs a whole transfer and checks the device has every byte. */
static int run(struct unit_ctx *t, struct rig *r, const struct smp_xfer_plan *p,
	       struct smp_xfer_ctl *c)
{
	int rc;

	smp_xfer_init(c, &r->e, p, NULL, NULL);
	rc = smp_xfer_run(c, &ops, r, 0, DATA_LEN);
	if (rc == SMP_OK) {
		CHECK_INT(r->d.off, DATA_LEN);
		CHECK(!memcmp(r->d.got, r->data, DATA_LEN));
	}
	return rc;
}

TEST(xfer_clean_device_keeps_window)
{
	struct rig r;
	struct smp_xfer_plan p = plan(400, 3);
	struct smp_xfer_ctl c;

	rig_open(&r, false);
	CHECK_INT(run(t, &r, &p, &c), SMP_OK);
	CHECK_INT(c.st.losses, 0);
	CHECK_INT(c.st.resends, 0);
	CHECK_INT(c.now.window, 3);
	CHECK_INT(r.d.peak, 3);
	engine_heap_fini(&r.e);
}

/* The device loses a request; the next answer says it is behind: one
 * resend from its offset, the window cut at once, no resync loop. */
TEST(xfer_offset_behind_cuts_window_once)
{
	struct rig r;
	struct smp_xfer_plan p = plan(400, 4);
	struct smp_xfer_ctl c;

	rig_open(&r, false);
	r.d.drop_every = 10;
	CHECK_INT(run(t, &r, &p, &c), SMP_OK);
	CHECK(c.st.losses >= 1);
	/* Each lost request costs one loss, not one per chunk in flight. */
	CHECK(c.st.losses <= r.f.dropped);
	CHECK(c.now.window < 4 || c.st.grows > 0);
	engine_heap_fini(&r.e);
}

/* Zephyr's shared pool: a second request in flight leaves no buffer for
 * the first one's answer, and the device says ENOMEM. That is "slow
 * down": the transfer completes, and the window ends at what fits. */
static void backpressure(struct unit_ctx *t, int rc_code)
{
	struct rig r;
	struct smp_xfer_plan p = plan(400, 3);
	struct smp_xfer_ctl c;

	rig_open(&r, false);
	r.d.pool = 2;
	r.d.pool_rc = rc_code;
	CHECK_INT(run(t, &r, &p, &c), SMP_OK);
	CHECK(c.st.losses >= 1);
	CHECK_INT(c.now.window, 1);
	/* Growth is retried ever more rarely: few resends in all. */
	CHECK(c.st.resends * 100 <= c.st.chunks * 12);
	engine_heap_fini(&r.e);
}

TEST(xfer_enomem_means_slow_down)
{
	backpressure(t, SMP_MGMT_ERR_ENOMEM);
}

TEST(xfer_ebusy_means_slow_down)
{
	backpressure(t, SMP_MGMT_ERR_EBUSY);
}

/* Requests lost with nothing behind them: only a timeout tells. */
TEST(xfer_timeout_is_loss)
{
	struct rig r;
	struct smp_xfer_plan p = plan(400, 1);
	struct smp_xfer_ctl c;

	rig_open(&r, false);
	r.d.drop_every = 7;
	CHECK_INT(run(t, &r, &p, &c), SMP_OK);
	CHECK(c.st.losses >= r.f.dropped - 1);
	CHECK_INT(c.st.shrinks, 0);
	engine_heap_fini(&r.e);
}

/* A device that stops answering: the transfer gives up after the
 * retries, with a timeout, instead of looping. */
TEST(xfer_dead_device_times_out)
{
	struct rig r;
	struct smp_xfer_plan p = plan(400, 2);
	struct smp_xfer_ctl c;

	rig_open(&r, false);
	r.d.silent_from = 20;
	CHECK_INT(run(t, &r, &p, &c), SMP_E_TIMEOUT);
	CHECK(c.detail[0] != 0);
	CHECK(c.done < DATA_LEN);
	engine_heap_fini(&r.e);
}

/* Back-pressure at first, then buffers free up: the window grows back. */
TEST(xfer_window_probes_back_up)
{
	struct rig r;
	struct smp_xfer_plan p = plan(200, 3);
	struct smp_xfer_ctl c;

	rig_open(&r, false);
	r.d.pool = 2;
	r.d.pool_rc = SMP_MGMT_ERR_ENOMEM;
	r.d.pool_until = 12;
	CHECK_INT(run(t, &r, &p, &c), SMP_OK);
	CHECK(c.st.losses >= 1);
	CHECK(c.st.grows >= 2);
	CHECK_INT(c.now.window, 3);
	engine_heap_fini(&r.e);
}

/* -w pins the window: never more in flight, even on a device with room. */
TEST(xfer_pinned_window_is_a_ceiling)
{
	struct rig r;
	struct smp_xfer_plan p = plan(400, 2);
	struct smp_xfer_ctl c;

	rig_open(&r, false);
	p.pin_window = true;
	CHECK_INT(run(t, &r, &p, &c), SMP_OK);
	CHECK_INT(r.d.peak, 2);
	CHECK_INT(c.now.window, 2);
	p = plan(400, 1);
	p.pin_window = true;
	rig_open(&r, false);
	CHECK_INT(run(t, &r, &p, &c), SMP_OK);
	CHECK_INT(r.d.peak, 1);
	engine_heap_fini(&r.e);
}

/* Packets past what the path carries vanish: the size shrinks until one
 * gets through, then bisects towards the limit. */
TEST(xfer_finds_packet_size)
{
	struct rig r;
	struct smp_xfer_plan p = plan(1000, 2);
	struct smp_xfer_ctl c;

	rig_open(&r, false);
	r.d.packet_limit = 600;
	CHECK_INT(run(t, &r, &p, &c), SMP_OK);
	CHECK(c.st.shrinks >= 1);
	CHECK(c.now.packet <= 600);
	CHECK(c.now.packet >= 600 - 100);
	engine_heap_fini(&r.e);
}

/* -m pins the packet: silence is then loss, not size. */
TEST(xfer_pinned_packet_does_not_shrink)
{
	struct rig r;
	struct smp_xfer_plan p = plan(1000, 1);
	struct smp_xfer_ctl c;

	rig_open(&r, false);
	p.pin_packet = true;
	r.d.drop_every = 5;
	CHECK_INT(run(t, &r, &p, &c), SMP_OK);
	CHECK_INT(c.st.shrinks, 0);
	CHECK_INT(c.now.packet, 1000);
	engine_heap_fini(&r.e);
}

/* The echo probe: on a framed link whose device takes long packets only
 * spaced, it finds the spacing and keeps the full size. */
TEST(xfer_probe_finds_frame_gap)
{
	struct rig r;
	struct smp_xfer_plan p = plan(1000, 1);
	struct smp_xfer_ctl c;

	rig_open(&r, true);
	r.d.packet_limit = 300;
	r.d.gap_needed = 10;
	r.d.delay_us = 1000; /* per request: large packets pay */
	p.probe = true;
	CHECK_INT(run(t, &r, &p, &c), SMP_OK);
	CHECK_INT(c.now.packet, 1000);
	CHECK(c.now.gap_ms >= 10);
	CHECK(c.st.probes >= 3);
	CHECK_INT(c.st.shrinks, 0);
	engine_heap_fini(&r.e);
}

/* Without a frame-gap op the probe finds the largest size that passes. */
TEST(xfer_probe_finds_size_unframed)
{
	struct rig r;
	struct smp_xfer_plan p = plan(1000, 1);
	struct smp_xfer_ctl c;

	rig_open(&r, false);
	r.d.packet_limit = 500;
	/* Requests that take a while, lost ones that cost little: the
	 * search may go on until it is close. */
	r.d.delay_us = 8000;
	r.e.cfg.timeout_ms = 30;
	p.probe = true;
	CHECK_INT(run(t, &r, &p, &c), SMP_OK);
	if (!CHECK(c.now.packet <= 500 && c.now.packet >= 450))
		fprintf(stderr, "    packet %zu\n", c.now.packet);
	CHECK_INT(c.now.gap_ms, 0);
	CHECK_INT(c.st.shrinks, 0);
	engine_heap_fini(&r.e);
}

/* --frame-gap pins the gap: the probe only looks at sizes. */
TEST(xfer_pinned_gap_is_kept)
{
	struct rig r;
	struct smp_xfer_plan p = plan(1000, 1);
	struct smp_xfer_ctl c;

	rig_open(&r, true);
	r.d.packet_limit = 300;
	r.d.gap_needed = 10;
	p.probe = true;
	p.pin_gap = true;
	CHECK_INT(run(t, &r, &p, &c), SMP_OK);
	CHECK_INT(c.now.gap_ms, 0);
	CHECK(c.now.packet <= 300);
	engine_heap_fini(&r.e);
}

/* ---- the learned-link cache ---------------------------------------- */

struct cache_dir {
	char path[64];
	char *old;
};

static bool cache_open(struct cache_dir *cd)
{
	const char *old = getenv("XDG_CACHE_HOME");

	cd->old = old ? strdup(old) : NULL;
	snprintf(cd->path, sizeof(cd->path), "/tmp/xfer-cache-%d-XXXXXX", (int)getpid());
	if (!mkdtemp(cd->path))
		return false;
	setenv("XDG_CACHE_HOME", cd->path, 1);
	return true;
}

static void cache_close(struct cache_dir *cd, const char *key)
{
	char file[1000], dir[200];

	if (link_cache_path(key, file, sizeof(file)) == 0)
		unlink(file);
	snprintf(dir, sizeof(dir), "%s/smpctl/links", cd->path);
	rmdir(dir);
	snprintf(dir, sizeof(dir), "%s/smpctl", cd->path);
	rmdir(dir);
	rmdir(cd->path);
	if (cd->old)
		setenv("XDG_CACHE_HOME", cd->old, 1);
	else
		unsetenv("XDG_CACHE_HOME");
	free(cd->old);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

TEST(link_cache_round_trip)
{
	static const char key[] = "serial /dev/ttyACM0 baud=115200 params=384x4";
	struct smp_xfer_link in = { 368, 1, 11, 2 }, out = { 0 };
	struct cache_dir cd;
	char file[1000];
	struct stat st;

	if (!CHECK(cache_open(&cd)))
		return;
	CHECK_INT(link_cache_load(key, &out), -1); /* nothing yet */
	CHECK_INT(link_cache_store(key, &in), 0);
	CHECK_INT(link_cache_load(key, &out), 0);
	CHECK_INT(out.packet, 368);
	CHECK_INT(out.gap_burst, 2);
	CHECK_INT(out.window, 1);
	CHECK_INT(out.gap_ms, 11);
	/* Another connection does not see it. */
	CHECK_INT(link_cache_load("udp 10.0.0.1 params=2048x2", &out), -1);
	CHECK_INT(link_cache_path(key, file, sizeof(file)), 0);
	CHECK(strncmp(file, cd.path, strlen(cd.path)) == 0);
	CHECK(stat(file, &st) == 0 && S_ISREG(st.st_mode));
	cache_close(&cd, key);
}

TEST(link_cache_corrupt_is_ignored_and_replaced)
{
	static const char key[] = "udp 127.0.0.1:1337 baud=0 params=2048x2";
	static const char *const bad[] = {
		"garbage\n",
		"smpctl-link 1\nkey udp 127.0.0.1:1337 baud=0 params=2048x2\npacket 9\nwindow 1\n"
		"gap 0\n", /* packet too small */
		"smpctl-link 1\nkey udp 127.0.0.1:1337 baud=0 params=2048x2\npacket 500\n"
		"window 99\ngap 0\n", /* window past the most */
		"smpctl-link 1\nkey udp 127.0.0.1:1337 baud=0 params=2048x2\npacket 500\n",
		"smpctl-link 1\nkey other\npacket 500\nwindow 1\ngap 0\n", /* a hash clash */
		"smpctl-link 1\nkey udp 127.0.0.1:1337 baud=0 params=2048x2\npacket 500x\n"
		"window 1\ngap 0\n",
	};
	struct smp_xfer_link in = { 1500, 1, 0, 0 }, out;
	struct cache_dir cd;
	char file[1000];
	size_t i;

	if (!CHECK(cache_open(&cd)))
		return;
	CHECK_INT(link_cache_store(key, &in), 0);
	CHECK_INT(link_cache_path(key, file, sizeof(file)), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_file(file, bad[i]);
		if (!CHECK_INT(link_cache_load(key, &out), -1))
			fprintf(stderr, "    accepted cache text %zu\n", i);
	}
	CHECK_INT(link_cache_store(key, &in), 0);
	CHECK_INT(link_cache_load(key, &out), 0);
	CHECK_INT(out.packet, 1500);
	/* A symlink in its place is neither followed nor replaced. */
	unlink(file);
	CHECK_INT(symlink("/dev/null", file), 0);
	CHECK_INT(link_cache_load(key, &out), -1);
	CHECK_INT(link_cache_store(key, &in), -1);
	{
		struct stat st;

		CHECK(lstat(file, &st) == 0 && S_ISLNK(st.st_mode));
	}
	cache_close(&cd, key);
}

/* Loss in bursts on a link whose packet size was proven before: several
 * tries in a row unanswered, yet the size passes in between. That is
 * loss, not size: nothing shrinks, and what is kept for the next run is
 * the size that was answered and the window it started from. */
#define LOSSY_LEN 30000
TEST(xfer_lossy_run_keeps_its_packet)
{
	static const char key[] = "udp 127.0.0.1:1337 baud=0 params=2048x2";
	struct rig r;
	struct smp_xfer_plan p = plan(1000, 1);
	struct smp_xfer_ctl c;
	struct smp_xfer_link learned, cached = { 0 };
	struct cache_dir cd;

	if (!CHECK(cache_open(&cd)))
		return;
	rig_open(&r, false);
	p.start_proven = true;
	/* The timeouts that count against the retries are far off: loss
	 * costs the adaptive ones, whatever the machine's load. */
	r.e.cfg.timeout_ms = 400;
	r.d.burst_every = 12;
	r.d.burst_len = 3; /* 25 % lost, three in a row */
	smp_xfer_init(&c, &r.e, &p, NULL, NULL);
	if (!CHECK_INT(smp_xfer_run(&c, &ops, &r, 0, LOSSY_LEN), SMP_OK))
		fprintf(stderr, "    %s\n", c.detail);
	CHECK(r.d.off >= LOSSY_LEN);
	CHECK(!memcmp(r.d.got, r.data, LOSSY_LEN));
	CHECK_INT(c.st.shrinks, 0);
	CHECK(c.st.lost >= r.f.dropped / 2);
	CHECK(smp_xfer_lossy(&c));
	smp_xfer_learned(&c, &learned);
	CHECK_INT(learned.packet, 1000);
	CHECK_INT(learned.window, 1);
	CHECK_INT(link_cache_store(key, &learned), 0);
	CHECK_INT(link_cache_load(key, &cached), 0);
	CHECK_INT(cached.packet, 1000);
	engine_heap_fini(&r.e);
	cache_close(&cd, key);
}

/* A size that every try misses while a smaller one passes is too large,
 * even once proven (a polled device let it through by luck): it shrinks,
 * and a clean run keeps the smaller size. */
TEST(xfer_consistent_silence_shrinks_a_proven_size)
{
	struct rig r;
	struct smp_xfer_plan p = plan(1000, 1);
	struct smp_xfer_ctl c;
	struct smp_xfer_link learned;

	rig_open(&r, false);
	p.start_proven = true;
	r.d.packet_limit = 800;
	CHECK_INT(run(t, &r, &p, &c), SMP_OK);
	CHECK(c.st.shrinks >= 1);
	CHECK(c.now.packet <= 800);
	smp_xfer_learned(&c, &learned);
	CHECK(learned.packet <= 800);
	engine_heap_fini(&r.e);
}

/* The size proven before and the smaller one tried beside it both go
 * unanswered: the proof was luck, and the size comes down until one
 * passes, instead of resending at it forever. */
TEST(xfer_lucky_proof_comes_down)
{
	struct rig r;
	struct smp_xfer_plan p = plan(1000, 1);
	struct smp_xfer_ctl c;

	rig_open(&r, false);
	p.start_proven = true;
	r.d.packet_limit = 600;
	CHECK_INT(run(t, &r, &p, &c), SMP_OK);
	CHECK(c.st.shrinks >= 1);
	CHECK(c.now.packet <= 600);
	engine_heap_fini(&r.e);
}

/* The event loop a caller without a thread runs: each packet the link
 * delivers goes to smp_engine_input, smp_engine_expire runs once the
 * engine's deadline has come, and every completion goes to on_response,
 * until it returns other than SMP_OK. Returns that, or STALLED when
 * nothing is left in flight to wait for. */
#define STALLED (-100)
static int drive(struct rig *r, int (*on_response)(void *arg, const struct smp_response *rsp),
		 void *arg, int rc)
{
	static uint8_t pkt[FAKE_MAX_PKT];
	struct smp_response rsp;
	int64_t wait;
	size_t len;
	int io;

	while (rc == SMP_OK) {
		if (smp_inflight(&r->e) == 0)
			return STALLED;
		wait = smp_engine_deadline(&r->e) - smp_clock_ms();
		if (wait <= 0) {
			if (smp_engine_expire(&r->e, &rsp))
				rc = on_response(arg, &rsp);
			continue;
		}
		io = r->tr.ops->recv(r->tr.ctx, pkt, sizeof(pkt), &len,
				     wait > 1000 ? 1000 : (int)wait);
		if (io == SMP_IO_OK && smp_engine_input(&r->e, pkt, len, &rsp))
			rc = on_response(arg, &rsp);
	}
	return rc;
}

/* 1 once the transfer is finished. */
static int xfer_response(void *arg, const struct smp_response *rsp)
{
	int rc = smp_xfer_on_response(arg, rsp);

	return rc == SMP_OK && smp_xfer_finished(arg) ? 1 : rc;
}

/* Driven by events, the controller moves the same bytes through the same
 * loss as the blocking loop, and leaves nothing in flight. */
TEST(xfer_driven_by_events_survives_loss)
{
	struct rig r;
	struct smp_xfer_plan p = plan(400, 3);
	struct smp_xfer_ctl c;
	int rc;

	rig_open(&r, false);
	r.d.drop_every = 9;
	smp_xfer_init(&c, &r.e, &p, NULL, NULL);
	rc = smp_xfer_start(&c, &ops, &r, 0, DATA_LEN);
	CHECK_INT(rc, SMP_OK);
	CHECK(smp_inflight(&r.e) > 0);
	rc = drive(&r, xfer_response, &c, rc);
	if (!CHECK_INT(rc, 1))
		fprintf(stderr, "    %s\n", c.detail);
	CHECK(smp_xfer_finished(&c));
	CHECK_INT(r.d.off, DATA_LEN);
	CHECK(!memcmp(r.d.got, r.data, DATA_LEN));
	CHECK(c.st.losses > 0);
	CHECK_INT(smp_inflight(&r.e), 0);
	engine_heap_fini(&r.e);
}

/* The event-driven start cannot probe: it says so and sends nothing. */
TEST(xfer_driven_by_events_refuses_probe)
{
	struct rig r;
	struct smp_xfer_plan p = plan(400, 3);
	struct smp_xfer_ctl c;

	rig_open(&r, false);
	p.probe = true;
	smp_xfer_init(&c, &r.e, &p, NULL, NULL);
	CHECK_INT(smp_xfer_start(&c, &ops, &r, 0, DATA_LEN), SMP_E_BUSY);
	CHECK(strstr(c.detail, "probe") != NULL);
	CHECK_INT(r.f.sent, 0);
	engine_heap_fini(&r.e);
}

static int upload_response(void *arg, const struct smp_response *rsp)
{
	struct smp_upload_run *u = arg;

	/* Every completion here is the upload's: the engine is its alone. */
	return smp_upload_owns(u, rsp) || rsp->result != SMP_OK ? smp_upload_on_response(u, rsp)
								: SMP_OK;
}

/* The upload driven by events: started, fed every completion, it ends
 * with SMP_UPLOAD_DONE and the device holding the whole image, as the
 * blocking smp_upload over the same lossy device. */
TEST(upload_driven_by_events_lands_the_image)
{
	static struct rig r;
	struct smp_upload_params up = { .len = DATA_LEN, .image = -1, .align = 4 };
	struct smp_upload_result res;
	struct smp_upload_run run;
	int rc;

	rig_open(&r, false);
	r.d.drop_every = 11;
	up.data = r.data;
	up.plan = plan(500, 3);
	rc = smp_upload_start(&run, &r.e, &up, &res);
	CHECK_INT(rc, SMP_OK);
	rc = drive(&r, upload_response, &run, rc);
	if (!CHECK_INT(rc, SMP_UPLOAD_DONE))
		fprintf(stderr, "    %s\n", res.detail);
	CHECK_INT(res.result, SMP_OK);
	CHECK_INT(res.offset, DATA_LEN);
	CHECK(res.resyncs > 0);
	CHECK_INT(r.d.off, DATA_LEN);
	CHECK(!memcmp(r.d.got, r.data, DATA_LEN));
	CHECK_INT(smp_inflight(&r.e), 0);
	/* Over: later completions change nothing. */
	CHECK_INT(smp_upload_on_response(&run, &(struct smp_response){ .result = SMP_OK }),
		  SMP_UPLOAD_DONE);
	engine_heap_fini(&r.e);
}

/* A device error ends the event-driven upload with the error and the
 * device's status in the result. */
TEST(upload_driven_by_events_reports_device_error)
{
	static struct rig r;
	struct smp_upload_params up = { .len = DATA_LEN, .image = -1 };
	struct smp_upload_result res;
	struct smp_upload_run run;
	int rc;

	rig_open(&r, false);
	r.d.pool = 1; /* every request answered with pool_rc */
	r.d.pool_rc = SMP_MGMT_ERR_ENOENT;
	up.data = r.data;
	up.plan = plan(500, 1);
	rc = smp_upload_start(&run, &r.e, &up, &res);
	rc = drive(&r, upload_response, &run, rc);
	CHECK_INT(rc, SMP_E_DEVICE);
	CHECK_INT(res.result, SMP_E_DEVICE);
	CHECK_INT(res.status.rc, SMP_MGMT_ERR_ENOENT);
	CHECK_INT(smp_inflight(&r.e), 0);
	engine_heap_fini(&r.e);
}

/* An image source that fails from fail_at on, as a flash read error. */
struct failing_src {
	const uint8_t *data;
	uint32_t fail_at;
};

static int failing_read(void *ctx, uint32_t off, uint8_t *buf, size_t len)
{
	const struct failing_src *f = ctx;

	if (off + len > f->fail_at)
		return -1;
	memcpy(buf, f->data + off, len);
	return 0;
}

/* A chunk read through the source straight into the packet fails: the
 * upload stops with a transport error (the image's end of the link) that
 * says where, and leaves nothing in flight. */
TEST(upload_source_read_failure_is_transport_error)
{
	static struct rig r;
	struct failing_src fs = { .fail_at = 5000 };
	struct smp_image_src src = { .read = failing_read, .ctx = &fs, .size = DATA_LEN };
	struct smp_upload_params up = { .src = &src, .len = DATA_LEN, .image = -1 };
	struct smp_upload_result res;

	rig_open(&r, false);
	fs.data = r.data;
	up.plan = plan(500, 2);
	CHECK_INT(smp_upload(&r.e, &up, &res), SMP_E_TRANSPORT);
	CHECK_INT(res.result, SMP_E_TRANSPORT);
	CHECK(strstr(res.detail, "cannot read the image's") != NULL);
	CHECK(r.d.off <= 5000);
	CHECK(!memcmp(r.d.got, r.data, (size_t)r.d.off));
	CHECK_INT(smp_inflight(&r.e), 0);
	engine_heap_fini(&r.e);
}
