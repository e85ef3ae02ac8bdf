#include "smp/grp_basic.h"

#include "smp/cbor_util.h"

int smp_basic_erase_rsp(const cbor_item_t *rsp, const char **why)
{
	int64_t rc;

	if (cbor_map_size(rsp) == 0 ||
	    (cbor_map_size(rsp) == 1 && smp_get_int(rsp, "rc", &rc) == SMP_GET_OK && rc == 0))
		return 0;
	*why = "answer to an erase has unexpected fields";
	return -1;
}
