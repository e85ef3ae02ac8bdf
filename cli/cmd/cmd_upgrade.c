/* smpctl upgrade FILE: the whole firmware update, step by step, stopping
 * at the first failure with the step named and the device's state said.
 * FILE is one image, or an nRF Connect SDK bundle holding one image per
 * core; a network core image is confirmed (it cannot be tested) and
 * marked before the application core's. Which steps run is chosen from
 * the device's state (cli/cmd/upgrade_plan.c): a re-run picks up where the
 * last one stopped, and an image that already runs is never reset. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cmd/commands.h"
#include "cli/fleet/fleet.h"
#include "cli/opts.h"
#include "cli/cmd/upgrade.h"
#include "cli/parse_options.h"
#include "smp/clock.h"
#include "smp/grp_os.h"
#include "smp/hex.h"

struct upgrade_step {
	const char *name;
	int (*run)(struct upgrade *u, char *detail, size_t cap);
	unsigned bit;	     /* enum upgrade_step_bit; 0: always runs */
	const char *skipped; /* why, when the path leaves it out */
};

/* A step's start ("running") and outcome as JSON progress lines: what a
 * script and the factory line's parent follow while the upgrade runs. */
static void step_event(const struct upgrade *u, const char *name, const char *status)
{
	cli_progress_event(u->ctx, json_pack("{s:s,s:s,s:s}", "progress", "step", "step", name,
					     "status", status));
}

static void report(struct upgrade *u, const char *name, const char *status, const char *detail)
{
	struct cli_ctx *ctx = u->ctx;

	step_event(u, name, status);
	if (ctx->opts.json) {
		json_array_append_new(u->steps, json_pack("{s:s,s:s,s:s}", "step", name, "status",
							  status, "detail", detail));
		return;
	}
	fprintf(ctx->out, "[%d/%d] %-8s %s%s", u->step, u->nsteps, name, status,
		detail[0] ? ": " : "");
	text_safe_puts(ctx->out, detail, TEXT_SAFE_LINE); /* may quote the device */
	fputc('\n', ctx->out);
	fflush(ctx->out);
}

/* Zephyr confirms an image other than 0 only while it is in its
 * secondary slot (CONFIG_MCUMGR_GRP_IMG_ALLOW_CONFIRM_NON_ACTIVE_IMAGE_
 * SECONDARY; the network core cannot run one on trial either): such an
 * image is marked permanent, never tested. */
static bool confirm_only(const struct upgrade *u, const struct upgrade_image *im)
{
	return im->index != 0;
}

static int step_verify(struct upgrade *u, char *detail, size_t cap)
{
	char ver[32], hash[2 * SMP_MCUBOOT_HASH_MAX + 1];
	size_t i;

	for (i = 0; i < u->n; i++) {
		const struct cli_image *ci = &u->imgs[i].ci;

		mcuboot_version_format(&ci->img.version, ver, sizeof(ver));
		smp_hex_encode(ci->img.hash_stored, ci->img.hash_len, hash);
		upgrade_detail(detail, cap, "image %u version %s, %zu bytes, %s, hash %.16s...",
			       u->imgs[i].index, ver, ci->file.len,
			       mcuboot_verdict_name(&ci->verdict), hash);
	}
	return EXIT_OK;
}

static int step_state(struct upgrade *u, char *detail, size_t cap)
{
	return upgrade_plan(u, detail, cap);
}

static int step_upload(struct upgrade *u, char *detail, size_t cap)
{
	struct cli_upload_report rep;
	struct cli_upload_opts o = u->up;
	size_t i;
	int rc;

	for (i = 0; i < u->n; i++) {
		const struct upgrade_image *im = &u->imgs[i];

		if (im->where != WHERE_ABSENT) {
			upgrade_detail(detail, cap, "image %u already on the device", im->index);
			continue;
		}
		/* The image number goes in the request whenever it is not 0. */
		o.image = im->index || u->image_opt >= 0 ? (int)im->index : -1;
		rc = cli_upload(u->ctx, &im->ci, &o, &rep);
		if (rc != EXIT_OK)
			return rc;
		if (rep.skipped)
			upgrade_detail(detail, cap, "image %u skipped: %s", im->index,
				       rep.skip_reason);
		else
			upgrade_detail(detail, cap, "image %u: %zu bytes in %.1f s%s", im->index,
				       im->ci.file.len, rep.seconds,
				       rep.result.resumed_from ? " (resumed)" : "");
	}
	return EXIT_OK;
}

