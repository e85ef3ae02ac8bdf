/* fs upload and fs download: windowed, resumable, checked.
 *
 * An upload first asks what the device has at REMOTE: the same file (it
 * skips), a beginning of it (it resumes, after comparing hashes), or
 * another file (it replaces it only with --force). A download writes
 * LOCAL.part, resumes from it when the device's file still begins the
 * same way, and renames it to LOCAL once the whole file has arrived and
 * its hash matches; LOCAL is replaced only with --force. */
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cmd/commands.h"
#include "host/fs_files.h"
#include "cli/cmd/fs_remote.h"
#include "cli/link.h"
#include "cli/parse_options.h"
#include "host/fs_hash.h"
#include "cli/ui/progress.h"
#include "cli/cmd/mcumgr_print.h"
#include "cli/tick_link.h"

#define MAX_FILE 0xffffffffu /* the offsets a 4 GB fs_mgmt build encodes */
/* The first answer may wait for the device to open or create the file. */
#define FIRST_TIMEOUT_MS 10000

struct xfer_args {
	const char *from, *to;
	bool force;
};

const struct cli_option fs_xfer_options[] = {
	OPT_FLAG("force", 0, "replace a different file of that name", struct xfer_args, force),
	OPT_END(),
};

static int parse_xfer(struct cli_ctx *ctx, int argc, char **argv, const char *usage,
		      struct xfer_args *a)
{
	char line[128];

	memset(a, 0, sizeof(*a));
	snprintf(line, sizeof(line), "usage: smpctl %s", usage);
	if (cli_parse_options(ctx, &argc, argv, fs_xfer_options, a, line, 0) != EXIT_OK)
		return EXIT_USAGE;
	if (argc != 3 || !argv[1][0] || !argv[2][0])
		return cli_fail(ctx, EXIT_USAGE, "%s", line);
	a->from = argv[1];
	a->to = argv[2];
	return EXIT_OK;
}

struct bar_arg {
	struct cli_ctx *ctx;
	struct progress bar;
	/* Keeps the plain lines going while no byte moves (a stall). */
	struct tick_link ticker;
	/* Go mcumgr prints each answer's "off" (fs.go): after an upload
	 * chunk the device's new end, with a download chunk its start. */
	bool go_offsets, go_chunk_start;
	uint64_t go_last;
};

static void setup(struct cli_ctx *ctx, const char *name, struct smp_fs_xfer_params *p,
		  struct cli_link *link)
{
	cli_link_plan(ctx, FIRST_TIMEOUT_MS, link);
	memset(p, 0, sizeof(*p));
	p->name = name;
	p->plan = link->plan;
	cli_verbose(ctx, 1, "fs: packets of %zu bytes, %u in flight", p->plan.start.packet,
		    p->plan.start.window);
}

static void on_progress(void *arg, uint64_t done, uint64_t total)
{
	struct bar_arg *b = arg;

	b->bar.total = (size_t)total;
	progress_update(&b->bar, (size_t)done);
	if (b->go_offsets && done != b->go_last) {
		fprintf(b->ctx->out, "%llu\n",
			(unsigned long long)(b->go_chunk_start ? b->go_last : done));
		b->go_last = done;
	}
}

static void on_note(void *arg, const char *msg)
{
	cli_verbose(((struct bar_arg *)arg)->ctx, 1, "%s", msg);
}

static void on_tick(void *arg)
{
	progress_tick(&((struct bar_arg *)arg)->bar);
}

/* The progress image upload shows (--progress), from byte start of
 * total (0: the first answer tells), until end_bar. */
static void start_bar(struct cli_ctx *ctx, struct bar_arg *b, struct smp_fs_xfer_params *p,
		      const char *label, uint64_t start, uint64_t total, bool resumable)
{
	b->ctx = ctx;
	b->go_offsets = cli_go_words(ctx);
	b->go_chunk_start = !strcmp(label, "download");
	b->go_last = 0;
	/* Go mcumgr's words print the offsets on stdout and nothing on
	 * stderr. */
	progress_start_mode(&b->bar, cli_progress_file(ctx), cli_progress_mode(ctx, b->go_offsets),
			    label, (size_t)total);
	/* Where the transfer starts: the rate and the lines count from
	 * there, not from the first answer. */
	progress_update(&b->bar, (size_t)start);
	p->progress = on_progress;
	p->note = on_note;
	p->arg = b;
	ctx->bar = &b->bar;
	ctx->resumable = resumable;
	tick_link_wrap(&b->ticker, &ctx->transport, on_tick, b);
}

