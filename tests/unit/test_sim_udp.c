/* The simulated device's UDP frontend: datagram in, answer out, and the
 * fault injection options tests rely on. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/sim/front_udp.h"
#include "tests/unit/sim_harness.h"
#include "tests/unit/unit.h"

struct udpt {
	struct simh h;
	void *ctx;
	int client;
	struct sockaddr_in to;
};

static int set_opt(struct udpt *u, const char *name, const char *arg)
{
	for (const struct sim_frontend_opt *o = sim_front_udp.opts; o->name; o++)
		if (!strcmp(o->name, name))
			return o->set(u->ctx, arg);
	return -1;
}

static bool udpt_open(struct unit_ctx *t, struct udpt *u, const char *opt, const char *arg)
{
	char err[128], desc[64];
	socklen_t len = sizeof(u->to);

	simh_init(&u->h);
	u->ctx = sim_front_udp.create();
	if (!CHECK(u->ctx && simh_open(&u->h)) || !CHECK_INT(set_opt(u, "udp", "0"), 0))
		return false;
	if (opt && !CHECK_INT(set_opt(u, opt, arg), 0))
		return false;
	if (!CHECK_INT(sim_front_udp.start(u->ctx, u->h.dev, err, sizeof(err)), 0))
		return false;
	sim_front_udp.describe(u->ctx, desc, sizeof(desc));
	CHECK(strncmp(desc, "udp 127.0.0.1:", 14) == 0);
	u->client = socket(AF_INET, SOCK_DGRAM, 0);
	memset(&u->to, 0, sizeof(u->to));
	getsockname(sim_front_udp.ops->fd(u->ctx), (struct sockaddr *)&u->to, &len);
	return true;
}

static void udpt_close(struct udpt *u)
{
	sim_front_udp.ops->close(u->ctx);
	close(u->client);
	simh_free(&u->h);
}

/* A datagram on loopback is normally there when sendto returns, but a
 * busy machine may deliver it later: waits are for it, this long at most. */
#define ARRIVAL_MS 10000

/* Lets the frontend read the datagram the client sent, once it is there. */
static void udpt_deliver(struct udpt *u)
{
	struct pollfd p = { sim_front_udp.ops->fd(u->ctx), POLLIN, 0 };

	poll(&p, 1, ARRIVAL_MS);
	sim_front_udp.ops->on_readable(u->ctx, u->h.dev);
	sim_front_udp.ops->on_tick(u->ctx, u->h.dev);
}

/* Sends a params request (seq) and lets the frontend run. */
static void udpt_send(struct udpt *u, uint8_t seq, size_t pad)
{
	uint8_t pkt[2048] = { 0x08, 0, 0, 0, 0, 0, seq, 6 };

	sendto(u->client, pkt, 8 + pad, 0, (struct sockaddr *)&u->to, sizeof(u->to));
	udpt_deliver(u);
}

/* Answers at the client: waits for the want the device should have sent,
 * then counts any more that come within 50 ms; the seq of the first. */
static int udpt_answers(struct udpt *u, int want, int *first_seq, uint8_t *first, size_t *first_len)
{
	uint8_t buf[2048];
	struct pollfd p = { u->client, POLLIN, 0 };
	int n = 0;

	while (poll(&p, 1, n < want ? ARRIVAL_MS : 50) > 0) {
		ssize_t r = recv(u->client, buf, sizeof(buf), 0);

		if (r < 8)
			break;
		if (n == 0) {
			*first_seq = buf[6];
			if (first) {
				memcpy(first, buf, (size_t)r);
				*first_len = (size_t)r;
			}
		}
		n++;
	}
	return n;
}

TEST(sim_udp_answers_a_datagram)
{
	struct udpt u;
	int seq = -1;

	if (!udpt_open(t, &u, NULL, NULL))
		return;
	udpt_send(&u, 5, 0);
	CHECK_INT(udpt_answers(&u, 1, &seq, NULL, NULL), 1);
	CHECK_INT(seq, 5);
	udpt_close(&u);
}

