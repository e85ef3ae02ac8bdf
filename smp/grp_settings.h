/* Settings management group (3): codecs after Zephyr's settings_mgmt.c.
 * Values are byte strings; what they mean is the firmware's business. */
#ifndef SMP_GRP_SETTINGS_H
#define SMP_GRP_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "smp/cbor_read.h"
#include "smp/cbor_write.h"

enum smp_settings_cmd {
	SMP_SETTINGS_READ_WRITE = 0,
	SMP_SETTINGS_DELETE = 1,
	SMP_SETTINGS_COMMIT = 2,    /* write */
	SMP_SETTINGS_LOAD_SAVE = 3, /* read: load; write: save */
};

/* enum settings_mgmt_ret_code_t. */
enum smp_settings_err {
	SMP_SETTINGS_ERR_UNKNOWN = 1,
	SMP_SETTINGS_ERR_KEY_TOO_LONG = 2,
	SMP_SETTINGS_ERR_KEY_NOT_FOUND = 3,
	SMP_SETTINGS_ERR_READ_NOT_SUPPORTED = 4,
	SMP_SETTINGS_ERR_ROOT_KEY_NOT_FOUND = 5,
	SMP_SETTINGS_ERR_WRITE_NOT_SUPPORTED = 6,
	SMP_SETTINGS_ERR_DELETE_NOT_SUPPORTED = 7,
};

/* Builders return 0, or -1 when the request did not fit. max_size 0:
 * the device's own limit. */
int smp_settings_read_req(struct smp_cbor_writer *w, const char *name, uint32_t max_size);
int smp_settings_write_req(struct smp_cbor_writer *w, const char *name, const uint8_t *val,
			   size_t len);
int smp_settings_delete_req(struct smp_cbor_writer *w, const char *name);

struct smp_settings_value {
	/* The byte string "val", viewed in the answer (valid as long as
	 * it); len bytes: copy them out with smp_item_bytes. Zephyr bounds
	 * it by CONFIG_MCUMGR_GRP_SETTINGS_VALUE_LEN, a firmware's choice,
	 * so the core keeps no copy. */
	struct smp_cbor val;
	size_t len;
	bool has_max_size; /* the device lowered the asked max_size to this */
	uint64_t max_size;
};

int smp_settings_read_rsp(const struct smp_cbor *rsp, struct smp_settings_value *v,
			  const char **why);

#endif
