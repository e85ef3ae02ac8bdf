/* Go mcumgr's stdout, format string by format string (see
 * cli/cmd/mcumgr_print.h for the source). Device text goes through
 * text_safe as everywhere in smpctl: printable text prints as Go prints
 * it; control bytes from a hostile device are escaped. */
#include "cli/cmd/mcumgr_print.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/ui/text_safe.h"
#include "smp/grp_os.h"
#include "smp/grp_shell.h"
#include "smp/grp_stat.h"

bool cli_go_words(const struct cli_ctx *ctx)
{
	return ctx->go_output && !ctx->opts.json;
}

void go_print_done(struct cli_ctx *ctx)
{
	fprintf(ctx->out, "Done\n");
}

/* Go ranges over a map and sorts the keys (sort.Strings: byte order). */
struct by_name {
	const char *name;
	size_t i;
};

static int by_name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct by_name *)a)->name, ((const struct by_name *)b)->name);
}

/* n entries, entry i named name(base, i); NULL when out of memory, when
 * the caller prints in the device's order. */
static struct by_name *sorted(const void *base, size_t n,
			      const char *(*name)(const void *base, size_t i))
{
	struct by_name *v = calloc(n ? n : 1, sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const char *s = name(base, i);

		v[i] = (struct by_name){ s ? s : "", i };
	}
	qsort(v, n, sizeof(*v), by_name_cmp);
	return v;
}

static size_t nth(const struct by_name *v, size_t k)
{
	return v ? v[k].i : k;
}

static const char *task_name(const void *base, size_t i)
{
	return ((const struct smp_os_tasks *)base)->tasks[i].name;
}

/* taskstat.go taskStatRunCmd; a field the device leaves out is Go's zero
 * (a missing key of map[string]int). */
void go_print_tasks(struct cli_ctx *ctx, const struct smp_os_tasks *t)
{
	struct by_name *v = sorted(t, t->count, task_name);

	fprintf(ctx->out, "  %8s %3s %3s %8s %8s %8s %8s %8s %8s\n", "task", "pri", "tid",
		"runtime", "csw", "stksz", "stkuse", "last_checkin", "next_checkin");
	for (size_t k = 0; k < t->count; k++) {
		const struct smp_os_task *x = &t->tasks[nth(v, k)];

		fprintf(ctx->out, "  %8s %3lld %3llu %8llu %8llu %8llu %8llu %8llu %8llu\n",
			SAFE(x->name), (long long)x->prio, (unsigned long long)x->tid,
			(unsigned long long)(x->has_runtime ? x->runtime : 0),
			(unsigned long long)(x->has_cswcnt ? x->cswcnt : 0),
			(unsigned long long)(x->has_stack ? x->stksiz : 0),
			(unsigned long long)(x->has_stack ? x->stkuse : 0),
			(unsigned long long)(x->has_checkins ? x->last_checkin : 0),
			(unsigned long long)(x->has_checkins ? x->next_checkin : 0));
	}
	free(v);
}

static const char *pool_name(const void *base, size_t i)
{
	return ((const struct smp_os_mpools *)base)->pools[i].name;
}

/* mpstat.go mempoolStatRunCmd */
void go_print_pools(struct cli_ctx *ctx, const struct smp_os_mpools *m)
{
	struct by_name *v = sorted(m, m->count, pool_name);

	fprintf(ctx->out, "%32s %5s %4s %4s %4s\n", "name", "blksz", "cnt", "free", "min");
	for (size_t k = 0; k < m->count; k++) {
		const struct smp_os_mpool *p = &m->pools[nth(v, k)];

		fprintf(ctx->out, "%32s %5llu %4llu %4llu %4llu\n", SAFE(p->name),
			(unsigned long long)(p->has_blksiz ? p->blksiz : 0),
			(unsigned long long)p->nblks, (unsigned long long)p->nfree,
			(unsigned long long)(p->has_min ? p->min : 0));
	}
	free(v);
}

static const char *list_name(const void *base, size_t i)
{
	return ((const struct smp_stat_list *)base)->names[i];
}

/* stat.go statsListRunCmd */
void go_print_stat_list(struct cli_ctx *ctx, const struct smp_stat_list *l)
{
	struct by_name *v;

	if (!l->count) {
		fprintf(ctx->out, "stat groups: none\n");
		return;
	}
	v = sorted(l, l->count, list_name);
	fprintf(ctx->out, "stat groups:\n");
	for (size_t k = 0; k < l->count; k++)
		fprintf(ctx->out, "    %s\n", SAFE(l->names[nth(v, k)]));
	free(v);
}