TEST(sim_udp_drop_and_dup)
{
	struct udpt u;
	int seq = -1, total = 0;

	if (!udpt_open(t, &u, "drop-every", "3"))
		return;
	for (int i = 1; i <= 6; i++) {
		udpt_send(&u, (uint8_t)i, 0);
		total += udpt_answers(&u, i % 3 ? 1 : 0, &seq, NULL, NULL);
	}
	CHECK_INT(total, 4);
	udpt_close(&u);
	if (!udpt_open(t, &u, "dup-every", "2"))
		return;
	udpt_send(&u, 1, 0);
	CHECK_INT(udpt_answers(&u, 1, &seq, NULL, NULL), 1);
	udpt_send(&u, 2, 0);
	CHECK_INT(udpt_answers(&u, 2, &seq, NULL, NULL), 2);
	udpt_close(&u);
}

TEST(sim_udp_mtu_truncates)
{
	struct udpt u;
	uint8_t rsp[64];
	size_t len = 0;
	int seq = -1;
	/* header says 40 payload bytes; 20 survive the cut: ECORRUPT */
	uint8_t pkt[48] = { 0x0a, 0, 0, 40, 0, 0, 9, 0 };

	if (!udpt_open(t, &u, "udp-mtu", "28"))
		return;
	sendto(u.client, pkt, sizeof(pkt), 0, (struct sockaddr *)&u.to, sizeof(u.to));
	udpt_deliver(&u);
	CHECK_INT(udpt_answers(&u, 1, &seq, rsp, &len), 1);
	CHECK_INT(len, 14);
	CHECK(len == 14 && rsp[8] == 0xbf && rsp[12] == 9);
	udpt_close(&u);
	u.ctx = sim_front_udp.create();
	CHECK_INT(set_opt(&u, "udp-mtu", "x"), -1);
	CHECK_INT(set_opt(&u, "udp-mtu", "0"), -1);
	CHECK_INT(set_opt(&u, "udp", "70000"), -1);
	sim_front_udp.ops->close(u.ctx);
}

TEST(sim_udp_delay_holds_answers)
{
	struct udpt u;
	int seq = -1;

	if (!udpt_open(t, &u, "delay-ms", "500"))
		return;
	udpt_send(&u, 3, 0);
	CHECK_INT(udpt_answers(&u, 0, &seq, NULL, NULL), 0);
	CHECK(sim_front_udp.ops->next_timeout_ms(u.ctx, u.h.dev) > 0);
	simh_advance(&u.h, 500);
	CHECK_INT(sim_front_udp.ops->next_timeout_ms(u.ctx, u.h.dev), 0);
	sim_front_udp.ops->on_tick(u.ctx, u.h.dev);
	CHECK_INT(udpt_answers(&u, 1, &seq, NULL, NULL), 1);
	udpt_close(&u);
}

TEST(sim_udp_offline_drops)
{
	struct udpt u;
	int seq = -1;
	uint8_t reset[8] = { 0x0a, 0, 0, 0, 0, 0, 1, 5 };

	if (!udpt_open(t, &u, NULL, NULL))
		return;
	sendto(u.client, reset, sizeof(reset), 0, (struct sockaddr *)&u.to, sizeof(u.to));
	udpt_deliver(&u);
	CHECK_INT(udpt_answers(&u, 1, &seq, NULL, NULL), 1);
	simh_advance(&u.h, u.h.cfg.reset_delay_ms + 1);
	udpt_send(&u, 2, 0);
	CHECK_INT(udpt_answers(&u, 0, &seq, NULL, NULL), 0);
	simh_advance(&u.h, u.h.cfg.reset_offline_ms);
	udpt_send(&u, 3, 0);
	CHECK_INT(udpt_answers(&u, 1, &seq, NULL, NULL), 1);
	CHECK_INT(seq, 3);
	udpt_close(&u);
}
