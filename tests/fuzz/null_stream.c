#include "tests/fuzz/fuzz.h"

FILE *fuzz_null_stream(void)
{
	static FILE *null_stream;

	if (!null_stream)
		null_stream = fopen("/dev/null", "w");
	return null_stream;
}
