/* The device's SMP buffer pool and its one work queue, as Zephyr's
 * subsys/mgmt/mcumgr/transport/src/smp.c has them, for frontends:
 *
 *   - one pool of CONFIG_MCUMGR_TRANSPORT_NETBUF_COUNT buffers
 *     (sim_config.buf_count) serves every request and every answer. A
 *     transport takes one to receive a request into (smp_packet_alloc, no
 *     wait) and drops the request when there is none;
 *   - received requests wait in the queue (smp_rx_req: a k_fifo and one
 *     k_work on the "mcumgr smp" work queue) and are processed one at a
 *     time. Processing takes a second buffer for the answer
 *     (smp_alloc_rsp); when none is left the request is not run and
 *     smp_on_err() answers MGMT_ERR_ENOMEM (rc 2) in the request's own
 *     buffer;
 *   - processing takes a service time (sim_config's request_us, and the
 *     flash writes and erases the request caused, see sim_cost_*): its
 *     answer goes out, and its buffers come back, only then.
 *
 * Frontends call sim_wq_run() whenever they wake up; it is cheap. */
#ifndef SIM_WQ_H
#define SIM_WQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tests/sim/sim.h"

/* A pool buffer held by a frontend (a request being received). It stays
 * valid until the device reboots, which empties the pool. */
struct sim_buf_ref {
	bool held;
	unsigned boot;
};

/* Takes a buffer. Returns false when none is free: the frontend drops
 * what it was receiving. */
bool sim_pool_take(struct sim_device *dev, struct sim_buf_ref *ref);
/* Gives a buffer back (no-op when not held or taken before a reboot). */
void sim_pool_give(struct sim_device *dev, struct sim_buf_ref *ref);
unsigned sim_pool_free(const struct sim_device *dev);

/* Answers of a queued request go to emit(ctx, tag, ...): tag is the
 * frontend's copy of where the request came from (UDP peer...). */
typedef void (*sim_wq_emit_fn)(void *ctx, const void *tag, size_t tag_len, const uint8_t *pkt,
			       size_t len);

/* smp_rx_req: queues a whole request, which holds the buffer in ref (the
 * queue takes it over; ref is cleared). Without a held buffer the request
 * is dropped. Returns 0, or -1 when dropped. */
int sim_wq_submit(struct sim_device *dev, struct sim_buf_ref *ref, const uint8_t *pkt, size_t len,
		  const void *tag, size_t tag_len, sim_wq_emit_fn emit, void *ctx);
/* Takes a buffer and queues: sim_pool_take then sim_wq_submit. */
int sim_wq_receive(struct sim_device *dev, const uint8_t *pkt, size_t len, const void *tag,
		   size_t tag_len, sim_wq_emit_fn emit, void *ctx);
/* Sends the answers that are due and starts the next requests. */
void sim_wq_run(struct sim_device *dev);
/* Milliseconds until sim_wq_run has something to do, -1 for nothing. */
int sim_wq_next_ms(struct sim_device *dev);
/* True while a request is being processed or waits in the queue. */
bool sim_wq_busy(const struct sim_device *dev);
/* Forgets every request queued by the frontend ctx (it went away). */
void sim_wq_forget(struct sim_device *dev, void *ctx);

/* Service time of the request being processed: flash work it caused. */
void sim_cost_write(struct sim_device *dev, uint64_t bytes);
void sim_cost_erase(struct sim_device *dev, uint64_t sectors);

/* Counters for tests. */
struct sim_wq_stats {
	unsigned long dropped_no_buf; /* receptions without a free buffer */
	unsigned long enomem;	      /* answered MGMT_ERR_ENOMEM */
	unsigned long processed;
};
const struct sim_wq_stats *sim_wq_stats(const struct sim_device *dev);

#endif
