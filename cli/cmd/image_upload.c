#include "cli/cmd/image_upload.h"

#include <string.h>
#include <unistd.h>

#include "cli/cmd/commands.h"
#include "cli/cmd/image_slots.h"
#include "cli/cmd/mcumgr_print.h"
#include "cli/explain.h"
#include "cli/ui/text_safe.h"
#include "cli/link.h"
#include "cli/opts.h"
#include "cli/ui/progress.h"
#include "cli/parse_options.h"
#include "cli/tick_link.h"
#include "smp/clock.h"
#include "smp/grp_img.h"

/* Zephyr's enum img_mgmt_err_code_t. */
#define IMG_ERR_CURRENT_VERSION_IS_NEWER 27

/* A slot erase before the first chunk's answer can take tens of seconds
 * on a large slot (nRF52840: 85 ms per 4 KiB page). */
#define ERASE_TIMEOUT_MS 30000

static void upload_note(void *arg, const char *msg)
{
	cli_verbose(arg, 1, "%s", msg);
}

struct progress_arg {
	struct cli_ctx *ctx;
	struct progress bar;
	struct go_bar go; /* in mcumgr mode, Go's bar on stdout */
	char waiting[48];
	/* The last answer that moved the transfer: a failure says how long
	 * the device has been silent and how many requests went unanswered. */
	int64_t answer_ms;
	size_t answered; /* the highest offset acknowledged */
	unsigned long timeouts_at_answer;
};

static void upload_tick(void *arg)
{
	struct progress_arg *pa = arg;

	progress_tick(&pa->bar);
}

static void upload_progress(void *arg, size_t off, size_t len)
{
	struct progress_arg *pa = arg;

	if (off > pa->answered || !pa->answer_ms) {
		pa->answered = off;
		pa->answer_ms = smp_clock_ms();
		pa->timeouts_at_answer = pa->ctx->engine.stats.timeouts;
	}
	progress_update(&pa->bar, off);
	go_bar_update(&pa->go, off);
}

/* "no answer for 9 s, 3 tries": what a person can act on; the probing
 * that led there is in -v. */
static int silent_device(struct cli_ctx *ctx, const struct progress_arg *pa,
			 const struct smp_upload_result *r, size_t len)
{
	int64_t since = pa->answer_ms ? pa->answer_ms : pa->bar.start_ms;
	unsigned long tries = ctx->engine.stats.timeouts - pa->timeouts_at_answer;

	cli_verbose(ctx, 1, "image upload: %s", r->detail);
	return cli_fail(ctx, cli_exit_for(SMP_E_TIMEOUT),
			"image upload: no answer for %.0f s, %lu tr%s "
			"(device has %zu of %zu bytes; run the same command again to resume)",
			(double)(smp_clock_ms() - since) / 1000.0, tries, tries == 1 ? "y" : "ies",
			r->offset, len);
}

static void note_via_progress(void *arg, const char *msg)
{
	struct progress_arg *pa = arg;

	upload_note(pa->ctx, msg);
}

/* Skips the upload when the device already has this image. */
static int check_present(struct cli_ctx *ctx, const struct cli_image *ci,
			 const struct cli_upload_opts *o, struct cli_upload_report *rep)
{
	const struct smp_img_slot_state *s;
	struct smp_img_state st;
	unsigned image = o->image < 0 ? 0 : (unsigned)o->image;
	int rc;

	rc = cli_get_image_state(ctx, &st);
	if (rc != EXIT_OK)
		return rc;
	s = smp_img_state_find(&st, ci->img.hash_stored, ci->img.hash_len);
	if (s && s->image == image) {
		rep->skipped = true;
		rep->skip_reason = s->active ? "the device is running this image"
					     : "the device already has this image";
		cli_verbose(ctx, 1, "%s (image %u slot %u)", rep->skip_reason, s->image, s->slot);
	}
	return EXIT_OK;
}
/* What running it again will do. Zephyr keeps the upload's progress in
 * RAM (img_mgmt's upload state): a device that restarts forgets it, and
 * the next run starts over; otherwise the next run's first chunk finds
 * the device's offset and goes on from there. */
