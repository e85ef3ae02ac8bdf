#include "smp/say.h"

#include <stdarg.h>

#include "smp/fmt.h"

void smp_sayf(smp_say_fn fn, void *arg, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (!fn)
		return;
	va_start(ap, fmt);
	smp_vfmt(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fn(arg, msg);
}
