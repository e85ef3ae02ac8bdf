#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "smp/clock.h"

static struct unit_test *registry;

void unit_register(struct unit_test *test)
{
	test->next = registry;
	registry = test;
}

static void fail_line(struct unit_ctx *t, const char *file, int line, const char *msg)
{
	/* Only the first failure of a test goes on its FAIL line; the rest
	 * are details. */
	if (t->failures++ == 0)
		printf("FAIL %s: %s:%d: %s\n", t->name, file, line, msg);
	else
		printf("    also %s:%d: %s\n", file, line, msg);
}

bool unit_check(struct unit_ctx *t, bool ok, const char *expr, const char *file, int line)
{
	char msg[512];

	if (!ok) {
		snprintf(msg, sizeof(msg), "CHECK(%s)", expr);
		fail_line(t, file, line, msg);
	}
	return ok;
}

bool unit_check_int(struct unit_ctx *t, long long a, long long b, const char *ea, const char *eb,
		    const char *file, int line)
{
	char msg[512];

	if (a != b) {
		snprintf(msg, sizeof(msg), "%s == %lld, expected %s == %lld", ea, a, eb, b);
		fail_line(t, file, line, msg);
	}
	return a == b;
}

bool unit_check_str(struct unit_ctx *t, const char *a, const char *b, const char *ea,
		    const char *eb, const char *file, int line)
{
	char msg[1024];
	bool ok = a && b ? strcmp(a, b) == 0 : a == b;

	if (!ok) {
		snprintf(msg, sizeof(msg), "%s == \"%s\", expected %s == \"%s\"", ea,
			 a ? a : "(null)", eb, b ? b : "(null)");
		fail_line(t, file, line, msg);
	}
	return ok;
}

bool unit_check_mem(struct unit_ctx *t, const void *a, const void *b, size_t n, const char *ea,
		    const char *file, int line)
{
	char msg[512];
	bool ok = a && b && memcmp(a, b, n) == 0;

	if (!ok) {
		snprintf(msg, sizeof(msg), "%s differs from the expected %zu bytes", ea, n);
		fail_line(t, file, line, msg);
	}
	return ok;
}

/* The clock the code under test reads (smp/clock.h's seam; the Makefile
 * links this one instead of host/clock_posix.c). Each test runs in a
 * process of its own (run_isolated), so a test that turns the virtual
 * clock on has it to itself. */
static bool clock_virtual;
static int64_t clock_virtual_us;

int64_t smp_clock_ms(void)
{
	struct timespec ts;

	if (clock_virtual)
		return clock_virtual_us / 1000;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void unit_clock_virtual(void)
{
	if (!clock_virtual)
		clock_virtual_us = 1000000000; /* far from 0, as a boot clock is */
	clock_virtual = true;
}

void unit_clock_pass_us(int64_t us)
{
	if (clock_virtual)
		clock_virtual_us += us;
	else
		usleep((useconds_t)us);
}

const char *unit_testdata(void)
{
	const char *env = getenv("SMPCTL_TESTDATA");

	return env ? env : "../shared/testdata";
}

/* A child's exit status when it printed its own FAIL line; anything else
 * non-zero is a crash or a sanitizer's exit. */
#define FAILED_REPORTED 77

/* Runs one test in a child process, so that a crash (or a sanitizer
 * abort) fails that test alone and the rest still run. */
static bool run_isolated(struct unit_test *test)
{
	struct unit_ctx ctx = { test->name, 0 };
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		test->fn(&ctx);
		return ctx.failures == 0;
	}
	if (pid == 0) {
		test->fn(&ctx);
		fflush(stdout);
		_exit(ctx.failures ? FAILED_REPORTED : 0);
	}
	if (waitpid(pid, &status, 0) < 0)
		return false;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return true;
	if (WIFEXITED(status) && WEXITSTATUS(status) == FAILED_REPORTED)
		return false;
	if (WIFEXITED(status))
		printf("FAIL %s: exited with status %d (sanitizer report above?)\n", test->name,
		       WEXITSTATUS(status));
	else
		printf("FAIL %s: crashed (signal %d)\n", test->name,
		       WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return false;
}

/* --file PATH names a source file by its path or its end ("test_att.c"). */
static bool file_matches(const struct unit_test *test, const char *want)
{
	size_t n = strlen(test->file), k = strlen(want);

	return n >= k && !strcmp(test->file + n - k, want) &&
	       (n == k || test->file[n - k - 1] == '/');
}

/* --list-files: each source file that holds tests, once. */
static void list_files(void)
{
	for (const struct unit_test *t = registry; t; t = t->next) {
		const struct unit_test *seen = registry;

		while (seen != t && strcmp(seen->file, t->file))
			seen = seen->next;
		if (seen == t)
			printf("%s\n", t->file);
	}
}

static int usage(const char *argv0)
{
	fprintf(stderr, "usage: %s [--list-files | --file SOURCE] [NAME-PART]\n", argv0);
	return 2;
}

int main(int argc, char **argv)
{
	struct unit_test *test;
	const char *file = NULL, *part = NULL;
	int passed = 0, failed = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--list-files")) {
			list_files();
			return 0;
		} else if (!strcmp(argv[i], "--file") && i + 1 < argc) {
			file = argv[++i];
		} else if (argv[i][0] == '-' || part) {
			return usage(argv[0]);
		} else {
			part = argv[i]; /* the tests whose name holds it */
		}
	}
	for (test = registry; test; test = test->next) {
		if ((part && !strstr(test->name, part)) || (file && !file_matches(test, file)))
			continue;
		if (run_isolated(test)) {
			passed++;
			printf("PASS %s\n", test->name);
		} else {
			failed++;
		}
		fflush(stdout);
	}
	printf("unit: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
