/* The simulated device's shell and UART transports (front_pty_input.c)
 * against Zephyr's smp_shell.c and shell_uart.c: two 127-byte frame
 * buffers, a UART polled every 10 ms, and a shell thread that decodes
 * frames only while the SMP work queue is idle. Driven over the serial
 * TCP stand-in with the fake clock. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "smp/serial_frame.h"
#include "tests/sim/front_pty.h"
#include "tests/unit/sim_harness.h"
#include "tests/unit/unit.h"

struct shellt {
	struct simh h;
	void *ctx;
	int client;
	struct smp_serial_decoder dec;
	uint8_t dec_buf[1024];
	int answers;
	uint8_t last_seq;
};

static int set_opt(struct shellt *s, const char *name, const char *arg)
{
	for (const struct sim_frontend_opt *o = sim_front_pty.opts; o->name; o++)
		if (!strcmp(o->name, name))
			return o->set(s->ctx, arg);
	return -1;
}

/* Runs the frontend for ms milliseconds of the fake clock. */
static void shellt_run(struct shellt *s, int ms)
{
	for (int i = 0; i <= ms; i++) {
		struct pollfd p = { sim_front_pty.ops->fd(s->ctx), POLLIN, 0 };

		if (poll(&p, 1, 0) > 0)
			sim_front_pty.ops->on_readable(s->ctx, s->h.dev);
		sim_front_pty.ops->on_tick(s->ctx, s->h.dev);
		if (i < ms)
			simh_advance(&s->h, 1);
	}
}

/* Bytes on loopback are normally there when send returns, but a busy
 * machine may deliver them later: waits are for them, this long at most. */
#define ARRIVAL_MS 10000

/* Reads what the device sent and counts whole answers: waits until there
 * are want in all, then takes what more comes within 50 ms. */
static void shellt_read(struct shellt *s, int want)
{
	uint8_t buf[4096];
	struct pollfd p = { s->client, POLLIN, 0 };

	while (poll(&p, 1, s->answers < want ? ARRIVAL_MS : 50) > 0) {
		ssize_t n = recv(s->client, buf, sizeof(buf), 0);
		size_t off = 0, used;
		struct smp_serial_ev ev;

		if (n <= 0)
			return;
		while (off < (size_t)n) {
			if (smp_serial_decoder_feed(&s->dec, buf + off, (size_t)n - off, &used,
						    &ev) == SMP_SERIAL_EV_PACKET &&
			    ev.len >= 8) {
				s->answers++;
				s->last_seq = ev.data[6];
			}
			if (used == 0)
				break;
			off += used;
		}
	}
}

static bool serial_open(struct unit_ctx *t, struct shellt *s, bool shell, const char *poll_ms,
			unsigned request_us)
{
	char err[128], desc[64];
	struct sockaddr_in a = { .sin_family = AF_INET };
	unsigned port = 0;

	memset(s, 0, sizeof(*s));
	simh_init(&s->h);
	s->h.cfg.buf_size = 384; /* zephyr-shell's pool: 4 x 384 */
	s->h.cfg.buf_count = 4;
	s->h.cfg.request_us = request_us;
	s->ctx = sim_front_pty.create();
	s->client = -1;
	smp_serial_decoder_init(&s->dec, s->dec_buf, sizeof(s->dec_buf), false);
	if (!CHECK(s->ctx && simh_open(&s->h)) || !CHECK_INT(set_opt(s, "serial-tcp", "0"), 0) ||
	    (shell && !CHECK_INT(set_opt(s, "shell", NULL), 0)) ||
	    !CHECK_INT(set_opt(s, "poll-ms", poll_ms), 0) ||
	    !CHECK_INT(sim_front_pty.start(s->ctx, s->h.dev, err, sizeof(err)), 0))
		return false;
	sim_front_pty.describe(s->ctx, desc, sizeof(desc));
	if (!CHECK(sscanf(desc, "serial-tcp 127.0.0.1:%u", &port) == 1))
		return false;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)port);
	s->client = socket(AF_INET, SOCK_STREAM, 0);
	/* Each frame must reach the device when sent, not when Nagle
	 * lets it: the device's clock here stands still meanwhile. */
	setsockopt(s->client, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, sizeof(int));
	if (!CHECK(connect(s->client, (struct sockaddr *)&a, sizeof(a)) == 0))
		return false;
	shellt_run(s, 2); /* accept, banner */
	shellt_read(s, 0);
	return true;
}

static bool shellt_open(struct unit_ctx *t, struct shellt *s, const char *poll_ms,
			unsigned request_us)
{
	return serial_open(t, s, true, poll_ms, request_us);
}

static void shellt_close(struct shellt *s)
{
	if (s->client >= 0)
		close(s->client);
	sim_front_pty.ops->close(s->ctx);
	simh_free(&s->h);
}

/* An echo request framed as the client does; returns the frame count
 * and puts the frames' offsets in starts (each ends with '\n'). */
static int framed_echo(uint8_t seq, size_t n, uint8_t *wire, size_t cap, size_t *wire_len,
		       size_t starts[8])
{
	uint8_t pkt[512];
	size_t len = simh_echo(seq, n, pkt, sizeof(pkt));
	int frames = 0;

	*wire_len = smp_serial_frame_encode(pkt, len, 127, wire, cap);
	for (size_t i = 0; i < *wire_len && frames < 8; i++)
		if (i == 0 || wire[i - 1] == '\n')
			starts[frames++] = i;
	return frames;
}

