#include "smp/fs_transfer.h"

#include <string.h>

#include "smp/fmt.h"
#include "smp/grp_fs.h"
#include "smp/say.h"

static void progress(const struct smp_fs_xfer_params *p, const struct smp_fs_xfer_result *r)
{
	if (p->progress)
		p->progress(p->arg, r->done, r->total);
}

/* Copies what the controller found into the result. */
static int finish(struct smp_fs_xfer_result *r, const struct smp_xfer_ctl *c, int rc)
{
	smp_xfer_learned(c, &r->learned);
	r->stats = c->st;
	r->chunks = c->st.chunks;
	r->resyncs = c->st.losses;
	r->shrinks = c->st.shrinks;
	smp_xfer_describe(c, r->summary, sizeof(r->summary));
	if (rc != SMP_OK && rc != SMP_FS_XFER_E_LOCAL && !r->detail[0]) {
		r->status = c->status;
		smp_fmt(r->detail, sizeof(r->detail), "%s", c->detail);
	}
	return r->result = rc;
}

/* ---- download ------------------------------------------------------ */

/* An answer ahead of the prefix, copied into a slot of params.hold. */
struct held_chunk {
	uint64_t off;
	unsigned slot;
	size_t len;
};

struct download {
	const struct smp_fs_xfer_params *p;
	struct smp_fs_xfer_result *r;
	struct smp_xfer_ctl *c;
	smp_fs_sink_fn sink;
	void *sink_arg;
	bool total_known;
	int local_rc;				/* SMP_FS_XFER_E_LOCAL once the sink failed */
	struct held_chunk held[SMP_MAX_WINDOW]; /* answers ahead of done */
	size_t nheld;
	unsigned nslots; /* of params.hold, chunk_size each */
	bool slot_used[SMP_MAX_WINDOW];
	/* The request being built, for encode_read. */
	uint64_t build_off;
};

static int encode_read(void *arg, struct smp_cbor_writer *w)
{
	struct download *d = arg;

	return smp_fs_download_req(w, d->p->name, d->build_off);
}

static int build_read(void *arg, uint64_t off, size_t packet, struct smp_request *req, size_t *n)
{
	struct download *d = arg;
	uint64_t left = d->r->total > off ? d->r->total - off : 0;

	req->op = SMP_OP_READ;
	req->group = SMP_GROUP_FS;
	req->id = SMP_FS_FILE;
	/* The engine encodes at once (smp_submit), so one scratch offset
	 * serves every request. */
	d->build_off = off;
	req->encode = encode_read;
	req->encode_arg = d;
	/* Until the first answer the chunk size is unknown: one read. */
	*n = d->r->chunk_size ? (size_t)(left < d->r->chunk_size ? left : d->r->chunk_size) : 0;
	return SMP_OK;
}

static void drop_held(struct download *d)
{
	d->nheld = 0;
	memset(d->slot_used, 0, sizeof(d->slot_used));
}

static uint8_t *slot_data(const struct download *d, unsigned slot)
{
	return d->p->hold + (size_t)slot * d->r->chunk_size;
}

static int sink_piece(void *arg, const uint8_t *p, size_t n)
{
	struct download *d = arg;

	if (d->sink(d->sink_arg, p, n) != 0) {
		smp_fmt(d->r->detail, sizeof(d->r->detail), "cannot write the data");
		d->local_rc = SMP_FS_XFER_E_LOCAL;
		return -1;
	}
	d->r->done += n;
	return 0;
}

/* Hands over every held chunk that continues the prefix. */
static int flush_held(struct download *d)
{
	bool moved = true;

	while (moved) {
		moved = false;
		for (size_t i = 0; i < d->nheld; i++) {
			struct held_chunk c = d->held[i];

			if (c.off != d->r->done)
				continue;
			d->held[i] = d->held[--d->nheld];
			d->slot_used[c.slot] = false;
			if (c.len && sink_piece(d, slot_data(d, c.slot), c.len) != 0)
				return -1;
			moved = true;
			break;
		}
	}
	progress(d->p, d->r);
	return 0;
}

/* Copies an answer ahead of the prefix into a free slot; false when
 * there is none (it is then asked for again). */
static bool hold(struct download *d, const struct smp_fs_chunk *c)
{
	size_t len;

	for (unsigned s = 0; s < d->nslots; s++) {
		if (d->slot_used[s])
			continue;
		if (smp_item_bytes(&c->data, slot_data(d, s), d->r->chunk_size, &len) != SMP_GET_OK)
			return false;
		d->slot_used[s] = true;
		d->held[d->nheld++] = (struct held_chunk){ c->off, s, len };
		return true;
	}
	return false;
}

