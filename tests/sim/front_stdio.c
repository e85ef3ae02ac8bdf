/* The device behind a bridge on stdin and stdout, as smpctl --exec
 * reaches it: --stdio is Zephyr's UART transport (console framing, lines
 * of at most CONFIG_UART_MCUMGR_RX_BUF_SIZE, default 128, into
 * mcumgr_serial_process_frag; the simulator's own codec in
 * front_pty_codec.c, not smpctl's), --stdio-raw a bridge that carries each
 * packet behind a u16 big-endian length (transport/pipe.h). A packet
 * larger than the device's netbuf (CONFIG_MCUMGR_TRANSPORT_NETBUF_SIZE)
 * is dropped, as Zephyr drops it. Stdout is the link, so "ready" and
 * anything else printed goes to stderr. End of input stops the device. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/sim/front_pty_codec.h"
#include "tests/sim/front_stdio.h"
#include "tests/sim/sim.h"

#define STDIO_LINE_MAX 128 /* CONFIG_UART_MCUMGR_RX_BUF_SIZE */
#define RAW_MAX 65535

struct stdio_front {
	bool enabled, raw;
	int in_fd, out_fd;
	uint8_t line[STDIO_LINE_MAX + 1];
	size_t line_len;
	bool line_ignoring;
	struct zser_rx zrx;
	uint8_t *rawbuf; /* prefix and packet */
	size_t raw_have;
	struct sim_outq reqs; /* waiting while the device is busy */
	unsigned reqs_len;
	struct sim_outq out; /* answers waiting for their time */
	struct sim_device *dev;
};

static int set_stdio(void *ctx, const char *arg)
{
	((struct stdio_front *)ctx)->enabled = true;
	return 0;
}

static int set_stdio_raw(void *ctx, const char *arg)
{
	struct stdio_front *f = ctx;

	f->enabled = f->raw = true;
	return 0;
}

static const struct sim_frontend_opt stdio_opts[] = {
	{ "stdio", 0, "      serve SMP with serial framing on stdin/stdout", set_stdio },
	{ "stdio-raw", 0, "      the same, packets behind a u16 big-endian length", set_stdio_raw },
	{ NULL, 0, NULL, NULL },
};

static void *stdio_create(void)
{
	struct stdio_front *f = calloc(1, sizeof(*f));

	if (f)
		f->in_fd = f->out_fd = -1;
	return f;
}

static int stdio_start(void *ctx, struct sim_device *dev, char *err, size_t errlen)
{
	struct stdio_front *f = ctx;

	if (!f->enabled)
		return 1;
	f->dev = dev;
	f->zrx.cap = sim_device_config(dev)->buf_size;
	f->zrx.buf = malloc(f->zrx.cap);
	f->rawbuf = malloc(RAW_MAX + 2);
	/* The link keeps stdout; what main.c prints goes to stderr. */
	f->out_fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	if (!f->zrx.buf || !f->rawbuf || f->out_fd < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
		snprintf(err, errlen, "stdio: %s", strerror(errno ? errno : ENOMEM));
		return -1;
	}
	f->in_fd = STDIN_FILENO;
	fcntl(f->in_fd, F_SETFL, fcntl(f->in_fd, F_GETFL) | O_NONBLOCK);
	return 0;
}

static void stdio_describe(void *ctx, char *buf, size_t len)
{
	snprintf(buf, len, ((struct stdio_front *)ctx)->raw ? "stdio-raw" : "stdio");
}

static int stdio_fd(void *ctx)
{
	return ((struct stdio_front *)ctx)->in_fd;
}

struct wire {
	uint8_t *buf;
	size_t len, cap;
};

static void wire_add(void *arg, const uint8_t *data, size_t len)
{
	struct wire *w = arg;

	if (w->len + len > w->cap) {
		size_t cap = (w->len + len) * 2;
		uint8_t *nb = realloc(w->buf, cap);

		if (!nb)
			return;
		w->buf = nb;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, data, len);
	w->len += len;
}

static void emit_answer(void *ctx, const uint8_t *pkt, size_t len)
{
	struct stdio_front *f = ctx;
	struct wire w = { 0 };
	int64_t due = sim_now_ms(f->dev);

	if (sim_device_busy_until(f->dev) > due)
		due = sim_device_busy_until(f->dev);
	if (f->raw) {
		uint8_t prefix[2] = { (uint8_t)(len >> 8), (uint8_t)len };

		wire_add(&w, prefix, 2);
		wire_add(&w, pkt, len);
	} else {
		zser_tx_pkt(pkt, len, wire_add, &w);
	}
	if (w.len)
		sim_outq_push(&f->out, due, w.buf, w.len);
	free(w.buf);
}

