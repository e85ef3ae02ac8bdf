/* The simulated device's shared buffer pool and its one work queue
 * (tests/sim/sim_wq.c) against Zephyr's smp.c: ENOMEM in the request's
 * own buffer, drops when no buffer is free, one request at a time, and
 * a service time made of flash writes and erases. */
#include <stdlib.h>
#include <string.h>

#include "host/cbor_tree.h"
#include "tests/sim/sim_wq.h"
#include "tests/unit/sim_harness.h"
#include "tests/unit/unit.h"

#define MAX_ANSWERS 16

/* Where the answers of queued requests land, with the clock they went
 * out at. */
struct wq_sink {
	struct simh *h;
	int n;
	uint8_t seq[MAX_ANSWERS];
	int64_t rc[MAX_ANSWERS];  /* "rc", -1 when absent */
	bool has_r[MAX_ANSWERS];  /* echo's "r" */
	int64_t off[MAX_ANSWERS]; /* upload's "off", -1 when absent */
	int64_t at[MAX_ANSWERS];
	uint8_t tag[MAX_ANSWERS];
};

static void sink_emit(void *ctx, const void *tag, size_t tag_len, const uint8_t *pkt, size_t len)
{
	struct wq_sink *s = ctx;
	struct smp_header hdr;
	struct cbor_load_result res;
	cbor_item_t *map, *v;

	if (s->n >= MAX_ANSWERS || smp_header_decode(pkt, len, &hdr) != 0)
		return;
	s->seq[s->n] = hdr.seq;
	s->at[s->n] = s->h->now;
	s->tag[s->n] = tag_len ? *(const uint8_t *)tag : 0;
	map = cbor_load(pkt + SMP_HEADER_SIZE, hdr.len, &res);
	s->rc[s->n] = -1;
	s->off[s->n] = -1;
	s->has_r[s->n] = false;
	if (map) {
		uint64_t rc;

		if (tree_get_uint(map, "rc", &rc) == SMP_GET_OK)
			s->rc[s->n] = (int64_t)rc;
		if (tree_get_uint(map, "off", &rc) == SMP_GET_OK)
			s->off[s->n] = (int64_t)rc;
		v = tree_map_get(map, "r");
		s->has_r[s->n] = v != NULL;
		cbor_decref(&map);
	}
	s->n++;
}

static int receive_echo(struct simh *h, struct wq_sink *s, uint8_t seq)
{
	uint8_t pkt[256];
	size_t len = simh_echo(seq, 8, pkt, sizeof(pkt));

	return sim_wq_receive(h->dev, pkt, len, &seq, 1, sink_emit, s);
}

static bool open_dev(struct unit_ctx *t, struct simh *h, struct wq_sink *s, unsigned count)
{
	simh_init(h);
	h->cfg.buf_count = count;
	memset(s, 0, sizeof(*s));
	s->h = h;
	return CHECK(simh_open(h));
}

/* smp_on_err: two requests waiting in a pool of two leave no buffer for
 * the first one's answer; it is not run and is answered ENOMEM, with its
 * own header. The second then finds the first's buffers free. */
TEST(sim_wq_enomem_in_request_buffer)
{
	struct simh h;
	struct wq_sink s;

	if (!open_dev(t, &h, &s, 2))
		return;
	CHECK_INT(receive_echo(&h, &s, 1), 0);
	CHECK_INT(receive_echo(&h, &s, 2), 0);
	CHECK_INT(sim_pool_free(h.dev), 0);
	sim_wq_run(h.dev);
	if (CHECK_INT(s.n, 2)) {
		CHECK_INT(s.seq[0], 1);
		CHECK_INT(s.rc[0], 2);	/* SMP_MGMT_ERR_ENOMEM */
		CHECK(!s.has_r[0]);	/* the echo did not run */
		CHECK_INT(s.tag[0], 1); /* the request's own user data */
		CHECK_INT(s.seq[1], 2);
		CHECK(s.has_r[1]);
		CHECK_INT(s.rc[1], -1);
	}
	CHECK_INT(sim_wq_stats(h.dev)->enomem, 1);
	CHECK_INT(sim_pool_free(h.dev), 2); /* every buffer came back */
	/* One at a time with a buffer to spare: no error. */
	CHECK_INT(receive_echo(&h, &s, 3), 0);
	sim_wq_run(h.dev);
	CHECK_INT(s.n, 3);
	CHECK(s.has_r[2]);
	simh_free(&h);
}

/* While a request is processed it holds two buffers: with two in all, a
 * request that arrives meanwhile finds none and is lost. */
TEST(sim_wq_drops_while_busy)
{
	struct simh h;
	struct wq_sink s;

	if (!open_dev(t, &h, &s, 2))
		return;
	sim_device_close(h.dev);
	h.cfg.request_us = 5000;
	if (!CHECK(simh_open(&h)))
		return;
	CHECK_INT(receive_echo(&h, &s, 1), 0);
	sim_wq_run(h.dev);
	CHECK_INT(s.n, 0); /* still being processed */
	CHECK(sim_wq_busy(h.dev));
	CHECK_INT(sim_wq_next_ms(h.dev), 5);
	CHECK_INT(receive_echo(&h, &s, 2), -1); /* no buffer: dropped */
	CHECK_INT(sim_wq_stats(h.dev)->dropped_no_buf, 1);
	simh_advance(&h, 4);
	sim_wq_run(h.dev);
	CHECK_INT(s.n, 0);
	simh_advance(&h, 1);
	sim_wq_run(h.dev);
	if (CHECK_INT(s.n, 1)) {
		CHECK_INT(s.seq[0], 1);
		CHECK_INT(s.at[0], 1005);
	}
	CHECK(!sim_wq_busy(h.dev));
	simh_advance(&h, 50);
	sim_wq_run(h.dev);
	CHECK_INT(s.n, 1); /* the dropped one never comes */
	simh_free(&h);
}

