/* Bluetooth stand-in: the simulated device as a GATT server over a local
 * AF_UNIX SOCK_SEQPACKET socket, which keeps ATT PDU boundaries as an
 * L2CAP channel does. It behaves as Zephyr's host and smp_bt.c do:
 *
 *   - answers Exchange MTU with its own MTU (--att-mtu) and uses the
 *     smaller of both; PDUs longer than that are refused or dropped;
 *   - serves GAP, GATT, SMP (characteristic with write without response
 *     and notify, and its CCCD) and Battery services for discovery, with
 *     the ATT rule that one list response holds entries of one size only;
 *   - puts requests split over Write Commands back together by the SMP
 *     header's length (smp_reassembly.c: a first piece shorter than the
 *     header, a packet larger than the SMP buffer, or bytes past the end
 *     drop the packet);
 *   - sends answers only once the CCCD enables notifications, cut into
 *     notifications of MTU-3 bytes (or --att-notify-size);
 *   - serves one central at a time and drops it when the device reboots.
 *
 * Its ATT encoding is written here from the specification, independently
 * of the client's transport/att.c, so that each checks the other. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "tests/sim/front_att.h"
#include "tests/sim/frontend.h"
#include "tests/sim/sim.h"

#define MTU_MIN 23
#define MTU_MAX 517
#define PDU_BUF 1024
#define MAX_ATTRS 32
#define SMP_HDR 8
#define SMP_PACKET_MAX (SMP_HDR + 65535)

/* Opcodes and error codes (Core Vol 3 Part F 3.4). */
enum {
	OP_ERROR = 0x01, OP_MTU_REQ = 0x02, OP_MTU_RSP = 0x03, OP_FIND_INFO_REQ = 0x04,
	OP_FIND_INFO_RSP = 0x05, OP_READ_TYPE_REQ = 0x08, OP_READ_TYPE_RSP = 0x09,
	OP_READ_REQ = 0x0A, OP_READ_RSP = 0x0B, OP_READ_GROUP_REQ = 0x10,
	OP_READ_GROUP_RSP = 0x11, OP_WRITE_REQ = 0x12, OP_WRITE_RSP = 0x13,
	OP_NOTIFY = 0x1B, OP_CONFIRM = 0x1E, OP_WRITE_CMD = 0x52, OP_CMD_FLAG = 0x40,
};

enum {
	E_INVALID_HANDLE = 0x01, E_READ_NOT_PERMITTED = 0x02, E_WRITE_NOT_PERMITTED = 0x03,
	E_INVALID_PDU = 0x04, E_AUTHENTICATION = 0x05, E_NOT_SUPPORTED = 0x06,
	E_NOT_FOUND = 0x0A, E_INVALID_LEN = 0x0D, E_UNSUPPORTED_GROUP = 0x10,
};

/* Which database to serve: the full one, or one missing a piece. */
enum att_db_kind { DB_FULL, DB_NO_SMP, DB_NO_CCCD, DB_AUTH };

static const char *const db_names[] = {
	[DB_FULL] = "full", [DB_NO_SMP] = "no-smp", [DB_NO_CCCD] = "no-cccd", [DB_AUTH] = "auth",
};

enum attr_kind { ATTR_FIXED, ATTR_CCCD, ATTR_SMP };

struct attr {
	uint16_t handle;
	uint8_t type[16];	/* wire order */
	uint8_t type_len;	/* 2 or 16 */
	enum attr_kind kind;
	bool readable;
	bool service;		/* a primary service declaration */
	uint16_t group_end;	/* for a service */
	uint8_t value[24];	/* fixed values; a CCCD keeps its 2 bytes here */
	uint8_t value_len;
};

struct att_front {
	bool enabled;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	unsigned long mtu, notify_size;
	bool notify_cycle;		/* answer k in pieces of k % (MTU-3) + 1 */
	unsigned long notify_count;	/* answers sent, for the cycle */
	unsigned long drop_after;	/* drop the central after this many requests, once */
	unsigned long requests;
	enum att_db_kind db_kind;
	struct sim_device *dev;
	struct attr db[MAX_ATTRS];
	size_t n_attrs;
	uint16_t smp_value_handle;
	int listen_fd, conn_fd;
	unsigned boot_seen;
	uint16_t att_mtu;	/* of the connection */
	/* Request reassembly. */
	uint8_t *req;
	size_t req_have, req_need;
	struct sim_outq in;	/* whole requests waiting while the device is busy */
	size_t in_len;
	struct sim_outq out;	/* answers waiting for their time */
	uint8_t pdu[PDU_BUF];
};

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

