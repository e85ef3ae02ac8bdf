#include "transport/serial.h"
#include "transport/fd_wait.h"
#include "transport/frame_drain.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "transport/serial_port.h"
#include "smp/say.h"

#define trace(l, ...) smp_sayf((l)->opts.trace, (l)->opts.arg, __VA_ARGS__)

/* The decoder's buffer: the largest SMP packet plus length field and CRC. */
#define DECODE_CAP (65543 + 4)
#define INBUF_SIZE 4096
/* A write that makes no progress for this long means a dead link, or flow
 * control the other end never releases. */
#define WRITE_STALL_MS 5000
#define RECONNECT_POLL_MS 100

struct serial_link {
	struct serial_port port;
	struct serial_opts opts;
	char path[256];
	size_t mtu;
	struct smp_serial_decoder dec;
	uint8_t *decbuf;
	uint8_t *txbuf;
	size_t txcap;
	uint8_t inbuf[INBUF_SIZE];
	size_t in_off, in_len;
	int64_t last_rx_ms;
	unsigned gap_ms;    /* pause between frames of one packet */
	unsigned gap_burst; /* ... after this many frames each time */
	char error[400];
};

static const struct smp_transport_ops serial_ops;

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void set_error(struct serial_link *l, const char *what, int err)
{
	snprintf(l->error, sizeof(l->error), "%s %s: %s", what, l->path, strerror(err));
}

/* Writes all of data, waiting while the tty or socket is full. */
static int write_all(struct serial_link *l, const uint8_t *data, size_t len)
{
	size_t done = 0;
	short revents;
	int r;

	while (done < len) {
		ssize_t n = write(l->port.fd, data + done, len - done);

		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			set_error(l, "write to", errno);
			return SMP_IO_ERROR;
		}
		r = fd_wait(l->port.fd, POLLOUT, WRITE_STALL_MS, &revents);
		if (r == 0) {
			snprintf(l->error, sizeof(l->error), "write to %s stalled for %d s%s",
				 l->path, WRITE_STALL_MS / 1000,
				 l->opts.rtscts
					 ? ": the device never raised CTS (try without --rtscts)"
					 : "");
			return SMP_IO_ERROR;
		}
		if (r < 0 || (revents & (POLLERR | POLLHUP | POLLNVAL))) {
			snprintf(l->error, sizeof(l->error), "%s went away while writing", l->path);
			return SMP_IO_ERROR;
		}
	}
	return SMP_IO_OK;
}

/* Writes the frames of one packet with a pause after every burst of them:
 * a device that polls its UART and buffers few frames (Zephyr's shell
 * backend) takes a long packet only that way. */
static int write_spaced(struct serial_link *l, const uint8_t *data, size_t len)
{
	struct timespec gap = { .tv_sec = l->gap_ms / 1000,
				.tv_nsec = (long)(l->gap_ms % 1000) * 1000000L };
	size_t off = 0;
	unsigned frames = 0;
	int rc;

	while (off < len) {
		const uint8_t *nl = memchr(data + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (data + off)) + 1 : len - off;

		rc = write_all(l, data + off, n);
		if (rc != SMP_IO_OK)
			return rc;
		off += n;
		if (off < len && ++frames % (l->gap_burst ? l->gap_burst : 1) == 0)
			nanosleep(&gap, NULL);
	}
	return SMP_IO_OK;
}

static int serial_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct serial_link *l = ctx;
	size_t n;

	if (len > l->mtu || len == 0)
		return SMP_IO_TOOBIG;
	if (l->opts.raw)
		return write_all(l, pkt, len);
	n = smp_serial_frame_encode(pkt, len, l->opts.frame_max, l->txbuf, l->txcap);
	if (n == 0)
		return SMP_IO_TOOBIG;
	return l->gap_ms ? write_spaced(l, l->txbuf, n) : write_all(l, l->txbuf, n);
}

/* Frames a packet of len bytes takes: content does not change it, so any
 * buffer of that size will do. */
