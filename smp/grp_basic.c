#include "smp/grp_basic.h"

#include <stdint.h>

int smp_basic_erase_rsp(const struct smp_cbor *rsp, const char **why)
{
	struct smp_cbor_iter it;
	struct smp_cbor key, val;
	size_t pairs = 0;
	int64_t rc;

	if (smp_cbor_enter(rsp, &it) != SMP_GET_OK)
		goto bad;
	while (smp_cbor_next(&it, &key) && smp_cbor_next(&it, &val))
		pairs++;
	if (pairs == 0 || (pairs == 1 && smp_get_int(rsp, "rc", &rc) == SMP_GET_OK && rc == 0))
		return 0;
bad:
	*why = "answer to an erase has unexpected fields";
	return -1;
}
