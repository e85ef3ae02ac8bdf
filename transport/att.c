/* ATT PDU encoding and decoding; see att.h. */
#include "transport/att.h"

#include <stdio.h>
#include <string.h>

#include "smp/bytes.h"
#include "smp/hex.h"

/* 00000000-0000-1000-8000-00805F9B34FB, little-endian; a 16-bit UUID goes
 * in bytes 12-13. */
static const uint8_t base_uuid_le[16] = {
	0xFB, 0x34, 0x9B, 0x5F, 0x80, 0x00, 0x00, 0x80,
	0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* ---- UUIDs ---- */

void att_uuid16(uint16_t value, struct att_uuid *out)
{
	memcpy(out->le, base_uuid_le, 16);
	smp_put_le16(&out->le[12], value);
}

bool att_uuid_eq(const struct att_uuid *a, const struct att_uuid *b)
{
	return memcmp(a->le, b->le, 16) == 0;
}

bool att_uuid_is16(const struct att_uuid *u, uint16_t *value)
{
	if (memcmp(u->le, base_uuid_le, 12) != 0 || u->le[14] || u->le[15])
		return false;
	if (value)
		*value = smp_get_le16(&u->le[12]);
	return true;
}

/* Reads 2 * n hex digits, skipping dashes only where the canonical form
 * has them when dashes is set. */
static int parse_hex_be(const char *text, uint8_t *be, size_t n, bool dashes)
{
	static const size_t dash_after[] = { 4, 6, 8, 10 };
	size_t i, d = 0;

	for (i = 0; i < n; i++) {
		int b;

		if (dashes && d < 4 && i == dash_after[d]) {
			if (*text++ != '-')
				return -1;
			d++;
		}
		b = smp_hex_byte(text);
		if (b < 0)
			return -1;
		be[i] = (uint8_t)b;
		text += 2;
	}
	return *text ? -1 : 0;
}

int att_uuid_parse(const char *text, struct att_uuid *out)
{
	uint8_t be[16];
	size_t i, len;

	if (!text)
		return -1;
	if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
		text += 2;
	len = strlen(text);
	if (len == 4) {
		if (parse_hex_be(text, be, 2, false) != 0)
			return -1;
		att_uuid16(smp_get_be16(be), out);
		return 0;
	}
	if (len != 36 || parse_hex_be(text, be, 16, true) != 0)
		return -1;
	for (i = 0; i < 16; i++)
		out->le[i] = be[15 - i];
	return 0;
}

void att_uuid_format(const struct att_uuid *u, char buf[37])
{
	uint16_t v;
	size_t i;
	char *p = buf;

	if (att_uuid_is16(u, &v)) {
		snprintf(buf, 37, "%04x", v);
		return;
	}
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		p += sprintf(p, "%02x", u->le[15 - i]);
	}
}

int att_uuid_from_wire(const uint8_t *p, size_t n, struct att_uuid *out)
{
	if (n == 2) {
		att_uuid16(smp_get_le16(p), out);
		return 0;
	}
	if (n == 16) {
		memcpy(out->le, p, 16);
		return 0;
	}
	return -1;
}

int att_uuid_to_wire(const struct att_uuid *u, uint8_t *out, size_t cap)
{
	uint16_t v;

	if (att_uuid_is16(u, &v)) {
		if (cap < 2)
			return -1;
		smp_put_le16(out, v);
		return 2;
	}
	if (cap < 16)
		return -1;
	memcpy(out, u->le, 16);
	return 16;
}

/* ---- encoders ---- */

static int enc_u16(uint8_t *buf, size_t cap, uint8_t op, uint16_t v)
{
	if (cap < 3)
		return -1;
	buf[0] = op;
	smp_put_le16(&buf[1], v);
	return 3;
}

int att_enc_mtu_req(uint8_t *buf, size_t cap, uint16_t client_rx_mtu)
{
	return enc_u16(buf, cap, ATT_OP_MTU_REQ, client_rx_mtu);
}

int att_enc_mtu_rsp(uint8_t *buf, size_t cap, uint16_t server_rx_mtu)
{
	return enc_u16(buf, cap, ATT_OP_MTU_RSP, server_rx_mtu);
}

