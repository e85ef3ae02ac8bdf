/* The simulator's GATT stand-in (tests/sim/front_att.c) driven through its
 * frontend interface, with ATT PDUs written out by hand: it must answer as
 * a Zephyr peripheral would, independently of the client's codec. Its
 * database: GAP 1-3 (name at 3), GATT 4-7, SMP 8-11 (declaration 9, value
 * 10, CCCD 11), Battery 12-15. */
#include "unit.h"

#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "tests/sim/front_att.h"
#include "tests/unit/sim_harness.h"

#define BYTES(...) ((const uint8_t[]){ __VA_ARGS__ })
#define NBYTES(...) sizeof((const uint8_t[]){ __VA_ARGS__ })
#define TX(r, ...) rig_send((r), BYTES(__VA_ARGS__), NBYTES(__VA_ARGS__))
#define RX(r, ...) rig_expect(t, (r), BYTES(__VA_ARGS__), NBYTES(__VA_ARGS__), __LINE__)

#define SMP_SVC_LE                                                                                \
	0x84, 0xAA, 0x60, 0x74, 0x52, 0x8A, 0x8B, 0x86, 0xD3, 0x4C, 0xB7, 0x1D, 0x1D, 0xDC, 0x53, \
		0x8D
#define SMP_CHR_LE                                                                                \
	0x48, 0x7C, 0x99, 0x74, 0x11, 0x26, 0x9E, 0xAE, 0x01, 0x4E, 0xCE, 0xFB, 0x28, 0x78, 0x2E, \
		0xDA

struct rig {
	struct simh h;
	void *fe;
	char path[108];
	int cli;
};

static bool set_opt(void *fe, const char *name, const char *arg)
{
	const struct sim_frontend_opt *o;

	for (o = sim_front_att.opts; o->name; o++)
		if (!strcmp(o->name, name))
			return o->set(fe, arg) == 0;
	return false;
}

/* Lets the frontend handle whatever is waiting, as main.c's loop does. */
static void rig_pump(struct rig *r)
{
	const struct sim_frontend_ops *ops = sim_front_att.ops;
	int i;

	for (i = 0; i < 64; i++) {
		struct pollfd p = { .fd = ops->fd(r->fe), .events = POLLIN };

		if (p.fd < 0 || poll(&p, 1, 0) <= 0)
			break;
		ops->on_readable(r->fe, r->h.dev);
		ops->on_tick(r->fe, r->h.dev);
	}
	ops->on_tick(r->fe, r->h.dev);
}

/* opts: name, value pairs, NULL-ended. */
static bool rig_open(struct unit_ctx *t, struct rig *r, const char *const *opts)
{
	static unsigned serial;
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char err[256] = "";

	memset(r, 0, sizeof(*r));
	simh_init(&r->h);
	if (!simh_open(&r->h))
		return false;
	snprintf(r->path, sizeof(r->path), "/tmp/att-sim-%d-%u.sock", (int)getpid(), serial++);
	r->fe = sim_front_att.create();
	if (!CHECK(r->fe && set_opt(r->fe, "att", r->path)))
		return false;
	for (; opts && *opts; opts += 2)
		if (!CHECK(set_opt(r->fe, opts[0], opts[1])))
			return false;
	if (!CHECK_INT(sim_front_att.start(r->fe, r->h.dev, err, sizeof(err)), 0)) {
		printf("    %s\n", err);
		return false;
	}
	strcpy(addr.sun_path, r->path);
	r->cli = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (!CHECK(connect(r->cli, (struct sockaddr *)&addr, sizeof(addr)) == 0))
		return false;
	rig_pump(r);
	return true;
}

static void rig_close(struct rig *r)
{
	if (r->cli > 0)
		close(r->cli);
	if (r->fe)
		sim_front_att.ops->close(r->fe);
	simh_free(&r->h);
}

static void rig_send(struct rig *r, const uint8_t *pdu, size_t n)
{
	if (send(r->cli, pdu, n, 0) != (ssize_t)n)
		abort();
	rig_pump(r);
}

static size_t rig_recv(struct rig *r, uint8_t *buf, size_t cap)
{
	ssize_t n;

	rig_pump(r);
	n = recv(r->cli, buf, cap, MSG_DONTWAIT);
	return n < 0 ? 0 : (size_t)n;
}

static bool rig_expect(struct unit_ctx *t, struct rig *r, const uint8_t *want, size_t n, int line)
{
	uint8_t got[600];
	size_t len = rig_recv(r, got, sizeof(got));
	char msg[64];

	snprintf(msg, sizeof(msg), "PDU expected at line %d", line);
	if (!unit_check(t, len == n && memcmp(got, want, n) == 0, msg, __FILE__, line)) {
		size_t i;

		printf("    got %zu bytes:", len);
		for (i = 0; i < len && i < 32; i++)
			printf(" %02x", got[i]);
		printf("\n");
		return false;
	}
	return true;
}

