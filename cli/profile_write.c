/* Writing the profile file for `smpctl conn add|delete`: the one [NAME]
 * section is replaced or removed, every other line is kept as it was.
 * The file is only ever replaced as a whole (host/host_file.h: a new file
 * beside it, renamed over), so a crash leaves the old or the new file,
 * never half of one; a symlink, FIFO or device at the path is refused,
 * not followed. */
#include "cli/profile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/host_file.h"

struct text {
	char *buf;
	size_t len, cap;
};

static int text_add(struct text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		size_t cap = (t->len + n + 1) * 2;
		char *b = realloc(t->buf, cap);

		if (!b)
			return -1;
		t->buf = b;
		t->cap = cap;
	}
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = 0;
	return 0;
}

/* The section a "[name]" line opens, into out; false for other lines. */
static bool section_line(const char *line, size_t n, char *out, size_t cap)
{
	const char *end = line + n, *close;
	size_t k;

	while (line < end && (*line == ' ' || *line == '\t'))
		line++;
	if (line == end || *line != '[')
		return false;
	close = memchr(line, ']', (size_t)(end - line));
	if (!close)
		return false;
	line++;
	while (line < close && (*line == ' ' || *line == '\t'))
		line++;
	while (close > line && (close[-1] == ' ' || close[-1] == '\t'))
		close--;
	k = (size_t)(close - line);
	if (k >= cap)
		k = cap - 1;
	memcpy(out, line, k);
	out[k] = 0;
	return true;
}

static bool comment_line(const char *line, size_t n)
{
	while (n && (*line == ' ' || *line == '\t')) {
		line++;
		n--;
	}
	return n && (*line == '#' || *line == ';');
}

/* The file's lines without section name (its comments are kept: they may
 * be about what follows); *had says whether it was there. */
static int drop_section(const char *old, size_t len, const char *name, struct text *out, bool *had)
{
	const char *p = old, *end = old + len;
	char sect[256];
	bool in = false;

	*had = false;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);

		if (section_line(p, n, sect, sizeof(sect))) {
			in = !strcmp(sect, name);
			*had |= in;
		}
		bool keep = !in || comment_line(p, n);

		if (keep && text_add(out, p, n))
			return -1;
		if (keep && !nl && text_add(out, "\n", 1))
			return -1;
		p += n;
	}
	return 0;
}

/* The current file, or an empty one when there is none. Refuses anything
 * but a regular file. */
static int read_current(struct cli_ctx *ctx, const char *path, struct text *old)
{
	struct stat st;
	char chunk[4096];
	ssize_t n;
	int fd;

	if (host_file_is_stdout(path))
		return cli_fail(ctx, EXIT_USAGE, "the profile file cannot be standard output");
	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return EXIT_OK;
		return cli_fail(ctx, EXIT_LOCAL, "%s: %s", path, strerror(errno));
	}
	if (!S_ISREG(st.st_mode))
		return cli_fail(ctx, EXIT_LOCAL,
				"%s: not a regular file; not writing profiles there", path);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return cli_fail(ctx, EXIT_LOCAL, "%s: %s", path, strerror(errno));
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		if (text_add(old, chunk, (size_t)n)) {
			close(fd);
			return cli_fail(ctx, EXIT_LOCAL, "out of memory");
		}
	close(fd);
	if (n < 0)
		return cli_fail(ctx, EXIT_LOCAL, "%s: %s", path, strerror(errno));
	return EXIT_OK;
}

/* mkdir -p of path's directory, for a first profile. */
static int make_parent(const char *path)
{
	char dir[512], *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = 0;
	if (mkdir(dir, 0700) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT || make_parent(dir) != 0)
		return -1;
	return mkdir(dir, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

/* The new text in place of the file, by the one way smpctl writes files
 * (host/host_file.h): beside it, synced, renamed over. */
static int replace_file(struct cli_ctx *ctx, const char *path, const struct text *t)
{
	struct host_file_error e;

	if (make_parent(path) != 0)
		return cli_fail(ctx, EXIT_LOCAL, "%s: cannot make its directory: %s", path,
				strerror(errno));
	if (host_file_write(path, t->buf ? t->buf : "", t->len, true, &e) != 0)
		return cli_fail(ctx, EXIT_LOCAL, "%s %s", path, e.msg);
	return EXIT_OK;
}

static bool fits_one_line(const char *s)
{
	return *s && !strpbrk(s, "\n\r");
}

int cli_profile_write(struct cli_ctx *ctx, const char *name, const struct cli_profile_setting *set,
		      size_t n, bool remove)
{
	struct text old = { 0 }, out = { 0 };
	char path[512];
	bool had;
	size_t i;
	int rc;

	if (!fits_one_line(name) || strpbrk(name, "[]=;#") || name[0] == ' ')
		return cli_fail(ctx, EXIT_USAGE, "bad profile name '%s'", name);
	for (i = 0; i < n; i++)
		if (!fits_one_line(set[i].value))
			return cli_fail(ctx, EXIT_USAGE, "bad value for %s", set[i].key);
	if (cli_profile_path(path, sizeof(path)) != 0)
		return cli_fail(ctx, EXIT_USAGE, "no $HOME or $SMPCTL_CONFIG for the profile file");
	rc = read_current(ctx, path, &old);
	if (rc == EXIT_OK && drop_section(old.buf ? old.buf : "", old.len, name, &out, &had))
		rc = cli_fail(ctx, EXIT_LOCAL, "out of memory");
	if (rc == EXIT_OK && remove && !had)
		rc = cli_fail(ctx, EXIT_USAGE, "no profile [%s] in %s", name, path);
	if (rc == EXIT_OK && !remove) {
		char line[600];
		int k = snprintf(line, sizeof(line), "%s[%s]\n", out.len ? "\n" : "", name);

		rc = text_add(&out, line, (size_t)k);
		for (i = 0; rc == 0 && i < n; i++) {
			k = snprintf(line, sizeof(line), "%s = %s\n", set[i].key, set[i].value);
			rc = k < (int)sizeof(line) ? text_add(&out, line, (size_t)k) : -1;
		}
		rc = rc ? cli_fail(ctx, EXIT_LOCAL, "out of memory") : EXIT_OK;
	}
	if (rc == EXIT_OK)
		rc = replace_file(ctx, path, &out);
	free(old.buf);
	free(out.buf);
	return rc;
}
