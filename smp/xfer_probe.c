#include "smp/xfer_probe.h"

#include <string.h>

#include "smp/clock.h"
#include "smp/grp_os.h"
#include "smp/say.h"

#define note(c, ...) smp_sayf((c)->note, (c)->note_arg, __VA_ARGS__)

#define SMALL_PACKET 64
/* Sizes closer than this are not worth another lost probe. */
#define SIZE_STEP 2
/* Spacings to try, shortest first: Zephyr's shell UART backend polls
 * every CONFIG_SHELL_BACKEND_SERIAL_RX_POLL_PERIOD (10 ms) and a real
 * 115200-baud UART spaces 127-byte frames by about 11 ms by itself. */
static const unsigned gaps_ms[] = { 4, 11, 22, 45 };
/* Tries of one size before its silence is taken for its size, not for
 * loss on the link: a size is too large when every try of it is lost. */
#define SIZE_TRIES 3
/* The first, small echo: short waits first, then the engine's. */
static const int first_waits_ms[] = { 500, 1000, 0 };
/* The probe may spend at most this share of the transfer it tunes. */
#define BUDGET_SHARE 10

struct probe_run {
	struct smp_xfer_ctl *c;
	struct smp_link *t;
	int small_rtt; /* ms */
	int64_t began;
	bool has_echo;
	bool lossy; /* an echo the device answers was lost */
};

int smp_xfer_probe_req(struct smp_cbor_writer *w, size_t packet)
{
	size_t fixed = SMP_HEADER_SIZE + 1 + 2, n; /* header, map, "d" */
	char *text;

	if (packet <= fixed + 1)
		return -1;
	n = packet - fixed - 1;
	while (n > 0 && fixed + smp_cbor_head_len(n) + n > packet)
		n--;
	smp_cbor_map(w, 1);
	smp_cbor_text(w, "d");
	text = smp_cbor_text_open(w, n);
	if (text)
		memset(text, 'p', n);
	return smp_cbor_done(w);
}

static int encode_probe(void *arg, struct smp_cbor_writer *w)
{
	return smp_xfer_probe_req(w, *(const size_t *)arg);
}

static void set_gap(struct probe_run *p, unsigned ms, unsigned burst)
{
	if (p->t->ops->set_frame_gap)
		p->t->ops->set_frame_gap(p->t->ctx, ms, burst);
}

/* One echo of packet bytes: its round trip in ms, -1 if it got no
 * answer (or a refusal that a smaller packet may cure), -2 if the device
 * has no echo, -3 if the link failed. */
static int echo(struct probe_run *p, size_t packet, int timeout_ms)
{
	struct smp_request req = { .op = SMP_OP_WRITE,
				   .group = SMP_GROUP_OS,
				   .id = SMP_OS_ECHO,
				   .retries = -1,
				   .timeout_ms = timeout_ms };
	struct smp_response rsp;
	int64_t t0 = smp_clock_ms();
	int rc, out;

	/* Written straight into the engine's packet buffer: a probe is as
	 * large as a packet may be. */
	req.encode = encode_probe;
	req.encode_arg = &packet;
	p->c->st.probes++;
	rc = smp_call(p->c->e, &req, &rsp);
	if (rc == SMP_OK)
		out = (int)(smp_clock_ms() - t0);
	else if (rc == SMP_E_TIMEOUT || rc == SMP_E_PROTOCOL ||
		 (rc == SMP_E_DEVICE && rsp.status.kind == SMP_STATUS_RC &&
		  (rsp.status.rc == SMP_MGMT_ERR_EMSGSIZE ||
		   rsp.status.rc == SMP_MGMT_ERR_ECORRUPT || rsp.status.rc == SMP_MGMT_ERR_ENOMEM)))
		out = -1;
	else if (rc == SMP_E_DEVICE)
		out = -2;
	else
		out = -3;
	smp_response_clear(&rsp);
	smp_cancel_all(p->c->e);
	return out;
}

/* Echoes of packet bytes, up to SIZE_TRIES once the link has shown loss:
 * the first answer's round trip, or what the last try gave. */
static int echo_size(struct probe_run *p, size_t packet, int timeout_ms)
{
	int r = -1;

	for (int i = 0; i < (p->lossy ? SIZE_TRIES : 1) && r == -1; i++)
		r = echo(p, packet, timeout_ms);
	return r;
}

/* Long enough for a packet this size on this link, short enough that a
 * lost one costs little: the small echo's time, scaled by size. */
static int probe_timeout(const struct probe_run *p, size_t packet, unsigned gap)
{
	int64_t t = (int64_t)p->small_rtt * 2 * (int64_t)(packet / SMALL_PACKET + 1) + 200 +
		    (int64_t)gap * (int64_t)(packet / 64 + 2) * 2;

	return t < p->c->e->cfg.timeout_ms ? (int)t : p->c->e->cfg.timeout_ms;
}

