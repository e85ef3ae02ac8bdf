#include "smp/image_upload.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "smp/cbor_util.h"
#include "smp/fmt.h"
#include "smp/grp_img.h"
#include "smp/say.h"

#define note(p, ...) smp_sayf((p)->note, (p)->arg, __VA_ARGS__)

#define MAX_RESTARTS 3

/* The n bytes at off: in p->data, or read through p->src into *tmp
 * (freed by the caller). SMP_OK, SMP_E_NOMEM or SMP_E_TRANSPORT (the
 * source failed: the image's end of the link). */
static int chunk_bytes(const struct smp_upload_params *p, size_t off, size_t n,
		       const uint8_t **data, uint8_t **tmp)
{
	*tmp = NULL;
	if (p->data) {
		*data = p->data + off;
		return SMP_OK;
	}
	*tmp = malloc(n ? n : 1);
	if (!*tmp)
		return SMP_E_NOMEM;
	if (n && p->src->read(p->src->ctx, (uint32_t)off, *tmp, n) != 0)
		return SMP_E_TRANSPORT;
	*data = *tmp;
	return SMP_OK;
}

/* The chunk map, or NULL with *rc saying why. */
static cbor_item_t *chunk_map(const struct smp_upload_params *p, size_t off, size_t n, int *rc)
{
	bool first = off == 0;
	size_t fields = 2 + (first ? 1 + (p->image >= 0) + (p->sha != NULL) + p->upgrade : 0);
	const uint8_t *data;
	uint8_t *tmp;
	cbor_item_t *m = NULL;

	*rc = chunk_bytes(p, off, n, &data, &tmp);
	if (*rc != SMP_OK)
		goto out;
	*rc = SMP_E_NOMEM;
	m = cbor_new_definite_map(fields);
	if (!m)
		goto out;
	if (first && p->image >= 0 && smp_put_uint(m, "image", (uint64_t)p->image) != 0)
		goto fail;
	if (first && smp_put_uint(m, "len", p->len) != 0)
		goto fail;
	if (smp_put_uint(m, "off", off) != 0)
		goto fail;
	if (first && p->sha && smp_put_bytes(m, "sha", p->sha, p->sha_len) != 0)
		goto fail;
	if (smp_put_bytes(m, "data", data, n) != 0)
		goto fail;
	if (first && p->upgrade && smp_put_bool(m, "upgrade", true) != 0)
		goto fail;
	*rc = SMP_OK;
	goto out;
fail:
	cbor_decref(&m);
out:
	free(tmp);
	return m;
}

cbor_item_t *smp_upload_chunk(const struct smp_upload_params *p, size_t off, size_t n)
{
	int rc;

	return chunk_map(p, off, n, &rc);
}

/* CBOR size of the chunk map at off with an empty data string: the rest
 * of the packet is the data's length head and the data. */
static size_t overhead(const struct smp_upload_params *p, size_t off)
{
	size_t n = 1 + 4 + smp_cbor_head_len(off) + 5 + 1; /* map, "off", off, "data", h'' */

	if (off == 0) {
		n += 4 + smp_cbor_head_len(p->len); /* "len" */
		if (p->image >= 0)
			n += 6 + smp_cbor_head_len((uint64_t)p->image); /* "image" */
		if (p->sha)
			n += 4 + smp_cbor_head_len(p->sha_len) + p->sha_len; /* "sha" */
		if (p->upgrade)
			n += 8 + 1; /* "upgrade": true */
	}
	return n;
}

size_t smp_upload_chunk_len(const struct smp_upload_params *p, size_t off, size_t packet_max)
{
	size_t fixed = SMP_HEADER_SIZE + overhead(p, off) - 1; /* less the empty head */
	size_t n;

	if (packet_max <= fixed + 1)
		return 0;
	n = packet_max - fixed - 1;
	while (n > 0 && fixed + smp_cbor_head_len(n) + n > packet_max)
		n--;
	if (p->chunk_max && n > p->chunk_max)
		n = p->chunk_max;
	if (n > p->len - off)
		n = p->len - off;
	return n;
}

struct upload_run {
	const struct smp_upload_params *p;
	struct smp_upload_result *r;
	bool answered;
};

