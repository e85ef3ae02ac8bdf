/* MCUboot's serial recovery SMP server (boot/boot_serial/src/boot_serial.c)
 * for the pseudo-terminal frontend: the bootloader's own small server
 * that a board held in recovery runs instead of the application. It
 * writes straight into the primary slot and knows no test or confirm. */
#ifndef SIM_FRONT_PTY_RECOVERY_H
#define SIM_FRONT_PTY_RECOVERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tests/sim/sim.h"

/* MCUBOOT_SERIAL_MAX_RECEIVE_SIZE and BOOT_MAX_LINE_INPUT_LEN defaults in
 * Zephyr's MCUboot port, and its line buffer count (BOOT_LINE_BUFS). */
#define RECOVERY_MAX_RECEIVE 1024
#define RECOVERY_MAX_LINE 128
#define RECOVERY_LINE_BUFS 8
/* nRF flash programs 4-byte words: MCUboot writes whole ones and asks
 * again for the rest. */
#define RECOVERY_FLASH_ALIGN 4

/* bs_upload's static state. */
struct pty_recovery {
	uint32_t img_num;
	uint64_t img_size;
	uint64_t curr_off;
	bool reset_requested; /* the reset answer went out: reboot */
};

/* boot_serial_input: handles one request packet and calls emit with the
 * answer, if any. */
void pty_recovery_input(struct pty_recovery *r, struct sim_device *dev, const uint8_t *pkt,
			size_t len, sim_emit_fn emit, void *ctx);

#endif
