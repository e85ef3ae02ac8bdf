#include "smp/upload.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smp/cbor_util.h"
#include "smp/grp_img.h"
#include "smp/grp_os.h"
#include "smp/say.h"

#define note(p, ...) smp_sayf((p)->note, (p)->arg, __VA_ARGS__)

#define MAX_RESTARTS 3
#define MAX_RESYNCS 1000

cbor_item_t *smp_upload_chunk(const struct smp_upload_params *p, size_t off, size_t n)
{
	bool first = off == 0;
	size_t fields = 2 + (first ? 1 + (p->image >= 0) + (p->sha != NULL) + p->upgrade : 0);
	cbor_item_t *m = cbor_new_definite_map(fields);

	if (!m)
		return NULL;
	if (first && p->image >= 0 && smp_put_uint(m, "image", (uint64_t)p->image) != 0)
		goto fail;
	if (first && smp_put_uint(m, "len", p->len) != 0)
		goto fail;
	if (smp_put_uint(m, "off", off) != 0)
		goto fail;
	if (first && p->sha && smp_put_bytes(m, "sha", p->sha, p->sha_len) != 0)
		goto fail;
	if (smp_put_bytes(m, "data", p->data + off, n) != 0)
		goto fail;
	if (first && p->upgrade && smp_put_bool(m, "upgrade", true) != 0)
		goto fail;
	return m;
fail:
	cbor_decref(&m);
	return NULL;
}

/* CBOR size of the chunk map at off with an empty data string: the rest
 * of the packet is the data's length head and the data. */
static size_t overhead(const struct smp_upload_params *p, size_t off)
{
	size_t n = 1 + 4 + smp_cbor_head_len(off) + 5 + 1;	/* map, "off", off, "data", h'' */

	if (off == 0) {
		n += 4 + smp_cbor_head_len(p->len);			/* "len" */
		if (p->image >= 0)
			n += 6 + smp_cbor_head_len((uint64_t)p->image);	/* "image" */
		if (p->sha)
			n += 4 + smp_cbor_head_len(p->sha_len) + p->sha_len;	/* "sha" */
		if (p->upgrade)
			n += 8 + 1;					/* "upgrade": true */
	}
	return n;
}

size_t smp_upload_chunk_len(const struct smp_upload_params *p, size_t off, size_t packet_max)
{
	size_t fixed = SMP_HDR_SIZE + overhead(p, off) - 1;	/* less the empty head */
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
	struct smp_engine *e;
	const struct smp_upload_params *p;
	struct smp_upload_result *r;
	size_t next;		/* next offset to send */
	size_t packet_max;
	bool size_proven;	/* a chunk of packet_max got through */
};

static size_t chunk_len(struct upload_run *u, size_t off)
{
	size_t n = smp_upload_chunk_len(u->p, off, u->packet_max);

	if (n && off + n < u->p->len && u->p->align > 1 && n > u->p->align)
		n -= (off + n) % u->p->align;
	return n;
}

static int send_chunk(struct upload_run *u, size_t off, int timeout_ms)
{
	size_t n = chunk_len(u, off);
	/* Until a packet of this size got through, a lost one more likely
	 * means too large than unlucky: do not wait for resends. */
	struct smp_request req = { .op = SMP_OP_WRITE, .group = SMP_GROUP_IMAGE,
				   .id = IMG_UPLOAD, .timeout_ms = timeout_ms,
				   .retries = u->size_proven ? 0 : -1 };
	int rc;

	if (n == 0 || (off == 0 && n < SMP_UPLOAD_MIN_FIRST && n < u->p->len)) {
		snprintf(u->r->detail, sizeof(u->r->detail),
			 "a %zu-byte packet cannot carry the first chunk (image header)",
			 u->packet_max);
		return SMP_E_TOOBIG;
	}
	req.body = smp_upload_chunk(u->p, off, n);
	if (!req.body)
		return SMP_E_NOMEM;
	req.tag = (uintptr_t)off << 16 | n;
	rc = smp_submit(u->e, &req);
	cbor_decref((cbor_item_t **)&req.body);
	if (rc == SMP_OK) {
		u->next = off + n;
		u->r->chunks++;
	}
	return rc;
}

