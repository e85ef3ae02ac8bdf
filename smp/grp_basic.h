/* Zephyr basic management group (63), after Zephyr's basic_mgmt.c. */
#ifndef SMP_GRP_BASIC_H
#define SMP_GRP_BASIC_H

#include <cbor.h>

enum basic_cmd {
	BASIC_ERASE_STORAGE = 0,	/* write: erase the storage_partition */
};

/* enum zephyr_basic_group_err_code_t. */
enum basic_err {
	BASIC_ERR_UNKNOWN = 1,
	BASIC_ERR_FLASH_OPEN_FAILED = 2,
	BASIC_ERR_FLASH_CONFIG_QUERY_FAIL = 3,
	BASIC_ERR_FLASH_ERASE_FAILED = 4,
};

/* The erase answer is an empty map (or {"rc": 0} from an old device):
 * anything else is malformed. Returns 0, or -1 with *why. */
int basic_erase_rsp(const cbor_item_t *rsp, const char **why);

#endif