/* Sends, then waits (in real time) until the device can read it. */
static bool send_bytes(struct shellt *s, const uint8_t *p, size_t n)
{
	struct pollfd pfd = { sim_front_pty.ops->fd(s->ctx), POLLIN, 0 };

	return send(s->client, p, n, 0) == (ssize_t)n && poll(&pfd, 1, ARRIVAL_MS) == 1;
}

/* A request of three frames sent back to back lands in one poll: the
 * third finds both frame buffers full and is lost, so is the request.
 * Two frames pass. */
TEST(sim_shell_back_to_back_frames_dropped)
{
	struct shellt s;
	uint8_t wire[1024];
	size_t len, starts[8];

	if (!shellt_open(t, &s, "10", 0))
		return;
	CHECK_INT(framed_echo(1, 120, wire, sizeof(wire), &len, starts), 2);
	CHECK(send_bytes(&s, wire, len));
	shellt_run(&s, 25);
	shellt_read(&s, 1);
	CHECK_INT(s.answers, 1);
	CHECK_INT(framed_echo(2, 200, wire, sizeof(wire), &len, starts), 3);
	CHECK(send_bytes(&s, wire, len));
	shellt_run(&s, 25);
	shellt_read(&s, 1);
	CHECK_INT(s.answers, 1); /* no answer to the three-frame one */
	shellt_close(&s);
}

/* The same three frames spaced by a poll period all get through, and so
 * does a request of up to the pool buffer's 384 bytes. */
TEST(sim_shell_spaced_frames_pass)
{
	struct shellt s;
	uint8_t wire[1024];
	size_t len, starts[8];
	int frames;

	if (!shellt_open(t, &s, "10", 0))
		return;
	frames = framed_echo(3, 200, wire, sizeof(wire), &len, starts);
	CHECK_INT(frames, 3);
	for (int i = 0; i < frames; i++) {
		size_t end = i + 1 < frames ? starts[i + 1] : len;

		CHECK(send_bytes(&s, wire + starts[i], end - starts[i]));
		shellt_run(&s, 11);
	}
	shellt_run(&s, 15);
	shellt_read(&s, 1);
	CHECK_INT(s.answers, 1);
	CHECK_INT(s.last_seq, 3);
	/* 370 bytes of packet: four frames, spaced */
	frames = framed_echo(4, 350, wire, sizeof(wire), &len, starts);
	CHECK(frames >= 4);
	for (int i = 0; i < frames; i++) {
		size_t end = i + 1 < frames ? starts[i + 1] : len;

		CHECK(send_bytes(&s, wire + starts[i], end - starts[i]));
		shellt_run(&s, 11);
	}
	shellt_run(&s, 15);
	shellt_read(&s, 2);
	CHECK_INT(s.answers, 2);
	CHECK_INT(s.last_seq, 4);
	shellt_close(&s);
}

/* One request at a time: while one is processed (50 ms here) the shell
 * thread does not run, so single-frame requests that arrive meanwhile
 * fill the two frame buffers and the rest are lost. */
TEST(sim_shell_requests_lost_while_busy)
{
	struct shellt s;
	uint8_t wire[1024];
	size_t len, starts[8];

	if (!shellt_open(t, &s, "10", 50000))
		return;
	for (uint8_t seq = 10; seq < 14; seq++) {
		CHECK_INT(framed_echo(seq, 10, wire, sizeof(wire), &len, starts), 1);
		CHECK(send_bytes(&s, wire, len));
		shellt_run(&s, 11); /* each in its own poll */
	}
	shellt_run(&s, 200);
	shellt_read(&s, 3);
	/* the first, then the two that waited in the frame buffers */
	CHECK_INT(s.answers, 3);
	CHECK_INT(s.last_seq, 12);
	shellt_close(&s);
}

/* Without polling (an interrupt-driven UART, --poll-ms 0) the shell
 * thread runs as bytes come: back-to-back frames pass. */
TEST(sim_shell_unpolled_takes_back_to_back)
{
	struct shellt s;
	uint8_t wire[1024];
	size_t len, starts[8];

	if (!shellt_open(t, &s, "0", 0))
		return;
	CHECK_INT(framed_echo(5, 200, wire, sizeof(wire), &len, starts), 3);
	CHECK(send_bytes(&s, wire, len));
	shellt_run(&s, 5);
	shellt_read(&s, 1);
	CHECK_INT(s.answers, 1);
	shellt_close(&s);
}

/* The dedicated UART transport (smp_uart.c) decodes lines on the system
 * work queue, so requests queue while one is processed, as far as the
 * shared pool allows: with 4 buffers, the one processed holds 2 and two
 * more wait; the fourth finds no buffer for its reassembly and is lost. */
TEST(sim_uart_queues_as_far_as_the_pool_allows)
{
	struct shellt s;
	uint8_t wire[1024];
	size_t len, starts[8];

	if (!serial_open(t, &s, false, "0", 20000))
		return;
	for (uint8_t seq = 20; seq < 24; seq++) {
		CHECK_INT(framed_echo(seq, 10, wire, sizeof(wire), &len, starts), 1);
		CHECK(send_bytes(&s, wire, len));
		shellt_run(&s, 1);
	}
	shellt_run(&s, 100);
	shellt_read(&s, 3);
	CHECK_INT(s.answers, 3);
	CHECK_INT(s.last_seq, 22);
	shellt_close(&s);
}
