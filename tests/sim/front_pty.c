/* Serial frontend: the device's UART as a pseudo-terminal (or a TCP port
 * standing for a serial server), with the wire's pace, console noise and
 * the device kinds of front_pty_input.c. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "tests/sim/front_pty.h"
#include "tests/sim/front_pty_priv.h"

#define READ_CHUNK 65536
#define NOISE_PERIOD_MS 300
#define OUT_NOISE_LIMIT 16384 /* no more noise while the host does not read */
#define BURST_MS 20	      /* a wire has no savings: at most this much credit */
#define BOOT_BANNER "*** Booting Zephyr OS build v3.7.0 ***\r\n"

/* ---- options ---- */

static int set_link(void *ctx, const char *arg)
{
	struct pty_front *f = ctx;

	f->enabled = true;
	f->link = arg;
	return *arg ? 0 : -1;
}

static int set_tcp(void *ctx, const char *arg)
{
	struct pty_front *f = ctx;

	f->enabled = true;
	f->tcp = true;
	return sim_parse_uint(arg, 65535, &f->tcp_port);
}

static int set_baud(void *ctx, const char *arg)
{
	struct pty_front *f = ctx;

	/* 0: back to back, as USB CDC-ACM and a pty deliver them. */
	return sim_parse_uint(arg, 100000000, &f->baud) == 0 && (f->baud == 0 || f->baud >= 300)
		       ? 0
		       : -1;
}

static int set_noise(void *ctx, const char *arg)
{
	((struct pty_front *)ctx)->noise = true;
	return 0;
}

/* Two different modes contradict each other; the same one twice (a
 * --device profile and the user) does not. */
static int set_mode(struct pty_front *f, enum pty_mode mode)
{
	if (f->modes_given == 0 || f->mode != mode)
		f->modes_given++;
	f->mode = mode;
	return 0;
}

static int set_shell(void *ctx, const char *arg)
{
	return set_mode(ctx, PTY_SHELL);
}

static int set_raw(void *ctx, const char *arg)
{
	return set_mode(ctx, PTY_RAW);
}

static int set_recovery(void *ctx, const char *arg)
{
	return set_mode(ctx, PTY_RECOVERY);
}

static int set_poll(void *ctx, const char *arg)
{
	return sim_parse_uint(arg, 1000, &((struct pty_front *)ctx)->poll_ms);
}

static int set_frame_bufs(void *ctx, const char *arg)
{
	struct pty_front *f = ctx;

	return sim_parse_uint(arg, PTY_FRAME_BUFS_MAX, &f->frame_bufs) == 0 && f->frame_bufs >= 1
		       ? 0
		       : -1;
}

static const struct sim_frontend_opt pty_opts[] = {
	{ "pty", 1, "LINK  serve SMP over serial on a pseudo-terminal linked as LINK", set_link },
	{ "serial-tcp", 1, "PORT  serve serial SMP on a TCP port, as a serial server (0 = any)",
	  set_tcp },
	{ "baud", 1, "N     serial: pace the line at N baud, 10 bits a byte (0: back to back)",
	  set_baud },
	{ "console-noise", 0, "      serial: log lines between and around frames", set_noise },
	{ "shell", 0, "      serial: SMP over Zephyr's shell (prompt, echo, small packets)",
	  set_shell },
	{ "raw", 0, "      serial: Zephyr's raw UART transport (no base64, no lines)", set_raw },
	{ "recovery", 0, "      serial: MCUboot serial recovery until the next reset",
	  set_recovery },
	{ "poll-ms", 1, "N     serial: UART read every N ms, 0 on every byte (default 0)",
	  set_poll },
	{ "frame-bufs", 1, "N     serial: shell frames / UART lines held undecoded (default 2)",
	  set_frame_bufs },
	{ NULL, 0, NULL, NULL },
};

/* ---- buffers ---- */

int pty_bytes_add(struct pty_bytes *b, const void *data, size_t len)
{
	if (b->len + len > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		uint8_t *p;

		while (cap < b->len + len)
			cap *= 2;
		p = realloc(b->buf, cap);
		if (!p)
			return -1;
		b->buf = p;
		b->cap = cap;
	}
	memcpy(b->buf + b->len, data, len);
	b->len += len;
	return 0;
}

