/* The core's formatter against the C library's snprintf, for every
 * conversion, flag and length the core uses, and for truncation. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "unit.h"
#include "smp/fmt.h"

SMP_PRINTF(4, 5)
static void same(struct unit_ctx *t, size_t cap, int line, const char *fmt, ...)
{
	char ours[128], libc[128];
	va_list a, b;
	int n_ours, n_libc;

	memset(ours, 'X', sizeof(ours));
	memset(libc, 'X', sizeof(libc));
	va_start(a, fmt);
	va_copy(b, a);
	n_ours = smp_vfmt(ours, cap, fmt, a);
	n_libc = vsnprintf(libc, cap, fmt, b);
	va_end(b);
	va_end(a);
	if (!unit_check_int(t, n_ours, n_libc, "smp_vfmt", "vsnprintf", __FILE__, line))
		return;
	unit_check_mem(t, ours, libc, sizeof(ours), fmt, __FILE__, line);
}

TEST(fmt_matches_snprintf)
{
	same(t, 128, __LINE__, "plain text");
	same(t, 128, __LINE__, "%d %i %d", 0, -42, 2147483647);
	same(t, 128, __LINE__, "%d", (int)INT32_MIN);
	same(t, 128, __LINE__, "%u %x %X", 4294967295u, 0xdeadbeefu, 0xabcu);
	same(t, 128, __LINE__, "%lld %llu 0x%llx", (long long)INT64_MIN, 18446744073709551615ull,
	     0x1234abcdull);
	same(t, 128, __LINE__, "%ld %lu %zu", -5L, 7UL, (size_t)123456);
	same(t, 128, __LINE__, "%hhu %hu %hd", 300, 70000, -2);
	same(t, 128, __LINE__, "%04lld-%02u-%02uT%02d:%02d:%02d.%03d", 2024LL, 3u, 9u, 1, 2, 3, 4);
	same(t, 128, __LINE__, "[%5d] [%-5d] [%05d] [%-3s] [%3s]", -12, 12, -12, "a", "bc");
	same(t, 128, __LINE__, "[%*d] [%-*s]", 6, 99, 4, "x");
	same(t, 128, __LINE__, "\"%.*s\" %.2s", 3, "abcdef", "xyz");
	same(t, 128, __LINE__, "%c%c 100%%", 'o', 'k');
	same(t, 128, __LINE__, "0x%04x %s", 0xa0u, "");
}

TEST(fmt_truncates_like_snprintf)
{
	same(t, 1, __LINE__, "abc %d", 12345);
	same(t, 5, __LINE__, "abc %d", 12345);
	same(t, 8, __LINE__, "%s: %s", "group", "a longer reason");
	CHECK_INT(smp_fmt(NULL, 0, "%s%u", "abc", 42u), 5);
}