/* With four buffers, one request processed and two waiting fill the
 * pool; they are answered one after the other, each after its time. */
TEST(sim_wq_queues_as_far_as_buffers_allow)
{
	struct simh h;
	struct wq_sink s;

	simh_init(&h);
	h.cfg.buf_count = 4;
	h.cfg.request_us = 10000;
	memset(&s, 0, sizeof(s));
	s.h = &h;
	if (!CHECK(simh_open(&h)))
		return;
	CHECK_INT(receive_echo(&h, &s, 1), 0);
	sim_wq_run(h.dev);
	CHECK_INT(receive_echo(&h, &s, 2), 0);
	CHECK_INT(receive_echo(&h, &s, 3), 0);
	CHECK_INT(receive_echo(&h, &s, 4), -1);
	for (int ms = 0; ms < 40; ms++) {
		simh_advance(&h, 1);
		sim_wq_run(h.dev);
	}
	if (CHECK_INT(s.n, 3)) {
		for (int i = 0; i < 3; i++) {
			CHECK_INT(s.seq[i], i + 1);
			CHECK_INT(s.at[i], 1000 + 10 * (i + 1));
			CHECK(s.has_r[i]);
		}
	}
	simh_free(&h);
}

/* An image upload chunk costs its bytes at write_ns_per_byte; the first
 * one also the erase of every sector the image will take, unless the
 * erase is progressive, where each sector costs when the data reach it. */
static int64_t first_chunk_ms(struct unit_ctx *t, bool progressive)
{
	struct simh h;
	struct wq_sink s;
	size_t img_len = 0, len;
	uint8_t *img = simh_read_file(simh_image_path("app_100k_rsa3072.bin"), &img_len);
	uint8_t pkt[1200];
	int64_t at = -1;

	simh_init(&h);
	h.cfg.write_ns_per_byte = 10000;   /* 10 us a byte */
	h.cfg.erase_us_per_sector = 50000; /* 50 ms a sector */
	h.cfg.sector_size = 4096;
	h.cfg.erase_progressive = progressive;
	h.cfg.buf_count = 4;
	memset(&s, 0, sizeof(s));
	s.h = &h;
	if (!CHECK(img != NULL) || !CHECK(simh_open(&h))) {
		free(img);
		return -1;
	}
	len = simh_build(9, SMP_OP_WRITE, 1, 1,
			 simh_map("off", cbor_build_uint32(0), "len",
				  cbor_build_uint32((uint32_t)img_len), "data",
				  cbor_build_bytestring(img, 1000), NULL),
			 pkt, sizeof(pkt));
	CHECK_INT(sim_wq_receive(h.dev, pkt, len, NULL, 0, sink_emit, &s), 0);
	for (int ms = 0; ms < 3000 && s.n == 0; ms++) {
		sim_wq_run(h.dev);
		if (s.n == 0)
			simh_advance(&h, 1);
	}
	if (CHECK_INT(s.n, 1) && CHECK_INT(s.off[0], 1000))
		at = s.at[0] - 1000;
	free(img);
	simh_free(&h);
	return at;
}

TEST(sim_wq_service_time_from_flash)
{
	size_t img_len = 0;
	uint8_t *img = simh_read_file(simh_image_path("app_100k_rsa3072.bin"), &img_len);
	int64_t sectors = img ? (int64_t)((img_len + 4095) / 4096) : 0;

	free(img);
	if (!CHECK(sectors > 20))
		return;
	/* upfront: all the image's sectors, and 1000 bytes at 10 us */
	CHECK_INT(first_chunk_ms(t, false), sectors * 50 + 10);
	/* progressive: the one sector the chunk lands in */
	CHECK_INT(first_chunk_ms(t, true), 50 + 10);
}

/* A reboot empties the pool: buffers held before it do not come back
 * twice, and the queue is gone. */
TEST(sim_wq_reboot_empties_pool)
{
	struct simh h;
	struct wq_sink s;
	struct sim_buf_ref ref = { 0 };

	if (!open_dev(t, &h, &s, 2))
		return;
	CHECK(sim_pool_take(h.dev, &ref));
	CHECK_INT(sim_pool_free(h.dev), 1);
	CHECK_INT(receive_echo(&h, &s, 1), 0);
	CHECK_INT(sim_pool_free(h.dev), 0);
	CHECK_INT(simh_reset(&h), 1);
	sim_wq_run(h.dev);
	CHECK_INT(s.n, 0); /* queued before the reboot: lost */
	CHECK_INT(sim_pool_free(h.dev), 2);
	sim_pool_give(h.dev, &ref); /* stale: no effect */
	CHECK_INT(sim_pool_free(h.dev), 2);
	CHECK(!ref.held);
	simh_free(&h);
}
