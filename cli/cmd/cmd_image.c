/* Image group commands that read or change slot state. */
#include <stdlib.h>
#include <string.h>

#include "cli/cmd/commands.h"
#include "cli/cmd/mcumgr_print.h"
#include "smp/hex.h"
#include "cli/image_file.h"
#include "cli/cmd/image_info.h"
#include "cli/parse_options.h"
#include "cli/opts.h"
#include "cli/cmd/image_upload.h"
#include "smp/grp_img.h"

static void flags_text(const struct smp_img_slot_state *s, char *out, size_t cap)
{
	const struct {
		bool set;
		const char *name;
	} flags[] = {
		{ s->active, "active" },     { s->confirmed, "confirmed" },
		{ s->pending, "pending" },   { s->permanent, "permanent" },
		{ s->bootable, "bootable" },
	};
	size_t i, n = 0;

	out[0] = 0;
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (flags[i].set)
			n += (size_t)snprintf(out + n, cap > n ? cap - n : 0, "%s%s", n ? "," : "",
					      flags[i].name);
	if (!n)
		snprintf(out, cap, "-");
}

/* A hash to mark in listings: the image file the user named. */
struct mark {
	const uint8_t *hash;
	size_t len;
};

static bool marked(const struct mark *m, const struct smp_img_slot_state *s)
{
	return m && m->hash && s->hash_len == m->len && !memcmp(s->hash, m->hash, m->len);
}

static json_t *slot_json(const struct smp_img_slot_state *s, const struct mark *m)
{
	char hash[2 * SMP_IMG_HASH_MAX + 1];
	json_t *o;

	smp_hex_encode(s->hash, s->hash_len, hash);
	o = json_pack("{s:i,s:i,s:s,s:s?,s:b,s:b,s:b,s:b,s:b}", "image", (int)s->image, "slot",
		      (int)s->slot, "version", s->version, "hash", s->hash_len ? hash : NULL,
		      "active", s->active, "confirmed", s->confirmed, "pending", s->pending,
		      "permanent", s->permanent, "bootable", s->bootable);
	if (o && m && m->hash)
		json_object_set_new(o, "matches_file", json_boolean(marked(m, s)));
	return o;
}

/* Bytes of the hash a row shows: enough to tell images apart and to fit
 * 80 columns; -v and --json give it whole. */
#define SHORT_HASH_BYTES 8

static void print_state(struct cli_ctx *ctx, const struct smp_img_state *st, const struct mark *m)
{
	char hash[2 * SMP_IMG_HASH_MAX + 1], flags[64];
	size_t i, shown;

	if (st->count == 0) {
		fprintf(ctx->out, "no images on the device\n");
		return;
	}
	fprintf(ctx->out, "%-5s %-4s %-14s %-26s %s\n", "IMAGE", "SLOT", "VERSION", "FLAGS",
		"HASH");
	for (i = 0; i < st->count; i++) {
		const struct smp_img_slot_state *s = &st->slots[i];

		shown = ctx->opts.verbose || s->hash_len < SHORT_HASH_BYTES ? s->hash_len
									    : SHORT_HASH_BYTES;
		smp_hex_encode(s->hash, shown, hash);
		flags_text(s, flags, sizeof(flags));
		fprintf(ctx->out, "%-5u %-4u %-14s %-26s %s%s\n", s->image, s->slot,
			SAFE(s->version), flags, s->hash_len ? hash : "-",
			marked(m, s) ? "  <= file" : "");
	}
}

static json_t *state_json(const struct smp_img_state *st, const struct mark *m)
{
	json_t *arr = json_array(), *doc;
	size_t i;

	for (i = 0; arr && i < st->count; i++)
		json_array_append_new(arr, slot_json(&st->slots[i], m));
	doc = json_pack("{s:o}", "images", arr);
	if (doc && st->has_split_status)
		json_object_set_new(doc, "split_status", json_integer(st->split_status));
	return doc;
}

static void show_state(struct cli_ctx *ctx, const struct smp_img_state *st, const struct mark *m)
{
	if (ctx->opts.json)
		cli_print_json(ctx, state_json(st, m));
	else
		print_state(ctx, st, m);
}

int cli_show_image_state(struct cli_ctx *ctx, const struct smp_img_state *st)
{
	show_state(ctx, st, NULL);
	return EXIT_OK;
}

