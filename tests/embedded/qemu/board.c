/* The mps2-an505 board support for the DFU host example: vector table,
 * reset, SysTick, UART0 and semihosting. Bare metal, no CMSIS: the few
 * registers are named here. Addresses are the secure aliases (bit 28
 * set): the example runs in the secure world, as the core starts. */
#include "tests/embedded/qemu/board.h"

#include <string.h>

#define SYSCLK_HZ 20000000u /* AN505's SYSCLK, SysTick's processor clock */

/* SysTick and NVIC, in the System Control Space. */
#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define SYST_CSR_ENABLE_TICKINT_CPUCLK 7u
#define NVIC_ISER(n) (*(volatile uint32_t *)(0xE000E100u + 4u * (n)))

/* UART0, a CMSDK APB UART; its receive interrupt is IRQ 32. */
#define UART0_BASE 0x50200000u
#define UART_DATA (*(volatile uint32_t *)(UART0_BASE + 0x00u))
#define UART_STATE (*(volatile uint32_t *)(UART0_BASE + 0x04u))
#define UART_CTRL (*(volatile uint32_t *)(UART0_BASE + 0x08u))
#define UART_INTCLEAR (*(volatile uint32_t *)(UART0_BASE + 0x0Cu))
#define UART_BAUDDIV (*(volatile uint32_t *)(UART0_BASE + 0x10u))
#define UART_STATE_TX_FULL 1u
#define UART_STATE_RX_FULL 2u
#define UART_CTRL_TX_EN 1u
#define UART_CTRL_RX_EN 2u
#define UART_CTRL_RX_INT_EN 8u
#define UART_INT_RX 2u
#define UART0_RX_IRQ 32u
#define UART_BAUD 115200u

/* Semihosting operations (Arm's "Semihosting for AArch32 and AArch64"). */
#define SYS_WRITE0 0x04
#define SYS_GET_CMDLINE 0x15
#define SYS_EXIT_EXTENDED 0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

/* Received bytes wait here for the reader; a full ring turns the receive
 * interrupt off, so the UART holds the next byte (QEMU then holds back
 * the rest) instead of losing it. */
#define RX_RING 4096u

struct board {
	volatile uint64_t ms;
	uint8_t rx[RX_RING];
	volatile uint32_t rx_head; /* written by the interrupt */
	volatile uint32_t rx_tail; /* written by the reader */
};

/* Interrupt handlers have no argument: the board's one instance is the
 * state they and the reader share. */
static struct board board;

extern uint32_t __data_start[], __data_end[], __data_load[];
extern uint32_t __bss_start__[], __bss_end__[];
extern uint32_t __stack_top[];
extern void initialise_monitor_handles(void);
int main(void);

static int semihost(int op, void *arg)
{
	register int r0 __asm__("r0") = op;
	register void *r1 __asm__("r1") = arg;

	__asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
	return r0;
}

void board_exit(int status)
{
	uint32_t block[2] = { ADP_STOPPED_APPLICATION_EXIT, (uint32_t)status };

	for (;;)
		semihost(SYS_EXIT_EXTENDED, block);
}

int board_args(char *buf, size_t cap, char **argv, int max)
{
	struct {
		char *buf;
		uint32_t len;
	} block = { buf, (uint32_t)cap };
	int argc = 0;
	char *p = buf;

	if (cap == 0 || semihost(SYS_GET_CMDLINE, &block) != 0)
		return 0;
	buf[block.len < cap ? block.len : cap - 1] = '\0';
	while (*p && argc < max) {
		while (*p == ' ')
			*p++ = '\0';
		if (!*p)
			break;
		argv[argc++] = p;
		while (*p && *p != ' ')
			p++;
	}
	return argc;
}

/* ---- the clock */

static void systick_handler(void)
{
	board.ms++;
}

