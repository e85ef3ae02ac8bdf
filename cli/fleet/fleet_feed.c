/* What the factory line's parent reads from a board's process: the JSON
 * progress lines a script gets from `smpctl --json upgrade` (man page,
 * JSON OUTPUT), one object a line, told apart by "progress". The pipe is
 * the child's, but a line is treated as any input: one that is no such
 * object, an unknown kind, a field of the wrong type or a word outside
 * its set changes nothing, and what is kept is cut to its buffer. */
#include "cli/fleet/fleet.h"

#include <string.h>

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* A word the board's line may show on a terminal: a step's or a result's
 * name, lowercase and hyphens, never an escape sequence. */
static bool plain_word(const char *s, size_t max)
{
	size_t n = s ? strspn(s, "abcdefghijklmnopqrstuvwxyz-") : 0;

	return n > 0 && n < max && !s[n];
}

/* Text the table may print as it is: no C0 or C1 control character
 * (an escape sequence), which smpctl's own lines never hold. */
static bool printable(const char *s)
{
	const unsigned char *c;

	for (c = (const unsigned char *)s; *c; c++)
		if (*c < 0x20 || *c == 0x7f || (*c == 0xc2 && c[1] >= 0x80 && c[1] <= 0x9f))
			return false;
	return true;
}

/* A count of bytes: an integer, 0 or more. */
static bool byte_count(const json_t *v, size_t *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return false;
	*out = (size_t)json_integer_value(v);
	return true;
}

/* {"progress": "upload", "phase", "bytes", "total", ...} */
static void on_transfer(struct fleet_board *b, json_t *ev)
{
	size_t done, total;

	if (!byte_count(json_object_get(ev, "bytes"), &done) ||
	    !byte_count(json_object_get(ev, "total"), &total) || done > total)
		return;
	b->done = done;
	b->total = total;
	snprintf(b->phase, sizeof(b->phase), "upload");
}

/* {"progress": "step", "step": NAME, "status": "running"|outcome}: a
 * step's start is the board's phase. */
static void on_step(struct fleet_board *b, json_t *ev)
{
	const char *step = str(ev, "step"), *status = str(ev, "status");

	if (status && !strcmp(status, "running") && plain_word(step, sizeof(b->phase)))
		snprintf(b->phase, sizeof(b->phase), "%s", step);
}

/* {"progress": "running", "version": V, "hash": H}: the image the board
 * ran before its upgrade, kept for a board that never says its result. */
static void on_running(struct fleet_board *b, json_t *ev)
{
	const char *version = str(ev, "version"), *hash = str(ev, "hash");

	if (!version || !printable(version))
		return;
	snprintf(b->before, sizeof(b->before), "%s", version);
	if (hash && strspn(hash, "0123456789abcdef") == strlen(hash))
		snprintf(b->before_hash, sizeof(b->before_hash), "%s", hash);
}

/* {"progress": "result", "result": R, ...}: the board's last word; the
 * first one counts. Its texts are printed in the table. */
static void on_result(struct fleet_board *b, json_t *ev)
{
	static const char *const results[] = { "upgraded", "up-to-date", "failed" };
	const char *r = str(ev, "result"), *key;
	json_t *v;
	size_t i;

	json_object_foreach(ev, key, v)
	{
		if (json_is_string(v) && !printable(json_string_value(v)))
			return;
	}
	for (i = 0; !b->result && r && i < sizeof(results) / sizeof(results[0]); i++)
		if (!strcmp(r, results[i])) {
			json_object_del(ev, "progress");
			b->result = json_incref(ev);
		}
}

int fleet_feed_line(struct fleet_board *b, const char *line)
{
	static const struct {
		const char *kind;
		void (*on)(struct fleet_board *b, json_t *ev);
	} kinds[] = {
		{ "upload", on_transfer },
		{ "step", on_step },
		{ "running", on_running },
		{ "result", on_result },
	};
	json_t *ev = json_loads(line, JSON_REJECT_DUPLICATES, NULL);
	const char *kind = str(ev, "progress");
	size_t i;
	int known = 0;

	for (i = 0; kind && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kind, kinds[i].kind)) {
			kinds[i].on(b, ev);
			known = 1;
		}
	json_decref(ev);
	return known;
}

void fleet_feed(struct fleet *fl, struct fleet_board *b, const char *data, size_t n,
		void (*said)(struct fleet *fl, struct fleet_board *b))
{
	const char *nl;
	size_t take;

	while (n) {
		nl = memchr(data, '\n', n);
		take = nl ? (size_t)(nl - data) : n;
		if (!b->skipping && b->len + take < sizeof(b->buf)) {
			memcpy(b->buf + b->len, data, take);
			b->len += take;
		} else {
			/* A line this long is no line of ours: all of it goes. */
			b->skipping = true;
			b->len = 0;
		}
		if (nl) {
			b->buf[b->len] = 0;
			if (!b->skipping && fleet_feed_line(b, b->buf) && said)
				said(fl, b);
			b->skipping = false;
			b->len = 0;
			take++;
		}
		data += take;
		n -= take;
	}
}
