/* File transfers with the file system group over the engine, windowed.
 *
 * Download: read requests carry the offset, so a window of them can be in
 * flight; the first answer gives the chunk size (and, at offset 0, the
 * file's size) and the rest follow at multiples of it. The data reaches
 * the caller strictly in order, so what it has written is always a whole
 * prefix of the file: a later run resumes from its length.
 *
 * Upload: Zephyr appends each chunk whose offset is the file's current
 * size and answers any other with FILE_OFFSET_NOT_VALID and the size it
 * has ("len"); the upload follows that, so lost, repeated or reordered
 * chunks cost a resend, not the transfer. A chunk at offset 0 carries the
 * total size and makes the device truncate the file; a chunk at the
 * size a file already has continues it (resume). */
#ifndef SMP_FS_TRANSFER_H
#define SMP_FS_TRANSFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "smp/engine.h"
#include "smp/xfer_ctl.h"

/* The caller's own failure (the sink could not write). */
#define SMP_FS_XFER_E_LOCAL (-100)

struct smp_fs_xfer_params {
	const char *name;	   /* path on the device */
	struct smp_xfer_plan plan; /* where the transfer controller starts */
	void (*progress)(void *arg, uint64_t done, uint64_t total);
	void (*note)(void *arg, const char *msg); /* adaptations, for -v */
	void *arg;
	/* Download: the caller's memory for answers that arrive ahead of a
	 * missing one (a lost request resent), split into slots of the
	 * device's chunk size, at most SMP_MAX_WINDOW. Without it (NULL, or
	 * too small for a chunk) such answers are asked for again. */
	uint8_t *hold;
	size_t hold_cap;
};

struct smp_fs_xfer_result {
	int result;		  /* enum smp_result, or SMP_FS_XFER_E_LOCAL */
	struct smp_status status; /* SMP_E_DEVICE */
	char detail[192];
	uint64_t done; /* bytes in place, a whole prefix of the file */
	uint64_t total;
	uint64_t started_at; /* where this run began */
	unsigned chunks, resyncs, shrinks;
	size_t chunk_size; /* download: the device's; upload: the largest sent */
	struct smp_xfer_link learned;
	struct smp_xfer_stats stats;
	char summary[200]; /* what the controller learned, one line */
};

/* Takes the next len bytes of the file (in order). 0, or -1 to stop the
 * download with SMP_FS_XFER_E_LOCAL. */
typedef int (*smp_fs_sink_fn)(void *arg, const uint8_t *data, size_t len);

/* Downloads from start. With start 0 the device tells the size; a resume
 * (start > 0) must pass the size the device reported (fs stat). */
int smp_fs_download(struct smp_engine *e, const struct smp_fs_xfer_params *p, uint64_t start,
		    uint64_t total, smp_fs_sink_fn sink, void *sink_arg,
		    struct smp_fs_xfer_result *r);

/* Uploads data[start..len). start 0 replaces the file; start > 0
 * continues a file the device already has start bytes of. */
int smp_fs_upload(struct smp_engine *e, const struct smp_fs_xfer_params *p, const uint8_t *data,
		  size_t len, size_t start, struct smp_fs_xfer_result *r);

#endif
