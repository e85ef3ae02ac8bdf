/* The request/response engine against scripted devices. */
#include <stdlib.h>

#include "unit.h"
#include "fake_transport.h"
#include "host/engine_heap.h"
#include "smp/engine.h"

/* {"r": "ok"} */
static const uint8_t ok_payload[] = { 0xbf, 0x61, 'r', 0x62, 'o', 'k', 0xff };

static void answer_v2(struct fake_transport *f, const uint8_t *req, size_t len)
{
	fake_answer(f, req, SMP_V2, ok_payload, sizeof(ok_payload));
}

static void start(struct smp_engine *e, struct smp_link *tr, unsigned window, int retries)
{
	struct smp_engine_cfg cfg;

	smp_engine_cfg_defaults(&cfg);
	cfg.timeout_ms = 20;
	cfg.retries = retries;
	cfg.window = window;
	engine_heap_init(e, tr, &cfg);
}

static const struct smp_request echo_req = { .op = SMP_OP_WRITE, .group = 0, .id = 0 };

TEST(engine_call_ok)
{
	struct fake_transport f;
	struct smp_link tr;
	struct smp_engine e;
	struct smp_response rsp;
	char text[8];

	fake_init(&f, &tr, answer_v2);
	start(&e, &tr, 1, 0);
	CHECK_INT(smp_call(&e, &echo_req, &rsp), SMP_OK);
	CHECK_INT(smp_get_text(&rsp.body, "r", text, sizeof(text)), SMP_GET_OK);
	CHECK_STR(text, "ok");
	CHECK_INT(rsp.hdr.op, SMP_OP_WRITE_RSP);
	smp_response_clear(&rsp);
	engine_heap_fini(&e);
}

static void answer_stray_first(struct fake_transport *f, const uint8_t *req, size_t len)
{
	uint8_t other[SMP_HEADER_SIZE + sizeof(ok_payload)];

	/* An answer with another sequence number, one for another group,
	 * and a runt, then the real one twice. */
	fake_answer(f, req, SMP_V2, ok_payload, sizeof(ok_payload));
	memcpy(other, f->queue[(f->head + f->count - 1) % FAKE_MAX_QUEUE], sizeof(other));
	f->count--;
	other[6] ^= 0x55;
	fake_push(f, other, sizeof(other));
	other[6] ^= 0x55;
	other[5] ^= 0x01;
	fake_push(f, other, sizeof(other));
	fake_push(f, other, 3);
	fake_answer(f, req, SMP_V2, ok_payload, sizeof(ok_payload));
	fake_answer(f, req, SMP_V2, ok_payload, sizeof(ok_payload));
}

TEST(engine_drops_strays_and_duplicates)
{
	struct fake_transport f;
	struct smp_link tr;
	struct smp_engine e;
	struct smp_response rsp;

	fake_init(&f, &tr, answer_stray_first);
	start(&e, &tr, 1, 0);
	CHECK_INT(smp_call(&e, &echo_req, &rsp), SMP_OK);
	CHECK_INT(e.stats.strays, 3);
	smp_response_clear(&rsp);
	/* The duplicate still queued is dropped while the next call waits. */
	f.respond = answer_v2;
	CHECK_INT(smp_call(&e, &echo_req, &rsp), SMP_OK);
	CHECK_INT(e.stats.strays, 4);
	smp_response_clear(&rsp);
	engine_heap_fini(&e);
}

static void drop_first_two(struct fake_transport *f, const uint8_t *req, size_t len)
{
	if (f->sent <= 2)
		return;
	answer_v2(f, req, len);
}

TEST(engine_retries_then_succeeds)
{
	struct fake_transport f;
	struct smp_link tr;
	struct smp_engine e;
	struct smp_response rsp;

	fake_init(&f, &tr, drop_first_two);
	start(&e, &tr, 1, 2);
	CHECK_INT(smp_call(&e, &echo_req, &rsp), SMP_OK);
	CHECK_INT(f.sent, 3);
	CHECK_INT(e.stats.resends, 2);
	smp_response_clear(&rsp);
	engine_heap_fini(&e);
}