/* Payload bytes per ms, the figure sizes and spacings compete on. */
static double rate(size_t packet, int rtt)
{
	return (double)(packet - SMP_HEADER_SIZE) / (double)(rtt > 0 ? rtt : 1);
}

/* Whether probing further still pays: it may cost a share of what the
 * transfer would take at the best rate found. */
static bool within_budget(const struct probe_run *p, double best_rate)
{
	double left = (double)(p->c->len - p->c->done);
	int64_t spent = smp_clock_ms() - p->began;

	return best_rate <= 0 || (double)spent * BUDGET_SHARE < left / best_rate;
}

/* The largest packet between lo (answered in lo_rtt) and hi (lost) at
 * this gap. */
static int bisect(struct probe_run *p, unsigned gap, size_t *lo, int *lo_rtt, size_t hi)
{
	while (hi - *lo > SIZE_STEP && within_budget(p, rate(*lo, *lo_rtt))) {
		size_t mid = (*lo + hi) / 2;
		int r = echo_size(p, mid, probe_timeout(p, mid, gap));

		if (r == -3)
			return SMP_E_TRANSPORT;
		if (r >= 0) {
			*lo = mid;
			*lo_rtt = r;
		} else {
			hi = mid;
		}
	}
	return SMP_OK;
}

/* Largest packet at gap below lost (which got no answer), shrinking a
 * quarter at a time, then bisecting. *size 0 when nothing answered. */
/* On a framed line: one frame fewer each time, the largest packet of
 * that many frames (sizes in between cost the same frames). */
static int largest_framed(struct probe_run *p, unsigned gap, size_t lost, size_t *size, int *rtt)
{
	const struct smp_transport_ops *ops = p->t->ops;
	unsigned frames = 1;
	int r;

	while (ops->frame_fit(p->t->ctx, frames) < lost && frames < 1024)
		frames++;
	for (frames--; frames > 0; frames--) {
		size_t s = ops->frame_fit(p->t->ctx, frames);

		if (s < SMP_XFER_MIN_PACKET)
			break;
		r = echo_size(p, s, probe_timeout(p, s, gap));
		if (r == -3)
			return SMP_E_TRANSPORT;
		if (r >= 0) {
			*size = s;
			*rtt = r;
			break;
		}
	}
	return SMP_OK;
}

static int largest(struct probe_run *p, unsigned gap, size_t lost, size_t *size, int *rtt)
{
	size_t hi = lost, s = lost * 3 / 4;
	int r;

	*size = 0;
	if (p->t->ops->frame_fit && p->t->ops->frame_fit(p->t->ctx, 1))
		return largest_framed(p, gap, lost, size, rtt);
	for (;;) {
		r = echo_size(p, s, probe_timeout(p, s, gap));
		if (r == -3)
			return SMP_E_TRANSPORT;
		if (r >= 0)
			break;
		hi = s;
		s = s * 3 / 4;
		if (s < SMP_XFER_MIN_PACKET)
			return SMP_OK;
	}
	*size = s;
	*rtt = r;
	return bisect(p, gap, size, rtt, hi);
}

/* A way of sending: packet size, spacing, and how fast it answered. */
struct way {
	size_t size; /* 0: none found */
	unsigned gap, burst;
	int rtt;
};

static double way_rate(const struct way *w)
{
	return w->size ? rate(w->size, w->rtt) : 0;
}

static void adopt(struct probe_run *p, const struct way *w)
{
	struct smp_xfer_ctl *c = p->c;

	c->now.packet = w->size;
	c->now.gap_ms = w->gap;
	c->now.gap_burst = w->burst;
	c->proven = w->size;
	c->failed = 0;
	set_gap(p, w->gap, w->burst);
}

/* The shortest of the spacings that lets size through in bursts of
 * burst frames. Spacing near a polled device's period may pass by luck
 * of phase: it must pass twice. */
static int try_gaps(struct probe_run *p, size_t size, unsigned burst, struct way *w)
{
	size_t i;

	w->size = 0;
	for (i = 0; i < sizeof(gaps_ms) / sizeof(gaps_ms[0]); i++) {
		int r;

		/* Bursts already fill what the device buffers per poll:
		 * only a pause of a poll period or more can help. */
		if (burst > 1 && gaps_ms[i] < 10)
			continue;
		set_gap(p, gaps_ms[i], burst);
		r = echo(p, size, probe_timeout(p, size, gaps_ms[i]));
		if (r >= 0)
			r = echo(p, size, probe_timeout(p, size, gaps_ms[i]));
		if (r == -3)
			return SMP_E_TRANSPORT;
		if (r >= 0) {
			*w = (struct way){ size, gaps_ms[i], burst, r };
			break; /* longer gaps only cost more */
		}
	}
	set_gap(p, 0, 0);
	return SMP_OK;
}

