/* The GATT SMP client against a scripted peer on the other end of an
 * AF_UNIX SOCK_SEQPACKET pair: the peer's answers are queued before the
 * client runs (it reads them in order), and what the client sent is read
 * back and compared afterwards. No threads: each side only ever waits for
 * bytes already written. */
#include "unit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "smp/engine.h"
#include "transport/att.h"
#include "transport/gatt_smp.h"

#define BYTES(...) ((const uint8_t[]){ __VA_ARGS__ })
#define NBYTES(...) sizeof((const uint8_t[]){ __VA_ARGS__ })
/* Queues one PDU from the peer. */
#define PEER(fd, ...) peer_send((fd), BYTES(__VA_ARGS__), NBYTES(__VA_ARGS__))
/* Checks the next PDU the client sent. */
#define SENT(fd, ...) check_sent(t, (fd), BYTES(__VA_ARGS__), NBYTES(__VA_ARGS__), __LINE__)

#define SMP_SVC_LE                                                                                \
	0x84, 0xAA, 0x60, 0x74, 0x52, 0x8A, 0x8B, 0x86, 0xD3, 0x4C, 0xB7, 0x1D, 0x1D, 0xDC, 0x53, \
		0x8D
#define SMP_CHR_LE                                                                                \
	0x48, 0x7C, 0x99, 0x74, 0x11, 0x26, 0x9E, 0xAE, 0x01, 0x4E, 0xCE, 0xFB, 0x28, 0x78, 0x2E, \
		0xDA
#define VALUE_HANDLE 8

static void peer_send(int fd, const uint8_t *pdu, size_t n)
{
	if (send(fd, pdu, n, 0) != (ssize_t)n)
		abort();
}

/* The next PDU the client sent, 0 when there is none. */
static size_t peer_recv(int fd, uint8_t *buf, size_t cap)
{
	ssize_t n = recv(fd, buf, cap, MSG_DONTWAIT);

	return n < 0 ? 0 : (size_t)n;
}

static bool check_sent(struct unit_ctx *t, int fd, const uint8_t *want, size_t n, int line)
{
	uint8_t got[600];
	size_t len = peer_recv(fd, got, sizeof(got));
	char msg[64];

	snprintf(msg, sizeof(msg), "PDU expected at line %d", line);
	if (!unit_check(t, len == n, msg, __FILE__, line))
		return false;
	return unit_check(t, memcmp(got, want, n) == 0, msg, __FILE__, line);
}

static void pair(int *client, int *peer)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) != 0)
		abort();
	*client = sv[0];
	*peer = sv[1];
}

/* GAP 1-5, SMP service 6-9: declaration 7, value 8, CCCD 9. */
static void peer_discovery(int peer)
{
	PEER(peer, 0x11, 0x06, 0x01, 0x00, 0x05, 0x00, 0x00, 0x18);
	PEER(peer, 0x11, 0x14, 0x06, 0x00, 0x09, 0x00, SMP_SVC_LE);
	PEER(peer, 0x09, 0x15, 0x07, 0x00, 0x14, 0x08, 0x00, SMP_CHR_LE);
	PEER(peer, 0x01, 0x08, 0x09, 0x00, 0x0A);
	PEER(peer, 0x05, 0x01, 0x09, 0x00, 0x02, 0x29);
	PEER(peer, 0x13);
}

static void peer_setup(int peer, uint16_t mtu)
{
	PEER(peer, 0x03, (uint8_t)mtu, (uint8_t)(mtu >> 8));
	peer_discovery(peer);
}

static bool sent_discovery(struct unit_ctx *t, int peer)
{
	return SENT(peer, 0x10, 0x01, 0x00, 0xFF, 0xFF, 0x00, 0x28) &&
	       SENT(peer, 0x10, 0x06, 0x00, 0xFF, 0xFF, 0x00, 0x28) &&
	       SENT(peer, 0x08, 0x06, 0x00, 0x09, 0x00, 0x03, 0x28) &&
	       SENT(peer, 0x08, 0x09, 0x00, 0x09, 0x00, 0x03, 0x28) &&
	       SENT(peer, 0x04, 0x09, 0x00, 0x09, 0x00) && SENT(peer, 0x12, 0x09, 0x00, 0x01, 0x00);
}

static const struct gatt_smp_opts quick = { .setup_timeout_ms = 300, .packet_max = 4096 };

/* A connected transport after the standard script; the peer's queue of
 * client PDUs is emptied. */
