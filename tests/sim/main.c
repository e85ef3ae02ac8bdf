/* smp-simdev: a simulated Zephyr smp_svr device with MCUboot, serving SMP
 * over the frontends given on the command line. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/sim/front_att.h"
#include "tests/sim/front_mqtt.h"
#include "tests/sim/front_pty.h"
#include "tests/sim/front_stdio.h"
#include "tests/sim/front_udp.h"
#include "tests/sim/frontend.h"
#include "tests/sim/sim.h"

/* ---- Frontends are registered here: one line each (and its header
 * above). Each brings its own command-line options. ---- */
static const struct sim_frontend_def *const frontends[] = {
	&sim_front_udp,
	&sim_front_pty,
	&sim_front_att,
	&sim_front_stdio,
	&sim_front_mqtt,
};

#define N_FRONTENDS (sizeof(frontends) / sizeof(frontends[0]))
#define MAX_OPTS 128

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* Options of the device itself. */
enum {
	O_FLASH = 1000, O_PRIMARY, O_SECONDARY, O_SLOT_SIZE, O_IMAGES, O_BUF_SIZE, O_BUF_COUNT,
	O_V1, O_LEGACY_RC, O_IMAGE_CHECK, O_NO_ERASE_PENDING, O_VERBOSE_ERR, O_NO_DOWNGRADE, O_BOOT_MODE,
	O_RESET_DELAY, O_RESET_OFFLINE, O_ERASE_DELAY, O_DISABLE_GROUP, O_FS_ROOT, O_MPSTAT, O_HELP, O_FRONT = 2000,
};

struct core_opt {
	const char *name;
	int has_arg;
	int id;
	const char *help;
};

static const struct core_opt core_opts[] = {
	{ "flash", 1, O_FLASH, "FILE  flash file (created when missing; required)" },
	{ "primary", 1, O_PRIMARY, "FILE  MCUboot image for slot 0 of a new flash file" },
	{ "secondary", 1, O_SECONDARY, "FILE  MCUboot image for slot 1 of a new flash file" },
	{ "slot-size", 1, O_SLOT_SIZE, "N     slot size of a new flash file (default 0x110000)" },
	{ "images", 1, O_IMAGES, "N     image pairs of a new flash file, 1 or 2 (default 1)" },
	{ "buf-size", 1, O_BUF_SIZE, "N     SMP buffer size, header included (default 2048)" },
	{ "buf-count", 1, O_BUF_COUNT, "N     SMP buffer count (default 2)" },
	{ "v1", 0, O_V1, "      old server: v1 answers and legacy rc to every request" },
	{ "legacy-rc", 0, O_LEGACY_RC, "      add \"rc\": 0 to upload and erase answers" },
	{ "image-check", 0, O_IMAGE_CHECK, "      add \"match\" to the last upload answer" },
	{ "no-erase-pending", 0, O_NO_ERASE_PENDING, "      refuse to erase or upload over a pending slot" },
	{ "verbose-err", 0, O_VERBOSE_ERR, "      add \"rsn\" to rc error answers" },
	{ "no-downgrade", 0, O_NO_DOWNGRADE, "      MCUboot refuses older images" },
	{ "boot-mode", 1, O_BOOT_MODE, "MODE  scratch (1) or move (3) (default scratch)" },
	{ "reset-delay-ms", 1, O_RESET_DELAY, "N     time from reset answer to reboot (250)" },
	{ "reset-offline-ms", 1, O_RESET_OFFLINE, "N     silent time while rebooting (300)" },
	{ "erase-delay-ms", 1, O_ERASE_DELAY, "N     busy time when a slot is erased (0)" },
	{ "disable-group", 1, O_DISABLE_GROUP, "N     answer group N as unsupported" },
	{ "fs-root", 1, O_FS_ROOT, "DIR   host directory the fs group serves as /lfs" },
	{ "mpstat", 0, O_MPSTAT, "      answer os mpstat (CONFIG_MCUMGR_GRP_OS_MPSTAT)" },
	{ "help", 0, O_HELP, "      this help" },
};

#define N_CORE (sizeof(core_opts) / sizeof(core_opts[0]))

struct sim_main {
	struct sim_config cfg;
	void *ctx[N_FRONTENDS];
	bool started[N_FRONTENDS];
};

