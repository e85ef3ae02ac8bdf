/* OS group: taskstat, mpstat, datetime and bootloader info codecs. */
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
	bool *present;		/* NULL: required */
};

static int read_uints(const cbor_item_t *map, const struct opt_uint *f, size_t n,
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
	    read_uints(pair->value, fields, sizeof(fields) / sizeof(fields[0]), why,
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
	static const char *const bits[] = { "dummy", "pending", "sleeping", "dead",
					    "suspended", "aborting", "suspending", "queued" };
	size_t n = 0;

	buf[0] = 0;
	for (unsigned i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (state & (1u << i))
			n += (size_t)smp_fmt(buf + n, cap > n ? cap - n : 0, "%s%s",
					      n ? "," : "", bits[i]);
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

cbor_item_t *smp_os_datetime_req(const char *datetime)
{
	cbor_item_t *m = cbor_new_definite_map(1);

	if (m && smp_put_text(m, "datetime", datetime))
		cbor_decref(&m);
	return m;
}

int smp_os_datetime_rsp(const cbor_item_t *rsp, char **datetime, const char **why)
{
	if (smp_get_text(rsp, "datetime", datetime) != SMP_GET_OK)
		return fail(why, "answer has no text \"datetime\"");
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

void smp_os_datetime_format(int64_t unix_s, int ms, char *buf, size_t cap)
{
	int64_t days = unix_s >= 0 ? unix_s / 86400 : -((-unix_s + 86399) / 86400);
	int64_t secs = unix_s - days * 86400, y;
	unsigned m, d;

	civil_from_days(days, &y, &m, &d);
	if (ms >= 0)
		smp_fmt(buf, cap, "%04lld-%02u-%02uT%02d:%02d:%02d.%03d", (long long)y, m, d,
			 (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60), ms);
	else
		smp_fmt(buf, cap, "%04lld-%02u-%02uT%02d:%02d:%02d", (long long)y, m, d,
			 (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
}

/* Exactly n digits at *p, advancing it. */
static int digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++, (*p)++) {
		if (**p < '0' || **p > '9')
			return -1;
		v = v * 10 + (**p - '0');
	}
	*out = v;
	return 0;
}

static int parse_zone(const char *p, int *offset_s)
{
	int hh, mm, sign;

	*offset_s = 0;
	if (*p == 0 || ((*p == 'Z' || *p == 'z') && p[1] == 0))
		return 0;
	if (*p != '+' && *p != '-')
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	if (digits(&p, 2, &hh) || *p++ != ':' || digits(&p, 2, &mm) || *p || hh > 23 || mm > 59)
		return -1;
	*offset_s = sign * (hh * 3600 + mm * 60);
	return 0;
}

int smp_os_datetime_parse(const char *text, int64_t *unix_s, int *ms, const char **why)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	const char *p = text;
	int y, mo, d, h, mi, s, zone, scale = 100;

	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' ||
	    digits(&p, 2, &d) || (*p != 'T' && *p != 't' && *p != ' ') || !*p++ ||
	    digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi) || *p++ != ':' ||
	    digits(&p, 2, &s))
		return fail(why, "not an RFC 3339 date and time (YYYY-MM-DDTHH:MM:SS)");
	*ms = 0;
	if (*p == '.') {
		if (p[1] < '0' || p[1] > '9')
			return fail(why, "a fraction of a second needs digits");
		for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10)
			*ms += scale * (*p - '0');
	}
	if (parse_zone(p, &zone))
		return fail(why, "bad time zone: use Z or +HH:MM");
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400))) || h > 23 || mi > 59 ||
	    s > 60)
		return fail(why, "no such date or time");
	if (s == 60)
		s = 59;	/* a leap second: the RTC cannot hold it */
	*unix_s = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + s -
		  zone;
	return 0;
}

cbor_item_t *smp_os_bootloader_info_req(const char *query)
{
	cbor_item_t *m = cbor_new_definite_map(query ? 1 : 0);

	if (m && query && smp_put_text(m, "query", query))
		cbor_decref(&m);
	return m;
}

int smp_os_bootloader_rsp(const cbor_item_t *rsp, struct smp_os_bootloader *b, const char **why)
{
	int r;

	memset(b, 0, sizeof(*b));
	r = smp_get_text(rsp, "bootloader", &b->name);
	if (r == SMP_GET_TYPE)
		return fail(why, "answer has a \"bootloader\" that is not text");
	r = smp_get_int(rsp, "mode", &b->mode);
	if (r == SMP_GET_TYPE) {
		smp_os_bootloader_free(b);
		return fail(why, "answer has a \"mode\" that is not an integer");
	}
	b->has_mode = r == SMP_GET_OK;
	r = smp_get_bool(rsp, "no-downgrade", &b->no_downgrade);
	if (r == SMP_GET_TYPE) {
		smp_os_bootloader_free(b);
		return fail(why, "answer has a \"no-downgrade\" that is not a boolean");
	}
	b->has_no_downgrade = r == SMP_GET_OK;
	if (!b->name && !b->has_mode)
		return fail(why, "answer has neither \"bootloader\" nor \"mode\"");
	return 0;
}

void smp_os_bootloader_free(struct smp_os_bootloader *b)
{
	free(b->name);
	b->name = NULL;
}

const char *smp_os_boot_mode_name(int64_t mode)
{
	static const char *const names[] = {
		"unknown", "single application", "swap using scratch", "overwrite only",
		"swap without scratch (move)", "direct-XIP", "direct-XIP with revert",
		"RAM load", "firmware loader",
	};

	if (mode < -1 || mode > 7)
		return NULL;
	return names[mode + 1];
}