static unsigned frames_of(struct serial_link *l, size_t len)
{
	size_t n = smp_serial_frame_encode(l->decbuf, len, l->opts.frame_max, l->txbuf, l->txcap);
	unsigned frames = 0;

	for (size_t i = 0; i < n; i++)
		frames += l->txbuf[i] == '\n';
	return n ? frames : UINT32_MAX;
}

static size_t serial_frame_fit(void *ctx, unsigned frames)
{
	struct serial_link *l = ctx;
	size_t lo = 0, hi = l->mtu;

	if (l->opts.raw)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo + 1) / 2;

		if (frames_of(l, mid) <= frames)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

static void serial_set_frame_gap(void *ctx, unsigned ms, unsigned burst)
{
	struct serial_link *l = ctx;

	l->gap_ms = ms;
	l->gap_burst = burst;
}

/* Runs buffered input through the decoder until a packet comes out.
 * Returns SMP_IO_OK with the packet in buf, SMP_IO_TOOBIG, or
 * SMP_IO_TIMEOUT when the buffer ran dry first. */
static int drain(struct serial_link *l, uint8_t *buf, size_t cap, size_t *len)
{
	const struct frame_drain_sink sink = { "serial", l->opts.console, l->opts.trace,
					       l->opts.arg };
	int rc = frame_drain(&l->dec, l->inbuf, &l->in_off, l->in_len, buf, cap, len, &sink);

	if (rc == SMP_IO_TIMEOUT)
		l->in_off = l->in_len = 0;
	return rc;
}

