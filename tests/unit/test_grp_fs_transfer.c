/* Windowed, resumable fs transfers (smp/fs_transfer.c) against the
 * simulated device over a lossy scripted link. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/engine_heap.h"
#include "smp/fs_transfer.h"
#include "tests/unit/fake_transport.h"
#include "tests/unit/sim_harness.h"
#include "tests/unit/unit.h"

struct link {
	struct simh h;
	char root[64];
	struct fake_transport fake;
	struct smp_link tr;
	struct smp_engine e;
	unsigned requests, drop_every;
};

static void through_sim(struct fake_transport *f, const uint8_t *req, size_t len)
{
	struct link *l = f->user;
	uint8_t out[4096];
	size_t n;

	if (l->drop_every && ++l->requests % l->drop_every == 0) {
		f->dropped++;
		return;
	}
	n = sim_handle_packet(l->h.dev, req, len, out, sizeof(out));
	if (n)
		fake_push(f, out, n);
}

static bool link_open(struct link *l, unsigned window, unsigned drop_every)
{
	struct smp_engine_cfg cfg;

	memset(l, 0, sizeof(*l));
	simh_init(&l->h);
	snprintf(l->root, sizeof(l->root), "/tmp/fsx-%d-XXXXXX", (int)getpid());
	if (!mkdtemp(l->root))
		return false;
	l->h.cfg.fs_root = l->root;
	l->h.cfg.buf_count = window + 1;
	if (!simh_open(&l->h))
		return false;
	fake_init(&l->fake, &l->tr, through_sim);
	l->fake.user = l;
	l->drop_every = drop_every;
	smp_engine_cfg_defaults(&cfg);
	cfg.timeout_ms = 20;
	cfg.retries = 3;
	cfg.window = window;
	return engine_heap_init(&l->e, &l->tr, &cfg) == SMP_OK;
}

static void link_close(struct link *l)
{
	DIR *d = opendir(l->root);
	struct dirent *ent;
	char path[512];

	engine_heap_fini(&l->e);
	while (d && (ent = readdir(d)))
		if (ent->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", l->root, ent->d_name);
			unlink(path);
		}
	if (d)
		closedir(d);
	rmdir(l->root);
	simh_free(&l->h);
}

/* Room for a window of answers ahead of a lost one, as the CLI gives. */
static uint8_t hold_memory[SMP_MAX_WINDOW * 2048];

static struct smp_fs_xfer_params params(const char *name, unsigned window)
{
	return (struct smp_fs_xfer_params){ .name = name,
					    .plan = { .start = { .packet = 2048,
								 .window = window } },
					    .hold = hold_memory,
					    .hold_cap = sizeof(hold_memory) };
}

struct buf {
	uint8_t *data;
	size_t len, cap;
	size_t fail_after; /* refuse writes past this many bytes (0: never) */
};

static int to_buf(void *arg, const uint8_t *data, size_t len)
{
	struct buf *b = arg;

	if (b->fail_after && b->len + len > b->fail_after)
		return -1;
	if (b->len + len > b->cap)
		return -1;
	memcpy(b->data + b->len, data, len);
	b->len += len;
	return 0;
}

static uint8_t *pattern(size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 7 + i / 251);
	return p;
}

/* Up and down again, whole, over a link that loses some requests. */
static void round_trip(struct unit_ctx *t, size_t len, unsigned window, unsigned drop_every)
{
	struct link l;
	struct smp_fs_xfer_params p = params("/lfs/file", window);
	struct smp_fs_xfer_result r;
	uint8_t *data = pattern(len);
	struct buf back = { malloc(len + 1), 0, len + 1, 0 };

	if (!CHECK(link_open(&l, window, drop_every)))
		return;
	CHECK_INT(smp_fs_upload(&l.e, &p, data, len, 0, &r), SMP_OK);
	CHECK_INT(r.done, len);
	CHECK_INT(smp_fs_download(&l.e, &p, 0, 0, to_buf, &back, &r), SMP_OK);
	CHECK_INT(r.total, len);
	CHECK_INT(back.len, len);
	CHECK(len == 0 || !memcmp(back.data, data, len));
	free(data);
	free(back.data);
	link_close(&l);
}

TEST(fs_transfer_round_trips)
{
	round_trip(t, 0, 1, 0);
	round_trip(t, 1, 1, 0);
	round_trip(t, 1998, 3, 0); /* exactly one download chunk */
	round_trip(t, 100000, 3, 0);
	round_trip(t, 100000, 4, 5); /* every 5th request lost */
	round_trip(t, 30000, 1, 4);
}

/* Downloads over a link that loses every 5th request; the chunks it
 * took, or 0 when the file did not come back whole. */
static unsigned lossy_download(struct unit_ctx *t, size_t hold_cap)
{
	struct link l;
	struct smp_fs_xfer_params p = params("/lfs/held", 4);
	struct smp_fs_xfer_result r;
	uint8_t *data = pattern(60000);
	struct buf back = { malloc(60001), 0, 60001, 0 };
	unsigned chunks = 0;

	if (!CHECK(link_open(&l, 4, 0))) {
		free(data);
		free(back.data);
		return 0;
	}
	CHECK_INT(smp_fs_upload(&l.e, &p, data, 60000, 0, &r), SMP_OK);
	l.drop_every = 5;
	p.hold_cap = hold_cap;
	if (CHECK_INT(smp_fs_download(&l.e, &p, 0, 0, to_buf, &back, &r), SMP_OK) &&
	    CHECK_INT(back.len, 60000) && CHECK(!memcmp(back.data, data, 60000)))
		chunks = r.chunks;
	free(data);
	free(back.data);
	link_close(&l);
	return chunks;
}