void pty_bytes_take(struct pty_bytes *b, size_t n)
{
	if (n >= b->len) {
		b->len = 0;
		return;
	}
	memmove(b->buf, b->buf + n, b->len - n);
	b->len -= n;
}

/* ---- console output ---- */

void pty_console(struct pty_front *f, const char *text)
{
	pty_bytes_add(&f->out, text, strlen(text));
}

static void noise_line(struct pty_front *f, struct pty_bytes *to, const char *what)
{
	int64_t t = sim_now_ms(f->dev);
	char line[160];

	snprintf(line, sizeof(line), "%s[%02d:%02d:%02d.%03d,000] <inf> app: %s %u\r\n%s",
		 f->mode == PTY_SHELL ? "\r\x1b[K" : "", (int)(t / 3600000 % 100),
		 (int)(t / 60000 % 60), (int)(t / 1000 % 60), (int)(t % 1000), what,
		 ++f->noise_count, f->mode == PTY_SHELL ? PTY_SHELL_PROMPT : "");
	pty_bytes_add(to, line, strlen(line));
}

bool pty_answering(const struct pty_front *f)
{
	return f->pending.head || f->answer_left > 0;
}

/* ---- answers ---- */

struct encode_ctx {
	struct pty_front *f;
	struct pty_bytes *to;
};

static void put_encoded(void *arg, const uint8_t *data, size_t len)
{
	struct encode_ctx *e = arg;

	pty_bytes_add(e->to, data, len);
	/* Logging goes on while a long answer is written: now and then a
	 * line lands between two of its frames. */
	if (e->f->noise && len == 1 && data[0] == '\n' && e->f->frames_out++ % 3 == 1)
		noise_line(e->f, e->to, "between frames");
}

static void emit_answer(void *ctx, const uint8_t *pkt, size_t len)
{
	struct pty_front *f = ctx;
	struct pty_bytes wire = { 0 };
	struct encode_ctx e = { f, &wire };
	int64_t due = sim_now_ms(f->dev);

	if (sim_device_busy_until(f->dev) > due)
		due = sim_device_busy_until(f->dev);
	if (f->mode == PTY_RAW)
		pty_bytes_add(&wire, pkt, len);
	else if (f->mode == PTY_RECOVERY)
		mcuboot_tx_pkt(pkt, len, put_encoded, &e);
	else
		zser_tx_pkt(pkt, len, put_encoded, &e);
	if (wire.len)
		sim_outq_push(&f->pending, due, wire.buf, wire.len);
	free(wire.buf);
}

static void wq_emit(void *ctx, const void *tag, size_t tag_len, const uint8_t *pkt, size_t len)
{
	emit_answer(ctx, pkt, len);
}

/* MCUboot's serial recovery is one loop that reads a line, handles it and
 * writes the answer: no pool, no queue; it is busy while it writes
 * flash (front_pty_recovery.c). Zephyr's transports hand whole requests
 * to the SMP work queue in the pool buffer they were reassembled in. */
void pty_request(struct pty_front *f, const uint8_t *pkt, size_t len)
{
	if (f->mode == PTY_RECOVERY) {
		pty_recovery_input(&f->rec, f->dev, pkt, len, emit_answer, f);
		return;
	}
	if (!f->rx_ref.held && !sim_pool_take(f->dev, &f->rx_ref))
		return;
	(void)sim_wq_submit(f->dev, &f->rx_ref, pkt, len, NULL, 0, wq_emit, f);
	sim_wq_run(f->dev);
}

static bool pool_take(void *arg)
{
	struct pty_front *f = arg;

	return sim_pool_take(f->dev, &f->rx_ref);
}

static void pool_give(void *arg)
{
	struct pty_front *f = arg;

	sim_pool_give(f->dev, &f->rx_ref);
}

/* ---- the link ---- */