static void end_bar(struct cli_ctx *ctx, struct bar_arg *b)
{
	tick_link_unwrap(&b->ticker, &ctx->transport);
	ctx->resumable = 0;
	ctx->bar = NULL;
	progress_end(&b->bar);
}

/* Whether the device's file matches data, by the best hash it has. *type
 * is the hash type to use (NULL: find one); verified false when the
 * device can hash nothing. */
static int compare(struct cli_ctx *ctx, const char *what, const char *remote, const char **type,
		   const uint8_t *data, uint64_t len, bool *same, bool *verified)
{
	struct smp_fs_hash theirs, ours;
	int rc = EXIT_OK;

	*verified = false;
	*same = false;
	if (len == 0) /* no device hashes an empty file: the size says it */
		return EXIT_OK;
	switch (fs_remote_hash(ctx, what, remote, false, type, 0, len, &theirs, &rc)) {
	case PROBE_OK:
		if (fs_hash_local(*type, data, (size_t)len, &ours) != 0)
			return EXIT_OK;
		*verified = true;
		*same = theirs.len == len && smp_fs_hash_equal(&theirs, &ours);
		return EXIT_OK;
	case PROBE_FAILED:
		return rc;
	default:
		return EXIT_OK;
	}
}

/* ---- upload -------------------------------------------------------- */

struct upload_plan {
	size_t start;
	bool skip;
	const char *hash_type;
};

/* What the device has at REMOTE decides where the upload starts. */
static int plan_upload(struct cli_ctx *ctx, const struct xfer_args *a, const uint8_t *data,
		       size_t len, struct upload_plan *plan)
{
	bool same = false, verified = false;
	uint64_t size = 0;
	int rc = EXIT_OK;

	memset(plan, 0, sizeof(*plan));
	switch (fs_remote_size(ctx, "fs upload", a->to, false, &size, &rc)) {
	case PROBE_OK:
		break;
	case PROBE_UNSUPPORTED:
		cli_verbose(ctx, 1, "fs upload: the device cannot tell what %s holds", a->to);
		return EXIT_OK;
	case PROBE_FAILED:
		return rc;
	default:
		return EXIT_OK;
	}
	if (size == 0)
		return EXIT_OK;
	if (len == 0)
		return cli_fail(ctx, EXIT_USAGE,
				"fs upload: %s has %llu bytes on the device, and "
				"an empty upload does not truncate a file on Zephyr",
				a->to, (unsigned long long)size);
	if (size <= len) {
		rc = compare(ctx, "fs upload", a->to, &plan->hash_type, data, size, &same,
			     &verified);
		if (rc != EXIT_OK)
			return rc;
	}
	if (same && size == len && !a->force) {
		plan->skip = true;
	} else if (same && size < len) {
		plan->start = (size_t)size;
		cli_verbose(ctx, 1, "fs upload: the device has the first %llu bytes: resuming",
			    (unsigned long long)size);
	} else if (!same && !a->force) {
		return cli_fail(ctx, EXIT_USAGE,
				"fs upload: %s exists on the device (%llu bytes) "
				"and %s; --force replaces it",
				a->to, (unsigned long long)size,
				verified || size > len ? "differs from the local file"
						       : "the device cannot hash it to compare");
	}
	return EXIT_OK;
}

/* After the upload: the device's file must be the local one. */
static int check_upload(struct cli_ctx *ctx, const struct xfer_args *a, const uint8_t *data,
			size_t len, const char **type, bool *verified)
{
	bool same = false;
	uint64_t size = 0;
	int rc = EXIT_OK;
	enum probe p = fs_remote_size(ctx, "fs upload", a->to, false, &size, &rc);

	*verified = false;
	if (p == PROBE_FAILED)
		return rc;
	if (p == PROBE_OK && size != len)
		return cli_fail(ctx, EXIT_DEVICE,
				"fs upload: %s has %llu bytes on the device after "
				"the upload, not %zu",
				a->to, (unsigned long long)size, len);
	rc = compare(ctx, "fs upload", a->to, type, data, len, &same, verified);
	if (rc == EXIT_OK && *verified && !same)
		return cli_fail(ctx, EXIT_DEVICE,
				"fs upload: %s on the device does not match %s "
				"(%s)",
				a->to, a->from, *type);
	*verified = *verified || (p == PROBE_OK && len == 0);
	return rc;
}

