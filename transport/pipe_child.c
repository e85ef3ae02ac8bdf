#include "transport/pipe_child.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define POLL_STEP_MS 10
#define STOP_GRACE_MS 500
#define TERM_GRACE_MS 1000

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

void pipe_child_init(struct pipe_child *c, void (*on_line)(void *arg, const char *line), void *arg)
{
	memset(c, 0, sizeof(*c));
	c->io_fd = c->err_fd = -1;
	c->on_line = on_line;
	c->arg = arg;
}

/* In the child, between fork and exec: only async-signal-safe calls. */
static void run_child(const char *command, int io, int err_w)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT };
	sigset_t none;
	size_t i;

	setpgid(0, 0);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (dup2(io, 0) < 0 || dup2(io, 1) < 0 || dup2(err_w, 2) < 0)
		_exit(126);
	execl("/bin/sh", "sh", "-c", command, (char *)NULL);
	_exit(127);
}

int pipe_child_start(struct pipe_child *c, const char *command, char *err, size_t errlen)
{
	int sv[2], ep[2];

	c->exited = false;
	c->line_len = 0;
	c->last[0] = 0;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		snprintf(err, errlen, "--exec: socketpair: %s", strerror(errno));
		return -1;
	}
	if (pipe2(ep, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "--exec: pipe: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	c->pid = fork();
	if (c->pid < 0) {
		snprintf(err, errlen, "--exec: cannot start '%.200s': %s", command,
			 strerror(errno));
		close(sv[0]);
		close(sv[1]);
		close(ep[0]);
		close(ep[1]);
		c->pid = 0;
		return -1;
	}
	if (c->pid == 0)
		run_child(command, sv[1], ep[1]);
	/* Both sides set the group, so neither can signal it too early. */
	setpgid(c->pid, c->pid);
	close(sv[1]);
	close(ep[1]);
	c->io_fd = sv[0];
	c->err_fd = ep[0];
	fcntl(c->io_fd, F_SETFL, fcntl(c->io_fd, F_GETFL) | O_NONBLOCK);
	fcntl(c->err_fd, F_SETFL, fcntl(c->err_fd, F_GETFL) | O_NONBLOCK);
	return 0;
}

bool pipe_child_wait_exit(struct pipe_child *c, int wait_ms)
{
	int waited = 0;

	if (c->exited || c->pid <= 0)
		return c->exited;
	for (;;) {
		pid_t r = waitpid(c->pid, &c->status, WNOHANG);

		if (r == c->pid || (r < 0 && errno == ECHILD)) {
			c->exited = true;
			return true;
		}
		if (waited >= wait_ms)
			return false;
		sleep_ms(POLL_STEP_MS);
		waited += POLL_STEP_MS;
	}
}

bool pipe_child_exited(const struct pipe_child *c)
{
	return c->exited;
}

void pipe_child_describe_exit(const struct pipe_child *c, char *buf, size_t len)
{
	if (WIFEXITED(c->status))
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(c->status));
	else if (WIFSIGNALED(c->status))
		snprintf(buf, len, "was killed by signal %d (%s)", WTERMSIG(c->status),
			 strsignal(WTERMSIG(c->status)));
	else
		snprintf(buf, len, "ended");
}

static void take_line(struct pipe_child *c)
{
	c->line[c->line_len] = 0;
	if (c->line_len && c->line[c->line_len - 1] == '\r')
		c->line[--c->line_len] = 0;
	if (c->line_len) {
		memcpy(c->last, c->line, c->line_len + 1);
		if (c->on_line)
			c->on_line(c->arg, c->line);
	}
	c->line_len = 0;
}

void pipe_child_drain_stderr(struct pipe_child *c)
{
	char buf[512];
	ssize_t n, i;

	while (c->err_fd >= 0) {
		n = read(c->err_fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return;
		if (n == 0) {
			if (c->line_len)
				take_line(c);
			close(c->err_fd);
			c->err_fd = -1;
			return;
		}
		for (i = 0; i < n; i++) {
			if (buf[i] == '\n' || c->line_len == sizeof(c->line) - 1)
				take_line(c);
			if (buf[i] != '\n')
				c->line[c->line_len++] = buf[i];
		}
	}
}

const char *pipe_child_last_stderr(const struct pipe_child *c)
{
	return c->last;
}

void pipe_child_stop(struct pipe_child *c)
{
	if (c->io_fd >= 0) {
		close(c->io_fd);
		c->io_fd = -1;
	}
	if (c->pid > 0) {
		if (!pipe_child_wait_exit(c, STOP_GRACE_MS)) {
			kill(-c->pid, SIGTERM);
			if (!pipe_child_wait_exit(c, TERM_GRACE_MS)) {
				kill(-c->pid, SIGKILL);
				while (waitpid(c->pid, &c->status, 0) < 0 && errno == EINTR)
					;
				c->exited = true;
			}
		}
		/* What it left running in its group goes too. */
		kill(-c->pid, SIGTERM);
	}
	pipe_child_drain_stderr(c);
	if (c->err_fd >= 0) {
		close(c->err_fd);
		c->err_fd = -1;
	}
	c->pid = 0;
}

void pipe_child_kill_now(const struct pipe_child *c)
{
	int status, waited = 0;

	if (c->pid <= 0 || c->exited)
		return;
	kill(-c->pid, SIGTERM);
	while (waitpid(c->pid, &status, WNOHANG) == 0) {
		if (waited >= TERM_GRACE_MS) {
			kill(-c->pid, SIGKILL);
			waitpid(c->pid, &status, 0);
			break;
		}
		sleep_ms(POLL_STEP_MS);
		waited += POLL_STEP_MS;
	}
	kill(-c->pid, SIGKILL);
}
