#include "transport/fd_wait.h"

#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <sys/socket.h>

int fd_wait(int fd, short events, int timeout_ms, short *revents)
{
	struct pollfd p = { .fd = fd, .events = events };
	int r;

	do
		r = poll(&p, 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	if (revents)
		*revents = p.revents;
	return r;
}

int fd_connect_finish(int fd, int timeout_ms)
{
	socklen_t len = sizeof(int);
	int r = fd_wait(fd, POLLOUT, timeout_ms, NULL), e = 0;

	if (r == 0)
		return ETIMEDOUT;
	if (r < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) != 0)
		return errno;
	return e;
}
