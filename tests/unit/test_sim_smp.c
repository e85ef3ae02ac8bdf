/* The simulated device's SMP layer against Zephyr's smp.c behaviour:
 * headers, versions, error forms, malformed packets. */
#include "tests/unit/sim_harness.h"
#include "tests/unit/unit.h"

#include "host/cbor_tree.h"

TEST(sim_echo_exact_bytes)
{
	struct simh h;
	/* v2 write, group 0, seq 7, id 0, {"d": "hello"} (definite map) */
	static const uint8_t req[] = { 0x0a, 0x00, 0x00, 0x09, 0x00, 0x00, 0x07, 0x00, 0xa1,
				       0x61, 0x64, 0x65, 'h',  'e',  'l',  'l',	 'o' };
	/* v2 write response, indefinite map {"r": "hello"} as zcbor writes it */
	static const uint8_t rsp[] = { 0x0b, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x07, 0x00, 0xbf,
				       0x61, 0x72, 0x65, 'h',  'e',  'l',  'l',	 'o',  0xff };

	simh_init(&h);
	if (!CHECK(simh_open(&h)))
		return;
	CHECK_INT(simh_raw(&h, req, sizeof(req)), 1);
	CHECK_INT(h.rsp_len, sizeof(rsp));
	CHECK_MEM(h.rsp, rsp, sizeof(rsp));
	simh_free(&h);
}

TEST(sim_unknown_group_and_command_enotsup)
{
	struct simh h;
	static const uint8_t rc8[] = { 0xbf, 0x62, 'r', 'c', 0x08, 0xff };

	simh_init(&h);
	if (!CHECK(simh_open(&h)))
		return;
	simh_req(&h, 1, SMP_OP_READ, 77, 0, NULL);
	CHECK_INT(h.hdr.op, SMP_OP_READ_RSP);
	CHECK_INT(h.hdr.version, 1);
	CHECK_INT(h.hdr.group, 77);
	CHECK_INT(h.hdr.seq, 42);
	CHECK_INT(h.hdr.len, sizeof(rc8));
	CHECK_MEM(h.rsp + SMP_HEADER_SIZE, rc8, sizeof(rc8));
	/* known group, command without a handler; and a write-only command read */
	simh_req(&h, 1, SMP_OP_READ, 0, 3, NULL);
	CHECK_INT(simh_int(&h, "rc"), 8);
	simh_req(&h, 1, SMP_OP_READ, 0, 5, NULL);
	CHECK_INT(simh_int(&h, "rc"), 8);
	/* a response op sent to the server: ENOTSUP, answered as a write */
	simh_req(&h, 1, SMP_OP_READ_RSP, 0, 0, NULL);
	CHECK_INT(simh_int(&h, "rc"), 8);
	CHECK_INT(h.hdr.op, SMP_OP_WRITE_RSP);
	simh_free(&h);
}

TEST(sim_disabled_group)
{
	struct simh h;

	simh_init(&h);
	h.cfg.disabled_groups = 1u << 1;
	if (!CHECK(simh_open(&h)))
		return;
	simh_req(&h, 1, SMP_OP_READ, 1, 0, NULL);
	CHECK_INT(simh_int(&h, "rc"), 8);
	simh_req(&h, 1, SMP_OP_READ, 0, 6, NULL);
	CHECK_INT(simh_int(&h, "buf_size"), 2048);
	simh_free(&h);
}

TEST(sim_version_handling)
{
	struct simh h;

	simh_init(&h);
	if (!CHECK(simh_open(&h)))
		return;
	/* v1 request: v1 answer */
	simh_req(&h, 0, SMP_OP_READ, 0, 6, NULL);
	CHECK_INT(h.hdr.version, 0);
	CHECK_INT(simh_int(&h, "buf_count"), 2);
	/* versions 2 and 3 are too new; the answer carries version 2 */
	simh_req(&h, 2, SMP_OP_READ, 0, 6, NULL);
	CHECK_INT(h.hdr.version, 2);
	CHECK_INT(simh_int(&h, "rc"), 13);
	simh_req(&h, 3, SMP_OP_READ, 0, 6, NULL);
	CHECK_INT(h.hdr.version, 2);
	CHECK_INT(simh_int(&h, "rc"), 13);
	simh_free(&h);
}

TEST(sim_group_error_v1_vs_v2)
{
	struct simh h;

	simh_init(&h);
	if (!CHECK(simh_open(&h)))
		return;
	/* os info with an unknown letter: OS_MGMT_ERR_INVALID_FORMAT (2) */
	simh_req(&h, 1, SMP_OP_READ, 0, 7, simh_map("format", cbor_build_string("x"), NULL));
	CHECK_INT(simh_err_group(&h), 0);
	CHECK_INT(simh_err_rc(&h), 2);
	CHECK_INT(simh_int(&h, "rc"), -1);
	/* the same from a v1 client: translated to SMP_MGMT_ERR_EINVAL */
	simh_req(&h, 0, SMP_OP_READ, 0, 7, simh_map("format", cbor_build_string("x"), NULL));
	CHECK_INT(simh_int(&h, "rc"), 3);
	CHECK(tree_map_get(h.map, "err") == NULL);
	simh_free(&h);
}