static bool is_held(const struct download *d, uint64_t off)
{
	for (size_t i = 0; i < d->nheld; i++)
		if (d->held[i].off == off)
			return true;
	return false;
}

/* The first answer gives the file's size (at offset 0) and the chunk
 * size every later answer keeps to. */
static bool first_answer(struct download *d, const struct smp_fs_chunk *c)
{
	if (!d->total_known) {
		if (!c->has_total) {
			smp_fmt(d->r->detail, sizeof(d->r->detail),
				"the first answer has no file size (\"len\")");
			return false;
		}
		d->r->total = c->total;
		d->total_known = true;
		smp_xfer_set_len(d->c, c->total);
	}
	d->r->chunk_size = c->len;
	if (c->len && d->p->hold) {
		size_t slots = d->p->hold_cap / c->len;

		d->nslots = (unsigned)(slots < SMP_MAX_WINDOW ? slots : SMP_MAX_WINDOW);
	}
	return true;
}

/* Checks one answer against what was asked and keeps its data; *at is
 * the end of the prefix received so far. */
static enum smp_xfer_verdict take_read(void *arg, const struct smp_response *rsp, uint64_t asked,
				       size_t n, uint64_t *at)
{
	struct download *d = arg;
	struct smp_fs_chunk c;
	const char *why;

	if (smp_fs_download_rsp(&rsp->body, &c, &why) != 0) {
		smp_fmt(d->r->detail, sizeof(d->r->detail), "download: %s", why);
		return SMP_XFER_STOP;
	}
	if (!d->r->chunk_size && !first_answer(d, &c))
		return SMP_XFER_STOP;
	if (c.off != asked || c.off + c.len > d->r->total || (c.len == 0 && asked < d->r->total)) {
		smp_fmt(d->r->detail, sizeof(d->r->detail),
			"asked for offset %llu, the device sent %zu bytes at %llu of %llu",
			(unsigned long long)asked, c.len, (unsigned long long)c.off,
			(unsigned long long)d->r->total);
		return SMP_XFER_STOP;
	}
	if (n && c.len != n) {
		/* A short chunk midway: what is held no longer lines up. */
		drop_held(d);
	}
	if (c.off == d->r->done) {
		/* In order: straight from the answer to the sink. */
		if (smp_fs_chunk_data(&c, sink_piece, d) != 0)
			return SMP_XFER_STOP;
	} else if (c.off > d->r->done && !is_held(d, c.off) && d->nheld < SMP_MAX_WINDOW) {
		hold(d, &c); /* no room: a duplicate, asked again */
	}
	if (flush_held(d) != 0)
		return SMP_XFER_STOP;
	/* A short chunk midway is asked again from the end of the prefix;
	 * anything else was received (held answers ahead of a missing one
	 * too: the prefix tells the controller where to go on from). */
	*at = n && c.len != n ? d->r->done : asked + c.len;
	return SMP_XFER_TAKEN;
}

static uint64_t prefix_read(void *arg)
{
	return ((struct download *)arg)->r->done;
}

static const struct smp_xfer_ops read_ops = { .build = build_read,
					      .take = take_read,
					      .prefix = prefix_read };

int smp_fs_download(struct smp_engine *e, const struct smp_fs_xfer_params *p, uint64_t start,
		    uint64_t total, smp_fs_sink_fn sink, void *sink_arg,
		    struct smp_fs_xfer_result *r)
{
	struct smp_xfer_ctl c;
	struct download d = { .p = p,
			      .r = r,
			      .c = &c,
			      .sink = sink,
			      .sink_arg = sink_arg,
			      .total_known = start > 0 };
	struct smp_xfer_plan plan = p->plan;
	int rc;

	memset(r, 0, sizeof(*r));
	r->done = r->started_at = start;
	r->total = total;
	if (start > 0 && start >= total) {
		progress(p, r);
		return r->result = SMP_OK;
	}
	/* Requests are small whatever the packet size: nothing to learn. */
	plan.pin_packet = true;
	plan.probe = false;
	smp_xfer_init(&c, e, &plan, p->note, p->arg);
	rc = smp_xfer_run(&c, &read_ops, &d, start, d.total_known ? total : start + 1);
	if (d.local_rc)
		rc = d.local_rc;
	drop_held(&d);
	return finish(r, &c, rc);
}

/* ---- upload -------------------------------------------------------- */

struct upload {
	const struct smp_fs_xfer_params *p;
	struct smp_fs_xfer_result *r;
	struct smp_engine *e;
	const uint8_t *data;
	size_t len;
	/* The chunk being built, for encode_write. */
	uint64_t build_off;
	size_t build_n;
	int64_t build_total;
};

