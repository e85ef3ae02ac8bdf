/* The shared buffer pool and the one work queue (sim_wq.h), after
 * Zephyr's transport/src/smp.c and smp/src/smp.c. */
#include <stdlib.h>
#include <string.h>

#include "tests/sim/sim_priv.h"

#define NS_PER_MS 1000000ull

bool sim_pool_take(struct sim_device *dev, struct sim_buf_ref *ref)
{
	if (ref->held && ref->boot == dev->boots)
		return true;
	ref->held = false;
	if (dev->wq.used >= dev->cfg.buf_count) {
		dev->wq.stats.dropped_no_buf++;
		return false;
	}
	dev->wq.used++;
	ref->held = true;
	ref->boot = dev->boots;
	return true;
}

void sim_pool_give(struct sim_device *dev, struct sim_buf_ref *ref)
{
	if (ref->held && ref->boot == dev->boots && dev->wq.used > 0)
		dev->wq.used--;
	ref->held = false;
}

unsigned sim_pool_free(const struct sim_device *dev)
{
	return dev->cfg.buf_count > dev->wq.used ? dev->cfg.buf_count - dev->wq.used : 0;
}

static void item_free(struct sim_wq_item *it)
{
	if (it) {
		free(it->pkt);
		free(it->tag);
		free(it);
	}
}

int sim_wq_submit(struct sim_device *dev, struct sim_buf_ref *ref, const uint8_t *pkt, size_t len,
		  const void *tag, size_t tag_len, sim_wq_emit_fn emit, void *ctx)
{
	struct sim_wq_item *it;

	if (!ref->held || ref->boot != dev->boots) {
		ref->held = false;
		return -1;
	}
	it = calloc(1, sizeof(*it));
	if (it) {
		it->pkt = malloc(len ? len : 1);
		it->tag = malloc(tag_len ? tag_len : 1);
	}
	if (!it || !it->pkt || !it->tag) {
		item_free(it);
		sim_pool_give(dev, ref);
		return -1;
	}
	memcpy(it->pkt, pkt, len);
	if (tag_len)
		memcpy(it->tag, tag, tag_len);
	it->len = len;
	it->tag_len = tag_len;
	it->emit = emit;
	it->ctx = ctx;
	ref->held = false; /* the queue holds the buffer now */
	if (dev->wq.tail)
		dev->wq.tail->next = it;
	else
		dev->wq.head = it;
	dev->wq.tail = it;
	return 0;
}

int sim_wq_receive(struct sim_device *dev, const uint8_t *pkt, size_t len, const void *tag,
		   size_t tag_len, sim_wq_emit_fn emit, void *ctx)
{
	struct sim_buf_ref ref = { 0 };

	if (!sim_pool_take(dev, &ref))
		return -1;
	return sim_wq_submit(dev, &ref, pkt, len, tag, tag_len, emit, ctx);
}

static void collect_answer(void *ctx, const uint8_t *pkt, size_t len)
{
	struct sim_device *dev = ctx;

	(void)sim_outq_push(&dev->wq.answers, 0, pkt, len);
}

/* Starts processing the queue's first request at time now. */
static void start_next(struct sim_device *dev, int64_t now)
{
	struct sim_wq *q = &dev->wq;
	struct sim_wq_item *it = q->head;
	unsigned boots = dev->boots, bufs = 1;
	uint64_t start_ns, service_ns;

	q->head = it->next;
	if (!q->head)
		q->tail = NULL;
	it->next = NULL;
	q->cost_ns = 0;
	/* smp_process_request_packet: the answer buffer is allocated before
	 * the handler runs; without one the request is not run at all and
	 * smp_on_err() answers ENOMEM in the request's buffer. */
	q->no_rsp_buf = q->used >= dev->cfg.buf_count;
	if (q->no_rsp_buf)
		q->stats.enomem++;
	else
		q->used++, bufs = 2;
	sim_process(dev, it->pkt, it->len, collect_answer, dev);
	q->no_rsp_buf = false;
	if (dev->boots != boots) { /* rebooted meanwhile: all is gone */
		item_free(it);
		sim_outq_clear(&q->answers);
		return;
	}
	q->cur = it;
	q->cur_bufs = bufs;
	/* Service time: the request's own, then its flash work. An error
	 * answer built without running the handler costs nothing. */
	service_ns = bufs == 2 ? (uint64_t)dev->cfg.request_us * 1000 + q->cost_ns : 0;
	q->cost_ns = 0;
	start_ns = (uint64_t)now * NS_PER_MS;
	if (q->done_ns > start_ns && q->done_ns - start_ns < NS_PER_MS)
		start_ns = q->done_ns; /* keep what is left of the last ms */
	q->done_ns = start_ns + service_ns;
	q->done_ms = (int64_t)((q->done_ns + NS_PER_MS - 1) / NS_PER_MS);
	/* An erase the handler reported as a plain busy time. */
	if (dev->busy_until > q->done_ms)
		q->done_ms = dev->busy_until;
}

