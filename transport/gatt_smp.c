/* SMP over GATT on a connected ATT bearer; see gatt_smp.h. */
#include "transport/gatt_smp.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "smp/clock.h"
#include "smp/engine.h"
#include "smp/fmt.h"
#include "smp/header.h"
#include "transport/att.h"
#include "transport/att_bearer.h"

/* After a reset, how long to wait for the old link to drop before making a
 * new one: Linux's default LE supervision timeout is 420 ms. */
#define RESET_DROP_GRACE_MS 2000
#define RECONNECT_PAUSE_MS 200
#define SEND_TIMEOUT_S 30

struct gatt_smp {
	struct att_bearer bearer;
	struct gatt_smp_opts opts;
	struct gatt_smp_link link;
	bool has_link;
	bool connected;
	/* Values move through pipe (BlueZ's acquired fds), not the bearer's
	 * fd; the bearer then only keeps the MTU and the lost state. */
	bool piped;
	struct gatt_smp_pipe pipe;
	uint16_t svc_start, svc_end;
	uint16_t value_handle, desc_end, cccd_handle;
	int64_t setup_deadline; /* a reconnect's time runs out here */
	struct smp_gatt_rx rx;
	char err[320];
};

enum {
	SETUP_OK = 0,
	SETUP_FAIL = -1
};

SMP_PRINTF(2, 3)
static int setup_fail(struct gatt_smp *g, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(g->err, sizeof(g->err), fmt, ap);
	va_end(ap);
	return SETUP_FAIL;
}

static void trace(struct gatt_smp *g, const char *msg)
{
	if (g->opts.trace)
		g->opts.trace(g->opts.trace_arg, msg);
}

/* ---- discovery ---- */

/* Per request while setting up, within what a reconnect has left. */
static int setup_timeout(const struct gatt_smp *g)
{
	int64_t left = g->setup_deadline - smp_clock_ms();

	if (left >= g->opts.setup_timeout_ms)
		return g->opts.setup_timeout_ms;
	return left > 0 ? (int)left : 1;
}

static int request(struct gatt_smp *g, const uint8_t *req, int len, const char *step)
{
	int rc;

	if (len < 0)
		return setup_fail(g, "%s: request does not fit the ATT MTU", step);
	rc = att_bearer_request(&g->bearer, req, (size_t)len, setup_timeout(g));
	if (rc != ATT_BEARER_OK)
		return setup_fail(g, "%s: %s", step, g->bearer.err);
	return SETUP_OK;
}

/* Did the last request end in an Error Response? */
static bool got_error(struct gatt_smp *g, struct att_error *e)
{
	return att_dec_error_rsp(g->bearer.pdu, g->bearer.pdu_len, e) == ATT_DEC_OK;
}

static int refused(struct gatt_smp *g, const char *step, const struct att_error *e)
{
	return setup_fail(g, "%s: the device answered %s (0x%02x)", step, att_ecode_name(e->ecode),
			  e->ecode);
}

/* One discovery request (bt_gatt_discover's step): DISCOVER_MORE with the
 * answer in the bearer, DISCOVER_END when the peer has no more such
 * attributes, or DISCOVER_FAILED (reported). */
enum {
	DISCOVER_MORE = 1,
	DISCOVER_END = 0,
	DISCOVER_FAILED = -1
};

static int discover(struct gatt_smp *g, const uint8_t *req, int n, const char *step)
{
	struct att_error e;

	if (request(g, req, n, step) != SETUP_OK)
		return DISCOVER_FAILED;
	if (!got_error(g, &e))
		return DISCOVER_MORE;
	if (e.ecode == ATT_E_ATTRIBUTE_NOT_FOUND)
		return DISCOVER_END;
	refused(g, step, &e);
	return DISCOVER_FAILED;
}

static int malformed(struct gatt_smp *g, const char *step, int dec)
{
	return setup_fail(g, "%s: malformed answer from the device (%s)", step,
			  att_dec_err_name(dec));
}

