/* Internals shared by front_pty.c (the link, timing and output) and
 * front_pty_input.c (what each kind of device does with received bytes). */
#ifndef SIM_FRONT_PTY_PRIV_H
#define SIM_FRONT_PTY_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tests/sim/front_pty_codec.h"
#include "tests/sim/front_pty_recovery.h"
#include "tests/sim/frontend.h"
#include "tests/sim/sim.h"
#include "tests/sim/sim_wq.h"

/* CONFIG_UART_MCUMGR_RX_BUF_SIZE: longer lines are dropped. */
#define PTY_UART_LINE_MAX 128
/* Zephyr's shell transport: frames of SMP_SHELL_RX_BUF_SIZE bytes. */
#define PTY_SHELL_FRAME_MAX 127
/* Most frame / line buffers --frame-bufs may give. */
#define PTY_FRAME_BUFS_MAX 16
#define PTY_SHELL_PROMPT "uart:~$ "
/* CONFIG_MCUMGR_TRANSPORT_RAW_UART_INPUT_TIMEOUT_TIME_MS. */
#define PTY_RAW_TIMEOUT_MS 500

enum pty_mode {
	PTY_UART,
	PTY_SHELL,
	PTY_RAW,
	PTY_RECOVERY
};

struct pty_bytes {
	uint8_t *buf;
	size_t len, cap;
};

struct pty_front {
	/* options */
	bool enabled;
	const char *link;
	bool tcp;
	unsigned long tcp_port;
	unsigned long baud; /* 0: as fast as the host reads */
	bool noise;
	enum pty_mode mode;
	int modes_given;
	unsigned long poll_ms;	  /* shell: the UART is read every poll_ms */
	unsigned long frame_bufs; /* frames / lines held until decoded */

	/* link: a pty master (slave held open so it never hangs up), or a
	 * listening socket and its one client */
	int master, slave, listen_fd, conn_fd;
	char slave_path[128];

	/* input not yet processed (it crosses the wire at the baud rate) */
	struct pty_bytes in;
	uint8_t line[PTY_UART_LINE_MAX + 1];
	size_t line_len;
	bool line_ignoring;
	struct zser_rx zrx;
	struct mcuboot_rx mrx;
	struct pty_recovery rec;
	uint8_t lines[RECOVERY_LINE_BUFS][RECOVERY_MAX_LINE];
	size_t line_lens[RECOVERY_LINE_BUFS];
	unsigned lines_queued;
	struct pty_bytes raw; /* raw mode: the packet being received */
	int64_t raw_last_ms;
	/* shell: the escape state of smp_shell.c and the frame being read */
	int shell_esc;	     /* 0 none, 1 first marker byte, 2 in frame */
	bool shell_dropping; /* no buffer for this frame */
	/* shell frames / UART lines received whole, each in one of
	 * frame_bufs buffers, until the thread that decodes them runs */
	uint8_t ready[PTY_FRAME_BUFS_MAX][PTY_UART_LINE_MAX + 1];
	size_t ready_len[PTY_FRAME_BUFS_MAX];
	unsigned n_ready;
	int64_t next_poll_ms;
	struct pty_bytes shell_text; /* a command line being typed */

	/* the pool buffer the request being reassembled is in */
	struct sim_buf_ref rx_ref;

	/* answers waiting for their time, then bytes waiting for the wire */
	struct sim_outq pending;
	struct pty_bytes out;
	size_t answer_left; /* bytes of answers still in out */
	unsigned frames_out;

	int64_t credit_ms;		/* throttle clock */
	uint64_t credit_in, credit_out; /* in byte * 10000 / baud units */
	int64_t next_noise_ms;
	unsigned noise_count;
	unsigned boots_seen;
	struct sim_device *dev;
};

int pty_bytes_add(struct pty_bytes *b, const void *data, size_t len);
void pty_bytes_take(struct pty_bytes *b, size_t n);

/* A complete request, in the pool buffer f->rx_ref holds (except in
 * MCUboot recovery, which has no pool): queued for the device. */
void pty_request(struct pty_front *f, const uint8_t *pkt, size_t len);
/* Text the device prints on its console (the shell's echo). */
void pty_console(struct pty_front *f, const char *text);
/* True while answers are still on their way out (the shell is busy). */
bool pty_answering(const struct pty_front *f);

/* One received byte, as the device in f->mode takes it. */
void pty_input_byte(struct pty_front *f, uint8_t b);
/* The thread that decodes buffered frames / lines runs: the shell thread
 * (only while the SMP work queue, of higher priority, is idle) or, for
 * the UART transport, the system work queue. */
void pty_input_release(struct pty_front *f);
/* Timers of the input side (raw mode's timeout, recovery's line queue). */
void pty_input_tick(struct pty_front *f);
void pty_input_reset(struct pty_front *f);

#endif
