#include "smp/engine.h"

#include <stdarg.h>
#include <string.h>

#include "smp/clock.h"
#include "smp/fmt.h"
#include "smp/say.h"

#define trace(e, ...) smp_sayf((e)->cfg.trace, (e)->cfg.trace_arg, __VA_ARGS__)

void smp_engine_cfg_defaults(struct smp_engine_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->timeout_ms = 3000;
	cfg->retries = 2;
	cfg->version = SMP_V2;
	cfg->window = 1;
}

int smp_engine_init(struct smp_engine *e, struct smp_link *t, const struct smp_engine_cfg *cfg,
		    const struct smp_engine_mem *mem)
{
	memset(e, 0, sizeof(*e));
	e->transport = t;
	e->cfg = *cfg;
	e->version = cfg->version;
	e->mem = *mem;
	e->nslots = mem->tx_slots ? mem->tx_slots : 1;
	if (e->nslots > SMP_MAX_WINDOW)
		e->nslots = SMP_MAX_WINDOW;
	e->slot_cap = mem->tx ? mem->tx_cap / e->nslots : 0;
	if (e->slot_cap <= SMP_HEADER_SIZE)
		return SMP_E_NOMEM;
	smp_set_window(e, cfg->window);
	return SMP_OK;
}

static void slot_free(struct smp_slot *s)
{
	memset(s, 0, sizeof(*s));
}

void smp_cancel_all(struct smp_engine *e)
{
	unsigned i;

	for (i = 0; i < SMP_MAX_WINDOW; i++)
		if (e->slots[i].used)
			slot_free(&e->slots[i]);
}

void smp_engine_fini(struct smp_engine *e)
{
	smp_cancel_all(e);
}

unsigned smp_inflight(const struct smp_engine *e)
{
	unsigned i, n = 0;

	for (i = 0; i < SMP_MAX_WINDOW; i++)
		n += e->slots[i].used;
	return n;
}

/* The slot's packet buffer: its share of the caller's transmit buffer. */
static uint8_t *slot_buf(struct smp_engine *e, const struct smp_slot *s)
{
	return e->mem.tx + (size_t)(s - e->slots) * e->slot_cap;
}

static unsigned sent_count(const struct smp_engine *e)
{
	unsigned i, n = 0;

	for (i = 0; i < SMP_MAX_WINDOW; i++)
		n += e->slots[i].used && e->slots[i].sent;
	return n;
}

void smp_set_window(struct smp_engine *e, unsigned window)
{
	if (window < 1)
		window = 1;
	if (window > e->nslots)
		window = e->nslots;
	e->window = window;
}

size_t smp_max_payload(const struct smp_engine *e)
{
	size_t mtu = e->transport->ops->mtu(e->transport->ctx);

	if (mtu <= SMP_HEADER_SIZE)
		return 0;
	mtu -= SMP_HEADER_SIZE;
	return mtu > UINT16_MAX ? UINT16_MAX : mtu;
}

static bool seq_in_use(const struct smp_engine *e, uint8_t seq)
{
	unsigned i;

	for (i = 0; i < SMP_MAX_WINDOW; i++)
		if (e->slots[i].used && e->slots[i].seq == seq)
			return true;
	return false;
}

static int encode_packet(struct smp_engine *e, const struct smp_request *req, uint8_t seq,
			 uint8_t *pkt, size_t *pkt_len)
{
	struct smp_header hdr = {
		.version = e->version, .op = req->op, .group = req->group, .seq = seq, .id = req->id
	};
	size_t cap = e->transport->ops->mtu(e->transport->ctx);
	struct smp_cbor_writer w;

	if (cap > e->slot_cap)
		cap = e->slot_cap;
	if (cap > SMP_HEADER_SIZE + UINT16_MAX)
		cap = SMP_HEADER_SIZE + UINT16_MAX;
	if (cap <= SMP_HEADER_SIZE)
		return SMP_E_TOOBIG;
	smp_cbor_writer_init(&w, pkt + SMP_HEADER_SIZE, cap - SMP_HEADER_SIZE);
	if (req->encode) {
		if (req->encode(req->encode_arg, &w) != 0)
			return w.full ? SMP_E_TOOBIG : SMP_E_PROTOCOL;
	} else if (req->body) {
		if (req->body_len > w.cap)
			return SMP_E_TOOBIG;
		memcpy(w.buf, req->body, req->body_len);
		w.len = req->body_len;
	} else {
		smp_cbor_map(&w, 0);
	}
	if (smp_cbor_done(&w) != 0)
		return SMP_E_TOOBIG;
	hdr.len = (uint16_t)w.len;
	smp_header_encode(&hdr, pkt);
	*pkt_len = SMP_HEADER_SIZE + w.len;
	return SMP_OK;
}