static int find_service(struct gatt_smp *g)
{
	static const char step[] = "SMP service discovery";
	struct att_group groups[ATT_MAX_LIST];
	struct att_uuid primary, smp_svc;
	uint32_t start = 1;
	int more;
	uint8_t req[32];
	int n, i;

	att_uuid16(GATT_UUID_PRIMARY_SERVICE, &primary);
	att_uuid_parse(SMP_BT_SVC_UUID_STR, &smp_svc);
	while (start <= 0xFFFF) {
		n = att_enc_read_by_group_req(req, sizeof(req), (uint16_t)start, 0xFFFF, &primary);
		more = discover(g, req, n, step);
		if (more == DISCOVER_FAILED)
			return SETUP_FAIL;
		if (more == DISCOVER_END)
			break;
		n = att_dec_read_by_group_rsp(g->bearer.pdu, g->bearer.pdu_len, groups,
					      ATT_MAX_LIST);
		if (n < 0)
			return malformed(g, step, n);
		for (i = 0; i < n; i++) {
			/* Handles only grow: anything else would loop forever. */
			if (groups[i].start < start)
				return malformed(g, step, ATT_DEC_FORMAT);
			if (att_uuid_eq(&groups[i].uuid, &smp_svc)) {
				g->svc_start = groups[i].start;
				g->svc_end = groups[i].end;
				return SETUP_OK;
			}
			start = (uint32_t)groups[i].end + 1;
		}
	}
	return setup_fail(g,
			  "the device has no SMP service (%s): is mcumgr's Bluetooth "
			  "transport (CONFIG_MCUMGR_TRANSPORT_BT) enabled in its firmware?",
			  SMP_BT_SVC_UUID_STR);
}

/* Notes the SMP characteristic, or the one after it, which ends its
 * descriptors. Returns 1 once both are known. */
static int note_chr(struct gatt_smp *g, const struct att_chr *c, const struct att_uuid *smp_chr)
{
	if (g->value_handle) {
		g->desc_end = (uint16_t)(c->decl_handle - 1);
		return 1;
	}
	if (!att_uuid_eq(&c->uuid, smp_chr))
		return 0;
	if ((c->props & (GATT_CHR_PROP_WRITE_NO_RSP | GATT_CHR_PROP_NOTIFY)) !=
	    (GATT_CHR_PROP_WRITE_NO_RSP | GATT_CHR_PROP_NOTIFY))
		return setup_fail(g,
				  "the SMP characteristic lacks write without response or "
				  "notify (properties 0x%02x)",
				  c->props);
	g->value_handle = c->value_handle;
	return 0;
}

static int find_chr(struct gatt_smp *g)
{
	static const char step[] = "SMP characteristic discovery";
	struct att_handle_value attrs[ATT_MAX_LIST];
	struct att_uuid chr_type, smp_chr;
	uint32_t start = g->svc_start;
	int more;
	struct att_chr c;
	uint8_t req[32];
	int n, i, rc;

	att_uuid16(GATT_UUID_CHARACTERISTIC, &chr_type);
	att_uuid_parse(SMP_BT_CHR_UUID_STR, &smp_chr);
	g->value_handle = 0;
	g->desc_end = g->svc_end;
	while (start <= g->svc_end) {
		n = att_enc_read_by_type_req(req, sizeof(req), (uint16_t)start, g->svc_end,
					     &chr_type);
		more = discover(g, req, n, step);
		if (more == DISCOVER_FAILED)
			return SETUP_FAIL;
		if (more == DISCOVER_END)
			break;
		n = att_dec_read_by_type_rsp(g->bearer.pdu, g->bearer.pdu_len, attrs, ATT_MAX_LIST);
		if (n < 0)
			return malformed(g, step, n);
		for (i = 0; i < n; i++) {
			int dec = att_dec_chr_decl(attrs[i].handle, attrs[i].value, attrs[i].len,
						   &c);

			if (dec != ATT_DEC_OK)
				return malformed(g, step, dec);
			if (c.decl_handle < start || c.value_handle > g->svc_end)
				return malformed(g, step, ATT_DEC_FORMAT);
			rc = note_chr(g, &c, &smp_chr);
			if (rc)
				return rc < 0 ? SETUP_FAIL : SETUP_OK;
			start = (uint32_t)c.value_handle + 1;
		}
	}
	if (!g->value_handle)
		return setup_fail(g, "the SMP service has no SMP characteristic (%s)",
				  SMP_BT_CHR_UUID_STR);
	return SETUP_OK;
}

