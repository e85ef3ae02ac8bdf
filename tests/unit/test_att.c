/* ATT PDU codec: byte vectors written out by hand from the Core
 * specification (Vol 3, Part F, 3.4), not produced by the encoders. */
#include "unit.h"

#include "transport/att.h"

#define BYTES(...) ((const uint8_t[]){ __VA_ARGS__ })
#define NBYTES(...) sizeof((const uint8_t[]){ __VA_ARGS__ })

/* 8D53DC1D-1DB7-4CD3-868B-8A527460AA84 on the wire (little-endian). */
#define SMP_SVC_LE                                                                                \
	0x84, 0xAA, 0x60, 0x74, 0x52, 0x8A, 0x8B, 0x86, 0xD3, 0x4C, 0xB7, 0x1D, 0x1D, 0xDC, 0x53, \
		0x8D
/* DA2E7828-FBCE-4E01-AE9E-261174997C48 on the wire. */
#define SMP_CHR_LE                                                                                \
	0x48, 0x7C, 0x99, 0x74, 0x11, 0x26, 0x9E, 0xAE, 0x01, 0x4E, 0xCE, 0xFB, 0x28, 0x78, 0x2E, \
		0xDA

TEST(att_uuid_128_wire_order)
{
	struct att_uuid u;
	uint8_t wire[16];
	char text[37];

	CHECK_INT(att_uuid_parse(SMP_BT_SVC_UUID_STR, &u), 0);
	CHECK_MEM(u.le, BYTES(SMP_SVC_LE), 16);
	CHECK_INT(att_uuid_to_wire(&u, wire, sizeof(wire)), 16);
	CHECK_MEM(wire, BYTES(SMP_SVC_LE), 16);
	att_uuid_format(&u, text);
	CHECK_STR(text, "8d53dc1d-1db7-4cd3-868b-8a527460aa84");
	CHECK(!att_uuid_is16(&u, NULL));
	CHECK_INT(att_uuid_parse("da2e7828-fbce-4e01-ae9e-261174997c48", &u), 0);
	CHECK_MEM(u.le, BYTES(SMP_CHR_LE), 16);
}

TEST(att_uuid_16_on_base)
{
	struct att_uuid a, b, c;
	uint16_t v = 0;
	uint8_t wire[2];
	char text[37];

	att_uuid16(0x2902, &a);
	CHECK_INT(att_uuid_parse("2902", &b), 0);
	CHECK_INT(att_uuid_parse("0x2902", &c), 0);
	CHECK(att_uuid_eq(&a, &b));
	CHECK(att_uuid_eq(&a, &c));
	/* The long form of a 16-bit UUID is the same UUID. */
	CHECK_INT(att_uuid_parse("00002902-0000-1000-8000-00805F9B34FB", &c), 0);
	CHECK(att_uuid_eq(&a, &c));
	CHECK(att_uuid_is16(&a, &v));
	CHECK_INT(v, 0x2902);
	CHECK_INT(att_uuid_to_wire(&a, wire, sizeof(wire)), 2);
	CHECK_MEM(wire, BYTES(0x02, 0x29), 2);
	CHECK_INT(att_uuid_to_wire(&a, wire, 1), -1);
	att_uuid_format(&a, text);
	CHECK_STR(text, "2902");
	CHECK_INT(att_uuid_from_wire(BYTES(0x00, 0x28), 2, &b), 0);
	CHECK(att_uuid_is16(&b, &v));
	CHECK_INT(v, 0x2800);
	CHECK_INT(att_uuid_from_wire(BYTES(1, 2, 3), 3, &b), -1);
}

TEST(att_uuid_parse_rejects_malformed)
{
	static const char *const bad[] = {
		"",
		"290",
		"29022",
		"x902",
		"0x",
		"8D53DC1D1DB74CD3868B8A527460AA84",
		"8D53DC1D-1DB7-4CD3-868B-8A527460AA8G",
		"8D53DC1-D1DB7-4CD3-868B-8A527460AA84",
		"8D53DC1D-1DB7-4CD3-868B-8A527460AA84-",
		"8D53DC1D-1DB7-4CD3-868B-8A527460AA8",
	};
	struct att_uuid u;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!CHECK_INT(att_uuid_parse(bad[i], &u), -1))
			break;
	CHECK_INT(att_uuid_parse(NULL, &u), -1);
}

