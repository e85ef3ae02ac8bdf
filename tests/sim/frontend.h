/* How a transport plugs into the simulated device.
 *
 * A frontend owns one link (UDP socket, pseudo-terminal, ATT socket...) and
 * turns what arrives on it into whole SMP packets for sim_handle_packet(),
 * then sends the answer back with its own framing. main.c knows frontends
 * only through the table of struct sim_frontend_def it holds; adding a
 * transport is one line there (and an #include of tests/sim/front_NAME.h,
 * which declares `extern const struct sim_frontend_def sim_front_NAME;`)
 * plus this file's contract:
 *
 *   - create() allocates the frontend's context with its defaults;
 *   - each entry of opts is a long command-line option the frontend owns;
 *     main.c calls opt->set(ctx, arg) when it sees it;
 *   - start() opens the link if the user asked for it (returns 1 when not
 *     enabled, 0 when started, -1 with a one-line message in err);
 *   - describe() writes what follows "ready " on stdout, for instance
 *     "udp 127.0.0.1:1337" or "pty /dev/pts/7": scripts wait for that line;
 *   - main.c polls ops->fd() for input and calls ops->on_readable(); it
 *     calls ops->on_tick() after every wake-up and never sleeps longer than
 *     ops->next_timeout_ms() says (for delayed answers).
 *
 * The device is shared by all frontends. While sim_device_offline() is true
 * (it is rebooting) a frontend must read and drop what arrives, as a real
 * device that is not running does not answer. While sim_device_busy_until()
 * is in the future the device is still working on the previous request
 * (erasing flash), so its answer and any further request wait until then.
 * sim_handle_packet() already drops requests while offline; the frontend
 * only has to hold answers until their time (see struct sim_outq below).
 */
#ifndef SIM_FRONTEND_H
#define SIM_FRONTEND_H

#include <stddef.h>
#include <stdint.h>

struct sim_device;

struct sim_frontend_ops {
	const char *name;
	/* File descriptor to poll for input, or -1. */
	int (*fd)(void *ctx);
	void (*on_readable)(void *ctx, struct sim_device *dev);
	/* Milliseconds until on_tick has work (a held answer), -1 for none.
	 * May be NULL. */
	int (*next_timeout_ms)(void *ctx, struct sim_device *dev);
	/* Called after every poll wake-up. May be NULL. */
	void (*on_tick)(void *ctx, struct sim_device *dev);
	void (*close)(void *ctx);
};

/* One command-line option owned by a frontend: "--name ARG" (has_arg) or
 * "--name". set() returns 0, or -1 when the argument is invalid. */
struct sim_frontend_opt {
	const char *name;
	int has_arg;
	const char *help;
	int (*set)(void *ctx, const char *arg);
};

struct sim_frontend_def {
	const char *name;
	const struct sim_frontend_opt *opts; /* ended by { NULL } */
	void *(*create)(void);
	int (*start)(void *ctx, struct sim_device *dev, char *err, size_t errlen);
	void (*describe)(void *ctx, char *buf, size_t len);
	const struct sim_frontend_ops *ops;
	/* --describe: the link's parameters as "key=value\n" lines, as
	 * snprintf (returns the length it would write). May be NULL. */
	int (*params)(void *ctx, char *buf, size_t len);
};

/* Answers a frontend still has to send, each with the time it may go out
 * (monotonic ms, sim_now_ms()). Frontends may use it or not. */
struct sim_outq_item {
	int64_t due_ms;
	size_t len;
	uint8_t *data;
	struct sim_outq_item *next;
};

struct sim_outq {
	struct sim_outq_item *head, *tail;
};

/* Appends a copy of data. Returns 0, or -1 on no memory. */
int sim_outq_push(struct sim_outq *q, int64_t due_ms, const uint8_t *data, size_t len);
/* Removes and returns the first item when it is due (caller frees it with
 * sim_outq_free_item), else NULL. */
struct sim_outq_item *sim_outq_pop_due(struct sim_outq *q, int64_t now_ms);
/* Milliseconds until the first item is due (0 if overdue), -1 if empty. */
int sim_outq_timeout_ms(const struct sim_outq *q, int64_t now_ms);
void sim_outq_free_item(struct sim_outq_item *item);
void sim_outq_clear(struct sim_outq *q);

struct sim_device;
/* For a frontend that holds requests while the device is busy: the wait
 * until the next answer is due or, with requests held, until the device is
 * free to take one. -1: nothing to wait for. */
int sim_held_timeout_ms(const struct sim_outq *answers, const struct sim_outq *held,
			struct sim_device *dev);

/* Parses a non-negative decimal option argument no larger than max.
 * Returns 0, or -1 when arg is not such a number. */
int sim_parse_uint(const char *arg, unsigned long max, unsigned long *out);

#endif
