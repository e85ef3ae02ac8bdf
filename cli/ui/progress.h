/* A progress bar on stderr for transfers: bytes, rate, ETA. Quiet when
 * stderr is not a terminal or output is JSON. */
#ifndef CLI_PROGRESS_H
#define CLI_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct progress {
	FILE *f;
	bool enabled;
	const char *label;
	int64_t start_ms, last_ms;
	size_t start_off; /* where this run began (a resume) */
	size_t done, total;
	/* Machine-readable "P DONE TOTAL" lines for a parent process (the
	 * factory line, cli/fleet/fleet.c), or NULL; set after progress_start. */
	FILE *feed;
	int64_t feed_ms;
};

void progress_start(struct progress *p, FILE *f, bool enabled, const char *label, size_t total);
void progress_update(struct progress *p, size_t done);
/* Clears the bar line. */
void progress_end(struct progress *p);
/* Seconds since progress_start. */
double progress_elapsed(const struct progress *p);
/* " (12.3 KiB/s)" for bytes moved in secs, or "" when the time is too
 * short to measure or nothing moved: never "0 B/s". */
const char *progress_rate(double bytes, double secs, char *buf, size_t cap);
/* Columns of the terminal f is on; COLUMNS, else 80, when it is none. */
int progress_columns(FILE *f);
/* "12.3 KiB" style, into buf. */
const char *progress_bytes(double n, char *buf, size_t cap);

#endif
