/* The compact form of many boards: one brace group in a CONN,
 *   mqtt://host/line3/{dev1,dev2,dev7}   a list
 *   mqtt://host/line3/dev{1..50}         a range, optionally zero-padded ({01..50})
 * as a shell would expand it unquoted, so that a quoted one (or one from
 * --each-file) gives the same boards. */
#include "cli/fleet/fleet.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int add_copy(struct fleet *fl, const char *head, size_t head_len, const char *mid,
		    size_t mid_len, const char *tail, int (*add)(struct fleet *, const char *))
{
	char *s;

	if (fl->n_expanded == FLEET_MAX_BOARDS)
		return cli_fail(fl->ctx, EXIT_USAGE, "upgrade --each: more than %d boards",
				FLEET_MAX_BOARDS);
	if (!(s = malloc(head_len + mid_len + strlen(tail) + 1)))
		return cli_fail(fl->ctx, EXIT_LOCAL, "out of memory");
	sprintf(s, "%.*s%.*s%s", (int)head_len, head, (int)mid_len, mid, tail);
	fl->expanded[fl->n_expanded++] = s;
	return add(fl, s);
}

/* A zero-padded bound ({0001..0100}) pads to its own width, as bash
 * does; this many digits are taken, a wider one is refused. */
#define RANGE_MAX_WIDTH 40

enum range_form {
	NOT_RANGE,
	RANGE,
	RANGE_TOO_WIDE,
	RANGE_TOO_BIG
};

/* A run of decimal digits; false when s is not one. */
static bool digits(const char *s, size_t n)
{
	if (!n)
		return false;
	while (n--)
		if (*s < '0' || *s++ > '9')
			return false;
	return true;
}

static bool to_ulong(const char *s, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 10);
	return errno != ERANGE;
}

/* "{N..M}": RANGE with the bounds and the width to pad to; NOT_RANGE when
 * it is a list's single name; otherwise why it cannot be one. */
static enum range_form range(const char *in, size_t len, unsigned long *lo, unsigned long *hi,
			     int *width)
{
	char buf[2 * RANGE_MAX_WIDTH + 3];
	const char *dots = len > 2 ? memmem(in, len, "..", 2) : NULL;
	size_t nlo, nhi;

	if (!dots)
		return NOT_RANGE;
	nlo = (size_t)(dots - in);
	nhi = len - nlo - 2;
	if (!digits(in, nlo) || !digits(dots + 2, nhi))
		return NOT_RANGE;
	if (nlo > RANGE_MAX_WIDTH || nhi > RANGE_MAX_WIDTH)
		return RANGE_TOO_WIDE;
	memcpy(buf, in, len);
	buf[len] = 0;
	buf[nlo] = 0;
	if (!to_ulong(buf, lo) || !to_ulong(buf + nlo + 2, hi))
		return RANGE_TOO_BIG;
	*width = buf[0] == '0' && nlo > 1 ? (int)nlo : 0;
	return RANGE;
}

/* Each board of the range {lo..hi} (checked), padded to width. */
static int add_range(struct fleet *fl, const char *conn, const char *open, const char *close,
		     unsigned long lo, unsigned long hi, int width,
		     int (*add)(struct fleet *, const char *))
{
	char num[RANGE_MAX_WIDTH + 1];
	unsigned long v;
	int rc = EXIT_OK;

	if (hi < lo || hi - lo >= FLEET_MAX_BOARDS)
		return cli_fail(fl->ctx, EXIT_USAGE,
				"upgrade --each '%s': a range of 1 to "
				"%d boards, low to high",
				conn, FLEET_MAX_BOARDS);
	/* v == hi ends it: hi may be ULONG_MAX, past which v wraps. */
	for (v = lo; rc == EXIT_OK; v++) {
		snprintf(num, sizeof(num), "%0*lu", width, v);
		rc = add_copy(fl, conn, (size_t)(open - conn), num, strlen(num), close + 1, add);
		if (v == hi)
			break;
	}
	return rc;
}

int fleet_expand(struct fleet *fl, const char *conn, int (*add)(struct fleet *, const char *))
{
	const char *open = strchr(conn, '{'), *close = open ? strchr(open, '}') : NULL;
	const char *item, *comma;
	unsigned long lo, hi;
	int width, rc = EXIT_OK;

	if (!open)
		return add(fl, conn);
	if (!close || strchr(close + 1, '{') || close == open + 1)
		return cli_fail(fl->ctx, EXIT_USAGE,
				"upgrade --each '%s': expected one group "
				"{a,b,...} or {N..M}",
				conn);
	switch (range(open + 1, (size_t)(close - open - 1), &lo, &hi, &width)) {
	case RANGE:
		return add_range(fl, conn, open, close, lo, hi, width, add);
	case RANGE_TOO_WIDE:
		return cli_fail(fl->ctx, EXIT_USAGE,
				"upgrade --each '%s': a range's numbers "
				"have at most %d digits",
				conn, RANGE_MAX_WIDTH);
	case RANGE_TOO_BIG:
		return cli_fail(fl->ctx, EXIT_USAGE,
				"upgrade --each '%s': a range's numbers "
				"go up to %lu",
				conn, ULONG_MAX);
	case NOT_RANGE:
		break;
	}
	for (item = open + 1; rc == EXIT_OK && item <= close; item = comma + 1) {
		comma = memchr(item, ',', (size_t)(close - item));
		if (!comma)
			comma = close;
		if (comma == item)
			return cli_fail(fl->ctx, EXIT_USAGE,
					"upgrade --each '%s': an empty name "
					"in the group",
					conn);
		rc = add_copy(fl, conn, (size_t)(open - conn), item, (size_t)(comma - item),
			      close + 1, add);
	}
	return rc;
}
