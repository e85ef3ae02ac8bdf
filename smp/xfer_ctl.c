#include "smp/xfer_ctl.h"

#include <string.h>

#include "smp/clock.h"
#include "smp/fmt.h"
#include "smp/say.h"
#include "smp/xfer_probe.h"

#define note(c, ...) smp_sayf((c)->note, (c)->note_arg, __VA_ARGS__)

/* A window that failed right after growing to it waits twice as many
 * clean rounds before the next try, up to 2^MAX_BACKOFF rounds. */
#define MAX_BACKOFF 9
/* Losses in a row without the device getting further. */
#define MAX_STALLS 12
/* Adaptive timeout bounds once round trips are known. */
#define RTO_MIN_MS 100
/* Timeouts within 8 clean answers that unprove a packet size: more
 * than random loss would cause. */
#define SIZE_TIMEOUTS 3

void smp_xfer_init(struct smp_xfer_ctl *c, struct smp_engine *e, const struct smp_xfer_plan *plan,
		   void (*note_fn)(void *, const char *), void *note_arg)
{
	memset(c, 0, sizeof(*c));
	c->e = e;
	c->plan = *plan;
	c->now = plan->start;
	if (c->now.window < 1)
		c->now.window = 1;
	if (c->now.window > SMP_MAX_WINDOW)
		c->now.window = SMP_MAX_WINDOW;
	if (c->plan.window_max < c->now.window)
		c->plan.window_max = c->now.window;
	if (c->plan.window_max > SMP_MAX_WINDOW)
		c->plan.window_max = SMP_MAX_WINDOW;
	/* A window an earlier run settled on had failed to grow: the next
	 * step waits a while before trying again. */
	if (plan->start_proven) {
		c->proven = c->now.packet;
		c->level_fails[c->now.window + 1] = 4;
	}
	c->note = note_fn;
	c->note_arg = note_arg;
}

void smp_xfer_set_len(struct smp_xfer_ctl *c, uint64_t len)
{
	c->len = len;
}

bool smp_xfer_is_backpressure(const struct smp_response *rsp)
{
	return rsp->result == SMP_E_DEVICE && rsp->status.kind == SMP_STATUS_RC &&
	       (rsp->status.rc == SMP_MGMT_ERR_ENOMEM || rsp->status.rc == SMP_MGMT_ERR_EBUSY);
}

/* Until a chunk is answered, one at a time: the first answer may wait
 * for an erase and tells where a resumed transfer stands. */
static unsigned window(const struct smp_xfer_ctl *c)
{
	return c->answered && c->proven >= c->now.packet ? c->now.window : 1;
}

static int timeout_ms(const struct smp_xfer_ctl *c)
{
	int rto;

	if (!c->answered)
		return c->plan.first_timeout_ms;
	if (!c->srtt_ms && !c->rttvar_ms)
		return 0;
	/* As TCP: smoothed round trip plus four deviations, and room for
	 * the window's own queueing at the device. */
	rto = ((c->srtt_ms + 4 * c->rttvar_ms) * 2 + RTO_MIN_MS) << c->backoff;
	return rto < c->e->cfg.timeout_ms ? rto : 0;
}

static void rtt_sample(struct smp_xfer_ctl *c, int64_t sent_ms)
{
	int r = (int)(smp_clock_ms() - sent_ms), d;

	if (r < 0)
		r = 0;
	if (!c->srtt_ms && !c->rttvar_ms) {
		c->srtt_ms = r;
		c->rttvar_ms = r / 2 + 1;
		return;
	}
	d = r > c->srtt_ms ? r - c->srtt_ms : c->srtt_ms - r;
	c->rttvar_ms = (3 * c->rttvar_ms + d) / 4;
	c->srtt_ms = (7 * c->srtt_ms + r) / 8;
}

static struct smp_xfer_sent *sent_slot(struct smp_xfer_ctl *c, uintptr_t tag)
{
	return &c->sent[tag % SMP_MAX_WINDOW];
}