static void le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* ---- the GATT database ---- */

static struct attr *db_add(struct att_front *a, uint16_t type16, enum attr_kind kind)
{
	struct attr *at = &a->db[a->n_attrs];

	memset(at, 0, sizeof(*at));
	at->handle = (uint16_t)(++a->n_attrs);
	le16(at->type, type16);
	at->type_len = 2;
	at->kind = kind;
	at->readable = kind != ATTR_SMP;
	return at;
}

static void db_service(struct att_front *a, const uint8_t *uuid, uint8_t len)
{
	struct attr *at = db_add(a, 0x2800, ATTR_FIXED);

	at->service = true;
	memcpy(at->value, uuid, len);
	at->value_len = len;
}

/* A characteristic declaration and its value; returns the value. */
static struct attr *db_chr(struct att_front *a, uint8_t props, const uint8_t *uuid, uint8_t len,
			   enum attr_kind kind)
{
	struct attr *decl = db_add(a, 0x2803, ATTR_FIXED), *val;

	decl->value[0] = props;
	le16(&decl->value[1], (uint16_t)(decl->handle + 1));
	memcpy(&decl->value[3], uuid, len);
	decl->value_len = (uint8_t)(3 + len);
	val = db_add(a, 0, kind);
	memcpy(val->type, uuid, len);
	val->type_len = len;
	return val;
}

static void db_cccd(struct att_front *a)
{
	struct attr *at = db_add(a, 0x2902, ATTR_CCCD);

	at->value_len = 2;
}

static void db_build(struct att_front *a)
{
	static const uint8_t gap[2] = { 0x00, 0x18 }, gatt[2] = { 0x01, 0x18 },
			     battery[2] = { 0x0F, 0x18 }, name[2] = { 0x00, 0x2A },
			     changed[2] = { 0x05, 0x2A }, level[2] = { 0x19, 0x2A };
	struct attr *at;
	size_t i, end;

	a->n_attrs = 0;
	db_service(a, gap, 2);
	at = db_chr(a, 0x02, name, 2, ATTR_FIXED);
	memcpy(at->value, "smp-simdev", 10);
	at->value_len = 10;
	db_service(a, gatt, 2);
	db_chr(a, 0x20, changed, 2, ATTR_FIXED)->readable = false;
	db_cccd(a);
	if (a->db_kind != DB_NO_SMP) {
		db_service(a, smp_svc_uuid, 16);
		a->smp_value_handle = db_chr(a, 0x14, smp_chr_uuid, 16, ATTR_SMP)->handle;
		if (a->db_kind != DB_NO_CCCD)
			db_cccd(a);
	}
	db_service(a, battery, 2);
	at = db_chr(a, 0x12, level, 2, ATTR_FIXED);
	at->value[0] = 87;
	at->value_len = 1;
	db_cccd(a);
	/* Each service ends where the next begins. */
	for (i = a->n_attrs; i-- > 0;) {
		if (!a->db[i].service)
			continue;
		for (end = i + 1; end < a->n_attrs && !a->db[end].service; end++)
			;
		a->db[i].group_end = (uint16_t)end;
	}
}

static struct attr *db_find(struct att_front *a, uint16_t handle)
{
	return handle >= 1 && handle <= a->n_attrs ? &a->db[handle - 1] : NULL;
}

/* A 2- or 16-byte wire UUID against an attribute type, widening 16-bit
 * ones onto the base UUID. */
static bool type_is(const struct attr *at, const uint8_t *uuid, size_t len)
{
	uint8_t x[16], y[16];

	memcpy(x, base_uuid, 16);
	memcpy(y, base_uuid, 16);
	if (len == 2)
		memcpy(&x[12], uuid, 2);
	else
		memcpy(x, uuid, 16);
	if (at->type_len == 2)
		memcpy(&y[12], at->type, 2);
	else
		memcpy(y, at->type, 16);
	return memcmp(x, y, 16) == 0;
}