int att_enc_find_info_req(uint8_t *buf, size_t cap, uint16_t start, uint16_t end)
{
	if (cap < 5)
		return -1;
	buf[0] = ATT_OP_FIND_INFO_REQ;
	smp_put_le16(&buf[1], start);
	smp_put_le16(&buf[3], end);
	return 5;
}

static int enc_range_type(uint8_t *buf, size_t cap, uint8_t op, uint16_t start, uint16_t end,
			  const struct att_uuid *type)
{
	int n;

	if (cap < 5)
		return -1;
	buf[0] = op;
	smp_put_le16(&buf[1], start);
	smp_put_le16(&buf[3], end);
	n = att_uuid_to_wire(type, &buf[5], cap - 5);
	return n < 0 ? -1 : 5 + n;
}

int att_enc_read_by_type_req(uint8_t *buf, size_t cap, uint16_t start, uint16_t end,
			     const struct att_uuid *type)
{
	return enc_range_type(buf, cap, ATT_OP_READ_BY_TYPE_REQ, start, end, type);
}

int att_enc_read_by_group_req(uint8_t *buf, size_t cap, uint16_t start, uint16_t end,
			      const struct att_uuid *type)
{
	return enc_range_type(buf, cap, ATT_OP_READ_BY_GROUP_REQ, start, end, type);
}

static int enc_handle_value(uint8_t *buf, size_t cap, uint8_t op, uint16_t handle,
			    const uint8_t *value, size_t len)
{
	if (cap < 3 || len > cap - 3)
		return -1;
	buf[0] = op;
	smp_put_le16(&buf[1], handle);
	if (len)
		memcpy(&buf[3], value, len);
	return (int)(3 + len);
}

int att_enc_write_req(uint8_t *buf, size_t cap, uint16_t handle, const uint8_t *value, size_t len)
{
	return enc_handle_value(buf, cap, ATT_OP_WRITE_REQ, handle, value, len);
}

int att_enc_write_cmd(uint8_t *buf, size_t cap, uint16_t handle, const uint8_t *value, size_t len)
{
	return enc_handle_value(buf, cap, ATT_OP_WRITE_CMD, handle, value, len);
}

int att_enc_confirm(uint8_t *buf, size_t cap)
{
	if (cap < 1)
		return -1;
	buf[0] = ATT_OP_CONFIRM;
	return 1;
}

int att_enc_error_rsp(uint8_t *buf, size_t cap, uint8_t req_opcode, uint16_t handle, uint8_t ecode)
{
	if (cap < 5)
		return -1;
	buf[0] = ATT_OP_ERROR_RSP;
	buf[1] = req_opcode;
	smp_put_le16(&buf[2], handle);
	buf[4] = ecode;
	return 5;
}

/* ---- decoders ---- */

static int check_op(const uint8_t *pdu, size_t n, uint8_t opcode)
{
	if (n < 1)
		return ATT_DEC_EMPTY;
	return pdu[0] == opcode ? ATT_DEC_OK : ATT_DEC_OPCODE;
}

int att_dec_error_rsp(const uint8_t *pdu, size_t n, struct att_error *out)
{
	int rc = check_op(pdu, n, ATT_OP_ERROR_RSP);

	if (rc)
		return rc;
	if (n != 5)
		return n < 5 ? ATT_DEC_SHORT : ATT_DEC_LENGTH;
	out->req_opcode = pdu[1];
	out->handle = smp_get_le16(&pdu[2]);
	out->ecode = pdu[4];
	return ATT_DEC_OK;
}

int att_dec_mtu(const uint8_t *pdu, size_t n, uint8_t opcode, uint16_t *mtu)
{
	int rc = check_op(pdu, n, opcode);

	if (rc)
		return rc;
	if (n != 3)
		return n < 3 ? ATT_DEC_SHORT : ATT_DEC_LENGTH;
	*mtu = smp_get_le16(&pdu[1]);
	return ATT_DEC_OK;
}

/* The shared shape of list responses: opcode, one length or format byte
 * (checked by the caller), then whole entries of one size. Returns the
 * entry count or an error. */
