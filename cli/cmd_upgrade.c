/* smpctl upgrade FILE: the whole firmware update, step by step, stopping
 * at the first failure with the step named and the device's state said.
 * FILE is one image, or an nRF Connect SDK bundle holding one image per
 * core; a network core image is confirmed (it cannot be tested) and
 * marked before the application core's. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "cli/fleet.h"
#include "smp/hex.h"
#include "cli/nrf_zip.h"
#include "cli/opts.h"
#include "cli/upload.h"
#include "smp/clock.h"
#include "smp/grp_img.h"
#include "smp/grp_os.h"

struct upgrade_image {
	struct cli_image ci;
	unsigned index;		/* image number on the device */
	bool loaded;
};

struct upgrade {
	struct cli_ctx *ctx;
	const char *path;
	struct upgrade_image imgs[NRF_ZIP_MAX_IMAGES];
	size_t n;		/* in the order they are uploaded and marked */
	struct cli_upload_opts up;
	int image_opt;		/* --image, or -1 */
	const char *key;
	bool test_only, dry_run;
	bool recovery;		/* the device is MCUboot's serial recovery */
	int wait_ms;
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

/* Appends to detail, "; " between parts. */
static void add_detail(char *detail, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_detail(char *detail, size_t cap, const char *fmt, ...)
{
	size_t n = strlen(detail);
	va_list ap;

	if (n && n + 2 < cap) {
		strcpy(detail + n, "; ");
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(detail + n, cap - n, fmt, ap);
	va_end(ap);
}

/* The state entry holding im, or NULL. */
static const struct img_slot_state *find(const struct upgrade_image *im,
					 const struct img_state *st)
{
	const struct img_slot_state *s = img_state_find(st, im->ci.img.hash_stored,
							im->ci.img.hash_len);

	return s && s->image == im->index ? s : NULL;
}

/* The network core cannot run an image on trial: it is confirmed. */
static bool confirm_only(const struct upgrade *u, const struct upgrade_image *im)
{
	return u->n > 1 && im->index != 0;
}

static int step_verify(struct upgrade *u, char *detail, size_t cap)
{
	char ver[32], hash[2 * MCUBOOT_HASH_MAX + 1];
	size_t i;

	for (i = 0; i < u->n; i++) {
		const struct cli_image *ci = &u->imgs[i].ci;

		mcuboot_version_format(&ci->img.version, ver, sizeof(ver));
		hex_encode(ci->img.hash_stored, ci->img.hash_len, hash);
		add_detail(detail, cap, "%simage %u version %s, %zu bytes, %s, hash %.16s...",
			   u->n > 1 ? "" : "", u->imgs[i].index, ver, ci->file.len,
			   mcuboot_verdict_name(&ci->verdict), hash);
	}
	return EXIT_OK;
}

/* An application always runs an active image: a device that lists none
 * is a bootloader, MCUboot's serial recovery, which writes uploads straight
 * into the primary slot and has no test or confirm. */
static bool has_active(const struct img_state *st)
{
	size_t i;

	for (i = 0; i < st->count; i++)
		if (st->slots[i].active)
			return true;
	return false;
}

static int detect_recovery(struct upgrade *u, char *detail, size_t cap)
{
	struct img_state st;
	int rc = cli_get_image_state(u->ctx, &st);

	if (rc != EXIT_OK)
		return rc;
	u->recovery = !has_active(&st);
	img_state_free(&st);
	if (u->recovery)
		add_detail(detail, cap, "device is in MCUboot serial recovery: images go "
			   "straight to the primary slot");
	return EXIT_OK;
}

static int step_upload(struct upgrade *u, char *detail, size_t cap)
{
	struct cli_upload_report rep;
	struct cli_upload_opts o = u->up;
	size_t i;
	int rc = detect_recovery(u, detail, cap);

	for (i = 0; rc == EXIT_OK && i < u->n; i++) {
		/* The image number goes in the request whenever it is not 0. */
		o.image = u->imgs[i].index || u->image_opt >= 0 ? (int)u->imgs[i].index : -1;
		rc = cli_upload(u->ctx, &u->imgs[i].ci, &o, &rep);
		if (rc != EXIT_OK)
			return rc;
		if (rep.skipped)
			add_detail(detail, cap, "image %u skipped: %s", u->imgs[i].index,
				   rep.skip_reason);
		else
			add_detail(detail, cap, "image %u: %zu bytes in %.1f s%s", u->imgs[i].index,
				   u->imgs[i].ci.file.len, rep.seconds,
				   rep.result.resumed_from ? " (resumed)" : "");
	}
	return EXIT_OK;
}

static int step_check(struct upgrade *u, char *detail, size_t cap)
{
	const struct img_slot_state *s;
	struct img_state st;
	size_t i;
	int rc = cli_get_image_state(u->ctx, &st);

	for (i = 0; rc == EXIT_OK && i < u->n; i++) {
		s = find(&u->imgs[i], &st);
		if (!s)
			rc = cli_fail(u->ctx, EXIT_DEVICE, "upgrade: the device does not list image "
				      "%u after the upload (hash mismatch?)", u->imgs[i].index);
		else
			add_detail(detail, cap, "image %u slot %u holds version %s", s->image,
				   s->slot, s->version);
	}
	img_state_free(&st);
	return rc;
}

static int state_write(struct upgrade *u, const struct upgrade_image *im, const char *what,
		       bool confirm)
{
	cbor_item_t *req = img_state_write_req(im->ci.img.hash_stored, im->ci.img.hash_len,
					       confirm);
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

/* Marks each image to boot at the next reset; nothing to do for one the
 * device already runs. */
static int step_test(struct upgrade *u, char *detail, size_t cap)
{
	const struct img_slot_state *s;
	struct img_state st;
	size_t i;
	int rc;

	if (u->recovery) {
		snprintf(detail, cap, "skipped: the bootloader boots the primary slot as it is");
		return EXIT_OK;
	}
	rc = cli_get_image_state(u->ctx, &st);
	for (i = 0; rc == EXIT_OK && i < u->n; i++) {
		const struct upgrade_image *im = &u->imgs[i];

		s = find(im, &st);
		if (s && s->active) {
			add_detail(detail, cap, "image %u already running", im->index);
			continue;
		}
		rc = state_write(u, im, "upgrade: mark for test", confirm_only(u, im));
		if (rc == EXIT_OK)
			add_detail(detail, cap, confirm_only(u, im)
				   ? "image %u marked permanent (a network core image cannot be tested)"
				   : "image %u boots once at the next reset", im->index);
	}
	img_state_free(&st);
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

/* True while the reset has not happened: one of our images still waits. */
static bool still_pending(const struct upgrade *u, const struct img_state *st)
{
	const struct img_slot_state *s;
	size_t i;

	for (i = 0; i < u->n; i++) {
		s = find(&u->imgs[i], st);
		if (s && s->pending && !s->active)
			return true;
	}
	return false;
}

/* Polls until the device is back from the reset. */
static int step_wait(struct upgrade *u, char *detail, size_t cap)
{
	int64_t start = smp_clock_ms(), deadline = start + u->wait_ms;
	struct img_state st;
	bool silent = false, pending;

	while (smp_clock_ms() < deadline) {
		if (!poll_state(u, &st)) {
			silent = true;
			continue;
		}
		/* Out of recovery, the application answers with an active image. */
		pending = u->recovery ? !has_active(&st) : still_pending(u, &st);
		img_state_free(&st);
		if (!pending) {
			snprintf(detail, cap, "answered after %.1f s%s",
				 (double)(smp_clock_ms() - start) / 1000.0,
				 silent ? "" : " (never went quiet)");
			return EXIT_OK;
		}
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
	size_t i;
	int rc = cli_get_image_state(u->ctx, &st);

	for (i = 0; rc == EXIT_OK && i < u->n; i++) {
		s = find(&u->imgs[i], &st);
		if (!s || !s->active)
			rc = cli_fail(u->ctx, EXIT_DEVICE,
				      "upgrade: image %u came back running its old firmware: MCUboot "
				      "did not boot the new one (signed with a key the bootloader "
				      "does not accept?)", u->imgs[i].index);
		else
			add_detail(detail, cap, "image %u runs version %s from slot %u%s",
				   s->image, s->version, s->slot, s->confirmed ? ", confirmed" : "");
	}
	img_state_free(&st);
	return rc;
}

/* Confirms each image that is not confirmed yet (a permanent one, or one
 * booted without a swap, already is). */
static int confirm_all(struct upgrade *u)
{
	const struct img_slot_state *s;
	struct img_state st;
	size_t i;
	int rc = cli_get_image_state(u->ctx, &st);

	for (i = 0; rc == EXIT_OK && i < u->n; i++) {
		s = find(&u->imgs[i], &st);
		if (confirm_only(u, &u->imgs[i]) || (s && s->confirmed))
			continue;
		rc = state_write(u, &u->imgs[i], "upgrade: confirm", true);
		if (rc != EXIT_OK)
			cli_fail(u->ctx, rc, "upgrade: the new image runs but is not confirmed: "
				 "MCUboot reverts it at the next reset");
	}
	img_state_free(&st);
	return rc;
}

static int check_confirmed(struct upgrade *u)
{
	const struct img_slot_state *s;
	struct img_state st;
	size_t i;
	int rc = cli_get_image_state(u->ctx, &st);

	for (i = 0; rc == EXIT_OK && i < u->n; i++) {
		s = find(&u->imgs[i], &st);
		if (!s || !s->confirmed)
			rc = cli_fail(u->ctx, EXIT_DEVICE,
				      "upgrade: the device did not record the confirm of image %u",
				      u->imgs[i].index);
	}
	img_state_free(&st);
	return rc;
}

static int step_confirm(struct upgrade *u, char *detail, size_t cap)
{
	int rc;

	if (u->test_only) {
		snprintf(detail, cap, "skipped (--test-only): MCUboot reverts at the next reset");
		return EXIT_OK;
	}
	rc = confirm_all(u);
	if (rc == EXIT_OK)
		rc = check_confirmed(u);
	if (rc == EXIT_OK)
		snprintf(detail, cap, "the new firmware stays");
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
	static const char usage[] = "usage: smpctl upgrade FILE|BUNDLE.zip [--image N] "
				    "[--key PUB.pem] [--test-only] [--dry-run] [--force] "
				    "[--wait SECONDS]";
	unsigned long v;
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "i:k:Tnf", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (cli_parse_uint(optarg, 15, &v))
				return cli_fail(u->ctx, EXIT_USAGE, "bad --image '%s'", optarg);
			u->image_opt = (int)v;
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
	u->path = argv[argc - 1];
	return EXIT_OK;
}

/* A bundle gives one image per core, the network core first. */
static int load_bundle(struct upgrade *u)
{
	struct nrf_zip_bundle b;
	struct mcuboot_err err;
	size_t i, k;
	int rc = EXIT_OK;

	if (nrf_zip_load_file(u->path, &b, &err) != 0)
		return cli_fail(u->ctx, err.kind == MCUBOOT_ERR_IO ? EXIT_LOCAL : EXIT_IMAGE,
				"%s: %s", u->path, err.msg);
	for (k = 0; k < 2 && rc == EXIT_OK; k++)
		for (i = 0; i < b.nimages && rc == EXIT_OK; i++) {
			const struct nrf_zip_image *zi = &b.images[i];
			struct upgrade_image *im = &u->imgs[u->n];

			if ((k == 0) != (zi->image_index != 0))
				continue;
			if (u->image_opt >= 0 && zi->image_index != u->image_opt)
				continue;
			rc = cli_image_from_buffer(u->ctx, zi->file, zi->data, zi->len, u->key,
						   &im->ci);
			if (rc == EXIT_OK) {
				im->index = (unsigned)zi->image_index;
				im->loaded = true;
				u->n++;
			}
		}
	nrf_zip_free(&b);
	if (rc == EXIT_OK && u->n == 0)
		rc = cli_fail(u->ctx, EXIT_USAGE, "%s: the bundle has no image %d", u->path,
			      u->image_opt);
	return rc;
}

static int load(struct upgrade *u)
{
	uint8_t head[4];
	FILE *f = fopen(u->path, "rb");
	bool zip = f && fread(head, 1, sizeof(head), f) == sizeof(head) &&
		   nrf_zip_detect(head, sizeof(head));
	int rc;

	if (f)
		fclose(f);
	if (zip)
		return load_bundle(u);
	rc = cli_image_load(u->ctx, u->path, u->key, &u->imgs[0].ci);
	if (rc == EXIT_OK) {
		u->imgs[0].index = u->image_opt < 0 ? 0 : (unsigned)u->image_opt;
		u->imgs[0].loaded = true;
		u->n = 1;
	}
	return rc;
}

static void dry_run(struct upgrade *u)
{
	int i;

	for (i = 1; i < NSTEPS; i++) {
		u->step = i + 1;
		report(u, upgrade_steps[i].name, "would run",
		       i == NSTEPS - 1 && u->test_only ? "(skipped: --test-only)" : "");
	}
}

int cmd_upgrade(struct cli_ctx *ctx, int argc, char **argv)
{
	struct upgrade u = { .ctx = ctx, .up = { .image = -1 }, .image_opt = -1,
			     .wait_ms = 60000, .nsteps = NSTEPS };
	char detail[512];
	size_t k;
	int rc, i;

	if (fleet_wanted(argc, argv))
		return fleet_upgrade(ctx, argc, argv);
	rc = parse(&u, argc, argv);
	if (rc == EXIT_OK)
		rc = load(&u);
	if (rc != EXIT_OK)
		goto out;
	u.steps = json_array();
	for (i = 0; i < NSTEPS && rc == EXIT_OK; i++) {
		u.step = i + 1;
		detail[0] = 0;
		rc = upgrade_steps[i].run(&u, detail, sizeof(detail));
		report(&u, upgrade_steps[i].name, rc == EXIT_OK ? "ok" : "FAILED", detail);
		if (i == 0 && u.dry_run) {
			dry_run(&u);
			break;
		}
	}
	if (ctx->opts.json)
		cli_print_json(ctx, json_pack("{s:s,s:b,s:b,s:o}", "file", u.path, "ok",
					      rc == EXIT_OK, "dry_run", u.dry_run, "steps", u.steps));
	else
		json_decref(u.steps);
out:
	for (k = 0; k < u.n; k++)
		cli_image_free(&u.imgs[k].ci);
	return rc;
}
