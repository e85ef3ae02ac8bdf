/* Shell management group (9): run a shell command on the device, after
 * Zephyr's shell_mgmt.c. */
#ifndef SMP_GRP_SHELL_H
#define SMP_GRP_SHELL_H

#include <stdbool.h>
#include <stdint.h>
#include <cbor.h>

enum smp_shell_cmd {
	SMP_SHELL_EXEC = 0,
};

/* enum shell_mgmt_err_code_t. */
enum smp_shell_err {
	SMP_SHELL_ERR_UNKNOWN = 1,
	SMP_SHELL_ERR_COMMAND_TOO_LONG = 2,
	SMP_SHELL_ERR_EMPTY_COMMAND = 3,
};

/* {"argv": [argv[0], ...]}. */
cbor_item_t *smp_shell_exec_req(int argc, char *const argv[]);

struct smp_shell_result {
	char *output;	/* malloc'd */
	int64_t ret;	/* the command's own return code */
	bool legacy_rc; /* the device put it in "rc"
				 * (CONFIG_MCUMGR_GRP_SHELL_LEGACY_RC_RETURN_CODE) */
};

/* Takes {"o", "ret"} and the legacy {"o", "rc"}, which the engine reports
 * as a device error when rc is not 0. */
int smp_shell_exec_rsp(const cbor_item_t *rsp, struct smp_shell_result *r, const char **why);
void smp_shell_result_free(struct smp_shell_result *r);

#endif
