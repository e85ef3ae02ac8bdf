#include "smp/fs_transfer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smp/cbor_util.h"
#include "smp/grp_fs.h"
#include "smp/say.h"

#define note(p, ...) smp_sayf((p)->note, (p)->arg, __VA_ARGS__)

#define MAX_RESYNCS 1000
#define MIN_PACKET 96	/* below this a chunk carries next to nothing */

static int fail(struct fs_xfer_result *r, int result, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct fs_xfer_result *r, int result, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->detail, sizeof(r->detail), fmt, ap);
	va_end(ap);
	return result;
}

/* Keeps an engine failure's status and reason. */
static int failed_rsp(struct fs_xfer_result *r, const struct smp_response *rsp)
{
	r->status = rsp->status;
	snprintf(r->detail, sizeof(r->detail), "%s", rsp->detail);
	return rsp->result;
}

static void progress(const struct fs_xfer_params *p, const struct fs_xfer_result *r)
{
	if (p->progress)
		p->progress(p->arg, r->done, r->total);
}

/* ---- download ------------------------------------------------------ */

struct held_chunk {
	uint64_t off;
	uint8_t *data;
	size_t len;
};

struct download {
	struct smp_engine *e;
	const struct fs_xfer_params *p;
	struct fs_xfer_result *r;
	fs_sink_fn sink;
	void *sink_arg;
	uint64_t next;		/* next offset to ask for */
	struct held_chunk held[SMP_MAX_WINDOW];	/* answers ahead of done */
	size_t nheld;
};

static int submit_read(struct download *d, uint64_t off, int timeout_ms)
{
	struct smp_request req = { .op = SMP_OP_READ, .group = SMP_GROUP_FS, .id = FS_FILE,
				   .timeout_ms = timeout_ms, .tag = (uintptr_t)off };
	int rc;

	req.body = fs_download_req(d->p->name, off);
	if (!req.body)
		return SMP_E_NOMEM;
	rc = smp_submit(d->e, &req);
	cbor_decref((cbor_item_t **)&req.body);
	return rc;
}

static void drop_held(struct download *d)
{
	for (size_t i = 0; i < d->nheld; i++)
		free(d->held[i].data);
	d->nheld = 0;
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
			if (c.len && d->sink(d->sink_arg, c.data, c.len) != 0) {
				free(c.data);
				return fail(d->r, FS_XFER_E_LOCAL, "cannot write the data");
			}
			free(c.data);
			d->r->done += c.len;
			moved = true;
			break;
		}
	}
	progress(d->p, d->r);
	return SMP_OK;
}

static bool is_held(const struct download *d, uint64_t off)
{
	for (size_t i = 0; i < d->nheld; i++)
		if (d->held[i].off == off)
			return true;
	return false;
}

/* Checks one answer against what was asked and keeps its data. Sets
 * *resync when the device sent less than a whole chunk midway. */
static int take_chunk(struct download *d, const struct smp_response *rsp, bool *resync)
{
	uint64_t asked = (uint64_t)rsp->tag, want;
	struct fs_chunk c;
	const char *why;

	if (fs_download_rsp(rsp->body, &c, &why) != 0)
		return fail(d->r, SMP_E_PROTOCOL, "download: %s", why);
	want = d->r->total - asked < d->r->chunk_size ? d->r->total - asked : d->r->chunk_size;
	if (c.off != asked || c.off + c.len > d->r->total || (c.len == 0 && want > 0)) {
		free(c.data);
		return fail(d->r, SMP_E_PROTOCOL,
			    "asked for offset %llu, the device sent %zu bytes at %llu of %llu",
			    (unsigned long long)asked, c.len, (unsigned long long)c.off,
			    (unsigned long long)d->r->total);
	}
	*resync = c.len != want;
	if (c.off < d->r->done || is_held(d, c.off) || d->nheld == SMP_MAX_WINDOW) {
		free(c.data);	/* a duplicate */
		return SMP_OK;
	}
	d->held[d->nheld++] = (struct held_chunk){ c.off, c.data, c.len };
	return flush_held(d);
}