static int cmd_image_list(struct cli_ctx *ctx, int argc, char **argv)
{
	uint8_t hash[SMP_IMG_HASH_MAX];
	struct mark m = { NULL, 0 };
	struct smp_img_state st;
	int rc;

	if (argc > 2)
		return cli_fail(ctx, EXIT_USAGE, "usage: smpctl image list [FILE]");
	if (argc == 2) {
		rc = cli_hash_arg(ctx, argv[1], hash, &m.len);
		if (rc != EXIT_OK)
			return rc;
		m.hash = hash;
	}
	rc = cli_get_image_state(ctx, &st);
	if (rc != EXIT_OK)
		return rc;
	show_state(ctx, &st, &m);
	return EXIT_OK;
}

/* slot holds the running image (slot 0, or either under direct-XIP). */
static bool slot_is_active(struct cli_ctx *ctx, int slot)
{
	struct smp_img_state st = { 0 };
	bool active = false;

	if (smp_inflight(&ctx->engine) == 0 && cli_get_image_state_quiet(ctx, &st) == EXIT_OK)
		for (size_t i = 0; i < st.count; i++)
			active |= st.slots[i].active && (int)st.slots[i].slot == slot;
	return active;
}

/* A write to the image group, with the errors a user can act on said in
 * words: a hash the device lacks, the running slot. hash or slot (>= 0)
 * name what the request was about. req is the request w wrote; on EXIT_OK
 * rsp->body views the answer. */
static int image_write(struct cli_ctx *ctx, const char *what, uint8_t id, const uint8_t *req,
		       size_t req_len, struct smp_response *rsp, const uint8_t *hash,
		       size_t hash_len, int slot)
{
	struct smp_request r = { .op = SMP_OP_WRITE,
				 .group = SMP_GROUP_IMAGE,
				 .id = id,
				 .body = req,
				 .body_len = req_len };
	char hex[2 * SMP_IMG_HASH_MAX + 1];
	int rc = cli_connect(ctx);

	smp_response_clear(rsp);
	if (rc != EXIT_OK)
		return rc;
	smp_call(&ctx->engine, &r, rsp);
	if (rsp->result == SMP_E_DEVICE && hash_len && cli_image_hash_not_found(&rsp->status)) {
		smp_hex_encode(hash, hash_len, hex);
		rc = cli_fail(ctx, EXIT_DEVICE,
			      "%s: no image with hash %s on the device "
			      "(IMG_MGMT_ERR_HASH_NOT_FOUND): upload it first (%s image upload "
			      "FILE)",
			      what, hex, cli_spell(ctx, "smpctl", "mcumgr"));
	} else if (rsp->result == SMP_E_DEVICE && slot >= 0 &&
		   cli_image_no_free_slot(&rsp->status) && slot_is_active(ctx, slot)) {
		rc = cli_fail(ctx, EXIT_DEVICE,
			      "%s: slot %d holds the running image, which cannot "
			      "be erased; '%s image erase' erases the other slot",
			      what, slot, cli_spell(ctx, "smpctl", "mcumgr"));
	} else {
		rc = cli_report_response(ctx, what, rsp);
	}
	return rc;
}

/* Fewest hex digits taken as the start of a hash, as image list shows. */
#define MIN_PREFIX_BYTES 4

/* HASH|FILE for test and confirm: a whole hash or an image file, or the
 * start of a hash as image list shows it, found among the device's
 * images. */
static int image_hash_arg(struct cli_ctx *ctx, const char *what, const char *arg, uint8_t *hash,
			  size_t *len)
{
	uint8_t prefix[SMP_IMG_HASH_MAX];
	const struct smp_img_slot_state *found = NULL;
	struct smp_img_state st;
	size_t n = strlen(arg) / 2, matches = 0;
	int rc;

	if (cli_is_file_arg(arg) || strlen(arg) >= 64 || n < MIN_PREFIX_BYTES ||
	    smp_hex_decode(arg, prefix, sizeof(prefix)) != (long)n)
		return cli_hash_arg(ctx, arg, hash, len);
	rc = cli_get_image_state(ctx, &st);
	for (size_t i = 0; rc == EXIT_OK && i < st.count; i++)
		if (st.slots[i].hash_len >= n && !memcmp(st.slots[i].hash, prefix, n) &&
		    !(found && found->hash_len == st.slots[i].hash_len &&
		      !memcmp(found->hash, st.slots[i].hash, found->hash_len))) {
			matches++; /* the same image in two slots is one */
			found = &st.slots[i];
		}
	if (rc == EXIT_OK && matches == 1) {
		memcpy(hash, found->hash, found->hash_len);
		*len = found->hash_len;
	} else if (rc == EXIT_OK) {
		rc = cli_fail(
			ctx, matches ? EXIT_USAGE : EXIT_DEVICE,
			matches ? "%s: %s is the start of more than one image's hash: give more "
				  "digits"
				: "%s: no image with a hash starting %s on the device: upload it "
				  "first (%s image upload FILE)",
			what, arg, cli_spell(ctx, "smpctl", "mcumgr"));
	}
	return rc;
}

