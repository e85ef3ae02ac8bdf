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

int smp_upload(struct smp_engine *e, const struct smp_upload_params *p,
	       struct smp_upload_result *r);

/* Largest data length for a chunk at off whose whole packet fits in
 * packet_max, before alignment; 0 if none fits. */
size_t smp_upload_chunk_len(const struct smp_upload_params *p, size_t off, size_t packet_max);

/* Builds the chunk's CBOR map; NULL on no memory or a failed read. */
cbor_item_t *smp_upload_chunk(const struct smp_upload_params *p, size_t off, size_t n);

#endif
