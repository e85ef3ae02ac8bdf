#include "smp/grp_fs.h"

#include <stdlib.h>
#include <string.h>

#include "smp/cbor_util.h"
#include "smp/header.h"

cbor_item_t *smp_fs_download_req(const char *name, uint64_t off)
{
	cbor_item_t *m = cbor_new_definite_map(2);

	if (m && (smp_put_uint(m, "off", off) || smp_put_text(m, "name", name)))
		cbor_decref(&m);
	return m;
}

cbor_item_t *smp_fs_upload_req(const char *name, uint64_t off, const uint8_t *data, size_t n,
			       int64_t total)
{
	cbor_item_t *m = cbor_new_definite_map(total >= 0 ? 4 : 3);

	if (!m)
		return NULL;
	if (smp_put_uint(m, "off", off) || smp_put_bytes(m, "data", data, n) ||
	    smp_put_text(m, "name", name) ||
	    (total >= 0 && smp_put_uint(m, "len", (uint64_t)total)))
		cbor_decref(&m);
	return m;
}

cbor_item_t *smp_fs_stat_req(const char *name)
{
	cbor_item_t *m = cbor_new_definite_map(1);

	if (m && smp_put_text(m, "name", name))
		cbor_decref(&m);
	return m;
}

cbor_item_t *smp_fs_hash_req(const char *name, const char *type, uint64_t off, uint64_t len)
{
	cbor_item_t *m = cbor_new_definite_map(1 + (type != NULL) + (off != 0) + (len != 0));

	if (!m)
		return NULL;
	if (smp_put_text(m, "name", name) || (type && smp_put_text(m, "type", type)) ||
	    (off && smp_put_uint(m, "off", off)) || (len && smp_put_uint(m, "len", len)))
		cbor_decref(&m);
	return m;
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

int smp_fs_download_rsp(const cbor_item_t *rsp, struct smp_fs_chunk *c, const char **why)
{
	int r;

	memset(c, 0, sizeof(*c));
	if (smp_get_uint(rsp, "off", &c->off) != SMP_GET_OK)
		return fail(why, "answer has no unsigned \"off\"");
	r = smp_get_bytes(rsp, "data", &c->data, &c->len);
	if (r == SMP_GET_NOMEM)
		return fail(why, "out of memory");
	if (r != SMP_GET_OK)
		return fail(why, "answer has no byte string \"data\"");
	r = smp_get_uint(rsp, "len", &c->total);
	if (r == SMP_GET_TYPE) {
		free(c->data);
		c->data = NULL;
		return fail(why, "answer has a \"len\" that is not an unsigned integer");
	}
	c->has_total = r == SMP_GET_OK;
	return 0;
}

int smp_fs_upload_rsp(const cbor_item_t *rsp, uint64_t *off, const char **why)
{
	if (smp_get_uint(rsp, "off", off) != SMP_GET_OK)
		return fail(why, "answer has no unsigned \"off\"");
	return 0;
}

int smp_fs_stat_rsp(const cbor_item_t *rsp, uint64_t *len, const char **why)
{
	if (smp_get_uint(rsp, "len", len) != SMP_GET_OK)
		return fail(why, "answer has no unsigned \"len\"");
	return 0;
}

static int hash_output(const cbor_item_t *rsp, struct smp_fs_hash *h, const char **why)
{
	cbor_item_t *out = smp_map_get(rsp, "output");
	uint8_t *bytes = NULL;
	size_t n = 0;

	if (!out)
		return fail(why, "answer has no \"output\"");
	if (cbor_isa_uint(out)) {
		h->is_bytes = false;
		h->number = cbor_get_int(out);
		return 0;
	}
	if (smp_item_bytes(out, &bytes, &n) != SMP_GET_OK)
		return fail(why, "answer has an \"output\" that is neither bytes nor a number");
	if (n == 0 || n > SMP_FS_HASH_MAX) {
		free(bytes);
		return fail(why, "answer has an \"output\" of an impossible size");
	}
	h->is_bytes = true;
	memcpy(h->bytes, bytes, n);
	h->nbytes = n;
	free(bytes);
	return 0;
}

int smp_fs_hash_rsp(const cbor_item_t *rsp, struct smp_fs_hash *h, const char **why)
{
	char *type = NULL;
	int r;

	memset(h, 0, sizeof(*h));
	if (smp_get_text(rsp, "type", &type) != SMP_GET_OK)
		return fail(why, "answer has no text \"type\"");
	if (strlen(type) >= sizeof(h->type)) {
		free(type);
		return fail(why, "answer has an over-long \"type\"");
	}
	strcpy(h->type, type);
	free(type);
	r = smp_get_uint(rsp, "off", &h->off);
	if (r == SMP_GET_TYPE)
		return fail(why, "answer has an \"off\" that is not an unsigned integer");
	if (smp_get_uint(rsp, "len", &h->len) != SMP_GET_OK)
		return fail(why, "answer has no unsigned \"len\"");
	return hash_output(rsp, h, why);
}

static int hash_type(const struct cbor_pair *pair, struct smp_fs_hash_type *t, const char **why)
{
	char *name = NULL;
	uint64_t format, size;

	if (smp_item_text(pair->key, &name) != SMP_GET_OK)
		return fail(why, "\"types\" has a key that is not text");
	if (strlen(name) >= sizeof(t->name)) {
		free(name);
		return fail(why, "\"types\" has an over-long name");
	}
	strcpy(t->name, name);
	free(name);
	if (!cbor_isa_map(pair->value) ||
	    smp_get_uint(pair->value, "format", &format) != SMP_GET_OK || format > 1 ||
	    smp_get_uint(pair->value, "size", &size) != SMP_GET_OK || size > UINT32_MAX)
		return fail(why, "a \"types\" entry lacks a \"format\" of 0 or 1 and a \"size\"");
	t->is_bytes = format == 1;
	t->size = (uint32_t)size;
	return 0;
}

int smp_fs_hashes_rsp(const cbor_item_t *rsp, struct smp_fs_hash_types *t, const char **why)
{
	cbor_item_t *types = smp_map_get(rsp, "types");
	struct cbor_pair *pairs;
	size_t i;

	memset(t, 0, sizeof(*t));
	if (!types || !cbor_isa_map(types))
		return fail(why, "answer has no map \"types\"");
	pairs = cbor_map_handle(types);
	for (i = 0; i < cbor_map_size(types); i++) {
		if (t->count == SMP_FS_MAX_HASH_TYPES)
			return fail(why, "answer lists too many hash types");
		if (hash_type(&pairs[i], &t->types[t->count], why) != 0)
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