static bool open_standard(struct unit_ctx *t, struct smp_link *tr, int *peer, uint16_t mtu)
{
	char err[320] = "";
	uint8_t junk[600];
	int client;

	pair(&client, peer);
	peer_setup(*peer, mtu);
	if (!CHECK_INT(gatt_smp_transport_open_fd(tr, client, &quick, err, sizeof(err)), 0)) {
		printf("    err: %s\n", err);
		close(*peer);
		return false;
	}
	while (peer_recv(*peer, junk, sizeof(junk)))
		;
	return true;
}

/* An SMP packet of total size len whose header announces its length. */
static void make_packet(uint8_t *pkt, size_t len, uint8_t seed)
{
	size_t i;

	memset(pkt, 0, 8);
	pkt[0] = 0x09; /* v2 read response */
	pkt[2] = (uint8_t)((len - 8) >> 8);
	pkt[3] = (uint8_t)(len - 8);
	pkt[6] = seed;
	for (i = 8; i < len; i++)
		pkt[i] = (uint8_t)(i * 7 + seed);
}

/* Queues pkt as notifications of split bytes, a few at a time so that
 * the socket buffer never fills, draining with recv in between. */
static int notify_packet(struct smp_link *tr, int peer, const uint8_t *pkt, size_t len,
			 size_t split, uint8_t *out, size_t cap, size_t *out_len)
{
	uint8_t pdu[600] = { ATT_OP_NOTIFY, VALUE_HANDLE, 0 };
	size_t off = 0;
	int rc = SMP_IO_TIMEOUT;

	while (off < len) {
		unsigned batch;

		for (batch = 0; batch < 32 && off < len; batch++) {
			size_t n = len - off < split ? len - off : split;

			memcpy(pdu + 3, pkt + off, n);
			peer_send(peer, pdu, n + 3);
			off += n;
		}
		rc = tr->ops->recv(tr->ctx, out, cap, out_len, 0);
		if (rc != SMP_IO_TIMEOUT)
			break;
	}
	if (rc == SMP_IO_TIMEOUT)
		rc = tr->ops->recv(tr->ctx, out, cap, out_len, 100);
	return rc;
}

TEST(gatt_setup_discovers_and_subscribes)
{
	struct smp_link tr;
	char err[320] = "";
	int client, peer;

	pair(&client, &peer);
	peer_setup(peer, 247);
	CHECK_INT(gatt_smp_transport_open_fd(&tr, client, &quick, err, sizeof(err)), 0);
	CHECK_STR(err, "");
	/* Asks for the largest MTU, then walks the services. */
	CHECK(SENT(peer, 0x02, 0x05, 0x02));
	CHECK(sent_discovery(t, peer));
	CHECK_INT(gatt_smp_att_mtu(&tr), 247);
	CHECK_INT(tr.ops->mtu(tr.ctx), 4096);
	gatt_smp_set_packet_max(&tr, 2475);
	CHECK_INT(tr.ops->mtu(tr.ctx), 2475);
	CHECK_STR(tr.ops->name, "ble");
	tr.ops->close(tr.ctx);
	close(peer);
}