static const char *rerun_note(const struct smp_upload_result *r)
{
	if (r->restarts)
		return "the device restarted and forgot the upload, which it keeps in RAM: "
		       "running it again starts over";
	return "run it again to resume from there; if the device restarts first, it forgets "
	       "the upload and the next run starts over";
}

/* --upgrade and an image not newer than the running one: Zephyr's
 * img_mgmt (img_mgmt_upload(), upgrade=true) compares the new header's
 * version with the active slot's and answers CURRENT_VERSION_IS_NEWER.
 * Both versions say what happened. */
static int not_newer(struct cli_ctx *ctx, const struct cli_image *ci,
		     const struct cli_upload_opts *o)
{
	unsigned image = o->image < 0 ? 0 : (unsigned)o->image;
	char file_ver[48], dev_ver[48] = "a version at least as new";
	struct smp_img_state st;
	size_t i;

	mcuboot_version_format(&ci->img.version, file_ver, sizeof(file_ver));
	if (cli_get_image_state_quiet(ctx, &st) == EXIT_OK)
		for (i = 0; i < st.count; i++)
			if (st.slots[i].active && st.slots[i].image == image)
				snprintf(dev_ver, sizeof(dev_ver), "%s", st.slots[i].version);
	return cli_fail(ctx, EXIT_DEVICE,
			"image upload: device error: "
			"IMG_MGMT_ERR_CURRENT_VERSION_IS_NEWER: the device runs %s and %s is %s; "
			"--upgrade takes only a newer image (without it the device takes any)",
			SAFE(dev_ver), SAFE(ci->path), file_ver);
}

int cli_upload(struct cli_ctx *ctx, const struct cli_image *ci, const struct cli_upload_opts *o,
	       struct cli_upload_report *rep)
{
	struct smp_upload_params p = { 0 };
	struct progress_arg pa = { .ctx = ctx, .answer_ms = 0 };
	struct tick_link ticker;
	struct cli_link link;
	int rc;

	memset(rep, 0, sizeof(*rep));
	rc = cli_connect(ctx);
	if (rc != EXIT_OK)
		return rc;
	if (!o->force) {
		rc = check_present(ctx, ci, o, rep);
		if (rc != EXIT_OK || rep->skipped)
			return rc;
	}
	cli_link_plan(ctx, ERASE_TIMEOUT_MS, &link);
	p.data = ci->file.data;
	p.len = ci->file.len;
	p.sha = ci->img.data_sha256;
	p.sha_len = sizeof(ci->img.data_sha256);
	p.image = o->image;
	p.upgrade = o->upgrade;
	p.plan = link.plan;
	p.align = 4;
	p.chunk_max = o->chunk_max;
	p.progress = upload_progress;
	p.note = note_via_progress;
	p.arg = &pa;
	pa.timeouts_at_answer = ctx->engine.stats.timeouts;
	cli_verbose(ctx, 1, "uploading %zu bytes: packets of %zu bytes, %u in flight", p.len,
		    p.plan.start.packet, p.plan.start.window);
	/* Go mcumgr's words put its own bar on stdout. A factory board's
	 * JSON lines go to its parent, which draws a percent from them. */
	progress_start_mode(&pa.bar, cli_progress_file(ctx),
			    cli_progress_mode(ctx, cli_go_words(ctx)), "upload", p.len);
	if (ctx->progress_out)
		pa.bar.line_step = 1;
	go_bar_start(&pa.go, ctx->out,
		     cli_go_words(ctx) && isatty(fileno(ctx->out)) && !ctx->opts.verbose, p.len);
	/* The first chunk's answer waits for the slot erase (img_mgmt erases
	 * the image's size up front unless CONFIG_IMG_ERASE_PROGRESSIVELY). */
	if (o->image > 0)
		snprintf(pa.waiting, sizeof(pa.waiting), "erasing image %d slot 1", o->image);
	else
		snprintf(pa.waiting, sizeof(pa.waiting), "erasing slot 1");
	pa.bar.waiting = pa.waiting;
	progress_tick(&pa.bar);
	ctx->bar = &pa.bar;
	ctx->resumable = 1;
	tick_link_wrap(&ticker, &ctx->transport, upload_tick, &pa);
	rc = smp_upload(&ctx->engine, &p, &rep->result);
	tick_link_unwrap(&ticker, &ctx->transport);
	ctx->resumable = 0;
	ctx->bar = NULL;
	progress_end(&pa.bar);
	if (rc == SMP_OK)
		go_bar_finish(&pa.go);
	else if (pa.go.on)
		fputc('\n', ctx->out); /* the error goes to stderr, on a line of its own */
	rep->seconds = progress_elapsed(&pa.bar);
	rep->wait_seconds = progress_waited(&pa.bar);
	rep->packet_max = rep->result.packet_max;
	rep->window = rep->result.learned.window;
	cli_link_done(ctx, &link, rc, &rep->result.learned, rep->result.summary);
	if (rc == SMP_OK)
		return EXIT_OK;
	if (rc == SMP_E_DEVICE) {
		struct smp_response fake = { .result = rc, .status = rep->result.status };

		if (fake.status.kind == SMP_STATUS_ERR && fake.status.group == SMP_GROUP_IMAGE &&
		    fake.status.rc == IMG_ERR_CURRENT_VERSION_IS_NEWER)
			return not_newer(ctx, ci, o);
		return cli_report_response(ctx, "image upload", &fake);
	}
	if (rc == SMP_E_TIMEOUT)
		return silent_device(ctx, &pa, &rep->result, p.len);
	return cli_fail(ctx, cli_exit_for(rc),
			"image upload: %s: %s (device has %zu of %zu bytes; %s)",
			smp_result_name(rc), rep->result.detail, rep->result.offset, p.len,
			rerun_note(&rep->result));
}