TEST(att_encode_requests)
{
	struct att_uuid primary, chr, smp;
	uint8_t buf[64];

	att_uuid16(0x2800, &primary);
	att_uuid16(0x2803, &chr);
	att_uuid_parse(SMP_BT_CHR_UUID_STR, &smp);
	CHECK_INT(att_enc_mtu_req(buf, sizeof(buf), 517), 3);
	CHECK_MEM(buf, BYTES(0x02, 0x05, 0x02), 3);
	CHECK_INT(att_enc_mtu_rsp(buf, sizeof(buf), 23), 3);
	CHECK_MEM(buf, BYTES(0x03, 0x17, 0x00), 3);
	CHECK_INT(att_enc_read_by_group_req(buf, sizeof(buf), 1, 0xFFFF, &primary), 7);
	CHECK_MEM(buf, BYTES(0x10, 0x01, 0x00, 0xFF, 0xFF, 0x00, 0x28), 7);
	CHECK_INT(att_enc_read_by_type_req(buf, sizeof(buf), 0x0006, 0x0009, &chr), 7);
	CHECK_MEM(buf, BYTES(0x08, 0x06, 0x00, 0x09, 0x00, 0x03, 0x28), 7);
	CHECK_INT(att_enc_read_by_type_req(buf, sizeof(buf), 1, 2, &smp), 21);
	CHECK_MEM(buf, BYTES(0x08, 0x01, 0x00, 0x02, 0x00, SMP_CHR_LE), 21);
	CHECK_INT(att_enc_find_info_req(buf, sizeof(buf), 0x000B, 0x000C), 5);
	CHECK_MEM(buf, BYTES(0x04, 0x0B, 0x00, 0x0C, 0x00), 5);
	CHECK_INT(att_enc_write_req(buf, sizeof(buf), 0x000B, BYTES(0x01, 0x00), 2), 5);
	CHECK_MEM(buf, BYTES(0x12, 0x0B, 0x00, 0x01, 0x00), 5);
	CHECK_INT(att_enc_write_cmd(buf, sizeof(buf), 0x0102, BYTES(0xAA), 1), 4);
	CHECK_MEM(buf, BYTES(0x52, 0x02, 0x01, 0xAA), 4);
	CHECK_INT(att_enc_write_cmd(buf, sizeof(buf), 0x0102, NULL, 0), 3);
	CHECK_INT(att_enc_error_rsp(buf, sizeof(buf), 0x10, 0x0001, 0x0A), 5);
	CHECK_MEM(buf, BYTES(0x01, 0x10, 0x01, 0x00, 0x0A), 5);
	CHECK_INT(att_enc_confirm(buf, sizeof(buf)), 1);
	CHECK_INT(buf[0], 0x1E);
}

TEST(att_encode_refuses_small_buffers)
{
	struct att_uuid smp;
	uint8_t buf[32];

	att_uuid_parse(SMP_BT_SVC_UUID_STR, &smp);
	CHECK_INT(att_enc_mtu_req(buf, 2, 517), -1);
	CHECK_INT(att_enc_find_info_req(buf, 4, 1, 2), -1);
	CHECK_INT(att_enc_read_by_group_req(buf, 20, 1, 2, &smp), -1);
	CHECK_INT(att_enc_read_by_group_req(buf, 21, 1, 2, &smp), 21);
	CHECK_INT(att_enc_write_cmd(buf, 5, 1, BYTES(1, 2, 3), 3), -1);
	CHECK_INT(att_enc_write_cmd(buf, 6, 1, BYTES(1, 2, 3), 3), 6);
	CHECK_INT(att_enc_error_rsp(buf, 4, 1, 1, 1), -1);
	CHECK_INT(att_enc_confirm(buf, 0), -1);
}

