/* Header, CBOR accessor and status tests, including malformed input. */
#include <stdlib.h>

#include "unit.h"
#include "host/cbor_tree.h"
#include "smp/cbor_write.h"
#include "smp/header.h"
#include "smp/status.h"

TEST(header_encode_known_bytes)
{
	struct smp_header h = { .version = SMP_V2,
				.op = SMP_OP_WRITE,
				.flags = 0,
				.len = 10,
				.group = 0x0102,
				.seq = 5,
				.id = 7 };
	const uint8_t want[8] = { 0x0a, 0x00, 0x00, 0x0a, 0x01, 0x02, 0x05, 0x07 };
	uint8_t got[8];

	smp_header_encode(&h, got);
	CHECK_MEM(got, want, 8);
}

TEST(header_decode_roundtrip_v1)
{
	const uint8_t pkt[10] = { 0x01, 0x00, 0x00, 0x02, 0x00, 0x01, 0xff, 0x00, 0xa0, 0x00 };
	struct smp_header h;

	CHECK_INT(smp_header_decode(pkt, sizeof(pkt), &h), 0);
	CHECK_INT(h.version, SMP_V1);
	CHECK_INT(h.op, SMP_OP_READ_RSP);
	CHECK_INT(h.len, 2);
	CHECK_INT(h.group, 1);
	CHECK_INT(h.seq, 255);
	CHECK_INT(h.id, 0);
}

TEST(header_decode_short_and_overlong)
{
	const uint8_t pkt[9] = { 0x0b, 0x00, 0x00, 0x05, 0x00, 0x00, 0x01, 0x00, 0xa0 };
	struct smp_header h;

	CHECK_INT(smp_header_decode(pkt, 7, &h), -1);
	CHECK_INT(smp_header_decode(pkt, 0, &h), -1);
	/* The header announces 5 payload bytes; only 1 follows. */
	CHECK_INT(smp_header_decode(pkt, sizeof(pkt), &h), -2);
}

