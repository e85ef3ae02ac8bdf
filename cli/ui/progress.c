#include "cli/ui/progress.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/cli.h"
#include "smp/clock.h"

/* Below this a rate says more about the clock than the link. */
#define MIN_RATE_SECONDS 0.01
#define BAR_MAX 40
#define BAR_MIN 10
/* The recent rate is measured over this much time. */
#define RATE_WINDOW_MS 5000
/* Not a terminal: a line at least this often. */
#define LINE_EVERY_MS 10000

static int percent(const struct progress *p)
{
	return p->total ? (int)(100.0 * (double)p->done / (double)p->total) : 100;
}

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

enum progress_mode progress_mode_pick(const char *name, bool json, bool err_is_tty,
				      bool drawn_elsewhere)
{
	static const struct {
		const char *name;
		enum progress_mode mode;
	} modes[] = {
		{ "bar", PROGRESS_BAR },
		{ "lines", PROGRESS_LINES },
		{ "json", PROGRESS_JSON },
		{ "none", PROGRESS_OFF },
	};
	size_t i;

	for (i = 0; name && i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(name, modes[i].name))
			return modes[i].mode;
	if (drawn_elsewhere)
		return PROGRESS_OFF;
	if (json)
		return PROGRESS_JSON;
	return err_is_tty ? PROGRESS_BAR : PROGRESS_LINES;
}

void progress_start_mode(struct progress *p, FILE *f, enum progress_mode mode, const char *label,
			 size_t total)
{
	memset(p, 0, sizeof(*p));
	p->f = f;
	p->mode = mode;
	p->enabled = mode == PROGRESS_BAR;
	p->label = label;
	p->start_ms = p->last_ms = p->line_ms = smp_clock_ms();
	p->start_off = (size_t)-1;
	p->total = total;
	p->line_pct = -1;
	p->line_step = 10;
}

void progress_start(struct progress *p, FILE *f, bool enabled, const char *label, size_t total)
{
	progress_start_mode(p, f, enabled ? PROGRESS_BAR : PROGRESS_OFF, label, total);
}

double progress_elapsed(const struct progress *p)
{
	return (double)(smp_clock_ms() - p->start_ms) / 1000.0;
}