TEST(fs_transfer_download_holds_answers_ahead)
{
	/* Answers past a lost request wait in the caller's memory; without
	 * it they are asked for again, and the file is still whole. */
	unsigned held = lossy_download(t, sizeof(hold_memory));
	unsigned asked_again = lossy_download(t, 0);

	CHECK(held > 0 && asked_again > 0);
	if (!CHECK(held < asked_again))
		fprintf(stderr, "held %u chunks, asked again %u\n", held, asked_again);
}

TEST(fs_transfer_upload_resumes)
{
	struct link l;
	struct smp_fs_xfer_params p = params("/lfs/r", 2);
	struct smp_fs_xfer_result r;
	uint8_t *data = pattern(20000);
	struct buf back = { malloc(20001), 0, 20001, 0 };

	if (!CHECK(link_open(&l, 2, 0)))
		return;
	CHECK_INT(smp_fs_upload(&l.e, &p, data, 7000, 0, &r), SMP_OK);
	/* The device has 7000 bytes of the 20000: send the rest only. */
	CHECK_INT(smp_fs_upload(&l.e, &p, data, 20000, 7000, &r), SMP_OK);
	CHECK_INT(r.started_at, 7000);
	CHECK(r.chunks < 20);
	CHECK_INT(smp_fs_download(&l.e, &p, 0, 0, to_buf, &back, &r), SMP_OK);
	CHECK_INT(back.len, 20000);
	CHECK(!memcmp(back.data, data, 20000));
	/* A wrong resume point: the device says where its file ends and the
	 * upload goes on from there. */
	p.name = "/lfs/r2";
	CHECK_INT(smp_fs_upload(&l.e, &p, data, 5000, 0, &r), SMP_OK);
	CHECK_INT(smp_fs_upload(&l.e, &p, data, 20000, 12000, &r), SMP_OK);
	CHECK(r.resyncs >= 1);
	back.len = 0;
	CHECK_INT(smp_fs_download(&l.e, &p, 0, 0, to_buf, &back, &r), SMP_OK);
	CHECK_INT(back.len, 20000);
	CHECK(!memcmp(back.data, data, 20000));
	free(data);
	free(back.data);
	link_close(&l);
}

TEST(fs_transfer_download_resumes_and_stops)
{
	struct link l;
	struct smp_fs_xfer_params p = params("/lfs/d", 3);
	struct smp_fs_xfer_result r;
	uint8_t *data = pattern(50000);
	struct buf part = { malloc(50001), 0, 50001, 10000 };

	if (!CHECK(link_open(&l, 3, 0)))
		return;
	CHECK_INT(smp_fs_upload(&l.e, &p, data, 50000, 0, &r), SMP_OK);
	/* The sink fails midway: the caller's error, with a whole prefix. */
	CHECK_INT(smp_fs_download(&l.e, &p, 0, 0, to_buf, &part, &r), SMP_FS_XFER_E_LOCAL);
	CHECK(part.len > 0 && part.len <= 10000);
	CHECK_INT(r.done, part.len);
	CHECK(!memcmp(part.data, data, part.len));
	/* Resumed from the prefix, with the size fs stat gives. */
	part.fail_after = 0;
	CHECK_INT(smp_fs_download(&l.e, &p, part.len, 50000, to_buf, &part, &r), SMP_OK);
	CHECK_INT(part.len, 50000);
	CHECK(!memcmp(part.data, data, 50000));
	free(data);
	free(part.data);
	link_close(&l);
}

TEST(fs_transfer_device_errors)
{
	struct link l;
	struct smp_fs_xfer_params p = params("/lfs/missing", 2);
	struct smp_fs_xfer_result r;
	struct buf b = { malloc(16), 0, 16, 0 };
	static const uint8_t x[4] = { 1, 2, 3, 4 };

	if (!CHECK(link_open(&l, 2, 0)))
		return;
	CHECK_INT(smp_fs_download(&l.e, &p, 0, 0, to_buf, &b, &r), SMP_E_DEVICE);
	CHECK_INT(r.status.kind, SMP_STATUS_ERR);
	CHECK_INT(r.status.group, 8);
	CHECK_INT(r.status.rc, 3); /* FILE_NOT_FOUND */
	p.name = "/nomount/x";
	CHECK_INT(smp_fs_upload(&l.e, &p, x, sizeof(x), 0, &r), SMP_E_DEVICE);
	CHECK_INT(r.status.rc, 14); /* MOUNT_POINT_NOT_FOUND */
	/* Packets too small for any chunk. */
	p.name = "/lfs/x";
	p.plan.start.packet = 20;
	p.plan.pin_packet = true;
	CHECK_INT(smp_fs_upload(&l.e, &p, x, sizeof(x), 0, &r), SMP_E_TOOBIG);
	free(b.data);
	link_close(&l);
}
