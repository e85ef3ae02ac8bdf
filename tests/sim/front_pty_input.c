/* What the simulated device does with each byte it receives, per kind of
 * serial SMP server: Zephyr's UART transport (uart_mcumgr.c lines into
 * mcumgr_serial_process_frag), its shell transport (smp_shell.c), its raw
 * UART transport, and MCUboot's serial recovery (serial_adapter.c lines
 * into boot_serial_in_dec). */
#include <stdio.h>
#include <string.h>

#include "tests/sim/front_pty_priv.h"

/* MCUboot recovery writing flash, or Zephyr's work queue at work. */
static bool device_busy(const struct pty_front *f)
{
	return sim_device_busy_until(f->dev) > sim_now_ms(f->dev) || sim_wq_busy(f->dev);
}

/* ---- frame / line buffers ---- */

/* A buffer for a frame or line that starts now: false when all of them
 * hold received ones the decoding thread has not taken yet. */
static bool frame_buf_take(const struct pty_front *f)
{
	return f->n_ready < f->frame_bufs && f->n_ready < PTY_FRAME_BUFS_MAX;
}

static void frame_ready(struct pty_front *f)
{
	memcpy(f->ready[f->n_ready], f->line, f->line_len);
	f->ready_len[f->n_ready++] = f->line_len;
}

void pty_input_release(struct pty_front *f)
{
	const uint8_t *pkt;
	size_t len;

	if (!f->n_ready)
		return;
	/* The shell thread runs at a lower priority than the SMP work
	 * queue (CONFIG_MCUMGR_TRANSPORT_WORKQUEUE_THREAD_PRIO, default 3):
	 * while that processes a request and writes its answer byte by byte
	 * (smp_shell_tx_raw: uart_poll_out), received frames stay in their
	 * buffers. This is how smp_svr on native_sim was seen to lose the
	 * requests that arrived while one was processed. */
	if (f->mode == PTY_SHELL && (pty_answering(f) || sim_wq_busy(f->dev)))
		return;
	for (unsigned i = 0; i < f->n_ready; i++)
		if (zser_process_frag(&f->zrx, f->ready[i], f->ready_len[i], &pkt, &len))
			pty_request(f, pkt, len);
	f->n_ready = 0;
}

/* ---- Zephyr UART transport ---- */

/* uart_mcumgr_rx_byte: a line takes one of CONFIG_UART_MCUMGR_RX_BUF_COUNT
 * buffers (default 2) of CONFIG_UART_MCUMGR_RX_BUF_SIZE bytes (128) when it
 * starts; a line that finds none, or is longer, is ignored whole. Whole
 * lines go to the system work queue (smp_uart_rx_frag), which decodes
 * them and frees the buffer. */
static void uart_byte(struct pty_front *f, uint8_t b)
{
	if (f->line_len == 0 && !f->line_ignoring && !frame_buf_take(f))
		f->line_ignoring = true;
	if (!f->line_ignoring) {
		if (f->line_len >= PTY_UART_LINE_MAX) {
			f->line_len = 0;
			f->line_ignoring = true;
		} else {
			f->line[f->line_len++] = b;
		}
	}
	if (b != '\n')
		return;
	if (!f->line_ignoring)
		frame_ready(f);
	f->line_ignoring = false;
	f->line_len = 0;
}

/* ---- Zephyr shell transport ---- */

/* The shell's own handling of what is not SMP: echo, and a prompt after
 * each line (no command exists here). */
static void shell_text_byte(struct pty_front *f, uint8_t b)
{
	char msg[320];

	if (b == '\r' || b == '\n') {
		if (f->shell_text.len) {
			snprintf(msg, sizeof(msg), "\r\n%.*s: command not found",
				 (int)(f->shell_text.len > 200 ? 200 : f->shell_text.len),
				 (const char *)f->shell_text.buf);
			pty_console(f, msg);
			f->shell_text.len = 0;
		}
		pty_console(f, "\r\n" PTY_SHELL_PROMPT);
		return;
	}
	if (b < 0x20 || b >= 0x7f)
		return;
	if (f->shell_text.len < 256)
		pty_bytes_add(&f->shell_text, &b, 1);
	pty_console(f, (char[]){ (char)b, 0 });
}

/* smp_shell_rx_bytes / read_mcumgr_byte: an SMP frame may start anywhere
 * on the line. It takes one of CONFIG_MCUMGR_TRANSPORT_SHELL_RX_BUF_COUNT
 * buffers (default 2) of SMP_SHELL_RX_BUF_SIZE (127) bytes at its first
 * marker byte; a frame that finds none is lost whole, and bytes past
 * the buffer are lost. Whole frames wait for the shell thread
 * (smp_shell_process), which decodes them into a buffer of the pool. */
