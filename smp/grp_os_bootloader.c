/* OS group: bootloader info, the name and mode of what boots the device. */
#include "smp/grp_os.h"

#include <string.h>

#include "smp/cbor_read.h"
#include "smp/cbor_write.h"

static int fail(const char **why, const char *what)
{
	*why = what;
	return -1;
}

int smp_os_bootloader_info_req(struct smp_cbor_writer *w, const char *query)
{
	smp_cbor_map(w, query ? 1 : 0);
	if (query)
		smp_put_text(w, "query", query);
	return smp_cbor_done(w);
}

int smp_os_bootloader_rsp(const struct smp_cbor *rsp, struct smp_os_bootloader *b, const char **why)
{
	bool has_name;
	int r;

	memset(b, 0, sizeof(*b));
	r = smp_get_text(rsp, "bootloader", b->name, sizeof(b->name));
	if (r == SMP_GET_TYPE)
		return fail(why, "answer has a \"bootloader\" that is not text");
	has_name = r == SMP_GET_OK || r == SMP_GET_NOMEM; /* a longer name is cut */
	r = smp_get_int(rsp, "mode", &b->mode);
	if (r == SMP_GET_TYPE)
		return fail(why, "answer has a \"mode\" that is not an integer");
	b->has_mode = r == SMP_GET_OK;
	r = smp_get_bool(rsp, "no-downgrade", &b->no_downgrade);
	if (r == SMP_GET_TYPE)
		return fail(why, "answer has a \"no-downgrade\" that is not a boolean");
	b->has_no_downgrade = r == SMP_GET_OK;
	if (!has_name && !b->has_mode)
		return fail(why, "answer has neither \"bootloader\" nor \"mode\"");
	return 0;
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
