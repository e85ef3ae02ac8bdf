#include "smp/grp_fs.h"

#include <string.h>

#include "smp/header.h"

int smp_fs_download_req(struct smp_cbor_writer *w, const char *name, uint64_t off)
{
	smp_cbor_map(w, 2);
	smp_put_uint(w, "off", off);
	smp_put_text(w, "name", name);
	return smp_cbor_done(w);
}

int smp_fs_upload_req(struct smp_cbor_writer *w, const char *name, uint64_t off,
		      const uint8_t *data, size_t n, int64_t total)
{
	uint8_t *dst;

	smp_cbor_map(w, total >= 0 ? 4 : 3);
	smp_put_uint(w, "off", off);
	smp_cbor_text(w, "data");
	dst = smp_cbor_bytes_open(w, n);
	if (dst && n)
		memcpy(dst, data, n);
	smp_put_text(w, "name", name);
	if (total >= 0)
		smp_put_uint(w, "len", (uint64_t)total);
	return smp_cbor_done(w);
}

int smp_fs_stat_req(struct smp_cbor_writer *w, const char *name)
{
	smp_cbor_map(w, 1);
	smp_put_text(w, "name", name);
	return smp_cbor_done(w);
}

int smp_fs_hash_req(struct smp_cbor_writer *w, const char *name, const char *type, uint64_t off,
		    uint64_t len)
{
	smp_cbor_map(w, 1 + (type != NULL) + (off != 0) + (len != 0));
	smp_put_text(w, "name", name);
	if (type)
		smp_put_text(w, "type", type);
	if (off)
		smp_put_uint(w, "off", off);
	if (len)
		smp_put_uint(w, "len", len);
	return smp_cbor_done(w);
}

/* The map smp_fs_upload_req builds, sized by hand: {"off", "data", "name",
 * "len"?}, every head as short as CBOR allows. */
size_t smp_fs_upload_packet_size(const char *name, uint64_t off, size_t n, int64_t total)
{
	size_t name_len = strlen(name);
	size_t size = SMP_HEADER_SIZE + 1;

	size += 4 + smp_cbor_head_len(off);		    /* "off" */
	size += 5 + smp_cbor_head_len(n) + n;		    /* "data" */
	size += 5 + smp_cbor_head_len(name_len) + name_len; /* "name" */
	if (total >= 0)
		size += 4 + smp_cbor_head_len((uint64_t)total); /* "len" */
	return size;
}

size_t smp_fs_upload_chunk_max(const char *name, uint64_t off, int64_t total, size_t packet_max)
{
	size_t empty = smp_fs_upload_packet_size(name, off, 0, total), n;

	if (packet_max <= empty)
		return 0;
	n = packet_max - empty;
	while (n > 0 && smp_fs_upload_packet_size(name, off, n, total) > packet_max)
		n--;
	return n;
}

static int fail(const char **why, const char *what)
{
	*why = what;
	return -1;
}

int smp_fs_download_rsp(const struct smp_cbor *rsp, struct smp_fs_chunk *c, const char **why)
{
	int r;

	memset(c, 0, sizeof(*c));
	if (smp_get_uint(rsp, "off", &c->off) != SMP_GET_OK)
		return fail(why, "answer has no unsigned \"off\"");
	if (smp_map_find(rsp, "data", &c->data) != SMP_GET_OK ||
	    smp_item_bytes_len(&c->data, &c->len) != SMP_GET_OK)
		return fail(why, "answer has no byte string \"data\"");
	r = smp_get_uint(rsp, "len", &c->total);
	if (r == SMP_GET_TYPE)
		return fail(why, "answer has a \"len\" that is not an unsigned integer");
	c->has_total = r == SMP_GET_OK;
	return 0;
}

/* CBOR's first byte of an indefinite-length byte string, and the break. */
#define BYTES_INDEFINITE 0x5f
#define CBOR_BREAK 0xff

int smp_fs_chunk_data(const struct smp_fs_chunk *c,
		      int (*fn)(void *arg, const uint8_t *p, size_t n), void *arg)
{
	const uint8_t *p = c->data.p;
	size_t off = 1, used, n;
	const char *why;
	int rc;

	if (c->len == 0)
		return 0;
	/* A definite string is its head and then its bytes. */
	if (p[0] != BYTES_INDEFINITE)
		return fn(arg, p + c->data.len - c->len, c->len);
	/* Chunks, each a definite string (the engine checked it whole). */
	while (off < c->data.len && p[off] != CBOR_BREAK) {
		struct smp_cbor piece = { p + off, 0 };

		if (smp_cbor_check(p + off, c->data.len - off, &used, &why) != 0)
			return -1;
		piece.len = used;
		if (smp_item_bytes_len(&piece, &n) != SMP_GET_OK)
			return -1;
		if (n && (rc = fn(arg, p + off + used - n, n)) != 0)
			return rc;
		off += used;
	}
	return 0;
}

