/* smp-simdev's command line (sim_cli.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/sim/front_att.h"
#include "tests/sim/front_mqtt.h"
#include "tests/sim/front_pty.h"
#include "tests/sim/front_stdio.h"
#include "tests/sim/front_udp.h"
#include "tests/sim/sim_cli.h"

/* ---- Frontends are registered here: one line each (and its header
 * above). Each brings its own command-line options. ---- */
static const struct sim_frontend_def *const frontends[] = {
	&sim_front_udp, &sim_front_pty, &sim_front_att, &sim_front_stdio, &sim_front_mqtt,
};

#define N_FRONTENDS (sizeof(frontends) / sizeof(frontends[0]))
#define MAX_OPTS 128

/* Options of the device itself. */
enum {
	O_FLASH = 1000,
	O_PRIMARY,
	O_SECONDARY,
	O_SLOT_SIZE,
	O_IMAGES,
	O_BUF_SIZE,
	O_BUF_COUNT,
	O_V1,
	O_LEGACY_RC,
	O_IMAGE_CHECK,
	O_NO_ERASE_PENDING,
	O_VERBOSE_ERR,
	O_NO_DOWNGRADE,
	O_BOOT_MODE,
	O_RESET_DELAY,
	O_RESET_OFFLINE,
	O_ERASE_DELAY,
	O_DISABLE_GROUP,
	O_FS_ROOT,
	O_MPSTAT,
	O_REQUEST_US,
	O_WRITE_NS,
	O_ERASE_US,
	O_SECTOR_SIZE,
	O_ERASE,
	O_DEVICE,
	O_DESCRIBE,
	O_HELP,
	O_STALL_AT,
	O_DIE_AT,
	O_RESET_AT,
	O_EVENTS,
	O_FRONT = 2000,
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
	{ "device", 1, O_DEVICE,
	  "NAME  behave as a real build (see below); later options override it" },
	{ "describe", 0, O_DESCRIBE, "      print the parameters in force, key=value, and exit" },
	{ "buf-size", 1, O_BUF_SIZE, "N     SMP buffer size, header included (default 2048)" },
	{ "buf-count", 1, O_BUF_COUNT,
	  "N     SMP buffers shared by requests and answers (default 2)" },
	{ "request-us", 1, O_REQUEST_US, "N     service time of every request, us (default 0)" },
	{ "write-ns-per-byte", 1, O_WRITE_NS, "N     flash write time per byte, ns (default 0)" },
	{ "erase-us-per-sector", 1, O_ERASE_US,
	  "N     flash erase time per sector, us (default 0)" },
	{ "sector-size", 1, O_SECTOR_SIZE, "N     flash sector size (default 4096)" },
	{ "erase", 1, O_ERASE, "MODE  upload erases upfront or progressive (default upfront)" },
	{ "v1", 0, O_V1, "      old server: v1 answers and legacy rc to every request" },
	{ "legacy-rc", 0, O_LEGACY_RC, "      add \"rc\": 0 to upload and erase answers" },
	{ "image-check", 0, O_IMAGE_CHECK, "      add \"match\" to the last upload answer" },
	{ "no-erase-pending", 0, O_NO_ERASE_PENDING,
	  "      refuse to erase or upload over a pending slot" },
	{ "verbose-err", 0, O_VERBOSE_ERR, "      add \"rsn\" to rc error answers" },
	{ "no-downgrade", 0, O_NO_DOWNGRADE, "      MCUboot refuses older images" },
	{ "boot-mode", 1, O_BOOT_MODE, "MODE  scratch (1) or move (3) (default scratch)" },
	{ "reset-delay-ms", 1, O_RESET_DELAY, "N     time from reset answer to reboot (250)" },
	{ "reset-offline-ms", 1, O_RESET_OFFLINE, "N     silent time while rebooting (300)" },
	{ "erase-delay-ms", 1, O_ERASE_DELAY, "N     busy time when a slot is erased (0)" },
	{ "disable-group", 1, O_DISABLE_GROUP, "N     answer group N as unsupported" },
	{ "fs-root", 1, O_FS_ROOT, "DIR   host directory the fs group serves as /lfs" },
	{ "mpstat", 0, O_MPSTAT, "      answer os mpstat (CONFIG_MCUMGR_GRP_OS_MPSTAT)" },
	{ "stall-at-byte", 1, O_STALL_AT, "N     test control: a transfer stalls at offset N" },
	{ "die-at-byte", 1, O_DIE_AT, "N     test control: power off at transfer offset N" },
	{ "reset-at-byte", 1, O_RESET_AT, "N     test control: reboot at transfer offset N" },
	{ "events", 1, O_EVENTS, "FILE  test control: \"event ...\" lines to FILE, not stdout" },
	{ "help", 0, O_HELP, "      this help" },
};