static bool cccd_notifying(struct att_front *a)
{
	const struct attr *at = db_find(a, (uint16_t)(a->smp_value_handle + 1));

	return at && at->kind == ATTR_CCCD && (at->value[0] & 0x01);
}

/* ---- sending ---- */

static void drop_central(struct att_front *a);

static void send_pdu(struct att_front *a, const uint8_t *pdu, size_t len)
{
	if (a->conn_fd < 0)
		return;
	if (send(a->conn_fd, pdu, len, MSG_NOSIGNAL) != (ssize_t)len) {
		fprintf(stderr, "smp-simdev: att: send: %s; dropping the central\n", strerror(errno));
		drop_central(a);
	}
}

static void send_error(struct att_front *a, uint8_t req, uint16_t handle, uint8_t ecode)
{
	uint8_t pdu[5] = { OP_ERROR, req, 0, 0, ecode };

	le16(&pdu[2], handle);
	send_pdu(a, pdu, sizeof(pdu));
}

static void send_notifications(struct att_front *a, const uint8_t *pkt, size_t len)
{
	size_t piece = a->att_mtu - 3u, off, n;
	uint8_t pdu[MTU_MAX];

	if (a->notify_cycle)
		piece = a->notify_count++ % piece + 1;
	else if (a->notify_size && a->notify_size < piece)
		piece = a->notify_size;
	pdu[0] = OP_NOTIFY;
	le16(&pdu[1], a->smp_value_handle);
	for (off = 0; off < len && a->conn_fd >= 0; off += n) {
		n = len - off < piece ? len - off : piece;
		memcpy(&pdu[3], pkt + off, n);
		send_pdu(a, pdu, 3 + n);
	}
}

/* ---- the central's requests ---- */

/* Checks a Find Information / Read By Type / Read By Group Type range and
 * answers the error itself. */
static bool range_ok(struct att_front *a, uint8_t op, uint16_t start, uint16_t end)
{
	if (start == 0 || start > end) {
		send_error(a, op, start, E_INVALID_HANDLE);
		return false;
	}
	return true;
}

static void find_info(struct att_front *a, const uint8_t *p, size_t n)
{
	uint8_t rsp[MTU_MAX] = { OP_FIND_INFO_RSP };
	uint16_t start, end, h;
	size_t len = 2, width = 0;

	if (n != 5)
		return send_error(a, p[0], 0, E_INVALID_PDU);
	start = rd16(&p[1]);
	end = rd16(&p[3]);
	if (!range_ok(a, p[0], start, end))
		return;
	for (h = start; h <= end && h <= a->n_attrs; h++) {
		const struct attr *at = db_find(a, h);

		if (!width)
			width = at->type_len;
		if (at->type_len != width || len + 2 + width > a->att_mtu)
			break;
		le16(&rsp[len], h);
		memcpy(&rsp[len + 2], at->type, width);
		len += 2 + width;
	}
	if (!width)
		return send_error(a, p[0], start, E_NOT_FOUND);
	rsp[1] = width == 2 ? 1 : 2;
	send_pdu(a, rsp, len);
}

/* The bytes an attribute reads as. */
static size_t attr_value(const struct attr *at, const uint8_t **value)
{
	*value = at->value;
	return at->value_len;
}

static void read_by_type(struct att_front *a, const uint8_t *p, size_t n)
{
	uint8_t rsp[MTU_MAX] = { OP_READ_TYPE_RSP };
	size_t len = 2, width = 0, max = a->att_mtu - 4u;
	uint16_t start, end, h;

	if (n != 7 && n != 21)
		return send_error(a, p[0], 0, E_INVALID_PDU);
	start = rd16(&p[1]);
	end = rd16(&p[3]);
	if (!range_ok(a, p[0], start, end))
		return;
	if (max > 253)
		max = 253;
	for (h = start; h <= end && h <= a->n_attrs; h++) {
		const struct attr *at = db_find(a, h);
		const uint8_t *value;
		size_t vlen;

		if (!type_is(at, &p[5], n - 5))
			continue;
		if (!at->readable) {
			if (!width)
				return send_error(a, p[0], h, E_READ_NOT_PERMITTED);
			break;
		}
		vlen = attr_value(at, &value);
		if (vlen > max)
			vlen = max;
		if (!width)
			width = 2 + vlen;
		if (2 + vlen != width || len + width > a->att_mtu)
			break;
		le16(&rsp[len], h);
		memcpy(&rsp[len + 2], value, vlen);
		len += width;
	}
	if (!width)
		return send_error(a, p[0], start, E_NOT_FOUND);
	rsp[1] = (uint8_t)width;
	send_pdu(a, rsp, len);
}

