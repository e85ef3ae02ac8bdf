/* OS group mpstat (3): newer Zephyr reports its system heaps as memory
 * pools of 1-byte blocks, named by index (CONFIG_MCUMGR_GRP_OS_MPSTAT,
 * off by default: --mpstat turns it on). */
#include <stdio.h>

#include "host/cbor_tree.h"
#include "tests/sim/sim_priv.h"

struct sim_heap {
	unsigned total, free_now, free_min;
};

static const struct sim_heap sim_heaps[] = {
	{ 16384, 12032, 9728 }, /* the system heap */
	{ 4096, 4096, 3584 },	/* the mcumgr buffer heap */
};

static cbor_item_t *heap_map(const struct sim_heap *h)
{
	cbor_item_t *m = cbor_new_indefinite_map();

	if (m && (tree_put_uint(m, "blksiz", 1) || tree_put_uint(m, "nblks", h->total) ||
		  tree_put_uint(m, "nfree", h->free_now) || tree_put_uint(m, "min", h->free_min)))
		cbor_decref(&m);
	return m;
}

int sim_os_mpstat(struct sim_req *req)
{
	cbor_item_t *pools;
	char name[12];

	/* Off by default, as in Zephyr: the command is then not there. */
	if (!req->dev->cfg.os_mpstat)
		return MGMT_ERR_ENOTSUP;
	pools = cbor_new_indefinite_map();

	for (unsigned i = 0; pools && i < sizeof(sim_heaps) / sizeof(sim_heaps[0]); i++) {
		snprintf(name, sizeof(name), "%u", i);
		if (tree_put_item(pools, name, heap_map(&sim_heaps[i])))
			cbor_decref(&pools);
	}
	return pools && sim_rsp_put(req, "mpools", pools) == 0 ? 0 : MGMT_ERR_EMSGSIZE;
}