static int find_cccd(struct gatt_smp *g)
{
	static const char step[] = "SMP notification descriptor discovery";
	struct att_info infos[ATT_MAX_LIST];
	uint32_t start = (uint32_t)g->value_handle + 1;
	struct att_uuid cccd;
	int more;
	uint8_t req[8];
	int n, i;

	att_uuid16(GATT_UUID_CCCD, &cccd);
	while (start <= g->desc_end) {
		n = att_enc_find_info_req(req, sizeof(req), (uint16_t)start, g->desc_end);
		more = discover(g, req, n, step);
		if (more == DISCOVER_FAILED)
			return SETUP_FAIL;
		if (more == DISCOVER_END)
			break;
		n = att_dec_find_info_rsp(g->bearer.pdu, g->bearer.pdu_len, infos, ATT_MAX_LIST);
		if (n < 0)
			return malformed(g, step, n);
		for (i = 0; i < n; i++) {
			if (infos[i].handle < start || infos[i].handle > g->desc_end)
				return malformed(g, step, ATT_DEC_FORMAT);
			if (att_uuid_eq(&infos[i].uuid, &cccd)) {
				g->cccd_handle = infos[i].handle;
				return SETUP_OK;
			}
			start = (uint32_t)infos[i].handle + 1;
		}
	}
	return setup_fail(g, "the SMP characteristic has no Client Characteristic "
			     "Configuration descriptor: notifications cannot be enabled");
}

static int enable_notifications(struct gatt_smp *g)
{
	static const char step[] = "enabling SMP notifications";
	const uint8_t value[2] = { GATT_CCCD_NOTIFY & 0xFF, GATT_CCCD_NOTIFY >> 8 };
	struct att_error e;
	uint8_t req[8];
	int n, dec;

	n = att_enc_write_req(req, sizeof(req), g->cccd_handle, value, sizeof(value));
	if (request(g, req, n, step) != SETUP_OK)
		return SETUP_FAIL;
	if (got_error(g, &e)) {
		if (e.ecode == ATT_E_AUTHENTICATION || e.ecode == ATT_E_INSUFFICIENT_ENCRYPTION ||
		    e.ecode == ATT_E_ENCRYPTION_KEY_SIZE)
			return setup_fail(g,
					  "%s: the device requires a paired, encrypted link "
					  "(%s): pair with it first, for instance with "
					  "bluetoothctl pair ADDRESS",
					  step, att_ecode_name(e.ecode));
		return refused(g, step, &e);
	}
	dec = att_dec_write_rsp(g->bearer.pdu, g->bearer.pdu_len);
	return dec == ATT_DEC_OK ? SETUP_OK : malformed(g, step, dec);
}

static void on_value(void *arg, uint8_t opcode, uint16_t handle, const uint8_t *value, size_t len)
{
	struct gatt_smp *g = arg;

	if (handle != g->value_handle || opcode != ATT_OP_NOTIFY) {
		trace(g, "ble: ignored a value for another attribute");
		return;
	}
	if (smp_gatt_rx_feed(&g->rx, value, len) < 0)
		trace(g, "ble: a notification ran past the end of its SMP packet; dropped it");
}