static int open_pty(struct pty_front *f, char *err, size_t errlen)
{
	struct termios tio;
	struct stat st;

	f->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (f->master < 0 || grantpt(f->master) != 0 || unlockpt(f->master) != 0 ||
	    ptsname_r(f->master, f->slave_path, sizeof(f->slave_path)) != 0) {
		snprintf(err, errlen, "cannot create a pseudo-terminal: %s", strerror(errno));
		return -1;
	}
	fcntl(f->master, F_SETFL, fcntl(f->master, F_GETFL) | O_NONBLOCK);
	/* Held open so that the master never reads as hung up between two
	 * clients, and made raw so that nothing is echoed back to us. */
	f->slave = open(f->slave_path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (f->slave < 0 || tcgetattr(f->slave, &tio) != 0) {
		snprintf(err, errlen, "cannot open %s: %s", f->slave_path, strerror(errno));
		return -1;
	}
	cfmakeraw(&tio);
	tcsetattr(f->slave, TCSANOW, &tio);
	if (lstat(f->link, &st) == 0) {
		if (!S_ISLNK(st.st_mode)) {
			snprintf(err, errlen, "%s exists and is not a symbolic link", f->link);
			return -1;
		}
		unlink(f->link);
	}
	if (symlink(f->slave_path, f->link) != 0) {
		snprintf(err, errlen, "cannot link %s to %s: %s", f->link, f->slave_path,
			 strerror(errno));
		return -1;
	}
	return 0;
}

static int open_tcp(struct pty_front *f, char *err, size_t errlen)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int one = 1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)f->tcp_port);
	f->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (f->listen_fd < 0 ||
	    setsockopt(f->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(f->listen_fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    listen(f->listen_fd, 1) != 0 ||
	    getsockname(f->listen_fd, (struct sockaddr *)&a, &len) != 0) {
		snprintf(err, errlen, "serial tcp port %lu: %s", f->tcp_port, strerror(errno));
		return -1;
	}
	f->tcp_port = ntohs(a.sin_port);
	return 0;
}

static int link_fd(const struct pty_front *f)
{
	if (f->master >= 0)
		return f->master;
	return f->conn_fd >= 0 ? f->conn_fd : f->listen_fd;
}

static void drop_client(struct pty_front *f)
{
	close(f->conn_fd);
	f->conn_fd = -1;
	f->in.len = 0;
	f->out.len = 0;
	f->answer_left = 0;
	pty_input_reset(f);
}

/* ---- the frontend ---- */

static void *pty_create(void)
{
	struct pty_front *f = calloc(1, sizeof(*f));

	if (f) {
		f->master = f->slave = f->listen_fd = f->conn_fd = -1;
		/* CONFIG_MCUMGR_TRANSPORT_SHELL_RX_BUF_COUNT and
		 * CONFIG_UART_MCUMGR_RX_BUF_COUNT: both default 2. */
		f->frame_bufs = 2;
	}
	return f;
}

static int pty_start(void *ctx, struct sim_device *dev, char *err, size_t errlen)
{
	struct pty_front *f = ctx;
	const struct sim_config *cfg = sim_device_config(dev);

	if (!f->enabled)
		return 1;
	if (f->modes_given > 1 || (f->link && f->tcp)) {
		snprintf(err, errlen,
			 "serial: give one of --shell, --raw and --recovery, and "
			 "one of --pty and --serial-tcp");
		return -1;
	}
	f->dev = dev;
	f->zrx.cap = cfg->buf_size;
	f->zrx.buf = malloc(f->zrx.cap);
	f->zrx.take = pool_take;
	f->zrx.give = pool_give;
	f->zrx.pool_arg = f;
	f->mrx.cap = RECOVERY_MAX_RECEIVE + 1;
	f->mrx.dec = malloc(f->mrx.cap);
	if (!f->zrx.buf || !f->mrx.dec) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if ((f->tcp ? open_tcp(f, err, errlen) : open_pty(f, err, errlen)) != 0)
		return -1;
	f->boots_seen = sim_device_boot_count(dev);
	f->credit_ms = sim_now_ms(dev);
	f->next_poll_ms = f->credit_ms;
	f->next_noise_ms = f->credit_ms + NOISE_PERIOD_MS / 3;
	if (f->mode == PTY_SHELL)
		pty_console(f, BOOT_BANNER "\r\n" PTY_SHELL_PROMPT);
	return 0;
}

static void pty_describe(void *ctx, char *buf, size_t len)
{
	struct pty_front *f = ctx;

	if (f->tcp)
		snprintf(buf, len, "serial-tcp 127.0.0.1:%lu", f->tcp_port);
	else
		snprintf(buf, len, "pty %s", f->link);
}

static const char *const mode_names[] = {
	[PTY_UART] = "uart",
	[PTY_SHELL] = "shell",
	[PTY_RAW] = "raw",
	[PTY_RECOVERY] = "recovery",
};

static int pty_params(void *ctx, char *buf, size_t len)
{
	struct pty_front *f = ctx;

	return snprintf(buf, len,
			"serial_mode=%s\nbaud=%lu\npoll_ms=%lu\nframe_bufs=%lu\n"
			"frame_size=%d\n",
			mode_names[f->mode], f->baud, f->poll_ms, f->frame_bufs,
			f->mode == PTY_SHELL ? PTY_SHELL_FRAME_MAX : PTY_UART_LINE_MAX);
}

static int pty_fd(void *ctx)
{
	return link_fd(ctx);
}

/* A polled UART (CONFIG_SHELL_BACKEND_SERIAL_RX_POLL_PERIOD: native_sim's
 * UART has no interrupts) is read only every poll_ms, all that arrived
 * at once; an interrupt-driven one as bytes come. */
static bool poll_due(struct pty_front *f)
{
	int64_t now = sim_now_ms(f->dev);

	if (!f->poll_ms || (f->mode != PTY_SHELL && f->mode != PTY_UART))
		return true;
	if (now < f->next_poll_ms)
		return false;
	f->next_poll_ms += (int64_t)f->poll_ms;
	if (f->next_poll_ms <= now)
		f->next_poll_ms = now + (int64_t)f->poll_ms;
	return true;
}

static void process_input(struct pty_front *f)
{
	size_t n = f->in.len, i;

	if (f->baud && n > f->credit_in / 10000)
		n = (size_t)(f->credit_in / 10000);
	if (sim_device_offline(f->dev)) {
		/* A device that is rebooting hears nothing. */
		n = f->in.len;
	} else if (!poll_due(f)) {
		return;
	} else {
		/* Without polling, the decoding thread runs after every byte;
		 * with it, after each poll. */
		for (i = 0; i < n; i++) {
			pty_input_byte(f, f->in.buf[i]);
			if (!f->poll_ms)
				pty_input_release(f);
		}
		pty_input_release(f);
	}
	if (f->baud)
		f->credit_in -= (uint64_t)n * 10000 < f->credit_in ? (uint64_t)n * 10000
								   : f->credit_in;
	pty_bytes_take(&f->in, n);
}

static void pty_on_readable(void *ctx, struct sim_device *dev)
{
	struct pty_front *f = ctx;
	uint8_t buf[READ_CHUNK];
	ssize_t n;

	if (f->tcp && f->conn_fd < 0) {
		f->conn_fd = accept4(f->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		/* A serial line has no Nagle: each byte goes when written. */
		if (f->conn_fd >= 0)
			setsockopt(f->conn_fd, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, sizeof(int));
		return;
	}
	n = read(link_fd(f), buf, sizeof(buf));
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		if (f->conn_fd >= 0)
			drop_client(f);
		return;
	}
	if (n > 0 && !sim_device_offline(dev))
		pty_bytes_add(&f->in, buf, (size_t)n);
	process_input(f);
}

static void refill_credit(struct pty_front *f)
{
	int64_t now = sim_now_ms(f->dev);
	uint64_t max = (uint64_t)f->baud * BURST_MS;

	if (!f->baud || now <= f->credit_ms)
		return;
	f->credit_in += (uint64_t)(now - f->credit_ms) * f->baud;
	f->credit_out += (uint64_t)(now - f->credit_ms) * f->baud;
	/* Idle time is not saved up, except for a short burst. */
	if (!f->in.len && f->credit_in > max)
		f->credit_in = max;
	if (!f->out.len && f->credit_out > max)
		f->credit_out = max;
	f->credit_ms = now;
}

static void flush_out(struct pty_front *f)
{
	size_t n = f->out.len;
	ssize_t w;

	if (f->baud && n > f->credit_out / 10000)
		n = (size_t)(f->credit_out / 10000);
	if (n == 0 || link_fd(f) < 0 || (f->tcp && f->conn_fd < 0))
		return;
	w = write(link_fd(f), f->out.buf, n);
	if (w <= 0)
		return;
	pty_bytes_take(&f->out, (size_t)w);
	f->answer_left -= (size_t)w < f->answer_left ? (size_t)w : f->answer_left;
	if (f->baud)
		f->credit_out -= (uint64_t)w * 10000;
}

/* A reboot: the banner, and a board held in recovery comes out of it. */
static void on_boot(struct pty_front *f)
{
	f->boots_seen = sim_device_boot_count(f->dev);
	if (f->mode == PTY_RECOVERY && f->rec.reset_requested)
		f->mode = PTY_UART;
	pty_input_reset(f);
	if (f->noise || f->mode == PTY_SHELL)
		pty_console(f, BOOT_BANNER);
	if (f->mode == PTY_SHELL)
		pty_console(f, "\r\n" PTY_SHELL_PROMPT);
}

static void pty_on_tick(void *ctx, struct sim_device *dev)
{
	struct pty_front *f = ctx;
	struct sim_outq_item *it;
	int64_t now = sim_now_ms(dev);

	refill_credit(f);
	if (!sim_device_offline(dev) && sim_device_boot_count(dev) != f->boots_seen)
		on_boot(f);
	sim_wq_run(dev);
	pty_input_tick(f);
	process_input(f);
	pty_input_release(f);
	while ((it = sim_outq_pop_due(&f->pending, now)) != NULL) {
		pty_bytes_add(&f->out, it->data, it->len);
		f->answer_left = f->out.len;
		sim_outq_free_item(it);
	}
	if (f->noise && now >= f->next_noise_ms) {
		if (!sim_device_offline(dev) && f->out.len < OUT_NOISE_LIMIT)
			noise_line(f, &f->out, "tick");
		f->next_noise_ms = now + NOISE_PERIOD_MS;
	}
	flush_out(f);
}

static int min_ms(int a, int b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

static int pty_next_timeout(void *ctx, struct sim_device *dev)
{
	struct pty_front *f = ctx;
	int64_t now = sim_now_ms(dev), busy = sim_device_busy_until(dev);
	int t = sim_outq_timeout_ms(&f->pending, now);

	if (f->in.len && f->poll_ms && (f->mode == PTY_SHELL || f->mode == PTY_UART))
		t = min_ms(t, f->next_poll_ms > now ? (int)(f->next_poll_ms - now) : 0);
	else if (f->in.len)
		t = min_ms(t, 1);
	if ((f->out.len && f->baud) || f->n_ready)
		t = min_ms(t, 1);
	else if (f->out.len)
		t = min_ms(t, 10); /* the host is not reading: try again */
	if (f->lines_queued)
		t = min_ms(t, busy > now ? (int)(busy - now) : 0);
	t = min_ms(t, sim_wq_next_ms(dev));
	if (f->noise)
		t = min_ms(t, f->next_noise_ms > now ? (int)(f->next_noise_ms - now) : 0);
	if (f->raw.len)
		t = min_ms(t, PTY_RAW_TIMEOUT_MS);
	if (sim_device_boot_count(dev) != f->boots_seen)
		t = min_ms(t, 10);
	return t;
}

static void pty_close(void *ctx)
{
	struct pty_front *f = ctx;
	char target[sizeof(f->slave_path)];
	ssize_t n;

	if (!f)
		return;
	if (f->link && f->master >= 0) {
		n = readlink(f->link, target, sizeof(target) - 1);
		if (n > 0 && (target[n] = 0, strcmp(target, f->slave_path) == 0))
			unlink(f->link);
	}
	if (f->conn_fd >= 0)
		close(f->conn_fd);
	if (f->listen_fd >= 0)
		close(f->listen_fd);
	if (f->slave >= 0)
		close(f->slave);
	if (f->master >= 0)
		close(f->master);
	if (f->dev) {
		sim_wq_forget(f->dev, f);
		sim_pool_give(f->dev, &f->rx_ref);
	}
	sim_outq_clear(&f->pending);
	free(f->in.buf);
	free(f->out.buf);
	free(f->raw.buf);
	free(f->shell_text.buf);
	free(f->zrx.buf);
	free(f->mrx.dec);
	free(f);
}

static const struct sim_frontend_ops pty_ops = {
	.name = "serial",
	.fd = pty_fd,
	.on_readable = pty_on_readable,
	.next_timeout_ms = pty_next_timeout,
	.on_tick = pty_on_tick,
	.close = pty_close,
};

const struct sim_frontend_def sim_front_pty = {
	.name = "serial",
	.opts = pty_opts,
	.create = pty_create,
	.start = pty_start,
	.describe = pty_describe,
	.ops = &pty_ops,
	.params = pty_params,
};
