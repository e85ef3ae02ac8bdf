#include "smp/image_upload.h"

#include <string.h>

#include "smp/fmt.h"
#include "smp/grp_img.h"
#include "smp/say.h"

#define note(p, ...) smp_sayf((p)->note, (p)->arg, __VA_ARGS__)

#define MAX_RESTARTS 3

/* Writes the chunk map; its data goes straight from p->data, or from
 * p->src, into w (the engine's packet buffer): no other copy exists.
 * *read_failed tells a failed read from a full writer. */
static int chunk_map(struct smp_cbor_writer *w, const struct smp_upload_params *p, size_t off,
		     size_t n, bool *read_failed)
{
	bool first = off == 0;
	size_t fields = 2 + (first ? 1 + (p->image >= 0) + (p->sha != NULL) + p->upgrade : 0);
	uint8_t *dst;

	*read_failed = false;
	smp_cbor_map(w, fields);
	if (first && p->image >= 0)
		smp_put_uint(w, "image", (uint64_t)p->image);
	if (first)
		smp_put_uint(w, "len", p->len);
	smp_put_uint(w, "off", off);
	if (first && p->sha)
		smp_put_bytes(w, "sha", p->sha, p->sha_len);
	smp_cbor_text(w, "data");
	dst = smp_cbor_bytes_open(w, n);
	if (!dst)
		return -1;
	if (p->data) {
		if (n)
			memcpy(dst, p->data + off, n);
	} else if (n && p->src->read(p->src->ctx, (uint32_t)off, dst, n) != 0) {
		*read_failed = true;
		return -1;
	}
	if (first && p->upgrade)
		smp_put_bool(w, "upgrade", true);
	return smp_cbor_done(w);
}