TEST(att_decode_error_and_mtu)
{
	struct att_error e;
	uint16_t mtu = 0;

	CHECK_INT(att_dec_error_rsp(BYTES(0x01, 0x08, 0x09, 0x00, 0x0A), 5, &e), ATT_DEC_OK);
	CHECK_INT(e.req_opcode, 0x08);
	CHECK_INT(e.handle, 9);
	CHECK_INT(e.ecode, ATT_E_ATTRIBUTE_NOT_FOUND);
	CHECK_INT(att_dec_error_rsp(BYTES(0x01, 0x08, 0x09, 0x00), 4, &e), ATT_DEC_SHORT);
	CHECK_INT(att_dec_error_rsp(BYTES(0x01, 0x08, 0x09, 0x00, 0x0A, 0), 6, &e), ATT_DEC_LENGTH);
	CHECK_INT(att_dec_error_rsp(BYTES(0x03, 0x08, 0x09, 0x00, 0x0A), 5, &e), ATT_DEC_OPCODE);
	CHECK_INT(att_dec_error_rsp(BYTES(0), 0, &e), ATT_DEC_EMPTY);
	CHECK_INT(att_dec_mtu(BYTES(0x03, 0xF2, 0x01), 3, ATT_OP_MTU_RSP, &mtu), ATT_DEC_OK);
	CHECK_INT(mtu, 498);
	CHECK_INT(att_dec_mtu(BYTES(0x02, 0x17, 0x00), 3, ATT_OP_MTU_REQ, &mtu), ATT_DEC_OK);
	CHECK_INT(mtu, 23);
	CHECK_INT(att_dec_mtu(BYTES(0x03, 0xF2), 2, ATT_OP_MTU_RSP, &mtu), ATT_DEC_SHORT);
	CHECK_INT(att_dec_mtu(BYTES(0x03, 0xF2, 0x01, 0), 4, ATT_OP_MTU_RSP, &mtu), ATT_DEC_LENGTH);
	CHECK_INT(att_dec_mtu(BYTES(0x02, 0xF2, 0x01), 3, ATT_OP_MTU_RSP, &mtu), ATT_DEC_OPCODE);
}

TEST(att_decode_read_by_group)
{
	struct att_group g[4];
	struct att_uuid smp;
	uint16_t v;
	const uint8_t *two16 = BYTES(0x11, 0x06, 0x01, 0x00, 0x05, 0x00, 0x00, 0x18, 0x06, 0x00,
				     0x09, 0x00, 0x01, 0x18);
	const uint8_t *one128 = BYTES(0x11, 0x14, 0x0A, 0x00, 0x0D, 0x00, SMP_SVC_LE);

	CHECK_INT(att_dec_read_by_group_rsp(two16, 14, g, 4), 2);
	CHECK_INT(g[0].start, 1);
	CHECK_INT(g[0].end, 5);
	CHECK(att_uuid_is16(&g[0].uuid, &v) && v == 0x1800);
	CHECK_INT(g[1].start, 6);
	CHECK_INT(g[1].end, 9);
	CHECK(att_uuid_is16(&g[1].uuid, &v) && v == 0x1801);
	CHECK_INT(att_dec_read_by_group_rsp(one128, 22, g, 4), 1);
	att_uuid_parse(SMP_BT_SVC_UUID_STR, &smp);
	CHECK(att_uuid_eq(&g[0].uuid, &smp));
	CHECK_INT(g[0].start, 10);
	CHECK_INT(g[0].end, 13);
	/* Malformed: a partial entry, a length that no entry has, too many
	 * entries, an end before the start, a zero handle. */
	CHECK_INT(att_dec_read_by_group_rsp(two16, 13, g, 4), ATT_DEC_LENGTH);
	CHECK_INT(att_dec_read_by_group_rsp(two16, 7, g, 4), ATT_DEC_SHORT);
	CHECK_INT(att_dec_read_by_group_rsp(two16, 2, g, 4), ATT_DEC_SHORT);
	CHECK_INT(att_dec_read_by_group_rsp(two16, 1, g, 4), ATT_DEC_SHORT);
	CHECK_INT(att_dec_read_by_group_rsp(two16, 14, g, 1), ATT_DEC_TOOMANY);
	CHECK_INT(att_dec_read_by_group_rsp(BYTES(0x11, 0x07, 1, 0, 2, 0, 0, 0x18, 0), 9, g, 4),
		  ATT_DEC_FORMAT);
	CHECK_INT(att_dec_read_by_group_rsp(BYTES(0x11, 0x06, 5, 0, 2, 0, 0, 0x18), 8, g, 4),
		  ATT_DEC_FORMAT);
	CHECK_INT(att_dec_read_by_group_rsp(BYTES(0x11, 0x06, 0, 0, 2, 0, 0, 0x18), 8, g, 4),
		  ATT_DEC_FORMAT);
	CHECK_INT(att_dec_read_by_group_rsp(BYTES(0x09, 0x06, 1, 0, 2, 0, 0, 0x18), 8, g, 4),
		  ATT_DEC_OPCODE);
}

