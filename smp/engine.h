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
#include <cbor.h>

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
	SMP_E_BUSY = -6,   /* window full, or nothing in flight to wait for */
	SMP_E_TOOBIG = -7, /* request larger than the transport or device takes */
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
	const cbor_item_t *body; /* a map; NULL sends an empty map */
	int timeout_ms;		 /* per attempt; 0 = cfg.timeout_ms */
	int retries;		 /* resends; 0 = cfg.retries, < 0 = none (the caller
				 * resends, and keeps the window) */
	uintptr_t tag;		 /* the caller's, returned in the response */
};

struct smp_response {
	int result; /* enum smp_result */
	uintptr_t tag;
	struct smp_header hdr;
	cbor_item_t *body; /* decoded map, freed by smp_response_clear */
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
	uint8_t *pkt;
	size_t pkt_len;
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
	uint8_t *rxbuf;
	struct smp_stats stats;
};

void smp_engine_cfg_defaults(struct smp_engine_cfg *cfg);
int smp_engine_init(struct smp_engine *e, struct smp_link *t, const struct smp_engine_cfg *cfg);
void smp_engine_fini(struct smp_engine *e);

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
void smp_set_window(struct smp_engine *e, unsigned window);
/* Payload bytes a request may carry: MTU less the header. */
size_t smp_max_payload(const struct smp_engine *e);

void smp_response_clear(struct smp_response *rsp);
const char *smp_result_name(int result);

#endif