/* Takes the device's answer to one chunk: where it wants the next. */
static int read_offset(struct upload_run *u, const struct smp_response *rsp, size_t *off)
{
	uint64_t v;
	bool match;

	if (smp_get_uint(rsp->body, "off", &v) != SMP_GET_OK) {
		snprintf(u->r->detail, sizeof(u->r->detail), "upload answer has no \"off\"");
		return SMP_E_PROTOCOL;
	}
	if (v > u->p->len) {
		snprintf(u->r->detail, sizeof(u->r->detail),
			 "device reports offset %llu past the image's %zu bytes",
			 (unsigned long long)v, u->p->len);
		return SMP_E_PROTOCOL;
	}
	if (smp_get_bool(rsp->body, "match", &match) == SMP_GET_OK) {
		u->r->match_reported = true;
		u->r->match = match;
	}
	*off = (size_t)v;
	return SMP_OK;
}

/* A failure that a smaller packet may cure: the device or a transport on
 * the way cut the packet, or dropped it. */
static bool size_trouble(const struct smp_response *rsp)
{
	if (rsp->result == SMP_E_TIMEOUT)
		return true;
	return rsp->result == SMP_E_DEVICE && rsp->status.kind == SMP_STATUS_RC &&
	       (rsp->status.rc == MGMT_ERR_ECORRUPT || rsp->status.rc == MGMT_ERR_EMSGSIZE ||
		rsp->status.rc == MGMT_ERR_ENOMEM);
}

static bool shrink(struct upload_run *u, const struct smp_response *rsp)
{
	/* A quarter less each time: limits sit anywhere (Zephyr's shell
	 * transport takes 188-byte packets, its UDP one 1500-byte datagrams),
	 * and halving overshoots them. */
	size_t smaller = u->packet_max * 3 / 4;

	/* Once a size worked, silence is a lost packet, not a size. */
	if (u->size_proven && rsp->result == SMP_E_TIMEOUT)
		return false;
	if (smaller < SMP_UPLOAD_MIN_PACKET)
		return false;
	note(u->p, "upload: %s to a %zu-byte packet: retrying with %zu",
	     rsp->result == SMP_E_TIMEOUT ? "no answer" : "the device refused",
	     u->packet_max, smaller);
	u->packet_max = smaller;
	u->size_proven = false;
	u->r->shrinks++;
	return true;
}

static int fail(struct upload_run *u, const struct smp_response *rsp)
{
	u->r->status = rsp->status;
	if (!u->r->detail[0])
		snprintf(u->r->detail, sizeof(u->r->detail), "%s", rsp->detail);
	return rsp->result;
}

/* An echo request exactly packet_max bytes long: {"d": text}. */
static cbor_item_t *probe_req(size_t packet_max)
{
	size_t fixed = SMP_HDR_SIZE + 1 + 2, n;	/* header, map, "d" */
	cbor_item_t *m;
	char *text;

	if (packet_max <= fixed + 1)
		return NULL;
	n = packet_max - fixed - 1;
	while (n > 0 && fixed + smp_cbor_head_len(n) + n > packet_max)
		n--;
	text = malloc(n + 1);
	if (!text)
		return NULL;
	memset(text, 'p', n);
	text[n] = 0;
	m = os_echo_req(text);
	free(text);
	return m;
}

/* Before the first chunk (whose answer waits for a slot erase), an echo as
 * large as the packets to come finds out cheaply whether the device and
 * the path take them: devices drop or cut what they cannot take, whatever
 * their params said. A device without echo is taken at its word. */
static int probe(struct upload_run *u)
{
	struct smp_request req = { .op = SMP_OP_WRITE, .group = SMP_GROUP_OS, .id = OS_ECHO,
				   .retries = -1 };
	struct smp_response rsp;
	int rc;

	for (;;) {
		req.body = probe_req(u->packet_max);
		if (!req.body)
			return SMP_E_NOMEM;
		rc = smp_call(u->e, &req, &rsp);
		cbor_decref((cbor_item_t **)&req.body);
		if (rc == SMP_OK || !size_trouble(&rsp)) {
			/* Success, or an error that says nothing of size (no
			 * echo group): go on with this size. */
			if (rc == SMP_OK)
				u->size_proven = true;
			smp_response_clear(&rsp);
			return SMP_OK;
		}
		if (!shrink(u, &rsp)) {
			rc = fail(u, &rsp);
			smp_response_clear(&rsp);
			return rc;
		}
		smp_response_clear(&rsp);
	}
}

/* Sends the first chunk alone and waits: it may take an erase, and its
 * answer says where a resumed upload continues. */
static int first_chunk(struct upload_run *u, size_t *resume)
{
	struct smp_response rsp;
	int rc;

	for (;;) {
		rc = send_chunk(u, 0, u->p->first_timeout_ms);
		if (rc != SMP_OK)
			return rc;
		rc = smp_next(u->e, &rsp);
		if (rc == SMP_OK)
			rc = read_offset(u, &rsp, resume);
		if (rc == SMP_OK)
			u->size_proven = true;
		else if (size_trouble(&rsp) && shrink(u, &rsp)) {
			smp_response_clear(&rsp);
			continue;
		} else
			rc = fail(u, &rsp);
		smp_response_clear(&rsp);
		return rc;
	}
}