static void read_by_group(struct att_front *a, const uint8_t *p, size_t n)
{
	static const uint8_t primary[2] = { 0x00, 0x28 }, secondary[2] = { 0x01, 0x28 };
	uint8_t rsp[MTU_MAX] = { OP_READ_GROUP_RSP };
	size_t len = 2, width = 0;
	uint16_t start, end, h;
	struct attr probe = { .type_len = 2 };

	if (n != 7 && n != 21)
		return send_error(a, p[0], 0, E_INVALID_PDU);
	start = rd16(&p[1]);
	end = rd16(&p[3]);
	if (!range_ok(a, p[0], start, end))
		return;
	memcpy(probe.type, secondary, 2);
	if (type_is(&probe, &p[5], n - 5))
		return send_error(a, p[0], start, E_NOT_FOUND);
	memcpy(probe.type, primary, 2);
	if (!type_is(&probe, &p[5], n - 5))
		return send_error(a, p[0], start, E_UNSUPPORTED_GROUP);
	for (h = start; h <= end && h <= a->n_attrs; h++) {
		const struct attr *at = db_find(a, h);

		if (!at->service)
			continue;
		if (!width)
			width = 4u + at->value_len;
		if (4u + at->value_len != width || len + width > a->att_mtu)
			break;
		le16(&rsp[len], h);
		le16(&rsp[len + 2], at->group_end);
		memcpy(&rsp[len + 4], at->value, at->value_len);
		len += width;
	}
	if (!width)
		return send_error(a, p[0], start, E_NOT_FOUND);
	rsp[1] = (uint8_t)width;
	send_pdu(a, rsp, len);
}

static void read_req(struct att_front *a, const uint8_t *p, size_t n)
{
	uint8_t rsp[MTU_MAX] = { OP_READ_RSP };
	const struct attr *at;
	const uint8_t *value;
	size_t vlen;

	if (n != 3)
		return send_error(a, p[0], 0, E_INVALID_PDU);
	at = db_find(a, rd16(&p[1]));
	if (!at)
		return send_error(a, p[0], rd16(&p[1]), E_INVALID_HANDLE);
	if (!at->readable)
		return send_error(a, p[0], at->handle, E_READ_NOT_PERMITTED);
	vlen = attr_value(at, &value);
	if (vlen > a->att_mtu - 1u)
		vlen = a->att_mtu - 1u;
	memcpy(&rsp[1], value, vlen);
	send_pdu(a, rsp, 1 + vlen);
}

/* ---- SMP requests over Write Commands ---- */

static void req_reset(struct att_front *a)
{
	a->req_have = 0;
	a->req_need = 0;
}

struct att_emit {
	struct att_front *a;
	struct sim_device *dev;
};

static void att_emit(void *ctx, const uint8_t *pkt, size_t len)
{
	struct att_emit *e = ctx;
	int64_t due = sim_now_ms(e->dev);

	if (sim_device_busy_until(e->dev) > due)
		due = sim_device_busy_until(e->dev);
	(void)sim_outq_push(&e->a->out, due, pkt, len);
}

static void process(struct att_front *a, struct sim_device *dev, const uint8_t *pkt, size_t len)
{
	struct att_emit e = { a, dev };

	sim_process(dev, pkt, len, att_emit, &e);
	/* A link lost mid-transfer: the device keeps its state, the central
	 * has to come back. */
	if (a->drop_after && ++a->requests == a->drop_after) {
		fprintf(stderr, "smp-simdev: att: dropping the central after %lu requests\n",
			a->requests);
		drop_central(a);
	}
}