int64_t board_ms(void)
{
	uint64_t a, b;

	/* Two equal reads: no tick carried between the halves. */
	do {
		a = board.ms;
		b = board.ms;
	} while (a != b);
	return (int64_t)a;
}

/* ---- UART0 */

static uint32_t rx_count(void)
{
	return board.rx_head - board.rx_tail;
}

/* The interrupt is cleared before the holding register is read: a byte
 * that lands after the last read raises it again instead of waiting
 * unseen (the UART takes no more until it is read). */
static void uart0_rx_handler(void)
{
	UART_INTCLEAR = UART_INT_RX;
	while ((UART_STATE & UART_STATE_RX_FULL) && rx_count() < RX_RING) {
		board.rx[board.rx_head % RX_RING] = (uint8_t)UART_DATA;
		board.rx_head = board.rx_head + 1;
	}
	if (rx_count() == RX_RING)
		UART_CTRL &= ~UART_CTRL_RX_INT_EN;
}

void board_uart_write(const uint8_t *data, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		while (UART_STATE & UART_STATE_TX_FULL)
			;
		UART_DATA = data[i];
	}
}

size_t board_uart_read(uint8_t *buf, size_t cap, int64_t deadline_ms)
{
	size_t n = 0;

	for (;;) {
		/* Interrupts masked between the check and the sleep: a byte
		 * that arrives in between still wakes the wfi. */
		__asm__ volatile("cpsid i" ::: "memory");
		while (n < cap && rx_count()) {
			buf[n++] = board.rx[board.rx_tail % RX_RING];
			board.rx_tail = board.rx_tail + 1;
		}
		if (n) {
			/* Room again: a byte held while the ring was full is
			 * taken now, its interrupt long cleared. */
			UART_CTRL |= UART_CTRL_RX_INT_EN;
			uart0_rx_handler();
			__asm__ volatile("cpsie i" ::: "memory");
			return n;
		}
		if (board_ms() >= deadline_ms) {
			__asm__ volatile("cpsie i" ::: "memory");
			return 0;
		}
		__asm__ volatile("wfi\n\tcpsie i" ::: "memory");
	}
}

void board_init(void)
{
	SYST_RVR = SYSCLK_HZ / 1000u - 1u;
	SYST_CVR = 0;
	SYST_CSR = SYST_CSR_ENABLE_TICKINT_CPUCLK;
	UART_BAUDDIV = SYSCLK_HZ / UART_BAUD;
	UART_CTRL = UART_CTRL_TX_EN | UART_CTRL_RX_EN | UART_CTRL_RX_INT_EN;
	NVIC_ISER(UART0_RX_IRQ / 32u) = 1u << (UART0_RX_IRQ % 32u);
}

/* ---- reset and faults */

/* A fault is a failed run, said on the host's terminal, never a hang. */
static void fault_handler(void)
{
	static char msg[] = "board: CPU fault\n";

	semihost(SYS_WRITE0, msg);
	board_exit(3);
}

void reset_handler(void);
void reset_handler(void)
{
	memcpy(__data_start, __data_load, (size_t)((char *)__data_end - (char *)__data_start));
	memset(__bss_start__, 0, (size_t)((char *)__bss_end__ - (char *)__bss_start__));
	initialise_monitor_handles();
	board_init();
	board_exit(main());
}

#define N_VECTORS (16 + UART0_RX_IRQ + 1)

__attribute__((section(".vectors"), used)) static void (*const vectors[N_VECTORS])(void) = {
	[0] = (void (*)(void))__stack_top,
	[1] = reset_handler,
	[2] = fault_handler, /* NMI */
	[3] = fault_handler, /* HardFault */
	[4] = fault_handler, /* MemManage */
	[5] = fault_handler, /* BusFault */
	[6] = fault_handler, /* UsageFault */
	[7] = fault_handler, /* SecureFault */
	[15] = systick_handler,
	[16 + UART0_RX_IRQ] = uart0_rx_handler,
};
