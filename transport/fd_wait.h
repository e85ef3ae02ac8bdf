/* Waiting on one file descriptor, the way every transport here does. */
#ifndef TRANSPORT_FD_WAIT_H
#define TRANSPORT_FD_WAIT_H

/* poll()s fd for events, starting over when a signal interrupts. Returns
 * > 0 when ready (revents, if not NULL, says how), 0 on timeout, < 0 on
 * error with errno set. */
int fd_wait(int fd, short events, int timeout_ms, short *revents);

/* Waits for a non-blocking connect() in progress on fd. Returns 0, or the
 * errno value it failed with (ETIMEDOUT after timeout_ms). */
int fd_connect_finish(int fd, int timeout_ms);

#endif