static void forget_all(struct smp_xfer_ctl *c)
{
	smp_cancel_all(c->e);
	memset(c->sent, 0, sizeof(c->sent));
}

static int submit(struct smp_xfer_ctl *c, const struct smp_xfer_ops *ops, void *arg)
{
	struct smp_request req;
	struct smp_xfer_sent *s;
	size_t n = 0;
	int rc;

	memset(&req, 0, sizeof(req));
	rc = ops->build(arg, c->next, c->now.packet, &req, &n);
	if (rc != SMP_OK)
		return rc;
	/* The controller resends; the engine's own retries would resend
	 * a chunk the controller has moved past. */
	req.retries = -1;
	req.timeout_ms = timeout_ms(c);
	/* Slot numbers cycle through the table; in flight never exceeds it. */
	while (sent_slot(c, c->tag)->used)
		c->tag++;
	req.tag = c->tag;
	rc = smp_submit(c->e, &req);
	cbor_decref((cbor_item_t **)&req.body);
	if (rc != SMP_OK)
		return rc;
	s = sent_slot(c, c->tag++);
	*s = (struct smp_xfer_sent){ true,	     c->next,	     n,		 c->now.packet,
				     smp_clock_ms(), req.timeout_ms, c->order++, 0 };
	c->st.chunks++;
	if (c->next < c->sent_hi)
		c->st.resends++;
	c->next += n;
	if (c->next > c->sent_hi)
		c->sent_hi = c->next;
	return SMP_OK;
}

static bool more_to_send(const struct smp_xfer_ctl *c)
{
	return c->next < c->len || (!c->answered && smp_inflight(c->e) == 0);
}

static int fill(struct smp_xfer_ctl *c, const struct smp_xfer_ops *ops, void *arg)
{
	int rc;

	smp_set_window(c->e, window(c));
	while (more_to_send(c) && smp_inflight(c->e) < window(c)) {
		rc = submit(c, ops, arg);
		if (rc == SMP_E_BUSY)
			break;
		if (rc != SMP_OK) {
			if (!c->detail[0])
				smp_fmt(c->detail, sizeof(c->detail), "cannot send a chunk: %s",
					smp_result_name(rc));
			return rc;
		}
	}
	return SMP_OK;
}

/* Cuts the window and goes on from where the device is. */
static int loss(struct smp_xfer_ctl *c, uint64_t at, const char *why)
{
	c->st.losses++;
	if (at > c->done)
		c->stalls = 0;
	if (++c->stalls > MAX_STALLS) {
		smp_fmt(c->detail, sizeof(c->detail), "the transfer keeps losing chunks (%s)", why);
		return SMP_E_PROTOCOL;
	}
	/* Lost within the first rounds at a window it just grew to (the
	 * signal of a dropped request comes a round later): that window is
	 * too large, for now. */
	if (c->since_grow <= 2 * c->now.window && c->level_fails[c->now.window] < MAX_BACKOFF)
		c->level_fails[c->now.window]++;
	/* Even a window given with -w halves: it is a ceiling, and a device
	 * that is out of buffers cannot be made to take more. */
	if (c->now.window > 1)
		c->now.window = (c->now.window + 1) / 2;
	c->since_grow = SMP_MAX_WINDOW;
	c->clean = 0;
	forget_all(c);
	c->done = at;
	c->next = at;
	note(c, "transfer: %s: resending from %llu, window %u", why, (unsigned long long)at,
	     c->now.window);
	return SMP_OK;
}

/* A timeout before the packet size was proven, or the device saying the
 * packet came cut: try a smaller one. */
static int shrink(struct smp_xfer_ctl *c, size_t lost, const char *why)
{
	size_t lo = c->proven ? c->proven : SMP_XFER_MIN_PACKET, smaller;

	if (lost < c->failed || !c->failed)
		c->failed = lost;
	/* A quarter less until one works, then bisect towards the limit. */
	smaller = c->proven ? (c->proven + c->failed) / 2 : c->failed * 3 / 4;
	if (c->proven && smaller < c->proven + 16)
		smaller = c->proven;
	if (smaller < lo || smaller < SMP_XFER_MIN_PACKET) {
		smp_fmt(c->detail, sizeof(c->detail), "no answer even to %zu-byte packets",
			c->failed);
		return SMP_E_TIMEOUT;
	}
	note(c, "transfer: %s to a %zu-byte packet: retrying with %zu", why, lost, smaller);
	c->now.packet = smaller;
	c->st.shrinks++;
	forget_all(c);
	c->next = c->done;
	return SMP_OK;
}

