#include "smp/cbor_read.h"

#include <string.h>

#include <cbor.h>

/* One head as cbor_stream_decode reports it: a scalar, a string (or a
 * chunk of one), or the start of a container. */
enum tok_kind {
	TOK_UINT,
	TOK_NEGINT,
	TOK_BYTES, /* a definite byte string: str, n */
	TOK_TEXT,
	TOK_BYTES_START, /* an indefinite byte string: chunks, then a break */
	TOK_TEXT_START,
	TOK_ARRAY, /* n elements, or indefinite */
	TOK_MAP,   /* n pairs, or indefinite */
	TOK_TAG,
	TOK_SIMPLE,
	TOK_BREAK,
};

struct tok {
	enum tok_kind kind;
	bool indefinite;
	uint64_t n; /* the integer, tag, string length or container count */
	const uint8_t *str;
	enum smp_simple simple;
	double f;
};

/* Lengths and counts reach the callbacks as size_t up to libcbor 0.8 and
 * as uint64_t from 0.9 on: the same on a 64-bit host, not on an MCU. */
#if CBOR_MAJOR_VERSION == 0 && CBOR_MINOR_VERSION < 9
typedef size_t cbor_len;
#else
typedef uint64_t cbor_len;
#endif

static void on_uint8(void *c, uint8_t v)
{
	*(struct tok *)c = (struct tok){ .kind = TOK_UINT, .n = v };
}

static void on_uint16(void *c, uint16_t v)
{
	*(struct tok *)c = (struct tok){ .kind = TOK_UINT, .n = v };
}

static void on_uint32(void *c, uint32_t v)
{
	*(struct tok *)c = (struct tok){ .kind = TOK_UINT, .n = v };
}

static void on_uint64(void *c, uint64_t v)
{
	*(struct tok *)c = (struct tok){ .kind = TOK_UINT, .n = v };
}

static void on_negint8(void *c, uint8_t v)
{
	*(struct tok *)c = (struct tok){ .kind = TOK_NEGINT, .n = v };
}

static void on_negint16(void *c, uint16_t v)
{
	*(struct tok *)c = (struct tok){ .kind = TOK_NEGINT, .n = v };
}

static void on_negint32(void *c, uint32_t v)
{
	*(struct tok *)c = (struct tok){ .kind = TOK_NEGINT, .n = v };
}

static void on_negint64(void *c, uint64_t v)
{
	*(struct tok *)c = (struct tok){ .kind = TOK_NEGINT, .n = v };
}

static void on_bytes(void *c, cbor_data p, cbor_len n)
{
	*(struct tok *)c = (struct tok){ .kind = TOK_BYTES, .n = n, .str = p };
}

static void on_text(void *c, cbor_data p, cbor_len n)
{
	*(struct tok *)c = (struct tok){ .kind = TOK_TEXT, .n = n, .str = p };
}

static void on_bytes_start(void *c)
{
	*(struct tok *)c = (struct tok){ .kind = TOK_BYTES_START, .indefinite = true };
}

static void on_text_start(void *c)
{
	*(struct tok *)c = (struct tok){ .kind = TOK_TEXT_START, .indefinite = true };
}

static void on_array(void *c, cbor_len n)
{
	*(struct tok *)c = (struct tok){ .kind = TOK_ARRAY, .n = n };
}

static void on_indef_array(void *c)
{
	*(struct tok *)c = (struct tok){ .kind = TOK_ARRAY, .indefinite = true };
}

static void on_map(void *c, cbor_len n)
{
	*(struct tok *)c = (struct tok){ .kind = TOK_MAP, .n = n };
}

static void on_indef_map(void *c)
{
	*(struct tok *)c = (struct tok){ .kind = TOK_MAP, .indefinite = true };
}

static void on_tag(void *c, uint64_t v)
{
	*(struct tok *)c = (struct tok){ .kind = TOK_TAG, .n = v };
}

