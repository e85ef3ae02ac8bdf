/* Runs a fuzz harness once over each file named, or each file in each
 * folder named, as libFuzzer does with a corpus but without it: for
 * `make check`, under ASan/UBSan, with any C compiler. A crash aborts (the
 * sanitizer reports which input); otherwise one line,
 *   PASS fuzz_NAME: N inputs
 * Usage: replay NAME PATH... */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/fuzz/fuzz.h"

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		if (f)
			fclose(f);
		return -1;
	}
	/* Exactly n bytes, so that ASan catches a read one past the end. */
	buf = malloc(n ? (size_t)n : 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	fprintf(stderr, "replay %s\n", path);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Files of dir, in name order so that a failure is reproducible. */
static int run_dir(const char *dir, unsigned *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL, path[4096];
	size_t n = 0, i;
	int rc = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char **grown;

		if (e->d_name[0] == '.')
			continue;
		grown = realloc(names, (n + 1) * sizeof(*names));
		if (!grown)
			break;
		names = grown;
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (run_file(path) != 0) {
			fprintf(stderr, "cannot read %s\n", path);
			rc = -1;
		}
		(*count)++;
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	unsigned count = 0;
	int i, rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s NAME PATH...\n", argv[0]);
		return 2;
	}
	for (i = 2; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) != 0)
			continue; /* a target may have no regressions yet */
		if (S_ISDIR(st.st_mode) ? run_dir(argv[i], &count) : run_file(argv[i]))
			rc = 1;
		else if (!S_ISDIR(st.st_mode))
			count++;
	}
	if (rc)
		printf("FAIL fuzz_%s: an input could not be read\n", argv[1]);
	else
		printf("PASS fuzz_%s: %u inputs\n", argv[1], count);
	return rc;
}
