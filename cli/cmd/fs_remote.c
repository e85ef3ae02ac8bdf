#include "cli/cmd/fs_remote.h"

#include <string.h>

#include "cli/cmd/commands.h"

/* The first answer of a transfer may wait for the file system (littlefs
 * allocating, an erase). */

static bool fs_error(const struct smp_response *rsp, int code)
{
	return rsp->result == SMP_E_DEVICE && rsp->status.kind == SMP_STATUS_ERR &&
	       rsp->status.group == SMP_GROUP_FS && rsp->status.rc == code;
}

static bool generic_error(const struct smp_response *rsp, int code)
{
	return rsp->result == SMP_E_DEVICE && rsp->status.kind == SMP_STATUS_RC &&
	       rsp->status.rc == code;
}

/* What a stat or hash request names; the engine writes it straight into
 * its packet (a path is the user's text, of any length). */
struct fs_query {
	const char *name, *type;
	uint64_t off, len;
};

static int encode_stat(void *arg, struct smp_cbor_writer *w)
{
	const struct fs_query *q = arg;

	return smp_fs_stat_req(w, q->name);
}

static int encode_hash(void *arg, struct smp_cbor_writer *w)
{
	const struct fs_query *q = arg;

	return smp_fs_hash_req(w, q->name, q->type, q->off, q->len);
}

static int call(struct cli_ctx *ctx, uint8_t op, uint8_t id,
		int (*encode)(void *arg, struct smp_cbor_writer *w), struct fs_query *q,
		struct smp_response *rsp)
{
	struct smp_request req = {
		.op = op, .group = SMP_GROUP_FS, .id = id, .encode = encode, .encode_arg = q
	};
	int rc = cli_connect(ctx);

	memset(rsp, 0, sizeof(*rsp));
	if (rc != EXIT_OK)
		return rc;
	smp_call(&ctx->engine, &req, rsp);
	return EXIT_OK;
}

enum probe fs_remote_size(struct cli_ctx *ctx, const char *what, const char *name, bool must_exist,
			  uint64_t *len, int *rc)
{
	struct fs_query q = { name, NULL, 0, 0 };
	struct smp_response rsp;
	enum probe p = PROBE_OK;
	const char *why;

	*rc = call(ctx, SMP_OP_READ, SMP_FS_STAT, encode_stat, &q, &rsp);
	if (*rc != EXIT_OK)
		return PROBE_FAILED;
	if (!must_exist &&
	    (fs_error(&rsp, SMP_FS_ERR_FILE_NOT_FOUND) || generic_error(&rsp, SMP_MGMT_ERR_ENOENT)))
		p = PROBE_ABSENT;
	else if (generic_error(&rsp, SMP_MGMT_ERR_ENOTSUP))
		p = PROBE_UNSUPPORTED;
	else if (rsp.result != SMP_OK)
		*rc = cli_group_report(ctx, what, &rsp), p = PROBE_FAILED;
	else if (smp_fs_stat_rsp(&rsp.body, len, &why) != 0)
		*rc = cli_bad_answer(ctx, what, why), p = PROBE_FAILED;
	smp_response_clear(&rsp);
	return p;
}

/* One hash request of one type. */
static enum probe hash_once(struct cli_ctx *ctx, const char *what, const char *name,
			    bool must_exist, const char *type, uint64_t off, uint64_t len,
			    struct smp_fs_hash *h, int *rc)
{
	struct fs_query q = { name, type, off, len };
	struct smp_response rsp;
	enum probe p = PROBE_OK;
	const char *why;

	*rc = call(ctx, SMP_OP_READ, SMP_FS_HASH, encode_hash, &q, &rsp);
	if (*rc != EXIT_OK)
		return PROBE_FAILED;
	if (fs_error(&rsp, SMP_FS_ERR_CHECKSUM_HASH_NOT_FOUND) ||
	    generic_error(&rsp, SMP_MGMT_ERR_EINVAL) || generic_error(&rsp, SMP_MGMT_ERR_ENOTSUP))
		p = PROBE_UNSUPPORTED;
	else if (!must_exist && (fs_error(&rsp, SMP_FS_ERR_FILE_NOT_FOUND) ||
				 generic_error(&rsp, SMP_MGMT_ERR_ENOENT)))
		p = PROBE_ABSENT;
	else if (fs_error(&rsp, SMP_FS_ERR_FILE_EMPTY))
		p = PROBE_EMPTY;
	else if (rsp.result != SMP_OK)
		*rc = cli_group_report(ctx, what, &rsp), p = PROBE_FAILED;
	else if (smp_fs_hash_rsp(&rsp.body, h, &why) != 0)
		*rc = cli_bad_answer(ctx, what, why), p = PROBE_FAILED;
	else if (strcmp(h->type, type))
		*rc = cli_bad_answer(ctx, what, "the device answered with another hash type"),
		p = PROBE_FAILED;
	smp_response_clear(&rsp);
	return p;
}

enum probe fs_remote_hash(struct cli_ctx *ctx, const char *what, const char *name, bool must_exist,
			  const char **type, uint64_t off, uint64_t len, struct smp_fs_hash *h,
			  int *rc)
{
	static const char *const preferred[] = { "sha256", "crc32" };
	enum probe p = PROBE_UNSUPPORTED;

	if (*type)
		return hash_once(ctx, what, name, must_exist, *type, off, len, h, rc);
	for (size_t i = 0; i < 2 && p == PROBE_UNSUPPORTED; i++) {
		p = hash_once(ctx, what, name, must_exist, preferred[i], off, len, h, rc);
		if (p != PROBE_UNSUPPORTED)
			*type = preferred[i];
	}
	return p;
}

void fs_remote_close(struct cli_ctx *ctx, const char *name)
{
	struct smp_request req = { .op = SMP_OP_WRITE, .group = SMP_GROUP_FS, .id = SMP_FS_CLOSE };
	struct smp_response rsp;

	if (!ctx->connected)
		return;
	smp_call(&ctx->engine, &req, &rsp);
	if (rsp.result != SMP_OK)
		cli_verbose(ctx, 1, "fs: closing %s on the device: %s", name,
			    smp_result_name(rsp.result));
	smp_response_clear(&rsp);
}

int fs_report_xfer(struct cli_ctx *ctx, const char *what, const struct smp_fs_xfer_result *r,
		   const char *hint)
{
	char line[160], why[400];

	hint = hint ? hint : "";
	if (r->result == SMP_FS_XFER_E_LOCAL)
		return cli_fail(ctx, EXIT_LOCAL, "%s: %s%s", what, r->detail, hint);
	if (r->result != SMP_E_DEVICE)
		return cli_fail(ctx, cli_exit_for(r->result), "%s: %s%s%s%s", what,
				smp_result_name(r->result), r->detail[0] ? ": " : "", r->detail,
				hint);
	smp_status_format(&r->status, line, sizeof(line));
	if (r->status.kind == SMP_STATUS_RC && r->status.rc == SMP_MGMT_ERR_ENOTSUP &&
	    cli_explain_unsupported(ctx, SMP_GROUP_FS, why, sizeof(why)))
		return cli_fail(ctx, EXIT_DEVICE, "%s: device error: %s; %s%s", what, line, why,
				hint);
	return cli_fail(ctx, EXIT_DEVICE, "%s: device error: %s%s", what, line, hint);
}
