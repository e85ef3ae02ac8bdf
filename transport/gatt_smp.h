/* SMP over GATT, as mcumgr's Bluetooth transport defines it, on any
 * connected file descriptor that keeps ATT PDU boundaries (a kernel L2CAP
 * LE socket on the ATT channel, or a local SOCK_SEQPACKET socket):
 *
 *   1. Exchange MTU, asking for the largest (517);
 *   2. find the SMP service (Read By Group Type), its characteristic (Read
 *      By Type on 0x2803) and that characteristic's CCCD (Find Information);
 *   3. enable notifications (Write Request of 0x0001 to the CCCD);
 *   4. send each SMP packet as Write Commands of at most MTU-3 bytes and
 *      put each answer back together from notifications by the length in
 *      its SMP header.
 *
 * zephyr/PORTING.md maps each step onto Zephyr's bt_gatt_* client API. */
#ifndef TRANSPORT_GATT_SMP_H
#define TRANSPORT_GATT_SMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "smp/gatt_rx.h"
#include "smp/transport.h"

/* Largest SMP packet sent when nobody says otherwise: Zephyr's default
 * CONFIG_MCUMGR_TRANSPORT_NETBUF_SIZE, which a device with Bluetooth
 * reassembly accepts whatever its ATT MTU. */
#define GATT_SMP_DEFAULT_PACKET 384
#define GATT_SMP_SETUP_TIMEOUT_MS 10000

struct gatt_smp_opts {
	uint16_t att_mtu;     /* MTU to offer; 0: ATT_MAX_MTU (517) */
	size_t packet_max;    /* what mtu() reports; 0: GATT_SMP_DEFAULT_PACKET */
	int setup_timeout_ms; /* per ATT request while connecting; 0: the default */
	/* -v diagnostics; may be NULL. */
	void (*trace)(void *arg, const char *msg);
	void *trace_arg;
};

/* A characteristic value pipe, as BlueZ's AcquireWrite and AcquireNotify
 * hand out: each write() on write_fd is one Write Command's value, each
 * read() on notify_fd one notification's value; someone else (bluetoothd)
 * did the discovery and enabled the notifications. */
struct gatt_smp_pipe {
	int write_fd, notify_fd;
	uint16_t att_mtu; /* a value is at most att_mtu - 3 bytes */
};

/* Where the link comes from, so that it can be made again after the
 * device resets (which drops a Bluetooth connection). Exactly one of
 * connect (an ATT bearer: discovery is done here) and acquire (a value
 * pipe) is set; both feed the same reassembly and the same ops. */
struct gatt_smp_link {
	/* Returns a connected file descriptor, or -1 with a reason in err. */
	int (*connect)(void *arg, int timeout_ms, char *err, size_t errlen);
	/* Optional: raises the link's security after an ATT error ecode;
	 * true when a retry is worthwhile (see att_bearer.h). */
	bool (*raise_security)(void *arg, int fd, uint8_t ecode);
	/* Optional: frees arg when the transport closes. */
	void (*release)(void *arg);
	void *arg;
	/* Fills p (both fds open), or returns -1 with a reason in err. */
	int (*acquire)(void *arg, int timeout_ms, struct gatt_smp_pipe *p, char *err,
		       size_t errlen);
};

/* Opens the transport on fd, which it then owns (closed by close(), and on
 * failure). Without a link it cannot reconnect after a reset. Returns 0,
 * or -1 with a one-line reason in err. */
int gatt_smp_transport_open_fd(struct smp_link *t, int fd, const struct gatt_smp_opts *o, char *err,
			       size_t errlen);

/* Connects through link and sets up as above, all within timeout_ms (each
 * ATT request also within setup_timeout_ms). On failure link->release is
 * called. */
int gatt_smp_transport_open_link(struct smp_link *t, const struct gatt_smp_link *link,
				 int timeout_ms, const struct gatt_smp_opts *o, char *err,
				 size_t errlen);

/* The ATT MTU in use on an open GATT SMP transport; 0 when t is another
 * transport (or wrapped by another). */
uint16_t gatt_smp_att_mtu(const struct smp_link *t);
/* Changes what mtu() reports, for instance to the device's buffer size
 * learnt from mcumgr parameters (a device with Bluetooth reassembly takes
 * packets of up to that size, split into MTU-3 pieces). Does nothing when
 * t is another transport. */
void gatt_smp_set_packet_max(struct smp_link *t, size_t packet_max);

#endif
