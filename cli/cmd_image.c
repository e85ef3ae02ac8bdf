/* Image group commands that read or change slot state. */
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/hex.h"
#include "smp/grp_img.h"

/* Reads the image state; on EXIT_OK st must be freed with img_state_free. */
int cli_get_image_state(struct cli_ctx *ctx, struct img_state *st);

int cli_get_image_state(struct cli_ctx *ctx, struct img_state *st)
{
	cbor_item_t *rsp = NULL;
	const char *why;
	int rc;

	rc = cli_request(ctx, "image list", SMP_OP_READ, SMP_GROUP_IMAGE, IMG_STATE, NULL, &rsp);
	if (rc != EXIT_OK)
		return rc;
	if (img_state_rsp(rsp, st, &why) != 0)
		rc = cli_bad_answer(ctx, "image list", why);
	cbor_decref(&rsp);
	return rc;
}

static void flags_text(const struct img_slot_state *s, char *out, size_t cap)
{
	const struct {
		bool set;
		const char *name;
	} flags[] = {
		{ s->active, "active" },       { s->confirmed, "confirmed" },
		{ s->pending, "pending" },     { s->permanent, "permanent" },
		{ s->bootable, "bootable" },
	};
	size_t i, n = 0;

	out[0] = 0;
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (flags[i].set)
			n += (size_t)snprintf(out + n, cap > n ? cap - n : 0, "%s%s",
					      n ? "," : "", flags[i].name);
	if (!n)
		snprintf(out, cap, "-");
}

static json_t *slot_json(const struct img_slot_state *s)
{
	char hash[2 * IMG_HASH_MAX + 1];

	hex_encode(s->hash, s->hash_len, hash);
	return json_pack("{s:i,s:i,s:s,s:s?,s:b,s:b,s:b,s:b,s:b}", "image", (int)s->image,
			 "slot", (int)s->slot, "version", s->version, "hash",
			 s->hash_len ? hash : NULL, "active", s->active, "confirmed",
			 s->confirmed, "pending", s->pending, "permanent", s->permanent,
			 "bootable", s->bootable);
}

static void print_state(struct cli_ctx *ctx, const struct img_state *st)
{
	char hash[2 * IMG_HASH_MAX + 1], flags[64];
	size_t i;

	if (st->count == 0) {
		fprintf(ctx->out, "no images on the device\n");
		return;
	}
	fprintf(ctx->out, "%-5s %-4s %-16s %-34s %s\n", "IMAGE", "SLOT", "VERSION", "FLAGS",
		"HASH");
	for (i = 0; i < st->count; i++) {
		const struct img_slot_state *s = &st->slots[i];

		hex_encode(s->hash, s->hash_len, hash);
		flags_text(s, flags, sizeof(flags));
		fprintf(ctx->out, "%-5u %-4u %-16s %-34s %s\n", s->image, s->slot, s->version,
			flags, s->hash_len ? hash : "-");
	}
}

static json_t *state_json(const struct img_state *st)
{
	json_t *arr = json_array(), *doc;
	size_t i;

	for (i = 0; arr && i < st->count; i++)
		json_array_append_new(arr, slot_json(&st->slots[i]));
	doc = json_pack("{s:o}", "images", arr);
	if (doc && st->has_split_status)
		json_object_set_new(doc, "split_status", json_integer(st->split_status));
	return doc;
}

/* Prints the state as the last step of list, test and confirm. */
int cli_show_image_state(struct cli_ctx *ctx, const struct img_state *st);

int cli_show_image_state(struct cli_ctx *ctx, const struct img_state *st)
{
	if (ctx->opts.json)
		cli_print_json(ctx, state_json(st));
	else
		print_state(ctx, st);
	return EXIT_OK;
}

static int cmd_image_list(struct cli_ctx *ctx, int argc, char **argv)
{
	struct img_state st;
	int rc;

	if (argc != 1)
		return cli_fail(ctx, EXIT_USAGE, "usage: smpctl image list");
	rc = cli_get_image_state(ctx, &st);
	if (rc != EXIT_OK)
		return rc;
	rc = cli_show_image_state(ctx, &st);
	img_state_free(&st);
	return rc;
}

const struct cli_cmd image_commands[] = {
	{ "list", "", "images in each slot, with their state", cmd_image_list, NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};