/* An SMP v2 echo request {"d": text} with a text of len 'e's. */
static size_t echo_req(uint8_t *pkt, size_t len, uint8_t seq)
{
	size_t body = 1 + 2 + 2 + len;

	memcpy(pkt, BYTES(0x0A, 0, (uint8_t)(body >> 8), (uint8_t)body, 0, 0, seq, 0), 8);
	memcpy(pkt + 8, BYTES(0xA1, 0x61, 'd', 0x78, (uint8_t)len), 5);
	memset(pkt + 13, 'e', len);
	return 8 + body;
}

/* Sends pkt as Write Commands of piece bytes to the SMP value. */
static void write_pieces(struct rig *r, const uint8_t *pkt, size_t len, size_t piece)
{
	uint8_t pdu[600] = { 0x52, 0x0A, 0x00 };
	size_t off, n;

	for (off = 0; off < len; off += n) {
		n = len - off < piece ? len - off : piece;
		memcpy(pdu + 3, pkt + off, n);
		rig_send(r, pdu, 3 + n);
	}
}

/* Collects notifications into one packet; returns its size, 0 if none.
 * The device answers with indefinite-length maps: one byte more than the
 * request's definite map. */
static size_t read_answer(struct unit_ctx *t, struct rig *r, uint8_t *out, size_t cap,
			  size_t max_piece)
{
	uint8_t pdu[600];
	size_t have = 0, need = 8, n;

	while (have < need && (n = rig_recv(r, pdu, sizeof(pdu))) > 0) {
		if (!CHECK(pdu[0] == 0x1B && pdu[1] == 0x0A && pdu[2] == 0) ||
		    !CHECK(n - 3 <= max_piece) || !CHECK(have + n - 3 <= cap))
			return 0;
		memcpy(out + have, pdu + 3, n - 3);
		have += n - 3;
		if (have >= 8)
			need = 8 + (size_t)(out[2] << 8 | out[3]);
	}
	return have == need ? have : 0;
}

TEST(att_sim_mtu_and_service_discovery)
{
	static const char *const mtu23[] = { "att-mtu", "23", NULL };
	struct rig r;

	if (rig_open(t, &r, mtu23)) {
		TX(&r, 0x02, 0x05, 0x02);
		RX(&r, 0x03, 0x17, 0x00);
		/* One response holds entries of one size: the 16-bit services
		 * first, the SMP service alone, then Battery. */
		TX(&r, 0x10, 0x01, 0x00, 0xFF, 0xFF, 0x00, 0x28);
		RX(&r, 0x11, 0x06, 0x01, 0x00, 0x03, 0x00, 0x00, 0x18, 0x04, 0x00, 0x07, 0x00, 0x01,
		   0x18);
		TX(&r, 0x10, 0x08, 0x00, 0xFF, 0xFF, 0x00, 0x28);
		RX(&r, 0x11, 0x14, 0x08, 0x00, 0x0B, 0x00, SMP_SVC_LE);
		TX(&r, 0x10, 0x0C, 0x00, 0xFF, 0xFF, 0x00, 0x28);
		RX(&r, 0x11, 0x06, 0x0C, 0x00, 0x0F, 0x00, 0x0F, 0x18);
		TX(&r, 0x10, 0x10, 0x00, 0xFF, 0xFF, 0x00, 0x28);
		RX(&r, 0x01, 0x10, 0x10, 0x00, 0x0A);
		/* Secondary services: none; other group types: unsupported. */
		TX(&r, 0x10, 0x01, 0x00, 0xFF, 0xFF, 0x01, 0x28);
		RX(&r, 0x01, 0x10, 0x01, 0x00, 0x0A);
		TX(&r, 0x10, 0x01, 0x00, 0xFF, 0xFF, 0x03, 0x28);
		RX(&r, 0x01, 0x10, 0x01, 0x00, 0x10);
	}
	rig_close(&r);
}