static void on_float(void *c, float v)
{
	*(struct tok *)c = (struct tok){ .kind = TOK_SIMPLE, .simple = SMP_SIMPLE_FLOAT, .f = v };
}

static void on_double(void *c, double v)
{
	*(struct tok *)c = (struct tok){ .kind = TOK_SIMPLE, .simple = SMP_SIMPLE_FLOAT, .f = v };
}

static void on_undef(void *c)
{
	*(struct tok *)c = (struct tok){ .kind = TOK_SIMPLE, .simple = SMP_SIMPLE_UNDEF };
}

static void on_null(void *c)
{
	*(struct tok *)c = (struct tok){ .kind = TOK_SIMPLE, .simple = SMP_SIMPLE_NULL };
}

static void on_bool(void *c, bool v)
{
	*(struct tok *)c = (struct tok){ .kind = TOK_SIMPLE,
					 .simple = v ? SMP_SIMPLE_TRUE : SMP_SIMPLE_FALSE };
}

static void on_break(void *c)
{
	*(struct tok *)c = (struct tok){ .kind = TOK_BREAK };
}

/* libcbor 0.8's callbacks.h labels some members wrongly; these follow
 * what streaming/decoders.c calls. */
static const struct cbor_callbacks tok_callbacks = {
	.uint8 = on_uint8,
	.uint16 = on_uint16,
	.uint32 = on_uint32,
	.uint64 = on_uint64,
	.negint8 = on_negint8,
	.negint16 = on_negint16,
	.negint32 = on_negint32,
	.negint64 = on_negint64,
	.byte_string = on_bytes,
	.byte_string_start = on_bytes_start,
	.string = on_text,
	.string_start = on_text_start,
	.array_start = on_array,
	.indef_array_start = on_indef_array,
	.map_start = on_map,
	.indef_map_start = on_indef_map,
	.tag = on_tag,
	.float2 = on_float,
	.float4 = on_float,
	.float8 = on_double,
	.undefined = on_undef,
	.null = on_null,
	.boolean = on_bool,
	.indef_break = on_break,
};

enum read_err {
	READ_OK = 0,
	READ_TRUNCATED = -1,
	READ_MALFORMED = -2,
	READ_DEEP = -3,
	READ_TOO_LONG = -4, /* a declared length the payload cannot hold */
};

/* Bytes of the head starting with initial byte ib (RFC 8949 section 3). */
static size_t head_size(uint8_t ib)
{
	uint8_t ai = ib & 0x1f;

	return ai < 24 || ai > 27 ? 1 : 1 + ((size_t)1 << (ai - 24));
}

static int read_tok(const uint8_t *p, size_t len, size_t *off, struct tok *t)
{
	struct cbor_decoder_result r;

	if (*off >= len)
		return READ_TRUNCATED;
	t->kind = TOK_BREAK;
	t->simple = SMP_SIMPLE_OTHER;
	r = cbor_stream_decode(p + *off, len - *off, &tok_callbacks, t);
	/* A whole head whose string is not all there: a length larger than
	 * the payload, said apart from a payload cut in a head. */
	if (r.status == CBOR_DECODER_NEDATA)
		return (p[*off] >> 5 == 2 || p[*off] >> 5 == 3) && len - *off >= head_size(p[*off])
			       ? READ_TOO_LONG
			       : READ_TRUNCATED;
	if (r.status != CBOR_DECODER_FINISHED || r.read == 0)
		return READ_MALFORMED;
	/* A simple value libcbor reads but reports through no callback
	 * (simple(16), a one-byte simple): keep it as "another simple". */
	if (t->kind == TOK_BREAK && p[*off] != 0xff)
		*t = (struct tok){ .kind = TOK_SIMPLE, .simple = SMP_SIMPLE_OTHER };
	*off += r.read;
	return READ_OK;
}

struct level {
	uint64_t left; /* definite: items still to come */
	bool indefinite;
	enum tok_kind chunks; /* an indefinite string: the chunks' kind */
	bool is_string;
	unsigned tags; /* tags before the container's head */
};