static int slot_send(struct smp_engine *e, struct smp_slot *s)
{
	int io;

	/* The header carries the version; a downgrade after submission must
	 * reach packets that are resent. */
	s->pkt[0] = (uint8_t)((s->pkt[0] & ~0x18) | (e->version << 3));
	io = e->transport->ops->send(e->transport->ctx, s->pkt, s->pkt_len);
	if (io != SMP_IO_OK)
		return io == SMP_IO_TOOBIG ? SMP_E_TOOBIG : SMP_E_TRANSPORT;
	s->sent = true;
	s->attempts++;
	s->deadline_ms = smp_clock_ms() + s->timeout_ms;
	e->stats.bytes_out += s->pkt_len;
	return SMP_OK;
}

static struct smp_slot *oldest(struct smp_engine *e, bool want_sent)
{
	struct smp_slot *best = NULL;
	unsigned i;

	for (i = 0; i < SMP_MAX_WINDOW; i++) {
		struct smp_slot *s = &e->slots[i];

		if (s->used && s->sent == want_sent && (!best || s->order < best->order))
			best = s;
	}
	return best;
}

/* Sends queued requests, oldest first, while the window has room. On a
 * send failure returns the failed slot through *failed. */
static int pump(struct smp_engine *e, struct smp_slot **failed)
{
	struct smp_slot *s;
	int rc;

	while (sent_count(e) < e->window && (s = oldest(e, false))) {
		rc = slot_send(e, s);
		if (rc != SMP_OK) {
			*failed = s;
			return rc;
		}
	}
	return SMP_OK;
}

int smp_submit(struct smp_engine *e, const struct smp_request *req)
{
	struct smp_slot *s = NULL, *failed = NULL;
	unsigned i;
	int rc;

	if (smp_inflight(e) >= e->window)
		return SMP_E_BUSY;
	for (i = 0; i < SMP_MAX_WINDOW && !s; i++)
		if (!e->slots[i].used)
			s = &e->slots[i];
	if (!s)
		return SMP_E_BUSY;
	while (seq_in_use(e, e->next_seq))
		e->next_seq++;
	rc = encode_packet(e, req, e->next_seq, slot_buf(e, s), &s->pkt_len);
	if (rc != SMP_OK)
		return rc;
	s->pkt = slot_buf(e, s);
	s->used = true;
	s->sent = false;
	s->seq = e->next_seq++;
	s->op = req->op;
	s->id = req->id;
	s->group = req->group;
	s->caller_resends = req->retries < 0;
	s->retries_left = req->retries > 0 ? req->retries : req->retries < 0 ? 0 : e->cfg.retries;
	s->timeout_ms = req->timeout_ms > 0 ? req->timeout_ms : e->cfg.timeout_ms;
	s->tag = req->tag;
	s->order = e->next_order++;
	e->stats.requests++;
	rc = pump(e, &failed);
	if (rc != SMP_OK) {
		/* Only this request can be the one that failed: the others
		 * were sent before or stay queued. */
		slot_free(failed);
	}
	return rc;
}

static void complete(struct smp_engine *e, struct smp_slot *s, struct smp_response *rsp, int result)
{
	(void)e;
	rsp->result = result;
	rsp->tag = s->tag;
	slot_free(s);
}

static struct smp_slot *match(struct smp_engine *e, const struct smp_header *h)
{
	unsigned i;

	for (i = 0; i < SMP_MAX_WINDOW; i++) {
		struct smp_slot *s = &e->slots[i];

		/* A queued slot may have been sent before a fallback. */
		if (s->used && s->pkt && s->seq == h->seq && s->group == h->group &&
		    s->id == h->id && h->op == s->op + 1)
			return s;
	}
	return NULL;
}

/* Turns one received packet into a completed response, or returns false
 * when it answers nothing in flight. */
static bool take_packet(struct smp_engine *e, const uint8_t *pkt, size_t len,
			struct smp_response *rsp)
{
	struct smp_slot *s;
	const char *why = NULL;
	int hr;