static int step_check(struct upgrade *u, char *detail, size_t cap)
{
	const struct smp_img_slot_state *s;
	struct smp_img_state st;
	size_t i;
	int rc = cli_get_image_state(u->ctx, &st);

	if (rc == EXIT_OK)
		upgrade_running(&st, u->imgs[0].index, u->version_after, sizeof(u->version_after));
	for (i = 0; rc == EXIT_OK && i < u->n; i++) {
		s = upgrade_find(&u->imgs[i], &st);
		if (!s)
			rc = cli_fail(u->ctx, EXIT_DEVICE,
				      "upgrade: the device does not list image "
				      "%u after the upload: it holds an image with another hash",
				      u->imgs[i].index);
		else
			upgrade_detail(detail, cap, "image %u slot %u holds version %s", s->image,
				       s->slot, s->version);
	}
	return rc;
}

static int state_write(struct upgrade *u, const struct upgrade_image *im, const char *what,
		       bool confirm)
{
	uint8_t req[SMP_IMG_STATE_REQ_MAX];
	struct smp_cbor_writer w;
	struct smp_response rsp;

	smp_cbor_writer_init(&w, req, sizeof(req));
	if (smp_img_state_write_req(&w, im->ci.img.hash_stored, im->ci.img.hash_len, confirm) != 0)
		return cli_fail(u->ctx, EXIT_LOCAL, "%s: the request does not fit", what);
	return cli_request(u->ctx, what, SMP_OP_WRITE, SMP_GROUP_IMAGE, SMP_IMG_STATE, req, w.len,
			   &rsp);
}

/* Marks each image to boot at the next reset. One that runs on trial
 * already is confirmed first: the reset would revert it. */
static int step_test(struct upgrade *u, char *detail, size_t cap)
{
	size_t i;
	int rc = EXIT_OK;

	for (i = 0; rc == EXIT_OK && i < u->n; i++) {
		const struct upgrade_image *im = &u->imgs[i];

		switch (im->where) {
		case WHERE_RUNNING:
			upgrade_detail(detail, cap, "image %u already running", im->index);
			continue;
		case WHERE_PENDING:
			upgrade_detail(detail, cap, "image %u already marked", im->index);
			continue;
		case WHERE_TRIAL:
			if (u->test_only) {
				upgrade_detail(detail, cap,
					       "image %u runs on trial and reverts at "
					       "this reset (--test-only)",
					       im->index);
				continue;
			}
			rc = state_write(u, im, "upgrade: confirm", true);
			if (rc == EXIT_OK)
				upgrade_detail(detail, cap,
					       "image %u ran on trial: confirmed before "
					       "the reset",
					       im->index);
			continue;
		default:
			break;
		}
		rc = state_write(u, im, "upgrade: mark for test", confirm_only(u, im));
		if (rc == EXIT_OK)
			upgrade_detail(
				detail, cap,
				confirm_only(u, im)
					? "image %u marked permanent (an image other than 0 cannot be "
					  "tested)"
					: "image %u boots once at the next reset",
				im->index);
	}
	return rc;
}

/* Whether st shows one of our images marked for the next boot. */
static bool any_pending(const struct upgrade *u, const struct smp_img_state *st)
{
	const struct smp_img_slot_state *s;
	size_t i;

	for (i = 0; i < u->n; i++) {
		s = upgrade_find(&u->imgs[i], st);
		if (s && s->pending && !s->active)
			return true;
	}
	return false;
}

