/* The request/response engine shared by every command: it numbers requests,
 * keeps up to a window of them in flight, matches each response to its
 * request by sequence, group and command, drops strays and duplicates,
 * resends on timeout and falls back to one request in flight when a device
 * drops requests it claimed it could buffer. */
#ifndef SMP_ENGINE_H
#define SMP_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "smp/cbor_read.h"
#include "smp/cbor_write.h"
#include "smp/header.h"
#include "smp/status.h"
#include "smp/transport.h"

#define SMP_MAX_WINDOW 16
#define SMP_MAX_PACKET 65543 /* u16 payload length + header */

enum smp_result {
	SMP_OK = 0,
	SMP_E_DEVICE = -1,    /* the device answered with rc or err: see status */
	SMP_E_TIMEOUT = -2,   /* no answer after every retry */
	SMP_E_TRANSPORT = -3, /* the link failed */
	SMP_E_PROTOCOL = -4,  /* an answer that cannot be decoded */
	SMP_E_NOMEM = -5,
	SMP_E_BUSY = -6,      /* window full, or nothing in flight to wait for */
	SMP_E_TOOBIG = -7,    /* request larger than the transport or device takes */
	SMP_E_CANCELLED = -8, /* the caller stopped it */
};

struct smp_engine_cfg {
	int timeout_ms;	 /* per attempt */
	int retries;	 /* resends after a timeout */
	uint8_t version; /* version to start with: SMP_V2 unless forced */
	unsigned window; /* most requests in flight, 1..SMP_MAX_WINDOW */
	/* -v diagnostics; may be NULL. */
	void (*trace)(void *arg, const char *msg);
	void *trace_arg;
};

struct smp_request {
	uint8_t op; /* SMP_OP_READ or SMP_OP_WRITE */
	uint16_t group;
	uint8_t id;
	/* The payload, an encoded map: either body[0..body_len) (NULL sends
	 * an empty map), or written by encode straight into the packet
	 * buffer, which saves a copy of a chunk's data. encode returns 0,
	 * or -1 to refuse (the writer being full means too big). */
	const uint8_t *body;
	size_t body_len;
	int (*encode)(void *arg, struct smp_cbor_writer *w);
	void *encode_arg;
	int timeout_ms; /* per attempt; 0 = cfg.timeout_ms */
	int retries;	/* resends; 0 = cfg.retries, < 0 = none (the caller
				 * resends, and keeps the window) */
	uintptr_t tag;	/* the caller's, returned in the response */
};

struct smp_response {
	int result; /* enum smp_result */
	uintptr_t tag;
	struct smp_header hdr;
	/* The answer's map, checked whole, viewed in the packet it came in:
	 * valid until the next call into the engine (the blocking calls
	 * reuse the receive buffer), or as long as the caller's packet
	 * given to smp_engine_input. */
	struct smp_cbor body;
	struct smp_status status;
	char detail[192]; /* why, for PROTOCOL / TRANSPORT / TIMEOUT */
};

struct smp_slot {
	bool used;
	bool sent; /* false: queued for (re)sending */
	uint8_t seq;
	uint8_t op, id;
	uint16_t group;
	int retries_left;
	bool caller_resends; /* retries < 0: no window fallback either */
	int attempts;
	int timeout_ms;
	int64_t deadline_ms;
	uintptr_t tag;
	uint64_t order; /* submission order, to resend oldest first */
	uint8_t *pkt;	/* this slot's part of the caller's transmit buffer */
	size_t pkt_len;
};

/* The engine's memory, all the caller's: a receive buffer for the
 * blocking calls (smp_next, smp_call; none is needed when the caller
 * feeds packets to smp_engine_input), and a transmit buffer split into
 * tx_slots equal parts, one per request in flight (a request is kept
 * until answered, to resend it). Each part holds one whole packet. */
struct smp_engine_mem {
	uint8_t *rx;
	size_t rx_cap;
	uint8_t *tx;
	size_t tx_cap;
	unsigned tx_slots; /* 1..SMP_MAX_WINDOW; 0: 1 */
};

struct smp_stats {
	unsigned long requests, responses, resends, timeouts;
	unsigned long strays, duplicates;
	unsigned long long bytes_out, bytes_in;
};

struct smp_engine {
	struct smp_link *transport;
	struct smp_engine_cfg cfg;
	uint8_t version; /* current; drops to SMP_V1 if the device answers so */
	unsigned window; /* current; drops to 1 if the device loses requests */
	uint8_t next_seq;
	uint64_t next_order;
	struct smp_slot slots[SMP_MAX_WINDOW];
	struct smp_engine_mem mem;
	unsigned nslots; /* slots the transmit buffer gives */
	size_t slot_cap;
	struct smp_stats stats;
};

void smp_engine_cfg_defaults(struct smp_engine_cfg *cfg);
/* Allocates nothing: every byte the engine uses is in e and mem. The
 * window is capped at mem->tx_slots. */
int smp_engine_init(struct smp_engine *e, struct smp_link *t, const struct smp_engine_cfg *cfg,
		    const struct smp_engine_mem *mem);
/* Forgets every request in flight. */
void smp_engine_fini(struct smp_engine *e);

/* The event-driven engine, for a caller without a thread to block in (a
 * Zephyr work queue, a super-loop): it hands over each packet the link
 * delivers, and calls smp_engine_expire once smp_engine_deadline has
 * come. Both return 1 when rsp completes a request (answered, failed for
 * good or not sent), else 0. smp_next and smp_call are these in a loop
 * over the link's blocking recv. */
int smp_engine_input(struct smp_engine *e, const uint8_t *pkt, size_t len,
		     struct smp_response *rsp);
int smp_engine_expire(struct smp_engine *e, struct smp_response *rsp);
/* When smp_engine_expire next has work, on the smp_clock_ms() scale;
 * INT64_MAX when nothing is in flight. */
int64_t smp_engine_deadline(const struct smp_engine *e);

/* Sends req if the window has room. SMP_OK, SMP_E_BUSY (window full),
 * SMP_E_TOOBIG, SMP_E_NOMEM or SMP_E_TRANSPORT. */
int smp_submit(struct smp_engine *e, const struct smp_request *req);
/* Waits until one request in flight completes, successfully or not, and
 * returns its result (also in rsp->result). */
int smp_next(struct smp_engine *e, struct smp_response *rsp);
/* Submit and wait, for one request at a time. */
int smp_call(struct smp_engine *e, const struct smp_request *req, struct smp_response *rsp);

unsigned smp_inflight(const struct smp_engine *e);
/* Forgets every request in flight: answers to them are then strays. */
void smp_cancel_all(struct smp_engine *e);
/* Capped at the transmit slots the caller gave. */
void smp_set_window(struct smp_engine *e, unsigned window);
/* Payload bytes a request may carry: MTU less the header. */
size_t smp_max_payload(const struct smp_engine *e);

void smp_response_clear(struct smp_response *rsp);
const char *smp_result_name(int result);

#endif
