/* Image upload (image group, command 1) over the engine: the first chunk
 * goes alone (the device erases the slot and may resume an earlier upload
 * of the same image), then the transfer controller (smp/xfer_ctl.h)
 * keeps a learned window of chunks in flight, following the offset the
 * device reports. */
#ifndef SMP_IMAGE_UPLOAD_H
#define SMP_IMAGE_UPLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "smp/engine.h"
#include "smp/image_src.h"
#include "smp/xfer_ctl.h"

/* Zephyr's img_mgmt needs the whole 32-byte image header in chunk one. */
#define SMP_UPLOAD_MIN_FIRST 32

struct smp_upload_params {
	const uint8_t *data; /* the image in memory, or NULL: read through src */
	size_t len;
	/* With data NULL, each chunk's bytes are read through src (at least
	 * len bytes) as the chunk is built, so a device streaming from
	 * external flash never holds the image; a failed read stops the
	 * upload with SMP_E_TRANSPORT. sha (below) is the caller's: a
	 * device has it from the image check that read the same source. */
	const struct smp_image_src *src;
	const uint8_t *sha; /* SHA-256 of data, for resume and match; NULL: not sent */
	size_t sha_len;
	int image;    /* image number; < 0: not sent (image 0) */
	bool upgrade; /* ask the device to refuse a version not newer */
	/* Packet size, window and spacing to start from; the first
	 * answer's timeout covers a slot erase. */
	struct smp_xfer_plan plan;
	size_t align;	  /* chunk data multiple, but for the last (1 = none) */
	size_t chunk_max; /* cap on chunk data bytes; 0 = none */
	void (*progress)(void *arg, size_t off, size_t len);
	void (*note)(void *arg, const char *msg); /* adaptations, for -v */
	void *arg;
};

struct smp_upload_result {
	int result;		  /* enum smp_result */
	struct smp_status status; /* SMP_E_DEVICE */
	char detail[192];
	size_t offset;	     /* how far the device has the image */
	size_t resumed_from; /* where the device said it had stopped before */
	size_t packet_max;   /* the packet size that worked */
	unsigned restarts, resyncs, shrinks, chunks;
	struct smp_xfer_link learned;
	struct smp_xfer_stats stats;
	char summary[200]; /* what the controller learned, one line */
	bool match_reported, match;
};

/* An upload driven by events, for a caller without a thread to block in
 * (a Zephyr work queue, a super-loop). Its memory is the caller's; the
 * fields are the upload's own. The engine is the upload's alone while it
 * runs (a loss forgets everything in flight), and p and r must outlive
 * it. It cannot measure the link first: p->plan.probe must be false (or
 * plan.pin_packet set), else the start fails with SMP_E_BUSY. */
struct smp_upload_run {
	struct smp_xfer_ctl c;
	const struct smp_upload_params *p;
	struct smp_upload_result *r;
	bool answered;		   /* the device answered a chunk */
	unsigned last_sends;	   /* times the last chunk went out */
	size_t chunk_off, chunk_n; /* the chunk being encoded */
	bool read_failed;	   /* p->src failed a read */
	bool over;		   /* r holds the outcome */
};

/* smp_upload_on_response: the device has the whole image. */
#define SMP_UPLOAD_DONE 1

/* Checks p, then submits what the window allows. SMP_OK, or the failure
 * with r filled (r->result). */
int smp_upload_start(struct smp_upload_run *u, struct smp_engine *e,
		     const struct smp_upload_params *p, struct smp_upload_result *r);
/* The same, measuring the link first with probe when p->plan.probe is
 * set (smp_upload passes smp_xfer_probe, which blocks). */
int smp_upload_begin(struct smp_upload_run *u, struct smp_engine *e,
		     const struct smp_upload_params *p, struct smp_upload_result *r,
		     int (*probe)(struct smp_xfer_ctl *c));
/* True when rsp completes one of the upload's requests. */
bool smp_upload_owns(const struct smp_upload_run *u, const struct smp_response *rsp);
/* Takes every completion of the upload's requests the engine gives
 * (smp_engine_input, smp_engine_expire) and submits more: SMP_OK while
 * it goes on, SMP_UPLOAD_DONE when the device has the whole image, or
 * the failure (< 0). Either end fills r; nothing stays in flight. A
 * failed completion that is not the upload's (smp_upload_owns) ends it
 * with that failure; a successful one is ignored. */
int smp_upload_on_response(struct smp_upload_run *u, const struct smp_response *rsp);

/* The blocking form (smp/image_upload_run.c, apart so that a caller
 * driven by events links neither it nor the probe): the probe
 * (plan.probe), then the above over smp_next. SMP_OK or the failure, also
 * in r->result. */
int smp_upload(struct smp_engine *e, const struct smp_upload_params *p,
	       struct smp_upload_result *r);

/* Largest data length for a chunk at off whose whole packet fits in
 * packet_max, before alignment; 0 if none fits. */
size_t smp_upload_chunk_len(const struct smp_upload_params *p, size_t off, size_t packet_max);

/* Writes the chunk's CBOR map into w, its data read from p->data or
 * p->src: 0, or -1 when it did not fit or the read failed. */
int smp_upload_chunk(struct smp_cbor_writer *w, const struct smp_upload_params *p, size_t off,
		     size_t n);

#endif