/* test and confirm: a state write answered with the new state. */
static int state_write(struct cli_ctx *ctx, const char *what, const uint8_t *hash, size_t hash_len,
		       bool confirm)
{
	uint8_t req[SMP_IMG_STATE_REQ_MAX];
	struct smp_cbor_writer w;
	struct smp_response rsp;
	struct mark m = { hash, hash_len };
	struct smp_img_state st;
	const char *why;
	int rc;

	smp_cbor_writer_init(&w, req, sizeof(req));
	if (smp_img_state_write_req(&w, hash, hash_len, confirm) != 0)
		return cli_fail(ctx, EXIT_LOCAL, "%s: the request does not fit", what);
	rc = image_write(ctx, what, SMP_IMG_STATE, req, w.len, &rsp, hash, hash_len, -1);
	if (rc != EXIT_OK)
		return rc;
	if (smp_img_state_rsp(&rsp.body, &st, &why) != 0)
		rc = cli_bad_answer(ctx, what, why);
	else
		show_state(ctx, &st, &m);
	return rc;
}

static int cmd_image_test(struct cli_ctx *ctx, int argc, char **argv)
{
	uint8_t hash[SMP_IMG_HASH_MAX];
	size_t len;
	int rc;

	if (argc != 2)
		return cli_fail(ctx, EXIT_USAGE, "usage: smpctl image test HASH|FILE");
	rc = image_hash_arg(ctx, "image test", argv[1], hash, &len);
	return rc != EXIT_OK ? rc : state_write(ctx, "image test", hash, len, false);
}

static int cmd_image_confirm(struct cli_ctx *ctx, int argc, char **argv)
{
	uint8_t hash[SMP_IMG_HASH_MAX];
	size_t len = 0;
	int rc;

	if (argc > 2)
		return cli_fail(ctx, EXIT_USAGE, "usage: smpctl image confirm [HASH|FILE]");
	if (argc == 2) {
		rc = image_hash_arg(ctx, "image confirm", argv[1], hash, &len);
		if (rc != EXIT_OK)
			return rc;
	}
	return state_write(ctx, "image confirm", argc == 2 ? hash : NULL, len, true);
}

struct erase_args {
	int slot; /* < 0: slot 1, not sent */
};

static const struct cli_option image_erase_options[] = {
	OPT_INT("slot", 's', "N", "the slot to erase, 0 to 255 (1; slot 0 holds the running image)",
		struct erase_args, slot, 0, 255),
	OPT_END(),
};

static int cmd_image_erase(struct cli_ctx *ctx, int argc, char **argv)
{
	static const char usage[] = "usage: smpctl image erase [--slot N]";
	struct erase_args a = { -1 };
	uint8_t req[16];
	struct smp_cbor_writer w;
	struct smp_response rsp;
	int slot, rc;

	if (cli_parse_options(ctx, &argc, argv, image_erase_options, &a, usage, 0) != EXIT_OK)
		return EXIT_USAGE;
	if (argc != 1)
		return cli_fail(ctx, EXIT_USAGE, "%s", usage);
	slot = a.slot;
	smp_cbor_writer_init(&w, req, sizeof(req));
	if (smp_img_erase_req(&w, slot) != 0)
		return cli_fail(ctx, EXIT_LOCAL, "image erase: the request does not fit");
	rc = image_write(ctx, "image erase", SMP_IMG_ERASE, req, w.len, &rsp, NULL, 0,
			 slot < 0 ? 1 : slot);
	if (rc != EXIT_OK)
		return rc;
	if (ctx->opts.json)
		cli_print_json(ctx,
			       json_pack("{s:b,s:i}", "erased", 1, "slot", slot < 0 ? 1 : slot));
	else if (cli_go_words(ctx))
		go_print_done(ctx);
	else
		fprintf(ctx->out, "erased slot %d\n", slot < 0 ? 1 : slot);
	return EXIT_OK;
}

