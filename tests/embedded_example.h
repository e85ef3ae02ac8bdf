/* The device-side update flow of tests/embedded_example.c: what a
 * firmware engineer adapts to update one nRF5340 from another. Everything
 * it needs from the platform arrives here; zephyr/PORTING.md gives the
 * Zephyr side of each member. */
#ifndef TESTS_EMBEDDED_EXAMPLE_H
#define TESTS_EMBEDDED_EXAMPLE_H

#include <stddef.h>
#include <stdint.h>

#include "smp/crypto.h"
#include "smp/image_src.h"

struct example_platform {
	/* The transport, as two callbacks: send one whole SMP packet;
	 * receive one (0, or SMP_IO_TIMEOUT / SMP_IO_ERROR of
	 * smp/transport.h). */
	int (*send)(void *link, const uint8_t *pkt, size_t len);
	int (*recv)(void *link, uint8_t *buf, size_t cap, size_t *len, int timeout_ms);
	void *link;
	size_t mtu; /* largest packet one send carries */
	/* Bytes of the device's receive buffer (its params buf_size) that
	 * the link's framing takes: 0, or 4 for the serial framing's
	 * length field and CRC (Zephyr's UART transport decodes a whole
	 * frame into the buffer). */
	size_t buf_overhead;

	const struct smp_crypto *crypto;
	const struct smp_image_src *image; /* the MCUboot image to send */

	/* One line per step; may be NULL. */
	void (*log)(void *arg, const char *line);
	void *log_arg;
};

/* Checks the image, then runs the core's upgrade by events
 * (smp/dfu.h): params, image list, upload, test, reset, and after the
 * reset checks that the device runs the new image and confirms it.
 * Returns 0, or -1 after logging why. */
int example_update(const struct example_platform *p);

#endif