static int build(void *arg, uint64_t off64, size_t packet, struct smp_request *req, size_t *n)
{
	struct upload_run *u = arg;
	size_t off = (size_t)off64, k = smp_upload_chunk_len(u->p, off, packet);
	int rc;

	if (k && off + k < u->p->len && u->p->align > 1 && k > u->p->align)
		k -= (off + k) % u->p->align;
	if (k == 0 || (off == 0 && k < SMP_UPLOAD_MIN_FIRST && k < u->p->len)) {
		smp_fmt(u->r->detail, sizeof(u->r->detail),
			"a %zu-byte packet cannot carry the first chunk (image header)", packet);
		return SMP_E_TOOBIG;
	}
	req->op = SMP_OP_WRITE;
	req->group = SMP_GROUP_IMAGE;
	req->id = SMP_IMG_UPLOAD;
	req->body = chunk_map(u->p, off, k, &rc);
	if (rc == SMP_E_TRANSPORT)
		smp_fmt(u->r->detail, sizeof(u->r->detail),
			"cannot read the image's %zu bytes at offset %zu", k, off);
	if (!req->body)
		return rc;
	*n = k;
	return SMP_OK;
}

static void progress(struct upload_run *u, size_t off)
{
	if (u->p->progress)
		u->p->progress(u->p->arg, off, u->p->len);
}

/* The device's answer to one chunk: where it wants the next. */
static enum smp_xfer_verdict take(void *arg, const struct smp_response *rsp, uint64_t off, size_t n,
				  uint64_t *at)
{
	struct upload_run *u = arg;
	uint64_t v;
	bool match;

	if (smp_get_uint(rsp->body, "off", &v) != SMP_GET_OK) {
		smp_fmt(u->r->detail, sizeof(u->r->detail), "upload answer has no \"off\"");
		return SMP_XFER_STOP;
	}
	if (v > u->p->len) {
		smp_fmt(u->r->detail, sizeof(u->r->detail),
			"device reports offset %llu past the image's %zu bytes",
			(unsigned long long)v, u->p->len);
		return SMP_XFER_STOP;
	}
	if (smp_get_bool(rsp->body, "match", &match) == SMP_GET_OK) {
		u->r->match_reported = true;
		u->r->match = match;
	}
	if (!u->answered && off == 0 && v > off + n)
		u->r->resumed_from = (size_t)v; /* the device kept an earlier try */
	u->answered = true;
	if (v == 0 && off > 0) {
		/* The device restarted and lost the upload: from the top. */
		if (++u->r->restarts > MAX_RESTARTS) {
			smp_fmt(u->r->detail, sizeof(u->r->detail),
				"device restarted the upload %d times", MAX_RESTARTS);
			return SMP_XFER_STOP;
		}
		note(u->p, "upload: device answered offset 0 midway (it restarted): starting over");
	}
	*at = v;
	progress(u, (size_t)v);
	return SMP_XFER_TAKEN;
}

static const struct smp_xfer_ops image_ops = { .build = build, .take = take };

int smp_upload(struct smp_engine *e, const struct smp_upload_params *p, struct smp_upload_result *r)
{
	struct upload_run u = { .p = p, .r = r };
	struct smp_xfer_ctl c;
	int rc;

	memset(r, 0, sizeof(*r));
	if (p->len == 0) {
		smp_fmt(r->detail, sizeof(r->detail), "empty image");
		return r->result = SMP_E_TOOBIG;
	}
	if (!p->data && (!p->src || !p->src->read || p->src->size < p->len)) {
		smp_fmt(r->detail, sizeof(r->detail),
			"no image data: neither a buffer nor a "
			"source of %zu bytes",
			p->len);
		return r->result = SMP_E_TOOBIG;
	}
	smp_xfer_init(&c, e, &p->plan, p->note, p->arg);
	progress(&u, 0);
	rc = smp_xfer_run(&c, &image_ops, &u, 0, p->len);
	r->offset = (size_t)c.done;
	r->packet_max = c.now.packet;
	r->learned = c.now;
	r->stats = c.st;
	r->chunks = c.st.chunks;
	r->resyncs = c.st.losses;
	r->shrinks = c.st.shrinks;
	smp_xfer_describe(&c, r->summary, sizeof(r->summary));
	if (rc != SMP_OK) {
		r->status = c.status;
		if (!r->detail[0])
			smp_fmt(r->detail, sizeof(r->detail), "%s", c.detail);
	}
	if (rc == SMP_OK && r->match_reported && !r->match) {
		smp_fmt(r->detail, sizeof(r->detail),
			"device reports the received image does not match its SHA-256");
		rc = SMP_E_PROTOCOL;
	}
	return r->result = rc;
}
