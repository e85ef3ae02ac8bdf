/* `smpctl mcumgr image-list|image-test|image-confirm`: the image state
 * printed as Go mcumgr prints it, for scripts that read that output
 * (grep "hash:", awk '/slot=1/'). The compatibility front end sends Go's
 * `image list|test|confirm` here; smpctl's own `image` commands print the
 * same state in smpctl's form. Shape, as on Nordic's mcumgr page:
 *
 *   Images:
 *    image=0 slot=0
 *       version: 1.0.0
 *       bootable: true
 *       flags: active confirmed
 *       hash: 86dca73a...
 *   Split status: N/A (0)
 */
#include "cli/cmd/commands.h"
#include "cli/cmd/mcumgr_print.h"
#include "cli/image_file.h"
#include "smp/grp_img.h"

/* nmxact/nmp/image.go SplitStatus.String */
static const char *split_name(int64_t s)
{
	return s == 0 ? "N/A" : s == 1 ? "non-matching" : s == 2 ? "matching" : "Unknown!";
}

/* newtmgr/cli/image.go imageStatePrintRsp and imageFlagsStr */
static void print_go_state(struct cli_ctx *ctx, const struct smp_img_state *st)
{
	char version[sizeof(st->slots[0].version)];
	size_t i, k;

	if (ctx->opts.json) {
		cli_show_image_state(ctx, st);
		return;
	}
	fprintf(ctx->out, "Images:\n");
	for (i = 0; i < st->count; i++) {
		const struct smp_img_slot_state *s = &st->slots[i];
		static const char *const names[] = { "active", "confirmed", "pending",
						     "permanent" };
		const bool on[] = { s->active, s->confirmed, s->pending, s->permanent };
		bool first = true;

		go_version_text(s->version, s->version_plus_made, version, sizeof(version));
		fprintf(ctx->out,
			" image=%u slot=%u\n    version: %s\n    bootable: %s\n    flags: ",
			(unsigned)s->image, (unsigned)s->slot, SAFE(version),
			s->bootable ? "true" : "false");
		for (k = 0; k < 4; k++)
			if (on[k]) {
				fprintf(ctx->out, "%s%s", first ? "" : " ", names[k]);
				first = false;
			}
		fprintf(ctx->out, "\n    hash: %s", s->hash_len ? "" : "Unavailable");
		for (k = 0; k < s->hash_len; k++)
			fprintf(ctx->out, "%02x", s->hash[k]);
		fputc('\n', ctx->out);
	}
	fprintf(ctx->out, "Split status: %s (%lld)\n", split_name(st->split_status),
		(long long)st->split_status);
}

static int cmd_go_list(struct cli_ctx *ctx, int argc, char **argv)
{
	struct smp_img_state st;
	int rc;

	if (argc != 1)
		return cli_fail(ctx, EXIT_USAGE, "usage: smpctl mcumgr image-list");
	rc = cli_get_image_state(ctx, &st);
	if (rc == EXIT_OK)
		print_go_state(ctx, &st);
	return rc;
}

static int go_state_write(struct cli_ctx *ctx, const char *what, int argc, char **argv,
			  bool confirm)
{
	uint8_t hash[SMP_IMG_HASH_MAX];
	size_t len = 0;
	uint8_t req[SMP_IMG_STATE_REQ_MAX];
	struct smp_cbor_writer w;
	struct smp_response rsp;
	struct smp_img_state st;
	const char *why;
	int rc;

	if (argc == 2) {
		rc = cli_hash_arg(ctx, argv[1], hash, &len);
		if (rc != EXIT_OK)
			return rc;
	}
	smp_cbor_writer_init(&w, req, sizeof(req));
	if (smp_img_state_write_req(&w, len ? hash : NULL, len, confirm) != 0)
		return cli_fail(ctx, EXIT_LOCAL, "%s: the request does not fit", what);
	rc = cli_request(ctx, what, SMP_OP_WRITE, SMP_GROUP_IMAGE, SMP_IMG_STATE, req, w.len, &rsp);
	if (rc != EXIT_OK)
		return rc;
	if (smp_img_state_rsp(&rsp.body, &st, &why) != 0)
		rc = cli_bad_answer(ctx, what, why);
	else
		print_go_state(ctx, &st);
	return rc;
}

static int cmd_go_test(struct cli_ctx *ctx, int argc, char **argv)
{
	if (argc != 2)
		return cli_fail(ctx, EXIT_USAGE, "usage: mcumgr image test HASH");
	return go_state_write(ctx, "image test", argc, argv, false);
}

static int cmd_go_confirm(struct cli_ctx *ctx, int argc, char **argv)
{
	if (argc > 2)
		return cli_fail(ctx, EXIT_USAGE, "usage: mcumgr image confirm [HASH]");
	return go_state_write(ctx, "image confirm", argc, argv, true);
}

const struct cli_cmd mcumgr_commands[] = {
	{ "image-list", "", "the image state as Go mcumgr prints it", cmd_go_list, NULL,
	  cli_no_options },
	{ "image-test", "HASH", "mark for test, print the state as Go mcumgr does", cmd_go_test,
	  NULL, cli_no_options },
	{ "image-confirm", "[HASH]", "confirm, print the state as Go mcumgr does", cmd_go_confirm,
	  NULL, cli_no_options },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