/* Zephyr keeps waiting requests in its buf_count buffers; the one being
 * handled holds two (request and answer). More are lost. */
static void request_complete(struct att_front *a, struct sim_device *dev)
{
	unsigned count = sim_device_config(dev)->buf_count;

	if (sim_device_busy_until(dev) > sim_now_ms(dev) || a->in.head) {
		if (count > 2 && a->in_len < count - 2 &&
		    sim_outq_push(&a->in, 0, a->req, a->req_have) == 0)
			a->in_len++;
	} else {
		process(a, dev, a->req, a->req_have);
	}
	req_reset(a);
}

/* smp_reassembly_collect(): what goes wrong drops the packet. */
static void collect(struct att_front *a, struct sim_device *dev, const uint8_t *data, size_t len)
{
	size_t buf_size = sim_device_config(dev)->buf_size;

	if (!a->req_need) {
		if (len < SMP_HDR)
			return;
		a->req_need = SMP_HDR + (size_t)(data[2] << 8 | data[3]);
		if (len > buf_size || a->req_need > buf_size || len > a->req_need) {
			req_reset(a);
			return;
		}
	}
	if (a->req_need - a->req_have < len) {
		req_reset(a);
		return;
	}
	memcpy(a->req + a->req_have, data, len);
	a->req_have += len;
	if (a->req_have == a->req_need)
		request_complete(a, dev);
}

static void write_req(struct att_front *a, struct sim_device *dev, const uint8_t *p, size_t n)
{
	bool cmd = p[0] == OP_WRITE_CMD;
	uint8_t ok = OP_WRITE_RSP;
	struct attr *at;

	if (n < 3) {
		if (!cmd)
			send_error(a, p[0], 0, E_INVALID_PDU);
		return;
	}
	at = db_find(a, rd16(&p[1]));
	if (at && at->kind == ATTR_SMP && cmd)
		return collect(a, dev, &p[3], n - 3);
	if (cmd && (!at || at->kind != ATTR_CCCD || n != 5 || a->db_kind == DB_AUTH))
		return;
	if (!at)
		return send_error(a, p[0], rd16(&p[1]), E_INVALID_HANDLE);
	if (at->kind != ATTR_CCCD)
		return send_error(a, p[0], at->handle, E_WRITE_NOT_PERMITTED);
	if (n != 5)
		return send_error(a, p[0], at->handle, E_INVALID_LEN);
	if (a->db_kind == DB_AUTH)
		return send_error(a, p[0], at->handle, E_AUTHENTICATION);
	memcpy(at->value, &p[3], 2);
	if (!cmd)
		send_pdu(a, &ok, 1);
}

static void exchange_mtu(struct att_front *a, const uint8_t *p, size_t n)
{
	uint8_t rsp[3] = { OP_MTU_RSP };
	uint16_t client;

	if (n != 3)
		return send_error(a, p[0], 0, E_INVALID_PDU);
	client = rd16(&p[1]);
	if (client < MTU_MIN)
		client = MTU_MIN;
	a->att_mtu = (uint16_t)(client < a->mtu ? client : a->mtu);
	le16(&rsp[1], (uint16_t)a->mtu);
	send_pdu(a, rsp, sizeof(rsp));
}

static void handle_pdu(struct att_front *a, struct sim_device *dev, const uint8_t *p, size_t n)
{
	uint8_t op = p[0];

	if (n > a->att_mtu) {
		fprintf(stderr, "smp-simdev: att: %zu-byte PDU (opcode 0x%02x) is longer than the "
			"MTU of %u\n", n, op, a->att_mtu);
		if (!(op & OP_CMD_FLAG))
			send_error(a, op, 0, E_INVALID_PDU);
		return;
	}
	switch (op) {
	case OP_MTU_REQ: return exchange_mtu(a, p, n);
	case OP_FIND_INFO_REQ: return find_info(a, p, n);
	case OP_READ_TYPE_REQ: return read_by_type(a, p, n);
	case OP_READ_REQ: return read_req(a, p, n);
	case OP_READ_GROUP_REQ: return read_by_group(a, p, n);
	case OP_WRITE_REQ:
	case OP_WRITE_CMD: return write_req(a, dev, p, n);
	default:
		/* Commands and confirmations need no answer; any other
		 * request gets one. Responses from a client make no sense. */
		if ((op & OP_CMD_FLAG) || op == OP_CONFIRM || (op & 1))
			return;
		send_error(a, op, 0, E_NOT_SUPPORTED);
	}
}

