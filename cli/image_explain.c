/* Image group errors in words: what the device's slots hold and what to
 * do about it, in place of a bare IMG_MGMT_ERR_* name. */
#include <string.h>

#include "cli/explain.h"
#include "smp/grp_img.h"
#include "smp/hex.h"

/* Image group codes (Zephyr's enum img_mgmt_err_code_t). */
enum {
	IMG_ERR_HASH_NOT_FOUND = 8,
	IMG_ERR_NO_FREE_SLOT = 9,
	IMG_ERR_IMAGE_ALREADY_PENDING = 28,
};

#define SHOWN_HASH_BYTES 8

int cli_get_image_state_quiet(struct cli_ctx *ctx, struct smp_img_state *st)
{
	struct smp_request req = { .op = SMP_OP_READ,
				   .group = SMP_GROUP_IMAGE,
				   .id = SMP_IMG_STATE };
	struct smp_response rsp;
	const char *why;
	int rc;

	memset(st, 0, sizeof(*st));
	smp_call(&ctx->engine, &req, &rsp);
	rc = rsp.result == SMP_OK && smp_img_state_rsp(&rsp.body, st, &why) == 0 ? EXIT_OK
										 : EXIT_PROTOCOL;
	smp_response_clear(&rsp);
	return rc;
}

static bool is_image_err(const struct smp_status *st, int64_t code)
{
	return st->kind == SMP_STATUS_ERR && st->group == SMP_GROUP_IMAGE && st->rc == code;
}

static const struct smp_img_slot_state *pending_slot(const struct smp_img_state *st)
{
	for (size_t i = 0; i < st->count; i++)
		if (st->slots[i].pending && !st->slots[i].active)
			return &st->slots[i];
	for (size_t i = 0; i < st->count; i++)
		if (st->slots[i].pending)
			return &st->slots[i];
	return NULL;
}

static void describe(const struct smp_img_slot_state *s, char *buf, size_t cap)
{
	char hash[2 * SHOWN_HASH_BYTES + 1] = "-";

	if (s->hash_len >= SHOWN_HASH_BYTES)
		smp_hex_encode(s->hash, SHOWN_HASH_BYTES, hash);
	snprintf(buf, cap,
		 "slot %u holds pending image %s (%s), which MCUboot boots at the next "
		 "reset",
		 s->slot, s->version, hash);
}

static bool explain_pending(struct cli_ctx *ctx, int64_t code, char *buf, size_t cap)
{
	const struct smp_img_slot_state *p;
	struct smp_img_state st;
	char what[160];
	const char *tool = cli_spell(ctx, "smpctl", "mcumgr");
	bool ok = false;

	memset(&st, 0, sizeof(st));
	if (!ctx->connected || smp_inflight(&ctx->engine) ||
	    cli_get_image_state_quiet(ctx, &st) != EXIT_OK)
		goto out;
	p = pending_slot(&st);
	if (!p)
		goto out;
	describe(p, what, sizeof(what));
	if (code == IMG_ERR_NO_FREE_SLOT)
		snprintf(buf, cap,
			 "%s; the device will not erase or overwrite it: run '%s reset' "
			 "to boot it, then '%s image confirm' to keep it or reset again to go "
			 "back",
			 what, tool, tool);
	else
		snprintf(buf, cap,
			 "%s, and MCUboot takes one pending image at a time: run '%s "
			 "reset' to boot it first (then confirm it or reset again to go back)",
			 what, tool);
	ok = true;
out:
	return ok;
}

bool cli_explain_image_error(struct cli_ctx *ctx, const struct smp_status *st, char *buf,
			     size_t cap)
{
	if (is_image_err(st, IMG_ERR_NO_FREE_SLOT))
		return explain_pending(ctx, IMG_ERR_NO_FREE_SLOT, buf, cap);
	if (is_image_err(st, IMG_ERR_IMAGE_ALREADY_PENDING))
		return explain_pending(ctx, IMG_ERR_IMAGE_ALREADY_PENDING, buf, cap);
	return false;
}

bool cli_image_hash_not_found(const struct smp_status *st)
{
	return is_image_err(st, IMG_ERR_HASH_NOT_FOUND);
}

bool cli_image_no_free_slot(const struct smp_status *st)
{
	return is_image_err(st, IMG_ERR_NO_FREE_SLOT);
}
