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