const struct cli_option cli_upload_options[] = {
	OPT_INT("image", 'i', "N", "the image number, 0 to 15 (0; 1 is the nRF5340 network core)",
		struct cli_upload_args, o.image, 0, 15),
	OPT_FLAG("upgrade", 'u', "ask the device to refuse an image that is not newer",
		 struct cli_upload_args, o.upgrade),
	OPT_FLAG("force", 'f', "upload even when the device already has the image",
		 struct cli_upload_args, o.force),
	OPT_STRING("key", 'k', "PUB.pem", "check the signature with this public key first",
		   struct cli_upload_args, key),
	OPT_SIZE("chunk-size", 'c', "N", "at most N data bytes a chunk, 32 to 65535",
		 struct cli_upload_args, o.chunk_max, SMP_UPLOAD_MIN_FIRST, 65535),
	OPT_END(),
};

static int parse_upload_opts(struct cli_ctx *ctx, int argc, char **argv, struct cli_upload_args *a)
{
	static const char usage[] = "usage: smpctl image upload FILE [--image N] [--upgrade] "
				    "[--force] [--key PUB.pem] [--chunk-size N]";

	if (cli_parse_options(ctx, &argc, argv, cli_upload_options, a, usage, 0) != EXIT_OK)
		return EXIT_USAGE;
	if (argc != 2)
		return cli_fail(ctx, EXIT_USAGE, "%s", usage);
	return EXIT_OK;
}