static void upload_report(struct cli_ctx *ctx, const struct xfer_args *a, size_t len,
			  const struct upload_plan *plan, const struct smp_fs_xfer_result *r,
			  double secs, bool verified)
{
	char n[32], rate[32];

	if (ctx->opts.json) {
		cli_print_json(ctx,
			       json_pack("{s:s,s:s,s:I,s:b,s:I,s:f,s:I,s:I,s:b,s:s?}", "local",
					 a->from, "remote", a->to, "bytes", (json_int_t)len,
					 "skipped", plan->skip, "resumed_from",
					 (json_int_t)plan->start, "seconds",
					 cli_json_round(secs, 3), "chunks", (json_int_t)r->chunks,
					 "resyncs", (json_int_t)r->resyncs, "verified", verified,
					 "hash", plan->hash_type));
		return;
	}
	if (cli_go_words(ctx)) {
		go_print_done(ctx);
		return;
	}
	if (plan->skip) {
		fprintf(ctx->out,
			"%s: the device already has this file (%s matches); --force "
			"uploads it anyway\n",
			a->to, plan->hash_type);
		return;
	}
	if (plan->start)
		fprintf(ctx->out, "resumed at %zu bytes\n", plan->start);
	fprintf(ctx->out, "uploaded %s to %s in %.1f s%s%s%s\n",
		progress_bytes((double)len, n, sizeof(n)), a->to, secs,
		progress_rate((double)(len - plan->start), secs, rate, sizeof(rate)),
		verified ? ", verified by " : "",
		verified ? (plan->hash_type ? plan->hash_type : "size") : "");
}

static int upload_file(struct cli_ctx *ctx, const struct xfer_args *a, const uint8_t *data,
		       size_t len)
{
	struct smp_fs_xfer_params p;
	struct smp_fs_xfer_result r = { 0 };
	struct upload_plan plan;
	struct cli_link link;
	struct bar_arg bar;
	bool verified = false;
	double secs = 0;
	int rc;

	rc = cli_connect(ctx);
	if (rc == EXIT_OK)
		rc = plan_upload(ctx, a, data, len, &plan);
	if (rc != EXIT_OK || plan.skip) {
		if (rc == EXIT_OK)
			upload_report(ctx, a, len, &plan, &r, 0, true);
		return rc;
	}
	/* A transfer left open would make Zephyr miscount a restart. */
	fs_remote_close(ctx, a->to);
	setup(ctx, a->to, &p, &link);
	start_bar(ctx, &bar, &p, "upload", plan.start, len, true);
	smp_fs_upload(&ctx->engine, &p, data, len, plan.start, &r);
	end_bar(ctx, &bar);
	cli_link_done(ctx, &link, r.result, &r.learned, r.summary);
	secs = progress_elapsed(&bar.bar);
	/* A resumed upload never told the device the size: close it. */
	fs_remote_close(ctx, a->to);
	if (r.result != SMP_OK) {
		char hint[160];

		snprintf(hint, sizeof(hint),
			 " (the device has %llu of %zu bytes; run the same "
			 "command again to resume)",
			 (unsigned long long)r.done, len);
		return fs_report_xfer(ctx, "fs upload", &r, r.done ? hint : NULL);
	}
	rc = check_upload(ctx, a, data, len, &plan.hash_type, &verified);
	if (rc == EXIT_OK)
		upload_report(ctx, a, len, &plan, &r, secs, verified);
	return rc;
}

int cmd_fs_upload(struct cli_ctx *ctx, int argc, char **argv)
{
	struct xfer_args a;
	uint8_t *data = NULL;
	size_t len = 0;
	int rc = parse_xfer(ctx, argc, argv, "fs upload LOCAL REMOTE [--force]", &a);

	if (rc != EXIT_OK)
		return rc;
	if (local_read_all(a.from, MAX_FILE, &data, &len) != 0)
		return cli_fail(ctx, EXIT_LOCAL, "fs upload: cannot read %s: %s", a.from,
				errno == EFBIG ? "larger than 4 GiB" : strerror(errno));
	rc = upload_file(ctx, &a, data, len);
	free(data);
	return rc;
}

/* ---- download ------------------------------------------------------ */

struct sink_arg {
	struct part_file *part;
	int err;
};

