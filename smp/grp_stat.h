/* Statistics management group (2): codecs after Zephyr's stat_mgmt.c. */
#ifndef SMP_GRP_STAT_H
#define SMP_GRP_STAT_H

#include <stddef.h>
#include <stdint.h>

#include "smp/cbor_read.h"
#include "smp/cbor_write.h"

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

/* Group and field names: CONFIG_MCUMGR_GRP_STAT_MAX_NAME_LEN (Zephyr's
 * default 32) and the NUL; a longer name is cut to fit. */
#define SMP_STAT_NAME_MAX 33

/* One field. In a walk, name points into the walker's buffer, valid
 * during the call; in a struct smp_stat_group it is the host's copy. */
struct smp_stat_field {
	char *name;
	uint64_t value;
};

/* The host's collections of the walks below (the core fills none). */
struct smp_stat_group {
	char *name; /* as the device echoed it, or NULL */
	struct smp_stat_field *fields;
	size_t count;
};

struct smp_stat_list {
	char **names;
	size_t count;
};

/* 0, or -1 when the request did not fit. */
int smp_stat_show_req(struct smp_cbor_writer *w, const char *group);
/* Decoders check the whole answer, then call each for every entry in the
 * device's order (each returns 0, or -1 to stop: *why "stopped"); they
 * return 0, or -1 with *why. show copies the echoed "name" into
 * name[0..SMP_STAT_NAME_MAX), "" when absent; name may be NULL. */
int smp_stat_show_rsp(const struct smp_cbor *rsp, char *name,
		      int (*each)(void *arg, const struct smp_stat_field *f), void *arg,
		      const char **why);
int smp_stat_list_rsp(const struct smp_cbor *rsp, int (*each)(void *arg, const char *name),
		      void *arg, const char **why);

#endif