#define N_CORE (sizeof(core_opts) / sizeof(core_opts[0]))

int sim_cli_init(struct sim_cli *c)
{
	memset(c, 0, sizeof(*c));
	sim_config_defaults(&c->cfg);
	c->frontends = frontends;
	c->n_frontends = N_FRONTENDS;
	for (size_t f = 0; f < N_FRONTENDS; f++) {
		c->ctx[f] = frontends[f]->create();
		if (!c->ctx[f])
			return -1;
	}
	return 0;
}

void sim_cli_free(struct sim_cli *c)
{
	for (size_t f = 0; f < c->n_frontends; f++) {
		if (c->ctx[f])
			c->frontends[f]->ops->close(c->ctx[f]);
		c->ctx[f] = NULL;
	}
}

void sim_cli_usage(const struct sim_cli *c, FILE *f)
{
	const struct sim_profile *p;

	fprintf(f, "usage: smp-simdev --flash FILE FRONTEND-OPTIONS [OPTIONS]\n");
	for (size_t i = 0; i < N_CORE; i++)
		fprintf(f, "  --%-20s %s\n", core_opts[i].name, core_opts[i].help);
	for (size_t f_i = 0; f_i < c->n_frontends; f_i++)
		for (const struct sim_frontend_opt *o = c->frontends[f_i]->opts; o->name; o++)
			fprintf(f, "  --%-20s %s\n", o->name, o->help);
	fprintf(f, "SIGUSR1 (a test control) resumes a stalled transfer, ends a reboot\n");
	fprintf(f, "device profiles (--device):\n");
	for (size_t i = 0; (p = sim_profile_at(i)) != NULL; i++)
		fprintf(f, "  %-22s %s\n", p->name, p->summary);
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

static int parse_min(const char *name, const char *arg, unsigned long min, unsigned long max,
		     unsigned *out)
{
	unsigned long v = 0;

	if (parse_num(name, arg, max, &v) != 0)
		return 2;
	if (v < min)
		return fail_usage("--%s is too small: '%s'", name, arg);
	*out = (unsigned)v;
	return 0;
}

static int parse_offset(const char *name, const char *arg, int64_t *out)
{
	unsigned long v = 0;

	if (parse_num(name, arg, 0xfffffffful, &v) != 0)
		return 2;
	*out = (int64_t)v;
	return 0;
}

static int set_device_opt(struct sim_cli *c, int id, const char *name, const char *arg)
{
	struct sim_config *cfg = &c->cfg;
	unsigned long v = 0;
	int rc = 0;

	switch (id) {
	case O_FLASH:
		cfg->flash_path = arg;
		break;
	case O_PRIMARY:
		cfg->primary_image = arg;
		break;
	case O_SECONDARY:
		cfg->secondary_image = arg;
		break;
	case O_SLOT_SIZE:
		rc = parse_num(name, arg, 0x40000000ul, &v);
		if (rc == 0 && (v < 4096 || v % 4096))
			rc = fail_usage("--%s must be a multiple of 4096: '%s'", name, arg);
		cfg->slot_size = (uint32_t)v;
		break;
	case O_IMAGES:
		rc = parse_min(name, arg, 1, 2, &cfg->images);
		break;
	case O_BUF_SIZE:
		rc = parse_min(name, arg, 64, 65535, &cfg->buf_size);
		break;
	case O_BUF_COUNT:
		rc = parse_min(name, arg, 1, 1000, &cfg->buf_count);
		break;
	case O_REQUEST_US:
		rc = parse_min(name, arg, 0, 10000000, &cfg->request_us);
		break;
	case O_WRITE_NS:
		rc = parse_min(name, arg, 0, 1000000, &cfg->write_ns_per_byte);
		break;
	case O_ERASE_US:
		rc = parse_min(name, arg, 0, 10000000, &cfg->erase_us_per_sector);
		break;
	case O_SECTOR_SIZE:
		rc = parse_min(name, arg, 256, 1u << 20, &cfg->sector_size);
		if (rc == 0 && (cfg->sector_size & (cfg->sector_size - 1)))
			rc = fail_usage("--%s must be a power of two: '%s'", name, arg);
		break;
	case O_ERASE:
		if (!strcmp(arg, "upfront") || !strcmp(arg, "progressive"))
			cfg->erase_progressive = !strcmp(arg, "progressive");
		else
			rc = fail_usage("bad value for --%s: '%s' (upfront or progressive)", name,
					arg);
		break;
	case O_V1:
		cfg->v1_only = cfg->legacy_rc = true;
		break;
	case O_LEGACY_RC:
		cfg->legacy_rc = true;
		break;
	case O_IMAGE_CHECK:
		cfg->image_check = true;
		break;
	case O_NO_ERASE_PENDING:
		cfg->allow_erase_pending = false;
		break;
	case O_VERBOSE_ERR:
		cfg->verbose_err = true;
		break;
	case O_NO_DOWNGRADE:
		cfg->no_downgrade = true;
		break;
	case O_BOOT_MODE:
		if (!strcmp(arg, "scratch") || !strcmp(arg, "1"))
			cfg->boot_mode = SIM_BOOT_SWAP_SCRATCH;
		else if (!strcmp(arg, "move") || !strcmp(arg, "3"))
			cfg->boot_mode = SIM_BOOT_SWAP_MOVE;
		else
			rc = fail_usage("bad value for --%s: '%s'", name, arg);
		break;
	case O_RESET_DELAY:
		rc = parse_min(name, arg, 0, 600000, &cfg->reset_delay_ms);
		break;
	case O_RESET_OFFLINE:
		rc = parse_min(name, arg, 0, 600000, &cfg->reset_offline_ms);
		break;
	case O_ERASE_DELAY:
		rc = parse_min(name, arg, 0, 600000, &cfg->erase_delay_ms);
		break;
	case O_FS_ROOT:
		cfg->fs_root = arg;
		break;
	case O_MPSTAT:
		cfg->os_mpstat = true;
		break;
	case O_DISABLE_GROUP:
		rc = parse_num(name, arg, 63, &v);
		cfg->disabled_groups |= 1ull << v;
		break;
	case O_STALL_AT:
		rc = parse_offset(name, arg, &cfg->stall_at_byte);
		break;
	case O_DIE_AT:
		rc = parse_offset(name, arg, &cfg->die_at_byte);
		break;
	case O_RESET_AT:
		rc = parse_offset(name, arg, &cfg->reset_at_byte);
		break;
	case O_EVENTS:
		c->events_path = arg;
		break;
	case O_DESCRIBE:
		c->describe = true;
		break;
	case O_HELP:
		c->help = true;
		break;
	case O_DEVICE:
		break; /* applied before everything else */
	}
	return rc;
}

/* Builds getopt's table: the device's options, then every frontend's,
 * whose ids encode (frontend index, option index). */
static void build_options(const struct sim_cli *c, struct option *opts)
{
	size_t n = 0;

	for (size_t i = 0; i < N_CORE; i++)
		opts[n++] = (struct option){ core_opts[i].name, core_opts[i].has_arg, NULL,
					     core_opts[i].id };
	for (size_t f = 0; f < c->n_frontends; f++)
		for (size_t k = 0; c->frontends[f]->opts[k].name && n < MAX_OPTS - 1; k++)
			opts[n++] = (struct option){ c->frontends[f]->opts[k].name,
						     c->frontends[f]->opts[k].has_arg, NULL,
						     (int)(O_FRONT + f * 100 + k) };
	opts[n] = (struct option){ 0 };
}

static int apply(struct sim_cli *c, int id, const char *name, const char *arg)
{
	if (id >= O_FRONT) {
		size_t f = (size_t)(id - O_FRONT) / 100, k = (size_t)(id - O_FRONT) % 100;
		const struct sim_frontend_opt *o = &c->frontends[f]->opts[k];

		if (o->set(c->ctx[f], arg) != 0)
			return fail_usage("bad value for --%s: '%s'", o->name, arg ? arg : "");
		return 0;
	}
	return set_device_opt(c, id, name, arg);
}

static int apply_profile(struct sim_cli *c, const struct option *opts)
{
	for (const struct sim_profile_opt *po = c->profile->opts; po->name; po++) {
		const struct option *o = opts;

		while (o->name && strcmp(o->name, po->name))
			o++;
		/* A profile naming an option that does not exist is a bug
		 * in the table: say so rather than half apply it. */
		if (!o->name)
			return fail_usage("profile %s: no option --%s", c->profile->name, po->name);
		if (apply(c, o->val, o->name, po->value) != 0)
			return 2;
	}
	return 0;
}

/* --device is looked for first, so that it is the base whatever its place
 * on the line. */
static int find_profile(struct sim_cli *c, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *name = NULL;

		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--device") && i + 1 < argc)
			name = argv[++i];
		else if (!strncmp(argv[i], "--device=", 9))
			name = argv[i] + 9;
		if (!name)
			continue;
		c->profile = sim_profile_find(name);
		if (!c->profile)
			return fail_usage("unknown device profile '%s'%s", name, "");
	}
	return 0;
}

