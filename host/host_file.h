/* The one way smpctl writes a file the user named. Only a regular file is
 * ever replaced, and atomically: the data goes to a new file beside it
 * (created O_EXCL), is synced and renamed over it, keeping its mode. A
 * symlink, a device node, a FIFO, a socket or a directory is refused, and
 * so is an existing file unless the caller says replace. "-" is standard
 * output. */
#ifndef HOST_HOST_FILE_H
#define HOST_HOST_FILE_H

#include <stdbool.h>
#include <stddef.h>

/* Why a file was not written: errno (EEXIST for an existing file without
 * replace), and a phrase to follow its name: "is a symbolic link; ...",
 * "exists; --force replaces it", "cannot be written: ...". */
struct host_file_error {
	int err;
	char msg[192];
};

/* Whether path names standard output. */
bool host_file_is_stdout(const char *path);

/* May path be written? 0 when it is missing, or is a regular file and
 * replace is set; else -1 with e filled in. */
int host_file_check(const char *path, bool replace, struct host_file_error *e);

/* Opens (creating) a file the caller keeps beside its target, such as a
 * download's LOCAL.part, read-write: never through a symlink, never
 * anything but a regular file. fd, or -1 with e filled in. */
int host_file_open_side(const char *path, struct host_file_error *e);

/* Puts the complete file tmp (open as fd) in place of path, which is
 * checked again first: fsyncs, renames (never over an existing file
 * unless replace) and syncs the directory. 0 or -1 with e filled in;
 * tmp is left for the caller either way. */
int host_file_rename(int fd, const char *tmp, const char *path, bool replace,
		     struct host_file_error *e);

/* A read-write temporary file with no name (in $TMPDIR or /tmp), to hold
 * what goes to standard output once it is complete. fd or -1 with e. */
int host_file_open_anonymous(struct host_file_error *e);

/* Copies fd's whole content to standard output. 0 or -1 with e. */
int host_file_copy_to_stdout(int fd, struct host_file_error *e);

/* Writes data whole to path, through a temporary file beside it, or to
 * standard output for "-". 0 or -1 with e filled in. */
int host_file_write(const char *path, const void *data, size_t len, bool replace,
		    struct host_file_error *e);

#endif
