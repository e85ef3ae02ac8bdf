/* A scripted transport for engine tests: every packet sent is handed to a
 * responder that may queue answers; recv hands them back in order. */
#ifndef FAKE_TRANSPORT_H
#define FAKE_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "smp/transport.h"

#define FAKE_MAX_QUEUE 64
#define FAKE_MAX_PKT 4096

struct fake_transport;
typedef void (*fake_responder)(struct fake_transport *f, const uint8_t *req, size_t len);

struct fake_transport {
	fake_responder respond;
	size_t mtu;
	uint8_t queue[FAKE_MAX_QUEUE][FAKE_MAX_PKT];
	size_t queue_len[FAKE_MAX_QUEUE];
	size_t head, count;
	unsigned sent;	  /* packets the engine sent */
	unsigned dropped; /* packets the responder chose to ignore */
	bool busy;	  /* for the one-at-a-time responder */
	int fail_send;	  /* nonzero: send fails */
	void *user;
};

void fake_init(struct fake_transport *f, struct smp_link *t, fake_responder respond);
void fake_push(struct fake_transport *f, const uint8_t *pkt, size_t len);
/* Answers req with a response header (op + 1, same group/id/seq, given
 * version) and the given CBOR payload. */
void fake_answer(struct fake_transport *f, const uint8_t *req, uint8_t version,
		 const uint8_t *payload, size_t payload_len);

#endif