TEST(sim_v1_only_server)
{
	struct simh h;

	simh_init(&h);
	h.cfg.v1_only = true;
	if (!CHECK(simh_open(&h)))
		return;
	simh_req(&h, 1, SMP_OP_READ, 0, 7, simh_map("format", cbor_build_string("x"), NULL));
	CHECK_INT(h.hdr.version, 0);
	CHECK_INT(simh_int(&h, "rc"), 3);
	simh_req(&h, 1, SMP_OP_WRITE, 0, 0, simh_map("d", cbor_build_string("hi"), NULL));
	CHECK_INT(h.hdr.version, 0);
	CHECK_INT(h.hdr.op, SMP_OP_WRITE_RSP);
	simh_free(&h);
}

TEST(sim_malformed_packets)
{
	struct simh h;
	static const uint8_t short_hdr[] = { 0x0a, 0x00, 0x00 };
	/* header announces 20 payload bytes, 2 follow */
	static const uint8_t long_len[] = { 0x0a, 0x00, 0x00, 0x14, 0x00,
					    0x00, 0x01, 0x00, 0xa0, 0x00 };
	/* echo with a truncated map */
	static const uint8_t bad_cbor[] = { 0x0a, 0x00, 0x00, 0x03, 0x00, 0x00,
					    0x01, 0x00, 0xa1, 0x61, 0x64 };
	/* echo whose "d" is a byte string */
	static const uint8_t wrong_type[] = { 0x0a, 0x00, 0x00, 0x05, 0x00, 0x00, 0x01,
					      0x00, 0xa1, 0x61, 0x64, 0x41, 0x00 };
	/* echo with "d" twice */
	static const uint8_t dup_key[] = { 0x0a, 0x00, 0x00, 0x08, 0x00, 0x00, 0x01, 0x00,
					   0xa2, 0x61, 0x64, 0x60, 0x61, 0x64, 0x61, 0x61 };

	simh_init(&h);
	if (!CHECK(simh_open(&h)))
		return;
	CHECK_INT(simh_raw(&h, short_hdr, sizeof(short_hdr)), 0);
	CHECK_INT(simh_raw(&h, short_hdr, 0), 0);
	CHECK_INT(simh_raw(&h, long_len, sizeof(long_len)), 1);
	CHECK_INT(simh_int(&h, "rc"), 9);
	CHECK_INT(simh_raw(&h, bad_cbor, sizeof(bad_cbor)), 1);
	CHECK_INT(simh_int(&h, "rc"), 3);
	CHECK_INT(simh_raw(&h, wrong_type, sizeof(wrong_type)), 1);
	CHECK_INT(simh_int(&h, "rc"), 3);
	CHECK_INT(simh_raw(&h, dup_key, sizeof(dup_key)), 1);
	CHECK_INT(simh_int(&h, "rc"), 3);
	/* echo without "d" answers an empty string, as Zephyr */
	simh_req(&h, 1, SMP_OP_WRITE, 0, 0, simh_map("x", cbor_build_uint8(1), NULL));
	CHECK_INT(cbor_string_length(tree_map_get(h.map, "r")), 0);
	simh_free(&h);
}

TEST(sim_two_messages_in_one_packet)
{
	struct simh h;
	static const uint8_t two[] = {
		0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x06, /* params */
		0x0a, 0x00, 0x00, 0x05, 0x00, 0x00, 0x02, 0x00, 0xa1, 0x61, 0x64, 0x61, 'z',
	};

	simh_init(&h);
	if (!CHECK(simh_open(&h)))
		return;
	CHECK_INT(simh_raw(&h, two, sizeof(two)), 2);
	CHECK_INT(h.hdr.seq, 1);
	simh_free(&h);
}

TEST(sim_response_too_big_for_buffer)
{
	struct simh h;

	simh_init(&h);
	h.cfg.buf_size = 96;
	if (!CHECK(simh_open(&h)))
		return;
	simh_req(&h, 1, SMP_OP_READ, 0, 2, NULL); /* taskstat */
	CHECK_INT(simh_int(&h, "rc"), 7);
	/* a request larger than one buffer never reaches SMP */
	{
		uint8_t big[200] = { 0x0a, 0, 0, 192, 0, 0, 1, 0 };

		CHECK_INT(simh_raw(&h, big, sizeof(big)), 0);
	}
	simh_free(&h);
}