/* The request's answers go out and its buffers come back. */
static void finish(struct sim_device *dev)
{
	struct sim_wq *q = &dev->wq;
	struct sim_outq_item *a;

	while ((a = sim_outq_pop_due(&q->answers, INT64_MAX)) != NULL) {
		q->cur->emit(q->cur->ctx, q->cur->tag, q->cur->tag_len, a->data, a->len);
		sim_outq_free_item(a);
	}
	q->used -= q->cur_bufs <= q->used ? q->cur_bufs : q->used;
	item_free(q->cur);
	q->cur = NULL;
	q->stats.processed++;
}

void sim_wq_run(struct sim_device *dev)
{
	struct sim_wq *q = &dev->wq;
	int64_t now;

	/* A reboot that is due happens first, and empties the queue. */
	if (sim_device_offline(dev))
		return;
	now = sim_now_ms(dev);
	for (;;) {
		if (q->cur && now >= q->done_ms)
			finish(dev);
		if (q->cur || !q->head || sim_device_offline(dev))
			return;
		start_next(dev, now);
	}
}

int sim_wq_next_ms(struct sim_device *dev)
{
	int64_t now = sim_now_ms(dev);

	if (dev->wq.cur)
		return dev->wq.done_ms > now ? (int)(dev->wq.done_ms - now) : 0;
	return dev->wq.head ? 0 : -1;
}

bool sim_wq_busy(const struct sim_device *dev)
{
	return dev->wq.cur || dev->wq.head;
}

void sim_wq_forget(struct sim_device *dev, void *ctx)
{
	struct sim_wq *q = &dev->wq;
	struct sim_wq_item **pp = &q->head, *last = NULL;

	while (*pp) {
		struct sim_wq_item *it = *pp;

		if (it->ctx == ctx) {
			*pp = it->next;
			item_free(it);
			q->used -= q->used > 0;
		} else {
			last = it;
			pp = &it->next;
		}
	}
	q->tail = last;
	/* The one being processed still finishes; its answers go nowhere. */
	if (q->cur && q->cur->ctx == ctx)
		sim_outq_clear(&q->answers);
}

void sim_wq_reset(struct sim_device *dev)
{
	struct sim_wq *q = &dev->wq;
	struct sim_wq_item *it;

	while ((it = q->head) != NULL) {
		q->head = it->next;
		item_free(it);
	}
	q->tail = NULL;
	item_free(q->cur);
	q->cur = NULL;
	sim_outq_clear(&q->answers);
	q->used = 0;
	q->cost_ns = 0;
}

void sim_cost_write(struct sim_device *dev, uint64_t bytes)
{
	dev->wq.cost_ns += bytes * dev->cfg.write_ns_per_byte;
}

void sim_cost_erase(struct sim_device *dev, uint64_t sectors)
{
	dev->wq.cost_ns += sectors * dev->cfg.erase_us_per_sector * 1000ull;
}

int64_t sim_cost_take_ms(struct sim_device *dev)
{
	int64_t ms = (int64_t)((dev->wq.cost_ns + NS_PER_MS - 1) / NS_PER_MS);

	dev->wq.cost_ns = 0;
	return ms;
}

const struct sim_wq_stats *sim_wq_stats(const struct sim_device *dev)
{
	return &dev->wq.stats;
}