/* Zephyr holds each waiting request in one of buf_count buffers; the one
 * being handled takes two (request and answer). */
static void request(struct stdio_front *f, const uint8_t *pkt, size_t len)
{
	unsigned count = sim_device_config(f->dev)->buf_count;

	if (sim_device_busy_until(f->dev) > sim_now_ms(f->dev) || f->reqs.head) {
		if (count > 2 && f->reqs_len < count - 2 &&
		    sim_outq_push(&f->reqs, 0, pkt, len) == 0)
			f->reqs_len++;
		return;
	}
	sim_process(f->dev, pkt, len, emit_answer, f);
}

/* uart_mcumgr_rx_byte: lines longer than the buffer are dropped whole. */
static void framed_byte(struct stdio_front *f, uint8_t b)
{
	const uint8_t *pkt;
	size_t len;

	if (!f->line_ignoring) {
		if (f->line_len >= STDIO_LINE_MAX) {
			f->line_len = 0;
			f->line_ignoring = true;
		} else {
			f->line[f->line_len++] = b;
		}
	}
	if (b != '\n')
		return;
	if (!f->line_ignoring && zser_process_frag(&f->zrx, f->line, f->line_len, &pkt, &len))
		request(f, pkt, len);
	f->line_ignoring = false;
	f->line_len = 0;
}

static void raw_bytes(struct stdio_front *f, const uint8_t *data, size_t n)
{
	while (n) {
		size_t want = f->raw_have < 2 ? 2 : 2 + ((size_t)f->rawbuf[0] << 8 | f->rawbuf[1]);
		size_t take = want - f->raw_have < n ? want - f->raw_have : n;

		memcpy(f->rawbuf + f->raw_have, data, take);
		f->raw_have += take;
		data += take;
		n -= take;
		if (f->raw_have < want || want == 2)
			continue;
		if (want - 2 <= sim_device_config(f->dev)->buf_size)
			request(f, f->rawbuf + 2, want - 2);
		f->raw_have = 0;
	}
}

static void stdio_on_readable(void *ctx, struct sim_device *dev)
{
	struct stdio_front *f = ctx;
	uint8_t buf[4096];
	ssize_t n;

	for (;;) {
		n = read(f->in_fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return;
		if (n == 0) {
			/* The bridge closed the line: the session is over. */
			f->in_fd = -1;
			raise(SIGTERM);
			return;
		}
		if (f->raw)
			raw_bytes(f, buf, (size_t)n);
		else
			for (ssize_t i = 0; i < n; i++)
				framed_byte(f, buf[i]);
	}
}

static void write_all(int fd, const uint8_t *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		data += n;
		len -= (size_t)n;
	}
}

static void stdio_on_tick(void *ctx, struct sim_device *dev)
{
	struct stdio_front *f = ctx;
	struct sim_outq_item *it;

	while (f->reqs.head && sim_device_busy_until(dev) <= sim_now_ms(dev)) {
		it = sim_outq_pop_due(&f->reqs, INT64_MAX);
		f->reqs_len--;
		sim_process(dev, it->data, it->len, emit_answer, f);
		sim_outq_free_item(it);
	}
	while ((it = sim_outq_pop_due(&f->out, sim_now_ms(dev))) != NULL) {
		write_all(f->out_fd, it->data, it->len);
		sim_outq_free_item(it);
	}
}

static int stdio_next_timeout(void *ctx, struct sim_device *dev)
{
	struct stdio_front *f = ctx;

	return sim_held_timeout_ms(&f->out, &f->reqs, dev);
}

static void stdio_close(void *ctx)
{
	struct stdio_front *f = ctx;

	if (!f)
		return;
	if (f->out_fd >= 0)
		close(f->out_fd);
	sim_outq_clear(&f->reqs);
	sim_outq_clear(&f->out);
	free(f->zrx.buf);
	free(f->rawbuf);
	free(f);
}

static const struct sim_frontend_ops stdio_ops = {
	.name = "stdio",
	.fd = stdio_fd,
	.on_readable = stdio_on_readable,
	.next_timeout_ms = stdio_next_timeout,
	.on_tick = stdio_on_tick,
	.close = stdio_close,
};

const struct sim_frontend_def sim_front_stdio = {
	.name = "stdio",
	.opts = stdio_opts,
	.create = stdio_create,
	.start = stdio_start,
	.describe = stdio_describe,
	.ops = &stdio_ops,
};