TEST(engine_times_out_after_retries)
{
	struct fake_transport f;
	struct smp_link tr;
	struct smp_engine e;
	struct smp_response rsp;

	fake_init(&f, &tr, NULL);
	start(&e, &tr, 1, 1);
	CHECK_INT(smp_call(&e, &echo_req, &rsp), SMP_E_TIMEOUT);
	CHECK_INT(f.sent, 2);
	CHECK(strstr(rsp.detail, "after 2 attempts") != NULL);
	CHECK_INT(smp_inflight(&e), 0);
	smp_response_clear(&rsp);
	engine_heap_fini(&e);
}

static void answer_v1(struct fake_transport *f, const uint8_t *req, size_t len)
{
	fake_answer(f, req, SMP_V1, ok_payload, sizeof(ok_payload));
}

TEST(engine_falls_back_to_v1)
{
	struct fake_transport f;
	struct smp_link tr;
	struct smp_engine e;
	struct smp_response rsp;

	fake_init(&f, &tr, answer_v1);
	start(&e, &tr, 1, 0);
	CHECK_INT(e.version, SMP_V2);
	CHECK_INT(smp_call(&e, &echo_req, &rsp), SMP_OK);
	CHECK_INT(e.version, SMP_V1);
	smp_response_clear(&rsp);
	/* The next request goes out with a v1 header. */
	f.respond = NULL;
	e.cfg.retries = 0;
	smp_call(&e, &echo_req, &rsp);
	smp_response_clear(&rsp);
	engine_heap_fini(&e);
}

static void answer_truncated(struct fake_transport *f, const uint8_t *req, size_t len)
{
	fake_answer(f, req, SMP_V2, ok_payload, sizeof(ok_payload));
	f->queue_len[(f->head + f->count - 1) % FAKE_MAX_QUEUE] -= 2;
}

static void answer_garbage(struct fake_transport *f, const uint8_t *req, size_t len)
{
	const uint8_t junk[] = { 0xbf, 0x61, 'r', 0xff, 0xff };

	fake_answer(f, req, SMP_V2, junk, sizeof(junk));
}

static void answer_not_map(struct fake_transport *f, const uint8_t *req, size_t len)
{
	const uint8_t arr[] = { 0x81, 0x01 };

	fake_answer(f, req, SMP_V2, arr, sizeof(arr));
}

static void answer_bad_rc(struct fake_transport *f, const uint8_t *req, size_t len)
{
	const uint8_t m[] = { 0xa1, 0x62, 'r', 'c', 0xf5 };

	fake_answer(f, req, SMP_V2, m, sizeof(m));
}

TEST(engine_malformed_answers_are_protocol_errors)
{
	const fake_responder bad[] = { answer_truncated, answer_garbage, answer_not_map,
				       answer_bad_rc };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct fake_transport f;
		struct smp_link tr;
		struct smp_engine e;
		struct smp_response rsp;

		fake_init(&f, &tr, bad[i]);
		start(&e, &tr, 1, 0);
		CHECK_INT(smp_call(&e, &echo_req, &rsp), SMP_E_PROTOCOL);
		CHECK(rsp.detail[0] != 0);
		CHECK_INT(smp_inflight(&e), 0);
		smp_response_clear(&rsp);
		engine_heap_fini(&e);
	}
}

static void answer_err(struct fake_transport *f, const uint8_t *req, size_t len)
{
	const uint8_t m[] = { 0xbf, 0x63, 'e',	'r',  'r', 0xbf, 0x65, 'g',  'r', 'o',
			      'u',  'p',  0x01, 0x62, 'r', 'c',	 0x08, 0xff, 0xff };

	fake_answer(f, req, SMP_V2, m, sizeof(m));
}

TEST(engine_device_error)
{
	struct fake_transport f;
	struct smp_link tr;
	struct smp_engine e;
	struct smp_response rsp;

	fake_init(&f, &tr, answer_err);
	start(&e, &tr, 1, 0);
	CHECK_INT(smp_call(&e, &echo_req, &rsp), SMP_E_DEVICE);
	CHECK_INT(rsp.status.kind, SMP_STATUS_ERR);
	CHECK_INT(rsp.status.group, 1);
	CHECK_INT(rsp.status.rc, 8);
	smp_response_clear(&rsp);
	engine_heap_fini(&e);
}