static int list_head(const uint8_t *pdu, size_t n, uint8_t opcode)
{
	int rc = check_op(pdu, n, opcode);

	if (rc)
		return rc;
	return n < 2 ? ATT_DEC_SHORT : ATT_DEC_OK;
}

static int list_count(size_t n, size_t elen, size_t max)
{
	size_t count;

	if (n < 2 + elen)
		return ATT_DEC_SHORT;
	if ((n - 2) % elen)
		return ATT_DEC_LENGTH;
	count = (n - 2) / elen;
	return count > max ? ATT_DEC_TOOMANY : (int)count;
}

int att_dec_read_by_group_rsp(const uint8_t *pdu, size_t n, struct att_group *out, size_t max)
{
	int count = list_head(pdu, n, ATT_OP_READ_BY_GROUP_RSP);
	size_t elen, i;

	if (count)
		return count;
	/* Handle, end group handle and a 16- or 128-bit service UUID. */
	elen = pdu[1];
	if (elen != 6 && elen != 20)
		return ATT_DEC_FORMAT;
	count = list_count(n, elen, max);
	for (i = 0; count > 0 && i < (size_t)count; i++) {
		const uint8_t *e = pdu + 2 + i * elen;

		out[i].start = smp_get_le16(e);
		out[i].end = smp_get_le16(e + 2);
		att_uuid_from_wire(e + 4, elen - 4, &out[i].uuid);
		if (out[i].start == 0 || out[i].end < out[i].start)
			return ATT_DEC_FORMAT;
	}
	return count;
}

int att_dec_read_by_type_rsp(const uint8_t *pdu, size_t n, struct att_handle_value *out, size_t max)
{
	int count = list_head(pdu, n, ATT_OP_READ_BY_TYPE_RSP);
	size_t elen, i;

	if (count)
		return count;
	elen = pdu[1];
	if (elen < 2)
		return ATT_DEC_FORMAT;
	count = list_count(n, elen, max);
	for (i = 0; count > 0 && i < (size_t)count; i++) {
		const uint8_t *e = pdu + 2 + i * elen;

		out[i].handle = smp_get_le16(e);
		out[i].value = e + 2;
		out[i].len = elen - 2;
		if (out[i].handle == 0)
			return ATT_DEC_FORMAT;
	}
	return count;
}

int att_dec_find_info_rsp(const uint8_t *pdu, size_t n, struct att_info *out, size_t max)
{
	int count = list_head(pdu, n, ATT_OP_FIND_INFO_RSP);
	size_t elen, i;

	if (count)
		return count;
	/* Format 1: handle + 16-bit UUID; format 2: handle + 128-bit UUID. */
	if (pdu[1] != 1 && pdu[1] != 2)
		return ATT_DEC_FORMAT;
	elen = pdu[1] == 1 ? 4 : 18;
	count = list_count(n, elen, max);
	for (i = 0; count > 0 && i < (size_t)count; i++) {
		const uint8_t *e = pdu + 2 + i * elen;

		out[i].handle = smp_get_le16(e);
		att_uuid_from_wire(e + 2, elen - 2, &out[i].uuid);
		if (out[i].handle == 0)
			return ATT_DEC_FORMAT;
	}
	return count;
}

int att_dec_chr_decl(uint16_t decl_handle, const uint8_t *value, size_t len, struct att_chr *out)
{
	if (len < 5)
		return ATT_DEC_SHORT;
	if (len != 5 && len != 19)
		return ATT_DEC_LENGTH;
	out->decl_handle = decl_handle;
	out->props = value[0];
	out->value_handle = smp_get_le16(&value[1]);
	att_uuid_from_wire(&value[3], len - 3, &out->uuid);
	/* The value attribute follows its declaration (Core Vol 3 Part G 3.3). */
	if (out->value_handle <= decl_handle)
		return ATT_DEC_FORMAT;
	return ATT_DEC_OK;
}

int att_dec_write_rsp(const uint8_t *pdu, size_t n)
{
	int rc = check_op(pdu, n, ATT_OP_WRITE_RSP);

	if (rc)
		return rc;
	return n == 1 ? ATT_DEC_OK : ATT_DEC_LENGTH;
}

