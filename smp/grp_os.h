/* OS management group (0): request builders and response decoders. */
#ifndef SMP_GRP_OS_H
#define SMP_GRP_OS_H

#include <stdbool.h>
#include <stdint.h>
#include <cbor.h>

#include "smp/cbor_read.h"
#include "smp/cbor_write.h"

enum smp_os_cmd {
	SMP_OS_ECHO = 0,
	SMP_OS_TASKSTAT = 2,
	SMP_OS_MPSTAT = 3,
	SMP_OS_DATETIME = 4,
	SMP_OS_RESET = 5,
	SMP_OS_PARAMS = 6,
	SMP_OS_INFO = 7,
	SMP_OS_BOOTLOADER_INFO = 8,
};

struct smp_os_params {
	uint64_t buf_size; /* one SMP buffer, header included */
	uint64_t buf_count;
};

/* Builders write into w and return 0, or -1 when it did not fit. */
int smp_os_echo_req(struct smp_cbor_writer *w, const char *text);
int smp_os_reset_req(struct smp_cbor_writer *w, bool force, int boot_mode /* < 0: none */);
int smp_os_info_req(struct smp_cbor_writer *w, const char *format /* NULL: the device's default */);

/* Decoders return 0, or -1 with *why naming the field at fault. The echo
 * and the info output have no bound but the packet's: *text is a view of
 * the text string in the answer (smp_item_text_len sizes a copy). */
int smp_os_echo_rsp(const struct smp_cbor *rsp, struct smp_cbor *text, const char **why);
int smp_os_params_rsp(const struct smp_cbor *rsp, struct smp_os_params *p, const char **why);
int smp_os_info_rsp(const struct smp_cbor *rsp, struct smp_cbor *output, const char **why);

/* ---- taskstat and mpstat (smp/grp_os_stats.c) */

/* One thread of taskstat. Zephyr always sends prio, tid and state; the
 * rest depends on its configuration (has_* say what came). */
struct smp_os_task {
	char *name;
	int64_t prio;
	uint64_t tid, state;
	bool has_stack;
	uint64_t stksiz, stkuse; /* in 4-byte words, as the device counts */
	bool has_runtime, has_cswcnt, has_checkins;
	uint64_t runtime, cswcnt, last_checkin, next_checkin;
};

struct smp_os_tasks {
	struct smp_os_task *tasks;
	size_t count;
};

int smp_os_taskstat_rsp(const cbor_item_t *rsp, struct smp_os_tasks *t, const char **why);
void smp_os_tasks_free(struct smp_os_tasks *t);
/* "pending,suspended" style names for Zephyr's thread_state bits. */
void smp_os_thread_state_text(uint64_t state, char *buf, size_t cap);

/* One memory pool (mynewt) or heap (Zephyr, blksiz 1) of mpstat. */
struct smp_os_mpool {
	char *name;
	bool has_blksiz;
	uint64_t blksiz, nblks, nfree;
	bool has_min;
	uint64_t min;
};

struct smp_os_mpools {
	struct smp_os_mpool *pools;
	size_t count;
};

int smp_os_mpstat_rsp(const cbor_item_t *rsp, struct smp_os_mpools *m, const char **why);
void smp_os_mpools_free(struct smp_os_mpools *m);

/* ---- datetime (smp/grp_os_datetime.c) */

/* {"datetime": text} for a datetime write. */
cbor_item_t *smp_os_datetime_req(const char *datetime);
int smp_os_datetime_rsp(const cbor_item_t *rsp, char **datetime, const char **why);
/* Formats a UTC time as the device takes it: "YYYY-MM-DDTHH:MM:SS.mmm"
 * (less than Zephyr's 26-character limit). ms < 0 leaves the fraction out. */
void smp_os_datetime_format(int64_t unix_s, int ms, char *buf, size_t cap);
/* Parses RFC 3339 ("2024-05-01T12:00:00[.frac][Z|+HH:MM]") into seconds
 * since the epoch (UTC) and milliseconds; a time without a zone is UTC.
 * Returns 0, or -1 with *why. */
int smp_os_datetime_parse(const char *text, int64_t *unix_s, int *ms, const char **why);

/* ---- bootloader info (smp/grp_os_bootloader.c) */

/* {"query"?}: NULL asks for the bootloader's name. */
cbor_item_t *smp_os_bootloader_info_req(const char *query);

struct smp_os_bootloader {
	char *name; /* "bootloader", or NULL */
	bool has_mode;
	int64_t mode;
	bool has_no_downgrade;
	bool no_downgrade;
};

/* Accepts an answer to either query: at least one of "bootloader" and
 * "mode" must be there. */
int smp_os_bootloader_rsp(const cbor_item_t *rsp, struct smp_os_bootloader *b, const char **why);
void smp_os_bootloader_free(struct smp_os_bootloader *b);
/* MCUboot's mode names (-1 unknown ... 7 firmware loader); NULL if none. */
const char *smp_os_boot_mode_name(int64_t mode);

#endif
