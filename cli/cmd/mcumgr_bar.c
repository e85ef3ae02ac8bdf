/* Go mcumgr's image upload bar: gopkg.in/cheggaaa/pb.v1 v1.0.28 (the
 * version apache/mynewt-newtmgr's go.mod pins), pb.go write() and
 * format.go, as image.go imageUploadCmd sets it up (StartNew,
 * SetUnits(U_BYTES), ShowSpeed). See cli/cmd/mcumgr_print.h. */
#include "cli/cmd/mcumgr_print.h"

#include <string.h>
#include <time.h>

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
	} units[] = { { 1099511627776.0, "TiB" },
		      { 1073741824.0, "GiB" },
		      { 1048576.0, "MiB" },
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
	snprintf(out + n, cap - (size_t)n, "%02lldm%02llds", (long long)(s / 60),
		 (long long)(s % 60));
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
	double pct = b->total ? (double)b->cur / ((double)b->total / 100.0)
			      : (double)b->cur / 100.0;
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
		double x = (double)b->cur / (double)b->total * size; /* math.Ceil of it */

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