int sim_cli_parse(struct sim_cli *c, int argc, char **argv)
{
	struct option opts[MAX_OPTS];
	int id, idx;

	build_options(c, opts);
	if (find_profile(c, argc, argv) != 0)
		return 2;
	if (c->profile && apply_profile(c, opts) != 0)
		return 2;
	opterr = 0;
	optind = 0; /* glibc: start afresh (tests parse more than once) */
	while ((id = getopt_long(argc, argv, ":", opts, &idx)) != -1) {
		if (id == '?')
			return fail_usage("unknown option '%s'%s", argv[optind - 1], "");
		if (id == ':')
			return fail_usage("option '%s' needs a value%s", argv[optind - 1], "");
		if (apply(c, id, opts[idx].name, optarg) != 0)
			return 2;
	}
	if (optind < argc)
		return fail_usage("unexpected argument '%s'%s", argv[optind], "");
	return 0;
}

/* ---- --describe ----
 * Keys, one per line, for scripts (the benchmark computes each profile's
 * floor from them). Times are integers in the unit their name says.
 *   profile            --device name, or "none"
 *   transport          udp, shell, uart, ble, recovery ("any" without profile)
 *   buf_size           CONFIG_MCUMGR_TRANSPORT_NETBUF_SIZE, bytes
 *   buf_count          CONFIG_MCUMGR_TRANSPORT_NETBUF_COUNT (shared pool)
 *   workers            requests processed at once (always 1: one work queue)
 *   request_us         fixed service time of every request
 *   write_ns_per_byte  flash write time per byte of image or file data
 *   erase_us_per_sector  flash erase time per sector
 *   sector_size        flash sector (erase unit), bytes
 *   erase_progressive  1: sectors erased as the upload reaches them
 *                      (CONFIG_IMG_ERASE_PROGRESSIVELY); 0: all the image's
 *                      sectors when the upload starts
 * then each frontend's own (front_udp.c, front_pty.c, front_att.c):
 *   udp_mtu            datagram bytes the device reads
 *   serial_mode        uart, shell, raw or recovery
 *   baud               0: bytes back to back (USB CDC-ACM, pty); else the
 *                      line's pace, 10 bits a byte
 *   poll_ms            shell: UART polled every N ms (0: on every byte)
 *   frame_bufs         shell frames / UART lines buffered before decoding
 *   frame_size         bytes of one such buffer
 *   att_mtu            ATT MTU the device offers
 */
int sim_cli_describe(const struct sim_cli *c, char *buf, size_t len)
{
	const struct sim_config *cfg = &c->cfg;
	int n, total;

	n = snprintf(buf, len,
		     "profile=%s\ntransport=%s\nbuf_size=%u\nbuf_count=%u\nworkers=1\n"
		     "request_us=%u\nwrite_ns_per_byte=%u\nerase_us_per_sector=%u\n"
		     "sector_size=%u\nerase_progressive=%d\n",
		     c->profile ? c->profile->name : "none",
		     c->profile ? c->profile->transport : "any", cfg->buf_size, cfg->buf_count,
		     cfg->request_us, cfg->write_ns_per_byte, cfg->erase_us_per_sector,
		     cfg->sector_size, cfg->erase_progressive ? 1 : 0);
	if (n < 0)
		return n;
	total = n;
	for (size_t f = 0; f < c->n_frontends; f++) {
		if (!c->frontends[f]->params)
			continue;
		n = c->frontends[f]->params(c->ctx[f], (size_t)total < len ? buf + total : NULL,
					    (size_t)total < len ? len - (size_t)total : 0);
		if (n < 0)
			return n;
		total += n;
	}
	return total;
}
