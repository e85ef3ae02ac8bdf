/* smpctl upgrade FILE: the whole firmware update, step by step, stopping
 * at the first failure with the step named and the device's state said. */
#include <getopt.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "cli/hex.h"
#include "cli/opts.h"
#include "cli/upload.h"
#include "smp/clock.h"
#include "smp/grp_img.h"
#include "smp/grp_os.h"

struct upgrade {
	struct cli_ctx *ctx;
	struct cli_image ci;
	struct cli_upload_opts up;
	const char *key;
	bool test_only, dry_run;
	int wait_ms;
	unsigned image;
	json_t *steps;		/* --json report */
	int step, nsteps;
};

struct upgrade_step {
	const char *name;
	int (*run)(struct upgrade *u, char *detail, size_t cap);
};

static void report(struct upgrade *u, const char *name, const char *status, const char *detail)
{
	struct cli_ctx *ctx = u->ctx;

	if (ctx->opts.json) {
		json_array_append_new(u->steps, json_pack("{s:s,s:s,s:s}", "step", name, "status",
							  status, "detail", detail));
		return;
	}
	fprintf(ctx->out, "[%d/%d] %-8s %s%s%s\n", u->step, u->nsteps, name, status,
		detail[0] ? ": " : "", detail);
	fflush(ctx->out);
}

/* The state entry for our image, or NULL. */
static const struct img_slot_state *ours(const struct upgrade *u, const struct img_state *st)
{
	const struct img_slot_state *s = img_state_find(st, u->ci.img.hash_stored,
							u->ci.img.hash_len);

	return s && s->image == u->image ? s : NULL;
}

static int step_verify(struct upgrade *u, char *detail, size_t cap)
{
	char ver[32], hash[2 * MCUBOOT_HASH_MAX + 1];

	mcuboot_version_format(&u->ci.img.version, ver, sizeof(ver));
	hex_encode(u->ci.img.hash_stored, u->ci.img.hash_len, hash);
	snprintf(detail, cap, "version %s, %zu bytes, %s, hash %.16s...", ver, u->ci.file.len,
		 mcuboot_verdict_name(&u->ci.verdict), hash);
	return EXIT_OK;
}

static int step_upload(struct upgrade *u, char *detail, size_t cap)
{
	struct cli_upload_report rep;
	int rc = cli_upload(u->ctx, &u->ci, &u->up, &rep);

	if (rc != EXIT_OK)
		return rc;
	if (rep.skipped)
		snprintf(detail, cap, "skipped: %s", rep.skip_reason);
	else
		snprintf(detail, cap, "%zu bytes in %.1f s%s", u->ci.file.len, rep.seconds,
			 rep.result.resumed_from ? " (resumed)" : "");
	return EXIT_OK;
}

static int step_check(struct upgrade *u, char *detail, size_t cap)
{
	const struct img_slot_state *s;
	struct img_state st;
	int rc = cli_get_image_state(u->ctx, &st);

	if (rc != EXIT_OK)
		return rc;
	s = ours(u, &st);
	if (!s)
		rc = cli_fail(u->ctx, EXIT_DEVICE,
			      "upgrade: the device does not list the uploaded image (hash mismatch?)");
	else
		snprintf(detail, cap, "image %u slot %u holds version %s", s->image, s->slot,
			 s->version);
	img_state_free(&st);
	return rc;
}

static int state_write(struct upgrade *u, const char *what, bool confirm)
{
	cbor_item_t *req = img_state_write_req(u->ci.img.hash_stored, u->ci.img.hash_len, confirm);
	cbor_item_t *rsp = NULL;
	int rc;

	if (!req)
		return cli_fail(u->ctx, EXIT_LOCAL, "out of memory");
	rc = cli_request(u->ctx, what, SMP_OP_WRITE, SMP_GROUP_IMAGE, IMG_STATE, req, &rsp);
	cbor_decref(&req);
	if (rsp)
		cbor_decref(&rsp);
	return rc;
}

