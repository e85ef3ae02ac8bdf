/* "Not supported" in words: the device's own group list says whether the
 * firmware lacks the group or the group lacks the command. Asked quietly,
 * on a link that is already open, so that an explanation never becomes
 * an error of its own. */
#include <stdlib.h>

#include "cli/explain.h"
#include "smp/grp_enum.h"

/* "fs (8)", or "group 64" for groups smpctl has no name for. */
static void group_label(uint16_t id, char *buf, size_t cap)
{
	const char *name = smp_group_name(id);

	if (name)
		snprintf(buf, cap, "%s (%u)", name, id);
	else
		snprintf(buf, cap, "group %u", id);
}

/* "the fs group (8)", or "group 64". */
static void group_phrase(uint16_t id, char *buf, size_t cap)
{
	const char *name = smp_group_name(id);

	if (name)
		snprintf(buf, cap, "the %s group (%u)", name, id);
	else
		snprintf(buf, cap, "group %u", id);
}

/* The device's group list, asked without reporting anything. */
static bool quiet_group_list(struct cli_ctx *ctx, struct smp_enum_list *l)
{
	struct smp_request req = { .op = SMP_OP_READ,
				   .group = SMP_GROUP_ENUM,
				   .id = SMP_ENUM_LIST };
	struct smp_response rsp;
	const char *why;
	bool ok;

	if (!ctx->connected || smp_inflight(&ctx->engine) > 0)
		return false;
	ok = smp_call(&ctx->engine, &req, &rsp) == SMP_OK &&
	     smp_enum_list_rsp(&rsp.body, l, &why) == 0;
	smp_response_clear(&rsp);
	return ok;
}

bool cli_explain_unsupported(struct cli_ctx *ctx, uint16_t group, char *buf, size_t cap)
{
	struct smp_enum_list *l = malloc(sizeof(*l));
	char label[48];
	size_t i, n;
	bool found = false;

	if (!l || !quiet_group_list(ctx, l)) {
		free(l);
		return false;
	}
	for (i = 0; i < l->count; i++)
		found |= l->ids[i] == group;
	group_phrase(group, label, sizeof(label));
	if (found) {
		snprintf(buf, cap, "the device has %s but not this command in it", label);
		free(l);
		return true;
	}
	n = (size_t)snprintf(buf, cap, "the device does not have %s; it has:", label);
	for (i = 0; i < l->count && n < cap; i++) {
		group_label(l->ids[i], label, sizeof(label));
		n += (size_t)snprintf(buf + n, cap - n, "%s %s", i ? "," : "", label);
	}
	free(l);
	return true;
}
