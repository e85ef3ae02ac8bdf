#include "cli/cmd/image_upload.h"

#include <string.h>

#include "cli/cmd/commands.h"
#include "cli/link.h"
#include "cli/opts.h"
#include "cli/ui/progress.h"
#include "cli/parse_options.h"
#include "smp/cbor_util.h"
#include "smp/grp_img.h"

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
};

static void upload_progress(void *arg, size_t off, size_t len)
{
	struct progress_arg *pa = arg;

	progress_update(&pa->bar, off);
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
	smp_img_state_free(&st);
	return EXIT_OK;
}

int cli_upload(struct cli_ctx *ctx, const struct cli_image *ci, const struct cli_upload_opts *o,
	       struct cli_upload_report *rep)
{
	struct smp_upload_params p = { 0 };
	struct progress_arg pa = { .ctx = ctx };
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
	cli_verbose(ctx, 1, "uploading %zu bytes: packets of %zu bytes, %u in flight", p.len,
		    p.plan.start.packet, p.plan.start.window);
	progress_start(&pa.bar, ctx->err, ctx->err_is_tty && !ctx->opts.json && !ctx->opts.verbose,
		       "upload", p.len);
	pa.bar.feed = ctx->progress_feed;
	rc = smp_upload(&ctx->engine, &p, &rep->result);
	progress_end(&pa.bar);
	rep->seconds = progress_elapsed(&pa.bar);
	rep->packet_max = rep->result.packet_max;
	rep->window = rep->result.learned.window;
	cli_link_done(ctx, &link, rc, &rep->result.learned, rep->result.summary);
	if (rc == SMP_OK)
		return EXIT_OK;
	if (rc == SMP_E_DEVICE) {
		struct smp_response fake = { .result = rc, .status = rep->result.status };

		return cli_report_response(ctx, "image upload", &fake);
	}
	return cli_fail(ctx, cli_exit_for(rc),
			"image upload: %s: %s (device has %zu of %zu bytes; "
			"run it again to resume)",
			smp_result_name(rc), rep->result.detail, rep->result.offset, p.len);
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

		cli_print_json(ctx,
			       json_pack("{s:s,s:b,s:s?,s:I,s:I,s:f,s:I,s:I,s:I,s:I,s:I,"
					 "s:{s:I,s:I,s:I,s:I},s:{s:I,s:I,s:I,s:I,s:I}}",
					 "file", ci->path, "skipped", rep->skipped, "reason",
					 rep->skip_reason, "bytes", (json_int_t)ci->file.len,
					 "resumed_from", (json_int_t)r->resumed_from, "seconds",
					 cli_json_round(rep->seconds, 3), "chunks",
					 (json_int_t)r->chunks, "window", (json_int_t)rep->window,
					 "packet_size", (json_int_t)rep->packet_max, "resyncs",
					 (json_int_t)r->resyncs, "restarts",
					 (json_int_t)r->restarts, "wire", "requests",
					 (json_int_t)st->requests, "resends",
					 (json_int_t)st->resends, "bytes_out",
					 (json_int_t)st->bytes_out, "bytes_in",
					 (json_int_t)st->bytes_in, "link", "frame_gap_ms",
					 (json_int_t)r->learned.gap_ms, "chunks_resent",
					 (json_int_t)r->stats.resends, "losses",
					 (json_int_t)r->stats.losses, "shrinks",
					 (json_int_t)r->stats.shrinks, "probes",
					 (json_int_t)r->stats.probes));
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
	fprintf(ctx->out, "uploaded %s in %.1f s%s\n",
		progress_bytes((double)ci->file.len, b, sizeof(b)), rep->seconds,
		progress_rate((double)(ci->file.len - r->resumed_from), rep->seconds, a,
			      sizeof(a)));
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
	rc = cli_upload(ctx, &ci, &a.o, &rep);
	if (rc == EXIT_OK)
		print_report(ctx, &ci, &rep);
	cli_image_free(&ci);
	return rc;
}