static const char *field_name(const void *base, size_t i)
{
	return ((const struct smp_stat_group *)base)->fields[i].name;
}

/* stat.go statsRunCmd */
void go_print_stat_group(struct cli_ctx *ctx, const char *name, const struct smp_stat_group *g)
{
	struct by_name *v;

	fprintf(ctx->out, "stat group: %s\n", SAFE(name));
	if (!g->count) {
		fprintf(ctx->out, "    (empty)\n");
		return;
	}
	v = sorted(g, g->count, field_name);
	for (size_t k = 0; k < g->count; k++) {
		const struct smp_stat_field *f = &g->fields[nth(v, k)];

		fprintf(ctx->out, "%10llu %s\n", (unsigned long long)f->value, SAFE(f->name));
	}
	free(v);
}

/* shell.go shellExecCmd: "status=" is the answer's "rc", which only an
 * old server fills (CONFIG_MCUMGR_GRP_SHELL_LEGACY_RC_RETURN_CODE); a
 * current one answers "ret", which Go does not read, so it prints 0. */
void go_print_shell(struct cli_ctx *ctx, const struct smp_shell_result *r)
{
	size_t n = strlen(r->output);

	fprintf(ctx->out, "status=%lld\n", r->legacy_rc ? (long long)r->ret : 0LL);
	if (!n)
		return;
	text_safe_write(ctx->out, r->output, n, TEXT_SAFE_LINES);
	if (r->output[n - 1] != '\n')
		fputc('\n', ctx->out);
}

/* datetime.go dateTimeRead: fmt.Println("Datetime(RFC 3339 format):", v) */
void go_print_datetime(struct cli_ctx *ctx, const char *datetime)
{
	fprintf(ctx->out, "Datetime(RFC 3339 format): %s\n", SAFE(datetime));
}

/* datetime.go dateTimeWrite: time.Now().Format(time.RFC3339), the local
 * time with its offset, "Z" when that is zero. */
void go_print_setting_time(struct cli_ctx *ctx)
{
	time_t now = time(NULL);
	struct tm tm;
	char when[32], zone[8];
	long off;

	if (!localtime_r(&now, &tm))
		return;
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	off = tm.tm_gmtoff / 60;
	if (!off)
		snprintf(zone, sizeof(zone), "Z");
	else
		snprintf(zone, sizeof(zone), "%c%02ld:%02ld", off < 0 ? '-' : '+',
			 (off < 0 ? -off : off) / 60, (off < 0 ? -off : off) % 60);
	fprintf(ctx->out, "Setting time to %s%s\n", when, zone);
}

void go_version_text(const char *version, bool plus_made, char *out, size_t cap)
{
	char *plus;

	snprintf(out, cap, "%s", version);
	plus = plus_made ? strrchr(out, '+') : NULL;
	if (plus)
		*plus = '.';
}

/* ---- image upload's bar: pb.v1 v1.0.28, pb.go write() ---- */

#define NS_PER_S 1000000000LL

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

/* format.go formatBytes */
static void go_bytes(uint64_t n, char *out, size_t cap)
{
	static const struct {
		double size;
		const char *name;
	} units[] = { { 1099511627776.0, "TiB" }, { 1073741824.0, "GiB" }, { 1048576.0, "MiB" },
		      { 1024.0, "KiB" } };

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if ((double)n >= units[i].size) {
			snprintf(out, cap, "%.02f %s", (double)n / units[i].size, units[i].name);
			return;
		}
	snprintf(out, cap, "%llu B", (unsigned long long)n);
}

/* format.go formatDuration, of whole seconds */
static void go_left(int64_t s, char *out, size_t cap)
{
	int n = 0;

	if (s > 86400) {
		n = snprintf(out, cap, "%lldd", (long long)(s / 86400));
		s %= 86400;
	}
	if (s > 3600) {
		n += snprintf(out + n, cap - (size_t)n, "%lldh", (long long)(s / 3600));
		s %= 3600;
	}
	snprintf(out + n, cap - (size_t)n, "%02lldm%02llds", (long long)(s / 60), (long long)(s % 60));
}