/* Where to go on from: what the caller holds in order, or the offset
 * the device gave. */
static uint64_t resume_point(const struct smp_xfer_ctl *c, uint64_t at)
{
	return c->ops->prefix ? c->ops->prefix(c->arg) : at;
}

static void clean_answer(struct smp_xfer_ctl *c)
{
	c->stalls = 0;
	if (++c->clean_total % 8 == 0)
		c->size_timeouts = 0;
	c->backoff = 0;
	c->full_timeouts = 0;
	if (c->now.window >= c->plan.window_max)
		return;
	c->since_grow++;
	/* One round per step, as TCP, times the backoff of the next step. */
	if (++c->clean < c->now.window << c->level_fails[c->now.window + 1])
		return;
	/* This window held for its whole wait: it is good again. */
	if (c->level_fails[c->now.window])
		c->level_fails[c->now.window]--;
	c->clean = 0;
	c->since_grow = 0;
	c->now.window++;
	c->st.grows++;
	if (c->now.window > c->st.window_peak)
		c->st.window_peak = c->now.window;
}

static int on_answer(struct smp_xfer_ctl *c, const struct smp_xfer_ops *ops, void *arg,
		     const struct smp_response *rsp, const struct smp_xfer_sent *s)
{
	uint64_t at = 0, end = s->off + s->n;

	if (ops->take(arg, rsp, s->off, s->n, &at) != SMP_XFER_TAKEN)
		return SMP_E_PROTOCOL;
	rtt_sample(c, s->at_ms);
	if (s->packet > c->proven)
		c->proven = s->packet;
	if (c->failed && c->failed <= c->proven)
		c->failed = 0;
	c->answered = true;
	if (at == end) {
		c->done = resume_point(c, at > c->done ? at : c->done);
		clean_answer(c);
		return SMP_OK;
	}
	if (at < end) {
		char why[80];

		smp_fmt(why, sizeof(why), "device expects offset %llu, not %llu",
			(unsigned long long)at, (unsigned long long)end);
		return loss(c, resume_point(c, at), why);
	}
	/* Ahead: the device has more than was sent (a resumed upload). */
	c->done = resume_point(c, at);
	if (c->next < at) {
		forget_all(c);
		c->next = at;
	}
	return SMP_OK;
}

static bool is_cut(const struct smp_response *rsp)
{
	return rsp->result == SMP_E_DEVICE && rsp->status.kind == SMP_STATUS_RC &&
	       (rsp->status.rc == SMP_MGMT_ERR_ECORRUPT || rsp->status.rc == SMP_MGMT_ERR_EMSGSIZE);
}

