/* Helpers every frontend may use: a queue of answers held until their
 * time, and option parsing. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tests/sim/frontend.h"
#include "tests/sim/sim.h"

int sim_outq_push(struct sim_outq *q, int64_t due_ms, const uint8_t *data, size_t len)
{
	struct sim_outq_item *it = malloc(sizeof(*it));

	if (!it)
		return -1;
	it->data = malloc(len ? len : 1);
	if (!it->data) {
		free(it);
		return -1;
	}
	if (len)
		memcpy(it->data, data, len);
	it->len = len;
	it->due_ms = due_ms;
	it->next = NULL;
	if (q->tail)
		q->tail->next = it;
	else
		q->head = it;
	q->tail = it;
	return 0;
}

struct sim_outq_item *sim_outq_pop_due(struct sim_outq *q, int64_t now_ms)
{
	struct sim_outq_item *it = q->head;

	if (!it || it->due_ms > now_ms)
		return NULL;
	q->head = it->next;
	if (!q->head)
		q->tail = NULL;
	return it;
}

int sim_outq_timeout_ms(const struct sim_outq *q, int64_t now_ms)
{
	if (!q->head)
		return -1;
	return q->head->due_ms > now_ms ? (int)(q->head->due_ms - now_ms) : 0;
}

void sim_outq_free_item(struct sim_outq_item *item)
{
	if (item) {
		free(item->data);
		free(item);
	}
}

void sim_outq_clear(struct sim_outq *q)
{
	struct sim_outq_item *it;

	while ((it = sim_outq_pop_due(q, INT64_MAX)) != NULL)
		sim_outq_free_item(it);
}

int sim_parse_uint(const char *arg, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!arg || *arg < '0' || *arg > '9')
		return -1;
	errno = 0;
	v = strtoul(arg, &end, 0);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

int sim_held_timeout_ms(const struct sim_outq *answers, const struct sim_outq *held,
			struct sim_device *dev)
{
	int64_t now = sim_now_ms(dev), busy = sim_device_busy_until(dev);
	int t = sim_outq_timeout_ms(answers, now);

	if (held->head) {
		int b = busy > now ? (int)(busy - now) : 0;

		if (t < 0 || b < t)
			t = b;
	}
	return t;
}
