#include "transport/pipe.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "smp/say.h"
#include "transport/fd_wait.h"
#include "transport/frame_drain.h"
#include "transport/pipe_child.h"
#include "transport/serial.h"
#include "smp/serial_frame.h"

#define trace(l, ...) smp_sayf((l)->opts.trace, (l)->opts.arg, __VA_ARGS__)

/* Zephyr's CONFIG_MCUMGR_TRANSPORT_NETBUF_SIZE default: what a bridge's
 * device takes until `params` says more. */
#define PIPE_RAW_DEFAULT_MTU 384
#define DECODE_CAP (65543 + 4)
#define INBUF_SIZE 4096
#define WRITE_STALL_MS 5000
#define SMP_HDR_LEN 8

struct pipe_link {
	struct pipe_opts opts;
	char *command;
	struct pipe_child child;
	size_t mtu;
	struct smp_serial_decoder dec; /* framed mode */
	uint8_t *decbuf;
	uint8_t *txbuf;
	size_t txcap;
	uint8_t *rawbuf; /* raw mode: prefix and packet being read */
	size_t raw_have;
	uint8_t inbuf[INBUF_SIZE];
	size_t in_off, in_len;
	char error[512];
};

static const struct smp_transport_ops pipe_ops;

int pipe_raw_prefix(size_t len, unsigned char out[2])
{
	if (len < SMP_HDR_LEN || len > PIPE_RAW_MAX)
		return -1;
	out[0] = (unsigned char)(len >> 8);
	out[1] = (unsigned char)len;
	return 0;
}

/* A command that closed its end of the link is on its way out: how long
 * to wait for its exit status, so that a loaded machine still gets "exited
 * with status N" rather than what it closed. Only a command that closes
 * the link and lives on costs the whole wait. */
#define GONE_EXIT_WAIT_MS 5000

/* The link is gone: say how the command ended, with its last word on
 * stderr, which usually says why (ssh: connection closed). Once it has
 * exited, all it wrote to stderr is in the pipe: read it before taking
 * the last line. */
static int link_gone(struct pipe_link *l, const char *what)
{
	char how[128];
	const char *last;

	pipe_child_wait_exit(&l->child, GONE_EXIT_WAIT_MS);
	pipe_child_drain_stderr(&l->child);
	last = pipe_child_last_stderr(&l->child);
	if (pipe_child_exited(&l->child))
		pipe_child_describe_exit(&l->child, how, sizeof(how));
	else
		snprintf(how, sizeof(how), "%s", what);
	snprintf(l->error, sizeof(l->error), "command '%.200s' %s%s%.200s", l->command, how,
		 *last ? ": " : "", last);
	return SMP_IO_ERROR;
}

static int write_all(struct pipe_link *l, const uint8_t *data, size_t len)
{
	size_t done = 0;
	short revents;
	int r;

	while (done < len) {
		ssize_t n = send(l->child.io_fd, data + done, len - done, MSG_NOSIGNAL);

		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n < 0 && (errno == EPIPE || errno == ECONNRESET))
			return link_gone(l, "stopped reading its input");
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			snprintf(l->error, sizeof(l->error), "write to command: %s",
				 strerror(errno));
			return SMP_IO_ERROR;
		}
		pipe_child_drain_stderr(&l->child);
		r = fd_wait(l->child.io_fd, POLLOUT, WRITE_STALL_MS, &revents);
		if (r == 0) {
			snprintf(l->error, sizeof(l->error),
				 "command '%.200s' has not read its input for %d s", l->command,
				 WRITE_STALL_MS / 1000);
			return SMP_IO_ERROR;
		}
		if (r < 0 || (revents & (POLLERR | POLLNVAL)))
			return link_gone(l, "closed its input");
	}
	return SMP_IO_OK;
}

static int pipe_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct pipe_link *l = ctx;
	size_t n;

	if (len > l->mtu || len == 0)
		return SMP_IO_TOOBIG;
	if (l->opts.raw) {
		if (pipe_raw_prefix(len, l->txbuf) != 0)
			return SMP_IO_TOOBIG;
		memcpy(l->txbuf + 2, pkt, len);
		n = len + 2;
	} else {
		n = smp_serial_frame_encode(pkt, len, 0, l->txbuf, l->txcap);
		if (n == 0)
			return SMP_IO_TOOBIG;
	}
	return write_all(l, l->txbuf, n);
}