int smp_fs_upload_rsp(const struct smp_cbor *rsp, uint64_t *off, const char **why)
{
	if (smp_get_uint(rsp, "off", off) != SMP_GET_OK)
		return fail(why, "answer has no unsigned \"off\"");
	return 0;
}

int smp_fs_stat_rsp(const struct smp_cbor *rsp, uint64_t *len, const char **why)
{
	if (smp_get_uint(rsp, "len", len) != SMP_GET_OK)
		return fail(why, "answer has no unsigned \"len\"");
	return 0;
}

static int hash_output(const struct smp_cbor *rsp, struct smp_fs_hash *h, const char **why)
{
	struct smp_cbor out;
	size_t n = 0;
	int r;

	if (smp_map_find(rsp, "output", &out) != SMP_GET_OK)
		return fail(why, "answer has no \"output\"");
	if (smp_cbor_type(&out) == SMP_CBOR_UINT) {
		h->is_bytes = false;
		return smp_item_uint(&out, &h->number) == SMP_GET_OK ? 0 : -1;
	}
	r = smp_item_bytes(&out, h->bytes, sizeof(h->bytes), &n);
	if (r == SMP_GET_TYPE)
		return fail(why, "answer has an \"output\" that is neither bytes nor a number");
	if (r != SMP_GET_OK || n == 0) {
		memset(h->bytes, 0, sizeof(h->bytes));
		return fail(why, "answer has an \"output\" of an impossible size");
	}
	h->is_bytes = true;
	h->nbytes = n;
	return 0;
}

int smp_fs_hash_rsp(const struct smp_cbor *rsp, struct smp_fs_hash *h, const char **why)
{
	int r;

	memset(h, 0, sizeof(*h));
	r = smp_get_text(rsp, "type", h->type, sizeof(h->type));
	if (r == SMP_GET_NOMEM)
		return fail(why, "answer has an over-long \"type\"");
	if (r != SMP_GET_OK)
		return fail(why, "answer has no text \"type\"");
	r = smp_get_uint(rsp, "off", &h->off);
	if (r == SMP_GET_TYPE)
		return fail(why, "answer has an \"off\" that is not an unsigned integer");
	if (smp_get_uint(rsp, "len", &h->len) != SMP_GET_OK)
		return fail(why, "answer has no unsigned \"len\"");
	return hash_output(rsp, h, why);
}

static int hash_type(const struct smp_cbor *key, const struct smp_cbor *value,
		     struct smp_fs_hash_type *t, const char **why)
{
	uint64_t format, size;
	int r = smp_item_text(key, t->name, sizeof(t->name));

	if (r == SMP_GET_NOMEM)
		return fail(why, "\"types\" has an over-long name");
	if (r != SMP_GET_OK)
		return fail(why, "\"types\" has a key that is not text");
	if (smp_cbor_type(value) != SMP_CBOR_MAP ||
	    smp_get_uint(value, "format", &format) != SMP_GET_OK || format > 1 ||
	    smp_get_uint(value, "size", &size) != SMP_GET_OK || size > UINT32_MAX)
		return fail(why, "a \"types\" entry lacks a \"format\" of 0 or 1 and a \"size\"");
	t->is_bytes = format == 1;
	t->size = (uint32_t)size;
	return 0;
}

int smp_fs_hashes_rsp(const struct smp_cbor *rsp, struct smp_fs_hash_types *t, const char **why)
{
	struct smp_cbor types, k, v;
	struct smp_cbor_iter it;

	memset(t, 0, sizeof(*t));
	if (smp_map_find(rsp, "types", &types) != SMP_GET_OK ||
	    smp_cbor_type(&types) != SMP_CBOR_MAP)
		return fail(why, "answer has no map \"types\"");
	smp_cbor_enter(&types, &it);
	while (smp_cbor_next(&it, &k) && smp_cbor_next(&it, &v)) {
		if (t->count == SMP_FS_MAX_HASH_TYPES)
			return fail(why, "answer lists too many hash types");
		if (hash_type(&k, &v, &t->types[t->count], why) != 0)
			return -1;
		t->count++;
	}
	return 0;
}

uint32_t smp_fs_crc32_update(uint32_t crc, const uint8_t *data, size_t len)
{
	crc = ~crc;
	while (len--) {
		crc ^= *data++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

bool smp_fs_hash_equal(const struct smp_fs_hash *a, const struct smp_fs_hash *b)
{
	if (strcmp(a->type, b->type) || a->is_bytes != b->is_bytes)
		return false;
	if (a->is_bytes)
		return a->nbytes == b->nbytes && !memcmp(a->bytes, b->bytes, a->nbytes);
	return a->number == b->number;
}