/* Reads what is there into inbuf, waiting up to wait_ms for it. */
static int fill(struct serial_link *l, int wait_ms)
{
	int r = fd_wait(l->port.fd, POLLIN, wait_ms, NULL);
	ssize_t n;

	if (r < 0) {
		set_error(l, "poll on", errno);
		return SMP_IO_ERROR;
	}
	if (r == 0)
		return SMP_IO_TIMEOUT;
	n = read(l->port.fd, l->inbuf, sizeof(l->inbuf));
	if (n > 0) {
		l->in_off = 0;
		l->in_len = (size_t)n;
		l->last_rx_ms = now_ms();
		return SMP_IO_OK;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return SMP_IO_TIMEOUT;
	/* EOF or EIO: the USB device left (it resets) or the server hung up. */
	if (n == 0 || errno == EIO)
		snprintf(l->error, sizeof(l->error), "%s was disconnected", l->path);
	else
		set_error(l, "read from", errno);
	return SMP_IO_ERROR;
}

static int serial_recv(void *ctx, uint8_t *buf, size_t cap, size_t *len, int timeout_ms)
{
	struct serial_link *l = ctx;
	int64_t deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	int rc;

	for (;;) {
		rc = drain(l, buf, cap, len);
		if (rc != SMP_IO_TIMEOUT)
			return rc;
		if (l->opts.raw && smp_serial_decoder_busy(&l->dec) &&
		    now_ms() - l->last_rx_ms > SERIAL_RAW_STALE_MS) {
			trace(l, "serial: dropped a partial raw packet after %d ms of silence",
			      SERIAL_RAW_STALE_MS);
			smp_serial_decoder_reset(&l->dec);
		}
		int64_t left = deadline - now_ms();

		if (left < 0)
			left = 0;
		if (l->opts.raw && smp_serial_decoder_busy(&l->dec) && left > SERIAL_RAW_STALE_MS)
			left = SERIAL_RAW_STALE_MS;
		rc = fill(l, (int)left);
		if (rc == SMP_IO_ERROR)
			return rc;
		if (rc == SMP_IO_TIMEOUT && now_ms() >= deadline)
			return SMP_IO_TIMEOUT;
	}
}

static size_t serial_mtu(void *ctx)
{
	return ((struct serial_link *)ctx)->mtu;
}

/* After a reset a USB CDC ACM port disappears and comes back: reopen it
 * when the old one hung up, and forget half-received frames either way. */
static int serial_reconnect(void *ctx, int timeout_ms)
{
	struct serial_link *l = ctx;
	int64_t deadline = now_ms() + timeout_ms;
	char err[sizeof(l->error)];

	smp_serial_decoder_reset(&l->dec);
	l->in_off = l->in_len = 0;
	if (!serial_port_hung_up(&l->port))
		return SMP_IO_OK;
	serial_port_close(&l->port);
	for (;;) {
		if (serial_port_open(&l->port, l->path, l->opts.baud, l->opts.rtscts, err,
				     sizeof(err)) == 0)
			return SMP_IO_OK;
		if (now_ms() >= deadline) {
			snprintf(l->error, sizeof(l->error), "%.150s did not come back: %.220s",
				 l->path, err);
			return SMP_IO_TIMEOUT;
		}
		usleep(RECONNECT_POLL_MS * 1000);
	}
}

static const char *serial_last_error(void *ctx)
{
	return ((struct serial_link *)ctx)->error;
}

static void serial_close(void *ctx)
{
	struct serial_link *l = ctx;

	serial_port_close(&l->port);
	free(l->decbuf);
	free(l->txbuf);
	free(l);
}

static void serial_device_buffer(void *ctx, size_t buf_size)
{
	struct serial_link *l = ctx;
	size_t mtu = serial_mtu_for_buf_size(buf_size, l->opts.raw);

	if (mtu > 8)
		l->mtu = mtu > SMP_SERIAL_PKT_MAX ? SMP_SERIAL_PKT_MAX : mtu;
}

/* MCUboot's serial recovery has no params but takes packets of
 * MCUBOOT_SERIAL_MAX_RECEIVE_SIZE (default 1024): the probe starts there
 * and comes down to what passes. */
static size_t serial_no_params_buffer(void *ctx)
{
	return SERIAL_RECOVERY_BUF_SIZE;
}

static void serial_abort_now(void *ctx)
{
	serial_port_restore(&((const struct serial_link *)ctx)->port);
}

static const struct smp_transport_ops serial_ops = {
	.set_frame_gap = serial_set_frame_gap,
	.frame_fit = serial_frame_fit,
	.name = "serial",
	.send = serial_send,
	.recv = serial_recv,
	.mtu = serial_mtu,
	.reconnect = serial_reconnect,
	.last_error = serial_last_error,
	.device_buffer = serial_device_buffer,
	.no_params_buffer = serial_no_params_buffer,
	.abort_now = serial_abort_now,
	.close = serial_close,
};

int serial_transport_open(struct smp_link *t, const struct serial_opts *opts, char *err,
			  size_t errlen)
{
	struct serial_link *l = calloc(1, sizeof(*l));

	if (!l) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	l->opts = *opts;
	snprintf(l->path, sizeof(l->path), "%s", opts->path ? opts->path : "");
	l->opts.path = l->path;
	l->mtu = opts->mtu ? opts->mtu : SERIAL_DEFAULT_MTU;
	l->txcap = smp_serial_encoded_size(SMP_SERIAL_PKT_MAX, opts->frame_max);
	l->decbuf = malloc(DECODE_CAP);
	l->txbuf = malloc(l->txcap ? l->txcap : 1);
	if (!l->decbuf || !l->txbuf || l->txcap == 0) {
		snprintf(err, errlen, l->txcap ? "out of memory" : "serial frame size too small");
		goto fail;
	}
	smp_serial_decoder_init(&l->dec, l->decbuf, DECODE_CAP, opts->raw);
	if (serial_port_open(&l->port, l->path, opts->baud, opts->rtscts, err, errlen) != 0)
		goto fail;
	t->ops = &serial_ops;
	t->ctx = l;
	return 0;
fail:
	free(l->decbuf);
	free(l->txbuf);
	free(l);
	return -1;
}

bool serial_transport_is(const struct smp_link *t)
{
	return t && t->ops == &serial_ops;
}

size_t serial_mtu_for_buf_size(size_t buf_size, bool raw)
{
	if (raw)
		return buf_size;
	return buf_size > 4 ? buf_size - 4 : 0;
}

void serial_transport_stats(const struct smp_link *t, struct smp_serial_frame_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (serial_transport_is(t))
		*out = ((const struct serial_link *)t->ctx)->dec.stats;
}
