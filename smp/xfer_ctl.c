#include "smp/xfer_ctl.h"

#include <string.h>

#include "smp/clock.h"
#include "smp/fmt.h"
#include "smp/say.h"

#define note(c, ...) smp_sayf((c)->note, (c)->note_arg, __VA_ARGS__)

/* A window that failed right after growing to it waits twice as many
 * clean rounds before the next try, up to 2^MAX_BACKOFF rounds. */
#define MAX_BACKOFF 9
/* Losses in a row without the device getting further. */
#define MAX_STALLS 12
/* The least slack of the adaptive timeout over the smoothed round trip,
 * as TCP's clock granularity G in max(G, 4 RTTVAR): a device whose round
 * trip never varies still writes flash a little slower now and then. */
#define RTO_SLACK_MS 20
/* Tries of one size unanswered in a row before the size is in doubt: at
 * 10 % loss each way, three in a row happen once in 140 tries. */
#define SIZE_SILENCES 3
/* Most turns a size in doubt is given before it shrinks. */
#define MAX_MISSES 8
/* Lost requests, percent, above which a run is lossy (smp_xfer_lossy). */
#define LOSSY_PERCENT 3

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
	int rto, var;

	if (!c->answered)
		return c->plan.first_timeout_ms;
	if (!c->rtt_measured)
		return 0;
	/* As TCP (RFC 6298): smoothed round trip plus four deviations, at
	 * least the slack and a quarter of the round trip; doubled for each
	 * timeout in a row. The samples already hold the window's queueing
	 * at the device. */
	var = 4 * c->rttvar_ms;
	if (var < RTO_SLACK_MS + c->srtt_ms / 4)
		var = RTO_SLACK_MS + c->srtt_ms / 4;
	rto = (c->srtt_ms + var) << c->backoff;
	return rto < c->e->cfg.timeout_ms ? rto : 0;
}