static int step_test(struct upgrade *u, char *detail, size_t cap)
{
	struct img_state st;
	const struct img_slot_state *s;
	int rc = cli_get_image_state(u->ctx, &st);

	if (rc != EXIT_OK)
		return rc;
	s = ours(u, &st);
	if (s && s->active) {
		snprintf(detail, cap, "already running");
		img_state_free(&st);
		return EXIT_OK;
	}
	img_state_free(&st);
	rc = state_write(u, "upgrade: mark for test", false);
	if (rc == EXIT_OK)
		snprintf(detail, cap, "MCUboot boots it once at the next reset");
	return rc;
}

static int step_reset(struct upgrade *u, char *detail, size_t cap)
{
	cbor_item_t *req = os_reset_req(false, -1), *rsp = NULL;
	int rc;

	if (!req)
		return cli_fail(u->ctx, EXIT_LOCAL, "out of memory");
	rc = cli_request(u->ctx, "upgrade: reset", SMP_OP_WRITE, SMP_GROUP_OS, OS_RESET, req, &rsp);
	cbor_decref(&req);
	if (rsp)
		cbor_decref(&rsp);
	return rc;
}

static void nap(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* One quiet look at the image state: false when the device does not
 * answer (yet). */
static bool poll_state(struct upgrade *u, struct img_state *st)
{
	struct smp_request req = { .op = SMP_OP_READ, .group = SMP_GROUP_IMAGE, .id = IMG_STATE,
				   .timeout_ms = 500, .retries = -1 };
	struct smp_response rsp;
	const char *why;
	bool ok = false;

	smp_cancel_all(&u->ctx->engine);
	if (smp_call(&u->ctx->engine, &req, &rsp) == SMP_OK)
		ok = img_state_rsp(rsp.body, st, &why) == 0;
	else if (rsp.result == SMP_E_TRANSPORT && u->ctx->transport.ops->reconnect)
		u->ctx->transport.ops->reconnect(u->ctx->transport.ctx, 1000);
	smp_response_clear(&rsp);
	return ok;
}

/* Polls until the device is back from the reset: while our image is still
 * pending, the reset has not happened yet. */
static int step_wait(struct upgrade *u, char *detail, size_t cap)
{
	int64_t start = smp_clock_ms(), deadline = start + u->wait_ms;
	const struct img_slot_state *s;
	struct img_state st;
	bool silent = false;

	while (smp_clock_ms() < deadline) {
		if (!poll_state(u, &st)) {
			silent = true;
			continue;
		}
		s = ours(u, &st);
		if (!s || !s->pending || s->active) {
			img_state_free(&st);
			snprintf(detail, cap, "answered after %.1f s%s",
				 (double)(smp_clock_ms() - start) / 1000.0,
				 silent ? "" : " (never went quiet)");
			return EXIT_OK;
		}
		img_state_free(&st);
		nap(100);
	}
	return cli_fail(u->ctx, EXIT_TRANSPORT,
			"upgrade: the device did not come back within %d s after the reset; "
			"the new image is marked for test", u->wait_ms / 1000);
}

static int step_active(struct upgrade *u, char *detail, size_t cap)
{
	const struct img_slot_state *s;
	struct img_state st;
	int rc = cli_get_image_state(u->ctx, &st);

	if (rc != EXIT_OK)
		return rc;
	s = ours(u, &st);
	if (!s || !s->active)
		rc = cli_fail(u->ctx, EXIT_DEVICE,
			      "upgrade: the device came back running its old image: MCUboot did "
			      "not boot the new one (signed with a key the bootloader does not "
			      "accept?)");
	else
		snprintf(detail, cap, "running version %s from slot %u%s", s->version, s->slot,
			 s->confirmed ? ", confirmed" : "");
	img_state_free(&st);
	return rc;
}

static int step_confirm(struct upgrade *u, char *detail, size_t cap)
{
	const struct img_slot_state *s;
	struct img_state st;
	int rc;

	if (u->test_only) {
		snprintf(detail, cap, "skipped (--test-only): MCUboot reverts at the next reset");
		return EXIT_OK;
	}
	rc = state_write(u, "upgrade: confirm", true);
	if (rc != EXIT_OK) {
		cli_fail(u->ctx, rc, "upgrade: the new image runs but is not confirmed: "
			 "MCUboot reverts it at the next reset");
		return rc;
	}
	rc = cli_get_image_state(u->ctx, &st);
	if (rc != EXIT_OK)
		return rc;
	s = ours(u, &st);
	if (!s || !s->confirmed)
		rc = cli_fail(u->ctx, EXIT_DEVICE, "upgrade: the device did not record the confirm");
	else
		snprintf(detail, cap, "the new image stays");
	img_state_free(&st);
	return rc;
}

static const struct upgrade_step upgrade_steps[] = {
	{ "verify", step_verify },
	{ "upload", step_upload },
	{ "check", step_check },
	{ "test", step_test },
	{ "reset", step_reset },
	{ "wait", step_wait },
	{ "active", step_active },
	{ "confirm", step_confirm },
};

#define NSTEPS (int)(sizeof(upgrade_steps) / sizeof(upgrade_steps[0]))

static int parse(struct upgrade *u, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "image", required_argument, NULL, 'i' },
		{ "key", required_argument, NULL, 'k' },
		{ "test-only", no_argument, NULL, 'T' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "force", no_argument, NULL, 'f' },
		{ "wait", required_argument, NULL, 'W' },
		{ "upgrade", no_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	static const char usage[] = "usage: smpctl upgrade FILE [--image N] [--key PUB.pem] "
				    "[--test-only] [--dry-run] [--force] [--wait SECONDS]";
	unsigned long v;
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "i:k:Tnf", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (cli_parse_uint(optarg, 15, &v))
				return cli_fail(u->ctx, EXIT_USAGE, "bad --image '%s'", optarg);
			u->up.image = (int)v;
			u->image = (unsigned)v;
			break;
		case 'k':
			u->key = optarg;
			break;
		case 'T':
			u->test_only = true;
			break;
		case 'n':
			u->dry_run = true;
			break;
		case 'f':
			u->up.force = true;
			break;
		case 'u':
			u->up.upgrade = true;
			break;
		case 'W':
			if (cli_parse_uint(optarg, 3600, &v) || v == 0)
				return cli_fail(u->ctx, EXIT_USAGE, "bad --wait '%s'", optarg);
			u->wait_ms = (int)v * 1000;
			break;
		default:
			return cli_fail(u->ctx, EXIT_USAGE, "%s", usage);
		}
	}
	if (optind != argc - 1)
		return cli_fail(u->ctx, EXIT_USAGE, "%s", usage);
	return EXIT_OK;
}

