/* A minimal unit test harness: each TEST registers itself with its source
 * file, the runner prints one "PASS name" or "FAIL name: why" line per
 * test. tests/run.sh runs one source file's tests per job (--file). */
#ifndef UNIT_H
#define UNIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct unit_ctx {
	const char *name;
	int failures;
};

struct unit_test {
	const char *name;
	const char *file; /* the source file, as __FILE__ says it */
	void (*fn)(struct unit_ctx *t);
	struct unit_test *next;
};

void unit_register(struct unit_test *test);
bool unit_check(struct unit_ctx *t, bool ok, const char *expr, const char *file, int line);
bool unit_check_int(struct unit_ctx *t, long long a, long long b, const char *ea, const char *eb,
		    const char *file, int line);
bool unit_check_str(struct unit_ctx *t, const char *a, const char *b, const char *ea,
		    const char *eb, const char *file, int line);
bool unit_check_mem(struct unit_ctx *t, const void *a, const void *b, size_t n, const char *ea,
		    const char *file, int line);
/* From this call on, the test's clock (smp_clock_ms) moves only by
 * unit_clock_pass_us: what a scripted device's service time and a fake
 * link's wait cost is then the same however busy the machine is. */
void unit_clock_virtual(void);
/* Lets time pass: at once on the virtual clock, else by sleeping. */
void unit_clock_pass_us(int64_t us);
/* Path of the shared test data folder (../shared/testdata relative to the
 * project root, or $SMPCTL_TESTDATA). */
const char *unit_testdata(void);

#define TEST(fname)                                                                \
	static void fname(struct unit_ctx *t);                                     \
	static struct unit_test fname##_entry = { #fname, __FILE__, fname, NULL }; \
	__attribute__((constructor)) static void fname##_register(void)            \
	{                                                                          \
		unit_register(&fname##_entry);                                     \
	}                                                                          \
	static void fname(struct unit_ctx *t)

#define CHECK(cond) unit_check(t, (cond), #cond, __FILE__, __LINE__)
#define CHECK_INT(a, b) \
	unit_check_int(t, (long long)(a), (long long)(b), #a, #b, __FILE__, __LINE__)
#define CHECK_STR(a, b) unit_check_str(t, (a), (b), #a, #b, __FILE__, __LINE__)
#define CHECK_MEM(a, b, n) unit_check_mem(t, (a), (b), (n), #a, __FILE__, __LINE__)

#endif