static int on_failure(struct smp_xfer_ctl *c, const struct smp_xfer_ops *ops, void *arg,
		      const struct smp_response *rsp, const struct smp_xfer_sent *s)
{
	uint64_t at;

	if (rsp->result == SMP_E_TIMEOUT) {
		if (!c->plan.pin_packet && s->packet > c->proven)
			return shrink(c, s->packet, "no answer");
		/* A short timeout doubles until it is the engine's; only
		 * those count against the retries. */
		if (s->timeout_ms) {
			if (c->backoff < 8)
				c->backoff++;
		} else if (++c->full_timeouts > (unsigned)c->e->cfg.retries) {
			smp_fmt(c->detail, sizeof(c->detail), "%s", rsp->detail);
			return SMP_E_TIMEOUT;
		}
		/* A size that got through once but keeps going unanswered
		 * was proven by luck (a polled device's phase): try smaller. */
		if (!c->plan.pin_packet && ++c->size_timeouts >= SIZE_TIMEOUTS &&
		    s->packet * 3 / 4 >= SMP_XFER_MIN_PACKET) {
			c->size_timeouts = 0;
			c->proven = 0;
			return shrink(c, s->packet, "repeated silence");
		}
		return loss(c, resume_point(c, c->done), "no answer");
	}
	if (smp_xfer_is_backpressure(rsp))
		return loss(c, resume_point(c, c->done), "device busy");
	/* The device got less than was sent: even a packet size given with
	 * -m gives way to that. */
	if (is_cut(rsp) && s->packet > c->proven)
		return shrink(c, s->packet, "the device refused");
	if (rsp->result == SMP_E_DEVICE && ops->where) {
		forget_all(c);
		if (ops->where(arg, rsp, &at)) {
			if (at > c->len) {
				smp_fmt(c->detail, sizeof(c->detail),
					"the device has %llu bytes, more than the %llu being sent",
					(unsigned long long)at, (unsigned long long)c->len);
				return SMP_E_PROTOCOL;
			}
			return loss(c, at, "device is elsewhere");
		}
	}
	c->status = rsp->status;
	if (!c->detail[0])
		smp_fmt(c->detail, sizeof(c->detail), "%s", rsp->detail);
	return rsp->result;
}

/* Answers overtook an older request: like TCP's duplicate ACKs, that
 * says it was lost, sooner than its timeout would. Links here keep order;
 * two answers passing it allow for one reordering. */
static bool overtaken(struct smp_xfer_ctl *c, const struct smp_xfer_sent *answered)
{
	unsigned i, need = c->now.window > 2 ? 2 : 1;
	bool lost = false;

	for (i = 0; i < SMP_MAX_WINDOW; i++) {
		struct smp_xfer_sent *s = &c->sent[i];

		if (s->used && s->order < answered->order && ++s->passed >= need)
			lost = true;
	}
	return lost;
}

static bool finished(const struct smp_xfer_ctl *c)
{
	return c->answered && c->done >= c->len;
}

int smp_xfer_run(struct smp_xfer_ctl *c, const struct smp_xfer_ops *ops, void *arg, uint64_t start,
		 uint64_t len)
{
	struct smp_response rsp;
	struct smp_xfer_sent s;
	int rc = SMP_OK;

	c->ops = ops;
	c->arg = arg;
	c->len = len;
	c->done = c->next = c->sent_hi = start;
	if (c->plan.probe && !c->plan.pin_packet) {
		rc = smp_xfer_probe(c);
		if (rc != SMP_OK)
			goto out;
	}
	while (!finished(c)) {
		rc = fill(c, ops, arg);
		if (rc != SMP_OK)
			break;
		if (smp_inflight(c->e) == 0) {
			c->next = c->done; /* all answered, yet the device is behind */
			continue;
		}
		smp_next(c->e, &rsp);
		s = *sent_slot(c, rsp.tag);
		sent_slot(c, rsp.tag)->used = false;
		rc = rsp.result == SMP_OK ? on_answer(c, ops, arg, &rsp, &s)
					  : on_failure(c, ops, arg, &rsp, &s);
		smp_response_clear(&rsp);
		if (rc == SMP_OK && !finished(c) && overtaken(c, &s))
			rc = loss(c, resume_point(c, c->done), "answers overtook a request");
		if (rc != SMP_OK)
			break;
	}
out:
	forget_all(c);
	if (c->now.window > c->st.window_peak)
		c->st.window_peak = c->now.window;
	return rc;
}

void smp_xfer_describe(const struct smp_xfer_ctl *c, char *buf, size_t cap)
{
	smp_fmt(buf, cap,
		"link: %zu-byte packets, window %u, frame gap %u ms every %u "
		"(%u chunks, %u resent, %u losses, %u shrinks; round trip %d ms)",
		c->now.packet, c->now.window, c->now.gap_ms,
		c->now.gap_burst > 1 ? c->now.gap_burst : 1, c->st.chunks, c->st.resends,
		c->st.losses, c->st.shrinks, c->srtt_ms);
}