static int first_read(struct download *d, uint64_t start, bool total_known)
{
	struct smp_response rsp;
	struct fs_chunk c;
	const char *why;
	int rc;

	rc = submit_read(d, start, d->p->first_timeout_ms);
	if (rc != SMP_OK)
		return fail(d->r, rc, "cannot send the request");
	if (smp_next(d->e, &rsp) != SMP_OK) {
		rc = failed_rsp(d->r, &rsp);
		smp_response_clear(&rsp);
		return rc;
	}
	rc = fs_download_rsp(rsp.body, &c, &why);
	smp_response_clear(&rsp);
	if (rc != 0)
		return fail(d->r, SMP_E_PROTOCOL, "download: %s", why);
	if (!total_known) {
		if (!c.has_total) {
			free(c.data);
			return fail(d->r, SMP_E_PROTOCOL, "the first answer has no file size (\"len\")");
		}
		d->r->total = c.total;
	}
	if (c.off != start || start + c.len > d->r->total || (c.len == 0 && start < d->r->total)) {
		free(c.data);
		return fail(d->r, SMP_E_PROTOCOL, "asked for offset %llu, the device sent %zu bytes "
			    "at %llu of %llu", (unsigned long long)start, c.len,
			    (unsigned long long)c.off, (unsigned long long)d->r->total);
	}
	d->r->chunk_size = c.len;
	d->r->chunks++;
	d->held[d->nheld++] = (struct held_chunk){ c.off, c.data, c.len };
	return flush_held(d);
}

/* Every answer but the oldest came back: it, or its answer, was lost.
 * Asking again beats waiting out the timeout. */
static bool gap(const struct download *d)
{
	return d->p->window > 1 && d->nheld > 0 && d->nheld + 1 >= d->p->window &&
	       smp_inflight(d->e) > 0;
}

/* Keeps the window of reads full, skipping what is already held. */
static int fill_window(struct download *d)
{
	int rc;

	while (d->next < d->r->total && smp_inflight(d->e) < d->p->window) {
		if (is_held(d, d->next)) {
			d->next += d->r->chunk_size;
			continue;
		}
		rc = submit_read(d, d->next, 0);
		if (rc == SMP_E_BUSY)
			break;
		if (rc != SMP_OK)
			return fail(d->r, rc, "cannot send the request");
		d->next += d->r->chunk_size;
		d->r->chunks++;
	}
	return SMP_OK;
}

/* Asks again from the end of the prefix: after a short chunk (dropping
 * what is held, which no longer lines up) or a lost one. */
static int ask_again(struct download *d, bool short_chunk)
{
	if (++d->r->resyncs > MAX_RESYNCS)
		return fail(d->r, SMP_E_PROTOCOL, "the download keeps %s",
			    short_chunk ? "getting short chunks" : "losing chunks");
	note(d->p, short_chunk ? "download: short chunk from the device: asking again from %llu"
			       : "download: every later chunk came but %llu: asking for it again",
	     (unsigned long long)d->r->done);
	smp_cancel_all(d->e);
	if (short_chunk)
		drop_held(d);
	d->next = d->r->done;
	return SMP_OK;
}

static int stream_reads(struct download *d)
{
	struct smp_response rsp;
	bool resync;
	int rc;

	d->next = d->r->done;
	while (d->r->done < d->r->total) {
		rc = fill_window(d);
		if (rc != SMP_OK)
			return rc;
		if (smp_inflight(d->e) == 0) {
			d->next = d->r->done;	/* all answered, yet some are missing */
			continue;
		}
		if (smp_next(d->e, &rsp) != SMP_OK) {
			rc = failed_rsp(d->r, &rsp);
			smp_response_clear(&rsp);
			return rc;
		}
		resync = false;
		rc = take_chunk(d, &rsp, &resync);
		smp_response_clear(&rsp);
		if (rc == SMP_OK && (resync || gap(d)))
			rc = ask_again(d, resync);
		if (rc != SMP_OK)
			return rc;
	}
	return SMP_OK;
}