static void usage(FILE *f)
{
	fprintf(f, "usage: smp-simdev --flash FILE FRONTEND-OPTIONS [OPTIONS]\n");
	for (size_t i = 0; i < N_CORE; i++)
		fprintf(f, "  --%-18s %s\n", core_opts[i].name, core_opts[i].help);
	for (size_t f_i = 0; f_i < N_FRONTENDS; f_i++)
		for (const struct sim_frontend_opt *o = frontends[f_i]->opts; o->name; o++)
			fprintf(f, "  --%-18s %s\n", o->name, o->help);
}

static int fail_usage(const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "smp-simdev: ");
	fprintf(stderr, fmt, a, b);
	fprintf(stderr, " (try --help)\n");
	return 2;
}

static int parse_num(const char *name, const char *arg, unsigned long max, unsigned long *out)
{
	if (sim_parse_uint(arg, max, out) != 0)
		return fail_usage("bad value for --%s: '%s'", name, arg);
	return 0;
}

static int set_core(struct sim_config *cfg, int id, const char *name, const char *arg)
{
	unsigned long v = 0;
	int rc = 0;

	switch (id) {
	case O_FLASH: cfg->flash_path = arg; break;
	case O_PRIMARY: cfg->primary_image = arg; break;
	case O_SECONDARY: cfg->secondary_image = arg; break;
	case O_SLOT_SIZE:
		rc = parse_num(name, arg, 0x40000000ul, &v);
		if (rc == 0 && (v < 4096 || v % 4096))
			rc = fail_usage("--%s must be a multiple of 4096: '%s'", name, arg);
		cfg->slot_size = (uint32_t)v;
		break;
	case O_IMAGES:
		rc = parse_num(name, arg, 2, &v);
		if (rc == 0 && v < 1)
			rc = fail_usage("--%s must be 1 or 2: '%s'", name, arg);
		cfg->images = (unsigned)v;
		break;
	case O_BUF_SIZE:
		rc = parse_num(name, arg, 65535, &v);
		if (rc == 0 && v < 64)
			rc = fail_usage("--%s must be at least 64: '%s'", name, arg);
		cfg->buf_size = (unsigned)v;
		break;
	case O_BUF_COUNT:
		rc = parse_num(name, arg, 1000, &v);
		if (rc == 0 && v < 1)
			rc = fail_usage("--%s must be at least 1: '%s'", name, arg);
		cfg->buf_count = (unsigned)v;
		break;
	case O_V1: cfg->v1_only = cfg->legacy_rc = true; break;
	case O_LEGACY_RC: cfg->legacy_rc = true; break;
	case O_IMAGE_CHECK: cfg->image_check = true; break;
	case O_NO_ERASE_PENDING: cfg->allow_erase_pending = false; break;
	case O_VERBOSE_ERR: cfg->verbose_err = true; break;
	case O_NO_DOWNGRADE: cfg->no_downgrade = true; break;
	case O_BOOT_MODE:
		if (!strcmp(arg, "scratch") || !strcmp(arg, "1"))
			cfg->boot_mode = SIM_BOOT_SWAP_SCRATCH;
		else if (!strcmp(arg, "move") || !strcmp(arg, "3"))
			cfg->boot_mode = SIM_BOOT_SWAP_MOVE;
		else
			rc = fail_usage("bad value for --%s: '%s'", name, arg);
		break;
	case O_RESET_DELAY: rc = parse_num(name, arg, 600000, &v); cfg->reset_delay_ms = (unsigned)v; break;
	case O_RESET_OFFLINE: rc = parse_num(name, arg, 600000, &v); cfg->reset_offline_ms = (unsigned)v; break;
	case O_ERASE_DELAY: rc = parse_num(name, arg, 600000, &v); cfg->erase_delay_ms = (unsigned)v; break;
	case O_FS_ROOT: cfg->fs_root = arg; break;
	case O_MPSTAT: cfg->os_mpstat = true; break;
	case O_DISABLE_GROUP:
		rc = parse_num(name, arg, 63, &v);
		cfg->disabled_groups |= 1ull << v;
		break;
	}
	return rc;
}

/* Builds getopt's table: the device's options, then every frontend's,
 * whose ids encode (frontend index, option index). */
static size_t build_options(struct option *opts)
{
	size_t n = 0;

	for (size_t i = 0; i < N_CORE; i++)
		opts[n++] = (struct option){ core_opts[i].name, core_opts[i].has_arg, NULL,
					     core_opts[i].id };
	for (size_t f = 0; f < N_FRONTENDS; f++)
		for (size_t k = 0; frontends[f]->opts[k].name && n < MAX_OPTS - 1; k++)
			opts[n++] = (struct option){ frontends[f]->opts[k].name,
						     frontends[f]->opts[k].has_arg, NULL,
						     (int)(O_FRONT + f * 100 + k) };
	opts[n] = (struct option){ 0 };
	return n;
}