/* Framed mode: buffered bytes through the decoder until a packet. */
static int drain_framed(struct pipe_link *l, uint8_t *buf, size_t cap, size_t *len)
{
	const struct frame_drain_sink sink = { "exec", l->opts.console, l->opts.trace,
					       l->opts.arg };

	return frame_drain(&l->dec, l->inbuf, &l->in_off, l->in_len, buf, cap, len, &sink);
}

/* Raw mode: prefix, then that many bytes. */
static int drain_raw(struct pipe_link *l, uint8_t *buf, size_t cap, size_t *len)
{
	while (l->in_off < l->in_len) {
		size_t want = l->raw_have < 2 ? 2 : 2 + ((size_t)l->rawbuf[0] << 8 | l->rawbuf[1]);
		size_t n = l->in_len - l->in_off;

		if (n > want - l->raw_have)
			n = want - l->raw_have;
		memcpy(l->rawbuf + l->raw_have, l->inbuf + l->in_off, n);
		l->raw_have += n;
		l->in_off += n;
		if (l->raw_have == 2 && want == 2) {
			size_t plen = (size_t)l->rawbuf[0] << 8 | l->rawbuf[1];

			if (plen < SMP_HDR_LEN) {
				snprintf(
					l->error, sizeof(l->error),
					"command '%.200s' sent a %zu-byte packet: not length-prefixed "
					"SMP (is --exec-raw right?)",
					l->command, plen);
				return SMP_IO_ERROR;
			}
			continue;
		}
		if (l->raw_have < 2 || l->raw_have < want)
			continue;
		l->raw_have = 0;
		if (want - 2 > cap)
			return SMP_IO_TOOBIG;
		memcpy(buf, l->rawbuf + 2, want - 2);
		*len = want - 2;
		return SMP_IO_OK;
	}
	return SMP_IO_TIMEOUT;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits up to wait_ms for output, passing stderr lines on meanwhile. */
static int fill(struct pipe_link *l, int wait_ms)
{
	struct pollfd p[2] = { { .fd = l->child.io_fd, .events = POLLIN },
			       { .fd = l->child.err_fd, .events = POLLIN } };
	ssize_t n;
	int r;

	do
		r = poll(p, l->child.err_fd >= 0 ? 2 : 1, wait_ms);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		snprintf(l->error, sizeof(l->error), "poll: %s", strerror(errno));
		return SMP_IO_ERROR;
	}
	if (p[1].revents)
		pipe_child_drain_stderr(&l->child);
	if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR)))
		return SMP_IO_TIMEOUT;
	n = read(l->child.io_fd, l->inbuf, sizeof(l->inbuf));
	if (n > 0) {
		l->in_off = 0;
		l->in_len = (size_t)n;
		return SMP_IO_OK;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return SMP_IO_TIMEOUT;
	pipe_child_drain_stderr(&l->child);
	return link_gone(l, "closed its output");
}

static int pipe_recv(void *ctx, uint8_t *buf, size_t cap, size_t *len, int timeout_ms)
{
	struct pipe_link *l = ctx;
	int64_t deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	int rc;

	for (;;) {
		rc = l->opts.raw ? drain_raw(l, buf, cap, len) : drain_framed(l, buf, cap, len);
		if (rc != SMP_IO_TIMEOUT)
			return rc;
		int64_t left = deadline - now_ms();

		rc = fill(l, left > 0 ? (int)left : 0);
		if (rc == SMP_IO_ERROR)
			return rc;
		if (rc == SMP_IO_TIMEOUT && now_ms() >= deadline)
			return SMP_IO_TIMEOUT;
	}
}

static size_t pipe_mtu(void *ctx)
{
	return ((struct pipe_link *)ctx)->mtu;
}

static void forget_input(struct pipe_link *l)
{
	smp_serial_decoder_reset(&l->dec);
	l->in_off = l->in_len = 0;
	l->raw_have = 0;
}

/* After a device reset: a bridge that is still running keeps its link;
 * one that ended (its USB port vanished) is started again. */