/* ---- the link ---- */

static void drop_central(struct att_front *a)
{
	size_t i;

	if (a->conn_fd >= 0)
		close(a->conn_fd);
	a->conn_fd = -1;
	a->att_mtu = MTU_MIN;
	req_reset(a);
	sim_outq_clear(&a->in);
	a->in_len = 0;
	sim_outq_clear(&a->out);
	/* CCCDs of an unbonded central are forgotten. */
	for (i = 0; i < a->n_attrs; i++)
		if (a->db[i].kind == ATTR_CCCD)
			memset(a->db[i].value, 0, 2);
}

/* A reboot breaks the link, as on a real device. */
static void check_reboot(struct att_front *a, struct sim_device *dev)
{
	unsigned boots = sim_device_boot_count(dev);

	if (a->conn_fd >= 0 && (sim_device_offline(dev) || boots != a->boot_seen))
		drop_central(a);
	a->boot_seen = boots;
}

static void accept_central(struct att_front *a)
{
	int fd = accept4(a->listen_fd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0)
		return;
	a->conn_fd = fd;
	a->att_mtu = MTU_MIN;
}

static void att_on_readable(void *ctx, struct sim_device *dev)
{
	struct att_front *a = ctx;
	struct iovec iov = { a->pdu, sizeof(a->pdu) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	check_reboot(a, dev);
	if (sim_device_offline(dev))
		return;
	if (a->conn_fd < 0)
		return accept_central(a);
	for (;;) {
		msg.msg_flags = 0;
		n = recvmsg(a->conn_fd, &msg, MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0)
			return drop_central(a);
		if (msg.msg_flags & MSG_TRUNC) {
			fprintf(stderr, "smp-simdev: att: dropped a PDU longer than %d bytes\n",
				PDU_BUF);
			continue;
		}
		handle_pdu(a, dev, a->pdu, (size_t)n);
		if (a->conn_fd < 0)
			return;
	}
}

static void att_on_tick(void *ctx, struct sim_device *dev)
{
	struct att_front *a = ctx;
	struct sim_outq_item *it;

	check_reboot(a, dev);
	while (a->in.head && sim_device_busy_until(dev) <= sim_now_ms(dev)) {
		it = sim_outq_pop_due(&a->in, INT64_MAX);
		a->in_len--;
		process(a, dev, it->data, it->len);
		sim_outq_free_item(it);
	}
	while ((it = sim_outq_pop_due(&a->out, sim_now_ms(dev))) != NULL) {
		/* Zephyr's bt_gatt_notify fails unless the central subscribed:
		 * the answer is lost. */
		if (a->conn_fd >= 0 && cccd_notifying(a))
			send_notifications(a, it->data, it->len);
		sim_outq_free_item(it);
	}
}

static int att_next_timeout(void *ctx, struct sim_device *dev)
{
	struct att_front *a = ctx;
	int64_t now = sim_now_ms(dev), busy = sim_device_busy_until(dev);
	int t = sim_outq_timeout_ms(&a->out, now), ev = sim_device_next_event_ms(dev);

	if (a->in.head) {
		int b = busy > now ? (int)(busy - now) : 0;

		if (t < 0 || b < t)
			t = b;
	}
	if (ev >= 0 && (t < 0 || ev < t))
		t = ev;
	return t;
}

/* The listening socket while no central is connected (one at a time, as
 * a device that stops advertising once connected); nothing while the
 * device reboots, so that a central waits as for a device that is not
 * advertising. */
static int att_fd(void *ctx)
{
	struct att_front *a = ctx;

	if (sim_device_offline(a->dev))
		return -1;
	return a->conn_fd >= 0 ? a->conn_fd : a->listen_fd;
}

/* ---- options and life cycle ---- */

static int set_path(void *ctx, const char *arg)
{
	struct att_front *a = ctx;

	if (!arg || !*arg || strlen(arg) >= sizeof(a->path))
		return -1;
	strcpy(a->path, arg);
	a->enabled = true;
	return 0;
}

static int set_mtu(void *ctx, const char *arg)
{
	struct att_front *a = ctx;

	return sim_parse_uint(arg, MTU_MAX, &a->mtu) != 0 || a->mtu < MTU_MIN ? -1 : 0;
}

static int set_notify_size(void *ctx, const char *arg)
{
	struct att_front *a = ctx;

	a->notify_cycle = arg && !strcmp(arg, "cycle");
	return a->notify_cycle ? 0 : sim_parse_uint(arg, MTU_MAX - 3, &a->notify_size);
}

static int set_drop_after(void *ctx, const char *arg)
{
	struct att_front *a = ctx;

	return sim_parse_uint(arg, 100000000, &a->drop_after) != 0 || !a->drop_after ? -1 : 0;
}

static int set_db(void *ctx, const char *arg)
{
	struct att_front *a = ctx;
	size_t i;

	for (i = 0; i < sizeof(db_names) / sizeof(db_names[0]); i++) {
		if (!strcmp(arg, db_names[i])) {
			a->db_kind = (enum att_db_kind)i;
			return 0;
		}
	}
	return -1;
}

static const struct sim_frontend_opt att_opts[] = {
	{ "att", 1, "PATH  serve SMP over GATT on a SOCK_SEQPACKET socket at PATH", set_path },
	{ "att-mtu", 1, "N     ATT MTU of the device, 23..517 (default 498)", set_mtu },
	{ "att-notify-size", 1, "N     cut answers into notifications of N bytes (default "
				"MTU-3); cycle: 1, 2, ... MTU-3 bytes, one size per answer",
	  set_notify_size },
	{ "att-drop-after", 1, "N     drop the connection after N requests (once)",
	  set_drop_after },
	{ "att-db", 1, "KIND  GATT database: full, no-smp, no-cccd or auth (default full)",
	  set_db },
	{ NULL, 0, NULL, NULL },
};

static void *att_create(void)
{
	struct att_front *a = calloc(1, sizeof(*a));

	if (a) {
		a->mtu = 498;
		a->listen_fd = -1;
		a->conn_fd = -1;
		a->att_mtu = MTU_MIN;
	}
	return a;
}

static int att_start(void *ctx, struct sim_device *dev, char *err, size_t errlen)
{
	struct att_front *a = ctx;
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct stat st;

	if (!a->enabled)
		return 1;
	db_build(a);
	a->dev = dev;
	a->boot_seen = sim_device_boot_count(dev);
	a->req = malloc(SMP_PACKET_MAX);
	if (!a->req) {
		snprintf(err, errlen, "att: out of memory");
		return -1;
	}
	/* A socket left behind by an earlier run is replaced; anything else
	 * at that path is not ours to remove. */
	if (lstat(a->path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(a->path);
	strcpy(addr.sun_path, a->path);
	a->listen_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (a->listen_fd < 0 || bind(a->listen_fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
	    listen(a->listen_fd, 4) != 0) {
		snprintf(err, errlen, "att socket %s: %s", a->path, strerror(errno));
		return -1;
	}
	return 0;
}

static void att_describe(void *ctx, char *buf, size_t len)
{
	struct att_front *a = ctx;

	snprintf(buf, len, "att %s", a->path);
}

static void att_close(void *ctx)
{
	struct att_front *a = ctx;

	if (!a)
		return;
	drop_central(a);
	if (a->listen_fd >= 0) {
		close(a->listen_fd);
		unlink(a->path);
	}
	free(a->req);
	free(a);
}

static const struct sim_frontend_ops att_ops = {
	.name = "att",
	.fd = att_fd,
	.on_readable = att_on_readable,
	.next_timeout_ms = att_next_timeout,
	.on_tick = att_on_tick,
	.close = att_close,
};

const struct sim_frontend_def sim_front_att = {
	.name = "att",
	.opts = att_opts,
	.create = att_create,
	.start = att_start,
	.describe = att_describe,
	.ops = &att_ops,
};
