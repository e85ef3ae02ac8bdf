#include "cli/ui/progress.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "smp/clock.h"

/* Below this a rate says more about the clock than the link. */
#define MIN_RATE_SECONDS 0.01
#define BAR_MAX 40
#define BAR_MIN 10

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

const char *progress_rate(double bytes, double secs, char *buf, size_t cap)
{
	char n[32];

	/* Under 1 B/s (a byte or two, answered slowly) it would print
	 * as 0 B/s: no rate either. */
	if (bytes <= 0 || secs < MIN_RATE_SECONDS || bytes / secs < 1)
		snprintf(buf, cap, "%s", "");
	else
		snprintf(buf, cap, " (%s/s)", progress_bytes(bytes / secs, n, sizeof(n)));
	return buf;
}

int progress_columns(FILE *f)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");
	int cols;

	if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	cols = env ? atoi(env) : 0;
	return cols > 0 ? cols : 80;
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

/* The line, fitted to cols - 1 columns so that it never wraps (a wrapped
 * bar turns every redraw into a new line): the bar shrinks first, then
 * goes, then the text is cut. */
static void draw(struct progress *p, int pct, const char *stats)
{
	char line[512];
	int cols = progress_columns(p->f) - 1, room, bar, fill, n, i;

	room = cols - (int)strlen(p->label) - (int)strlen(stats) - 4;
	bar = room > BAR_MAX ? BAR_MAX : room;
	n = snprintf(line, sizeof(line), "%s ", p->label);
	if (bar >= BAR_MIN) {
		fill = pct * bar / 100;
		line[n++] = '[';
		for (i = 0; i < bar; i++)
			line[n++] = i < fill ? '#' : ' ';
		line[n++] = ']';
		line[n++] = ' ';
	}
	snprintf(line + n, sizeof(line) - (size_t)n, "%s", stats);
	if (cols > 0 && (int)strlen(line) > cols)
		line[cols] = 0;
	fprintf(p->f, "\r%s\033[K", line);
	fflush(p->f);
}

void progress_update(struct progress *p, size_t done)
{
	int64_t now = smp_clock_ms();
	char a[32], b[32], r[32], rs[40], stats[160], eta[32] = "";
	double secs, rate;
	int pct;

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
	rate = secs >= MIN_RATE_SECONDS ? (double)(done - p->start_off) / secs : 0;
	pct = p->total ? (int)(100.0 * (double)done / (double)p->total) : 100;
	if (rate > 0 && done < p->total)
		snprintf(eta, sizeof(eta), " ETA %.0fs", (double)(p->total - done) / rate);
	snprintf(rs, sizeof(rs), "%s/s", progress_bytes(rate, r, sizeof(r)));
	snprintf(stats, sizeof(stats), "%3d%% %s/%s%s%s%s", pct,
		 progress_bytes((double)done, a, sizeof(a)),
		 progress_bytes((double)p->total, b, sizeof(b)), rate > 0 ? " " : "",
		 rate > 0 ? rs : "", eta);
	draw(p, pct, stats);
}

void progress_end(struct progress *p)
{
	if (!p->enabled)
		return;
	fprintf(p->f, "\r\033[K");
	fflush(p->f);
}
