/* The compact form of many boards: one brace group in a CONN,
 *   mqtt://host/line3/{dev1,dev2,dev7}   a list
 *   mqtt://host/line3/dev{1..50}         a range, optionally zero-padded ({01..50})
 * as a shell would expand it unquoted, so that a quoted one (or one from
 * --each-file) gives the same boards. */
#include "cli/fleet/fleet.h"

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

/* "{N..M}": true with the bounds and the width to pad to. */
static bool range(const char *in, size_t len, unsigned long *lo, unsigned long *hi, int *width)
{
	char buf[48], *dots, *end;

	if (len >= sizeof(buf))
		return false;
	memcpy(buf, in, len);
	buf[len] = 0;
	dots = strstr(buf, "..");
	if (!dots || dots == buf || !dots[2])
		return false;
	*dots = 0;
	*lo = strtoul(buf, &end, 10);
	if (*end || buf[0] < '0' || buf[0] > '9')
		return false;
	*hi = strtoul(dots + 2, &end, 10);
	if (*end || dots[2] < '0' || dots[2] > '9')
		return false;
	*width = buf[0] == '0' && dots - buf > 1 ? (int)(dots - buf) : 0;
	return true;
}

int fleet_expand(struct fleet *fl, const char *conn, int (*add)(struct fleet *, const char *))
{
	const char *open = strchr(conn, '{'), *close = open ? strchr(open, '}') : NULL;
	const char *item, *comma;
	unsigned long lo, hi, v;
	char num[24];
	int width, rc = EXIT_OK;

	if (!open)
		return add(fl, conn);
	if (!close || strchr(close + 1, '{') || close == open + 1)
		return cli_fail(fl->ctx, EXIT_USAGE,
				"upgrade --each '%s': expected one group "
				"{a,b,...} or {N..M}",
				conn);
	if (range(open + 1, (size_t)(close - open - 1), &lo, &hi, &width)) {
		if (hi < lo || hi - lo >= FLEET_MAX_BOARDS)
			return cli_fail(fl->ctx, EXIT_USAGE,
					"upgrade --each '%s': a range of 1 to "
					"%d boards, low to high",
					conn, FLEET_MAX_BOARDS);
		for (v = lo; rc == EXIT_OK && v <= hi; v++) {
			snprintf(num, sizeof(num), "%0*lu", width, v);
			rc = add_copy(fl, conn, (size_t)(open - conn), num, strlen(num), close + 1,
				      add);
		}
		return rc;
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