TEST(att_sim_characteristics_and_descriptors)
{
	struct rig r;

	if (rig_open(t, &r, NULL)) {
		TX(&r, 0x08, 0x08, 0x00, 0x0B, 0x00, 0x03, 0x28);
		RX(&r, 0x09, 0x15, 0x09, 0x00, 0x14, 0x0A, 0x00, SMP_CHR_LE);
		TX(&r, 0x08, 0x0A, 0x00, 0x0B, 0x00, 0x03, 0x28);
		RX(&r, 0x01, 0x08, 0x0A, 0x00, 0x0A);
		/* 16-bit characteristic declarations of two services at once. */
		TX(&r, 0x08, 0x01, 0x00, 0x07, 0x00, 0x03, 0x28);
		RX(&r, 0x09, 0x07, 0x02, 0x00, 0x02, 0x03, 0x00, 0x00, 0x2A, 0x05, 0x00, 0x20, 0x06,
		   0x00, 0x05, 0x2A);
		/* Find Information: one width per response. */
		TX(&r, 0x04, 0x0A, 0x00, 0x0B, 0x00);
		RX(&r, 0x05, 0x02, 0x0A, 0x00, SMP_CHR_LE);
		TX(&r, 0x04, 0x0B, 0x00, 0x0B, 0x00);
		RX(&r, 0x05, 0x01, 0x0B, 0x00, 0x02, 0x29);
		TX(&r, 0x04, 0x10, 0x00, 0xFF, 0xFF);
		RX(&r, 0x01, 0x04, 0x10, 0x00, 0x0A);
		TX(&r, 0x04, 0x00, 0x00, 0x05, 0x00);
		RX(&r, 0x01, 0x04, 0x00, 0x00, 0x01);
		TX(&r, 0x04, 0x05, 0x00, 0x04, 0x00);
		RX(&r, 0x01, 0x04, 0x05, 0x00, 0x01);
		TX(&r, 0x04, 0x05, 0x00);
		RX(&r, 0x01, 0x04, 0x00, 0x00, 0x04);
		/* Reads: the name, not the SMP value. */
		TX(&r, 0x0A, 0x03, 0x00);
		RX(&r, 0x0B, 's', 'm', 'p', '-', 's', 'i', 'm', 'd', 'e', 'v');
		TX(&r, 0x0A, 0x0A, 0x00);
		RX(&r, 0x01, 0x0A, 0x0A, 0x00, 0x02);
		TX(&r, 0x0A, 0x40, 0x00);
		RX(&r, 0x01, 0x0A, 0x40, 0x00, 0x01);
		/* Unknown requests are refused, commands ignored. */
		TX(&r, 0x30, 0x01);
		RX(&r, 0x01, 0x30, 0x00, 0x00, 0x06);
		TX(&r, 0x72, 0x01);
		CHECK_INT(rig_recv(&r, (uint8_t[8]){ 0 }, 8), 0);
	}
	rig_close(&r);
}

TEST(att_sim_cccd_gates_notifications)
{
	static const char *const mtu23[] = { "att-mtu", "23", NULL };
	uint8_t pkt[300], ans[600];
	size_t len;
	struct rig r;

	if (rig_open(t, &r, mtu23)) {
		TX(&r, 0x02, 0x05, 0x02);
		RX(&r, 0x03, 0x17, 0x00);
		len = echo_req(pkt, 40, 1);
		write_pieces(&r, pkt, len, 20);
		/* Not subscribed: the answer is lost, as Zephyr's. */
		CHECK_INT(rig_recv(&r, ans, sizeof(ans)), 0);
		TX(&r, 0x12, 0x0B, 0x00, 0x01);
		RX(&r, 0x01, 0x12, 0x0B, 0x00, 0x0D);
		TX(&r, 0x12, 0x0A, 0x00, 0x01, 0x00);
		RX(&r, 0x01, 0x12, 0x0A, 0x00, 0x03);
		TX(&r, 0x12, 0x0B, 0x00, 0x01, 0x00);
		RX(&r, 0x13);
		len = echo_req(pkt, 40, 2);
		write_pieces(&r, pkt, len, 20);
		len = read_answer(t, &r, ans, sizeof(ans), 20);
		CHECK_INT(len, 8 + 5 + 40 + 1);
		CHECK_INT(ans[0] & 7, 3); /* write response */
		CHECK_INT(ans[6], 2);
		CHECK_MEM(ans + 8, BYTES(0xBF, 0x61, 'r', 0x78, 40), 5);
	}
	rig_close(&r);
}

