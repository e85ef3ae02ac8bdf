#include "host/fs_files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int local_read_all(const char *path, size_t max, uint8_t **data, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	uint8_t *buf = NULL;
	size_t got = 0;
	ssize_t n;
	int err;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
		err = S_ISDIR(st.st_mode) ? EISDIR : errno;
		goto fail;
	}
	if ((uint64_t)st.st_size > max) {
		err = EFBIG;
		goto fail;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		err = ENOMEM;
		goto fail;
	}
	while ((n = read(fd, buf + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)n;
	if (n < 0) {
		err = errno;
		goto fail;
	}
	close(fd);
	*data = buf;
	*len = got;
	return 0;
fail:
	free(buf);
	close(fd);
	errno = err;
	return -1;
}

int part_open(struct part_file *p, const char *final)
{
	struct stat st;

	memset(p, 0, sizeof(*p));
	p->fd = -1;
	p->final = strdup(final);
	if (host_file_is_stdout(final))
		p->part = strdup("a temporary file");
	else if (asprintf(&p->part, "%s.part", final) < 0)
		p->part = NULL;
	if (!p->final || !p->part) {
		free(p->final);
		free(p->part);
		p->part = p->final = NULL;
		p->err.err = errno = ENOMEM;
		snprintf(p->err.msg, sizeof(p->err.msg), "cannot be written: out of memory");
		return -1;
	}
	p->to_stdout = host_file_is_stdout(final);
	p->fd = p->to_stdout ? host_file_open_anonymous(&p->err)
			     : host_file_open_side(p->part, &p->err);
	if (p->fd < 0 || fstat(p->fd, &st) != 0) {
		struct host_file_error e = p->err;

		if (p->fd >= 0)
			snprintf(e.msg, sizeof(e.msg), "cannot be read: %s", strerror(errno));
		part_close(p);
		p->err = e;
		return -1;
	}
	p->size = (uint64_t)st.st_size;
	return 0;
}

int part_append(struct part_file *p, const uint8_t *data, size_t len)
{
	while (len > 0) {
		ssize_t n = pwrite(p->fd, data, len, (off_t)p->size);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += n;
		len -= (size_t)n;
		p->size += (uint64_t)n;
	}
	return 0;
}

int part_truncate(struct part_file *p)
{
	if (ftruncate(p->fd, 0) != 0)
		return -1;
	p->size = 0;
	return 0;
}

int part_read(struct part_file *p, uint64_t len, uint8_t **data)
{
	uint8_t *buf = malloc(len ? (size_t)len : 1);
	size_t got = 0;

	if (!buf) {
		errno = ENOMEM;
		return -1;
	}
	while (got < len) {
		ssize_t n = pread(p->fd, buf + got, (size_t)len - got, (off_t)got);

		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			free(buf);
			return -1;
		}
		got += (size_t)n;
	}
	*data = buf;
	return 0;
}

int part_commit(struct part_file *p, bool replace)
{
	if (ftruncate(p->fd, (off_t)p->size) != 0) {
		p->err.err = errno;
		snprintf(p->err.msg, sizeof(p->err.msg), "cannot be written: %s", strerror(errno));
		return -1;
	}
	if (p->to_stdout)
		return host_file_copy_to_stdout(p->fd, &p->err);
	return host_file_rename(p->fd, p->part, p->final, replace, &p->err);
}

void part_discard(struct part_file *p)
{
	if (p->part && !p->to_stdout)
		unlink(p->part);
}

void part_close(struct part_file *p)
{
	if (p->fd >= 0)
		close(p->fd);
	free(p->part);
	free(p->final);
	memset(p, 0, sizeof(*p));
	p->fd = -1;
}