int smp_upload_chunk(struct smp_cbor_writer *w, const struct smp_upload_params *p, size_t off,
		     size_t n)
{
	bool read_failed;

	return chunk_map(w, p, off, n, &read_failed);
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

/* The chunk build() chose, written by the engine's call to encode during
 * the controller's submit. */
static int encode_chunk(void *arg, struct smp_cbor_writer *w)
{
	struct smp_upload_run *u = arg;
	bool read_failed;
	int rc = chunk_map(w, u->p, u->chunk_off, u->chunk_n, &read_failed);

	if (read_failed) {
		u->read_failed = true;
		smp_fmt(u->r->detail, sizeof(u->r->detail),
			"cannot read the image's %zu bytes at offset %zu", u->chunk_n,
			u->chunk_off);
	}
	return rc;
}

static int build(void *arg, uint64_t off64, size_t packet, struct smp_request *req, size_t *n)
{
	struct smp_upload_run *u = arg;
	size_t off = (size_t)off64, k = smp_upload_chunk_len(u->p, off, packet);

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
	req->encode = encode_chunk;
	req->encode_arg = u;
	u->chunk_off = off;
	u->chunk_n = k;
	*n = k;
	if (off + k == u->p->len)
		u->last_sends++;
	return SMP_OK;
}

static void progress(struct smp_upload_run *u, size_t off)
{
	if (u->p->progress)
		u->p->progress(u->p->arg, off, u->p->len);
}

/* The device's answer to one chunk: where it wants the next. */
static enum smp_xfer_verdict take(void *arg, const struct smp_response *rsp, uint64_t off, size_t n,
				  uint64_t *at)
{
	struct smp_upload_run *u = arg;
	uint64_t v;
	bool match;

	if (smp_get_uint(&rsp->body, "off", &v) != SMP_GET_OK) {
		smp_fmt(u->r->detail, sizeof(u->r->detail), "upload answer has no \"off\"");
		return SMP_XFER_STOP;
	}
	if (v > u->p->len) {
		smp_fmt(u->r->detail, sizeof(u->r->detail),
			"device reports offset %llu past the image's %zu bytes",
			(unsigned long long)v, u->p->len);
		return SMP_XFER_STOP;
	}
	if (smp_get_bool(&rsp->body, "match", &match) == SMP_GET_OK) {
		u->r->match_reported = true;
		u->r->match = match;
	}
	if (!u->answered && off == 0 && v > off + n)
		u->r->resumed_from = (size_t)v; /* the device kept an earlier try */
	u->answered = true;
	/* The last chunk again, its first answer lost: Zephyr forgets an
	 * upload once it is complete (img_mgmt_reset_upload), so the resend
	 * finds none and hears offset 0. The device has the whole image. */
	if (v == 0 && off > 0 && off + n == u->p->len && u->last_sends > 1) {
		note(u->p, "upload: the last chunk's answer was lost; the device has finished "
			   "the upload");
		v = u->p->len;
	} else if (v == 0 && off > 0) {
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

static int check_params(const struct smp_upload_params *p, struct smp_upload_result *r)
{
	if (p->len == 0) {
		smp_fmt(r->detail, sizeof(r->detail), "empty image");
		return SMP_E_TOOBIG;
	}
	if (!p->data && (!p->src || !p->src->read || p->src->size < p->len)) {
		smp_fmt(r->detail, sizeof(r->detail),
			"no image data: neither a buffer nor a "
			"source of %zu bytes",
			p->len);
		return SMP_E_TOOBIG;
	}
	return SMP_OK;
}

static void begin(struct smp_upload_run *u, struct smp_engine *e, const struct smp_upload_params *p,
		  struct smp_upload_result *r)
{
	memset(u, 0, sizeof(*u));
	memset(r, 0, sizeof(*r));
	u->p = p;
	u->r = r;
	smp_xfer_init(&u->c, e, &p->plan, p->note, p->arg);
}

/* What the controller learned, and the verdict: rc, or SMP_UPLOAD_DONE. */
static int finish(struct smp_upload_run *u, int rc)
{
	struct smp_upload_result *r = u->r;
	struct smp_xfer_ctl *c = &u->c;

	u->over = true;
	r->offset = (size_t)c->done;
	r->packet_max = c->now.packet;
	smp_xfer_learned(c, &r->learned);
	r->stats = c->st;
	r->chunks = c->st.chunks;
	r->resyncs = c->st.losses;
	r->shrinks = c->st.shrinks;
	smp_xfer_describe(c, r->summary, sizeof(r->summary));
	/* The source failed: the image's end of the link. */
	if (rc != SMP_OK && u->read_failed)
		rc = SMP_E_TRANSPORT;
	if (rc != SMP_OK) {
		r->status = c->status;
		if (!r->detail[0])
			smp_fmt(r->detail, sizeof(r->detail), "%s", c->detail);
	}
	if (rc == SMP_OK && r->match_reported && !r->match) {
		smp_fmt(r->detail, sizeof(r->detail),
			"device reports the received image does not match its SHA-256");
		rc = SMP_E_PROTOCOL;
	}
	r->result = rc;
	return rc == SMP_OK ? SMP_UPLOAD_DONE : rc;
}

int smp_upload_begin(struct smp_upload_run *u, struct smp_engine *e,
		     const struct smp_upload_params *p, struct smp_upload_result *r,
		     int (*probe)(struct smp_xfer_ctl *c))
{
	int rc;

	begin(u, e, p, r);
	rc = check_params(p, r);
	if (rc != SMP_OK) {
		u->over = true;
		return r->result = rc;
	}
	u->c.probe = probe;
	progress(u, 0);
	rc = smp_xfer_start(&u->c, &image_ops, u, 0, p->len);
	return rc == SMP_OK ? SMP_OK : finish(u, rc);
}

int smp_upload_start(struct smp_upload_run *u, struct smp_engine *e,
		     const struct smp_upload_params *p, struct smp_upload_result *r)
{
	return smp_upload_begin(u, e, p, r, NULL);
}

bool smp_upload_owns(const struct smp_upload_run *u, const struct smp_response *rsp)
{
	return !u->over && smp_xfer_owns(&u->c, rsp);
}

int smp_upload_on_response(struct smp_upload_run *u, const struct smp_response *rsp)
{
	int rc;

	if (u->over)
		return u->r->result == SMP_OK ? SMP_UPLOAD_DONE : u->r->result;
	rc = smp_xfer_on_response(&u->c, rsp);
	if (rc != SMP_OK || smp_xfer_finished(&u->c))
		return finish(u, rc);
	return SMP_OK;
}
