/* Shell management group (9): run a shell command on the device, after
 * Zephyr's shell_mgmt.c. */
#ifndef SMP_GRP_SHELL_H
#define SMP_GRP_SHELL_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "smp/cbor_read.h"
#include "smp/cbor_write.h"

enum smp_shell_cmd {
	SMP_SHELL_EXEC = 0,
};

/* enum shell_mgmt_err_code_t. */
enum smp_shell_err {
	SMP_SHELL_ERR_UNKNOWN = 1,
	SMP_SHELL_ERR_COMMAND_TOO_LONG = 2,
	SMP_SHELL_ERR_EMPTY_COMMAND = 3,
};

/* {"argv": [argv[0], ...]}: 0, or -1 when it did not fit. */
int smp_shell_exec_req(struct smp_cbor_writer *w, int argc, char *const argv[]);

struct smp_shell_result {
	/* The host's copy of the output (see text), NUL-terminated; the
	 * core leaves it NULL. */
	char *output;
	int64_t ret;	/* the command's own return code */
	bool legacy_rc; /* the device put it in "rc"
			 * (CONFIG_MCUMGR_GRP_SHELL_LEGACY_RC_RETURN_CODE) */
	/* The text "o", viewed in the answer, text_len bytes: Zephyr bounds
	 * it only by CONFIG_MCUMGR_GRP_SHELL_BACKEND_DUMMY_BUF_SIZE, so the
	 * host copies it (smp_item_text into text_len + 1 bytes). */
	struct smp_cbor text;
	size_t text_len;
};

/* Takes {"o", "ret"} and the legacy {"o", "rc"}, which the engine reports
 * as a device error when rc is not 0. */
int smp_shell_exec_rsp(const struct smp_cbor *rsp, struct smp_shell_result *r, const char **why);

#endif
