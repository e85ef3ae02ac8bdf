/* Statistics management group (2): codecs after Zephyr's stat_mgmt.c. */
#ifndef SMP_GRP_STAT_H
#define SMP_GRP_STAT_H

#include <stddef.h>
#include <stdint.h>
#include <cbor.h>

enum smp_stat_cmd {
	SMP_STAT_SHOW = 0,
	SMP_STAT_LIST = 1,
};

/* enum stat_mgmt_err_code_t. */
enum smp_stat_err {
	SMP_STAT_ERR_UNKNOWN = 1,
	SMP_STAT_ERR_INVALID_GROUP = 2,
	SMP_STAT_ERR_INVALID_STAT_NAME = 3,
	SMP_STAT_ERR_INVALID_STAT_SIZE = 4,
	SMP_STAT_ERR_WALK_ABORTED = 5,
};

struct smp_stat_field {
	char *name;
	uint64_t value;
};

struct smp_stat_group {
	char *name; /* as the device echoed it, or NULL */
	struct smp_stat_field *fields;
	size_t count;
};

struct smp_stat_list {
	char **names;
	size_t count;
};

cbor_item_t *smp_stat_show_req(const char *group);
/* Decoders return 0, or -1 with *why. */
int smp_stat_show_rsp(const cbor_item_t *rsp, struct smp_stat_group *g, const char **why);
void smp_stat_group_free(struct smp_stat_group *g);
int smp_stat_list_rsp(const cbor_item_t *rsp, struct smp_stat_list *l, const char **why);
void smp_stat_list_free(struct smp_stat_list *l);

#endif
