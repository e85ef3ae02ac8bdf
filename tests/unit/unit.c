#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

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

int main(int argc, char **argv)
{
	struct unit_test *test;
	int passed = 0, failed = 0;

	/* argv[1], if given, runs only the tests whose name contains it. */
	for (test = registry; test; test = test->next) {
		if (argc > 1 && !strstr(test->name, argv[1]))
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