TEST(gatt_setup_walks_many_services_and_characteristics)
{
	struct smp_link tr;
	char err[320] = "";
	int client, peer;

	pair(&client, &peer);
	PEER(peer, 0x03, 0x17, 0x00);
	/* Two 16-bit services, then the SMP service at 0x20-0x30 with a
	 * characteristic before and after the SMP one. */
	PEER(peer, 0x11, 0x06, 0x01, 0x00, 0x05, 0x00, 0x00, 0x18, 0x06, 0x00, 0x1F, 0x00, 0x01,
	     0x18);
	PEER(peer, 0x11, 0x14, 0x20, 0x00, 0x30, 0x00, SMP_SVC_LE);
	PEER(peer, 0x09, 0x07, 0x21, 0x00, 0x02, 0x22, 0x00, 0x00, 0x2A);
	PEER(peer, 0x09, 0x15, 0x23, 0x00, 0x14, 0x24, 0x00, SMP_CHR_LE);
	PEER(peer, 0x09, 0x07, 0x28, 0x00, 0x02, 0x29, 0x00, 0x19, 0x2A);
	/* Descriptors 0x25-0x27: a user description, then the CCCD. */
	PEER(peer, 0x05, 0x01, 0x25, 0x00, 0x01, 0x29, 0x26, 0x00, 0x02, 0x29);
	PEER(peer, 0x13);
	CHECK_INT(gatt_smp_transport_open_fd(&tr, client, &quick, err, sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK(SENT(peer, 0x02, 0x05, 0x02));
	CHECK(SENT(peer, 0x10, 0x01, 0x00, 0xFF, 0xFF, 0x00, 0x28));
	CHECK(SENT(peer, 0x10, 0x20, 0x00, 0xFF, 0xFF, 0x00, 0x28));
	CHECK(SENT(peer, 0x08, 0x20, 0x00, 0x30, 0x00, 0x03, 0x28));
	CHECK(SENT(peer, 0x08, 0x23, 0x00, 0x30, 0x00, 0x03, 0x28));
	CHECK(SENT(peer, 0x08, 0x25, 0x00, 0x30, 0x00, 0x03, 0x28));
	CHECK(SENT(peer, 0x04, 0x25, 0x00, 0x27, 0x00));
	CHECK(SENT(peer, 0x12, 0x26, 0x00, 0x01, 0x00));
	CHECK_INT(gatt_smp_att_mtu(&tr), 23);
	tr.ops->close(tr.ctx);
	close(peer);
}

TEST(gatt_send_splits_into_mtu_minus_3)
{
	static const uint16_t mtus[] = { 23, 185, 247, 498, 517 };
	uint8_t pkt[1500], got[1500], pdu[600];
	struct smp_link tr;
	size_t m;

	make_packet(pkt, sizeof(pkt), 1);
	for (m = 0; m < sizeof(mtus) / sizeof(mtus[0]); m++) {
		size_t piece = mtus[m] - 3u, have = 0, n;
		int peer;

		if (!open_standard(t, &tr, &peer, mtus[m]))
			return;
		CHECK_INT(tr.ops->send(tr.ctx, pkt, sizeof(pkt)), SMP_IO_OK);
		while ((n = peer_recv(peer, pdu, sizeof(pdu))) > 0) {
			CHECK_INT(pdu[0], ATT_OP_WRITE_CMD);
			CHECK_INT(pdu[1] | pdu[2] << 8, VALUE_HANDLE);
			/* Every piece is full but the last. */
			if (have + piece < sizeof(pkt))
				CHECK_INT(n - 3, piece);
			memcpy(got + have, pdu + 3, n - 3);
			have += n - 3;
		}
		CHECK_INT(have, sizeof(pkt));
		CHECK_MEM(got, pkt, sizeof(pkt));
		tr.ops->close(tr.ctx);
		close(peer);
	}
}

TEST(gatt_send_refuses_packets_over_packet_max)
{
	uint8_t pkt[4097] = { 0 };
	struct smp_link tr;
	int peer;

	if (!open_standard(t, &tr, &peer, 247))
		return;
	CHECK_INT(tr.ops->send(tr.ctx, pkt, sizeof(pkt)), SMP_IO_TOOBIG);
	tr.ops->close(tr.ctx);
	close(peer);
}

TEST(gatt_recv_reassembles_at_every_split)
{
	static const uint16_t mtus[] = { 23, 185, 247, 498 };
	uint8_t pkt[700], got[700];
	struct smp_link tr;
	size_t m, split, len;

	for (m = 0; m < sizeof(mtus) / sizeof(mtus[0]); m++) {
		int peer;

		if (!open_standard(t, &tr, &peer, mtus[m]))
			return;
		for (split = 1; split <= mtus[m] - 3u; split++) {
			size_t plen = 9 + (split * 5) % (sizeof(pkt) - 9);

			make_packet(pkt, plen, (uint8_t)split);
			len = 0;
			if (!CHECK_INT(notify_packet(&tr, peer, pkt, plen, split, got, sizeof(got),
						     &len),
				       SMP_IO_OK) ||
			    !CHECK_INT(len, plen) || !CHECK_MEM(got, pkt, plen)) {
				printf("    at MTU %u, split %zu\n", mtus[m], split);
				break;
			}
		}
		tr.ops->close(tr.ctx);
		close(peer);
	}
}

TEST(gatt_recv_header_only_and_back_to_back_packets)
{
	uint8_t a[8], b[30], got[64];
	struct smp_link tr;
	size_t len = 0;
	int peer;

	if (open_standard(t, &tr, &peer, 23)) {
		make_packet(a, sizeof(a), 1);
		make_packet(b, sizeof(b), 2);
		CHECK_INT(notify_packet(&tr, peer, a, sizeof(a), 20, got, sizeof(got), &len),
			  SMP_IO_OK);
		CHECK_INT(len, 8);
		CHECK_MEM(got, a, 8);
		/* Two packets queued at once come out one per recv. */
		PEER(peer, 0x1B, 0x08, 0x00, 0x09, 0, 0, 0, 0, 0, 3, 0);
		PEER(peer, 0x1B, 0x08, 0x00, 0x09, 0, 0, 1, 0, 0, 4, 0, 0xEE);
		CHECK_INT(tr.ops->recv(tr.ctx, got, sizeof(got), &len, 100), SMP_IO_OK);
		CHECK_INT(len, 8);
		CHECK_INT(got[6], 3);
		CHECK_INT(tr.ops->recv(tr.ctx, got, sizeof(got), &len, 100), SMP_IO_OK);
		CHECK_INT(len, 9);
		CHECK_INT(got[8], 0xEE);
		CHECK_INT(tr.ops->recv(tr.ctx, got, sizeof(got), &len, 0), SMP_IO_TIMEOUT);
		tr.ops->close(tr.ctx);
		close(peer);
	}
}

TEST(gatt_recv_drops_too_big_and_overrun_packets)
{
	uint8_t pkt[300], got[300];
	struct smp_link tr;
	size_t len = 0;
	int peer;

	if (!open_standard(t, &tr, &peer, 247))
		return;
	make_packet(pkt, sizeof(pkt), 5);
	/* Larger than the caller's buffer: reported, consumed. */
	CHECK_INT(notify_packet(&tr, peer, pkt, sizeof(pkt), 100, got, 100, &len), SMP_IO_TOOBIG);
	/* A notification running past its packet's end: the packet is
	 * dropped, and the next one still comes through. */
	PEER(peer, 0x1B, 0x08, 0x00, 0x09, 0, 0, 2, 0, 0, 7, 0, 0xA1, 0xA2, 0xA3);
	CHECK_INT(tr.ops->recv(tr.ctx, got, sizeof(got), &len, 50), SMP_IO_TIMEOUT);
	/* A value for another attribute, and a malformed notification. */
	PEER(peer, 0x1B, 0x03, 0x00, 0x09, 0, 0, 2, 0, 0, 7, 0);
	PEER(peer, 0x1B, 0x08);
	CHECK_INT(notify_packet(&tr, peer, pkt, sizeof(pkt), 100, got, sizeof(got), &len),
		  SMP_IO_OK);
	CHECK_INT(len, sizeof(pkt));
	CHECK_MEM(got, pkt, sizeof(pkt));
	tr.ops->close(tr.ctx);
	close(peer);
}

TEST(gatt_answers_what_the_peer_asks)
{
	struct smp_link tr;
	uint8_t got[64];
	char err[320] = "";
	size_t len;
	int client, peer;

	pair(&client, &peer);
	/* Before answering our MTU request the peer sends its own, then a
	 * Read Request, an unknown request and a stray response. */
	PEER(peer, 0x02, 0xF7, 0x00);
	PEER(peer, 0x0A, 0x03, 0x00);
	PEER(peer, 0x30, 0x01);
	PEER(peer, 0x0B, 0x01);
	peer_setup(peer, 185);
	CHECK_INT(gatt_smp_transport_open_fd(&tr, client, &quick, err, sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK(SENT(peer, 0x02, 0x05, 0x02));
	CHECK(SENT(peer, 0x03, 0x05, 0x02));
	CHECK(SENT(peer, 0x01, 0x0A, 0x00, 0x00, 0x06));
	CHECK(SENT(peer, 0x01, 0x30, 0x00, 0x00, 0x06));
	CHECK(sent_discovery(t, peer));
	CHECK_INT(gatt_smp_att_mtu(&tr), 185);
	/* An indication is confirmed, a notification is not. */
	PEER(peer, 0x1D, 0x03, 0x00, 0x01);
	PEER(peer, 0x1B, 0x08, 0x00, 0x09, 0, 0, 0, 0, 0, 9, 0);
	CHECK_INT(tr.ops->recv(tr.ctx, got, sizeof(got), &len, 100), SMP_IO_OK);
	CHECK_INT(got[6], 9);
	CHECK(SENT(peer, 0x1E));
	CHECK_INT(peer_recv(peer, got, sizeof(got)), 0);
	tr.ops->close(tr.ctx);
	close(peer);
}

TEST(gatt_mtu_exchange_refused_keeps_23)
{
	struct smp_link tr;
	char err[320] = "";
	int client, peer;

	pair(&client, &peer);
	PEER(peer, 0x01, 0x02, 0x00, 0x00, 0x06);
	peer_discovery(peer);
	CHECK_INT(gatt_smp_transport_open_fd(&tr, client, &quick, err, sizeof(err)), 0);
	CHECK_INT(gatt_smp_att_mtu(&tr), 23);
	tr.ops->close(tr.ctx);
	close(peer);

	/* A peer claiming less than 23 still gets 23. */
	pair(&client, &peer);
	PEER(peer, 0x03, 0x10, 0x00);
	peer_discovery(peer);
	CHECK_INT(gatt_smp_transport_open_fd(&tr, client, &quick, err, sizeof(err)), 0);
	CHECK_INT(gatt_smp_att_mtu(&tr), 23);
	tr.ops->close(tr.ctx);
	close(peer);
}

/* Broken peers: each script must fail setup with a message naming why. */
enum script {
	NO_SERVICES,
	NO_SMP_SERVICE,
	TRUNCATED_GROUPS,
	GROUPS_GO_BACKWARDS,
	WRONG_ANSWER,
	NO_NOTIFY,
	NO_SMP_CHR,
	NO_CCCD,
	CCCD_NEEDS_PAIRING,
	CCCD_REFUSED,
	CLOSED,
	BAD_CHR_DECL,
	BAD_MTU_RSP,
};

static void play(int peer, enum script s)
{
	if (s == CLOSED)
		return;
	if (s == BAD_MTU_RSP) {
		PEER(peer, 0x03, 0x17);
		return;
	}
	PEER(peer, 0x03, 0x17, 0x00);
	switch (s) {
	case NO_SERVICES:
		PEER(peer, 0x01, 0x10, 0x01, 0x00, 0x0A);
		return;
	case NO_SMP_SERVICE:
		PEER(peer, 0x11, 0x06, 0x01, 0x00, 0x05, 0x00, 0x00, 0x18);
		PEER(peer, 0x11, 0x06, 0x06, 0x00, 0xFF, 0xFF, 0x0F, 0x18);
		return;
	case TRUNCATED_GROUPS:
		PEER(peer, 0x11, 0x06, 0x01, 0x00, 0x05, 0x00, 0x00);
		return;
	case GROUPS_GO_BACKWARDS:
		PEER(peer, 0x11, 0x06, 0x01, 0x00, 0x05, 0x00, 0x00, 0x18);
		PEER(peer, 0x11, 0x06, 0x02, 0x00, 0x05, 0x00, 0x00, 0x18);
		return;
	case WRONG_ANSWER:
		PEER(peer, 0x09, 0x07, 0x02, 0x00, 0x02, 0x03, 0x00, 0x00, 0x2A);
		return;
	default:
		break;
	}
	PEER(peer, 0x11, 0x14, 0x01, 0x00, 0x04, 0x00, SMP_SVC_LE);
	if (s == NO_NOTIFY) {
		PEER(peer, 0x09, 0x15, 0x02, 0x00, 0x04, 0x03, 0x00, SMP_CHR_LE);
		return;
	}
	if (s == NO_SMP_CHR) {
		PEER(peer, 0x09, 0x07, 0x02, 0x00, 0x14, 0x03, 0x00, 0x00, 0x2A);
		PEER(peer, 0x01, 0x08, 0x04, 0x00, 0x0A);
		return;
	}
	if (s == BAD_CHR_DECL) {
		PEER(peer, 0x09, 0x15, 0x02, 0x00, 0x14, 0x02, 0x00, SMP_CHR_LE);
		return;
	}
	PEER(peer, 0x09, 0x15, 0x02, 0x00, 0x14, 0x03, 0x00, SMP_CHR_LE);
	PEER(peer, 0x01, 0x08, 0x04, 0x00, 0x0A);
	if (s == NO_CCCD) {
		PEER(peer, 0x05, 0x01, 0x04, 0x00, 0x01, 0x29);
		return;
	}
	PEER(peer, 0x05, 0x01, 0x04, 0x00, 0x02, 0x29);
	PEER(peer, 0x01, 0x12, 0x04, 0x00, s == CCCD_NEEDS_PAIRING ? 0x05 : 0x03);
}

TEST(gatt_setup_failures_say_why)
{
	static const struct {
		enum script s;
		const char *want;
	} cases[] = {
		{ NO_SERVICES, "the device has no SMP service (8D53DC1D-" },
		{ NO_SMP_SERVICE, "CONFIG_MCUMGR_TRANSPORT_BT" },
		{ TRUNCATED_GROUPS, "SMP service discovery: malformed answer from the device "
				    "(truncated PDU)" },
		{ GROUPS_GO_BACKWARDS, "SMP service discovery: malformed answer" },
		{ WRONG_ANSWER, "no answer to the Read By Group Type Request within 300 ms" },
		{ NO_NOTIFY, "lacks write without response or notify (properties 0x04)" },
		{ NO_SMP_CHR, "the SMP service has no SMP characteristic" },
		{ BAD_CHR_DECL, "SMP characteristic discovery: malformed answer" },
		{ NO_CCCD, "has no Client Characteristic Configuration descriptor" },
		{ CCCD_NEEDS_PAIRING, "requires a paired, encrypted link (Insufficient "
				      "Authentication): pair with it first" },
		{ CCCD_REFUSED, "enabling SMP notifications: the device answered Write Not "
				"Permitted (0x03)" },
		{ CLOSED, "MTU exchange: connection to the device lost (it closed the link)" },
		{ BAD_MTU_RSP, "bad Exchange MTU Response: truncated PDU" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct smp_link tr = { 0 };
		char err[320] = "";
		int client, peer;

		pair(&client, &peer);
		play(peer, cases[i].s);
		if (cases[i].s == CLOSED)
			close(peer);
		if (!CHECK_INT(gatt_smp_transport_open_fd(&tr, client, &quick, err, sizeof(err)),
			       -1) ||
		    !CHECK(strstr(err, cases[i].want) != NULL))
			printf("    case %zu: err \"%s\"\n", i, err);
		CHECK(tr.ops == NULL);
		if (cases[i].s != CLOSED)
			close(peer);
	}
}

TEST(gatt_link_lost_mid_packet)
{
	uint8_t got[64];
	struct smp_link tr;
	size_t len;
	int peer;

	if (!open_standard(t, &tr, &peer, 23))
		return;
	PEER(peer, 0x1B, 0x08, 0x00, 0x09, 0, 0, 20, 0, 0, 1, 0, 1, 2, 3);
	close(peer);
	CHECK_INT(tr.ops->recv(tr.ctx, got, sizeof(got), &len, 200), SMP_IO_ERROR);
	CHECK(strstr(tr.ops->last_error(tr.ctx), "connection to the device lost") != NULL);
	CHECK_INT(tr.ops->send(tr.ctx, got, 10), SMP_IO_ERROR);
	CHECK(strstr(tr.ops->last_error(tr.ctx), "connection to the device lost") != NULL);
	/* Without a link to make again there is no reconnecting. */
	CHECK_INT(tr.ops->reconnect(tr.ctx, 100), SMP_IO_ERROR);
	CHECK(strstr(tr.ops->last_error(tr.ctx), "cannot reconnect") != NULL);
	tr.ops->close(tr.ctx);
}

/* A link that hands out fresh socket pairs with the setup queued. */
struct fake_link {
	int peers[4];
	unsigned connects, raised, released;
	bool need_encryption;
	bool refuse;
};

static int fake_connect(void *arg, int timeout_ms, char *err, size_t errlen)
{
	struct fake_link *l = arg;
	int client, peer;

	if (l->refuse || l->connects >= 4) {
		snprintf(err, errlen, "device not found");
		return -1;
	}
	pair(&client, &peer);
	l->peers[l->connects++] = peer;
	PEER(peer, 0x03, 0xF7, 0x00);
	PEER(peer, 0x11, 0x14, 0x06, 0x00, 0x09, 0x00, SMP_SVC_LE);
	PEER(peer, 0x09, 0x15, 0x07, 0x00, 0x14, 0x08, 0x00, SMP_CHR_LE);
	PEER(peer, 0x01, 0x08, 0x09, 0x00, 0x0A);
	PEER(peer, 0x05, 0x01, 0x09, 0x00, 0x02, 0x29);
	if (l->need_encryption)
		PEER(peer, 0x01, 0x12, 0x09, 0x00, 0x0F);
	PEER(peer, 0x13);
	return client;
}

static bool fake_raise(void *arg, int fd, uint8_t ecode)
{
	struct fake_link *l = arg;

	l->raised++;
	return att_security_after_error(1, ecode) > 0;
}

static void fake_release(void *arg)
{
	struct fake_link *l = arg;

	l->released++;
}

TEST(gatt_security_raised_and_request_retried)
{
	struct fake_link fl = { .need_encryption = true };
	struct gatt_smp_link link = { fake_connect, fake_raise, fake_release, &fl, NULL };
	struct smp_link tr;
	char err[320] = "";

	CHECK_INT(gatt_smp_transport_open_link(&tr, &link, 500, &quick, err, sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK_INT(fl.raised, 1);
	CHECK(SENT(fl.peers[0], 0x02, 0x05, 0x02));
	CHECK(SENT(fl.peers[0], 0x10, 0x01, 0x00, 0xFF, 0xFF, 0x00, 0x28));
	CHECK(SENT(fl.peers[0], 0x08, 0x06, 0x00, 0x09, 0x00, 0x03, 0x28));
	CHECK(SENT(fl.peers[0], 0x08, 0x09, 0x00, 0x09, 0x00, 0x03, 0x28));
	CHECK(SENT(fl.peers[0], 0x04, 0x09, 0x00, 0x09, 0x00));
	CHECK(SENT(fl.peers[0], 0x12, 0x09, 0x00, 0x01, 0x00));
	CHECK(SENT(fl.peers[0], 0x12, 0x09, 0x00, 0x01, 0x00));
	tr.ops->close(tr.ctx);
	CHECK_INT(fl.released, 1);
	close(fl.peers[0]);
}

TEST(gatt_reconnects_after_the_link_drops)
{
	struct fake_link fl = { 0 };
	struct gatt_smp_link link = { fake_connect, NULL, fake_release, &fl, NULL };
	struct smp_link tr;
	uint8_t pkt[40], pdu[64];
	char err[320] = "";
	unsigned i;

	CHECK_INT(gatt_smp_transport_open_link(&tr, &link, 500, &quick, err, sizeof(err)), 0);
	/* The device resets: its end goes away. */
	close(fl.peers[0]);
	make_packet(pkt, sizeof(pkt), 3);
	CHECK_INT(tr.ops->reconnect(tr.ctx, 2000), SMP_IO_OK);
	CHECK_INT(fl.connects, 2);
	CHECK_INT(gatt_smp_att_mtu(&tr), 247);
	while (peer_recv(fl.peers[1], pdu, sizeof(pdu)))
		;
	CHECK_INT(tr.ops->send(tr.ctx, pkt, sizeof(pkt)), SMP_IO_OK);
	CHECK_INT(peer_recv(fl.peers[1], pdu, sizeof(pdu)), 43);
	CHECK_MEM(pdu + 3, pkt, sizeof(pkt));
	/* A device that never comes back: a clear timeout. */
	close(fl.peers[1]);
	fl.refuse = true;
	CHECK_INT(tr.ops->reconnect(tr.ctx, 300), SMP_IO_TIMEOUT);
	CHECK(strstr(tr.ops->last_error(tr.ctx), "could not reconnect within 300 ms: device "
						 "not found") != NULL);
	tr.ops->close(tr.ctx);
	CHECK_INT(fl.released, 1);
	for (i = 2; i < fl.connects; i++)
		close(fl.peers[i]);
}

TEST(gatt_open_link_failure_releases)
{
	struct fake_link fl = { .refuse = true };
	struct gatt_smp_link link = { fake_connect, NULL, fake_release, &fl, NULL };
	struct smp_link tr = { 0 };
	char err[320] = "";

	CHECK_INT(gatt_smp_transport_open_link(&tr, &link, 100, &quick, err, sizeof(err)), -1);
	CHECK_STR(err, "device not found");
	CHECK_INT(fl.released, 1);
}

TEST(gatt_rx_reassembler_edges)
{
	struct smp_gatt_rx rx;
	const uint8_t *hdr = BYTES(0x01, 0, 0, 2, 0, 0, 0, 0);
	size_t i;

	static uint8_t buf[SMP_MAX_PACKET];

	smp_gatt_rx_init_buf(&rx, buf, sizeof(buf));
	/* Header a byte at a time, then the 2-byte payload. */
	for (i = 0; i < 8; i++)
		CHECK_INT(smp_gatt_rx_feed(&rx, hdr + i, 1), 0);
	CHECK_INT(rx.need, 10);
	CHECK_INT(smp_gatt_rx_feed(&rx, BYTES(0xAB), 1), 0);
	CHECK_INT(smp_gatt_rx_feed(&rx, BYTES(0xCD), 1), 1);
	CHECK(rx.ready);
	CHECK_INT(rx.have, 10);
	/* Feeding after a ready packet starts the next one. */
	CHECK_INT(smp_gatt_rx_feed(&rx, hdr, 8), 0);
	CHECK(!rx.ready);
	CHECK_INT(smp_gatt_rx_feed(&rx, BYTES(1, 2, 3), 3), -1);
	CHECK_INT(rx.overruns, 1);
	CHECK_INT(rx.have, 0);
	/* The largest packet the header can announce. */
	CHECK_INT(smp_gatt_rx_feed(&rx, BYTES(0x01, 0, 0xFF, 0xFF, 0, 0, 0, 0), 8), 0);
	CHECK_INT(rx.need, 65543);
}

TEST(gatt_helpers_ignore_other_transports)
{
	static const struct smp_transport_ops other = { .name = "other" };
	struct smp_link tr = { &other, NULL };

	CHECK_INT(gatt_smp_att_mtu(&tr), 0);
	gatt_smp_set_packet_max(&tr, 1000);
	CHECK(tr.ctx == NULL);
}

/* BlueZ's AcquireWrite/AcquireNotify pipes: the same client, values
 * without ATT headers, MTU-3 bytes each way. */
struct fake_pipes {
	int write_peer, notify_peer; /* bluetoothd's ends */
	unsigned acquires, released;
	bool refuse;
};

static int fake_acquire(void *arg, int timeout_ms, struct gatt_smp_pipe *p, char *err,
			size_t errlen)
{
	struct fake_pipes *f = arg;

	if (f->refuse) {
		snprintf(err, errlen, "bluetoothd said no");
		return -1;
	}
	pair(&p->write_fd, &f->write_peer);
	pair(&p->notify_fd, &f->notify_peer);
	p->att_mtu = 100;
	f->acquires++;
	return 0;
}

static void fake_pipes_release(void *arg)
{
	struct fake_pipes *f = arg;

	f->released++;
}

TEST(gatt_pipe_splits_and_reassembles_as_the_bearer)
{
	struct fake_pipes f = { 0 };
	struct gatt_smp_link link = { NULL, NULL, fake_pipes_release, &f, fake_acquire };
	uint8_t pkt[300], back[400], value[200];
	struct smp_link tr;
	char err[320] = "";
	size_t off, len;

	if (!CHECK_INT(gatt_smp_transport_open_link(&tr, &link, 500, &quick, err, sizeof(err)), 0))
		return;
	CHECK_INT(gatt_smp_att_mtu(&tr), 100);
	make_packet(pkt, sizeof(pkt), 5);
	CHECK_INT(tr.ops->send(tr.ctx, pkt, sizeof(pkt)), SMP_IO_OK);
	/* 300 bytes: 97 + 97 + 97 + 9, each a value of its own. */
	for (off = 0; off < sizeof(pkt); off += len) {
		len = peer_recv(f.write_peer, value, sizeof(value));
		if (!CHECK_INT(len, sizeof(pkt) - off < 97 ? sizeof(pkt) - off : 97))
			break;
		CHECK_MEM(value, pkt + off, len);
	}
	CHECK_INT(peer_recv(f.write_peer, value, sizeof(value)), 0);
	/* The answer in notifications of 97, 97, 97 and 9 bytes. */
	for (off = 0; off < sizeof(pkt); off += 97)
		peer_send(f.notify_peer, pkt + off,
			  sizeof(pkt) - off < 97 ? sizeof(pkt) - off : 97);
	CHECK_INT(tr.ops->recv(tr.ctx, back, sizeof(back), &len, 500), SMP_IO_OK);
	CHECK_INT(len, sizeof(pkt));
	CHECK_MEM(back, pkt, sizeof(pkt));
	/* bluetoothd closes the notification pipe: the device went; a
	 * reconnect acquires again. */
	close(f.notify_peer);
	CHECK_INT(tr.ops->recv(tr.ctx, back, sizeof(back), &len, 500), SMP_IO_ERROR);
	CHECK(strstr(tr.ops->last_error(tr.ctx), "closed the notification pipe") != NULL);
	close(f.write_peer);
	CHECK_INT(tr.ops->reconnect(tr.ctx, 2000), SMP_IO_OK);
	CHECK_INT(f.acquires, 2);
	make_packet(pkt, 40, 6);
	CHECK_INT(tr.ops->send(tr.ctx, pkt, 40), SMP_IO_OK);
	CHECK_INT(peer_recv(f.write_peer, value, sizeof(value)), 40);
	tr.ops->close(tr.ctx);
	CHECK_INT(f.released, 1);
	close(f.write_peer);
	close(f.notify_peer);
}

TEST(gatt_pipe_acquire_failure_says_why)
{
	struct fake_pipes f = { .refuse = true };
	struct gatt_smp_link link = { NULL, NULL, fake_pipes_release, &f, fake_acquire };
	struct smp_link tr = { 0 };
	char err[320] = "";

	CHECK_INT(gatt_smp_transport_open_link(&tr, &link, 100, &quick, err, sizeof(err)), -1);
	CHECK_STR(err, "bluetoothd said no");
	CHECK_INT(f.released, 1);
}