static int pipe_reconnect(void *ctx, int timeout_ms)
{
	struct pipe_link *l = ctx;
	char err[256];

	forget_input(l);
	if (!pipe_child_exited(&l->child) && !pipe_child_wait_exit(&l->child, 0))
		return SMP_IO_OK;
	pipe_child_stop(&l->child);
	trace(l, "exec: starting '%s' again", l->command);
	if (pipe_child_start(&l->child, l->command, err, sizeof(err)) != 0) {
		snprintf(l->error, sizeof(l->error), "%s", err);
		return SMP_IO_ERROR;
	}
	return SMP_IO_OK;
}

static const char *pipe_last_error(void *ctx)
{
	return ((struct pipe_link *)ctx)->error;
}

static void pipe_free(struct pipe_link *l)
{
	free(l->command);
	free(l->decbuf);
	free(l->txbuf);
	free(l->rawbuf);
	free(l);
}

static void pipe_close(void *ctx)
{
	struct pipe_link *l = ctx;

	pipe_child_stop(&l->child);
	pipe_free(l);
}

static void pipe_device_buffer(void *ctx, size_t buf_size)
{
	struct pipe_link *l = ctx;
	size_t mtu = l->opts.raw ? buf_size : serial_mtu_for_buf_size(buf_size, false);

	if (mtu > (l->opts.raw ? PIPE_RAW_MAX : SMP_SERIAL_PKT_MAX))
		mtu = l->opts.raw ? PIPE_RAW_MAX : SMP_SERIAL_PKT_MAX;
	if (mtu > SMP_HDR_LEN)
		l->mtu = mtu;
}

/* Ends the command's process group and reaps it (waits at most about a
 * second). */
static void pipe_abort_now(void *ctx)
{
	pipe_child_kill_now(&((const struct pipe_link *)ctx)->child);
}

static const struct smp_transport_ops pipe_ops = {
	.name = "exec",
	.send = pipe_send,
	.recv = pipe_recv,
	.mtu = pipe_mtu,
	.reconnect = pipe_reconnect,
	.last_error = pipe_last_error,
	.device_buffer = pipe_device_buffer,
	.abort_now = pipe_abort_now,
	.close = pipe_close,
};

static void child_stderr(void *arg, const char *line)
{
	struct pipe_link *l = arg;

	if (l->opts.stderr_line)
		l->opts.stderr_line(l->opts.arg, line);
}

int pipe_transport_open(struct smp_link *t, const struct pipe_opts *opts, char *err, size_t errlen)
{
	struct pipe_link *l = calloc(1, sizeof(*l));

	if (!l) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	l->opts = *opts;
	l->command = strdup(opts->command ? opts->command : "");
	l->mtu = opts->mtu ? opts->mtu : opts->raw ? PIPE_RAW_DEFAULT_MTU : SERIAL_DEFAULT_MTU;
	if (l->mtu > (opts->raw ? PIPE_RAW_MAX : SMP_SERIAL_PKT_MAX))
		l->mtu = opts->raw ? PIPE_RAW_MAX : SMP_SERIAL_PKT_MAX;
	l->txcap = opts->raw ? PIPE_RAW_MAX + 2 : smp_serial_encoded_size(SMP_SERIAL_PKT_MAX, 0);
	l->txbuf = malloc(l->txcap);
	l->decbuf = malloc(DECODE_CAP);
	l->rawbuf = malloc(PIPE_RAW_MAX + 2);
	if (!l->command || !l->txbuf || !l->decbuf || !l->rawbuf) {
		snprintf(err, errlen, "out of memory");
		pipe_free(l);
		return -1;
	}
	if (!*l->command) {
		snprintf(err, errlen, "--exec needs a command");
		pipe_free(l);
		return -1;
	}
	smp_serial_decoder_init(&l->dec, l->decbuf, DECODE_CAP, false);
	pipe_child_init(&l->child, child_stderr, l);
	/* Filled first, so that a signal handler finds the command to end
	 * from the moment it runs. */
	t->ctx = l;
	t->ops = &pipe_ops;
	if (pipe_child_start(&l->child, l->command, err, errlen) != 0) {
		t->ops = NULL;
		t->ctx = NULL;
		pipe_free(l);
		return -1;
	}
	return 0;
}

bool pipe_transport_is(const struct smp_link *t)
{
	return t && t->ops == &pipe_ops;
}
