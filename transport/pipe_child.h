/* The command behind --exec: started with /bin/sh -c in a process group
 * of its own (so that a terminal's Ctrl-C reaches smpctl only, and smpctl
 * can end the command and everything it started with one kill), its
 * stdin and stdout one end of a socket pair, its stderr a pipe read line
 * by line. Always reaped: pipe_child_stop() on close, and
 * pipe_child_kill_now() from a signal handler. */
#ifndef TRANSPORT_PIPE_CHILD_H
#define TRANSPORT_PIPE_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define PIPE_CHILD_LINE_MAX 256

struct pipe_child {
	pid_t pid;   /* also the process group; 0: none */
	int io_fd;   /* our end of its stdin/stdout, non-blocking */
	int err_fd;  /* read end of its stderr, non-blocking; -1 at EOF */
	bool exited; /* reaped; status is valid */
	int status;  /* as waitpid gives it */
	char line[PIPE_CHILD_LINE_MAX];
	size_t line_len;
	char last[PIPE_CHILD_LINE_MAX]; /* its last non-empty stderr line */
	void (*on_line)(void *arg, const char *line);
	void *arg;
};

void pipe_child_init(struct pipe_child *c, void (*on_line)(void *arg, const char *line), void *arg);
/* Starts command. Returns 0, or -1 with a one-line reason in err. */
int pipe_child_start(struct pipe_child *c, const char *command, char *err, size_t errlen);
/* Reaps the command if it exits within wait_ms; true once it has. */
bool pipe_child_wait_exit(struct pipe_child *c, int wait_ms);
bool pipe_child_exited(const struct pipe_child *c);
/* "exited with status 3" or "was killed by signal 9 (Killed)". */
void pipe_child_describe_exit(const struct pipe_child *c, char *buf, size_t len);
/* Reads what the command wrote on stderr and hands over complete lines. */
void pipe_child_drain_stderr(struct pipe_child *c);
const char *pipe_child_last_stderr(const struct pipe_child *c);
/* Closes its input, gives it half a second to finish, then SIGTERM and
 * at last SIGKILL to its group; reaps it and closes everything. */
void pipe_child_stop(struct pipe_child *c);
/* The same from a signal handler: SIGTERM to the group, a short wait,
 * SIGKILL, reaped. Async-signal-safe. */
void pipe_child_kill_now(const struct pipe_child *c);

#endif
