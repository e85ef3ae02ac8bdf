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

#include <stddef.h>

struct smp_cbor;
struct smp_cbor_writer;

/* Thread names: CONFIG_THREAD_MAX_NAME_LEN (Zephyr's default 32, NUL
 * included); a longer name is cut to fit. */
#define SMP_OS_NAME_MAX 32

/* One thread of taskstat. Zephyr always sends prio, tid and state; the
 * rest depends on its configuration (has_* say what came). In a walk,
 * name points into the walker's own buffer, valid during the call; in a
 * struct smp_os_tasks the host collected, it is the host's copy. */
struct smp_os_task {
	char *name;
	int64_t prio;
	uint64_t tid, state;
	bool has_stack;
	uint64_t stksiz, stkuse; /* in 4-byte words, as the device counts */
	bool has_runtime, has_cswcnt, has_checkins;
	uint64_t runtime, cswcnt, last_checkin, next_checkin;
};

/* The host's collection of a walk (the core fills none). */
struct smp_os_tasks {
	struct smp_os_task *tasks;
	size_t count;
};

/* Checks the whole answer, then calls each for every thread in the
 * device's order; each returns 0, or -1 to stop (*why "stopped"). */
int smp_os_taskstat_rsp(const struct smp_cbor *rsp,
			int (*each)(void *arg, const struct smp_os_task *t), void *arg,
			const char **why);
/* "pending,suspended" style names for Zephyr's thread_state bits. */
void smp_os_thread_state_text(uint64_t state, char *buf, size_t cap);

/* One memory pool (mynewt) or heap (Zephyr, blksiz 1) of mpstat; name as
 * in struct smp_os_task. */
struct smp_os_mpool {
	char *name;
	bool has_blksiz;
	uint64_t blksiz, nblks, nfree;
	bool has_min;
	uint64_t min;
};

/* The host's collection of a walk (the core fills none). */
struct smp_os_mpools {
	struct smp_os_mpool *pools;
	size_t count;
};

int smp_os_mpstat_rsp(const struct smp_cbor *rsp,
		      int (*each)(void *arg, const struct smp_os_mpool *m), void *arg,
		      const char **why);

/* ---- datetime (smp/grp_os_datetime.c) */

/* Room for the device's datetime text: Zephyr's answer is at most 26
 * characters (RTC_DATETIME_STRING_SIZE in os_mgmt.c). */
#define SMP_OS_DATETIME_MAX 32

/* {"datetime": text} for a datetime write; 0, or -1 when it did not fit. */
int smp_os_datetime_req(struct smp_cbor_writer *w, const char *datetime);
/* Copies "datetime" into out[0..cap). */
int smp_os_datetime_rsp(const struct smp_cbor *rsp, char *out, size_t cap, const char **why);
/* Formats a UTC time as the device takes it: "YYYY-MM-DDTHH:MM:SS.mmm"
 * (less than Zephyr's 26-character limit). ms < 0 leaves the fraction out. */
void smp_os_datetime_format(int64_t unix_s, int ms, char *buf, size_t cap);
/* Parses RFC 3339 ("2024-05-01T12:00:00[.frac][Z|+HH:MM]") into seconds
 * since the epoch (UTC) and milliseconds; a time without a zone is UTC.
 * Returns 0, or -1 with *why. */
int smp_os_datetime_parse(const char *text, int64_t *unix_s, int *ms, const char **why);

/* ---- bootloader info (smp/grp_os_bootloader.c) */

/* {"query"?}: NULL asks for the bootloader's name. */
int smp_os_bootloader_info_req(struct smp_cbor_writer *w, const char *query);

struct smp_os_bootloader {
	/* "bootloader", "" when absent: Zephyr sends "MCUboot" or what an
	 * os_mgmt_bootloader_info hook names, cut to fit. */
	char name[32];
	bool has_mode;
	int64_t mode;
	bool has_no_downgrade;
	bool no_downgrade;
};

/* Accepts an answer to either query: at least one of "bootloader" and
 * "mode" must be there. */
int smp_os_bootloader_rsp(const struct smp_cbor *rsp, struct smp_os_bootloader *b,
			  const char **why);
/* MCUboot's mode names (-1 unknown ... 7 firmware loader); NULL if none. */
const char *smp_os_boot_mode_name(int64_t mode);

#endif