/* Writes the chunk's data straight into the engine's packet buffer. */
static int encode_write(void *arg, struct smp_cbor_writer *w)
{
	struct upload *u = arg;

	return smp_fs_upload_req(w, u->p->name, u->build_off, u->data + u->build_off, u->build_n,
				 u->build_total);
}

static int build_write(void *arg, uint64_t off, size_t packet, struct smp_request *req, size_t *n)
{
	struct upload *u = arg;
	int64_t total = off == 0 ? (int64_t)u->len : -1;
	size_t k = smp_fs_upload_chunk_max(u->p->name, off, total, packet);

	if (k > u->len - off)
		k = (size_t)(u->len - off);
	if (k == 0 && off < u->len) {
		smp_fmt(u->r->detail, sizeof(u->r->detail),
			"a %zu-byte packet cannot carry a chunk of %s", packet, u->p->name);
		return SMP_E_TOOBIG;
	}
	req->op = SMP_OP_WRITE;
	req->group = SMP_GROUP_FS;
	req->id = SMP_FS_FILE;
	/* The engine encodes at once (smp_submit): one scratch chunk. */
	u->build_off = off;
	u->build_n = k;
	u->build_total = total;
	req->encode = encode_write;
	req->encode_arg = u;
	if (k > u->r->chunk_size)
		u->r->chunk_size = k;
	*n = k;
	return SMP_OK;
}

static enum smp_xfer_verdict take_write(void *arg, const struct smp_response *rsp, uint64_t off,
					size_t n, uint64_t *at)
{
	struct upload *u = arg;
	const char *why;

	if (smp_fs_upload_rsp(&rsp->body, at, &why) != 0) {
		smp_fmt(u->r->detail, sizeof(u->r->detail), "upload: %s", why);
		return SMP_XFER_STOP;
	}
	if (*at > u->len) {
		smp_fmt(u->r->detail, sizeof(u->r->detail),
			"the device's %s has %llu bytes, more than the %zu being uploaded",
			u->p->name, (unsigned long long)*at, u->len);
		return SMP_XFER_STOP;
	}
	u->r->done = *at;
	progress(u->p, u->r);
	return SMP_XFER_TAKEN;
}

/* Where the device's file ends after it refused a chunk: the "len" of a
 * v2 FILE_OFFSET_NOT_VALID, or (v1 answers lose it) a status request. */
static int encode_stat(void *arg, struct smp_cbor_writer *w)
{
	const struct upload *u = arg;

	return smp_fs_stat_req(w, u->p->name);
}

static bool where_write(void *arg, const struct smp_response *rsp, uint64_t *off)
{
	struct upload *u = arg;
	struct smp_request req = { .op = SMP_OP_READ, .group = SMP_GROUP_FS, .id = SMP_FS_STAT };
	struct smp_response st;
	const char *why;
	bool ok;

	if (rsp->status.kind == SMP_STATUS_ERR)
		return rsp->status.group == SMP_GROUP_FS &&
		       rsp->status.rc == SMP_FS_ERR_FILE_OFFSET_NOT_VALID &&
		       smp_get_uint(&rsp->body, "len", off) == SMP_GET_OK;
	if (rsp->status.rc != SMP_MGMT_ERR_EUNKNOWN)
		return false;
	req.encode = encode_stat;
	req.encode_arg = u;
	ok = smp_call(u->e, &req, &st) == SMP_OK && smp_fs_stat_rsp(&st.body, off, &why) == 0;
	smp_response_clear(&st);
	if (ok)
		u->r->done = *off;
	return ok;
}

static const struct smp_xfer_ops write_ops = { .build = build_write,
					       .take = take_write,
					       .where = where_write };

int smp_fs_upload(struct smp_engine *e, const struct smp_fs_xfer_params *p, const uint8_t *data,
		  size_t len, size_t start, struct smp_fs_xfer_result *r)
{
	struct upload u = { .p = p, .r = r, .e = e, .data = data, .len = len };
	struct smp_xfer_ctl c;

	memset(r, 0, sizeof(*r));
	r->done = r->started_at = start;
	r->total = len;
	if (start > len) {
		smp_fmt(r->detail, sizeof(r->detail), "resume offset past the end");
		return r->result = SMP_E_PROTOCOL;
	}
	if (start == len && len > 0)
		return r->result = SMP_OK;
	progress(p, r);
	smp_xfer_init(&c, e, &p->plan, p->note, p->arg);
	return finish(r, &c, smp_xfer_run(&c, &write_ops, &u, start, len));
}
