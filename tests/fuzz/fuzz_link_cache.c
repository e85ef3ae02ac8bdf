/* The learned-link cache reader (cli/link_cache.c): the input is the
 * cache file a previous run (or anyone who can write the user's cache
 * dir) left. What it accepts is stored again and must load the same. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/link_cache.h"
#include "tests/fuzz/fuzz.h"

#define KEY "udp 192.0.2.1:1337"

static char cache_home[64];

static void remove_cache(void)
{
	char path[1024];

	if (link_cache_path(KEY, path, sizeof(path)) == 0)
		unlink(path);
	snprintf(path, sizeof(path), "%s/smpctl/links", cache_home);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/smpctl", cache_home);
	rmdir(path);
	rmdir(cache_home);
}

/* One private cache dir for the run, on tmpfs where there is one. */
static bool cache_ready(void)
{
	static const char *const dirs[] = { "/dev/shm", "/tmp" };
	struct smp_xfer_link any;

	for (size_t i = 0; !cache_home[0] && i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(cache_home, sizeof(cache_home), "%s/smpctl-fuzz-cache-XXXXXX", dirs[i]);
		if (!mkdtemp(cache_home)) {
			cache_home[0] = 0;
			continue;
		}
		setenv("XDG_CACHE_HOME", cache_home, 1);
		atexit(remove_cache);
		/* The store makes the directories. */
		memset(&any, 0, sizeof(any));
		link_cache_store(KEY, &any);
	}
	return cache_home[0] != 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct smp_xfer_link first, again;
	char path[1024];
	FILE *f;

	if (!cache_ready() || link_cache_path(KEY, path, sizeof(path)) != 0)
		return 0;
	f = fopen(path, "w");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	memset(&first, 0, sizeof(first));
	if (link_cache_load(KEY, &first) != 0)
		return 0;
	memset(&again, 0, sizeof(again));
	if (link_cache_store(KEY, &first) != 0 || link_cache_load(KEY, &again) != 0 ||
	    memcmp(&first, &again, sizeof(first)))
		abort();
	return 0;
}