int att_dec_handle_value(const uint8_t *pdu, size_t n, uint8_t opcode, struct att_handle_value *out)
{
	int rc = check_op(pdu, n, opcode);

	if (rc)
		return rc;
	if (n < 3)
		return ATT_DEC_SHORT;
	out->handle = smp_get_le16(&pdu[1]);
	out->value = pdu + 3;
	out->len = n - 3;
	return out->handle ? ATT_DEC_OK : ATT_DEC_FORMAT;
}

/* ---- opcode facts and names ---- */

struct op_info {
	uint8_t op;
	uint8_t rsp; /* for a request: its response; 0 otherwise */
	const char *name;
};

static const struct op_info op_table[] = {
	{ ATT_OP_ERROR_RSP, 0, "Error Response" },
	{ ATT_OP_MTU_REQ, ATT_OP_MTU_RSP, "Exchange MTU Request" },
	{ ATT_OP_MTU_RSP, 0, "Exchange MTU Response" },
	{ ATT_OP_FIND_INFO_REQ, ATT_OP_FIND_INFO_RSP, "Find Information Request" },
	{ ATT_OP_FIND_INFO_RSP, 0, "Find Information Response" },
	{ ATT_OP_FIND_BY_TYPE_REQ, ATT_OP_FIND_BY_TYPE_RSP, "Find By Type Value Request" },
	{ ATT_OP_FIND_BY_TYPE_RSP, 0, "Find By Type Value Response" },
	{ ATT_OP_READ_BY_TYPE_REQ, ATT_OP_READ_BY_TYPE_RSP, "Read By Type Request" },
	{ ATT_OP_READ_BY_TYPE_RSP, 0, "Read By Type Response" },
	{ ATT_OP_READ_REQ, ATT_OP_READ_RSP, "Read Request" },
	{ ATT_OP_READ_RSP, 0, "Read Response" },
	{ ATT_OP_READ_BLOB_REQ, ATT_OP_READ_BLOB_RSP, "Read Blob Request" },
	{ ATT_OP_READ_BLOB_RSP, 0, "Read Blob Response" },
	{ ATT_OP_READ_MULT_REQ, ATT_OP_READ_MULT_RSP, "Read Multiple Request" },
	{ ATT_OP_READ_MULT_RSP, 0, "Read Multiple Response" },
	{ ATT_OP_READ_BY_GROUP_REQ, ATT_OP_READ_BY_GROUP_RSP, "Read By Group Type Request" },
	{ ATT_OP_READ_BY_GROUP_RSP, 0, "Read By Group Type Response" },
	{ ATT_OP_WRITE_REQ, ATT_OP_WRITE_RSP, "Write Request" },
	{ ATT_OP_WRITE_RSP, 0, "Write Response" },
	{ ATT_OP_PREP_WRITE_REQ, ATT_OP_PREP_WRITE_RSP, "Prepare Write Request" },
	{ ATT_OP_PREP_WRITE_RSP, 0, "Prepare Write Response" },
	{ ATT_OP_EXEC_WRITE_REQ, ATT_OP_EXEC_WRITE_RSP, "Execute Write Request" },
	{ ATT_OP_EXEC_WRITE_RSP, 0, "Execute Write Response" },
	{ ATT_OP_NOTIFY, 0, "Handle Value Notification" },
	{ ATT_OP_INDICATE, 0, "Handle Value Indication" },
	{ ATT_OP_CONFIRM, 0, "Handle Value Confirmation" },
	{ ATT_OP_READ_MULT_VL_REQ, ATT_OP_READ_MULT_VL_RSP, "Read Multiple Variable Request" },
	{ ATT_OP_READ_MULT_VL_RSP, 0, "Read Multiple Variable Response" },
	{ ATT_OP_NOTIFY_MULT, 0, "Multiple Handle Value Notification" },
	{ ATT_OP_WRITE_CMD, 0, "Write Command" },
	{ ATT_OP_SIGNED_WRITE_CMD, 0, "Signed Write Command" },
};

