#include "host/host_file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TMP_TRIES 64

static int fail(struct host_file_error *e, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct host_file_error *e, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	e->err = err;
	errno = err;
	return -1;
}

static int fail_errno(struct host_file_error *e, int err)
{
	return fail(e, err, "cannot be written: %s", strerror(err));
}

/* What a name that is not a regular file is, or NULL for a regular file. */
static const char *special_kind(mode_t m)
{
	static const struct {
		mode_t type;
		const char *name;
	} kinds[] = {
		{ S_IFLNK, "a symbolic link" },
		{ S_IFDIR, "a directory" },
		{ S_IFIFO, "a FIFO" },
		{ S_IFSOCK, "a socket" },
		{ S_IFCHR, "a character device" },
		{ S_IFBLK, "a block device" },
	};
	size_t i;

	if (S_ISREG(m))
		return NULL;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if ((m & S_IFMT) == kinds[i].type)
			return kinds[i].name;
	return "not a regular file";
}

static int refuse(struct host_file_error *e, const char *kind)
{
	return fail(e, EPERM, "is %s; only a regular file is ever replaced", kind);
}

bool host_file_is_stdout(const char *path)
{
	return strcmp(path, "-") == 0;
}

/* 0 and *exists, or -1 with e filled in; st is lstat's answer. */
static int check_at(const char *path, bool replace, struct stat *st, bool *exists,
		    struct host_file_error *e)
{
	const char *kind;

	*exists = false;
	if (lstat(path, st) != 0)
		return errno == ENOENT ? 0 : fail_errno(e, errno);
	*exists = true;
	kind = special_kind(st->st_mode);
	if (kind)
		return refuse(e, kind);
	if (!replace)
		return fail(e, EEXIST, "exists; --force replaces it");
	return 0;
}

int host_file_check(const char *path, bool replace, struct host_file_error *e)
{
	struct stat st;
	bool exists;

	return check_at(path, replace, &st, &exists, e);
}

int host_file_open_side(const char *path, struct host_file_error *e)
{
	struct stat st;
	bool exists;
	int fd;

	if (check_at(path, true, &st, &exists, e) != 0)
		return -1;
	/* O_NONBLOCK: a FIFO swapped in after the check must not hang the
	 * open; fstat then refuses it. */
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0666);
	if (fd < 0)
		return errno == ELOOP ? refuse(e, "a symbolic link") : fail_errno(e, errno);
	if (fstat(fd, &st) != 0) {
		int err = errno;

		close(fd);
		return fail_errno(e, err);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return refuse(e, special_kind(st.st_mode));
	}
	/* Written in place, a file with another name would change there too. */
	if (st.st_nlink > 1) {
		close(fd);
		return fail(e, EPERM,
			    "has other hard links; it is written in place, so it must "
			    "have none");
	}
	if (fcntl(fd, F_SETFL, 0) != 0) {
		int err = errno;

		close(fd);
		return fail_errno(e, err);
	}
	return fd;
}

/* The rename survives a power cut only once its directory is synced. */
static void sync_dir_of(const char *path)
{
	char *copy = strdup(path);
	int fd = copy ? open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

/* Swaps tmp and path in one step, then looks at what path held: if it
 * became something other than a regular file after the check, it is
 * swapped back, untouched. */
static int replace_existing(const char *tmp, const char *path, struct host_file_error *e)
{
	const char *kind;
	struct stat st;

	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_EXCHANGE) != 0) {
		if (errno != EINVAL && errno != ENOSYS)
			return fail_errno(e, errno);
		/* A file system without exchange: path was checked just now. */
		return rename(tmp, path) == 0 ? 0 : fail_errno(e, errno);
	}
	kind = lstat(tmp, &st) == 0 ? special_kind(st.st_mode) : NULL;
	if (kind) {
		renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_EXCHANGE);
		return refuse(e, kind);
	}
	unlink(tmp);
	return 0;
}