/* time.Duration.String of whole seconds: "0s", "5s", "1m5s", "1h0m5s" */
static void go_duration(int64_t s, char *out, size_t cap)
{
	if (s >= 3600)
		snprintf(out, cap, "%lldh%lldm%llds", (long long)(s / 3600),
			 (long long)(s % 3600 / 60), (long long)(s % 60));
	else if (s >= 60)
		snprintf(out, cap, "%lldm%llds", (long long)(s / 60), (long long)(s % 60));
	else
		snprintf(out, cap, "%llds", (long long)s);
}

/* The boxes after the bar: percent, speed, time left (or spent). */
static void go_bar_tail(const struct go_bar *b, int64_t now, bool finished, char *out, size_t cap)
{
	char speed[40] = "", left[40] = "", t[32];
	double pct = b->total ? (double)b->cur / ((double)b->total / 100.0) : (double)b->cur / 100.0;
	int64_t since = now - b->start_ns;

	if (b->cur > 0 && since > 0) {
		go_bytes((uint64_t)((double)b->cur / ((double)since / NS_PER_S)), t, sizeof(t));
		snprintf(speed, sizeof(speed), " %s/s", t);
	}
	if (finished) {
		go_duration(since / NS_PER_S, t, sizeof(t));
		snprintf(left, sizeof(left), " %s", t);
	} else if (b->cur > 0 && b->total) {
		int64_t per = (b->change_ns - b->start_ns) / (int64_t)b->cur;
		int64_t l = ((int64_t)(b->total - b->cur) * per - (now - b->change_ns)) / NS_PER_S;

		if (l > 0) {
			go_left(l, t, sizeof(t));
			snprintf(left, sizeof(left), " %s", t);
		}
	}
	snprintf(out, cap, " %6.02f%%%s%s", pct, speed, left);
}

void go_bar_line(const struct go_bar *b, int64_t now, bool finished, char *out, size_t cap)
{
	char cur[24], total[24], counters[64], tail[96];
	int size, len, fill, empty, n;

	go_bytes(b->cur, cur, sizeof(cur));
	go_bytes(b->total, total, sizeof(total));
	snprintf(counters, sizeof(counters), " %s / %s ", cur, total);
	go_bar_tail(b, now, finished, tail, sizeof(tail));
	size = b->width - (int)(strlen(counters) + 2 + strlen(tail));
	n = snprintf(out, cap, "%s", counters);
	if (size > 0 && b->total) {
		double x = (double)b->cur / (double)b->total * size;	/* math.Ceil of it */

		fill = (int)x + ((double)(int)x < x);
		fill = fill > size ? size : fill;
		empty = size - fill;
		n += snprintf(out + n, cap - (size_t)n, "[");
		for (int i = 0; i < fill && (size_t)n + 1 < cap; i++)
			out[n++] = empty > 0 && i == fill - 1 ? '>' : '=';
		for (int i = 0; i < empty && (size_t)n + 1 < cap; i++)
			out[n++] = '-';
		out[n] = 0;
		n += snprintf(out + n, cap - (size_t)n, "]");
	}
	snprintf(out + n, cap - (size_t)n, "%s", tail);
	for (len = (int)strlen(out); len < b->width && (size_t)len + 1 < cap; len++)
		out[len] = ' ';
	out[len] = 0;
}

static void go_bar_draw(struct go_bar *b, int64_t now, bool finished)
{
	char line[1024];

	go_bar_line(b, now, finished, line, sizeof(line));
	fprintf(b->f, "\r%s", line);
	fflush(b->f);
	b->drawn_ns = now;
}

void go_bar_start(struct go_bar *b, FILE *f, bool on, uint64_t total)
{
	memset(b, 0, sizeof(*b));
	b->f = f;
	b->on = on;
	b->total = total;
	if (!on)
		return;
	b->width = progress_columns(f);
	b->start_ns = b->change_ns = now_ns();
	go_bar_draw(b, b->start_ns, false);
}

void go_bar_update(struct go_bar *b, uint64_t cur)
{
	int64_t now;

	if (!b->on)
		return;
	now = now_ns();
	if (cur != b->cur)
		b->change_ns = now;
	b->cur = cur;
	/* pb's refresher draws every DEFAULT_REFRESH_RATE, 200 ms. */
	if (now - b->drawn_ns >= NS_PER_S / 5)
		go_bar_draw(b, now, false);
}

void go_bar_finish(struct go_bar *b)
{
	if (!b->on)
		return;
	go_bar_draw(b, now_ns(), true);
	fputc('\n', b->f);
	b->on = false;
}
