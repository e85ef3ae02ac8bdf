/* Progress of a transfer on stderr: a bar on a terminal, a plain line
 * every 10 % or 10 s elsewhere (CI logs), or JSON lines. The rate and ETA
 * come from the last seconds (a window), not the average since the start,
 * and the wait for the first answer (a slot erase) is shown as a phase. */
#ifndef CLI_PROGRESS_H
#define CLI_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum progress_mode {
	PROGRESS_OFF,
	PROGRESS_BAR,	/* a terminal: one line redrawn */
	PROGRESS_LINES, /* not a terminal: a line every 10 % or 10 s */
	PROGRESS_JSON,	/* a JSON object a line */
};

/* Samples the recent rate is taken from. */
#define PROGRESS_SAMPLES 32

struct progress_sample {
	int64_t ms;
	size_t done;
};

struct progress {
	FILE *f;
	bool enabled;
	enum progress_mode mode;
	/* Shown until the first update: what the device is doing before its
	 * first answer ("erasing slot 1"), or NULL. */
	const char *waiting;
	bool started;	    /* the first update came */
	int64_t started_ms; /* when: the end of the waiting phase */
	bool drawn;	    /* a bar is on the screen */
	int64_t line_ms;    /* the last plain or JSON line */
	int line_pct;
	struct progress_sample win[PROGRESS_SAMPLES];
	unsigned win_head, win_n;
	const char *label;
	int64_t start_ms, last_ms;
	size_t start_off; /* where this run began (a resume) */
	size_t done, total;
	/* Percent between two plain or JSON lines: 10, or 1 for a factory
	 * board, whose parent draws a percent column from its JSON lines;
	 * set after progress_start. */
	int line_step;
};

/* The mode --progress names, or for "auto" (or NULL) the one that suits
 * where stderr goes: JSON lines beside --json, a bar on a terminal, plain
 * lines elsewhere; none when another output draws the progress (Go
 * mcumgr's bar on stdout). A name it does not
 * know counts as auto: the option's parser refuses it first. */
enum progress_mode progress_mode_pick(const char *name, bool json, bool err_is_tty,
				      bool drawn_elsewhere);
void progress_start(struct progress *p, FILE *f, bool enabled, const char *label, size_t total);
void progress_start_mode(struct progress *p, FILE *f, enum progress_mode mode, const char *label,
			 size_t total);
/* Called while waiting for an answer: keeps the waiting phase's elapsed
 * time and the plain lines going when no byte moves. */
void progress_tick(struct progress *p);
/* Takes the bar off the screen for a log line; the next update or tick
 * draws it again below the line. */
void progress_clear(struct progress *p);
/* Draws the bar again after progress_clear (below a log line). */
void progress_redraw(struct progress *p);
/* Bytes a second over the recent window, and that window in seconds. */
double progress_recent_rate(const struct progress *p, double *window_s);
void progress_update(struct progress *p, size_t done);
/* Clears the bar line. */
void progress_end(struct progress *p);
/* Seconds since progress_start. */
double progress_elapsed(const struct progress *p);
/* Seconds the waiting phase took (to the first byte acknowledged). */
double progress_waited(const struct progress *p);
/* " (12.3 KiB/s)" for bytes moved in secs, or "" when the time is too
 * short to measure or nothing moved: never "0 B/s". */
const char *progress_rate(double bytes, double secs, char *buf, size_t cap);
/* Columns of the terminal f is on; COLUMNS, else 80, when it is none. */
int progress_columns(FILE *f);
/* "12.3 KiB" style, into buf. */
const char *progress_bytes(double n, char *buf, size_t cap);

#endif
