/* Ctrl-C in the interactive shell ends the command, not the shell: a
 * transport that wraps another and fails once the shell's SIGINT flag is
 * set, so that whatever runs stops the way it stops on a lost link and
 * cleans up as it does then. */
#ifndef CLI_INTERRUPT_H
#define CLI_INTERRUPT_H

#include <signal.h>

#include "smp/transport.h"

/* Wraps *t in place; closing the wrapper closes the inner transport.
 * Returns -1 (leaving *t as it was) on no memory. */
int interrupt_transport_wrap(struct smp_link *t, volatile sig_atomic_t *flag);

#endif
