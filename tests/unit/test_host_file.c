/* host/host_file.c: what may be written, and how a regular file is
 * replaced. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli/cli.h"
#include "host/host_file.h"
#include "tests/unit/unit.h"

struct tmpdir {
	char root[64];
	char path[4][128]; /* at()'s answers, used in turn */
	int next;
};

static bool tmpdir_make(struct tmpdir *d)
{
	d->next = 0;
	snprintf(d->root, sizeof(d->root), "/tmp/smpctl-hostfile-XXXXXX");
	return mkdtemp(d->root) != NULL;
}

static const char *at(struct tmpdir *d, const char *name)
{
	char *p = d->path[d->next++ % 4], root[sizeof(d->root)];

	memcpy(root, d->root, sizeof(root));
	snprintf(p, sizeof(d->path[0]), "%s/%s", root, name);
	return p;
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static bool holds(const char *path, const char *text)
{
	char buf[64] = { 0 };
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	if (f)
		fclose(f);
	return n == strlen(text) && memcmp(buf, text, n) == 0;
}

static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

static void tmpdir_remove(struct tmpdir *d)
{
	DIR *dir = opendir(d->root);
	struct dirent *e;

	while (dir && (e = readdir(dir)))
		if (e->d_name[0] != '.')
			unlink(at(d, e->d_name));
	if (dir)
		closedir(dir);
	rmdir(d->root);
}

TEST(host_file_refuses_what_is_not_a_regular_file)
{
	struct host_file_error e;
	struct tmpdir d;

	if (!CHECK(tmpdir_make(&d)))
		return;
	put(at(&d, "victim"), "victim");
	CHECK(symlink(at(&d, "victim"), at(&d, "link")) == 0);
	CHECK(mkfifo(at(&d, "fifo"), 0600) == 0);
	CHECK_INT(host_file_write(at(&d, "link"), "x", 1, true, &e), -1);
	CHECK(strstr(e.msg, "symbolic link") != NULL);
	CHECK_INT(cli_exit_for_file(&e), 6);
	CHECK(holds(at(&d, "victim"), "victim"));
	CHECK_INT(host_file_write(at(&d, "fifo"), "x", 1, true, &e), -1);
	CHECK(strstr(e.msg, "FIFO") != NULL);
	CHECK_INT(host_file_write(d.root, "x", 1, true, &e), -1);
	CHECK(strstr(e.msg, "directory") != NULL);
	CHECK_INT(host_file_check("/dev/null", true, &e), -1);
	CHECK(strstr(e.msg, "character device") != NULL);
	{
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		int s = socket(AF_UNIX, SOCK_STREAM, 0);

		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", at(&d, "sock"));
		CHECK(s >= 0 && bind(s, (struct sockaddr *)&sa, sizeof(sa)) == 0);
		CHECK_INT(host_file_write(at(&d, "sock"), "x", 1, true, &e), -1);
		CHECK(strstr(e.msg, "socket") != NULL);
		if (s >= 0)
			close(s);
	}
	/* Nothing was left beside them. */
	CHECK_INT(entries(d.root), 4);
	tmpdir_remove(&d);
}

TEST(host_file_replaces_only_with_replace_and_keeps_the_mode)
{
	struct host_file_error e;
	struct stat st;
	struct tmpdir d;

	if (!CHECK(tmpdir_make(&d)))
		return;
	put(at(&d, "f"), "old");
	CHECK(chmod(at(&d, "f"), 0604) == 0);
	CHECK_INT(host_file_write(at(&d, "f"), "new", 3, false, &e), -1);
	CHECK_INT(e.err, EEXIST);
	CHECK_INT(cli_exit_for_file(&e), 2);
	CHECK(holds(at(&d, "f"), "old"));
	CHECK_INT(host_file_write(at(&d, "f"), "new", 3, true, &e), 0);
	CHECK(holds(at(&d, "f"), "new"));
	CHECK(stat(at(&d, "f"), &st) == 0 && (st.st_mode & 07777) == 0604);
	CHECK_INT(host_file_write(at(&d, "g"), "", 0, false, &e), 0);
	CHECK(stat(at(&d, "g"), &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0);
	CHECK_INT(entries(d.root), 2);
	tmpdir_remove(&d);
}

TEST(host_file_side_file_refuses_links)
{
	struct host_file_error e;
	struct tmpdir d;
	int fd;

	if (!CHECK(tmpdir_make(&d)))
		return;
	put(at(&d, "victim"), "victim");
	CHECK(symlink(at(&d, "victim"), at(&d, "a.part")) == 0);
	CHECK_INT(host_file_open_side(at(&d, "a.part"), &e), -1);
	CHECK(strstr(e.msg, "symbolic link") != NULL);
	CHECK(link(at(&d, "victim"), at(&d, "b.part")) == 0);
	CHECK_INT(host_file_open_side(at(&d, "b.part"), &e), -1);
	CHECK(strstr(e.msg, "hard links") != NULL);
	fd = host_file_open_side(at(&d, "c.part"), &e);
	CHECK(fd >= 0);
	if (fd >= 0)
		close(fd);
	CHECK(holds(at(&d, "victim"), "victim"));
	tmpdir_remove(&d);
}

TEST(host_file_rename_checks_the_target_again)
{
	struct host_file_error e;
	struct tmpdir d;
	char tmp[160];
	int fd;

	if (!CHECK(tmpdir_make(&d)))
		return;
	snprintf(tmp, sizeof(tmp), "%s/t", d.root);
	fd = open(tmp, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (!CHECK(fd >= 0))
		return;
	/* A symlink planted after the first check is still refused. */
	put(at(&d, "victim"), "victim");
	CHECK(symlink(at(&d, "victim"), at(&d, "target")) == 0);
	CHECK_INT(host_file_rename(fd, tmp, at(&d, "target"), true, &e), -1);
	{
		struct stat st;

		CHECK(lstat(at(&d, "target"), &st) == 0 && S_ISLNK(st.st_mode));
	}
	close(fd);
	tmpdir_remove(&d);
}
