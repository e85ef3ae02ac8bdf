#include "cli/progress.h"

#include "smp/clock.h"

const char *progress_bytes(double n, char *buf, size_t cap)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB" };
	int u = 0;

	while (n >= 1024 && u < 3) {
		n /= 1024;
		u++;
	}
	snprintf(buf, cap, u ? "%.1f %s" : "%.0f %s", n, units[u]);
	return buf;
}

void progress_start(struct progress *p, FILE *f, bool enabled, const char *label, size_t total)
{
	p->f = f;
	p->enabled = enabled;
	p->label = label;
	p->start_ms = p->last_ms = smp_clock_ms();
	p->start_off = (size_t)-1;
	p->done = 0;
	p->total = total;
	p->feed = NULL;
	p->feed_ms = 0;
}

double progress_elapsed(const struct progress *p)
{
	return (double)(smp_clock_ms() - p->start_ms) / 1000.0;
}

void progress_update(struct progress *p, size_t done)
{
	int64_t now = smp_clock_ms();
	char a[32], b[32], r[32], eta[32] = "";
	double secs, rate;
	int pct, fill, i;

	if (p->start_off == (size_t)-1)
		p->start_off = done;
	p->done = done;
	if (p->feed && (now - p->feed_ms >= 200 || done >= p->total)) {
		p->feed_ms = now;
		fprintf(p->feed, "P %zu %zu\n", done, p->total);
		fflush(p->feed);
	}
	/* Ten redraws a second at most; always draw the end. */
	if (!p->enabled || (now - p->last_ms < 100 && done < p->total))
		return;
	p->last_ms = now;
	secs = (double)(now - p->start_ms) / 1000.0;
	rate = secs > 0 ? (double)(done - p->start_off) / secs : 0;
	pct = p->total ? (int)(100.0 * (double)done / (double)p->total) : 100;
	fill = pct * 30 / 100;
	if (rate > 0 && done < p->total)
		snprintf(eta, sizeof(eta), " ETA %.0fs", (double)(p->total - done) / rate);
	fprintf(p->f, "\r%s [", p->label);
	for (i = 0; i < 30; i++)
		fputc(i < fill ? '#' : ' ', p->f);
	fprintf(p->f, "] %3d%% %s/%s %s/s%s\033[K", pct, progress_bytes((double)done, a, sizeof(a)),
		progress_bytes((double)p->total, b, sizeof(b)), progress_bytes(rate, r, sizeof(r)),
		eta);
	fflush(p->f);
}

void progress_end(struct progress *p)
{
	if (!p->enabled)
		return;
	fprintf(p->f, "\r\033[K");
	fflush(p->f);
}
