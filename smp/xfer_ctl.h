/* The one transfer controller behind image upload, fs upload and fs
 * download: it moves a byte range as offset-addressed chunks over the
 * engine and learns the link as it goes.
 *
 * Window and packet size are learned state. Loss is an answer whose
 * offset is behind what was sent, ENOMEM or EBUSY from the device (Zephyr
 * answers ENOMEM in the request's own buffer when its shared net_buf pool
 * is empty: back-pressure, not failure), and a timeout. On loss the window
 * is halved at once, everything in flight is forgotten and sending goes
 * on from the device's offset: one loss, one resend from there, never a
 * loop. After a round of clean answers the window grows by one again
 * (AIMD, as in TCP); a window lost within its first round makes the next
 * growth to it wait twice as long, so a device that really takes one
 * request at a time costs a handful of resends per transfer, not one per
 * round, while random loss lets the window come back.
 *
 * Size and loss are told apart, as TCP keeps path-MTU discovery apart
 * from congestion control. A packet size is proven by the first answer
 * to a packet that large; silence at a proven size is loss, which costs
 * one resend after a timeout from the measured round trip (SRTT + 4
 * RTTVAR, doubled on each timeout in a row, as TCP's RTO). Only silence
 * consistent for a size shrinks it: every try of an unproven size
 * unanswered, or of a proven one while a smaller one passes in between.
 * The size is then bisected between the largest proven and the smallest
 * failed one. Uploads first measure the path with echo requests
 * (smp/xfer_probe.c), with a timeout scaled from a small echo's round
 * trip so a lost probe costs little. */
#ifndef SMP_XFER_CTL_H
#define SMP_XFER_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "smp/engine.h"

/* Below this a packet carries next to nothing besides its fields. */
#define SMP_XFER_MIN_PACKET 96
#define SMP_XFER_MAX_GAP_MS 100

/* What the controller learns about a link, and starts from. */
struct smp_xfer_link {
	size_t packet;	    /* largest SMP packet, header included */
	unsigned window;    /* requests in flight */
	unsigned gap_ms;    /* pause between serial frames of one packet */
	unsigned gap_burst; /* frames between pauses (0: each) */
};

/* Where a transfer starts and what the user fixed. */
struct smp_xfer_plan {
	struct smp_xfer_link start;
	unsigned window_max;		      /* device buffers allow no more (0: start.window) */
	bool pin_packet, pin_window, pin_gap; /* -m, -w, --frame-gap */
	bool probe;			      /* measure the packet size and spacing first */
	bool start_proven;		      /* start.packet got through before (the cache) */
	int first_timeout_ms;		      /* the first answer (slot erase); 0: the engine's */
};

struct smp_xfer_stats {
	unsigned chunks;  /* requests sent */
	unsigned lost;	  /* of them, unanswered or missed by the device */
	unsigned resends; /* of them, for bytes sent before */
	unsigned losses;  /* loss signals acted on */
	unsigned shrinks; /* packet size reductions */
	unsigned grows;	  /* window increases */
	unsigned probes;  /* echo requests of the probe */
	unsigned window_peak;
};

enum smp_xfer_verdict {
	SMP_XFER_TAKEN = 0, /* *at says where the device is */
	SMP_XFER_STOP = 1,  /* the caller's failure: detail and status set */
};

/* What differs between transfers. */
struct smp_xfer_ops {
	/* Request for data at off in a packet of at most packet bytes; *n is
	 * how many data bytes it carries. SMP_OK, SMP_E_TOOBIG (no chunk
	 * fits; set detail), SMP_E_NOMEM or SMP_E_TRANSPORT (the data could
	 * not be read; set detail). What req->body or req->encode_arg points
	 * at must last until the build's request is submitted, which the
	 * controller does at once (the engine copies or encodes the packet
	 * then); a chunk's data is best written by req->encode straight
	 * into the packet (smp_cbor_bytes_open). */
	int (*build)(void *arg, uint64_t off, size_t packet, struct smp_request *req, size_t *n);
	/* A successful answer to the request for [off, off + n): sets *at to
	 * where the device is now (the offset it wants next, or the end of
	 * the prefix received). */
	enum smp_xfer_verdict (*take)(void *arg, const struct smp_response *rsp, uint64_t off,
				      size_t n, uint64_t *at);
	/* A device error that tells where the device is (fs upload's
	 * FILE_OFFSET_NOT_VALID); NULL or false when it does not. Nothing is
	 * in flight during the call: the blocking smp_xfer_run lets it ask
	 * the device; driven by events (smp_xfer_start), it must not block. */
	bool (*where)(void *arg, const struct smp_response *rsp, uint64_t *at);
	/* How much the caller holds in order, when answers may be kept out
	 * of order (download); NULL: the device's offset says it. */
	uint64_t (*prefix)(void *arg);
};

struct smp_xfer_sent {
	bool used;
	uint64_t off;
	size_t n, packet;
	int64_t at_ms;
	int timeout_ms;	 /* 0: the engine's */
	uint32_t order;	 /* when it was sent */
	unsigned passed; /* answers to later requests since */
	uintptr_t tag;	 /* the request's, to know its answer */
};