static void progress(struct upload_run *u)
{
	if (u->p->progress)
		u->p->progress(u->p->arg, u->r->offset, u->p->len);
}

/* Acts on one chunk's answer. Returns SMP_OK to go on, or the failure. */
static int take_answer(struct upload_run *u, struct smp_response *rsp, bool *restart)
{
	size_t sent_off = (size_t)(rsp->tag >> 16), sent_n = (size_t)(rsp->tag & 0xffff);
	size_t want;
	int rc;

	if (rsp->result != SMP_OK) {
		if (!size_trouble(rsp) || !shrink(u, rsp))
			return fail(u, rsp);
		/* Resend from where the device is. */
		smp_cancel_all(u->e);
		u->next = u->r->offset;
		return SMP_OK;
	}
	rc = read_offset(u, rsp, &want);
	if (rc != SMP_OK)
		return rc;
	u->size_proven = true;
	if (want == 0 && sent_off > 0) {
		/* The device restarted and lost the upload. */
		if (++u->r->restarts > MAX_RESTARTS) {
			snprintf(u->r->detail, sizeof(u->r->detail),
				 "device restarted the upload %d times", MAX_RESTARTS);
			return SMP_E_PROTOCOL;
		}
		note(u->p, "upload: device answered offset 0 midway (it restarted): starting over");
		smp_cancel_all(u->e);
		u->r->offset = 0;
		*restart = true;
		return SMP_OK;
	}
	if (want > u->r->offset)
		u->r->offset = want;
	if (want != sent_off + sent_n) {
		/* A chunk was lost or reordered: follow the device. */
		if (++u->r->resyncs > MAX_RESYNCS) {
			snprintf(u->r->detail, sizeof(u->r->detail), "upload keeps losing chunks");
			return SMP_E_PROTOCOL;
		}
		note(u->p, "upload: device expects offset %zu, not %zu: resending from there",
		     want, sent_off + sent_n);
		smp_cancel_all(u->e);
		u->r->offset = want;
		u->next = want;
	}
	progress(u);
	return SMP_OK;
}

/* Keeps the window full until the device has the whole image. */
static int stream(struct upload_run *u, bool *restart)
{
	struct smp_response rsp;
	int rc;

	while (u->r->offset < u->p->len) {
		while (u->next < u->p->len && smp_inflight(u->e) < u->p->window) {
			rc = send_chunk(u, u->next, 0);
			if (rc == SMP_E_BUSY)
				break;
			if (rc != SMP_OK)
				return rc;
		}
		if (smp_inflight(u->e) == 0) {
			/* All sent and answered, yet the device is behind. */
			u->next = u->r->offset;
			continue;
		}
		smp_next(u->e, &rsp);
		rc = take_answer(u, &rsp, restart);
		smp_response_clear(&rsp);
		if (rc != SMP_OK || *restart)
			return rc;
	}
	return SMP_OK;
}

int smp_upload(struct smp_engine *e, const struct smp_upload_params *p,
	       struct smp_upload_result *r)
{
	struct upload_run u = { .e = e, .p = p, .r = r, .packet_max = p->packet_max };
	size_t resume = 0;
	bool restart;
	int rc;

	memset(r, 0, sizeof(*r));
	if (p->len == 0) {
		snprintf(r->detail, sizeof(r->detail), "empty image");
		return r->result = SMP_E_TOOBIG;
	}
	smp_set_window(e, p->window ? p->window : 1);
	rc = probe(&u);
	if (rc != SMP_OK)
		goto out;
	do {
		restart = false;
		rc = first_chunk(&u, &resume);
		if (rc != SMP_OK)
			break;
		/* More than the first chunk: the device kept an earlier try. */
		if (resume > u.next && r->restarts == 0)
			r->resumed_from = resume;
		r->offset = resume;
		u.next = resume;
		progress(&u);
		rc = stream(&u, &restart);
	} while (rc == SMP_OK && restart);
out:
	smp_cancel_all(e);
	r->packet_max = u.packet_max;
	if (rc == SMP_OK && r->match_reported && !r->match) {
		snprintf(r->detail, sizeof(r->detail),
			 "device reports the received image does not match its SHA-256");
		rc = SMP_E_PROTOCOL;
	}
	return r->result = rc;
}