/* Resets only with something to boot: the state just before is what the
 * wait compares against. */
static int step_reset(struct upgrade *u, char *detail, size_t cap)
{
	uint8_t req[16];
	struct smp_cbor_writer w;
	struct smp_response rsp;
	int rc = cli_get_image_state(u->ctx, &u->before);

	if (rc != EXIT_OK)
		return rc;
	if (!u->recovery && !any_pending(u, &u->before))
		return cli_fail(u->ctx, EXIT_DEVICE,
				"upgrade: the device does not list the new "
				"image as marked for the next boot; not resetting");
	smp_cbor_writer_init(&w, req, sizeof(req));
	if (smp_os_reset_req(&w, false, -1) != 0)
		return cli_fail(u->ctx, EXIT_LOCAL, "upgrade: reset: the request does not fit");
	return cli_request(u->ctx, "upgrade: reset", SMP_OP_WRITE, SMP_GROUP_OS, SMP_OS_RESET, req,
			   w.len, &rsp);
}

static void nap(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* One quiet look at the image state: false when the device does not
 * answer (yet). */
static bool poll_state(struct upgrade *u, struct smp_img_state *st)
{
	struct smp_request req = { .op = SMP_OP_READ,
				   .group = SMP_GROUP_IMAGE,
				   .id = SMP_IMG_STATE,
				   .timeout_ms = 500,
				   .retries = -1 };
	struct smp_response rsp;
	const char *why;
	bool ok = false;

	smp_cancel_all(&u->ctx->engine);
	if (smp_call(&u->ctx->engine, &req, &rsp) == SMP_OK)
		ok = smp_img_state_rsp(&rsp.body, st, &why) == 0;
	else if (rsp.result == SMP_E_TRANSPORT && u->ctx->transport.ops->reconnect)
		u->ctx->transport.ops->reconnect(u->ctx->transport.ctx, 1000);
	smp_response_clear(&rsp);
	return ok;
}

/* Whether st can only be the device's after a boot: an image of ours that
 * was marked before the reset now runs or is no longer marked (MCUboot
 * booted, refused or erased it), or the device left serial recovery. An
 * answer that went quiet proves nothing alone: a lost packet looks the
 * same. */
static bool shows_boot(const struct upgrade *u, const struct smp_img_state *st)
{
	const struct smp_img_slot_state *b, *s;
	size_t i;

	if (u->recovery)
		return upgrade_has_active(st);
	for (i = 0; i < u->n; i++) {
		b = upgrade_find(&u->imgs[i], &u->before);
		s = upgrade_find(&u->imgs[i], st);
		if (b && b->pending && !b->active && (!s || !s->pending || s->active))
			return true;
	}
	return false;
}

/* Polls until the device answers with its state from after the reboot. */
static int step_wait(struct upgrade *u, char *detail, size_t cap)
{
	int64_t start = smp_clock_ms(), deadline = start + u->wait_ms, quiet_at = 0;
	struct smp_img_state st;
	bool booted;

	while (smp_clock_ms() < deadline) {
		if (!poll_state(u, &st)) {
			if (!quiet_at)
				quiet_at = smp_clock_ms();
			continue;
		}
		booted = shows_boot(u, &st);
		if (booted) {
			snprintf(detail, cap, "back after %.1f s, %s",
				 (double)(smp_clock_ms() - start) / 1000.0,
				 quiet_at ? "rebooted (it went quiet)"
					  : "its state shows the reboot");
			return EXIT_OK;
		}
		nap(100);
	}
	return cli_fail(u->ctx, EXIT_TRANSPORT,
			"upgrade: the device did not come back from the reset within %d s; the "
			"new image is marked for the next boot: run the same command again",
			u->wait_ms / 1000);
}

static int step_active(struct upgrade *u, char *detail, size_t cap)
{
	const struct smp_img_slot_state *s;
	struct smp_img_state st;
	size_t i;
	int rc = cli_get_image_state(u->ctx, &st);

	if (rc == EXIT_OK)
		upgrade_running(&st, u->imgs[0].index, u->version_after, sizeof(u->version_after));
	for (i = 0; rc == EXIT_OK && i < u->n; i++) {
		s = upgrade_find(&u->imgs[i], &st);
		if (!s)
			rc = cli_fail(
				u->ctx, EXIT_DEVICE,
				"upgrade: image %u came back running its old firmware, and MCUboot "
				"erased the new image instead of booting it: it did not validate "
				"(signed with a key the bootloader does not accept?)",
				u->imgs[i].index);
		else if (!s->active)
			rc = cli_fail(
				u->ctx, EXIT_DEVICE,
				"upgrade: image %u came back running its old firmware: MCUboot "
				"did not boot the new one, which stays in slot %u%s",
				u->imgs[i].index, s->slot, s->pending ? ", still marked" : "");
		else
			upgrade_detail(detail, cap, "image %u runs version %s from slot %u%s",
				       s->image, s->version, s->slot,
				       s->confirmed ? ", confirmed" : "");
	}
	return rc;
}

/* Confirms each image that is not confirmed yet (a permanent one, or one
 * booted without a swap, already is). */
static int confirm_all(struct upgrade *u)
{
	const struct smp_img_slot_state *s;
	struct smp_img_state st;
	size_t i;
	int rc = cli_get_image_state(u->ctx, &st);

	if (rc == EXIT_OK)
		upgrade_running(&st, u->imgs[0].index, u->version_after, sizeof(u->version_after));
	for (i = 0; rc == EXIT_OK && i < u->n; i++) {
		s = upgrade_find(&u->imgs[i], &st);
		if (confirm_only(u, &u->imgs[i]) || (s && s->confirmed))
			continue;
		if (!s || !s->active) {
			rc = cli_fail(u->ctx, EXIT_DEVICE,
				      "upgrade: image %u does not run: not "
				      "confirming it",
				      u->imgs[i].index);
			break;
		}
		rc = state_write(u, &u->imgs[i], "upgrade: confirm", true);
		if (rc != EXIT_OK)
			cli_fail(u->ctx, rc,
				 "upgrade: the new image runs but is not confirmed: "
				 "MCUboot reverts it at the next reset");
	}
	return rc;
}

static int check_confirmed(struct upgrade *u)
{
	const struct smp_img_slot_state *s;
	struct smp_img_state st;
	size_t i;
	int rc = cli_get_image_state(u->ctx, &st);

	if (rc == EXIT_OK)
		upgrade_running(&st, u->imgs[0].index, u->version_after, sizeof(u->version_after));
	for (i = 0; rc == EXIT_OK && i < u->n; i++) {
		s = upgrade_find(&u->imgs[i], &st);
		if (!s || !s->confirmed)
			rc = cli_fail(u->ctx, EXIT_DEVICE,
				      "upgrade: the device did not record the confirm of image %u",
				      u->imgs[i].index);
	}
	return rc;
}

static int step_confirm(struct upgrade *u, char *detail, size_t cap)
{
	int rc;

	if (u->test_only) {
		snprintf(detail, cap,
			 "skipped (--test-only): the image runs on trial; MCUboot "
			 "reverts it at the next reset");
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
	{ "verify", step_verify, 0, NULL },
	{ "state", step_state, 0, NULL },
	{ "upload", step_upload, DO_UPLOAD, "the device has the image" },
	{ "check", step_check, DO_CHECK, "nothing uploaded" },
	{ "test", step_test, DO_TEST, "already marked for the next boot" },
	{ "reset", step_reset, DO_RESET, "not needed: the image already runs" },
	{ "wait", step_wait, DO_WAIT, "no reset" },
	{ "active", step_active, DO_ACTIVE, "no reset" },
	{ "confirm", step_confirm, DO_CONFIRM, "already confirmed" },
};

#define NSTEPS (int)(sizeof(upgrade_steps) / sizeof(upgrade_steps[0]))

static int wait_seconds(struct cli_ctx *ctx, const char *value, void *values)
{
	struct upgrade *u = values;
	unsigned long v;

	if (cli_parse_uint_in(ctx, "--wait", value, 1, 3600, &v))
		return EXIT_USAGE;
	u->wait_ms = (int)v * 1000;
	return EXIT_OK;
}

/* The --each rows are fleet.c's, which takes them out of argv first. */
const struct cli_option upgrade_options[] = {
	OPT_INT("image", 'i', "N", "the image number, 0 to 15 (0; 1 is the nRF5340 network core)",
		struct upgrade, image_opt, 0, 15),
	OPT_STRING("key", 'k', "PUB.pem", "check the signature with this public key first",
		   struct upgrade, key),
	OPT_FLAG("test-only", 'T', "leave the new image unconfirmed (MCUboot reverts it)",
		 struct upgrade, test_only),
	OPT_FLAG("dry-run", 'n',
		 "verify the file, read the device and show the plan; change "
		 "nothing",
		 struct upgrade, dry_run),
	OPT_FLAG("force", 'f', "upload even when the device already has the image", struct upgrade,
		 up.force),
	OPT_FLAG("upgrade", 0, "ask the device to refuse an image that is not newer",
		 struct upgrade, up.upgrade),
	OPT_FLAG("allow-downgrade", 0, "install a version older than the running one",
		 struct upgrade, allow_downgrade),
	OPT_CALLBACK("wait", 0, "SECONDS",
		     "wait this long for the device after the reset, 1 to 3600 (60)", wait_seconds),
	OPT_TAKEN("each", "CONN...",
		  "upgrade these boards at once (profiles, "
		  "udp:/serial:/ble:/exec: specs, mqtt:// URLs sharing one broker connection; "
		  "one {a,b} or {1..N} group expands)"),
	OPT_TAKEN("each-file", "LIST", "read the boards for --each from a file, one a line"),
	OPT_TAKEN("each-timeout", "SECONDS", "give up on one board of --each after this long"),
	OPT_TAKEN("each-failed", "FILE",
		  "write the boards of --each that failed to FILE, one a "
		  "line, for --each-file"),
	OPT_END(),
};

static int parse(struct upgrade *u, int argc, char **argv)
{
	static const char usage[] = "usage: smpctl upgrade FILE|BUNDLE.zip [--image N] "
				    "[--key PUB.pem] [--test-only] [--dry-run] [--force] "
				    "[--allow-downgrade] [--wait SECONDS]";

	if (cli_parse_options(u->ctx, &argc, argv, upgrade_options, u, usage, 0) != EXIT_OK)
		return EXIT_USAGE;
	if (argc != 2)
		return cli_fail(u->ctx, EXIT_USAGE, "%s", usage);
	u->path = argv[1];
	return EXIT_OK;
}

/* Why the chosen path leaves step st out. */
static const char *skip_reason(const struct upgrade *u, const struct upgrade_step *st)
{
	return !u->steps_due		    ? "up to date"
	       : u->steps_due == DO_CONFIRM ? "the image already runs"
	       : u->recovery		    ? "the bootloader boots the primary slot as it is"
					    : st->skipped;
}

/* The plan in a few words, for --dry-run. */
static const char *plan_words(const struct upgrade *u)
{
	if (!u->steps_due)
		return "up to date";
	if (u->steps_due == DO_CONFIRM)
		return "confirm only";
	return u->steps_due & DO_UPLOAD ? "upload needed"
					: "no upload: resume from the device's state";
}

/* --dry-run, after the device's state was read: what the rest would do. */
static void dry_run(struct upgrade *u, int from)
{
	int i;

	for (i = from; i < NSTEPS; i++) {
		const struct upgrade_step *st = &upgrade_steps[i];

		u->step = i + 1;
		if (st->bit && !(u->steps_due & st->bit))
			report(u, st->name, "skipped", skip_reason(u, st));
		else
			report(u, st->name, "would-run",
			       i == NSTEPS - 1 && u->test_only ? "(skipped: --test-only)" : "");
	}
	if (!u->ctx->opts.json)
		fprintf(u->ctx->out, "dry run: %s; nothing was changed\n", plan_words(u));
}

static int run_steps(struct upgrade *u)
{
	char detail[512];
	int rc = EXIT_OK, i;

	for (i = 0; i < NSTEPS && rc == EXIT_OK; i++) {
		const struct upgrade_step *st = &upgrade_steps[i];

		u->step = i + 1;
		detail[0] = 0;
		if (st->bit && !(u->steps_due & st->bit)) {
			report(u, st->name, "skipped", skip_reason(u, st));
			continue;
		}
		step_event(u, st->name, "running");
		rc = st->run(u, detail, sizeof(detail));
		report(u, st->name, rc == EXIT_OK ? "ok" : "failed", detail);
		/* verify and state only read: the device chose the plan. */
		if (rc == EXIT_OK && u->dry_run && st->run == step_state) {
			dry_run(u, i + 1);
			break;
		}
	}
	return rc;
}

/* The report, with the factory line's fields: version_before and
 * version_after (image 0's running version, or the bundle's first
 * image's), and the image's hash. */
static void print_json(struct upgrade *u, int rc)
{
	const struct mcuboot_image *img = &u->imgs[0].ci.img;
	char hash[2 * SMP_MCUBOOT_HASH_MAX + 1] = "";
	json_t *doc;

	/* Nothing changed on the way (up to date, confirm only): the
	 * version after is the one before. */
	if (rc == EXIT_OK && !u->dry_run && !u->version_after[0])
		snprintf(u->version_after, sizeof(u->version_after), "%s", u->version_before);
	if (u->n && img->hash_len <= SMP_MCUBOOT_HASH_MAX)
		smp_hex_encode(img->hash_stored, img->hash_len, hash);
	doc = json_pack("{s:s,s:b,s:b,s:s?,s:b,s:s?,s:s?,s:s?,s:o}", "file", u->path, "ok",
			rc == EXIT_OK, "dry_run", u->dry_run, "path", u->path_name, "up_to_date",
			rc == EXIT_OK && u->path_name && u->steps_due == 0, "version_before",
			u->version_before[0] ? u->version_before : NULL, "version_after",
			u->version_after[0] ? u->version_after : NULL, "hash",
			hash[0] ? hash : NULL, "steps", u->steps);
	if (doc && rc == EXIT_OK && u->dry_run && u->path_name)
		json_object_set_new(doc, "plan", json_string(plan_words(u)));
	if (doc && rc != EXIT_OK)
		json_object_set_new(doc, "error", cli_json_error(u->ctx, rc));
	cli_print_json(u->ctx, doc);
}

int cmd_upgrade(struct cli_ctx *ctx, int argc, char **argv)
{
	struct upgrade u = { .ctx = ctx,
			     .up = { .image = -1 },
			     .image_opt = -1,
			     .wait_ms = 60000,
			     .nsteps = NSTEPS };
	size_t k;
	int rc;

	if (fleet_wanted(argc, argv))
		return fleet_upgrade(ctx, argc, argv);
	rc = parse(&u, argc, argv);
	if (rc == EXIT_OK)
		rc = upgrade_load(&u);
	if (rc != EXIT_OK)
		goto out;
	u.steps = json_array();
	rc = run_steps(&u);
	if (ctx->opts.json)
		print_json(&u, rc);
	else
		json_decref(u.steps);
	if (rc == EXIT_OK && u.path_name && u.steps_due == 0 && !ctx->opts.json)
		fprintf(ctx->out, "up to date: the device already runs this firmware, confirmed; "
				  "nothing written, no reset\n");
out:
	for (k = 0; k < u.n; k++)
		cli_image_free(&u.imgs[k].ci);
	return rc;
}
