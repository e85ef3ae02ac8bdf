/* Enumeration management group (10): which groups a device has, after
 * Zephyr's enum_mgmt.c. */
#ifndef SMP_GRP_ENUM_H
#define SMP_GRP_ENUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "smp/cbor_read.h"
#include "smp/cbor_write.h"

enum smp_enum_cmd {
	SMP_ENUM_COUNT = 0,
	SMP_ENUM_LIST = 1,
	SMP_ENUM_SINGLE = 2,
	SMP_ENUM_DETAILS = 3,
};

/* enum enum_mgmt_err_code_t. */
enum smp_enum_err {
	SMP_ENUM_ERR_UNKNOWN = 1,
	SMP_ENUM_ERR_TOO_MANY_GROUP_ENTRIES = 2,
	SMP_ENUM_ERR_INSUFFICIENT_HEAP_FOR_ENTRIES = 3,
	SMP_ENUM_ERR_INDEX_TOO_LARGE = 4,
};

/* Group ids are 16 bits, but a device registers a handful: 256 bounds a
 * list (Zephyr keeps no limit of its own; the answer must fit its
 * CONFIG_MCUMGR_TRANSPORT_NETBUF_SIZE buffer). */
#define SMP_ENUM_MAX_GROUPS 256

struct smp_enum_list {
	uint16_t ids[SMP_ENUM_MAX_GROUPS];
	size_t count;
};

struct smp_enum_detail {
	uint16_t group;
	bool has_name;	   /* CONFIG_MCUMGR_GRP_ENUM_DETAILS_NAME */
	char name[64];	   /* a group's name is a literal in its source; cut to fit */
	bool has_handlers; /* CONFIG_MCUMGR_GRP_ENUM_DETAILS_HANDLERS */
	uint32_t handlers;
};

struct smp_enum_details {
	struct smp_enum_detail items[SMP_ENUM_MAX_GROUPS];
	size_t count;
};

/* Builders return 0, or -1 when the request did not fit. */
int smp_enum_single_req(struct smp_cbor_writer *w, uint32_t index);
/* {"groups": [ids]} restricts the details to those groups; n 0: all. */
int smp_enum_details_req(struct smp_cbor_writer *w, const uint16_t *ids, size_t n);

/* Decoders return 0, or -1 with *why. */
int smp_enum_count_rsp(const struct smp_cbor *rsp, uint64_t *count, const char **why);
int smp_enum_list_rsp(const struct smp_cbor *rsp, struct smp_enum_list *l, const char **why);
int smp_enum_single_rsp(const struct smp_cbor *rsp, uint16_t *group, bool *last, const char **why);
int smp_enum_details_rsp(const struct smp_cbor *rsp, struct smp_enum_details *d, const char **why);

#endif