/* Puts tmp at path, which must not exist. */
static int place_new(const char *tmp, const char *path, struct host_file_error *e)
{
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno == EEXIST)
		return fail(e, EEXIST, "exists (it appeared meanwhile); nothing was replaced");
	/* Without RENAME_NOREPLACE, link() refuses an existing path as
	 * atomically. */
	if ((errno != EINVAL && errno != ENOSYS) || link(tmp, path) != 0)
		return fail_errno(e, errno);
	unlink(tmp);
	return 0;
}

int host_file_rename(int fd, const char *tmp, const char *path, bool replace,
		     struct host_file_error *e)
{
	struct stat st;
	bool exists;

	if (check_at(path, replace, &st, &exists, e) != 0)
		return -1;
	/* A replaced file keeps its mode; a new one has 0666 less the umask,
	 * as the temporary file was created. */
	if (exists && fchmod(fd, st.st_mode & 07777) != 0)
		return fail_errno(e, errno);
	if (fsync(fd) != 0)
		return fail_errno(e, errno);
	if ((exists ? replace_existing(tmp, path, e) : place_new(tmp, path, e)) != 0)
		return -1;
	sync_dir_of(path);
	return 0;
}

/* A new file beside path, created O_EXCL so that nothing already there
 * (a planted symlink included) is ever opened. fd with *tmp malloc'd, or
 * -1. */
static int create_beside(const char *path, char **tmp, struct host_file_error *e)
{
	unsigned seed = (unsigned)getpid() ^ (unsigned)time(NULL);
	int i, fd;

	for (i = 0; i < TMP_TRIES; i++) {
		seed = seed * 1103515245u + 12345u;
		if (asprintf(tmp, "%s.tmp%06x", path, seed & 0xffffff) < 0) {
			*tmp = NULL;
			fail_errno(e, ENOMEM);
			return -1;
		}
		fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
		if (fd >= 0)
			return fd;
		free(*tmp);
		*tmp = NULL;
		if (errno != EEXIST)
			break;
	}
	/* -1 spelled out: the analyzer does not follow the variadic fail(). */
	fail_errno(e, errno);
	return -1;
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int host_file_open_anonymous(struct host_file_error *e)
{
	const char *dir = getenv("TMPDIR");
	char *name = NULL;
	int fd;

	if (!dir || !dir[0])
		dir = "/tmp";
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	/* File systems without O_TMPFILE: a unique name, gone at once. */
	if (asprintf(&name, "%s/smpctl-XXXXXX", dir) < 0)
		return fail_errno(e, ENOMEM);
	fd = mkostemp(name, O_CLOEXEC);
	if (fd >= 0)
		unlink(name);
	else
		fail(e, errno, "cannot be buffered in %s: %s", dir, strerror(errno));
	free(name);
	return fd;
}

int host_file_copy_to_stdout(int fd, struct host_file_error *e)
{
	uint8_t buf[16384];
	off_t off = 0;
	ssize_t n;

	while ((n = pread(fd, buf, sizeof(buf), off)) > 0) {
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			break;
		off += n;
	}
	if (n < 0)
		return fail(e, errno, "(standard output) cannot be written: %s", strerror(errno));
	if (n > 0 || fflush(stdout) != 0)
		return fail(e, errno ? errno : EIO, "(standard output) cannot be written: %s",
			    strerror(errno ? errno : EIO));
	return 0;
}

static int write_stdout(const void *data, size_t len, struct host_file_error *e)
{
	if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
		return fail(e, errno ? errno : EIO, "(standard output) cannot be written: %s",
			    strerror(errno ? errno : EIO));
	return 0;
}

int host_file_write(const char *path, const void *data, size_t len, bool replace,
		    struct host_file_error *e)
{
	char *tmp = NULL;
	int fd, rc;

	if (host_file_is_stdout(path))
		return write_stdout(data, len, e);
	if (host_file_check(path, replace, e) != 0)
		return -1;
	fd = create_beside(path, &tmp, e);
	if (fd < 0)
		return -1;
	rc = write_all(fd, data, len) == 0 ? 0 : fail_errno(e, errno ? errno : EIO);
	if (rc == 0)
		rc = host_file_rename(fd, tmp, path, replace, e);
	close(fd); /* synced already: a late error cannot lose data */
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}
