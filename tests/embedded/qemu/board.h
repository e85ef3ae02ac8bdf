/* The QEMU mps2-an505 board as the DFU host example uses it: the
 * semihosting calls that report to the host, UART0 (a CMSDK APB UART,
 * read by interrupt into a ring) and a millisecond clock from SysTick. */
#ifndef TESTS_EMBEDDED_QEMU_BOARD_H
#define TESTS_EMBEDDED_QEMU_BOARD_H

#include <stddef.h>
#include <stdint.h>

/* Brings up the clock and UART0 (called once, before main). */
void board_init(void);

/* Milliseconds since board_init(). */
int64_t board_ms(void);

/* Writes len bytes to UART0, waiting while its transmitter is full. */
void board_uart_write(const uint8_t *data, size_t len);
/* Takes up to cap received bytes; waits (the core asleep) until at least
 * one arrived or deadline_ms passed. Returns how many. */
size_t board_uart_read(uint8_t *buf, size_t cap, int64_t deadline_ms);

/* The command line QEMU was given with -semihosting-config arg=...: its
 * words, NUL-terminated in buf, at most max of them. Returns how many. */
int board_args(char *buf, size_t cap, char **argv, int max);

/* Ends the emulation with the exit status (semihosting SYS_EXIT_EXTENDED). */
__attribute__((noreturn)) void board_exit(int status);

#endif