double progress_waited(const struct progress *p)
{
	return p->started ? (double)(p->started_ms - p->start_ms) / 1000.0 : progress_elapsed(p);
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
	if (bar >= BAR_MIN && pct >= 0) {
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
	p->drawn = true;
}

/* Keeps a sample every quarter second at most; the oldest one inside the
 * window is where the recent rate is measured from. */
static void sample(struct progress *p, int64_t now, size_t done)
{
	struct progress_sample *last;

	if (p->win_n) {
		last = &p->win[(p->win_head + PROGRESS_SAMPLES - 1) % PROGRESS_SAMPLES];
		if (now - last->ms < 250) {
			last->done = done > last->done ? last->done : done;
			return;
		}
	}
	p->win[p->win_head] = (struct progress_sample){ now, done };
	p->win_head = (p->win_head + 1) % PROGRESS_SAMPLES;
	if (p->win_n < PROGRESS_SAMPLES)
		p->win_n++;
}

double progress_recent_rate(const struct progress *p, double *window_s)
{
	int64_t now = smp_clock_ms();
	const struct progress_sample *first = NULL, *s;
	unsigned i;

	*window_s = 0;
	for (i = 0; i < p->win_n; i++) {
		s = &p->win[(p->win_head + PROGRESS_SAMPLES - p->win_n + i) % PROGRESS_SAMPLES];
		if (now - s->ms <= RATE_WINDOW_MS) {
			first = s;
			break;
		}
	}
	if (!first || p->done <= first->done)
		return 0;
	*window_s = (double)(now - first->ms) / 1000.0;
	return *window_s >= MIN_RATE_SECONDS ? (double)(p->done - first->done) / *window_s : 0;
}

static void stats_text(struct progress *p, double rate, char *stats, size_t cap)
{
	char a[32], b[32], r[32], rs[40] = "", eta[32] = "";

	if (rate > 0 && p->done < p->total)
		snprintf(eta, sizeof(eta), " ETA %.0fs", (double)(p->total - p->done) / rate);
	if (rate > 0)
		snprintf(rs, sizeof(rs), " %s/s", progress_bytes(rate, r, sizeof(r)));
	snprintf(stats, cap, "%3d%% %s/%s%s%s", percent(p),
		 progress_bytes((double)p->done, a, sizeof(a)),
		 progress_bytes((double)p->total, b, sizeof(b)), rs, eta);
}

/* {"progress":..,"phase":..,"bytes":..,"total":..,"elapsed":..,"rate":..,
 * "eta":..,"window":..}: the rate in bytes a second, with the fewest
 * digits that read back; times in seconds, to the ms. */
static void json_line(struct progress *p, const char *phase, double rate, double window)
{
	double eta = rate > 0 && p->done < p->total ? (double)(p->total - p->done) / rate : -1;

	cli_json_line(p->f,
		      json_pack("{s:s,s:s,s:I,s:I,s:f,s:f,s:o,s:f}", "progress", p->label, "phase",
				phase, "bytes", (json_int_t)p->done, "total", (json_int_t)p->total,
				"elapsed", cli_json_round(progress_elapsed(p), 3), "rate", rate,
				"eta", eta >= 0 ? json_real(cli_json_round(eta, 3)) : json_null(),
				"window", cli_json_round(window, 3)));
}

/* The waiting phase: "erasing slot 1... 12 s" until the first answer. */
static void show_waiting(struct progress *p, int64_t now)
{
	char stats[160];
	double secs = (double)(now - p->start_ms) / 1000.0;

	if (p->mode == PROGRESS_BAR) {
		snprintf(stats, sizeof(stats), "%s\u2026 %.0f s", p->waiting, secs);
		draw(p, -1, stats);
	} else if (p->mode == PROGRESS_LINES) {
		fprintf(p->f, "%s: %s\u2026 %.0f s\n", p->label, p->waiting, secs);
		fflush(p->f);
	} else if (p->mode == PROGRESS_JSON) {
		json_line(p, "erase", 0, 0);
	}
}

void progress_tick(struct progress *p)
{
	int64_t now = smp_clock_ms();

	if (p->mode == PROGRESS_OFF)
		return;
	if (!p->started && p->waiting) {
		/* A log gets the phase at once; a terminal after half a
		 * second, so that a quick first answer does not flicker. */
		if ((p->mode == PROGRESS_BAR && now - p->last_ms >= 500) ||
		    (p->mode != PROGRESS_BAR && p->line_pct == -1) ||
		    now - p->line_ms >= LINE_EVERY_MS) {
			p->line_pct = -2;
			p->last_ms = p->line_ms = now;
			show_waiting(p, now);
		}
		return;
	}
	if (p->started && p->mode != PROGRESS_BAR && now - p->line_ms >= LINE_EVERY_MS)
		progress_update(p, p->done);
	/* The last bytes and a rate that falls while nothing moves. */
	if (p->started && p->mode == PROGRESS_BAR && now - p->last_ms >= 250) {
		p->last_ms = now;
		p->drawn = false;
		progress_redraw(p);
	}
}

/* Not a terminal: a line at every line_step % or after 10 s without one. */
static void plain_line(struct progress *p, int64_t now, double rate, double window)
{
	char stats[160];
	int pct = percent(p);

	if (p->done < p->total && pct / p->line_step == p->line_pct / p->line_step &&
	    now - p->line_ms < LINE_EVERY_MS)
		return;
	p->line_pct = pct;
	p->line_ms = now;
	if (p->mode == PROGRESS_JSON) {
		json_line(p, p->done < p->total ? p->label : "done", rate, window);
		return;
	}
	stats_text(p, rate, stats, sizeof(stats));
	fprintf(p->f, "%s: %s\n", p->label, stats);
	fflush(p->f);
}

void progress_update(struct progress *p, size_t done)
{
	int64_t now = smp_clock_ms();
	char stats[160];
	double rate, window;

	if (p->start_off == (size_t)-1)
		p->start_off = done;
	p->done = done;
	/* The calls before the first answer move nothing: the device is
	 * still in the waiting phase (the erase). */
	if (!p->started && done == p->start_off)
		return;
	if (!p->started)
		p->started_ms = now;
	p->started = true;
	sample(p, now, done);
	if (p->mode == PROGRESS_OFF)
		return;
	rate = progress_recent_rate(p, &window);
	if (p->mode != PROGRESS_BAR) {
		plain_line(p, now, rate, window);
		return;
	}
	/* Ten redraws a second at most; always draw the end. */
	if (p->drawn && now - p->last_ms < 100 && done < p->total)
		return;
	p->last_ms = now;
	stats_text(p, rate, stats, sizeof(stats));
	draw(p, percent(p), stats);
}

void progress_redraw(struct progress *p)
{
	char stats[160];
	double window;

	if (p->mode != PROGRESS_BAR || p->drawn)
		return;
	if (!p->started) {
		if (p->waiting && smp_clock_ms() - p->start_ms >= 500)
			show_waiting(p, smp_clock_ms());
		return;
	}
	stats_text(p, progress_recent_rate(p, &window), stats, sizeof(stats));
	draw(p, percent(p), stats);
}

void progress_clear(struct progress *p)
{
	if (p->mode != PROGRESS_BAR || !p->drawn)
		return;
	fprintf(p->f, "\r\033[K");
	fflush(p->f);
	p->drawn = false;
}

void progress_end(struct progress *p)
{
	progress_clear(p);
}