static void rtt_sample(struct smp_xfer_ctl *c, int64_t sent_ms)
{
	int r = (int)(smp_clock_ms() - sent_ms), d;

	if (r < 0)
		r = 0;
	if (!c->rtt_measured) {
		c->rtt_measured = true;
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
	if (rc != SMP_OK)
		return rc;
	s = sent_slot(c, c->tag);
	*s = (struct smp_xfer_sent){ true,	     c->next,	 n, c->now.packet, smp_clock_ms(),
				     req.timeout_ms, c->order++, 0, c->tag++ };
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

/* Whether a loss says the window is too large: the device out of buffers,
 * a window just grown to, or losses closer than a round apart. A loss at
 * a window that held for rounds is the link's, and the window that keeps
 * the link busy is what makes it cheap (the next answer tells of it, not
 * a timeout). */
static bool window_too_large(const struct smp_xfer_ctl *c, bool busy)
{
	return busy || c->since_grow <= 2 * c->now.window ||
	       c->clean_since_loss < 2 * c->now.window;
}

/* Cuts the window if the loss says so, and goes on from where the device
 * is. */
static int loss(struct smp_xfer_ctl *c, uint64_t at, bool busy, const char *why)
{
	bool cut = window_too_large(c, busy);

	c->st.losses++;
	if (!busy)
		c->st.lost++;
	c->clean_since_loss = 0;
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
	if (cut && c->now.window > 1)
		c->now.window = (c->now.window + 1) / 2;
	if (cut)
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
	note(c, "transfer: %s to %zu-byte packets: retrying with %zu", why, lost, smaller);
	c->now.packet = smaller;
	c->size_silent = 0;
	c->trial = 0;
	c->trial_passed = false;
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
	c->clean_since_loss++;
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

/* An answer to a packet this large: the size in doubt, if any, is settled
 * for now, or a smaller size passed while it is in doubt. */
static void size_answered(struct smp_xfer_ctl *c, size_t packet)
{
	if (!c->trial) {
		if (packet >= c->now.packet)
			c->size_silent = 0;
		return;
	}
	if (packet >= c->trial) {
		c->size_silent = 0;
		c->trial = 0;
		c->trial_passed = false;
	} else if (packet == c->trial_small && !c->trial_passed) {
		c->trial_passed = true;
		c->now.packet = c->trial;
	}
}

/* Misses of a size in doubt, each after a smaller size passed, that loss
 * at the rate seen so far would cause less than once in a thousand. */
static unsigned misses_needed(const struct smp_xfer_ctl *c)
{
	unsigned long chance = 1000000,
		      rate = c->st.chunks ? c->st.lost * 1000ul / c->st.chunks : 0;
	unsigned k;

	for (k = 1; k < MAX_MISSES && chance >= 1000; k++)
		chance = chance * rate / 1000;
	return k > 2 ? k : 2;
}

/* Silence to a packet of the size in use. Unproven: SIZE_SILENCES tries
 * in a row unanswered shrink it. Proven: as many put it in doubt. Then
 * the size and a smaller one take turns; only when the size misses every
 * turn while the smaller one passes, more often than the link's loss
 * explains, is it too large after all (a polled device that let it
 * through by luck of phase). One answer to it ends the doubt. */
static int size_silence(struct smp_xfer_ctl *c, size_t packet)
{
	size_t smaller = packet * 3 / 4;

	if (c->plan.pin_packet || packet != c->now.packet)
		return 0;
	if (c->trial == packet && c->trial_passed) {
		if (++c->trial_misses >= misses_needed(c)) {
			c->proven = c->trial_small;
			return 1;
		}
		c->trial_passed = false;
		c->now.packet = c->trial_small;
		return 0;
	}
	if (++c->size_silent < SIZE_SILENCES)
		return 0;
	if (packet > c->proven)
		return 1;
	/* The smaller size as silent as the one in doubt: the proof was
	 * luck, and nothing this large is proven. */
	if (c->trial && packet == c->trial_small) {
		c->proven = 0;
		return 1;
	}
	if (!c->trial && smaller >= SMP_XFER_MIN_PACKET) {
		c->size_silent = 0;
		c->trial = packet;
		c->trial_small = smaller;
		c->trial_passed = false;
		c->trial_misses = 0;
		c->now.packet = smaller;
		note(c, "transfer: %u tries of %zu-byte packets unanswered: trying %zu beside it",
		     c->size_silent, packet, smaller);
	}
	return 0;
}

static int on_answer(struct smp_xfer_ctl *c, const struct smp_xfer_ops *ops, void *arg,
		     const struct smp_response *rsp, const struct smp_xfer_sent *s)
{
	uint64_t at = 0, end = s->off + s->n;

	if (ops->take(arg, rsp, s->off, s->n, &at) != SMP_XFER_TAKEN)
		return SMP_E_PROTOCOL;
	/* Any answer shows the device alive: the timeout backs off no more
	 * (as TCP's on a new acknowledgement). */
	c->backoff = 0;
	c->full_timeouts = 0;
	/* The first answer waited for the slot's erase: no round trip. */
	if (c->answered)
		rtt_sample(c, s->at_ms);
	size_answered(c, s->packet);
	if (s->packet > c->proven)
		c->proven = s->packet;
	if (s->packet > c->proven_top)
		c->proven_top = s->packet;
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
		return loss(c, resume_point(c, at), false, why);
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

/* Timeouts in a row at the engine's full length before the device counts
 * as gone. Before any answer, a size proven by an earlier run may be the
 * silence's cause: room to try it and a smaller one (size_silence). */
static unsigned full_timeouts_allowed(const struct smp_xfer_ctl *c)
{
	unsigned n = (unsigned)c->e->cfg.retries;

	return c->answered || !c->plan.start_proven || c->plan.pin_packet ? n
									  : n + 2 * SIZE_SILENCES;
}

static int on_failure(struct smp_xfer_ctl *c, const struct smp_xfer_ops *ops, void *arg,
		      const struct smp_response *rsp, const struct smp_xfer_sent *s)
{
	uint64_t at;
	int rc;

	if (rsp->result == SMP_E_TIMEOUT) {
		bool unproven = s->packet > c->proven;

		/* A short timeout doubles until it is the engine's; only
		 * those count against the retries. Silence to an unproven
		 * size tells of the size, not of the device. */
		if (s->timeout_ms) {
			if (c->backoff < 8)
				c->backoff++;
		} else if (!unproven && ++c->full_timeouts > full_timeouts_allowed(c)) {
			smp_fmt(c->detail, sizeof(c->detail), "%s", rsp->detail);
			return SMP_E_TIMEOUT;
		}
		if (size_silence(c, s->packet))
			return shrink(c, s->packet, "every try unanswered");
		rc = loss(c, resume_point(c, c->done), false, "no answer");
		/* Lost again and again with no answer at all: the device is
		 * silent, which is a timeout, not an answer that made no sense. */
		return rc == SMP_E_PROTOCOL ? SMP_E_TIMEOUT : rc;
	}
	if (smp_xfer_is_backpressure(rsp))
		return loss(c, resume_point(c, c->done), true, "device busy");
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
			return loss(c, at, true, "device is elsewhere");
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

bool smp_xfer_finished(const struct smp_xfer_ctl *c)
{
	return c->answered && c->done >= c->len;
}

bool smp_xfer_owns(const struct smp_xfer_ctl *c, const struct smp_response *rsp)
{
	const struct smp_xfer_sent *s = &c->sent[rsp->tag % SMP_MAX_WINDOW];

	return s->used && s->tag == rsp->tag;
}

/* Fills the window. All answered, yet the device behind: from where it
 * is. Two turns always put a request in flight; a third is a fault. */
static int pump_more(struct smp_xfer_ctl *c)
{
	int rc, turn;

	for (turn = 0; turn < 3; turn++) {
		rc = fill(c, c->ops, c->arg);
		if (rc != SMP_OK || smp_xfer_finished(c) || smp_inflight(c->e) > 0)
			return rc;
		c->next = c->done;
	}
	smp_fmt(c->detail, sizeof(c->detail), "the transfer has nothing to send at %llu of %llu",
		(unsigned long long)c->done, (unsigned long long)c->len);
	return SMP_E_PROTOCOL;
}

/* What ends a run either way: nothing of it stays in flight. */
static void end(struct smp_xfer_ctl *c)
{
	forget_all(c);
	if (c->now.window > c->st.window_peak)
		c->st.window_peak = c->now.window;
}

static void begin(struct smp_xfer_ctl *c, const struct smp_xfer_ops *ops, void *arg, uint64_t start,
		  uint64_t len)
{
	c->ops = ops;
	c->arg = arg;
	c->len = len;
	c->done = c->next = c->sent_hi = start;
}

int smp_xfer_start(struct smp_xfer_ctl *c, const struct smp_xfer_ops *ops, void *arg,
		   uint64_t start, uint64_t len)
{
	int rc = SMP_OK;

	begin(c, ops, arg, start, len);
	if (c->plan.probe && !c->plan.pin_packet && !c->probe) {
		smp_fmt(c->detail, sizeof(c->detail),
			"an event-driven transfer cannot probe the link (plan.probe)");
		return SMP_E_BUSY;
	}
	if (c->plan.probe && !c->plan.pin_packet)
		rc = c->probe(c);
	if (rc == SMP_OK)
		rc = pump_more(c);
	if (rc != SMP_OK)
		end(c);
	return rc;
}

int smp_xfer_on_response(struct smp_xfer_ctl *c, const struct smp_response *rsp)
{
	struct smp_xfer_sent *slot = &c->sent[rsp->tag % SMP_MAX_WINDOW], s = *slot;
	int rc;

	if (!smp_xfer_owns(c, rsp)) {
		if (rsp->result == SMP_OK)
			return SMP_OK; /* an answer to a request forgotten */
		/* The engine failed with none of ours (smp_next's own errors). */
		smp_fmt(c->detail, sizeof(c->detail), "%s",
			rsp->detail[0] ? rsp->detail : smp_result_name(rsp->result));
		end(c);
		return rsp->result;
	}
	slot->used = false;
	rc = rsp->result == SMP_OK ? on_answer(c, c->ops, c->arg, rsp, &s)
				   : on_failure(c, c->ops, c->arg, rsp, &s);
	if (rc == SMP_OK && !smp_xfer_finished(c) && overtaken(c, &s))
		rc = loss(c, resume_point(c, c->done), false, "answers overtook a request");
	if (rc == SMP_OK && !smp_xfer_finished(c))
		rc = pump_more(c);
	if (rc != SMP_OK || smp_xfer_finished(c))
		end(c);
	return rc;
}

bool smp_xfer_lossy(const struct smp_xfer_ctl *c)
{
	return c->st.lost * 100 > c->st.chunks * LOSSY_PERCENT;
}

void smp_xfer_learned(const struct smp_xfer_ctl *c, struct smp_xfer_link *out)
{
	*out = c->now;
	if (c->proven && out->packet > c->proven)
		out->packet = c->proven;
	if (!smp_xfer_lossy(c))
		return;
	if (c->proven_top > out->packet)
		out->packet = c->proven_top;
	/* The size it started from never answered on a lossy link: too
	 * large or only lost, the run cannot tell. */
	if (out->packet < c->plan.start.packet)
		out->packet = 0;
	out->window = c->plan.start.window ? c->plan.start.window : 1;
	if (out->window > c->plan.window_max)
		out->window = c->plan.window_max;
	out->gap_ms = c->plan.start.gap_ms;
	out->gap_burst = c->plan.start.gap_burst;
}

void smp_xfer_describe(const struct smp_xfer_ctl *c, char *buf, size_t cap)
{
	unsigned pct = c->st.chunks ? (c->st.lost * 100 + c->st.chunks / 2) / c->st.chunks : 0;

	smp_fmt(buf, cap,
		"link: %zu-byte packets, window %u, frame gap %u ms every %u "
		"(%u chunks, %u resent, lost %u of %u requests (%u %%), %u shrinks; "
		"round trip %d ms)",
		c->now.packet, c->now.window, c->now.gap_ms,
		c->now.gap_burst > 1 ? c->now.gap_burst : 1, c->st.chunks, c->st.resends,
		c->st.lost, c->st.chunks, pct, c->st.shrinks, c->srtt_ms);
}