static void shell_byte(struct pty_front *f, uint8_t b)
{
	if (f->shell_esc == 0) {
		if (b == 0x06 || b == 0x04) {
			f->shell_esc = 1;
			f->line_len = 0;
			f->shell_dropping = !frame_buf_take(f);
		} else {
			shell_text_byte(f, b);
			return;
		}
	} else if (f->shell_esc == 1) {
		bool pair = (f->line[0] == 0x06 && b == 0x09) || (f->line[0] == 0x04 && b == 0x14);

		if (!pair) {
			/* Not a frame after all: both bytes go to the shell. */
			uint8_t first = f->line[0];

			f->shell_esc = 0;
			f->line_len = 0;
			shell_text_byte(f, first);
			shell_byte(f, b);
			return;
		}
		f->shell_esc = 2;
	}
	if (f->line_len < PTY_SHELL_FRAME_MAX)
		f->line[f->line_len++] = b;
	if (f->shell_esc == 2 && b == '\n') {
		if (!f->shell_dropping)
			frame_ready(f);
		f->shell_esc = 0;
		f->line_len = 0;
	}
}

/* ---- Zephyr raw UART transport ---- */

static void raw_byte(struct pty_front *f, uint8_t b)
{
	const struct sim_config *cfg = sim_device_config(f->dev);
	size_t total;

	f->raw_last_ms = sim_now_ms(f->dev);
	if (pty_bytes_add(&f->raw, &b, 1) != 0 || f->raw.len < 8)
		return;
	total = 8 + ((size_t)f->raw.buf[2] << 8 | f->raw.buf[3]);
	/* mcumgr_serial_process_frag's checks: too big or an op that is not
	 * one: not an SMP packet, thrown away. */
	if (total > cfg->buf_size || (f->raw.buf[0] & 7) > 3) {
		f->raw.len = 0;
		return;
	}
	if (f->raw.len < total)
		return;
	pty_request(f, f->raw.buf, total);
	f->raw.len = 0;
}

/* ---- MCUboot serial recovery ---- */

static void recovery_line(struct pty_front *f, const uint8_t *line, size_t len)
{
	const uint8_t *pkt;
	size_t pkt_len;

	if (mcuboot_in_line(&f->mrx, line, len, &pkt, &pkt_len))
		pty_request(f, pkt, pkt_len);
}

/* serial_adapter.c: bytes past the line buffer are lost, the line still
 * counts; lines wait in a few buffers while the bootloader is busy
 * writing flash, and are lost when none is free. */
static void recovery_byte(struct pty_front *f, uint8_t b)
{
	if (f->line_len < RECOVERY_MAX_LINE)
		f->line[f->line_len++] = b;
	if (b != '\n')
		return;
	if (!device_busy(f) && f->lines_queued == 0)
		recovery_line(f, f->line, f->line_len);
	else if (f->lines_queued < RECOVERY_LINE_BUFS) {
		memcpy(f->lines[f->lines_queued], f->line, f->line_len);
		f->line_lens[f->lines_queued++] = f->line_len;
	}
	f->line_len = 0;
}

void pty_input_byte(struct pty_front *f, uint8_t b)
{
	switch (f->mode) {
	case PTY_UART:
		uart_byte(f, b);
		break;
	case PTY_SHELL:
		shell_byte(f, b);
		break;
	case PTY_RAW:
		raw_byte(f, b);
		break;
	case PTY_RECOVERY:
		recovery_byte(f, b);
		break;
	}
}

void pty_input_tick(struct pty_front *f)
{
	unsigned i;

	if (f->mode == PTY_RAW && f->raw.len &&
	    sim_now_ms(f->dev) - f->raw_last_ms >= PTY_RAW_TIMEOUT_MS)
		f->raw.len = 0;
	while (f->mode == PTY_RECOVERY && f->lines_queued && !device_busy(f)) {
		recovery_line(f, f->lines[0], f->line_lens[0]);
		for (i = 1; i < f->lines_queued; i++) {
			memcpy(f->lines[i - 1], f->lines[i], f->line_lens[i]);
			f->line_lens[i - 1] = f->line_lens[i];
		}
		f->lines_queued--;
	}
}

void pty_input_reset(struct pty_front *f)
{
	f->line_len = 0;
	f->line_ignoring = false;
	if (f->zrx.have_nb)
		sim_pool_give(f->dev, &f->rx_ref);
	f->zrx.have_nb = false;
	f->zrx.len = f->zrx.pulled = 0;
	f->mrx.off = 0;
	f->raw.len = 0;
	f->lines_queued = 0;
	f->n_ready = 0;
	f->shell_esc = 0;
	f->shell_text.len = 0;
}
