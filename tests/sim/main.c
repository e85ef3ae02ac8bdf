/* smp-simdev: a simulated Zephyr smp_svr device with MCUboot, serving SMP
 * over the frontends given on the command line. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/sim/frontend.h"
#include "tests/sim/sim.h"
#include "tests/sim/sim_cli.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

struct sim_main {
	struct sim_cli cli;
	bool started[SIM_CLI_MAX_FRONTENDS];
};

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

	while (!stop_requested) {
		size_t n = 0;
		int timeout = -1;

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
		if (poll(pfd, n, timeout) < 0 && errno != EINTR)
			break;
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

int main(int argc, char **argv)
{
	struct sim_main m;
	struct sigaction sa = { .sa_handler = on_signal };
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
	if (rc == 0) {
		dev = sim_device_open(&m.cli.cfg, err, sizeof(err));
		if (!dev) {
			fprintf(stderr, "smp-simdev: %s\n", err);
			rc = 1;
		}
	}
	if (rc == 0) {
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
		signal(SIGPIPE, SIG_IGN);
		rc = start_frontends(&m, dev);
	}
	if (rc == 0)
		serve(&m, dev);
	sim_cli_free(&m.cli);
	sim_device_close(dev);
	return rc;
}