int fs_download(struct smp_engine *e, const struct fs_xfer_params *p, uint64_t start,
		uint64_t total, fs_sink_fn sink, void *sink_arg, struct fs_xfer_result *r)
{
	struct download d = { .e = e, .p = p, .r = r, .sink = sink, .sink_arg = sink_arg };
	int rc;

	memset(r, 0, sizeof(*r));
	r->done = r->started_at = start;
	r->total = total;
	if (start > 0 && start >= total) {
		progress(p, r);
		return r->result = SMP_OK;
	}
	smp_set_window(e, p->window ? p->window : 1);
	rc = first_read(&d, start, start > 0);
	if (rc == SMP_OK)
		rc = stream_reads(&d);
	smp_cancel_all(e);
	drop_held(&d);
	return r->result = rc;
}

/* ---- upload -------------------------------------------------------- */

struct upload {
	struct smp_engine *e;
	const struct fs_xfer_params *p;
	struct fs_xfer_result *r;
	const uint8_t *data;
	size_t len;
	uint64_t next;		/* next offset to send */
	size_t packet_max;
	bool size_proven;	/* a packet of packet_max got through */
};

static size_t chunk_len(const struct upload *u, uint64_t off)
{
	int64_t total = off == 0 ? (int64_t)u->len : -1;
	size_t n = fs_upload_chunk_max(u->p->name, off, total, u->packet_max);

	return n > u->len - off ? (size_t)(u->len - off) : n;
}

#define TAG_BITS 20	/* chunk length in the low bits of the tag */

static int send_chunk(struct upload *u, uint64_t off, int timeout_ms)
{
	size_t n = chunk_len(u, off);
	struct smp_request req = { .op = SMP_OP_WRITE, .group = SMP_GROUP_FS, .id = FS_FILE,
				   .timeout_ms = timeout_ms,
				   .retries = u->size_proven ? 0 : -1 };
	int rc;

	if (n == 0 && off < u->len)
		return fail(u->r, SMP_E_TOOBIG, "a %zu-byte packet cannot carry a chunk of %s",
			    u->packet_max, u->p->name);
	req.body = fs_upload_req(u->p->name, off, u->data + off, n,
				 off == 0 ? (int64_t)u->len : -1);
	if (!req.body)
		return SMP_E_NOMEM;
	req.tag = (uintptr_t)(off << TAG_BITS | n);
	rc = smp_submit(u->e, &req);
	cbor_decref((cbor_item_t **)&req.body);
	if (rc == SMP_OK) {
		u->next = off + n;
		u->r->chunks++;
		if (n > u->r->chunk_size)
			u->r->chunk_size = n;
	}
	return rc;
}

/* A failure a smaller packet may cure. */
static bool size_trouble(const struct upload *u, const struct smp_response *rsp)
{
	if (rsp->result == SMP_E_TIMEOUT)
		return !u->size_proven;
	return rsp->result == SMP_E_DEVICE && rsp->status.kind == SMP_STATUS_RC &&
	       (rsp->status.rc == MGMT_ERR_EMSGSIZE || rsp->status.rc == MGMT_ERR_ECORRUPT ||
		rsp->status.rc == MGMT_ERR_ENOMEM);
}

static bool shrink(struct upload *u, const struct smp_response *rsp)
{
	size_t smaller = u->packet_max / 2;

	if (!size_trouble(u, rsp) || smaller < MIN_PACKET)
		return false;
	note(u->p, "fs upload: %s with %zu-byte packets: retrying with %zu",
	     rsp->result == SMP_E_TIMEOUT ? "no answer" : "device refused a chunk", u->packet_max,
	     smaller);
	u->packet_max = smaller;
	u->size_proven = false;
	u->r->shrinks++;
	return true;
}

/* Where the device's file ends after it refused a chunk: the "len" of a
 * v2 FILE_OFFSET_NOT_VALID, or (v1 answers lose it) a status request. */
static bool device_offset(struct upload *u, const struct smp_response *rsp, uint64_t *off)
{
	struct smp_request req = { .op = SMP_OP_READ, .group = SMP_GROUP_FS, .id = FS_STAT };
	struct smp_response st;
	const char *why;
	bool ok;

	if (rsp->result != SMP_E_DEVICE)
		return false;
	if (rsp->status.kind == SMP_STATUS_ERR)
		return rsp->status.group == SMP_GROUP_FS &&
		       rsp->status.rc == FS_ERR_FILE_OFFSET_NOT_VALID &&
		       smp_get_uint(rsp->body, "len", off) == SMP_GET_OK;
	if (rsp->status.rc != MGMT_ERR_EUNKNOWN)
		return false;
	smp_cancel_all(u->e);
	req.body = fs_stat_req(u->p->name);
	if (!req.body)
		return false;
	ok = smp_call(u->e, &req, &st) == SMP_OK && fs_stat_rsp(st.body, off, &why) == 0;
	cbor_decref((cbor_item_t **)&req.body);
	smp_response_clear(&st);
	return ok;
}