/* The unspaced best took k frames: the device buffers k. Packets of a
 * multiple of k frames, paused after each k, may carry more per poll. */
static int try_bursts(struct probe_run *p, size_t top, const struct way *unspaced, struct way *w)
{
	size_t (*fit)(void *, unsigned) = p->t->ops->frame_fit;
	unsigned k = 1, m;
	size_t size = 0;

	w->size = 0;
	while (fit(p->t->ctx, k) < unspaced->size && k < 64)
		k++;
	if (k < 2)
		return SMP_OK;
	/* Whole multiples of k frames below the top size (the transport
	 * caps its fit at the top). */
	for (m = 2; fit(p->t->ctx, m * k) < top && m * k < 1024; m++)
		size = fit(p->t->ctx, m * k);
	if (!size)
		return SMP_OK;
	return try_gaps(p, size, k, w);
}

/* The small echo, tried again when lost: only an answer that refuses the
 * request says the device has no echo (-2). */
static int first_echo(struct probe_run *p)
{
	int r = -1;

	for (size_t i = 0; i < sizeof(first_waits_ms) / sizeof(first_waits_ms[0]) && r == -1; i++) {
		r = echo(p, SMALL_PACKET, first_waits_ms[i]);
		if (r >= 0 && i > 0)
			p->lossy = true;
	}
	return r;
}

int smp_xfer_probe(struct smp_xfer_ctl *c)
{
	struct probe_run p = { .c = c, .t = c->e->transport, .began = smp_clock_ms() };
	size_t top = c->now.packet;
	struct way spaced = { 0 }, unspaced = { 0 }, bursts = { 0 },
		   start = { top, c->now.gap_ms, c->now.gap_burst, 0 };
	const struct way *best;
	bool gaps = p.t->ops->set_frame_gap && !c->plan.pin_gap;
	int r, rc;

	set_gap(&p, c->now.gap_ms, c->now.gap_burst);
	r = first_echo(&p);
	if (r == -3)
		return SMP_E_TRANSPORT;
	if (r == -2) {
		note(c, "transfer: the device does not echo: taking its buffer size at its word");
		return SMP_OK;
	}
	if (r < 0) {
		note(c,
		     "transfer: no answer to %zu echoes: taking the device's buffer size at "
		     "its word",
		     sizeof(first_waits_ms) / sizeof(first_waits_ms[0]));
		return SMP_OK;
	}
	p.small_rtt = r;
	r = echo_size(&p, top, probe_timeout(&p, top, c->now.gap_ms));
	if (r == -3)
		return SMP_E_TRANSPORT;
	if (r >= 0) {
		start.rtt = r;
		adopt(&p, &start);
		return SMP_OK;
	}
	gaps = gaps && c->now.gap_ms == 0;
	if (gaps) {
		rc = try_gaps(&p, top, 1, &spaced);
		if (rc != SMP_OK)
			return rc;
	}
	/* Spaced frames cost time too: the largest unspaced packet may be
	 * faster. Measured, within the budget, not guessed. */
	if (!spaced.size || within_budget(&p, way_rate(&spaced))) {
		set_gap(&p, c->now.gap_ms, c->now.gap_burst);
		rc = largest(&p, c->now.gap_ms, top, &unspaced.size, &unspaced.rtt);
		if (rc != SMP_OK)
			return rc;
		unspaced.gap = c->now.gap_ms;
		unspaced.burst = c->now.gap_burst;
	}
	if (gaps && unspaced.size && p.t->ops->frame_fit &&
	    within_budget(&p, way_rate(&unspaced) > way_rate(&spaced) ? way_rate(&unspaced)
								      : way_rate(&spaced))) {
		rc = try_bursts(&p, top, &unspaced, &bursts);
		if (rc != SMP_OK)
			return rc;
	}
	best = way_rate(&spaced) > way_rate(&unspaced) ? &spaced : &unspaced;
	if (way_rate(&bursts) > way_rate(best))
		best = &bursts;
	/* The top size was unanswered while smaller ones passed: SIZE_TRIES
	 * in all before it is taken for too large, as loss looks the same. */
	if (best->size && within_budget(&p, way_rate(best))) {
		set_gap(&p, c->now.gap_ms, c->now.gap_burst);
		r = -1;
		for (int i = 1; i < SIZE_TRIES && r == -1; i++)
			r = echo(&p, top, probe_timeout(&p, top, c->now.gap_ms));
		if (r == -3)
			return SMP_E_TRANSPORT;
		if (r >= 0) {
			note(c, "transfer: a %zu-byte echo was lost, not too large", top);
			start.rtt = r;
			best = &start;
		}
	}
	if (best->size)
		adopt(&p, best);
	else
		set_gap(&p, c->now.gap_ms, c->now.gap_burst);
	return SMP_OK;
}
