/* Bluetooth stand-in: the simulated device as a GATT server over a local
 * AF_UNIX SOCK_SEQPACKET socket, which keeps ATT PDU boundaries as an
 * L2CAP channel does. This file is the link and SMP over it; the database
 * and the requests answered from it are in front_att_db.c. It behaves as
 * Zephyr's host and smp_bt.c do:
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
 * Its ATT encoding is written from the specification, independently of
 * the client's transport/att.c, so that each checks the other. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "smp/bytes.h"
#include "tests/sim/front_att.h"
#include "tests/sim/front_att_db.h"
#include "tests/sim/frontend.h"
#include "tests/sim/sim.h"
#include "tests/sim/sim_wq.h"

#define PDU_BUF 1024
#define SMP_HDR 8
#define SMP_PACKET_MAX (SMP_HDR + 65535)

struct att_front {
	bool enabled;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	unsigned long mtu, notify_size;
	bool notify_cycle;	    /* answer k in pieces of k % (MTU-3) + 1 */
	unsigned long notify_count; /* answers sent, for the cycle */
	unsigned long drop_after;   /* drop the central after this many requests, once */
	unsigned long requests;
	enum att_db_kind db_kind;
	struct att_db db;
	struct sim_device *dev;
	int listen_fd, conn_fd;
	unsigned boot_seen;
	uint16_t att_mtu; /* of the connection */
	/* Request reassembly. */
	uint8_t *req;
	size_t req_have, req_need;
	struct sim_buf_ref req_ref; /* the pool buffer req stands for */
	struct sim_outq out;	    /* answers waiting for their time */
	uint8_t pdu[PDU_BUF];
};

/* ---- sending ---- */

static void drop_central(struct att_front *a);

static void send_pdu(struct att_front *a, const uint8_t *pdu, size_t len)
{
	if (a->conn_fd < 0 || !len)
		return;
	if (send(a->conn_fd, pdu, len, MSG_NOSIGNAL) != (ssize_t)len) {
		fprintf(stderr, "smp-simdev: att: send: %s; dropping the central\n",
			strerror(errno));
		drop_central(a);
	}
}

static void send_error(struct att_front *a, uint8_t req, uint16_t handle, uint8_t ecode)
{
	uint8_t pdu[5] = { ATT_SIM_OP_ERROR, req, 0, 0, ecode };

	smp_put_le16(&pdu[2], handle);
	send_pdu(a, pdu, sizeof(pdu));
}

static void send_notifications(struct att_front *a, const uint8_t *pkt, size_t len)
{
	size_t piece = a->att_mtu - 3u, off, n;
	uint8_t pdu[ATT_SIM_MTU_MAX];

	if (a->notify_cycle)
		piece = a->notify_count++ % piece + 1;
	else if (a->notify_size && a->notify_size < piece)
		piece = a->notify_size;
	pdu[0] = ATT_SIM_OP_NOTIFY;
	smp_put_le16(&pdu[1], a->db.smp_value_handle);
	for (off = 0; off < len && a->conn_fd >= 0; off += n) {
		n = len - off < piece ? len - off : piece;
		memcpy(&pdu[3], pkt + off, n);
		send_pdu(a, pdu, 3 + n);
	}
}

/* ---- SMP requests over Write Commands ---- */

static void req_reset(struct att_front *a)
{
	if (a->dev)
		sim_pool_give(a->dev, &a->req_ref);
	a->req_have = 0;
	a->req_need = 0;
}

static void att_emit(void *ctx, const void *tag, size_t tag_len, const uint8_t *pkt, size_t len)
{
	struct att_front *a = ctx;

	(void)sim_outq_push(&a->out, sim_now_ms(a->dev), pkt, len);
}

/* smp_reassembly_complete: the whole request goes to the SMP work queue
 * in its pool buffer. */
static void request_complete(struct att_front *a, struct sim_device *dev)
{
	(void)sim_wq_submit(dev, &a->req_ref, a->req, a->req_have, NULL, 0, att_emit, a);
	req_reset(a);
	sim_wq_run(dev);
	/* A link lost mid-transfer: the device keeps its state, the central
	 * has to come back. */
	if (a->drop_after && ++a->requests == a->drop_after) {
		fprintf(stderr, "smp-simdev: att: dropping the central after %lu requests\n",
			a->requests);
		drop_central(a);
	}
}

