/* OS group: taskstat and mpstat, the device's threads and memory pools. */
#include "smp/grp_os.h"

#include <stdlib.h>
#include <string.h>

#include "smp/cbor_util.h"
#include "smp/fmt.h"

static int fail(const char **why, const char *what)
{
	*why = what;
	return -1;
}

/* Optional unsigned fields of a map entry, by table. */
struct opt_uint {
	const char *key;
	uint64_t *value;
	bool *present; /* NULL: required */
};

static int read_uints(const cbor_item_t *map, const struct opt_uint *f, size_t n, const char **why,
		      const char *bad)
{
	for (size_t i = 0; i < n; i++) {
		int r = smp_get_uint(map, f[i].key, f[i].value);

		if (r == SMP_GET_ABSENT && f[i].present)
			continue;
		if (r != SMP_GET_OK)
			return fail(why, bad);
		if (f[i].present)
			*f[i].present = true;
	}
	return 0;
}

static int task_prio(const cbor_item_t *map, int64_t *prio, const char **why)
{
	/* Signed with CONFIG_MCUMGR_GRP_OS_TASKSTAT_SIGNED_PRIORITY, else
	 * the priority's low byte, unsigned. */
	if (smp_get_int(map, "prio", prio) != SMP_GET_OK)
		return fail(why, "a task has no integer \"prio\"");
	return 0;
}

static int decode_task(const struct cbor_pair *pair, struct smp_os_task *t, const char **why)
{
	bool stksiz = false, stkuse = false, last = false, next = false;
	const struct opt_uint fields[] = {
		{ "tid", &t->tid, NULL },
		{ "state", &t->state, NULL },
		{ "stksiz", &t->stksiz, &stksiz },
		{ "stkuse", &t->stkuse, &stkuse },
		{ "runtime", &t->runtime, &t->has_runtime },
		{ "cswcnt", &t->cswcnt, &t->has_cswcnt },
		{ "last_checkin", &t->last_checkin, &last },
		{ "next_checkin", &t->next_checkin, &next },
	};

	if (smp_item_text(pair->key, &t->name) != SMP_GET_OK)
		return fail(why, "\"tasks\" has a key that is not a thread name");
	if (!cbor_isa_map(pair->value))
		return fail(why, "a task is not a map");
	if (task_prio(pair->value, &t->prio, why) != 0 ||
	    read_uints(
		    pair->value, fields, sizeof(fields) / sizeof(fields[0]), why,
		    "a task has no unsigned \"tid\" and \"state\", or a field of the wrong type"))
		return -1;
	t->has_stack = stksiz && stkuse;
	t->has_checkins = last && next;
	return 0;
}

int smp_os_taskstat_rsp(const cbor_item_t *rsp, struct smp_os_tasks *t, const char **why)
{
	cbor_item_t *tasks = smp_map_get(rsp, "tasks");
	struct cbor_pair *pairs;
	size_t n;

	memset(t, 0, sizeof(*t));
	if (!tasks || !cbor_isa_map(tasks))
		return fail(why, "answer has no map \"tasks\"");
	n = cbor_map_size(tasks);
	pairs = cbor_map_handle(tasks);
	t->tasks = calloc(n ? n : 1, sizeof(*t->tasks));
	if (!t->tasks)
		return fail(why, "out of memory");
	for (; t->count < n; t->count++)
		if (decode_task(&pairs[t->count], &t->tasks[t->count], why) != 0) {
			t->count++;
			smp_os_tasks_free(t);
			return -1;
		}
	return 0;
}

void smp_os_tasks_free(struct smp_os_tasks *t)
{
	for (size_t i = 0; i < t->count; i++)
		free(t->tasks[i].name);
	free(t->tasks);
	t->tasks = NULL;
	t->count = 0;
}

void smp_os_thread_state_text(uint64_t state, char *buf, size_t cap)
{
	/* Zephyr's kthread.h _THREAD_* bits. */
	static const char *const bits[] = { "dummy",	 "pending",  "sleeping",   "dead",
					    "suspended", "aborting", "suspending", "queued" };
	size_t n = 0;

	buf[0] = 0;
	for (unsigned i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (state & (1u << i))
			n += (size_t)smp_fmt(buf + n, cap > n ? cap - n : 0, "%s%s", n ? "," : "",
					     bits[i]);
	if (state >> 8)
		n += (size_t)smp_fmt(buf + n, cap > n ? cap - n : 0, "%s0x%llx", n ? "," : "",
				     (unsigned long long)(state & ~0xffull));
	if (!n)
		smp_fmt(buf, cap, "ready");
}

static int decode_pool(const struct cbor_pair *pair, struct smp_os_mpool *m, const char **why)
{
	const struct opt_uint fields[] = {
		{ "blksiz", &m->blksiz, &m->has_blksiz },
		{ "nblks", &m->nblks, NULL },
		{ "nfree", &m->nfree, NULL },
		{ "min", &m->min, &m->has_min },
	};

	if (smp_item_text(pair->key, &m->name) != SMP_GET_OK)
		return fail(why, "\"mpools\" has a key that is not a pool name");
	if (!cbor_isa_map(pair->value))
		return fail(why, "a memory pool is not a map");
	return read_uints(pair->value, fields, sizeof(fields) / sizeof(fields[0]), why,
			  "a memory pool has no unsigned \"nblks\" and \"nfree\", or a field of "
			  "the wrong type");
}

int smp_os_mpstat_rsp(const cbor_item_t *rsp, struct smp_os_mpools *m, const char **why)
{
	cbor_item_t *pools = smp_map_get(rsp, "mpools");
	struct cbor_pair *pairs;
	size_t n;

	memset(m, 0, sizeof(*m));
	if (!pools || !cbor_isa_map(pools))
		return fail(why, "answer has no map \"mpools\"");
	n = cbor_map_size(pools);
	pairs = cbor_map_handle(pools);
	m->pools = calloc(n ? n : 1, sizeof(*m->pools));
	if (!m->pools)
		return fail(why, "out of memory");
	for (; m->count < n; m->count++)
		if (decode_pool(&pairs[m->count], &m->pools[m->count], why) != 0) {
			m->count++;
			smp_os_mpools_free(m);
			return -1;
		}
	return 0;
}

void smp_os_mpools_free(struct smp_os_mpools *m)
{
	for (size_t i = 0; i < m->count; i++)
		free(m->pools[i].name);
	free(m->pools);
	m->pools = NULL;
	m->count = 0;
}