/* Follows the device to the offset it has. */
static int resync(struct upload *u, uint64_t off)
{
	if (off > u->len)
		return fail(u->r, SMP_E_PROTOCOL,
			    "the device's %s has %llu bytes, more than the %zu being uploaded",
			    u->p->name, (unsigned long long)off, u->len);
	if (++u->r->resyncs > MAX_RESYNCS)
		return fail(u->r, SMP_E_PROTOCOL, "the upload keeps losing chunks");
	note(u->p, "fs upload: device has %llu bytes, not %llu: continuing from there",
	     (unsigned long long)off, (unsigned long long)u->next);
	smp_cancel_all(u->e);
	u->r->done = off;
	u->next = off;
	return SMP_OK;
}

/* Acts on one chunk's answer. */
static int take_answer(struct upload *u, const struct smp_response *rsp)
{
	uint64_t sent_off = (uint64_t)rsp->tag >> TAG_BITS;
	size_t sent_n = (size_t)(rsp->tag & ((1u << TAG_BITS) - 1));
	uint64_t off;
	const char *why;

	if (rsp->result != SMP_OK) {
		if (device_offset(u, rsp, &off))
			return resync(u, off);
		if (shrink(u, rsp)) {
			smp_cancel_all(u->e);
			u->next = u->r->done;
			return SMP_OK;
		}
		return failed_rsp(u->r, rsp);
	}
	u->size_proven = true;
	if (fs_upload_rsp(rsp->body, &off, &why) != 0)
		return fail(u->r, SMP_E_PROTOCOL, "upload: %s", why);
	if (off != sent_off + sent_n)
		return resync(u, off);
	if (off > u->r->done)
		u->r->done = off;
	progress(u->p, u->r);
	return SMP_OK;
}

/* An empty file still takes one request, which creates it. */
static bool more_to_send(const struct upload *u)
{
	return u->next < u->len || (u->len == 0 && !u->size_proven && smp_inflight(u->e) == 0);
}

static bool complete(const struct upload *u)
{
	return u->len == 0 ? u->size_proven : u->r->done >= u->len;
}

static int stream_chunks(struct upload *u)
{
	struct smp_response rsp;
	int rc;

	while (!complete(u)) {
		while (more_to_send(u) &&
		       smp_inflight(u->e) < (u->size_proven ? u->p->window : 1)) {
			rc = send_chunk(u, u->next, u->r->chunks ? 0 : u->p->first_timeout_ms);
			if (rc == SMP_E_BUSY)
				break;
			if (rc != SMP_OK)
				return rc == SMP_E_TOOBIG ? rc : fail(u->r, rc, "cannot send a chunk");
		}
		if (smp_inflight(u->e) == 0) {
			u->next = u->r->done;	/* all answered, yet the device is behind */
			continue;
		}
		smp_next(u->e, &rsp);
		rc = take_answer(u, &rsp);
		smp_response_clear(&rsp);
		if (rc != SMP_OK)
			return rc;
	}
	return SMP_OK;
}

int fs_upload(struct smp_engine *e, const struct fs_xfer_params *p, const uint8_t *data,
	      size_t len, size_t start, struct fs_xfer_result *r)
{
	struct upload u = { .e = e, .p = p, .r = r, .data = data, .len = len,
			    .next = start, .packet_max = p->packet_max };
	int rc;

	memset(r, 0, sizeof(*r));
	r->done = r->started_at = start;
	r->total = len;
	if (start > len)
		return r->result = fail(r, SMP_E_PROTOCOL, "resume offset past the end");
	if (start == len && len > 0)
		return r->result = SMP_OK;
	smp_set_window(e, p->window ? p->window : 1);
	progress(p, r);
	rc = stream_chunks(&u);
	smp_cancel_all(e);
	return r->result = rc;
}
