/* Local files for transfers: whole-file reads, and downloads written to
 * LOCAL.part, synced and renamed into place only when complete, by the
 * rules of host/host_file.h (LOCAL.part, too, is only ever a regular
 * file). */
#ifndef HOST_FS_FILES_H
#define HOST_FS_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host/host_file.h"

/* Reads a whole file (at most max bytes) into a malloc'd buffer. 0, or
 * -1 with errno (EFBIG past max). */
int local_read_all(const char *path, size_t max, uint8_t **data, size_t *len);

struct part_file {
	char *final;	/* LOCAL */
	char *part;	/* LOCAL.part, or a name for the unnamed buffer */
	bool to_stdout; /* LOCAL is "-": an unnamed buffer, no resume */
	int fd;
	uint64_t size;		    /* bytes in LOCAL.part */
	struct host_file_error err; /* why part_open or part_commit failed */
};

/* Opens (creating) LOCAL.part; size tells what an earlier run left. 0 or
 * -1 with err (a symlink or special file there is refused). For LOCAL
 * "-" the data is kept in an unnamed temporary file instead, and goes to
 * standard output at part_commit, once checked. */
int part_open(struct part_file *p, const char *final);
/* Appends; 0 or -1 with errno. */
int part_append(struct part_file *p, const uint8_t *data, size_t len);
/* Drops what LOCAL.part holds, to start over. */
int part_truncate(struct part_file *p);
/* Reads the first len bytes back (for the resume check); malloc'd. */
int part_read(struct part_file *p, uint64_t len, uint8_t **data);
/* Syncs and renames LOCAL.part to LOCAL: replacing LOCAL only when
 * replace and only when it is a regular file. 0 or -1 with err. */
int part_commit(struct part_file *p, bool replace);
/* Removes LOCAL.part (nothing worth keeping). */
void part_discard(struct part_file *p);
/* Closes, keeping LOCAL.part for a later resume. */
void part_close(struct part_file *p);

#endif
