#include "smp/xfer_probe.h"

#include <stdlib.h>
#include <string.h>

#include "smp/cbor_util.h"
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
/* The probe may spend at most this share of the transfer it tunes. */
#define BUDGET_SHARE 10

struct probe_run {
	struct xfer_ctl *c;
	struct smp_transport *t;
	int small_rtt;		/* ms */
	int64_t began;
	bool has_echo;
};

cbor_item_t *xfer_probe_req(size_t packet)
{
	size_t fixed = SMP_HDR_SIZE + 1 + 2, n;	/* header, map, "d" */
	cbor_item_t *m;
	char *text;

	if (packet <= fixed + 1)
		return NULL;
	n = packet - fixed - 1;
	while (n > 0 && fixed + smp_cbor_head_len(n) + n > packet)
		n--;
	text = malloc(n + 1);
	if (!text)
		return NULL;
	memset(text, 'p', n);
	text[n] = 0;
	m = os_echo_req(text);
	free(text);
	return m;
}

static void set_gap(struct probe_run *p, unsigned ms)
{
	if (p->t->ops->set_frame_gap)
		p->t->ops->set_frame_gap(p->t->ctx, ms);
}

/* One echo of packet bytes: its round trip in ms, -1 if it got no
 * answer (or a refusal that a smaller packet may cure), -2 if the device
 * has no echo, -3 if the link failed. */
static int echo(struct probe_run *p, size_t packet, int timeout_ms)
{
	struct smp_request req = { .op = SMP_OP_WRITE, .group = SMP_GROUP_OS, .id = OS_ECHO,
				   .retries = -1, .timeout_ms = timeout_ms };
	struct smp_response rsp;
	int64_t t0 = smp_clock_ms();
	int rc, out;

	req.body = xfer_probe_req(packet);
	if (!req.body)
		return -3;
	p->c->st.probes++;
	rc = smp_call(p->c->e, &req, &rsp);
	cbor_decref((cbor_item_t **)&req.body);
	if (rc == SMP_OK)
		out = (int)(smp_clock_ms() - t0);
	else if (rc == SMP_E_TIMEOUT || rc == SMP_E_PROTOCOL ||
		 (rc == SMP_E_DEVICE && rsp.status.kind == SMP_STATUS_RC &&
		  (rsp.status.rc == MGMT_ERR_EMSGSIZE || rsp.status.rc == MGMT_ERR_ECORRUPT ||
		   rsp.status.rc == MGMT_ERR_ENOMEM)))
		out = -1;
	else if (rc == SMP_E_DEVICE)
		out = -2;
	else
		out = -3;
	smp_response_clear(&rsp);
	smp_cancel_all(p->c->e);
	return out;
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
	return (double)(packet - SMP_HDR_SIZE) / (double)(rtt > 0 ? rtt : 1);
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
		int r = echo(p, mid, probe_timeout(p, mid, gap));

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
static int largest(struct probe_run *p, unsigned gap, size_t lost, size_t *size, int *rtt)
{
	size_t hi = lost, s = lost * 3 / 4;
	int r;

	*size = 0;
	set_gap(p, gap);
	for (;;) {
		r = echo(p, s, probe_timeout(p, s, gap));
		if (r == -3)
			return SMP_E_TRANSPORT;
		if (r >= 0)
			break;
		hi = s;
		s = s * 3 / 4;
		if (s < XFER_MIN_PACKET)
			return SMP_OK;
	}
	*size = s;
	*rtt = r;
	return bisect(p, gap, size, rtt, hi);
}

static void adopt(struct xfer_ctl *c, size_t size, unsigned gap)
{
	c->now.packet = size;
	c->now.gap_ms = gap;
	c->proven = size;
	c->failed = 0;
}

/* On a framed serial line, the shortest spacing that lets the full size
 * through, and its round trip; *gap 0 when none did. */
static int try_gaps(struct probe_run *p, size_t top, unsigned *gap, int *rtt)
{
	size_t i;

	*gap = 0;
	for (i = 0; i < sizeof(gaps_ms) / sizeof(gaps_ms[0]); i++) {
		int r;

		set_gap(p, gaps_ms[i]);
		r = echo(p, top, probe_timeout(p, top, gaps_ms[i]));
		/* Spacing near a polled device's period may pass by luck of
		 * phase: it must pass twice. */
		if (r >= 0)
			r = echo(p, top, probe_timeout(p, top, gaps_ms[i]));
		if (r == -3)
			return SMP_E_TRANSPORT;
		if (r >= 0) {
			*gap = gaps_ms[i];
			*rtt = r;
			break;	/* longer gaps only cost more */
		}
	}
	set_gap(p, 0);
	return SMP_OK;
}

int xfer_probe(struct xfer_ctl *c)
{
	struct probe_run p = { .c = c, .t = c->e->transport, .began = smp_clock_ms() };
	size_t top = c->now.packet, best = 0;
	int best_rtt = 0, gap_rtt = 0, r, rc;
	unsigned gap = 0;
	bool gaps = p.t->ops->set_frame_gap && !c->plan.pin_gap;

	set_gap(&p, c->now.gap_ms);
	r = echo(&p, SMALL_PACKET, 0);
	if (r == -3)
		return SMP_E_TRANSPORT;
	if (r < 0) {
		note(c, "transfer: the device does not echo: taking its buffer size at its word");
		return SMP_OK;
	}
	p.small_rtt = r;
	r = echo(&p, top, probe_timeout(&p, top, c->now.gap_ms));
	if (r == -3)
		return SMP_E_TRANSPORT;
	if (r >= 0) {
		adopt(c, top, c->now.gap_ms);
		return SMP_OK;
	}
	if (gaps && c->now.gap_ms == 0) {
		rc = try_gaps(&p, top, &gap, &gap_rtt);
		if (rc != SMP_OK)
			return rc;
	}
	/* Spaced frames cost time too: the largest unspaced packet may be
	 * faster. Measured, within the budget, not guessed. */
	if (!gap || within_budget(&p, rate(top, gap_rtt))) {
		rc = largest(&p, c->now.gap_ms, top, &best, &best_rtt);
		if (rc != SMP_OK)
			return rc;
	}
	if (gap && (!best || rate(top, gap_rtt) > rate(best, best_rtt))) {
		adopt(c, top, gap);
		set_gap(&p, gap);
	} else if (best) {
		adopt(c, best, c->now.gap_ms);
		set_gap(&p, c->now.gap_ms);
	}
	return SMP_OK;
}