static int parse_args(struct sim_main *m, int argc, char **argv)
{
	struct option opts[MAX_OPTS];
	int id, idx;

	build_options(opts);
	opterr = 0;
	while ((id = getopt_long(argc, argv, ":", opts, &idx)) != -1) {
		if (id == '?')
			return fail_usage("unknown option '%s'%s", argv[optind - 1], "");
		if (id == ':')
			return fail_usage("option '%s' needs a value%s", argv[optind - 1], "");
		if (id == O_HELP) {
			usage(stdout);
			exit(0);
		}
		if (id >= O_FRONT) {
			size_t f = (size_t)(id - O_FRONT) / 100, k = (size_t)(id - O_FRONT) % 100;
			const struct sim_frontend_opt *o = &frontends[f]->opts[k];

			if (o->set(m->ctx[f], optarg) != 0)
				return fail_usage("bad value for --%s: '%s'", o->name,
						  optarg ? optarg : "");
		} else if (set_core(&m->cfg, id, opts[idx].name, optarg) != 0) {
			return 2;
		}
	}
	if (optind < argc)
		return fail_usage("unexpected argument '%s'%s", argv[optind], "");
	if (!m->cfg.flash_path)
		return fail_usage("--flash FILE is required%s%s", "", "");
	return 0;
}

static int start_frontends(struct sim_main *m, struct sim_device *dev)
{
	char err[256], desc[256];
	int started = 0;

	for (size_t f = 0; f < N_FRONTENDS; f++) {
		int rc = frontends[f]->start(m->ctx[f], dev, err, sizeof(err));

		if (rc < 0) {
			fprintf(stderr, "smp-simdev: %s\n", err);
			return 1;
		}
		m->started[f] = rc == 0;
		started += rc == 0;
	}
	if (!started) {
		fprintf(stderr, "smp-simdev: no transport given (for instance --udp 0) (try --help)\n");
		return 2;
	}
	for (size_t f = 0; f < N_FRONTENDS; f++) {
		if (!m->started[f])
			continue;
		frontends[f]->describe(m->ctx[f], desc, sizeof(desc));
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
	struct pollfd pfd[N_FRONTENDS];
	size_t idx[N_FRONTENDS];

	while (!stop_requested) {
		size_t n = 0;
		int timeout = -1;

		for (size_t f = 0; f < N_FRONTENDS; f++) {
			const struct sim_frontend_ops *ops = frontends[f]->ops;

			if (!m->started[f])
				continue;
			if (ops->next_timeout_ms)
				timeout = min_timeout(timeout, ops->next_timeout_ms(m->ctx[f], dev));
			if (ops->fd(m->ctx[f]) >= 0) {
				pfd[n] = (struct pollfd){ ops->fd(m->ctx[f]), POLLIN, 0 };
				idx[n++] = f;
			}
		}
		timeout = min_timeout(timeout, sim_device_next_event_ms(dev));
		if (poll(pfd, n, timeout) < 0 && errno != EINTR)
			break;
		for (size_t i = 0; i < n; i++)
			if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
				frontends[idx[i]]->ops->on_readable(m->ctx[idx[i]], dev);
		for (size_t f = 0; f < N_FRONTENDS; f++)
			if (m->started[f] && frontends[f]->ops->on_tick)
				frontends[f]->ops->on_tick(m->ctx[f], dev);
	}
}

int main(int argc, char **argv)
{
	struct sim_main m = { 0 };
	struct sigaction sa = { .sa_handler = on_signal };
	struct sim_device *dev = NULL;
	char err[512];
	int rc;

	sim_config_defaults(&m.cfg);
	for (size_t f = 0; f < N_FRONTENDS; f++) {
		m.ctx[f] = frontends[f]->create();
		if (!m.ctx[f]) {
			fprintf(stderr, "smp-simdev: out of memory\n");
			return 1;
		}
	}
	rc = parse_args(&m, argc, argv);
	if (rc == 0) {
		dev = sim_device_open(&m.cfg, err, sizeof(err));
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
	for (size_t f = 0; f < N_FRONTENDS; f++)
		frontends[f]->ops->close(m.ctx[f]);
	sim_device_close(dev);
	return rc;
}