static int sink(void *arg, const uint8_t *data, size_t len)
{
	struct sink_arg *s = arg;

	if (part_append(s->part, data, len) == 0)
		return 0;
	s->err = errno;
	return -1;
}

/* LOCAL, or REMOTE's file name inside it when LOCAL is a directory. */
static char *local_target(const char *local, const char *remote)
{
	struct stat st;
	char *copy, *out = NULL;

	if (stat(local, &st) != 0 || !S_ISDIR(st.st_mode))
		return strdup(local);
	copy = strdup(remote);
	if (copy && asprintf(&out, "%s/%s", local, basename(copy)) < 0)
		out = NULL;
	free(copy);
	return out;
}

/* Whether LOCAL.part begins the device's file: resume from it, or not. */
static int resume_point(struct cli_ctx *ctx, const char *remote, struct part_file *part,
			bool size_known, uint64_t total, const char **type, uint64_t *start)
{
	uint8_t *data = NULL;
	bool same = false, verified = false;
	int rc = EXIT_OK;

	*start = 0;
	if (part->size == 0)
		return EXIT_OK;
	if (size_known && part->size <= total) {
		if (part_read(part, part->size, &data) != 0)
			return cli_fail(ctx, EXIT_LOCAL, "fs download: cannot read %s: %s",
					part->part, strerror(errno));
		rc = compare(ctx, "fs download", remote, type, data, part->size, &same, &verified);
		free(data);
	}
	if (rc != EXIT_OK)
		return rc;
	if (same) {
		*start = part->size;
		cli_verbose(ctx, 1, "fs download: %s holds the first %llu bytes: resuming",
			    part->part, (unsigned long long)part->size);
		return EXIT_OK;
	}
	cli_verbose(ctx, 1, "fs download: %s is not the beginning of %s: starting over", part->part,
		    remote);
	if (part_truncate(part) != 0)
		return cli_fail(ctx, EXIT_LOCAL, "fs download: cannot truncate %s: %s", part->part,
				strerror(errno));
	return EXIT_OK;
}

/* The device's size of REMOTE, when it can tell (fs stat). */
static int remote_total(struct cli_ctx *ctx, const char *remote, bool *known, uint64_t *total)
{
	int rc = EXIT_OK;

	*known = false;
	switch (fs_remote_size(ctx, "fs download", remote, true, total, &rc)) {
	case PROBE_OK:
		*known = true;
		return EXIT_OK;
	case PROBE_FAILED:
		return rc;
	default:
		return EXIT_OK;
	}
}

/* The whole file arrived: check it against the device's hash. */
static int check_download(struct cli_ctx *ctx, const char *remote, struct part_file *part,
			  const char **type, bool *verified)
{
	uint8_t *data = NULL;
	bool same = false;
	int rc;

	if (part_read(part, part->size, &data) != 0)
		return cli_fail(ctx, EXIT_LOCAL, "fs download: cannot read %s back: %s", part->part,
				strerror(errno));
	rc = compare(ctx, "fs download", remote, type, data, part->size, &same, verified);
	free(data);
	if (rc == EXIT_OK && *verified && !same) {
		part_discard(part);
		return cli_fail(ctx, EXIT_DEVICE,
				"fs download: what arrived does not match %s's %s "
				"on the device; run the command again",
				remote, *type);
	}
	return rc;
}

static void download_report(struct cli_ctx *ctx, const char *remote, const char *local,
			    const struct smp_fs_xfer_result *r, double secs, const char *type,
			    bool verified)
{
	char n[32], rate[32];

	if (ctx->opts.json) {
		cli_print_json(ctx,
			       json_pack("{s:s,s:s,s:I,s:I,s:f,s:I,s:b,s:s?}", "remote", remote,
					 "local", local, "bytes", (json_int_t)r->total,
					 "resumed_from", (json_int_t)r->started_at, "seconds",
					 cli_json_round(secs, 3), "chunks", (json_int_t)r->chunks,
					 "verified", verified, "hash", type));
		return;
	}
	if (cli_go_words(ctx)) {
		go_print_done(ctx);
		return;
	}
	if (r->started_at)
		fprintf(ctx->out, "resumed at %llu bytes\n", (unsigned long long)r->started_at);
	fprintf(ctx->out, "downloaded %s to %s in %.1f s%s%s%s\n",
		progress_bytes((double)r->total, n, sizeof(n)), local, secs,
		progress_rate((double)(r->total - r->started_at), secs, rate, sizeof(rate)),
		verified && type ? ", verified by " : "", verified && type ? type : "");
}

