#include "smp/cbor_check.h"

#include <stdbool.h>

enum frame_kind {
	FRAME_DEFINITE,	  /* array, map or tag: a count of items to come */
	FRAME_INDEFINITE, /* array or map ended by a break */
	FRAME_CHUNKS,	  /* indefinite string: definite chunks, then a break */
};

struct frame {
	enum frame_kind kind;
	uint8_t major; /* for FRAME_CHUNKS: the chunks' type; 5: a map */
	uint64_t left; /* FRAME_DEFINITE: items still to come */
	uint64_t seen; /* the indefinite kinds: items so far */
};

struct walk {
	const uint8_t *buf;
	size_t len, pos;
	struct frame stack[SMP_CBOR_MAX_DEPTH];
	unsigned depth;
	bool done; /* the top-level item is complete */
};

struct head {
	uint8_t major, ai;
	uint64_t arg;
	bool indefinite;
};

static size_t remaining(const struct walk *w)
{
	return w->len - w->pos;
}

/* Reads one initial byte and its argument (RFC 8949 section 3). */
static int read_head(struct walk *w, struct head *h, const char **why)
{
	uint8_t ib;
	unsigned n, i;

	if (remaining(w) == 0) {
		*why = "truncated CBOR";
		return -1;
	}
	ib = w->buf[w->pos++];
	h->major = ib >> 5;
	h->ai = ib & 0x1f;
	h->indefinite = h->ai == 31;
	h->arg = h->ai;
	if (h->ai < 24 || h->indefinite)
		return 0;
	if (h->ai > 27) {
		*why = "malformed CBOR"; /* 28..30 are reserved */
		return -1;
	}
	n = 1u << (h->ai - 24);
	if (remaining(w) < n) {
		*why = "truncated CBOR";
		return -1;
	}
	h->arg = 0;
	for (i = 0; i < n; i++)
		h->arg = h->arg << 8 | w->buf[w->pos++];
	return 0;
}

/* One item finished: count it in the containers around it, closing every
 * definite one it completes. */
static void item_done(struct walk *w)
{
	while (w->depth > 0) {
		struct frame *f = &w->stack[w->depth - 1];

		if (f->kind != FRAME_DEFINITE) {
			f->seen++;
			return;
		}
		if (--f->left > 0)
			return;
		w->depth--;
	}
	w->done = true;
}

static int push(struct walk *w, enum frame_kind kind, uint8_t major, uint64_t left,
		const char **why)
{
	if (w->depth == SMP_CBOR_MAX_DEPTH) {
		*why = "CBOR nested too deeply";
		return -1;
	}
	w->stack[w->depth++] = (struct frame){ .kind = kind, .major = major, .left = left };
	return 0;
}

static int end_indefinite(struct walk *w, const char **why)
{
	struct frame *f = w->depth ? &w->stack[w->depth - 1] : NULL;

	if (!f || f->kind == FRAME_DEFINITE) {
		*why = "malformed CBOR"; /* a break outside an indefinite item */
		return -1;
	}
	if (f->kind == FRAME_INDEFINITE && f->major == 5 && f->seen % 2) {
		*why = "malformed CBOR"; /* a key without a value */
		return -1;
	}
	w->depth--;
	item_done(w);
	return 0;
}

/* A declared count of items, each at least one byte, or of string bytes,
 * must fit in what is left: libcbor would reserve it before reading. */
static int fits(const struct walk *w, uint64_t bytes_needed, const char **why)
{
	if (bytes_needed > remaining(w)) {
		*why = "CBOR length larger than the payload";
		return -1;
	}
	return 0;
}

static int container(struct walk *w, const struct head *h, const char **why)
{
	uint64_t items = h->arg;

	if (h->indefinite)
		return push(w, FRAME_INDEFINITE, h->major, 0, why);
	if (h->major == 5) {
		if (items > UINT64_MAX / 2) {
			*why = "CBOR length larger than the payload";
			return -1;
		}
		items *= 2;
	}
	if (fits(w, items, why) != 0)
		return -1;
	if (items == 0) {
		item_done(w);
		return 0;
	}
	return push(w, FRAME_DEFINITE, h->major, items, why);
}

static int simple(struct walk *w, const struct head *h, const char **why)
{
	/* One-byte simple values below 32 are not well-formed (section 3.3). */
	if (h->ai == 24 && h->arg < 32) {
		*why = "malformed CBOR";
		return -1;
	}
	item_done(w);
	return 0;
}

static int step(struct walk *w, const char **why)
{
	struct frame *top;
	struct head h;

	if (read_head(w, &h, why) != 0)
		return -1;
	if (h.major == 7 && h.indefinite)
		return end_indefinite(w, why);
	top = w->depth ? &w->stack[w->depth - 1] : NULL;
	if (top && top->kind == FRAME_CHUNKS && (h.major != top->major || h.indefinite)) {
		*why = "malformed CBOR"; /* chunks are definite strings of one type */
		return -1;
	}
	switch (h.major) {
	case 0:
	case 1:
		if (h.indefinite)
			break;
		item_done(w);
		return 0;
	case 2:
	case 3:
		if (h.indefinite)
			return push(w, FRAME_CHUNKS, h.major, 0, why);
		if (fits(w, h.arg, why) != 0)
			return -1;
		w->pos += (size_t)h.arg;
		item_done(w);
		return 0;
	case 4:
	case 5:
		return container(w, &h, why);
	case 6:
		if (h.indefinite)
			break;
		return push(w, FRAME_DEFINITE, 6, 1, why);
	case 7:
		return simple(w, &h, why);
	}
	*why = "malformed CBOR";
	return -1;
}

int smp_cbor_check(const uint8_t *buf, size_t len, size_t *used, const char **why)
{
	struct walk w = { .buf = buf, .len = len };

	/* Every step consumes at least one byte, so this ends within len steps. */
	while (!w.done)
		if (step(&w, why) != 0)
			return -1;
	*used = w.pos;
	return 0;
}
