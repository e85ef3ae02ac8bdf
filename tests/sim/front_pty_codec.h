/* The simulated device's own SMP serial framing, written apart from
 * smp/serial_frame.c on purpose so that each checks the other. It
 * follows the device code it stands for: Zephyr's serial_util.c
 * (mcumgr_serial_process_frag, mcumgr_serial_tx_pkt, base64_decode) and
 * MCUboot's boot_serial.c (boot_serial_in_dec, boot_serial_output). */
#ifndef SIM_FRONT_PTY_CODEC_H
#define SIM_FRONT_PTY_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ZSER_HDR_PKT 0x0609
#define ZSER_HDR_FRAG 0x0414
#define ZSER_MAX_FRAME 127

/* Zephyr's lib/os/base64.c rules: '\n', "\r\n" and spaces at the end are
 * skipped, a partial last group is ignored, '=' may only end the data.
 * Returns 0, -1 (invalid) or -2 (dst too small). */
int zbase64_decode(uint8_t *dst, size_t dlen, size_t *olen, const uint8_t *src, size_t slen);

/* struct mcumgr_serial_rx_ctxt over a net_buf of cap bytes (the device's
 * CONFIG_MCUMGR_TRANSPORT_NETBUF_SIZE): the length field, once pulled,
 * still takes room in the buffer. */
struct zser_rx {
	uint8_t *buf;
	size_t cap;
	bool have_nb;
	/* The net_buf comes from the device's pool (smp_packet_alloc): take
	 * returns false when none is free and the fragment is dropped; give
	 * returns it when reassembly fails. A whole packet keeps it: the
	 * caller hands it on. Both may be NULL (no pool). */
	bool (*take)(void *arg);
	void (*give)(void *arg);
	void *pool_arg;
	size_t pulled;	/* bytes net_buf_pull'ed (the length field) */
	size_t len;	/* bytes after them */
	size_t pkt_len; /* length field: packet + CRC */
};

/* mcumgr_serial_process_frag: one line, marker and newline included.
 * Returns true with the packet (CRC stripped) in *pkt, *len. */
bool zser_process_frag(struct zser_rx *rx, const uint8_t *frag, size_t frag_len,
		       const uint8_t **pkt, size_t *len);

typedef void (*zser_tx_fn)(void *arg, const uint8_t *data, size_t len);
/* mcumgr_serial_tx_pkt: Zephyr's encoder, three bytes at a time, holding
 * a byte back when the CRC would not fit whole. */
void zser_tx_pkt(const uint8_t *data, size_t len, zser_tx_fn cb, void *arg);

/* MCUboot's input side: dec holds length field | packet | CRC. */
struct mcuboot_rx {
	uint8_t *dec;
	size_t cap; /* MCUBOOT_SERIAL_MAX_RECEIVE_SIZE + 1 */
	size_t off;
};
/* boot_serial_in_dec over one line starting with a marker; returns true
 * with the packet in *pkt, *len when complete. */
bool mcuboot_in_line(struct mcuboot_rx *rx, const uint8_t *line, size_t len, const uint8_t **pkt,
		     size_t *pkt_len);
/* boot_serial_output's framing: base64 of the whole frame cut into lines
 * of 124 characters. */
void mcuboot_tx_pkt(const uint8_t *data, size_t len, zser_tx_fn cb, void *arg);

#endif
