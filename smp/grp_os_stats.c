/* OS group: taskstat and mpstat, the device's threads and memory pools.
 * Each answer is checked whole before the first call of the caller's
 * walk, so the caller never collects half of a bad answer. */
#include "smp/grp_os.h"

#include <string.h>

#include "smp/cbor_read.h"
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

static int read_uints(const struct smp_cbor *map, const struct opt_uint *f, size_t n,
		      const char **why, const char *bad)
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

/* A key naming a thread or pool, cut to name[0..SMP_OS_NAME_MAX). */
static int entry_name(const struct smp_cbor *key, char *name)
{
	int r = smp_item_text(key, name, SMP_OS_NAME_MAX);

	return r == SMP_GET_OK || r == SMP_GET_NOMEM ? 0 : -1;
}

static int decode_task(const struct smp_cbor *key, const struct smp_cbor *value,
		       struct smp_os_task *t, const char **why)
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

	if (entry_name(key, t->name) != 0)
		return fail(why, "\"tasks\" has a key that is not a thread name");
	if (smp_cbor_type(value) != SMP_CBOR_MAP)
		return fail(why, "a task is not a map");
	/* Signed with CONFIG_MCUMGR_GRP_OS_TASKSTAT_SIGNED_PRIORITY, else
	 * the priority's low byte, unsigned. */
	if (smp_get_int(value, "prio", &t->prio) != SMP_GET_OK)
		return fail(why, "a task has no integer \"prio\"");
	if (read_uints(
		    value, fields, sizeof(fields) / sizeof(fields[0]), why,
		    "a task has no unsigned \"tid\" and \"state\", or a field of the wrong type"))
		return -1;
	t->has_stack = stksiz && stkuse;
	t->has_checkins = last && next;
	return 0;
}

/* Walks the map under key twice: checking every entry, then handing each
 * to the caller. */
struct entry_walk {
	const char *key, *not_map;
	int (*decode)(const struct smp_cbor *k, const struct smp_cbor *v, void *out,
		      const char **why);
	/* One of these, or neither to check only. */
	int (*task_each)(void *arg, const struct smp_os_task *t);
	int (*pool_each)(void *arg, const struct smp_os_mpool *m);
	void *arg;
};

static int hand_over(const struct entry_walk *ew, const void *entry)
{
	if (ew->task_each)
		return ew->task_each(ew->arg, entry);
	return ew->pool_each ? ew->pool_each(ew->arg, entry) : 0;
}

static int walk_pass(const struct smp_cbor *map, const struct entry_walk *ew, void *entry,
		     size_t entry_size, bool give, const char **why)
{
	struct smp_cbor_iter it;
	struct smp_cbor k, v;
	char *name = *(char **)entry;

	smp_cbor_enter(map, &it);
	while (smp_cbor_next(&it, &k)) {
		if (!smp_cbor_next(&it, &v))
			return fail(why, ew->not_map);
		memset(entry, 0, entry_size);
		*(char **)entry = name;
		if (ew->decode(&k, &v, entry, why) != 0)
			return -1;
		if (give && hand_over(ew, entry) != 0)
			return fail(why, "stopped");
	}
	return 0;
}

static int walk_entries(const struct smp_cbor *rsp, const struct entry_walk *ew, void *entry,
			size_t entry_size, const char **why)
{
	struct smp_cbor map;

	if (smp_map_find(rsp, ew->key, &map) != SMP_GET_OK || smp_cbor_type(&map) != SMP_CBOR_MAP)
		return fail(why, ew->not_map);
	if (walk_pass(&map, ew, entry, entry_size, false, why) != 0)
		return -1;
	return walk_pass(&map, ew, entry, entry_size, true, why);
}

static int task_decode(const struct smp_cbor *k, const struct smp_cbor *v, void *out,
		       const char **why)
{
	return decode_task(k, v, out, why);
}

int smp_os_taskstat_rsp(const struct smp_cbor *rsp,
			int (*each)(void *arg, const struct smp_os_task *t), void *arg,
			const char **why)
{
	char name[SMP_OS_NAME_MAX];
	struct smp_os_task t = { .name = name };
	const struct entry_walk ew = { "tasks",	    "answer has no map \"tasks\"",
				       task_decode, each,
				       NULL,	    arg };

	return walk_entries(rsp, &ew, &t, sizeof(t), why);
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

static int pool_decode(const struct smp_cbor *k, const struct smp_cbor *v, void *out,
		       const char **why)
{
	struct smp_os_mpool *m = out;
	const struct opt_uint fields[] = {
		{ "blksiz", &m->blksiz, &m->has_blksiz },
		{ "nblks", &m->nblks, NULL },
		{ "nfree", &m->nfree, NULL },
		{ "min", &m->min, &m->has_min },
	};

	if (entry_name(k, m->name) != 0)
		return fail(why, "\"mpools\" has a key that is not a pool name");
	if (smp_cbor_type(v) != SMP_CBOR_MAP)
		return fail(why, "a memory pool is not a map");
	return read_uints(v, fields, sizeof(fields) / sizeof(fields[0]), why,
			  "a memory pool has no unsigned \"nblks\" and \"nfree\", or a field of "
			  "the wrong type");
}

int smp_os_mpstat_rsp(const struct smp_cbor *rsp,
		      int (*each)(void *arg, const struct smp_os_mpool *m), void *arg,
		      const char **why)
{
	char name[SMP_OS_NAME_MAX];
	struct smp_os_mpool m = { .name = name };
	const struct entry_walk ew = { "mpools",    "answer has no map \"mpools\"",
				       pool_decode, NULL,
				       each,	    arg };

	return walk_entries(rsp, &ew, &m, sizeof(m), why);
}