static int fetch(struct cli_ctx *ctx, const struct xfer_args *a, struct part_file *part,
		 struct smp_fs_xfer_result *r, double *secs, const char **type)
{
	struct sink_arg s = { part, 0 };
	struct smp_fs_xfer_params p;
	struct cli_link link;
	struct bar_arg bar;
	uint64_t total = 0, start = 0;
	bool known = false;
	char hint[400];
	int rc;

	rc = remote_total(ctx, a->from, &known, &total);
	if (rc == EXIT_OK)
		rc = resume_point(ctx, a->from, part, known, total, type, &start);
	if (rc != EXIT_OK)
		return rc;
	setup(ctx, a->from, &p, &link);
	/* Answers ahead of a lost one wait here: a chunk is at most one
	 * packet's payload, and a window of them can be ahead. */
	p.hold_cap = SMP_MAX_WINDOW * smp_max_payload(&ctx->engine);
	p.hold = malloc(p.hold_cap);
	if (!p.hold)
		p.hold_cap = 0; /* they are asked for again */
	/* Standard output keeps nothing to resume from. */
	start_bar(ctx, &bar, &p, "download", start, total, !part->to_stdout);
	smp_fs_download(&ctx->engine, &p, start, total, sink, &s, r);
	free(p.hold);
	end_bar(ctx, &bar);
	cli_link_done(ctx, &link, r->result, &r->learned, r->summary);
	*secs = progress_elapsed(&bar.bar);
	fs_remote_close(ctx, a->from);
	if (r->result == SMP_OK)
		return EXIT_OK;
	if (r->result == SMP_FS_XFER_E_LOCAL)
		snprintf(r->detail, sizeof(r->detail), "cannot write %s: %s", part->part,
			 strerror(s.err));
	snprintf(hint, sizeof(hint),
		 " (%s keeps %llu of %llu bytes; run the same command again "
		 "to resume)",
		 part->part, (unsigned long long)part->size, (unsigned long long)r->total);
	return fs_report_xfer(ctx, "fs download", r, part->size && !part->to_stdout ? hint : NULL);
}

static int download_to(struct cli_ctx *ctx, const struct xfer_args *a, const char *target)
{
	struct part_file part;
	struct smp_fs_xfer_result r = { 0 };
	const char *type = NULL;
	bool verified = false;
	double secs = 0;
	int rc;

	if (!host_file_is_stdout(target) && host_file_check(target, a->force, &part.err) != 0)
		return cli_fail(ctx, cli_exit_for_file(&part.err), "fs download: %s %s", target,
				part.err.msg);
	if (part_open(&part, target) != 0)
		return cli_fail(ctx, cli_exit_for_file(&part.err), "fs download: %s.part %s",
				target, part.err.msg);
	rc = cli_connect(ctx);
	if (rc == EXIT_OK)
		rc = fetch(ctx, a, &part, &r, &secs, &type);
	if (rc == EXIT_OK)
		rc = check_download(ctx, a->from, &part, &type, &verified);
	if (rc == EXIT_OK && part_commit(&part, a->force) != 0)
		rc = cli_fail(ctx, cli_exit_for_file(&part.err), "fs download: %s %s", target,
			      part.err.msg);
	if (rc != EXIT_OK && (part.size == 0 || part.to_stdout))
		part_discard(&part); /* nothing worth keeping for a resume */
	part_close(&part);
	if (rc == EXIT_OK)
		download_report(ctx, a->from, target, &r, secs, type, verified);
	return rc;
}

int cmd_fs_download(struct cli_ctx *ctx, int argc, char **argv)
{
	struct xfer_args a;
	char *target;
	int rc = parse_xfer(ctx, argc, argv, "fs download REMOTE LOCAL [--force]", &a);

	if (rc != EXIT_OK)
		return rc;
	target = local_target(a.to, a.from);
	if (!target)
		return cli_fail(ctx, EXIT_LOCAL, "out of memory");
	/* LOCAL "-": the file is standard output, the report goes to stderr. */
	if (host_file_is_stdout(target)) {
		FILE *out = ctx->out;

		ctx->out = ctx->err;
		rc = download_to(ctx, &a, target);
		ctx->out = out;
	} else {
		rc = download_to(ctx, &a, target);
	}
	free(target);
	return rc;
}
