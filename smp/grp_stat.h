/* Statistics management group (2): codecs after Zephyr's stat_mgmt.c. */
#ifndef SMP_GRP_STAT_H
#define SMP_GRP_STAT_H

#include <stddef.h>
#include <stdint.h>
#include <cbor.h>

enum stat_cmd {
	STAT_SHOW = 0,
	STAT_LIST = 1,
};

/* enum stat_mgmt_err_code_t. */
enum stat_err {
	STAT_ERR_UNKNOWN = 1,
	STAT_ERR_INVALID_GROUP = 2,
	STAT_ERR_INVALID_STAT_NAME = 3,
	STAT_ERR_INVALID_STAT_SIZE = 4,
	STAT_ERR_WALK_ABORTED = 5,
};

struct stat_field {
	char *name;
	uint64_t value;
};

struct stat_group {
	char *name;		/* as the device echoed it, or NULL */
	struct stat_field *fields;
	size_t count;
};

struct stat_list {
	char **names;
	size_t count;
};

cbor_item_t *stat_show_req(const char *group);
/* Decoders return 0, or -1 with *why. */
int stat_show_rsp(const cbor_item_t *rsp, struct stat_group *g, const char **why);
void stat_group_free(struct stat_group *g);
int stat_list_rsp(const cbor_item_t *rsp, struct stat_list *l, const char **why);
void stat_list_free(struct stat_list *l);

#endif
