/* OS management group (0): request builders and response decoders. */
#ifndef SMP_GRP_OS_H
#define SMP_GRP_OS_H

#include <stdbool.h>
#include <stdint.h>
#include <cbor.h>

enum os_cmd {
	OS_ECHO = 0,
	OS_TASKSTAT = 2,
	OS_MPSTAT = 3,
	OS_DATETIME = 4,
	OS_RESET = 5,
	OS_PARAMS = 6,
	OS_INFO = 7,
	OS_BOOTLOADER_INFO = 8,
};

struct os_params {
	uint64_t buf_size;	/* one SMP buffer, header included */
	uint64_t buf_count;
};

/* Builders return NULL on no memory. */
cbor_item_t *os_echo_req(const char *text);
cbor_item_t *os_reset_req(bool force, int boot_mode /* < 0: none */);
cbor_item_t *os_info_req(const char *format /* NULL: the device's default */);

/* Decoders return 0, or -1 with *why naming the field at fault. */
int os_echo_rsp(const cbor_item_t *rsp, char **text, const char **why);
int os_params_rsp(const cbor_item_t *rsp, struct os_params *p, const char **why);
int os_info_rsp(const cbor_item_t *rsp, char **output, const char **why);

/* ---- taskstat, mpstat, datetime, bootloader info (smp/grp_os_more.c) */

/* One thread of taskstat. Zephyr always sends prio, tid and state; the
 * rest depends on its configuration (has_* say what came). */
struct os_task {
	char *name;
	int64_t prio;
	uint64_t tid, state;
	bool has_stack;
	uint64_t stksiz, stkuse;	/* in 4-byte words, as the device counts */
	bool has_runtime, has_cswcnt, has_checkins;
	uint64_t runtime, cswcnt, last_checkin, next_checkin;
};

struct os_tasks {
	struct os_task *tasks;
	size_t count;
};

int os_taskstat_rsp(const cbor_item_t *rsp, struct os_tasks *t, const char **why);
void os_tasks_free(struct os_tasks *t);
/* "pending,suspended" style names for Zephyr's thread_state bits. */
void os_thread_state_text(uint64_t state, char *buf, size_t cap);

/* One memory pool (mynewt) or heap (Zephyr, blksiz 1) of mpstat. */
struct os_mpool {
	char *name;
	bool has_blksiz;
	uint64_t blksiz, nblks, nfree;
	bool has_min;
	uint64_t min;
};

struct os_mpools {
	struct os_mpool *pools;
	size_t count;
};

int os_mpstat_rsp(const cbor_item_t *rsp, struct os_mpools *m, const char **why);
void os_mpools_free(struct os_mpools *m);

/* {"datetime": text} for a datetime write. */
cbor_item_t *os_datetime_req(const char *datetime);
int os_datetime_rsp(const cbor_item_t *rsp, char **datetime, const char **why);
/* Formats a UTC time as the device takes it: "YYYY-MM-DDTHH:MM:SS.mmm"
 * (less than Zephyr's 26-character limit). ms < 0 leaves the fraction out. */
void os_datetime_format(int64_t unix_s, int ms, char *buf, size_t cap);
/* Parses RFC 3339 ("2024-05-01T12:00:00[.frac][Z|+HH:MM]") into seconds
 * since the epoch (UTC) and milliseconds; a time without a zone is UTC.
 * Returns 0, or -1 with *why. */
int os_datetime_parse(const char *text, int64_t *unix_s, int *ms, const char **why);

/* {"query"?}: NULL asks for the bootloader's name. */
cbor_item_t *os_bootloader_info_req(const char *query);

struct os_bootloader {
	char *name;		/* "bootloader", or NULL */
	bool has_mode;
	int64_t mode;
	bool has_no_downgrade;
	bool no_downgrade;
};

/* Accepts an answer to either query: at least one of "bootloader" and
 * "mode" must be there. */
int os_bootloader_rsp(const cbor_item_t *rsp, struct os_bootloader *b, const char **why);
void os_bootloader_free(struct os_bootloader *b);
/* MCUboot's mode names (-1 unknown ... 7 firmware loader); NULL if none. */
const char *os_boot_mode_name(int64_t mode);

#endif