/* smp_reassembly_collect(): what goes wrong drops the packet. */
static void collect(struct att_front *a, struct sim_device *dev, const uint8_t *data, size_t len)
{
	size_t buf_size = sim_device_config(dev)->buf_size;

	if (!a->req_need) {
		if (len < SMP_HDR)
			return;
		/* The first piece takes a buffer of the shared pool
		 * (smp_packet_alloc); without one the piece is dropped. */
		if (!sim_pool_take(dev, &a->req_ref))
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

static void exchange_mtu(struct att_front *a, const uint8_t *p, size_t n)
{
	uint8_t rsp[3] = { ATT_SIM_OP_MTU_RSP };
	uint16_t client;

	if (n != 3)
		return send_error(a, p[0], 0, ATT_SIM_E_INVALID_PDU);
	client = smp_get_le16(p + 1);
	if (client < ATT_SIM_MTU_MIN)
		client = ATT_SIM_MTU_MIN;
	a->att_mtu = (uint16_t)(client < a->mtu ? client : a->mtu);
	smp_put_le16(&rsp[1], (uint16_t)a->mtu);
	send_pdu(a, rsp, sizeof(rsp));
}

static bool to_smp_value(const struct att_front *a, const uint8_t *p, size_t n)
{
	return p[0] == ATT_SIM_OP_WRITE_CMD && n >= 3 && a->db.smp_value_handle &&
	       smp_get_le16(p + 1) == a->db.smp_value_handle;
}

static void handle_pdu(struct att_front *a, struct sim_device *dev, const uint8_t *p, size_t n)
{
	uint8_t rsp[ATT_SIM_MTU_MAX];

	if (n > a->att_mtu) {
		fprintf(stderr,
			"smp-simdev: att: %zu-byte PDU (opcode 0x%02x) is longer than the "
			"MTU of %u\n",
			n, p[0], a->att_mtu);
		if (!(p[0] & ATT_SIM_OP_CMD_FLAG))
			send_error(a, p[0], 0, ATT_SIM_E_INVALID_PDU);
		return;
	}
	if (p[0] == ATT_SIM_OP_MTU_REQ)
		return exchange_mtu(a, p, n);
	if (to_smp_value(a, p, n))
		return collect(a, dev, &p[3], n - 3);
	send_pdu(a, rsp, att_db_handle(&a->db, a->att_mtu, p, n, rsp));
}

/* ---- the link ---- */

static void drop_central(struct att_front *a)
{
	if (a->conn_fd >= 0)
		close(a->conn_fd);
	a->conn_fd = -1;
	a->att_mtu = ATT_SIM_MTU_MIN;
	req_reset(a);
	/* smp_bt.c's disconnect handler: smp_rx_remove_invalid() throws
	 * away what the central left queued. */
	if (a->dev)
		sim_wq_forget(a->dev, a);
	sim_outq_clear(&a->out);
	att_db_forget_cccds(&a->db);
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
	a->att_mtu = ATT_SIM_MTU_MIN;
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
	sim_wq_run(dev);
	while ((it = sim_outq_pop_due(&a->out, sim_now_ms(dev))) != NULL) {
		/* Zephyr's bt_gatt_notify fails unless the central subscribed:
		 * the answer is lost. */
		if (a->conn_fd >= 0 && att_db_notifying(&a->db))
			send_notifications(a, it->data, it->len);
		sim_outq_free_item(it);
	}
}

static int att_next_timeout(void *ctx, struct sim_device *dev)
{
	struct att_front *a = ctx;
	int t = sim_outq_timeout_ms(&a->out, sim_now_ms(dev)), ev = sim_device_next_event_ms(dev);
	int w = sim_wq_next_ms(dev);

	if (ev >= 0 && (t < 0 || ev < t))
		t = ev;
	if (w >= 0 && (t < 0 || w < t))
		t = w;
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

	return sim_parse_uint(arg, ATT_SIM_MTU_MAX, &a->mtu) != 0 || a->mtu < ATT_SIM_MTU_MIN ? -1
											      : 0;
}

static int set_notify_size(void *ctx, const char *arg)
{
	struct att_front *a = ctx;

	a->notify_cycle = arg && !strcmp(arg, "cycle");
	return a->notify_cycle ? 0 : sim_parse_uint(arg, ATT_SIM_MTU_MAX - 3, &a->notify_size);
}

static int set_drop_after(void *ctx, const char *arg)
{
	struct att_front *a = ctx;

	return sim_parse_uint(arg, 100000000, &a->drop_after) != 0 || !a->drop_after ? -1 : 0;
}

static int set_db(void *ctx, const char *arg)
{
	struct att_front *a = ctx;
	int kind = att_db_kind_from_name(arg);

	if (kind < 0)
		return -1;
	a->db_kind = (enum att_db_kind)kind;
	return 0;
}

static const struct sim_frontend_opt att_opts[] = {
	{ "att", 1, "PATH  serve SMP over GATT on a SOCK_SEQPACKET socket at PATH", set_path },
	{ "att-mtu", 1, "N     ATT MTU of the device, 23..517 (default 498)", set_mtu },
	{ "att-notify-size", 1,
	  "N     cut answers into notifications of N bytes (default "
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
		a->att_mtu = ATT_SIM_MTU_MIN;
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
	att_db_build(&a->db, a->db_kind);
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

static int att_params(void *ctx, char *buf, size_t len)
{
	return snprintf(buf, len, "att_mtu=%lu\n", ((struct att_front *)ctx)->mtu);
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
	.params = att_params,
	.ops = &att_ops,
};