static json_t *slot_info_json(const struct smp_img_slot_info *info)
{
	json_t *images = json_array();
	size_t i, k;

	for (i = 0; images && i < info->count; i++) {
		const struct smp_img_slot_info_image *im = &info->images[i];
		json_t *slots = json_array(), *o;

		for (k = 0; slots && k < im->nslots; k++) {
			o = json_pack("{s:i,s:I}", "slot", (int)im->slots[k].slot, "size",
				      (json_int_t)im->slots[k].size);
			if (o && im->slots[k].has_upload_image_id)
				json_object_set_new(o, "upload_image_id",
						    json_integer(im->slots[k].upload_image_id));
			json_array_append_new(slots, o);
		}
		o = json_pack("{s:i,s:o}", "image", (int)im->image, "slots", slots);
		if (o && im->has_max_image_size)
			json_object_set_new(o, "max_image_size",
					    json_integer((json_int_t)im->max_image_size));
		json_array_append_new(images, o);
	}
	return json_pack("{s:o}", "images", images);
}

static void print_slot_info(struct cli_ctx *ctx, const struct smp_img_slot_info *info)
{
	size_t i, k;

	fprintf(ctx->out, "%-5s %-4s %-10s %-10s %s\n", "IMAGE", "SLOT", "SIZE", "UPLOAD-ID",
		"MAX-IMAGE-SIZE");
	for (i = 0; i < info->count; i++) {
		const struct smp_img_slot_info_image *im = &info->images[i];

		for (k = 0; k < im->nslots; k++) {
			char id[16] = "-", max[24] = "-";

			if (im->slots[k].has_upload_image_id)
				snprintf(id, sizeof(id), "%u", im->slots[k].upload_image_id);
			if (im->has_max_image_size)
				snprintf(max, sizeof(max), "%llu",
					 (unsigned long long)im->max_image_size);
			fprintf(ctx->out, "%-5u %-4u %-10llu %-10s %s\n", im->image,
				im->slots[k].slot, (unsigned long long)im->slots[k].size, id, max);
		}
	}
}

static int cmd_image_slots(struct cli_ctx *ctx, int argc, char **argv)
{
	struct smp_img_slot_info info;
	struct smp_response rsp;
	const char *why;
	int rc;

	if (argc != 1)
		return cli_fail(ctx, EXIT_USAGE, "usage: smpctl image slots");
	rc = cli_request(ctx, "image slots", SMP_OP_READ, SMP_GROUP_IMAGE, SMP_IMG_SLOT_INFO, NULL,
			 0, &rsp);
	if (rc != EXIT_OK)
		return rc;
	if (smp_img_slot_info_rsp(&rsp.body, &info, &why) != 0)
		rc = cli_bad_answer(ctx, "image slots", why);
	else if (ctx->opts.json)
		cli_print_json(ctx, slot_info_json(&info));
	else
		print_slot_info(ctx, &info);
	return rc;
}

/* image info reads its own arguments (cmd_image_info.c): the row is for
 * --help and the completions. */
static const struct cli_option image_info_options[] = {
	OPT_STRING("key", 'k', "PUB.pem", "check the key and signature with this public key",
		   struct image_info, key_path),
	OPT_END(),
};

const struct cli_cmd image_commands[] = {
	{ "list", "[FILE]", "images in each slot, with their state", cmd_image_list, NULL,
	  cli_no_options },
	{ "info", "FILE [--key PUB.pem]", "check an image file offline", cmd_image_info, NULL,
	  image_info_options },
	{ "upload", "FILE [--image N] [--upgrade] [--force] [--key PUB.pem] [--chunk-size N]",
	  "upload an image to the device", cmd_image_upload, NULL, cli_upload_options },
	{ "test", "HASH|FILE", "boot this image once at the next reset", cmd_image_test, NULL,
	  cli_no_options },
	{ "confirm", "[HASH|FILE]", "keep this (or the running) image", cmd_image_confirm, NULL,
	  cli_no_options },
	{ "erase", "[--slot N]", "erase a slot (1 by default)", cmd_image_erase, NULL,
	  image_erase_options },
	{ "slots", "", "slot sizes and the largest image", cmd_image_slots, NULL, cli_no_options },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