/* Answers queued requests in reverse order, once three are waiting. */
static void answer_reversed(struct fake_transport *f, const uint8_t *req, size_t len)
{
	static uint8_t held[3][SMP_HEADER_SIZE];
	unsigned n = (f->sent - 1) % 3;
	int i;

	memcpy(held[n], req, SMP_HEADER_SIZE);
	if (n == 2)
		for (i = 2; i >= 0; i--)
			fake_answer(f, held[i], SMP_V2, ok_payload, sizeof(ok_payload));
}

TEST(engine_window_out_of_order)
{
	struct fake_transport f;
	struct smp_link tr;
	struct smp_engine e;
	struct smp_response rsp;
	uintptr_t seen = 0;
	struct smp_request req = echo_req;
	int i;

	fake_init(&f, &tr, answer_reversed);
	start(&e, &tr, 3, 0);
	for (i = 0; i < 3; i++) {
		req.tag = (uintptr_t)1 << i;
		CHECK_INT(smp_submit(&e, &req), SMP_OK);
	}
	CHECK_INT(smp_submit(&e, &req), SMP_E_BUSY);
	for (i = 0; i < 3; i++) {
		CHECK_INT(smp_next(&e, &rsp), SMP_OK);
		if (i == 0)
			CHECK_INT(rsp.tag, 4);
		seen |= rsp.tag;
		smp_response_clear(&rsp);
	}
	CHECK_INT(seen, 7);
	CHECK_INT(smp_next(&e, &rsp), SMP_E_BUSY);
	engine_heap_fini(&e);
}

/* Like Zephyr's shell transport: requests arriving while one is being
 * processed are lost. */
static void one_at_a_time(struct fake_transport *f, const uint8_t *req, size_t len)
{
	if (f->busy) {
		f->dropped++;
		return;
	}
	f->busy = true;
	answer_v2(f, req, len);
}

TEST(engine_window_falls_back_to_one)
{
	struct fake_transport f;
	struct smp_link tr;
	struct smp_engine e;
	struct smp_response rsp;
	struct smp_request req = echo_req;
	int i, done = 0;

	fake_init(&f, &tr, one_at_a_time);
	start(&e, &tr, 4, 0); /* no retries: the fallback must not need them */
	for (i = 0; i < 10; i++) {
		while (smp_submit(&e, &req) == SMP_OK)
			req.tag++;
		CHECK_INT(smp_next(&e, &rsp), SMP_OK);
		smp_response_clear(&rsp);
		done++;
	}
	while (smp_inflight(&e)) {
		CHECK_INT(smp_next(&e, &rsp), SMP_OK);
		smp_response_clear(&rsp);
		done++;
	}
	CHECK_INT(done, (int)req.tag);
	CHECK_INT(e.window, 1);
	CHECK(f.dropped >= 3);
	engine_heap_fini(&e);
}

TEST(engine_rejects_oversize_request)
{
	struct fake_transport f;
	struct smp_link tr;
	struct smp_engine e;
	struct smp_response rsp;
	struct smp_request req = echo_req;
	struct smp_cbor_writer w;
	static uint8_t big[100], body[128];

	fake_init(&f, &tr, answer_v2);
	f.mtu = 64;
	start(&e, &tr, 1, 0);
	smp_cbor_writer_init(&w, body, sizeof(body));
	smp_cbor_map(&w, 1);
	smp_put_bytes(&w, "d", big, sizeof(big));
	CHECK_INT(smp_cbor_done(&w), 0);
	req.body = body;
	req.body_len = w.len;
	CHECK_INT(smp_call(&e, &req, &rsp), SMP_E_TOOBIG);
	CHECK_INT(f.sent, 0);
	engine_heap_fini(&e);
}

TEST(engine_send_failure_is_transport_error)
{
	struct fake_transport f;
	struct smp_link tr;
	struct smp_engine e;
	struct smp_response rsp;

	fake_init(&f, &tr, answer_v2);
	f.fail_send = 1;
	start(&e, &tr, 1, 0);
	CHECK_INT(smp_call(&e, &echo_req, &rsp), SMP_E_TRANSPORT);
	CHECK_STR(rsp.detail, "fake link failure");
	CHECK_INT(smp_inflight(&e), 0);
	engine_heap_fini(&e);
}
