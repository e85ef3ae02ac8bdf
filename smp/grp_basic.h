/* Zephyr basic management group (63), after Zephyr's basic_mgmt.c. */
#ifndef SMP_GRP_BASIC_H
#define SMP_GRP_BASIC_H

#include "smp/cbor_read.h"

enum smp_basic_cmd {
	SMP_BASIC_ERASE_STORAGE = 0, /* write: erase the storage_partition */
};

/* enum zephyr_basic_group_err_code_t. */
enum smp_basic_err {
	SMP_BASIC_ERR_UNKNOWN = 1,
	SMP_BASIC_ERR_FLASH_OPEN_FAILED = 2,
	SMP_BASIC_ERR_FLASH_CONFIG_QUERY_FAIL = 3,
	SMP_BASIC_ERR_FLASH_ERASE_FAILED = 4,
};

/* The erase answer is an empty map (or {"rc": 0} from an old device):
 * anything else is malformed. Returns 0, or -1 with *why. */
int smp_basic_erase_rsp(const struct smp_cbor *rsp, const char **why);

#endif
