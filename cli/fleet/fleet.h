/* smpctl upgrade FILE --each CONN... : the factory line, one upgrade per
 * board, all at once.
 *
 * Why one child process a board (fork, no exec), not threads: the
 * upgrade code keeps state in places threads would share (getopt's
 * optind, the signal handler's port, stdio of the progress bar), and a
 * board that hangs or crashes must not take the others with it. A child
 * is isolated by the kernel; the parent can give it a deadline
 * (--each-timeout) and kill it, and a crash is one board's "failed".
 *
 * Each child runs the same `upgrade` a single board gets (cmd_upgrade),
 * with its own struct cli_ctx, and talks to the parent over one pipe in
 * the JSON progress lines a script gets with --progress json (man page,
 * JSON OUTPUT), one schema for both:
 *          {"progress":"step",...}     a step starts (connect, before, the
 *                                      upgrade's own steps, after)
 *          {"progress":"upload",...}   upload progress (cli/ui/progress.c)
 *          {"progress":"running",...}  the running image before the upgrade
 *          {"progress":"result",...}   its result, last
 * read by cli/fleet/fleet_feed.c.
 * The parent (cli/fleet/fleet.c) polls the pipes, draws one progress line a
 * board (cli/fleet/fleet_report.c) and at the end a table, or with --json one
 * object a board. Exit code: 0 when every board was upgraded or already
 * ran the image, EXIT_SOME_BOARDS (7) when one or more failed; 2 for a
 * bad command line, before any board is touched.
 *
 * mqtt:// boards keep their process, but not a broker connection each:
 * the parent holds one and relays their packets (cli/fleet/fleet_mqtt.c). */
#ifndef CLI_FLEET_H
#define CLI_FLEET_H

#include <stdint.h>
#include <poll.h>
#include <sys/types.h>

#include "cli/cli.h"
#include "smp/transport.h"
#include "transport/relay.h"

struct mqtt_conn;

#define FLEET_MAX_BOARDS 64

struct fleet_board {
	const char *conn; /* as given: a profile name or KIND:TARGET */
	pid_t pid;
	int fd; /* the child's pipe, -1 once closed */
	char buf[8192];
	size_t len;
	bool skipping; /* the rest of a line longer than buf is dropped */
	char phase[16];
	size_t done, total;
	int64_t start_ms, end_ms;
	bool timed_out;
	int status;	/* waitpid's */
	json_t *result; /* the child's result line, or NULL */
	/* The running version and hash before the upgrade (its running line): kept
	 * for the table when the board never gets to its result line. */
	char before[48];
	char before_hash[2 * 64 + 1];
	int said_pct;	     /* plain output: the last quarter said */
	char said_phase[16]; /* plain output: the last phase said */
	/* A board behind the fleet's one broker connection (cli/fleet/fleet_mqtt.c):
	 * the parent's end of its socket pair (-1: none), the child's end
	 * until the fork, the parent's transport on the board's topics, and
	 * what the child's relay transport gets. */
	int relay_fd, relay_child_fd;
	struct smp_link mqtt;
	struct relay_opts relay;
	char relay_note[600];
};

struct fleet {
	struct cli_ctx *ctx;
	struct fleet_board boards[FLEET_MAX_BOARDS];
	size_t n;
	int timeout_s;
	const char *file;
	const char *failed_file; /* --each-failed: the failed boards, one a line */
	/* The image's hash, when FILE is one image: a board already running
	 * it confirmed is up to date. */
	uint8_t hash[64];
	size_t hash_len;
	/* The upgrade's own arguments, for each child's cmd_upgrade. */
	char *argv[64];
	int argc;
	bool tty;  /* progress lines redrawn in place */
	int drawn; /* lines drawn last time */
	int64_t drawn_ms;
	/* The one broker connection of every mqtt:// board, or NULL. */
	struct mqtt_conn *mqtt;
	/* Board names made by expanding NAME{a,b} and NAME{1..50}. */
	char *expanded[FLEET_MAX_BOARDS];
	size_t n_expanded;
};

/* Whether argv asks for --each or --each-file. */
bool fleet_wanted(int argc, char **argv);
/* The whole factory line; argv as cmd_upgrade gets it. */
int fleet_upgrade(struct cli_ctx *ctx, int argc, char **argv);

/* cli/fleet/fleet_feed.c: one line from board b's process into b;
 * whether it was a progress line the parent knows. */
int fleet_feed_line(struct fleet_board *b, const char *line);
/* n bytes read from board b's pipe: each whole line to fleet_feed_line,
 * then to said (when not NULL) if it was one; a part line waits in b->buf
 * for its end. */
void fleet_feed(struct fleet *fl, struct fleet_board *b, const char *data, size_t n,
		void (*said)(struct fleet *fl, struct fleet_board *b));

/* cli/fleet/fleet_child.c: runs in the child; never returns. */
void fleet_child(struct fleet *fl, struct fleet_board *b, int fd) __attribute__((noreturn));

/* cli/fleet/fleet_expand.c: one board, or the boards a {a,b,c} or {N..M}
 * group in it names, each passed to add. */
int fleet_expand(struct fleet *fl, const char *conn, int (*add)(struct fleet *, const char *));

/* cli/fleet/fleet_mqtt.c: mqtt:// boards share one broker connection. */
/* The board's URL when it is an MQTT board, else NULL. */
const char *fleet_mqtt_url(const char *conn);
/* Opens the connection and each board's topics and socket pair, before
 * any fork. EXIT_OK also when no board is an MQTT board. */
int fleet_mqtt_open(struct fleet *fl);
/* In board b's child: closes every relay socket but its own end. */
void fleet_mqtt_child_fds(struct fleet *fl, struct fleet_board *b);
/* In the parent, after b's fork. */
void fleet_mqtt_forked(struct fleet_board *b);
/* Moves what is waiting each way; the poll set's relay sockets. */
void fleet_mqtt_pump(struct fleet *fl);
size_t fleet_mqtt_pollfds(struct fleet *fl, struct pollfd *pfd);
void fleet_mqtt_board_done(struct fleet_board *b);
void fleet_mqtt_close(struct fleet *fl);

/* cli/fleet/fleet_report.c */
void fleet_progress(struct fleet *fl, struct fleet_board *changed);
/* The board's final object ({"board", "result", ...}), new reference. */
json_t *fleet_board_json(const struct fleet_board *b);
int fleet_report(struct fleet *fl);

#endif