static const struct op_info *op_find(uint8_t op)
{
	size_t i;

	for (i = 0; i < sizeof(op_table) / sizeof(op_table[0]); i++)
		if (op_table[i].op == op)
			return &op_table[i];
	return NULL;
}

bool att_op_is_request(uint8_t opcode)
{
	const struct op_info *o;

	if (opcode & ATT_OP_COMMAND_FLAG)
		return false;
	o = op_find(opcode);
	/* An opcode we do not know that is not a command is a request from a
	 * newer peer: it still expects an answer (Core Vol 3 Part F 3.4.9). */
	return o ? o->rsp != 0 : opcode != ATT_OP_CONFIRM;
}

uint8_t att_op_response(uint8_t req_opcode)
{
	const struct op_info *o = op_find(req_opcode);

	return o ? o->rsp : 0;
}

const char *att_op_name(uint8_t opcode)
{
	const struct op_info *o = op_find(opcode);

	return o ? o->name : "unknown ATT opcode";
}

static const char *const ecode_names[] = {
	[ATT_E_INVALID_HANDLE] = "Invalid Handle",
	[ATT_E_READ_NOT_PERMITTED] = "Read Not Permitted",
	[ATT_E_WRITE_NOT_PERMITTED] = "Write Not Permitted",
	[ATT_E_INVALID_PDU] = "Invalid PDU",
	[ATT_E_AUTHENTICATION] = "Insufficient Authentication",
	[ATT_E_REQUEST_NOT_SUPPORTED] = "Request Not Supported",
	[ATT_E_INVALID_OFFSET] = "Invalid Offset",
	[ATT_E_AUTHORIZATION] = "Insufficient Authorization",
	[ATT_E_PREPARE_QUEUE_FULL] = "Prepare Queue Full",
	[ATT_E_ATTRIBUTE_NOT_FOUND] = "Attribute Not Found",
	[ATT_E_ATTRIBUTE_NOT_LONG] = "Attribute Not Long",
	[ATT_E_ENCRYPTION_KEY_SIZE] = "Insufficient Encryption Key Size",
	[ATT_E_INVALID_VALUE_LEN] = "Invalid Attribute Value Length",
	[ATT_E_UNLIKELY] = "Unlikely Error",
	[ATT_E_INSUFFICIENT_ENCRYPTION] = "Insufficient Encryption",
	[ATT_E_UNSUPPORTED_GROUP_TYPE] = "Unsupported Group Type",
	[ATT_E_INSUFFICIENT_RESOURCES] = "Insufficient Resources",
	[ATT_E_DB_OUT_OF_SYNC] = "Database Out Of Sync",
	[ATT_E_VALUE_NOT_ALLOWED] = "Value Not Allowed",
};

const char *att_ecode_name(uint8_t ecode)
{
	if (ecode < sizeof(ecode_names) / sizeof(ecode_names[0]) && ecode_names[ecode])
		return ecode_names[ecode];
	if (ecode >= 0x80 && ecode <= 0x9F)
		return "Application Error";
	if (ecode >= 0xE0)
		return "Common Profile Error";
	return "unknown ATT error";
}

const char *att_dec_err_name(int err)
{
	switch (err) {
	case ATT_DEC_OK:
		return "no error";
	case ATT_DEC_EMPTY:
		return "empty PDU";
	case ATT_DEC_OPCODE:
		return "unexpected opcode";
	case ATT_DEC_SHORT:
		return "truncated PDU";
	case ATT_DEC_LENGTH:
		return "wrong PDU length";
	case ATT_DEC_FORMAT:
		return "malformed PDU";
	case ATT_DEC_TOOMANY:
		return "too many entries in PDU";
	default:
		return "unknown decoding error";
	}
}

int att_security_after_error(int current_level, uint8_t ecode)
{
	enum {
		LOW = 1,
		MEDIUM = 2,
		HIGH = 3,
		FIPS = 4
	};

	if (current_level < LOW)
		current_level = LOW;
	if (ecode == ATT_E_INSUFFICIENT_ENCRYPTION)
		return current_level < MEDIUM ? MEDIUM : -1;
	if (ecode == ATT_E_AUTHENTICATION)
		return current_level < FIPS ? current_level + 1 : -1;
	return -1;
}
