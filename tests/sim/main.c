/* smp-simdev: a simulated Zephyr smp_svr device with MCUboot, serving SMP
 * over the frontends given on the command line. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tests/sim/frontend.h"
#include "tests/sim/sim.h"
#include "tests/sim/sim_cli.h"

static volatile sig_atomic_t stop_requested, release_requested;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		release_requested = 1;
	else
		stop_requested = 1;
}

struct sim_main {
	struct sim_cli cli;
	bool started[SIM_CLI_MAX_FRONTENDS];
	FILE *events;	  /* --events FILE, or stdout */
	sigset_t waiting; /* the signal mask while in ppoll */
};

/* Each event line goes out at once: a test is waiting for it. */
static void say_event(void *ctx, const char *line)
{
	FILE *f = ctx;

	fprintf(f, "%s\n", line);
	fflush(f);
}

/* The signals are blocked but while the loop waits in ppoll, so that
 * none is lost between its check and the wait. */
static void catch_signals(struct sim_main *m)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGUSR1 };
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block;

	sigemptyset(&block);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		sigaction(sigs[i], &sa, NULL);
		sigaddset(&block, sigs[i]);
	}
	sigprocmask(SIG_BLOCK, &block, &m->waiting);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigdelset(&m->waiting, sigs[i]);
	signal(SIGPIPE, SIG_IGN);
}

static int start_frontends(struct sim_main *m, struct sim_device *dev)
{
	char err[256], desc[256];
	const struct sim_cli *c = &m->cli;
	int started = 0;

	for (size_t f = 0; f < c->n_frontends; f++) {
		int rc = c->frontends[f]->start(c->ctx[f], dev, err, sizeof(err));

		if (rc < 0) {
			fprintf(stderr, "smp-simdev: %s\n", err);
			return 1;
		}
		m->started[f] = rc == 0;
		started += rc == 0;
	}
	if (!started) {
		fprintf(stderr,
			"smp-simdev: no transport given (for instance --udp 0) (try --help)\n");
		return 2;
	}
	for (size_t f = 0; f < c->n_frontends; f++) {
		if (!m->started[f])
			continue;
		c->frontends[f]->describe(c->ctx[f], desc, sizeof(desc));
		printf("ready %s\n", desc);
	}
	fflush(stdout);
	return 0;
}

static int min_timeout(int a, int b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

static void serve(struct sim_main *m, struct sim_device *dev)
{
	const struct sim_cli *c = &m->cli;
	struct pollfd pfd[SIM_CLI_MAX_FRONTENDS];
	size_t idx[SIM_CLI_MAX_FRONTENDS];

	while (!stop_requested && !sim_device_dead(dev)) {
		struct timespec ts;
		size_t n = 0;
		int timeout = -1;

		if (release_requested) {
			release_requested = 0;
			sim_device_release(dev);
		}
		for (size_t f = 0; f < c->n_frontends; f++) {
			const struct sim_frontend_ops *ops = c->frontends[f]->ops;

			if (!m->started[f])
				continue;
			if (ops->next_timeout_ms)
				timeout = min_timeout(timeout,
						      ops->next_timeout_ms(c->ctx[f], dev));
			if (ops->fd(c->ctx[f]) >= 0) {
				pfd[n] = (struct pollfd){ ops->fd(c->ctx[f]), POLLIN, 0 };
				idx[n++] = f;
			}
		}
		timeout = min_timeout(timeout, sim_device_next_event_ms(dev));
		ts = (struct timespec){ timeout / 1000, (long)(timeout % 1000) * 1000000 };
		if (ppoll(pfd, n, timeout < 0 ? NULL : &ts, &m->waiting) < 0) {
			if (errno != EINTR)
				break;
			continue;
		}
		for (size_t i = 0; i < n; i++)
			if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
				c->frontends[idx[i]]->ops->on_readable(c->ctx[idx[i]], dev);
		for (size_t f = 0; f < c->n_frontends; f++)
			if (m->started[f] && c->frontends[f]->ops->on_tick)
				c->frontends[f]->ops->on_tick(c->ctx[f], dev);
	}
}

static int describe(const struct sim_cli *c)
{
	int n = sim_cli_describe(c, NULL, 0);
	char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;

	if (!buf) {
		fprintf(stderr, "smp-simdev: out of memory\n");
		return 1;
	}
	sim_cli_describe(c, buf, (size_t)n + 1);
	fputs(buf, stdout);
	free(buf);
	return 0;
}

/* The first event, "online 1", comes once the frontends are up (the
 * stdio frontend has moved stdout out of the link by then). */
static int open_events(struct sim_main *m)
{
	const char *path = m->cli.events_path;

	m->events = path ? fopen(path, "a") : stdout;
	if (!m->events) {
		fprintf(stderr, "smp-simdev: --events %s: %s\n", path, strerror(errno));
		return 1;
	}
	m->cli.cfg.event = say_event;
	m->cli.cfg.event_ctx = m->events;
	return 0;
}

int main(int argc, char **argv)
{
	struct sim_main m;
	struct sim_device *dev = NULL;
	char err[512];
	int rc;

	memset(&m, 0, sizeof(m));
	if (sim_cli_init(&m.cli) != 0) {
		fprintf(stderr, "smp-simdev: out of memory\n");
		sim_cli_free(&m.cli);
		return 1;
	}
	rc = sim_cli_parse(&m.cli, argc, argv);
	if (rc == 0 && m.cli.help) {
		sim_cli_usage(&m.cli, stdout);
		sim_cli_free(&m.cli);
		return 0;
	}
	if (rc == 0 && m.cli.describe) {
		rc = describe(&m.cli);
		sim_cli_free(&m.cli);
		return rc;
	}
	if (rc == 0 && !m.cli.cfg.flash_path) {
		fprintf(stderr, "smp-simdev: --flash FILE is required (try --help)\n");
		rc = 2;
	}
	if (rc == 0)
		rc = open_events(&m);
	if (rc == 0) {
		dev = sim_device_open(&m.cli.cfg, err, sizeof(err));
		if (!dev) {
			fprintf(stderr, "smp-simdev: %s\n", err);
			rc = 1;
		}
	}
	if (rc == 0) {
		catch_signals(&m);
		rc = start_frontends(&m, dev);
	}
	if (rc == 0)
		serve(&m, dev);
	sim_cli_free(&m.cli);
	sim_device_close(dev);
	if (m.events && m.events != stdout)
		fclose(m.events);
	return rc;
}
