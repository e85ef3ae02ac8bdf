/* The learned-link cache: one small text file per connection, replaced
 * whole (temporary file and rename), so a reader sees the old or the new
 * file and never half of one. A file that does not parse is ignored and
 * replaced by the next successful transfer. */
#include "cli/link_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "smpctl-link 1"

/* FNV-1a: a file name for the key, not a secret. */
static uint64_t key_hash(const char *key)
{
	uint64_t h = 1469598103934665603ull;

	for (; *key; key++)
		h = (h ^ (uint8_t)*key) * 1099511628211ull;
	return h;
}

static int cache_dir(char *buf, size_t cap)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	int n;

	if (xdg && xdg[0] == '/')
		n = snprintf(buf, cap, "%s/smpctl/links", xdg);
	else if (home && home[0] == '/')
		n = snprintf(buf, cap, "%s/.cache/smpctl/links", home);
	else
		return -1;
	return n > 0 && (size_t)n < cap ? 0 : -1;
}

int link_cache_path(const char *key, char *buf, size_t cap)
{
	char dir[900];
	int n;

	if (cache_dir(dir, sizeof(dir)) != 0)
		return -1;
	n = snprintf(buf, cap, "%s/%016llx", dir, (unsigned long long)key_hash(key));
	return n > 0 && (size_t)n < cap ? 0 : -1;
}

/* mkdir -p for the cache dir, private to the user. */
static int make_dirs(const char *dir)
{
	char tmp[900];
	size_t i;

	if (snprintf(tmp, sizeof(tmp), "%s", dir) >= (int)sizeof(tmp))
		return -1;
	for (i = 1; tmp[i]; i++) {
		if (tmp[i] != '/')
			continue;
		tmp[i] = 0;
		if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
			return -1;
		tmp[i] = '/';
	}
	return mkdir(tmp, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

static int parse_num(const char *line, const char *name, unsigned long max, unsigned long *v)
{
	size_t n = strlen(name);
	char *end;

	if (strncmp(line, name, n) || line[n] != ' ' || line[n + 1] < '0' || line[n + 1] > '9')
		return -1;
	errno = 0;
	*v = strtoul(line + n + 1, &end, 10);
	return errno || (*end != '\n' && *end) || *v > max ? -1 : 0;
}

int link_cache_load(const char *key, struct smp_xfer_link *out)
{
	char path[1000], line[600], want[sizeof(line)];
	unsigned long packet, window, gap, burst;
	struct stat st;
	FILE *f;
	int ok = 0;

	if (link_cache_path(key, path, sizeof(path)) != 0)
		return -1;
	if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > 4096)
		return -1;
	f = fopen(path, "r");
	if (!f)
		return -1;
	snprintf(want, sizeof(want), "key %s\n", key);
	if (fgets(line, sizeof(line), f) && !strcmp(line, MAGIC "\n") &&
	    fgets(line, sizeof(line), f) && !strcmp(line, want) && fgets(line, sizeof(line), f) &&
	    !parse_num(line, "packet", SMP_MAX_PACKET, &packet) && fgets(line, sizeof(line), f) &&
	    !parse_num(line, "window", SMP_MAX_WINDOW, &window) && fgets(line, sizeof(line), f) &&
	    !parse_num(line, "gap", SMP_XFER_MAX_GAP_MS, &gap) && fgets(line, sizeof(line), f) &&
	    !parse_num(line, "burst", 64, &burst) && packet >= SMP_XFER_MIN_PACKET && window >= 1 &&
	    !fgets(line, sizeof(line), f))
		ok = 1;
	fclose(f);
	if (!ok)
		return -1;
	out->packet = packet;
	out->window = (unsigned)window;
	out->gap_ms = (unsigned)gap;
	out->gap_burst = (unsigned)burst;
	return 0;
}

int link_cache_store(const char *key, const struct smp_xfer_link *in)
{
	char dir[900], path[1000], tmp[1010];
	struct stat st;
	FILE *f;
	int fd, rc;

	if (cache_dir(dir, sizeof(dir)) != 0 || make_dirs(dir) != 0 ||
	    link_cache_path(key, path, sizeof(path)) != 0)
		return -1;
	/* Something that is not a regular file there is not ours to replace. */
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return -1;
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	fprintf(f, MAGIC "\nkey %s\npacket %zu\nwindow %u\ngap %u\nburst %u\n", key, in->packet,
		in->window, in->gap_ms, in->gap_burst);
	rc = fflush(f) != 0 || fsync(fd) != 0;
	rc |= fclose(f) != 0;
	if (rc || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}
