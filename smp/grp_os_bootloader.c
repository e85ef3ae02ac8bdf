/* OS group: bootloader info, the name and mode of what boots the device. */
#include "smp/grp_os.h"

#include <stdlib.h>
#include <string.h>

#include "smp/cbor_util.h"

static int fail(const char **why, const char *what)
{
	*why = what;
	return -1;
}

cbor_item_t *smp_os_bootloader_info_req(const char *query)
{
	cbor_item_t *m = cbor_new_definite_map(query ? 1 : 0);

	if (m && query && smp_put_text(m, "query", query))
		cbor_decref(&m);
	return m;
}

int smp_os_bootloader_rsp(const cbor_item_t *rsp, struct smp_os_bootloader *b, const char **why)
{
	int r;

	memset(b, 0, sizeof(*b));
	r = smp_get_text(rsp, "bootloader", &b->name);
	if (r == SMP_GET_TYPE)
		return fail(why, "answer has a \"bootloader\" that is not text");
	r = smp_get_int(rsp, "mode", &b->mode);
	if (r == SMP_GET_TYPE) {
		smp_os_bootloader_free(b);
		return fail(why, "answer has a \"mode\" that is not an integer");
	}
	b->has_mode = r == SMP_GET_OK;
	r = smp_get_bool(rsp, "no-downgrade", &b->no_downgrade);
	if (r == SMP_GET_TYPE) {
		smp_os_bootloader_free(b);
		return fail(why, "answer has a \"no-downgrade\" that is not a boolean");
	}
	b->has_no_downgrade = r == SMP_GET_OK;
	if (!b->name && !b->has_mode)
		return fail(why, "answer has neither \"bootloader\" nor \"mode\"");
	return 0;
}

void smp_os_bootloader_free(struct smp_os_bootloader *b)
{
	free(b->name);
	b->name = NULL;
}

const char *smp_os_boot_mode_name(int64_t mode)
{
	static const char *const names[] = {
		"unknown",
		"single application",
		"swap using scratch",
		"overwrite only",
		"swap without scratch (move)",
		"direct-XIP",
		"direct-XIP with revert",
		"RAM load",
		"firmware loader",
	};

	if (mode < -1 || mode > 7)
		return NULL;
	return names[mode + 1];
}