static void set_send_timeout(int fd)
{
	struct timeval tv = { .tv_sec = SEND_TIMEOUT_S };

	/* Bounds a send to a link that stopped moving; harmless to fail on
	 * something that is not a socket. */
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/* Everything between a fresh connection and the first SMP packet, done
 * by deadline. */
static int setup(struct gatt_smp *g, int fd, int64_t deadline)
{
	char msg[96];
	int rc;

	att_bearer_init(&g->bearer, fd, g->opts.att_mtu);
	g->piped = false;
	g->bearer.on_value = on_value;
	g->bearer.value_arg = g;
	g->bearer.trace = g->opts.trace;
	g->bearer.trace_arg = g->opts.trace_arg;
	if (g->has_link && g->link.raise_security) {
		g->bearer.raise_security = g->link.raise_security;
		g->bearer.security_arg = g->link.arg;
	}
	smp_gatt_rx_reset(&g->rx);
	set_send_timeout(fd);
	g->connected = true;
	g->setup_deadline = deadline;
	rc = att_bearer_exchange_mtu(&g->bearer, setup_timeout(g));
	if (rc != ATT_BEARER_OK)
		return setup_fail(g, "MTU exchange: %s", g->bearer.err);
	if (find_service(g) || find_chr(g) || find_cccd(g) || enable_notifications(g))
		return SETUP_FAIL;
	snprintf(msg, sizeof(msg), "ble: SMP characteristic at handle %u, CCCD %u, ATT MTU %u",
		 g->value_handle, g->cccd_handle, g->bearer.mtu);
	trace(g, msg);
	return SETUP_OK;
}

static void disconnect(struct gatt_smp *g)
{
	if (g->connected && g->piped) {
		close(g->pipe.write_fd);
		close(g->pipe.notify_fd);
	} else if (g->connected) {
		close(g->bearer.fd);
	}
	g->connected = false;
}

/* ---- the value pipe: the same packets, the discovery done by BlueZ ---- */

static int pipe_lost(struct gatt_smp *g, const char *why)
{
	snprintf(g->bearer.err, sizeof(g->bearer.err), "connection to the device lost (%s)", why);
	g->bearer.lost = true;
	return ATT_BEARER_LOST;
}

static int pipe_setup(struct gatt_smp *g, const struct gatt_smp_pipe *p)
{
	char msg[96];

	att_bearer_init(&g->bearer, -1, p->att_mtu);
	g->bearer.mtu = p->att_mtu < ATT_DEFAULT_MTU ? ATT_DEFAULT_MTU : p->att_mtu;
	if (g->bearer.mtu > ATT_MAX_MTU)
		g->bearer.mtu = ATT_MAX_MTU;
	g->pipe = *p;
	g->piped = true;
	g->connected = true;
	smp_gatt_rx_reset(&g->rx);
	snprintf(msg, sizeof(msg),
		 "ble: SMP characteristic acquired through bluetoothd, ATT MTU %u", g->bearer.mtu);
	trace(g, msg);
	return SETUP_OK;
}

/* One Write Command's value. BlueZ's end is non-blocking, and so may
 * ours be: wait for room rather than fail. */
static int pipe_send(struct gatt_smp *g, const uint8_t *value, size_t len)
{
	struct pollfd p = { .fd = g->pipe.write_fd, .events = POLLOUT };
	ssize_t n;

	for (;;) {
		n = send(g->pipe.write_fd, value, len, MSG_NOSIGNAL);
		if (n >= 0 || (errno != EINTR && errno != EAGAIN))
			break;
		if (errno == EAGAIN && poll(&p, 1, SEND_TIMEOUT_S * 1000) == 0)
			return pipe_lost(g, "bluetoothd accepted nothing for too long");
	}
	if (n < 0)
		return pipe_lost(g, strerror(errno));
	return (size_t)n == len ? ATT_BEARER_OK : pipe_lost(g, "short write");
}

/* One notification's value into the reassembler. */
static int pipe_poll(struct gatt_smp *g, int timeout_ms)
{
	struct pollfd p = { .fd = g->pipe.notify_fd, .events = POLLIN };
	uint8_t value[ATT_MAX_MTU];
	ssize_t n;
	int ready;

	if (g->bearer.lost)
		return ATT_BEARER_LOST;
	ready = poll(&p, 1, timeout_ms < 0 ? 0 : timeout_ms);
	if (ready < 0)
		return errno == EINTR ? ATT_BEARER_TIMEOUT : pipe_lost(g, strerror(errno));
	if (ready == 0)
		return ATT_BEARER_TIMEOUT;
	n = recv(g->pipe.notify_fd, value, sizeof(value), MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return ATT_BEARER_TIMEOUT;
	if (n < 0)
		return pipe_lost(g, strerror(errno));
	if (n == 0)
		return pipe_lost(g, "bluetoothd closed the notification pipe: the device "
				    "disconnected");
	if (smp_gatt_rx_feed(&g->rx, value, (size_t)n) < 0)
		trace(g, "ble: a notification ran past the end of its SMP packet; dropped it");
	return ATT_BEARER_OK;
}

/* Waits for what the device sends, whichever way it comes. */
static int link_poll(struct gatt_smp *g, int timeout_ms)
{
	return g->piped ? pipe_poll(g, timeout_ms) : att_bearer_poll(&g->bearer, timeout_ms);
}

static int link_send(struct gatt_smp *g, const uint8_t *value, size_t len)
{
	uint8_t pdu[ATT_MAX_MTU];
	int pdu_len;

	if (g->piped)
		return pipe_send(g, value, len);
	pdu_len = att_enc_write_cmd(pdu, sizeof(pdu), g->value_handle, value, len);
	return att_bearer_send(&g->bearer, pdu, (size_t)pdu_len);
}

/* Makes the link: a bearer (and the discovery), or BlueZ's pipe. */
static int link_open(struct gatt_smp *g, int timeout_ms, int64_t deadline, char *why, size_t whylen)
{
	struct gatt_smp_pipe p;
	int fd;

	if (g->link.acquire) {
		if (g->link.acquire(g->link.arg, timeout_ms, &p, why, whylen) != 0)
			return SETUP_FAIL;
		return pipe_setup(g, &p);
	}
	fd = g->link.connect(g->link.arg, timeout_ms, why, whylen);
	if (fd < 0)
		return SETUP_FAIL;
	if (setup(g, fd, deadline) == SETUP_OK)
		return SETUP_OK;
	if (why != g->err)
		snprintf(why, whylen, "%.200s", g->err);
	disconnect(g);
	return SETUP_FAIL;
}

/* ---- transport operations ---- */

static int io_error(struct gatt_smp *g)
{
	snprintf(g->err, sizeof(g->err), "%s", g->bearer.err);
	return SMP_IO_ERROR;
}

static int gs_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct gatt_smp *g = ctx;
	size_t piece, off, n;

	if (len > g->opts.packet_max)
		return SMP_IO_TOOBIG;
	if (!g->connected || g->bearer.lost)
		return io_error(g);
	piece = (size_t)g->bearer.mtu - ATT_WRITE_OVERHEAD;
	for (off = 0; off < len; off += n) {
		n = len - off < piece ? len - off : piece;
		if (link_send(g, pkt + off, n) != ATT_BEARER_OK)
			return io_error(g);
	}
	return SMP_IO_OK;
}

static int take_packet(struct gatt_smp *g, uint8_t *buf, size_t cap, size_t *len)
{
	size_t have = g->rx.have;

	smp_gatt_rx_reset(&g->rx);
	if (have > cap)
		return SMP_IO_TOOBIG;
	memcpy(buf, g->rx.buf, have);
	*len = have;
	return SMP_IO_OK;
}

static int gs_recv(void *ctx, uint8_t *buf, size_t cap, size_t *len, int timeout_ms)
{
	struct gatt_smp *g = ctx;
	int64_t deadline = smp_clock_ms() + (timeout_ms > 0 ? timeout_ms : 0);

	if (!g->connected)
		return io_error(g);
	for (;;) {
		int64_t left;
		int rc;

		if (g->rx.ready)
			return take_packet(g, buf, cap, len);
		left = deadline - smp_clock_ms();
		rc = link_poll(g, left > 0 ? (int)left : 0);
		if (rc == ATT_BEARER_TIMEOUT && left <= 0)
			return SMP_IO_TIMEOUT;
		if (rc != ATT_BEARER_OK && rc != ATT_BEARER_TIMEOUT)
			return io_error(g);
	}
}

static size_t gs_mtu(void *ctx)
{
	struct gatt_smp *g = ctx;

	return g->opts.packet_max;
}

/* A device that resets drops its connection; give the old link a moment
 * to go so that we do not reconnect to a device about to leave. */
static void await_drop(struct gatt_smp *g, int grace_ms)
{
	int64_t deadline = smp_clock_ms() + grace_ms;

	while (g->connected && !g->bearer.lost) {
		int64_t left = deadline - smp_clock_ms();

		if (left <= 0)
			break;
		link_poll(g, (int)left);
	}
}

static void pause_ms(int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static int gs_reconnect(void *ctx, int timeout_ms)
{
	struct gatt_smp *g = ctx;
	int64_t deadline = smp_clock_ms() + timeout_ms;
	char why[256] = "no attempt made";

	if (!g->has_link) {
		snprintf(g->err, sizeof(g->err),
			 "cannot reconnect: the link was given as an "
			 "open file descriptor");
		return SMP_IO_ERROR;
	}
	await_drop(g, timeout_ms < RESET_DROP_GRACE_MS ? timeout_ms : RESET_DROP_GRACE_MS);
	disconnect(g);
	for (;;) {
		int64_t left = deadline - smp_clock_ms();

		if (left <= 0)
			break;
		if (link_open(g, (int)left, deadline, why, sizeof(why)) == SETUP_OK)
			return SMP_IO_OK;
		pause_ms(RECONNECT_PAUSE_MS);
	}
	snprintf(g->err, sizeof(g->err), "could not reconnect within %d ms: %.250s", timeout_ms,
		 why);
	return SMP_IO_TIMEOUT;
}

static const char *gs_last_error(void *ctx)
{
	struct gatt_smp *g = ctx;

	return g->err;
}

static void gs_close(void *ctx)
{
	struct gatt_smp *g = ctx;

	disconnect(g);
	if (g->has_link && g->link.release)
		g->link.release(g->link.arg);
	free(g->rx.buf);
	free(g);
}

/* Zephyr reassembles a request split over writes: the device buffer, not
 * the ATT MTU, bounds a packet. */
static void gs_device_buffer(void *ctx, size_t buf_size)
{
	struct gatt_smp *g = ctx;

	if (buf_size >= SMP_HEADER_SIZE)
		g->opts.packet_max = buf_size > SMP_MAX_PACKET ? SMP_MAX_PACKET : buf_size;
}

static const struct smp_transport_ops gatt_smp_ops = {
	.name = "ble",
	.send = gs_send,
	.recv = gs_recv,
	.mtu = gs_mtu,
	.reconnect = gs_reconnect,
	.last_error = gs_last_error,
	.device_buffer = gs_device_buffer,
	.close = gs_close,
};

/* ---- opening ---- */

static struct gatt_smp *gatt_smp_new(const struct gatt_smp_opts *o)
{
	struct gatt_smp *g = calloc(1, sizeof(*g));
	uint8_t *rx_buf = malloc(SMP_MAX_PACKET);

	if (!g || !rx_buf) {
		free(rx_buf);
		free(g);
		return NULL;
	}
	smp_gatt_rx_init_buf(&g->rx, rx_buf, SMP_MAX_PACKET);
	if (o)
		g->opts = *o;
	if (!g->opts.att_mtu)
		g->opts.att_mtu = ATT_MAX_MTU;
	if (!g->opts.packet_max)
		g->opts.packet_max = GATT_SMP_DEFAULT_PACKET;
	if (g->opts.packet_max > SMP_MAX_PACKET)
		g->opts.packet_max = SMP_MAX_PACKET;
	if (g->opts.setup_timeout_ms <= 0)
		g->opts.setup_timeout_ms = GATT_SMP_SETUP_TIMEOUT_MS;
	return g;
}

static int opened(struct smp_link *t, struct gatt_smp *g, int rc, char *err, size_t errlen)
{
	if (rc != SETUP_OK) {
		snprintf(err, errlen, "%s", g->err);
		gs_close(g);
		return -1;
	}
	t->ops = &gatt_smp_ops;
	t->ctx = g;
	return 0;
}

int gatt_smp_transport_open_fd(struct smp_link *t, int fd, const struct gatt_smp_opts *o, char *err,
			       size_t errlen)
{
	struct gatt_smp *g = gatt_smp_new(o);

	if (!g) {
		close(fd);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return opened(t, g, setup(g, fd, INT64_MAX), err, errlen);
}

int gatt_smp_transport_open_link(struct smp_link *t, const struct gatt_smp_link *link,
				 int timeout_ms, const struct gatt_smp_opts *o, char *err,
				 size_t errlen)
{
	struct gatt_smp *g = gatt_smp_new(o);
	int rc;

	if (!g) {
		if (link->release)
			link->release(link->arg);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	g->link = *link;
	g->has_link = true;
	rc = link_open(g, timeout_ms, smp_clock_ms() + timeout_ms, g->err, sizeof(g->err));
	return opened(t, g, rc, err, errlen);
}

/* t may be another transport, or this one wrapped (-vv): then these do
 * nothing. */
uint16_t gatt_smp_att_mtu(const struct smp_link *t)
{
	const struct gatt_smp *g = t->ops == &gatt_smp_ops ? t->ctx : NULL;

	return g ? g->bearer.mtu : 0;
}

void gatt_smp_set_packet_max(struct smp_link *t, size_t packet_max)
{
	if (t->ops == &gatt_smp_ops)
		gs_device_buffer(t->ctx, packet_max);
}
