/* One ATT bearer on a connected file descriptor that keeps PDU boundaries
 * (an L2CAP LE socket on the ATT channel, or an AF_UNIX SOCK_SEQPACKET
 * socket): sends PDUs, runs one request at a time to its response, and
 * handles what the peer sends unasked. Notification and indication values
 * go to the layer above through on_value; the peer's own requests get the
 * answers a client owes (its MTU to an Exchange MTU Request, Request Not
 * Supported to anything else) so that the peer's ATT never stalls; each
 * indication is confirmed. */
#ifndef TRANSPORT_ATT_BEARER_H
#define TRANSPORT_ATT_BEARER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "transport/att.h"

enum att_bearer_rc {
	ATT_BEARER_OK = 0,
	ATT_BEARER_TIMEOUT = -1, /* no answer in time */
	ATT_BEARER_LOST = -2,	 /* the link is gone; see err */
	ATT_BEARER_PROTO = -3,	 /* an answer that makes no sense; see err */
};

struct att_bearer {
	int fd;
	uint16_t mtu;	 /* in use: ATT_DEFAULT_MTU until exchanged */
	uint16_t rx_mtu; /* what we offer and can receive */
	bool lost;
	/* Values of notifications and indications, for the layer above. */
	void (*on_value)(void *arg, uint8_t opcode, uint16_t handle, const uint8_t *value,
			 size_t len);
	void *value_arg;
	/* Raises the link's security after an Error Response with ecode
	 * (Insufficient Authentication or Encryption); true when the request
	 * is worth sending again. NULL: no retry. */
	bool (*raise_security)(void *arg, int fd, uint8_t ecode);
	void *security_arg;
	/* -v diagnostics; may be NULL. */
	void (*trace)(void *arg, const char *msg);
	void *trace_arg;
	unsigned long dropped; /* malformed or unexpected PDUs ignored */
	char err[256];
	/* The last PDU received: a response stays here for the caller. */
	size_t pdu_len;
	uint8_t pdu[ATT_MAX_MTU + 1];
};

void att_bearer_init(struct att_bearer *b, int fd, uint16_t rx_mtu);

/* Sends one PDU. ATT_BEARER_OK or ATT_BEARER_LOST. */
int att_bearer_send(struct att_bearer *b, const uint8_t *pdu, size_t len);

/* Sends a request and waits for its response (or an Error Response to
 * it), handling every other PDU that arrives meanwhile. On ATT_BEARER_OK
 * the answer is in b->pdu / b->pdu_len until the next call. */
int att_bearer_request(struct att_bearer *b, const uint8_t *req, size_t len, int timeout_ms);

/* Waits up to timeout_ms for one PDU and handles it. ATT_BEARER_OK when
 * one was handled, ATT_BEARER_TIMEOUT, or ATT_BEARER_LOST. */
int att_bearer_poll(struct att_bearer *b, int timeout_ms);

/* Exchange MTU: offers rx_mtu, keeps the smaller of both sides (never
 * below 23). A peer that does not support the exchange leaves 23. */
int att_bearer_exchange_mtu(struct att_bearer *b, int timeout_ms);

#endif