	hr = smp_header_decode(pkt, len, &rsp->hdr);
	if (hr == -1) {
		trace(e, "dropped a %zu-byte packet: shorter than an SMP header", len);
		e->stats.strays++;
		return false;
	}
	s = match(e, &rsp->hdr);
	if (!s) {
		trace(e, "dropped an answer nothing waits for (seq %u, group %u, id %u)",
		      rsp->hdr.seq, rsp->hdr.group, rsp->hdr.id);
		e->stats.strays++;
		return false;
	}
	e->stats.responses++;
	e->stats.bytes_in += len;
	if (hr == -2) {
		smp_fmt(rsp->detail, sizeof(rsp->detail),
			"truncated answer: header announces %u payload bytes, packet has %zu",
			rsp->hdr.len, len - SMP_HEADER_SIZE);
		complete(e, s, rsp, SMP_E_PROTOCOL);
		return true;
	}
	if (rsp->hdr.version != e->version && rsp->hdr.version == SMP_V1) {
		trace(e, "device answered with an SMP v1 header: using v1 from now on");
		e->version = SMP_V1;
	}
	if (smp_cbor_decode_map(pkt + SMP_HEADER_SIZE, rsp->hdr.len, &rsp->body, &why) != 0) {
		smp_fmt(rsp->detail, sizeof(rsp->detail), "undecodable answer: %s", why);
		complete(e, s, rsp, SMP_E_PROTOCOL);
		return true;
	}
	if (smp_status_parse(&rsp->body, &rsp->status) != 0) {
		smp_fmt(rsp->detail, sizeof(rsp->detail), "malformed answer: %s", rsp->status.rsn);
		complete(e, s, rsp, SMP_E_PROTOCOL);
		return true;
	}
	complete(e, s, rsp, rsp->status.kind == SMP_STATUS_OK ? SMP_OK : SMP_E_DEVICE);
	return true;
}

static int64_t next_deadline(const struct smp_engine *e)
{
	int64_t d = INT64_MAX;
	unsigned i;

	for (i = 0; i < SMP_MAX_WINDOW; i++)
		if (e->slots[i].used && e->slots[i].sent && e->slots[i].deadline_ms < d)
			d = e->slots[i].deadline_ms;
	return d;
}

/* Requests sent together expire together: a little grace lets one pass
 * see all of a burst the device dropped. */
static bool expired(const struct smp_slot *s, int64_t now)
{
	return s->used && s->sent && s->deadline_ms - s->timeout_ms / 8 <= now;
}

/* Deals with requests whose deadline passed. Returns true if one of them
 * completed (gave up) into rsp. */
static bool expire(struct smp_engine *e, struct smp_response *rsp)
{
	int64_t now = smp_clock_ms();
	unsigned i, n = 0;
	struct smp_slot *s;
	bool ours;

	for (i = 0; i < SMP_MAX_WINDOW; i++)
		n += expired(&e->slots[i], now);
	if (n == 0 || next_deadline(e) > now)
		return false;
	/* Requests that asked for no resends belong to a caller that
	 * resends on its own terms (the transfer controller): leave the
	 * window to it. */
	for (i = 0, ours = false; i < SMP_MAX_WINDOW; i++)
		ours |= expired(&e->slots[i], now) && !e->slots[i].caller_resends;
	if (e->window > 1 && n > 1 && ours) {
		/* The device lost requests it claimed to buffer: go on one at
		 * a time, resending everything unanswered, oldest first. */
		trace(e, "%u requests in flight timed out: falling back to one at a time", n);
		e->window = 1;
		e->stats.timeouts += n;
		e->stats.resends += n;
		for (i = 0; i < SMP_MAX_WINDOW; i++)
			if (e->slots[i].used)
				e->slots[i].sent = false;
		return false;
	}
	for (i = 0; i < SMP_MAX_WINDOW; i++) {
		s = &e->slots[i];
		if (!s->used || !s->sent || s->deadline_ms > now)
			continue;
		e->stats.timeouts++;
		if (s->retries_left > 0) {
			s->retries_left--;
			s->sent = false;
			e->stats.resends++;
			trace(e, "no answer to group %u id %u (seq %u) in %d ms: resending",
			      s->group, s->id, s->seq, s->timeout_ms);
			continue;
		}
		smp_fmt(rsp->detail, sizeof(rsp->detail),
			"no answer from the device after %d attempt%s of %d ms", s->attempts,
			s->attempts == 1 ? "" : "s", s->timeout_ms);
		memset(&rsp->hdr, 0, sizeof(rsp->hdr));
		complete(e, s, rsp, SMP_E_TIMEOUT);
		return true;
	}
	return false;
}

