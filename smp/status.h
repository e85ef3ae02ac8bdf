/* The outcome a device reports in a response payload: nothing (success),
 * the v1 form {"rc": int, "rsn"?: text}, or the v2 form
 * {"err": {"group": uint, "rc": uint}}, with readable names for both. */
#ifndef SMP_STATUS_H
#define SMP_STATUS_H

#include <stddef.h>
#include <stdint.h>
#include "smp/cbor_read.h"

enum smp_group {
	SMP_GROUP_OS = 0,
	SMP_GROUP_IMAGE = 1,
	SMP_GROUP_STAT = 2,
	SMP_GROUP_SETTINGS = 3,
	SMP_GROUP_LOG = 4,
	SMP_GROUP_CRASH = 5,
	SMP_GROUP_SPLIT = 6,
	SMP_GROUP_RUN = 7,
	SMP_GROUP_FS = 8,
	SMP_GROUP_SHELL = 9,
	SMP_GROUP_ENUM = 10,
	SMP_GROUP_ZEPHYR_BASIC = 63,
	SMP_GROUP_PERUSER = 64,
};

/* Generic codes (MGMT_ERR_*), shared by every group and by v1 rc. */
enum smp_mgmt_err {
	SMP_MGMT_ERR_EOK = 0,
	SMP_MGMT_ERR_EUNKNOWN = 1,
	SMP_MGMT_ERR_ENOMEM = 2,
	SMP_MGMT_ERR_EINVAL = 3,
	SMP_MGMT_ERR_ETIMEOUT = 4,
	SMP_MGMT_ERR_ENOENT = 5,
	SMP_MGMT_ERR_EBADSTATE = 6,
	SMP_MGMT_ERR_EMSGSIZE = 7,
	SMP_MGMT_ERR_ENOTSUP = 8,
	SMP_MGMT_ERR_ECORRUPT = 9,
	SMP_MGMT_ERR_EBUSY = 10,
	SMP_MGMT_ERR_EACCESSDENIED = 11,
	SMP_MGMT_ERR_UNSUPPORTED_TOO_OLD = 12,
	SMP_MGMT_ERR_UNSUPPORTED_TOO_NEW = 13,
	SMP_MGMT_ERR_EPERUSER = 256,
};

enum smp_status_kind {
	SMP_STATUS_OK = 0,
	SMP_STATUS_RC,	/* v1 / SMP-level: generic code in rc */
	SMP_STATUS_ERR, /* v2: group-specific code */
};

struct smp_status {
	enum smp_status_kind kind;
	uint16_t group; /* SMP_STATUS_ERR only */
	int64_t rc;
	char rsn[96]; /* optional reason text from the device */
};

/* Reads rc/rsn/err out of a response map. rc 0 and err rc 0 are success.
 * Returns 0, or -1 if rc or err are present with the wrong shape (the
 * status then describes the problem as SMP_MGMT_ERR_EUNKNOWN). */
int smp_status_parse(const struct smp_cbor *map, struct smp_status *st);

/* "MGMT_ERR_ENOENT" style names; NULL for unknown codes. */
const char *smp_mgmt_err_name(int64_t rc);
/* A few words on it; NULL for unknown codes, and for every code in a
 * build with SMP_STATUS_DFU_NAMES (smp/status.c). */
const char *smp_mgmt_err_desc(int64_t rc);
/* Group-specific code name (IMG_MGMT_ERR_NO_IMAGE ...); NULL if unknown. */
const char *smp_group_err_name(uint16_t group, int64_t rc);
/* "os", "image", ...; NULL for groups smpctl does not know. */
const char *smp_group_name(uint16_t group);

/* One line such as "image: IMG_MGMT_ERR_NO_FREE_SLOT (9)" or
 * "MGMT_ERR_ENOENT (5): no such entry [rsn]". Always NUL-terminates. */
void smp_status_format(const struct smp_status *st, char *buf, size_t cap);

#endif