TEST(att_sim_reassembles_like_zephyr)
{
	static const char *const opts[] = { "att-mtu", "185", "att-notify-size", "7", NULL };
	uint8_t pkt[300], ans[600];
	size_t len, piece;
	struct rig r;

	if (!rig_open(t, &r, opts)) {
		rig_close(&r);
		return;
	}
	TX(&r, 0x02, 0xB9, 0x00);
	RX(&r, 0x03, 0xB9, 0x00);
	TX(&r, 0x12, 0x0B, 0x00, 0x01, 0x00);
	RX(&r, 0x13);
	/* Every piece size a central might use, header split included. */
	for (piece = 1; piece <= 182; piece += piece < 12 ? 1 : 17) {
		len = echo_req(pkt, 200, (uint8_t)piece);
		write_pieces(&r, pkt, len, piece);
		if (piece < 8) {
			/* A first piece shorter than the header is dropped
			 * (smp_reassembly_collect: -ENODATA), and the rest
			 * of the packet is noise. */
			CHECK_INT(rig_recv(&r, ans, sizeof(ans)), 0);
			continue;
		}
		len = read_answer(t, &r, ans, sizeof(ans), 7);
		if (!CHECK_INT(len, 8 + 5 + 200 + 1) || !CHECK_INT(ans[6], piece))
			break;
	}
	/* Bytes past the end of the packet drop it; the next one is fine. */
	len = echo_req(pkt, 10, 0x55);
	pkt[len] = 0xEE;
	write_pieces(&r, pkt, len + 1, len + 1);
	CHECK_INT(rig_recv(&r, ans, sizeof(ans)), 0);
	write_pieces(&r, pkt, len, 100);
	/* {_ "r": "eeeeeeeeee"}: a 10-byte text has a one-byte head. */
	CHECK_INT(read_answer(t, &r, ans, sizeof(ans), 7), 8 + 1 + 2 + 1 + 10 + 1);
	/* A PDU longer than the MTU: a request is refused, a command
	 * dropped. */
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 0x12;
	pkt[1] = 0x0B;
	rig_send(&r, pkt, 186);
	RX(&r, 0x01, 0x12, 0x00, 0x00, 0x04);
	pkt[0] = 0x52;
	pkt[1] = 0x0A;
	rig_send(&r, pkt, 186);
	CHECK_INT(rig_recv(&r, ans, sizeof(ans)), 0);
	rig_close(&r);
}

TEST(att_sim_drops_packets_larger_than_its_buffer)
{
	uint8_t pkt[400], ans[600];
	size_t len;
	struct rig r;

	memset(&r, 0, sizeof(r));
	if (!rig_open(t, &r, NULL)) {
		rig_close(&r);
		return;
	}
	/* A header announcing more than the device's 2048-byte buffer: the
	 * packet is dropped (smp_reassembly_collect: -ENOSR). */
	TX(&r, 0x02, 0x05, 0x02);
	RX(&r, 0x03, 0xF2, 0x01);
	TX(&r, 0x12, 0x0B, 0x00, 0x01, 0x00);
	RX(&r, 0x13);
	len = echo_req(pkt, 100, 9);
	pkt[2] = 0x10; /* 4 kB more than it holds */
	write_pieces(&r, pkt, len, 495);
	CHECK_INT(rig_recv(&r, ans, sizeof(ans)), 0);
	len = echo_req(pkt, 100, 10);
	write_pieces(&r, pkt, len, 495);
	CHECK_INT(read_answer(t, &r, ans, sizeof(ans), 495), 8 + 5 + 100 + 1);
	rig_close(&r);
}

TEST(att_sim_reboot_drops_the_central)
{
	static const uint8_t reset[] = { 0x52, 0x0A, 0x00, 0x0A, 0, 0, 1, 0, 0, 3, 5, 0xA0 };
	uint8_t ans[64];
	struct rig r;

	if (!rig_open(t, &r, NULL)) {
		rig_close(&r);
		return;
	}
	TX(&r, 0x12, 0x0B, 0x00, 0x01, 0x00);
	RX(&r, 0x13);
	rig_send(&r, reset, sizeof(reset));
	CHECK(read_answer(t, &r, ans, sizeof(ans), 20) >= 8);
	simh_advance(&r.h, 1000);
	rig_pump(&r);
	/* The link is gone: end of file for the central. */
	CHECK_INT(recv(r.cli, ans, sizeof(ans), MSG_DONTWAIT), 0);
	rig_close(&r);
}

TEST(att_sim_refuses_bad_options)
{
	void *fe = sim_front_att.create();

	CHECK(!set_opt(fe, "att-mtu", "22"));
	CHECK(!set_opt(fe, "att-mtu", "518"));
	CHECK(set_opt(fe, "att-mtu", "517"));
	CHECK(!set_opt(fe, "att-notify-size", "515"));
	CHECK(set_opt(fe, "att-notify-size", "cycle"));
	CHECK(!set_opt(fe, "att-db", "nope"));
	CHECK(set_opt(fe, "att-db", "no-cccd"));
	CHECK(!set_opt(fe, "att-drop-after", "0"));
	CHECK(!set_opt(fe, "att", ""));
	sim_front_att.ops->close(fe);
}