struct smp_xfer_ctl {
	struct smp_engine *e;
	struct smp_xfer_plan plan;
	const struct smp_xfer_ops *ops;
	void *arg;
	struct smp_xfer_link now;  /* learned so far */
	size_t proven, failed;	   /* packet sizes: largest answered, smallest lost */
	size_t proven_top;	   /* largest size ever answered, for the cache */
	unsigned size_silent;	   /* tries at now.packet unanswered in a row */
	size_t trial, trial_small; /* a proven size in doubt, the smaller one tried */
	bool trial_passed;	   /* ... and the smaller one was answered */
	unsigned trial_misses;	   /* turns the size in doubt missed */
	unsigned clean_since_loss; /* clean answers since the last loss */
	uint64_t len, done, next, sent_hi;
	bool answered;				 /* any chunk answered */
	unsigned clean;				 /* clean answers at this window */
	unsigned since_grow;			 /* answers since the window last grew */
	uint8_t level_fails[SMP_MAX_WINDOW + 2]; /* growth backoff per window */
	unsigned stalls;			 /* losses without progress */
	unsigned backoff, full_timeouts;	 /* timeouts in a row */
	unsigned size_timeouts, clean_total;
	int srtt_ms, rttvar_ms; /* smoothed round trip, 0 until measured */
	bool rtt_measured;	/* (a loopback round trip rounds to 0 ms) */
	uint8_t tag;
	uint32_t order;
	struct smp_xfer_sent sent[SMP_MAX_WINDOW];
	struct smp_xfer_stats st;
	struct smp_status status; /* SMP_E_DEVICE */
	char detail[192];
	void (*note)(void *arg, const char *msg); /* -v */
	void *note_arg;
	/* Measures the link before the first chunk when plan.probe is set:
	 * smp_xfer_probe, which blocks, as smp_xfer_run sets it; NULL for a
	 * caller driven by events. Apart, so that such a caller links no
	 * probe. */
	int (*probe)(struct smp_xfer_ctl *c);
};

void smp_xfer_init(struct smp_xfer_ctl *c, struct smp_engine *e, const struct smp_xfer_plan *plan,
		   void (*note)(void *, const char *), void *note_arg);
/* Moves [start, len). An empty range still takes one request (which
 * creates an empty file). The engine is the transfer's alone while it
 * runs: a loss forgets everything in flight (smp_cancel_all).
 *
 * Driven by events, for a caller without a thread to block in:
 * smp_xfer_start submits what the window allows; each completion the
 * engine gives (smp_engine_input, smp_engine_expire) goes to
 * smp_xfer_on_response, which submits more. Both return SMP_OK while the
 * transfer goes on, or its failure (with detail; nothing stays in
 * flight). The transfer is over when smp_xfer_finished says so. The
 * event-driven start cannot measure the link first: plan.probe must be
 * false (or pin_packet set), else it returns SMP_E_BUSY, unless c->probe
 * is set (then it blocks in it first). */
int smp_xfer_start(struct smp_xfer_ctl *c, const struct smp_xfer_ops *ops, void *arg,
		   uint64_t start, uint64_t len);
/* A response that is not the transfer's (smp_xfer_owns) is ignored when
 * it succeeded and ends the transfer with its result when it failed. */
int smp_xfer_on_response(struct smp_xfer_ctl *c, const struct smp_response *rsp);
bool smp_xfer_finished(const struct smp_xfer_ctl *c);
/* True when rsp completes one of the transfer's requests. */
bool smp_xfer_owns(const struct smp_xfer_ctl *c, const struct smp_response *rsp);
/* The blocking form (smp/xfer_run.c): the probe (plan.probe), then
 * smp_xfer_start and smp_xfer_on_response over smp_next until finished.
 * Returns SMP_OK or the failure, with detail. */
int smp_xfer_run(struct smp_xfer_ctl *c, const struct smp_xfer_ops *ops, void *arg, uint64_t start,
		 uint64_t len);
/* For take(): the size becomes known with the first answer (download). */
void smp_xfer_set_len(struct smp_xfer_ctl *c, uint64_t len);
/* True when the transfer lost more than a few percent of its requests:
 * its window and spacing then say more of the loss than of the device. */
bool smp_xfer_lossy(const struct smp_xfer_ctl *c);
/* What is true of the link, to keep for the next run: the packet size
 * answered (never one shrunk on a lossy run: the largest answered), and
 * the window and spacing learned, or those it started from when the run
 * was lossy. Packet 0: nothing worth keeping (a lossy run never got an
 * answer at the size it started from). */
void smp_xfer_learned(const struct smp_xfer_ctl *c, struct smp_xfer_link *out);
/* One line on what was learned, for -v. */
void smp_xfer_describe(const struct smp_xfer_ctl *c, char *buf, size_t cap);

/* True for the device errors that mean "slow down". */
bool smp_xfer_is_backpressure(const struct smp_response *rsp);

#endif