TEST(att_decode_characteristics)
{
	struct att_handle_value hv[4];
	struct att_chr c;
	struct att_uuid smp;
	uint16_t v;
	const uint8_t *two16 = BYTES(0x09, 0x07, 0x02, 0x00, 0x02, 0x03, 0x00, 0x00, 0x2A, 0x04,
				     0x00, 0x12, 0x05, 0x00, 0x19, 0x2A);
	const uint8_t *one128 = BYTES(0x09, 0x15, 0x0B, 0x00, 0x14, 0x0C, 0x00, SMP_CHR_LE);

	CHECK_INT(att_dec_read_by_type_rsp(two16, 16, hv, 4), 2);
	CHECK_INT(hv[1].handle, 4);
	CHECK_INT(hv[1].len, 5);
	CHECK_INT(att_dec_chr_decl(hv[0].handle, hv[0].value, hv[0].len, &c), ATT_DEC_OK);
	CHECK_INT(c.decl_handle, 2);
	CHECK_INT(c.props, GATT_CHR_PROP_READ);
	CHECK_INT(c.value_handle, 3);
	CHECK(att_uuid_is16(&c.uuid, &v) && v == 0x2A00);
	CHECK_INT(att_dec_read_by_type_rsp(one128, 23, hv, 4), 1);
	CHECK_INT(att_dec_chr_decl(hv[0].handle, hv[0].value, hv[0].len, &c), ATT_DEC_OK);
	CHECK_INT(c.props, GATT_CHR_PROP_WRITE_NO_RSP | GATT_CHR_PROP_NOTIFY);
	CHECK_INT(c.value_handle, 12);
	att_uuid_parse(SMP_BT_CHR_UUID_STR, &smp);
	CHECK(att_uuid_eq(&c.uuid, &smp));
	/* A value handle at or before its declaration, odd lengths. */
	CHECK_INT(att_dec_chr_decl(3, BYTES(0x02, 0x03, 0x00, 0x00, 0x2A), 5, &c), ATT_DEC_FORMAT);
	CHECK_INT(att_dec_chr_decl(2, BYTES(0x02, 0x03, 0x00, 0x00), 4, &c), ATT_DEC_SHORT);
	CHECK_INT(att_dec_chr_decl(2, BYTES(0x02, 0x03, 0x00, 0x00, 0x2A, 0), 6, &c),
		  ATT_DEC_LENGTH);
	CHECK_INT(att_dec_read_by_type_rsp(BYTES(0x09, 0x01, 0x02), 3, hv, 4), ATT_DEC_FORMAT);
	CHECK_INT(att_dec_read_by_type_rsp(BYTES(0x09, 0x04, 0x00, 0x00, 1, 2), 6, hv, 4),
		  ATT_DEC_FORMAT);
	CHECK_INT(att_dec_read_by_type_rsp(two16, 15, hv, 4), ATT_DEC_LENGTH);
	CHECK_INT(att_dec_read_by_type_rsp(two16, 1, hv, 4), ATT_DEC_SHORT);
}

TEST(att_decode_find_information)
{
	struct att_info in[4];
	struct att_uuid cccd;
	const uint8_t *f1 = BYTES(0x05, 0x01, 0x0D, 0x00, 0x02, 0x29, 0x0E, 0x00, 0x01, 0x29);
	const uint8_t *f2 = BYTES(0x05, 0x02, 0x0D, 0x00, SMP_CHR_LE);

	att_uuid16(GATT_UUID_CCCD, &cccd);
	CHECK_INT(att_dec_find_info_rsp(f1, 10, in, 4), 2);
	CHECK_INT(in[0].handle, 13);
	CHECK(att_uuid_eq(&in[0].uuid, &cccd));
	CHECK_INT(in[1].handle, 14);
	CHECK_INT(att_dec_find_info_rsp(f2, 20, in, 4), 1);
	CHECK(!att_uuid_is16(&in[0].uuid, NULL));
	CHECK_INT(att_dec_find_info_rsp(BYTES(0x05, 0x03, 0x0D, 0x00, 0x02, 0x29), 6, in, 4),
		  ATT_DEC_FORMAT);
	CHECK_INT(att_dec_find_info_rsp(f1, 8, in, 4), ATT_DEC_LENGTH);
	CHECK_INT(att_dec_find_info_rsp(f2, 19, in, 4), ATT_DEC_SHORT);
	CHECK_INT(att_dec_find_info_rsp(BYTES(0x05, 0x01, 0x00, 0x00, 0x02, 0x29), 6, in, 4),
		  ATT_DEC_FORMAT);
}