static void print_report(struct cli_ctx *ctx, const struct cli_image *ci,
			 const struct cli_upload_report *rep)
{
	const struct smp_upload_result *r = &rep->result;
	char a[32], b[32];

	if (ctx->opts.json) {
		const struct smp_stats *st = &ctx->engine.stats;

		cli_print_json(
			ctx,
			json_pack("{s:s,s:b,s:s?,s:I,s:I,s:f,s:f,s:I,s:I,s:I,s:I,s:I,"
				  "s:{s:I,s:I,s:I,s:I},s:{s:I,s:I,s:I,s:I,s:I,s:I}}",
				  "file", ci->path, "skipped", rep->skipped, "reason",
				  rep->skip_reason, "bytes", (json_int_t)ci->file.len,
				  "resumed_from", (json_int_t)r->resumed_from, "seconds",
				  cli_json_round(rep->seconds, 3), "erase_seconds",
				  cli_json_round(rep->wait_seconds, 3), "chunks",
				  (json_int_t)r->chunks, "window", (json_int_t)rep->window,
				  "packet_size", (json_int_t)rep->packet_max, "resyncs",
				  (json_int_t)r->resyncs, "restarts", (json_int_t)r->restarts,
				  "wire", "requests", (json_int_t)st->requests, "resends",
				  (json_int_t)st->resends, "bytes_out", (json_int_t)st->bytes_out,
				  "bytes_in", (json_int_t)st->bytes_in, "link", "frame_gap_ms",
				  (json_int_t)r->learned.gap_ms, "chunks_resent",
				  (json_int_t)r->stats.resends, "losses",
				  (json_int_t)r->stats.losses, "lost", (json_int_t)r->stats.lost,
				  "shrinks", (json_int_t)r->stats.shrinks, "probes",
				  (json_int_t)r->stats.probes));
		return;
	}
	if (cli_go_words(ctx)) {
		go_print_done(ctx);
		return;
	}
	if (rep->skipped) {
		fprintf(ctx->out, "%s: %s; not uploading (--force uploads anyway)\n", ci->path,
			rep->skip_reason);
		return;
	}
	if (r->resumed_from)
		fprintf(ctx->out, "resumed at %s\n",
			progress_bytes((double)r->resumed_from, a, sizeof(a)));
	/* A long erase said apart, so that the rate is the link's. */
	if (rep->wait_seconds >= 1 && !r->resumed_from) {
		double moving = rep->seconds - rep->wait_seconds;

		fprintf(ctx->out, "uploaded %s in %.1f s (erase %.1f s, then %s/s)",
			progress_bytes((double)ci->file.len, b, sizeof(b)), rep->seconds,
			rep->wait_seconds,
			progress_bytes(moving > 0.01 ? (double)ci->file.len / moving : 0, a,
				       sizeof(a)));
	} else {
		fprintf(ctx->out, "uploaded %s in %.1f s%s",
			progress_bytes((double)ci->file.len, b, sizeof(b)), rep->seconds,
			progress_rate((double)(ci->file.len - r->resumed_from), rep->seconds, a,
				      sizeof(a)));
	}
	if (r->stats.lost)
		fprintf(ctx->out, "; lost %u of %u requests (%u %%)", r->stats.lost,
			r->stats.chunks,
			(r->stats.lost * 100 + r->stats.chunks / 2) / r->stats.chunks);
	fputc('\n', ctx->out);
}

/* An image number given is one the device has slots for, and the image
 * fits them: otherwise Zephyr's img_mgmt writes it to image 0's slot. */
static int check_image_number(struct cli_ctx *ctx, const struct cli_image *ci, unsigned image)
{
	struct cli_image_slots slots;
	struct smp_img_state st;
	uint64_t room;
	int rc = cli_connect(ctx);

	if (rc == EXIT_OK)
		rc = cli_get_image_state(ctx, &st);
	if (rc != EXIT_OK)
		return rc;
	cli_image_slots_read(ctx, &st, &slots);
	room = cli_image_slots_room(&slots, image);
	if (!cli_image_slots_has(&slots, image))
		return cli_fail(ctx, EXIT_USAGE,
				"image upload: the device has no image %u: its %s "
				"names image %s only, and the upload would land in the "
				"application's slot 1; nothing was uploaded",
				image, slots.have_info ? "slot list" : "image list", slots.names);
	if (room && ci->file.len > room)
		return cli_fail(ctx, EXIT_USAGE,
				"image upload: the image is %zu bytes, and the "
				"device takes at most %llu as image %u; nothing was uploaded",
				ci->file.len, (unsigned long long)room, image);
	return EXIT_OK;
}

int cmd_image_upload(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_upload_args a = { .o = { .image = -1 } };
	struct cli_upload_report rep;
	struct cli_image ci;
	int rc;

	rc = parse_upload_opts(ctx, argc, argv, &a);
	if (rc != EXIT_OK)
		return rc;
	rc = cli_image_load(ctx, argv[1], a.key, &ci);
	if (rc != EXIT_OK)
		return rc;
	if (a.o.image >= 0)
		rc = check_image_number(ctx, &ci, (unsigned)a.o.image);
	if (rc == EXIT_OK)
		rc = cli_upload(ctx, &ci, &a.o, &rep);
	if (rc == EXIT_OK)
		print_report(ctx, &ci, &rep);
	cli_image_free(&ci);
	return rc;
}