/* Sends what is queued; a send that fails completes its request. */
static bool pump_or_fail(struct smp_engine *e, struct smp_response *rsp)
{
	const struct smp_transport_ops *ops = e->transport->ops;
	struct smp_slot *failed = NULL;
	int rc = pump(e, &failed);

	if (rc == SMP_OK)
		return false;
	smp_fmt(rsp->detail, sizeof(rsp->detail), "%s",
		ops->last_error ? ops->last_error(e->transport->ctx) : "send failed");
	complete(e, failed, rsp, rc);
	return true;
}

int smp_engine_input(struct smp_engine *e, const uint8_t *pkt, size_t len, struct smp_response *rsp)
{
	/* What waits for the window goes out on the next expire call,
	 * which smp_engine_deadline then asks for at once: a send failure
	 * is that call's completion to report. */
	memset(rsp, 0, sizeof(*rsp));
	return take_packet(e, pkt, len, rsp) ? 1 : 0;
}

int smp_engine_expire(struct smp_engine *e, struct smp_response *rsp)
{
	memset(rsp, 0, sizeof(*rsp));
	if (pump_or_fail(e, rsp) || expire(e, rsp))
		return 1;
	return pump_or_fail(e, rsp);
}

int64_t smp_engine_deadline(const struct smp_engine *e)
{
	unsigned i;

	for (i = 0; i < SMP_MAX_WINDOW; i++)
		if (e->slots[i].used && !e->slots[i].sent)
			return smp_clock_ms(); /* queued: sends are due now */
	return next_deadline(e);
}

int smp_next(struct smp_engine *e, struct smp_response *rsp)
{
	const struct smp_transport_ops *ops = e->transport->ops;
	size_t len;
	int64_t wait;
	int io;

	memset(rsp, 0, sizeof(*rsp));
	if (smp_inflight(e) == 0)
		return rsp->result = SMP_E_BUSY;
	if (!e->mem.rx)
		return rsp->result = SMP_E_NOMEM;
	for (;;) {
		if (smp_engine_expire(e, rsp))
			return rsp->result;
		wait = smp_engine_deadline(e) - smp_clock_ms();
		if (wait < 0)
			wait = 0;
		if (wait > INT32_MAX)
			wait = INT32_MAX;
		io = ops->recv(e->transport->ctx, e->mem.rx, e->mem.rx_cap, &len, (int)wait);
		if (io == SMP_IO_OK) {
			if (smp_engine_input(e, e->mem.rx, len, rsp))
				return rsp->result;
			continue;
		}
		if (io == SMP_IO_TIMEOUT)
			continue;
		if (io == SMP_IO_TOOBIG) {
			trace(e, "dropped a packet larger than the receive buffer");
			continue;
		}
		memset(rsp, 0, sizeof(*rsp));
		smp_fmt(rsp->detail, sizeof(rsp->detail), "%s",
			ops->last_error ? ops->last_error(e->transport->ctx) : "receive failed");
		complete(e, oldest(e, true) ? oldest(e, true) : oldest(e, false), rsp,
			 SMP_E_TRANSPORT);
		return SMP_E_TRANSPORT;
	}
}

int smp_call(struct smp_engine *e, const struct smp_request *req, struct smp_response *rsp)
{
	int rc;

	memset(rsp, 0, sizeof(*rsp));
	if (smp_inflight(e) != 0)
		return rsp->result = SMP_E_BUSY;
	rc = smp_submit(e, req);
	if (rc != SMP_OK) {
		rsp->result = rc;
		rsp->tag = req->tag;
		if (rc == SMP_E_TRANSPORT)
			smp_fmt(rsp->detail, sizeof(rsp->detail), "%s",
				e->transport->ops->last_error
					? e->transport->ops->last_error(e->transport->ctx)
					: "send failed");
		return rc;
	}
	return smp_next(e, rsp);
}

void smp_response_clear(struct smp_response *rsp)
{
	memset(rsp, 0, sizeof(*rsp));
}

const char *smp_result_name(int result)
{
	switch (result) {
	case SMP_OK:
		return "ok";
	case SMP_E_DEVICE:
		return "device error";
	case SMP_E_TIMEOUT:
		return "timed out";
	case SMP_E_TRANSPORT:
		return "transport error";
	case SMP_E_PROTOCOL:
		return "bad answer";
	case SMP_E_NOMEM:
		return "out of memory";
	case SMP_E_BUSY:
		return "busy";
	case SMP_E_TOOBIG:
		return "request too large";
	case SMP_E_CANCELLED:
		return "cancelled";
	}
	return "unknown result";
}
