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

#endif
