/* The DFU host on a Cortex-M33: tests/embedded_example.c's update flow on
 * QEMU's mps2-an505, over UART0 in SMP serial framing, the image read
 * from the host's file system through semihosting as a device reads it
 * from external flash. Each step's line goes to the host's terminal
 * (semihosting), the last says the result; the exit status is QEMU's.
 *   qemu-system-arm -M mps2-an505 ... -semihosting-config arg=dfu-host,arg=IMAGE
 * Exit status: 0 updated, 1 the update failed, 2 no image. */
#include <stdio.h>

#include "smp/clock.h"
#include "smp/transport.h"
#include "tests/embedded/qemu/board.h"
#include "tests/embedded/qemu/sha256.h"
#include "tests/embedded/qemu/uart_link.h"
#include "tests/embedded_example.h"

int64_t smp_clock_ms(void)
{
	return board_ms();
}

static int file_read(void *ctx, uint32_t off, uint8_t *buf, size_t len)
{
	FILE *f = ctx;

	if (fseek(f, (long)off, SEEK_SET) != 0 || fread(buf, 1, len, f) != len)
		return -1;
	return 0;
}

static void log_line(void *arg, const char *line)
{
	printf("%s\n", line);
	fflush(stdout);
}

int main(void)
{
	/* The link's buffers (6 KiB) live on main's stack, the top of RAM. */
	struct uart_link uart;
	struct sha256 sha;
	char cmdline[512], *argv[4];
	int argc = board_args(cmdline, sizeof(cmdline), argv, 4);
	struct smp_image_src image;
	struct smp_crypto crypto;
	struct example_platform p;
	FILE *f;
	long size;
	int64_t t0;
	int rc;

	if (argc != 2) {
		printf("usage: dfu-host IMAGE (QEMU's -semihosting-config arg=...)\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) <= 0) {
		printf("dfu-host: %s: cannot read it\n", argv[1]);
		return 2;
	}
	image = (struct smp_image_src){ file_read, f, (uint32_t)size };
	sha256_crypto(&crypto, &sha);
	uart_link_init(&uart);
	p = (struct example_platform){
		.send = uart_link_send,
		.recv = uart_link_recv,
		.link = &uart,
		.mtu = UART_LINK_PKT_MAX,
		.buf_overhead = 4,
		.crypto = &crypto,
		.image = &image,
		.log = log_line,
		.log_arg = NULL,
	};
	t0 = board_ms();
	rc = example_update(&p);
	printf("dfu-host: %s in %ld ms\n", rc ? "update failed" : "updated",
	       (long)(board_ms() - t0));
	fclose(f);
	return rc ? 1 : 0;
}