TEST(header_reserved_bits_ignored)
{
	const uint8_t pkt[8] = { 0xe9, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
	struct smp_header h;

	CHECK_INT(smp_header_decode(pkt, sizeof(pkt), &h), 0);
	CHECK_INT(h.version, SMP_V2);
	CHECK_INT(h.op, SMP_OP_READ_RSP);
}

/* {"r": "hi", "n": 3} definite, and the same indefinite (as zcbor writes). */
static const uint8_t map_definite[] = { 0xa2, 0x61, 'r', 0x62, 'h', 'i', 0x61, 'n', 0x03 };
static const uint8_t map_indefinite[] = { 0xbf, 0x61, 'r', 0x62, 'h', 'i', 0x61, 'n', 0x03, 0xff };

TEST(cbor_definite_and_indefinite_maps)
{
	const uint8_t *inputs[2] = { map_definite, map_indefinite };
	size_t lens[2] = { sizeof(map_definite), sizeof(map_indefinite) };
	int i;

	for (i = 0; i < 2; i++) {
		const char *why = NULL;
		cbor_item_t *m = tree_decode_map(inputs[i], lens[i], &why);
		char *text = NULL;
		uint64_t n = 0;

		if (!CHECK(m != NULL))
			continue;
		CHECK_INT(tree_get_text(m, "r", &text), SMP_GET_OK);
		CHECK_STR(text, "hi");
		CHECK_INT(tree_get_uint(m, "n", &n), SMP_GET_OK);
		CHECK_INT(n, 3);
		CHECK_INT(tree_get_uint(m, "missing", &n), SMP_GET_ABSENT);
		CHECK_INT(tree_get_text(m, "n", &text), SMP_GET_TYPE);
		free(text);
		cbor_decref(&m);
	}
}

TEST(cbor_indefinite_strings_and_arrays)
{
	/* {_ "d": (_ h'0102', h'03'), "a": [_ 1, 2], "t": (_ "ab", "c")} */
	const uint8_t in[] = { 0xbf, 0x61, 'd', 0x5f, 0x42, 1,	  2,	0x41, 3,
			       0xff, 0x61, 'a', 0x9f, 0x01, 0x02, 0xff, 0x61, 't',
			       0x7f, 0x62, 'a', 'b',  0x61, 'c',  0xff, 0xff };
	const uint8_t want[3] = { 1, 2, 3 };
	const char *why = NULL;
	cbor_item_t *m = tree_decode_map(in, sizeof(in), &why);
	uint8_t *bytes = NULL;
	char *text = NULL;
	size_t len = 0;

	if (!CHECK(m != NULL))
		return;
	CHECK_INT(tree_get_bytes(m, "d", &bytes, &len), SMP_GET_OK);
	CHECK_INT(len, 3);
	CHECK_MEM(bytes, want, 3);
	CHECK_INT(cbor_array_size(tree_map_get(m, "a")), 2);
	CHECK_INT(tree_get_text(m, "t", &text), SMP_GET_OK);
	CHECK_STR(text, "abc");
	free(bytes);
	free(text);
	cbor_decref(&m);
}

TEST(cbor_malformed_inputs_rejected)
{
	static const struct {
		const uint8_t bytes[8];
		size_t len;
		const char *why;
	} cases[] = {
		{ { 0xa1, 0x61, 'r' }, 3, "truncated CBOR" },
		{ { 0xbf, 0x61, 'r', 0x01 }, 4, "truncated CBOR" },
		{ { 0x83, 0x01, 0x02, 0x03 }, 4, "payload is not a CBOR map" },
		{ { 0xa0, 0x00 }, 2, "trailing bytes after CBOR map" },
		{ { 0x1c }, 1, "malformed CBOR" },
		{ { 0 }, 0, "empty payload" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *why = NULL;
		cbor_item_t *m = tree_decode_map(cases[i].bytes, cases[i].len, &why);

		CHECK(m == NULL);
		CHECK_STR(why, cases[i].why);
		if (m)
			cbor_decref(&m);
	}
}

TEST(cbor_negative_and_large_ints)
{
	/* {"a": -5, "b": 2^32} */
	const uint8_t in[] = { 0xa2, 0x61, 'a', 0x24, 0x61, 'b', 0x1b, 0, 0, 0, 1, 0, 0, 0, 0 };
	const char *why;
	cbor_item_t *m = tree_decode_map(in, sizeof(in), &why);
	int64_t a = 0;
	uint64_t b = 0;

	if (!CHECK(m != NULL))
		return;
	CHECK_INT(tree_get_int(m, "a", &a), SMP_GET_OK);
	CHECK_INT(a, -5);
	CHECK_INT(tree_get_uint(m, "a", &b), SMP_GET_TYPE);
	CHECK_INT(tree_get_uint(m, "b", &b), SMP_GET_OK);
	CHECK(b == 4294967296ull);
	cbor_decref(&m);
}

TEST(cbor_builders_encode_definite_maps)
{
	cbor_item_t *m = cbor_new_definite_map(3);
	const uint8_t want[] = { 0xa3, 0x61, 'a',  0x19, 0x01, 0x00, 0x61,
				 'b',  0xf5, 0x61, 'c',	 0x42, 0xde, 0xad };
	const uint8_t data[2] = { 0xde, 0xad };
	uint8_t *buf = NULL;
	size_t len = 0;

	CHECK_INT(tree_put_uint(m, "a", 256), 0);
	CHECK_INT(tree_put_bool(m, "b", true), 0);
	CHECK_INT(tree_put_bytes(m, "c", data, 2), 0);
	CHECK_INT(tree_encode(m, &buf, &len), 0);
	CHECK_INT(len, sizeof(want));
	CHECK_MEM(buf, want, sizeof(want));
	free(buf);
	cbor_decref(&m);
}

TEST(cbor_head_len)
{
	CHECK_INT(smp_cbor_head_len(23), 1);
	CHECK_INT(smp_cbor_head_len(24), 2);
	CHECK_INT(smp_cbor_head_len(255), 2);
	CHECK_INT(smp_cbor_head_len(256), 3);
	CHECK_INT(smp_cbor_head_len(65536), 5);
}

static int parse_status(const uint8_t *in, size_t len, struct smp_status *st)
{
	const char *why;
	struct smp_cbor m;

	if (smp_cbor_decode_map(in, len, &m, &why) != 0)
		return -99;
	return smp_status_parse(&m, st);
}

TEST(status_v1_rc_and_rsn)
{
	/* {"rc": 5, "rsn": "nope"} */
	const uint8_t in[] = { 0xa2, 0x62, 'r',	 'c', 0x05, 0x63, 'r',
			       's',  'n',  0x64, 'n', 'o',  'p',  'e' };
	struct smp_status st;
	char line[200];

	CHECK_INT(parse_status(in, sizeof(in), &st), 0);
	CHECK_INT(st.kind, SMP_STATUS_RC);
	CHECK_INT(st.rc, 5);
	CHECK_STR(st.rsn, "nope");
	smp_status_format(&st, line, sizeof(line));
	CHECK_STR(line, "MGMT_ERR_ENOENT (5): no such entry [nope]");
}

TEST(status_v2_err_group)
{
	/* {_ "err": {_ "group": 1, "rc": 9}} as zcbor writes it */
	const uint8_t in[] = { 0xbf, 0x63, 'e',	 'r',  'r', 0xbf, 0x65, 'g',  'r', 'o',
			       'u',  'p',  0x01, 0x62, 'r', 'c',  0x09, 0xff, 0xff };
	struct smp_status st;
	char line[200];

	CHECK_INT(parse_status(in, sizeof(in), &st), 0);
	CHECK_INT(st.kind, SMP_STATUS_ERR);
	CHECK_INT(st.group, 1);
	CHECK_INT(st.rc, 9);
	smp_status_format(&st, line, sizeof(line));
	CHECK_STR(line, "image: IMG_MGMT_ERR_NO_FREE_SLOT (9)");
}

TEST(status_success_forms)
{
	const uint8_t rc0[] = { 0xa1, 0x62, 'r', 'c', 0x00 };
	const uint8_t none[] = { 0xa1, 0x61, 'r', 0x60 };
	struct smp_status st;

	CHECK_INT(parse_status(rc0, sizeof(rc0), &st), 0);
	CHECK_INT(st.kind, SMP_STATUS_OK);
	CHECK_INT(parse_status(none, sizeof(none), &st), 0);
	CHECK_INT(st.kind, SMP_STATUS_OK);
}

TEST(status_malformed_shapes)
{
	const uint8_t rc_text[] = { 0xa1, 0x62, 'r', 'c', 0x61, 'x' };
	const uint8_t err_int[] = { 0xa1, 0x63, 'e', 'r', 'r', 0x01 };
	const uint8_t err_nogroup[] = { 0xa1, 0x63, 'e', 'r', 'r', 0xa1, 0x62, 'r', 'c', 0x01 };
	struct smp_status st;

	CHECK_INT(parse_status(rc_text, sizeof(rc_text), &st), -1);
	CHECK_INT(parse_status(err_int, sizeof(err_int), &st), -1);
	CHECK_INT(parse_status(err_nogroup, sizeof(err_nogroup), &st), -1);
}

TEST(status_names)
{
	CHECK_STR(smp_mgmt_err_name(8), "MGMT_ERR_ENOTSUP");
	CHECK_STR(smp_mgmt_err_name(256), "MGMT_ERR_EPERUSER");
	CHECK(smp_mgmt_err_name(99) == NULL);
	CHECK_STR(smp_group_err_name(SMP_GROUP_IMAGE, 33),
		  "IMG_MGMT_ERR_IMAGE_SETTING_TEST_TO_ACTIVE_DENIED");
	CHECK_STR(smp_group_err_name(SMP_GROUP_OS, 2), "OS_MGMT_ERR_INVALID_FORMAT");
	CHECK_STR(smp_group_err_name(SMP_GROUP_IMAGE, 34), "IMG_MGMT_ERR_ACTIVE_SLOT_NOT_KNOWN");
	CHECK(smp_group_err_name(SMP_GROUP_IMAGE, 35) == NULL);
	CHECK(smp_group_err_name(200, 1) == NULL);
}
