/* The stand-in's GATT database and the ATT requests that read and write it,
 * answered as Zephyr's host does; see front_att_db.h. */
#include "tests/sim/front_att_db.h"

#include <string.h>

#include "smp/bytes.h"

/* 8D53DC1D-1DB7-4CD3-868B-8A527460AA84 and DA2E7828-FBCE-4E01-AE9E-
 * 261174997C48, least significant byte first. */
static const uint8_t smp_svc_uuid[16] = {
	0x84, 0xAA, 0x60, 0x74, 0x52, 0x8A, 0x8B, 0x86,
	0xD3, 0x4C, 0xB7, 0x1D, 0x1D, 0xDC, 0x53, 0x8D,
};
static const uint8_t smp_chr_uuid[16] = {
	0x48, 0x7C, 0x99, 0x74, 0x11, 0x26, 0x9E, 0xAE,
	0x01, 0x4E, 0xCE, 0xFB, 0x28, 0x78, 0x2E, 0xDA,
};
static const uint8_t base_uuid[16] = {
	0xFB, 0x34, 0x9B, 0x5F, 0x80, 0x00, 0x00, 0x80,
	0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static const char *const kind_names[] = {
	[ATT_DB_FULL] = "full",
	[ATT_DB_NO_SMP] = "no-smp",
	[ATT_DB_NO_CCCD] = "no-cccd",
	[ATT_DB_AUTH] = "auth",
};

int att_db_kind_from_name(const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (!strcmp(name, kind_names[i]))
			return (int)i;
	return -1;
}

/* ---- building ---- */

static struct att_attr *add(struct att_db *db, uint16_t type16, enum att_attr_kind kind)
{
	struct att_attr *at = &db->attrs[db->count];

	memset(at, 0, sizeof(*at));
	at->handle = (uint16_t)(++db->count);
	smp_put_le16(at->type, type16);
	at->type_len = 2;
	at->kind = kind;
	at->readable = kind != ATT_ATTR_SMP;
	return at;
}

static void add_service(struct att_db *db, const uint8_t *uuid, uint8_t len)
{
	struct att_attr *at = add(db, 0x2800, ATT_ATTR_FIXED);

	at->service = true;
	memcpy(at->value, uuid, len);
	at->value_len = len;
}

/* A characteristic declaration and its value; returns the value. */
static struct att_attr *add_chr(struct att_db *db, uint8_t props, const uint8_t *uuid, uint8_t len,
				enum att_attr_kind kind)
{
	struct att_attr *decl = add(db, 0x2803, ATT_ATTR_FIXED), *val;

	decl->value[0] = props;
	smp_put_le16(&decl->value[1], (uint16_t)(decl->handle + 1));
	memcpy(&decl->value[3], uuid, len);
	decl->value_len = (uint8_t)(3 + len);
	val = add(db, 0, kind);
	memcpy(val->type, uuid, len);
	val->type_len = len;
	return val;
}

static void add_cccd(struct att_db *db)
{
	add(db, 0x2902, ATT_ATTR_CCCD)->value_len = 2;
}

void att_db_build(struct att_db *db, enum att_db_kind kind)
{
	static const uint8_t gap[2] = { 0x00, 0x18 }, gatt[2] = { 0x01, 0x18 },
			     battery[2] = { 0x0F, 0x18 }, name[2] = { 0x00, 0x2A },
			     changed[2] = { 0x05, 0x2A }, level[2] = { 0x19, 0x2A };
	struct att_attr *at;
	size_t i, end;

	memset(db, 0, sizeof(*db));
	db->kind = kind;
	add_service(db, gap, 2);
	at = add_chr(db, 0x02, name, 2, ATT_ATTR_FIXED);
	memcpy(at->value, "smp-simdev", 10);
	at->value_len = 10;
	add_service(db, gatt, 2);
	add_chr(db, 0x20, changed, 2, ATT_ATTR_FIXED)->readable = false;
	add_cccd(db);
	if (kind != ATT_DB_NO_SMP) {
		add_service(db, smp_svc_uuid, 16);
		db->smp_value_handle = add_chr(db, 0x14, smp_chr_uuid, 16, ATT_ATTR_SMP)->handle;
		if (kind != ATT_DB_NO_CCCD)
			add_cccd(db);
	}
	add_service(db, battery, 2);
	at = add_chr(db, 0x12, level, 2, ATT_ATTR_FIXED);
	at->value[0] = 87;
	at->value_len = 1;
	add_cccd(db);
	/* Each service ends where the next begins. */
	for (i = 0; i < db->count; i++) {
		if (!db->attrs[i].service)
			continue;
		for (end = i + 1; end < db->count && !db->attrs[end].service; end++)
			;
		db->attrs[i].group_end = (uint16_t)end;
	}
}

static struct att_attr *find(struct att_db *db, uint16_t handle)
{
	return handle >= 1 && handle <= db->count ? &db->attrs[handle - 1] : NULL;
}

bool att_db_notifying(const struct att_db *db)
{
	const struct att_attr *at;

	if (!db->smp_value_handle || db->smp_value_handle >= db->count)
		return false;
	at = &db->attrs[db->smp_value_handle]; /* the handle after the value */
	return at->kind == ATT_ATTR_CCCD && (at->value[0] & 0x01);
}

void att_db_forget_cccds(struct att_db *db)
{
	size_t i;

	for (i = 0; i < db->count; i++)
		if (db->attrs[i].kind == ATT_ATTR_CCCD)
			memset(db->attrs[i].value, 0, 2);
}

/* ---- answering ---- */

/* A 2- or 16-byte wire UUID against an attribute type, widening 16-bit
 * ones onto the base UUID. */
static bool type_is(const uint8_t *type, size_t type_len, const uint8_t *uuid, size_t len)
{
	uint8_t x[16], y[16];

	memcpy(x, base_uuid, 16);
	memcpy(y, base_uuid, 16);
	memcpy(len == 2 ? &x[12] : x, uuid, len);
	memcpy(type_len == 2 ? &y[12] : y, type, type_len);
	return memcmp(x, y, 16) == 0;
}

static size_t error_rsp(uint8_t *rsp, uint8_t req, uint16_t handle, uint8_t ecode)
{
	rsp[0] = ATT_SIM_OP_ERROR;
	rsp[1] = req;
	smp_put_le16(&rsp[2], handle);
	rsp[4] = ecode;
	return 5;
}

/* A request with a handle range, checked: 0 when usable, else the Error
 * Response's length. */
static size_t range_check(const uint8_t *p, size_t n, bool ok_len, uint16_t *start, uint16_t *end,
			  uint8_t *rsp)
{
	if (!ok_len)
		return error_rsp(rsp, p[0], 0, ATT_SIM_E_INVALID_PDU);
	*start = smp_get_le16(&p[1]);
	*end = smp_get_le16(&p[3]);
	if (*start == 0 || *start > *end)
		return error_rsp(rsp, p[0], *start, ATT_SIM_E_INVALID_HANDLE);
	return 0;
}

/* One list response holds entries of one width only (Core Vol 3 Part F
 * 3.4.3.2, 3.4.4.2, 3.4.4.10). */
static size_t find_info(struct att_db *db, uint16_t mtu, const uint8_t *p, size_t n, uint8_t *rsp)
{
	size_t len = 2, width = 0, err;
	uint16_t start, end, h;

	err = range_check(p, n, n == 5, &start, &end, rsp);
	if (err)
		return err;
	for (h = start; h <= end && h <= db->count; h++) {
		const struct att_attr *at = find(db, h);

		if (!width)
			width = at->type_len;
		if (at->type_len != width || len + 2 + width > mtu)
			break;
		smp_put_le16(&rsp[len], h);
		memcpy(&rsp[len + 2], at->type, width);
		len += 2 + width;
	}
	if (!width)
		return error_rsp(rsp, p[0], start, ATT_SIM_E_NOT_FOUND);
	rsp[0] = ATT_SIM_OP_FIND_INFO_RSP;
	rsp[1] = width == 2 ? 1 : 2;
	return len;
}

static size_t read_by_type(struct att_db *db, uint16_t mtu, const uint8_t *p, size_t n,
			   uint8_t *rsp)
{
	size_t len = 2, width = 0, max = mtu - 4u > 253 ? 253 : mtu - 4u, err;
	uint16_t start, end, h;

	err = range_check(p, n, n == 7 || n == 21, &start, &end, rsp);
	if (err)
		return err;
	for (h = start; h <= end && h <= db->count; h++) {
		const struct att_attr *at = find(db, h);
		size_t vlen = at->value_len > max ? max : at->value_len;

		if (!type_is(at->type, at->type_len, &p[5], n - 5))
			continue;
		if (!at->readable) {
			if (!width)
				return error_rsp(rsp, p[0], h, ATT_SIM_E_READ_NOT_PERMITTED);
			break;
		}
		if (!width)
			width = 2 + vlen;
		if (2 + vlen != width || len + width > mtu)
			break;
		smp_put_le16(&rsp[len], h);
		memcpy(&rsp[len + 2], at->value, vlen);
		len += width;
	}
	if (!width)
		return error_rsp(rsp, p[0], start, ATT_SIM_E_NOT_FOUND);
	rsp[0] = ATT_SIM_OP_READ_TYPE_RSP;
	rsp[1] = (uint8_t)width;
	return len;
}

static size_t read_by_group(struct att_db *db, uint16_t mtu, const uint8_t *p, size_t n,
			    uint8_t *rsp)
{
	static const uint8_t primary[2] = { 0x00, 0x28 }, secondary[2] = { 0x01, 0x28 };
	size_t len = 2, width = 0, err;
	uint16_t start, end, h;

	err = range_check(p, n, n == 7 || n == 21, &start, &end, rsp);
	if (err)
		return err;
	if (type_is(secondary, 2, &p[5], n - 5))
		return error_rsp(rsp, p[0], start, ATT_SIM_E_NOT_FOUND);
	if (!type_is(primary, 2, &p[5], n - 5))
		return error_rsp(rsp, p[0], start, ATT_SIM_E_UNSUPPORTED_GROUP);
	for (h = start; h <= end && h <= db->count; h++) {
		const struct att_attr *at = find(db, h);

		if (!at->service)
			continue;
		if (!width)
			width = 4u + at->value_len;
		if (4u + at->value_len != width || len + width > mtu)
			break;
		smp_put_le16(&rsp[len], h);
		smp_put_le16(&rsp[len + 2], at->group_end);
		memcpy(&rsp[len + 4], at->value, at->value_len);
		len += width;
	}
	if (!width)
		return error_rsp(rsp, p[0], start, ATT_SIM_E_NOT_FOUND);
	rsp[0] = ATT_SIM_OP_READ_GROUP_RSP;
	rsp[1] = (uint8_t)width;
	return len;
}

static size_t read_req(struct att_db *db, uint16_t mtu, const uint8_t *p, size_t n, uint8_t *rsp)
{
	const struct att_attr *at;
	size_t vlen;

	if (n != 3)
		return error_rsp(rsp, p[0], 0, ATT_SIM_E_INVALID_PDU);
	at = find(db, smp_get_le16(&p[1]));
	if (!at)
		return error_rsp(rsp, p[0], smp_get_le16(&p[1]), ATT_SIM_E_INVALID_HANDLE);
	if (!at->readable)
		return error_rsp(rsp, p[0], at->handle, ATT_SIM_E_READ_NOT_PERMITTED);
	vlen = at->value_len > mtu - 1u ? mtu - 1u : at->value_len;
	rsp[0] = ATT_SIM_OP_READ_RSP;
	memcpy(&rsp[1], at->value, vlen);
	return 1 + vlen;
}

/* Writes: only CCCDs take them. A Write Command gets no answer, right or
 * wrong. */
static size_t write_attr(struct att_db *db, const uint8_t *p, size_t n, uint8_t *rsp)
{
	bool cmd = p[0] == ATT_SIM_OP_WRITE_CMD;
	struct att_attr *at = n >= 3 ? find(db, smp_get_le16(&p[1])) : NULL;
	size_t err = 0;

	if (n < 3)
		err = error_rsp(rsp, p[0], 0, ATT_SIM_E_INVALID_PDU);
	else if (!at)
		err = error_rsp(rsp, p[0], smp_get_le16(&p[1]), ATT_SIM_E_INVALID_HANDLE);
	else if (at->kind != ATT_ATTR_CCCD)
		err = error_rsp(rsp, p[0], at->handle, ATT_SIM_E_WRITE_NOT_PERMITTED);
	else if (n != 5)
		err = error_rsp(rsp, p[0], at->handle, ATT_SIM_E_INVALID_LEN);
	else if (db->kind == ATT_DB_AUTH)
		err = error_rsp(rsp, p[0], at->handle, ATT_SIM_E_AUTHENTICATION);
	if (err)
		return cmd ? 0 : err;
	memcpy(at->value, &p[3], 2);
	rsp[0] = ATT_SIM_OP_WRITE_RSP;
	return cmd ? 0 : 1;
}

size_t att_db_handle(struct att_db *db, uint16_t mtu, const uint8_t *p, size_t n, uint8_t *rsp)
{
	uint8_t op = p[0];

	switch (op) {
	case ATT_SIM_OP_FIND_INFO_REQ:
		return find_info(db, mtu, p, n, rsp);
	case ATT_SIM_OP_READ_TYPE_REQ:
		return read_by_type(db, mtu, p, n, rsp);
	case ATT_SIM_OP_READ_REQ:
		return read_req(db, mtu, p, n, rsp);
	case ATT_SIM_OP_READ_GROUP_REQ:
		return read_by_group(db, mtu, p, n, rsp);
	case ATT_SIM_OP_WRITE_REQ:
	case ATT_SIM_OP_WRITE_CMD:
		return write_attr(db, p, n, rsp);
	}
	/* Commands and confirmations need no answer, nor do responses, which
	 * a central has no business sending; any other request gets one. */
	if ((op & ATT_SIM_OP_CMD_FLAG) || op == ATT_SIM_OP_CONFIRM || (op & 1))
		return 0;
	return error_rsp(rsp, op, 0, ATT_SIM_E_NOT_SUPPORTED);
}