/* Whether p[0..n) is UTF-8 (RFC 3629: no overlong forms, no surrogates,
 * nothing past U+10FFFF). CBOR text must be (RFC 8949 section 3.1), each
 * chunk of an indefinite one whole; what is not is malformed, so that a
 * device's text reaches no caller undecoded. */
static bool utf8_ok(const uint8_t *p, size_t n)
{
	size_t i = 0, k, more;
	uint32_t cp, min;

	while (i < n) {
		uint8_t b = p[i++];

		if (b < 0x80)
			continue;
		if (b >= 0xc2 && b <= 0xdf) {
			more = 1, cp = b & 0x1f, min = 0x80;
		} else if (b >= 0xe0 && b <= 0xef) {
			more = 2, cp = b & 0x0f, min = 0x800;
		} else if (b >= 0xf0 && b <= 0xf4) {
			more = 3, cp = b & 0x07, min = 0x10000;
		} else {
			return false;
		}
		if (n - i < more)
			return false;
		for (k = 0; k < more; k++) {
			if ((p[i] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (p[i++] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
	}
	return true;
}

/* Nesting counts tags too, as each wraps an item: a chain of them is as
 * deep as a chain of arrays. */
struct walk {
	struct level lv[SMP_CBOR_MAX_DEPTH + 1];
	unsigned d;	  /* open containers */
	unsigned deep;	  /* their nesting, tags included */
	unsigned pending; /* tags waiting for their item */
};

/* One item is complete at level w->d: closes every definite container
 * it completes. 1 when the top-level item is complete. */
static int item_done(struct walk *w)
{
	w->deep -= w->pending;
	w->pending = 0;
	for (;;) {
		struct level *l = &w->lv[w->d];

		if (l->indefinite) {
			l->left++; /* counts keys and values, to catch a lone key */
			return 0;
		}
		if (--l->left)
			return 0;
		if (w->d == 0)
			return 1;
		w->deep -= 1 + l->tags;
		w->d--;
	}
}

static int open_container(struct walk *w, const struct tok *t, size_t left_bytes)
{
	struct level *l;

	if (w->deep == SMP_CBOR_MAX_DEPTH)
		return READ_DEEP;
	/* A declared count the remaining bytes cannot hold is refused here,
	 * before anyone loops over it. */
	if (!t->indefinite && t->n > left_bytes / (t->kind == TOK_MAP ? 2 : 1))
		return READ_TOO_LONG;
	l = &w->lv[++w->d];
	*l = (struct level){
		.left = t->kind == TOK_MAP ? t->n * 2 : t->n,
		.indefinite = t->indefinite,
		.chunks = t->kind == TOK_BYTES_START  ? TOK_BYTES
			  : t->kind == TOK_TEXT_START ? TOK_TEXT
						      : t->kind,
		.is_string = t->kind == TOK_BYTES_START || t->kind == TOK_TEXT_START,
		.tags = w->pending,
	};
	w->deep++;
	w->pending = 0;
	return READ_OK;
}

/* The break that closes the indefinite item at level w->d. */
static int close_indefinite(struct walk *w)
{
	struct level *l = &w->lv[w->d];

	if (w->d == 0 || !l->indefinite)
		return READ_MALFORMED; /* a break outside an indefinite item */
	if (l->left % 2 && l->chunks == TOK_MAP)
		return READ_MALFORMED; /* a key without a value */
	w->deep -= 1 + l->tags;
	w->d--;
	return READ_OK;
}

/* Skips the one whole item at *off, checking it is well formed. */
static int skip_item(const uint8_t *p, size_t len, size_t *off)
{
	struct walk w = { .d = 0 };
	struct tok t;
	int rc;

	w.lv[0] = (struct level){ .left = 1 };
	for (;;) {
		rc = read_tok(p, len, off, &t);
		if (rc)
			return rc;
		if (w.pending && t.kind == TOK_BREAK)
			return READ_MALFORMED;
		if (w.lv[w.d].is_string && t.kind != TOK_BREAK && t.kind != w.lv[w.d].chunks)
			return READ_MALFORMED; /* chunks are definite strings of one type */
		if (t.kind == TOK_TEXT && !utf8_ok(t.str, (size_t)t.n))
			return READ_MALFORMED;
		switch (t.kind) {
		case TOK_TAG:
			if (w.deep == SMP_CBOR_MAX_DEPTH)
				return READ_DEEP;
			w.deep++;
			w.pending++;
			continue; /* the tagged item follows, and counts as this one */
		case TOK_BREAK:
			rc = close_indefinite(&w);
			break;
		case TOK_ARRAY:
		case TOK_MAP:
		case TOK_BYTES_START:
		case TOK_TEXT_START:
			rc = open_container(&w, &t, len - *off);
			if (rc || t.indefinite || w.lv[w.d].left)
				break;
			/* An empty definite container is whole already. */
			w.deep -= 1 + w.lv[w.d].tags;
			w.d--;
			if (item_done(&w))
				return READ_OK;
			continue;
		default:
			break;
		}
		if (rc)
			return rc;
		if (t.kind == TOK_ARRAY || t.kind == TOK_MAP || t.kind == TOK_BYTES_START ||
		    t.kind == TOK_TEXT_START)
			continue;
		if (item_done(&w))
			return READ_OK;
	}
}

static const char *read_why(int rc)
{
	switch (rc) {
	case READ_TRUNCATED:
		return "truncated CBOR";
	case READ_DEEP:
		return "CBOR nested too deeply";
	case READ_TOO_LONG:
		return "CBOR length larger than the payload";
	default:
		return "malformed CBOR";
	}
}

int smp_cbor_check(const uint8_t *buf, size_t len, size_t *used, const char **why)
{
	size_t off = 0;
	int rc = skip_item(buf, len, &off);

	if (rc) {
		*why = read_why(rc);
		return -1;
	}
	*used = off;
	return 0;
}

int smp_cbor_decode_map(const uint8_t *buf, size_t len, struct smp_cbor *out, const char **why)
{
	size_t used = 0;

	if (len == 0) {
		*why = "empty payload";
		return -1;
	}
	if (smp_cbor_check(buf, len, &used, why) != 0)
		return -1;
	if (used != len) {
		*why = "trailing bytes after CBOR map";
		return -1;
	}
	*out = (struct smp_cbor){ buf, len };
	if (smp_cbor_type(out) != SMP_CBOR_MAP) {
		*why = "payload is not a CBOR map";
		return -1;
	}
	return 0;
}

/* The item's first head; items were checked whole before. */
static bool head(const struct smp_cbor *item, struct tok *t, size_t *off)
{
	*off = 0;
	return item && item->p && read_tok(item->p, item->len, off, t) == READ_OK;
}

enum smp_cbor_type smp_cbor_type(const struct smp_cbor *item)
{
	static const enum smp_cbor_type of[] = {
		[TOK_UINT] = SMP_CBOR_UINT,	    [TOK_NEGINT] = SMP_CBOR_NEGINT,
		[TOK_BYTES] = SMP_CBOR_BYTES,	    [TOK_TEXT] = SMP_CBOR_TEXT,
		[TOK_BYTES_START] = SMP_CBOR_BYTES, [TOK_TEXT_START] = SMP_CBOR_TEXT,
		[TOK_ARRAY] = SMP_CBOR_ARRAY,	    [TOK_MAP] = SMP_CBOR_MAP,
		[TOK_TAG] = SMP_CBOR_TAG,	    [TOK_SIMPLE] = SMP_CBOR_SIMPLE,
		[TOK_BREAK] = SMP_CBOR_BAD,
	};
	struct tok t;
	size_t off;

	return head(item, &t, &off) ? of[t.kind] : SMP_CBOR_BAD;
}

int smp_cbor_enter(const struct smp_cbor *item, struct smp_cbor_iter *it)
{
	struct tok t;
	size_t off;

	if (!head(item, &t, &off) || (t.kind != TOK_ARRAY && t.kind != TOK_MAP))
		return SMP_GET_TYPE;
	*it = (struct smp_cbor_iter){
		.p = item->p,
		.len = item->len,
		.off = off,
		.left = t.kind == TOK_MAP ? t.n * 2 : t.n,
		.indefinite = t.indefinite,
	};
	return SMP_GET_OK;
}

bool smp_cbor_next(struct smp_cbor_iter *it, struct smp_cbor *out)
{
	size_t start = it->off, end = it->off;
	struct tok t;

	if (it->indefinite) {
		if (read_tok(it->p, it->len, &end, &t) != READ_OK || t.kind == TOK_BREAK)
			return false;
		end = start;
	} else if (it->left == 0) {
		return false;
	}
	if (skip_item(it->p, it->len, &end) != READ_OK)
		return false;
	it->off = end;
	if (!it->indefinite)
		it->left--;
	*out = (struct smp_cbor){ it->p + start, end - start };
	return true;
}

/* Calls each for every chunk of a text or byte string (one for a
 * definite string); stops early when each returns false. */
static int string_walk(const struct smp_cbor *item, enum tok_kind kind,
		       bool (*each)(void *arg, const uint8_t *p, size_t n), void *arg)
{
	struct tok t;
	size_t off;

	if (!head(item, &t, &off))
		return SMP_GET_TYPE;
	if (t.kind == kind)
		return each(arg, t.str, (size_t)t.n) ? SMP_GET_OK : SMP_GET_NOMEM;
	if (t.kind != (kind == TOK_TEXT ? TOK_TEXT_START : TOK_BYTES_START))
		return SMP_GET_TYPE;
	while (read_tok(item->p, item->len, &off, &t) == READ_OK && t.kind == kind)
		if (!each(arg, t.str, (size_t)t.n))
			return SMP_GET_NOMEM;
	return SMP_GET_OK;
}

struct copy {
	uint8_t *out;
	size_t cap, len;
	const char *cmp; /* text_eq: compare instead of copying */
	bool differs;
};

static bool copy_chunk(void *arg, const uint8_t *p, size_t n)
{
	struct copy *c = arg;

	if (c->cmp) {
		if (c->differs || strlen(c->cmp + c->len) < n || memcmp(c->cmp + c->len, p, n))
			c->differs = true;
		else
			c->len += n;
		return !c->differs;
	}
	if (c->out && n) {
		if (n > c->cap - c->len) {
			memcpy(c->out + c->len, p, c->cap - c->len);
			c->len = c->cap;
			return false;
		}
		memcpy(c->out + c->len, p, n);
	}
	c->len += n;
	return true;
}

bool smp_cbor_text_eq(const struct smp_cbor *item, const char *s)
{
	struct copy c = { .cmp = s };

	return string_walk(item, TOK_TEXT, copy_chunk, &c) == SMP_GET_OK && !c.differs &&
	       c.len == strlen(s);
}

int smp_map_find(const struct smp_cbor *map, const char *key, struct smp_cbor *val)
{
	struct smp_cbor_iter it;
	struct smp_cbor k, v;

	if (smp_cbor_type(map) != SMP_CBOR_MAP || smp_cbor_enter(map, &it) != SMP_GET_OK)
		return SMP_GET_TYPE;
	while (smp_cbor_next(&it, &k) && smp_cbor_next(&it, &v)) {
		if (smp_cbor_text_eq(&k, key)) {
			*val = v;
			return SMP_GET_OK;
		}
	}
	return SMP_GET_ABSENT;
}

int smp_item_uint(const struct smp_cbor *item, uint64_t *out)
{
	struct tok t;
	size_t off;

	if (!head(item, &t, &off) || t.kind != TOK_UINT)
		return SMP_GET_TYPE;
	*out = t.n;
	return SMP_GET_OK;
}

int smp_item_int(const struct smp_cbor *item, int64_t *out)
{
	struct tok t;
	size_t off;

	if (!head(item, &t, &off) || (t.kind != TOK_UINT && t.kind != TOK_NEGINT) ||
	    t.n > INT64_MAX)
		return SMP_GET_TYPE;
	/* CBOR negative integers store -1 - n. */
	*out = t.kind == TOK_UINT ? (int64_t)t.n : -1 - (int64_t)t.n;
	return SMP_GET_OK;
}

enum smp_simple smp_item_simple(const struct smp_cbor *item)
{
	struct tok t;
	size_t off;

	if (!head(item, &t, &off) || t.kind != TOK_SIMPLE)
		return SMP_SIMPLE_NONE;
	return t.simple;
}

int smp_item_bool(const struct smp_cbor *item, bool *out)
{
	switch (smp_item_simple(item)) {
	case SMP_SIMPLE_FALSE:
		*out = false;
		return SMP_GET_OK;
	case SMP_SIMPLE_TRUE:
		*out = true;
		return SMP_GET_OK;
	default:
		return SMP_GET_TYPE;
	}
}

int smp_item_float(const struct smp_cbor *item, double *out)
{
	struct tok t;
	size_t off;

	if (!head(item, &t, &off) || t.kind != TOK_SIMPLE || t.simple != SMP_SIMPLE_FLOAT)
		return SMP_GET_TYPE;
	*out = t.f;
	return SMP_GET_OK;
}

static int string_len(const struct smp_cbor *item, enum tok_kind kind, size_t *len)
{
	struct copy c = { 0 };
	int rc = string_walk(item, kind, copy_chunk, &c);

	if (rc == SMP_GET_OK)
		*len = c.len;
	return rc;
}

int smp_item_text_len(const struct smp_cbor *item, size_t *len)
{
	return string_len(item, TOK_TEXT, len);
}

int smp_item_bytes_len(const struct smp_cbor *item, size_t *len)
{
	return string_len(item, TOK_BYTES, len);
}

int smp_item_text(const struct smp_cbor *item, char *out, size_t cap)
{
	struct copy c = { .out = (uint8_t *)out, .cap = cap ? cap - 1 : 0 };
	int rc;

	if (!cap)
		return SMP_GET_NOMEM;
	rc = string_walk(item, TOK_TEXT, copy_chunk, &c);
	out[rc == SMP_GET_TYPE ? 0 : c.len] = '\0';
	return rc;
}

int smp_item_bytes(const struct smp_cbor *item, uint8_t *out, size_t cap, size_t *len)
{
	struct copy c = { .out = out, .cap = cap };
	int rc = string_walk(item, TOK_BYTES, copy_chunk, &c);

	*len = rc == SMP_GET_TYPE ? 0 : c.len;
	return rc;
}

int smp_get_uint(const struct smp_cbor *map, const char *key, uint64_t *out)
{
	struct smp_cbor v;
	int rc = smp_map_find(map, key, &v);

	return rc ? rc : smp_item_uint(&v, out);
}

int smp_get_int(const struct smp_cbor *map, const char *key, int64_t *out)
{
	struct smp_cbor v;
	int rc = smp_map_find(map, key, &v);

	return rc ? rc : smp_item_int(&v, out);
}

int smp_get_bool(const struct smp_cbor *map, const char *key, bool *out)
{
	struct smp_cbor v;
	int rc = smp_map_find(map, key, &v);

	return rc ? rc : smp_item_bool(&v, out);
}

int smp_get_text(const struct smp_cbor *map, const char *key, char *out, size_t cap)
{
	struct smp_cbor v;
	int rc = smp_map_find(map, key, &v);

	return rc ? rc : smp_item_text(&v, out, cap);
}

int smp_get_bytes(const struct smp_cbor *map, const char *key, uint8_t *out, size_t cap,
		  size_t *len)
{
	struct smp_cbor v;
	int rc = smp_map_find(map, key, &v);

	return rc ? rc : smp_item_bytes(&v, out, cap, len);
}