TEST(att_decode_handle_values)
{
	struct att_handle_value hv;

	CHECK_INT(att_dec_handle_value(BYTES(0x1B, 0x0C, 0x00, 0xAA, 0xBB), 5, ATT_OP_NOTIFY, &hv),
		  ATT_DEC_OK);
	CHECK_INT(hv.handle, 12);
	CHECK_INT(hv.len, 2);
	CHECK_INT(hv.value[1], 0xBB);
	/* An empty value is legal. */
	CHECK_INT(att_dec_handle_value(BYTES(0x1B, 0x0C, 0x00), 3, ATT_OP_NOTIFY, &hv), ATT_DEC_OK);
	CHECK_INT(hv.len, 0);
	CHECK_INT(att_dec_handle_value(BYTES(0x1B, 0x0C), 2, ATT_OP_NOTIFY, &hv), ATT_DEC_SHORT);
	CHECK_INT(att_dec_handle_value(BYTES(0x1B, 0x00, 0x00), 3, ATT_OP_NOTIFY, &hv),
		  ATT_DEC_FORMAT);
	CHECK_INT(att_dec_handle_value(BYTES(0x1D, 0x0C, 0x00), 3, ATT_OP_NOTIFY, &hv),
		  ATT_DEC_OPCODE);
	CHECK_INT(att_dec_write_rsp(BYTES(0x13), 1), ATT_DEC_OK);
	CHECK_INT(att_dec_write_rsp(BYTES(0x13, 0), 2), ATT_DEC_LENGTH);
	CHECK_INT(att_dec_write_rsp(BYTES(0x01), 1), ATT_DEC_OPCODE);
}

TEST(att_opcode_facts)
{
	CHECK(att_op_is_request(ATT_OP_MTU_REQ));
	CHECK(att_op_is_request(ATT_OP_READ_REQ));
	CHECK(att_op_is_request(ATT_OP_READ_BY_GROUP_REQ));
	CHECK(!att_op_is_request(ATT_OP_WRITE_CMD));
	CHECK(!att_op_is_request(ATT_OP_SIGNED_WRITE_CMD));
	CHECK(!att_op_is_request(ATT_OP_NOTIFY));
	CHECK(!att_op_is_request(ATT_OP_INDICATE));
	CHECK(!att_op_is_request(ATT_OP_CONFIRM));
	CHECK(!att_op_is_request(ATT_OP_ERROR_RSP));
	CHECK(!att_op_is_request(ATT_OP_MTU_RSP));
	/* An opcode we do not know, without the command flag, is a request. */
	CHECK(att_op_is_request(0x30));
	CHECK(!att_op_is_request(0x70));
	CHECK_INT(att_op_response(ATT_OP_FIND_INFO_REQ), ATT_OP_FIND_INFO_RSP);
	CHECK_INT(att_op_response(ATT_OP_WRITE_REQ), ATT_OP_WRITE_RSP);
	CHECK_INT(att_op_response(ATT_OP_WRITE_CMD), 0);
	CHECK_STR(att_op_name(0x10), "Read By Group Type Request");
	CHECK_STR(att_op_name(0x99), "unknown ATT opcode");
	CHECK_STR(att_ecode_name(0x0A), "Attribute Not Found");
	CHECK_STR(att_ecode_name(0x05), "Insufficient Authentication");
	CHECK_STR(att_ecode_name(0x00), "unknown ATT error");
	CHECK_STR(att_ecode_name(0x80), "Application Error");
	CHECK_STR(att_ecode_name(0xFD), "Common Profile Error");
	CHECK_STR(att_dec_err_name(ATT_DEC_SHORT), "truncated PDU");
	CHECK_STR(att_dec_err_name(42), "unknown decoding error");
}

TEST(att_security_upgrade_follows_bluez)
{
	CHECK_INT(att_security_after_error(1, ATT_E_AUTHENTICATION), 2);
	CHECK_INT(att_security_after_error(2, ATT_E_AUTHENTICATION), 3);
	CHECK_INT(att_security_after_error(3, ATT_E_AUTHENTICATION), 4);
	CHECK_INT(att_security_after_error(4, ATT_E_AUTHENTICATION), -1);
	CHECK_INT(att_security_after_error(0, ATT_E_INSUFFICIENT_ENCRYPTION), 2);
	CHECK_INT(att_security_after_error(2, ATT_E_INSUFFICIENT_ENCRYPTION), -1);
	CHECK_INT(att_security_after_error(1, ATT_E_ATTRIBUTE_NOT_FOUND), -1);
	CHECK_INT(att_security_after_error(1, ATT_E_AUTHORIZATION), -1);
}
