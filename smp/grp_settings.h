/* Settings management group (3): codecs after Zephyr's settings_mgmt.c.
 * Values are byte strings; what they mean is the firmware's business. */
#ifndef SMP_GRP_SETTINGS_H
#define SMP_GRP_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cbor.h>

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

/* max_size 0: the device's own limit. */
cbor_item_t *smp_settings_read_req(const char *name, uint32_t max_size);
cbor_item_t *smp_settings_write_req(const char *name, const uint8_t *val, size_t len);
cbor_item_t *smp_settings_delete_req(const char *name);

struct smp_settings_value {
	uint8_t *val; /* malloc'd */
	size_t len;
	bool has_max_size; /* the device lowered the asked max_size to this */
	uint64_t max_size;
};

int smp_settings_read_rsp(const cbor_item_t *rsp, struct smp_settings_value *v, const char **why);
void smp_settings_value_free(struct smp_settings_value *v);

#endif