static int dry_run(struct upgrade *u)
{
	int i;

	for (i = 1; i < NSTEPS; i++) {
		u->step = i + 1;
		report(u, upgrade_steps[i].name, "would run",
		       i == NSTEPS - 1 && u->test_only ? "(skipped: --test-only)" : "");
	}
	return EXIT_OK;
}

int cmd_upgrade(struct cli_ctx *ctx, int argc, char **argv)
{
	struct upgrade u = { .ctx = ctx, .up = { .image = -1 }, .wait_ms = 60000 };
	char detail[256];
	int rc, i;

	rc = parse(&u, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	u.nsteps = NSTEPS;
	u.steps = json_array();
	rc = cli_image_load(ctx, argv[argc - 1], u.key, &u.ci);
	if (rc != EXIT_OK) {
		json_decref(u.steps);
		return rc;
	}
	for (i = 0; i < NSTEPS && rc == EXIT_OK; i++) {
		u.step = i + 1;
		detail[0] = 0;
		rc = upgrade_steps[i].run(&u, detail, sizeof(detail));
		report(&u, upgrade_steps[i].name, rc == EXIT_OK ? "ok" : "FAILED", detail);
		if (i == 0 && u.dry_run) {
			rc = dry_run(&u);
			break;
		}
	}
	if (ctx->opts.json)
		cli_print_json(ctx, json_pack("{s:s,s:b,s:b,s:o}", "file", u.ci.path, "ok",
					      rc == EXIT_OK, "dry_run", u.dry_run, "steps", u.steps));
	else
		json_decref(u.steps);
	cli_image_free(&u.ci);
	return rc;
}
