/* File system group: fs stat, hash, hashes and close; the transfers are
 * in cmd_fs_xfer.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd/commands.h"
#include "host/fs_files.h"
#include "cli/cmd/fs_remote.h"
#include "cli/parse_options.h"
#include "host/fs_hash.h"
#include "smp/hex.h"

static int cmd_fs_stat(struct cli_ctx *ctx, int argc, char **argv)
{
	uint64_t len = 0;
	int rc = EXIT_OK;

	if (argc != 2 || !argv[1][0])
		return cli_fail(ctx, EXIT_USAGE, "usage: smpctl fs stat REMOTE");
	switch (fs_remote_size(ctx, "fs stat", argv[1], true, &len, &rc)) {
	case PROBE_OK:
		break;
	case PROBE_UNSUPPORTED: {
		struct smp_response rsp = { .result = SMP_E_DEVICE,
					    .hdr.group = SMP_GROUP_FS,
					    .status = { .kind = SMP_STATUS_RC,
							.rc = SMP_MGMT_ERR_ENOTSUP } };

		return cli_group_report(ctx, "fs stat", &rsp);
	}
	default:
		return rc;
	}
	if (ctx->opts.json)
		cli_print_json(ctx,
			       json_pack("{s:s,s:I}", "name", argv[1], "len", (json_int_t)len));
	else
		fprintf(ctx->out, "%s: %llu bytes\n", argv[1], (unsigned long long)len);
	return EXIT_OK;
}

static void hash_text(const struct smp_fs_hash *h, char *buf, size_t cap)
{
	if (h->is_bytes && cap > 2 * h->nbytes)
		smp_hex_encode(h->bytes, h->nbytes, buf);
	else
		snprintf(buf, cap, "%08llx", (unsigned long long)h->number);
}

static json_t *hash_json(const char *name, const struct smp_fs_hash *h, bool empty)
{
	char text[2 * SMP_FS_HASH_MAX + 1];
	json_t *o = json_pack("{s:s,s:s,s:I,s:b}", "name", name, "type", h->type, "len",
			      (json_int_t)h->len, "empty", empty);

	if (!o || empty)
		return o;
	hash_text(h, text, sizeof(text));
	json_object_set_new(o, "output",
			    h->is_bytes ? json_string(text) : json_integer((json_int_t)h->number));
	return o;
}

/* The local file's hash of the same type, for the comparison. */
static int local_hash(struct cli_ctx *ctx, const char *path, const char *type,
		      struct smp_fs_hash *h)
{
	uint8_t *data = NULL;
	size_t len = 0;
	int rc = EXIT_OK;

	if (local_read_all(path, SIZE_MAX / 2, &data, &len) != 0)
		return cli_fail(ctx, EXIT_LOCAL, "fs hash: cannot read %s: %s", path,
				strerror(errno));
	if (fs_hash_local(type, data, len, h) != 0)
		rc = cli_fail(ctx, EXIT_USAGE, "fs hash: smpctl cannot compute a %s hash", type);
	free(data);
	return rc;
}

static int show_hash(struct cli_ctx *ctx, const char *remote, const char *local,
		     const struct smp_fs_hash *h, bool empty)
{
	struct smp_fs_hash mine;
	char text[2 * SMP_FS_HASH_MAX + 1];
	bool match = false;
	json_t *doc;
	int rc;

	if (local) {
		rc = local_hash(ctx, local, h->type, &mine);
		if (rc != EXIT_OK)
			return rc;
		match = empty ? mine.len == 0 : smp_fs_hash_equal(h, &mine) && mine.len == h->len;
	}
	if (ctx->opts.json) {
		doc = hash_json(remote, h, empty);
		if (doc && local) {
			json_object_set_new(doc, "local", json_string(local));
			json_object_set_new(doc, "match", json_boolean(match));
		}
		cli_print_json(ctx, doc);
	} else {
		hash_text(h, text, sizeof(text));
		if (empty)
			fprintf(ctx->out, "%s is empty (a device hashes no empty file)\n", remote);
		else
			fprintf(ctx->out, "%s  %s  %s (%llu bytes)\n", SAFE(h->type), text, remote,
				(unsigned long long)h->len);
		if (local)
			fprintf(ctx->out, "%s %s\n", match ? "matches" : "DIFFERS from", local);
	}
	if (local && !match)
		return cli_fail(ctx, EXIT_DEVICE, "fs hash: %s on the device differs from %s",
				remote, local);
	return EXIT_OK;
}

/* A hash type name fits fs_hash's type field; the device judges the rest. */
static int hash_type(struct cli_ctx *ctx, const char *value, void *values)
{
	if (!value[0] || strlen(value) > 8)
		return -1;
	*(const char **)values = value;
	return EXIT_OK;
}

static const struct cli_option fs_hash_options[] = {
	OPT_CALLBACK("type", 0, "sha256|crc32", "the hash to ask for (SHA-256, else CRC-32)",
		     hash_type),
	OPT_END(),
};

static int cmd_fs_hash(struct cli_ctx *ctx, int argc, char **argv)
{
	static const char usage[] = "usage: smpctl fs hash REMOTE [LOCAL] [--type sha256|crc32]";
	const char *type = NULL;
	struct smp_fs_hash h;
	int rc = EXIT_OK;

	if (cli_parse_options(ctx, &argc, argv, fs_hash_options, &type, usage, 0) != EXIT_OK)
		return EXIT_USAGE;
	if (argc < 2 || argc > 3 || !argv[1][0])
		return cli_fail(ctx, EXIT_USAGE, "%s", usage);
	switch (fs_remote_hash(ctx, "fs hash", argv[1], true, &type, 0, 0, &h, &rc)) {
	case PROBE_OK:
		break;
	case PROBE_EMPTY:
		memset(&h, 0, sizeof(h));
		snprintf(h.type, sizeof(h.type), "%s", type);
		return show_hash(ctx, argv[1], argc == 3 ? argv[2] : NULL, &h, true);
	case PROBE_UNSUPPORTED:
		return cli_fail(ctx, EXIT_DEVICE,
				"fs hash: the device computes no %s hash (see "
				"smpctl fs hashes)",
				type ? type : "sha256 or crc32");
	default:
		return rc;
	}
	return show_hash(ctx, argv[1], argc == 3 ? argv[2] : NULL, &h, false);
}

static int cmd_fs_hashes(struct cli_ctx *ctx, int argc, char **argv)
{
	struct smp_fs_hash_types t;
	struct smp_response rsp;
	const char *why;
	json_t *arr;
	int rc;

	if (argc != 1)
		return cli_fail(ctx, EXIT_USAGE, "usage: smpctl fs hashes");
	rc = cli_group_request(ctx, "fs hashes", SMP_OP_READ, SMP_GROUP_FS, SMP_FS_HASHES, NULL, 0,
			       &rsp);
	if (rc != EXIT_OK)
		return rc;
	rc = smp_fs_hashes_rsp(&rsp.body, &t, &why);
	smp_response_clear(&rsp);
	if (rc != 0)
		return cli_bad_answer(ctx, "fs hashes", why);
	if (ctx->opts.json) {
		arr = json_array();
		for (size_t i = 0; arr && i < t.count; i++)
			json_array_append_new(arr,
					      json_pack("{s:s,s:s,s:i}", "name", t.types[i].name,
							"format",
							t.types[i].is_bytes ? "bytes" : "number",
							"size", (int)t.types[i].size));
		cli_print_json(ctx, json_pack("{s:o}", "types", arr));
		return EXIT_OK;
	}
	fprintf(ctx->out, "%-10s %-8s %s\n", "TYPE", "FORMAT", "SIZE");
	for (size_t i = 0; i < t.count; i++)
		fprintf(ctx->out, "%-10s %-8s %u bytes\n", SAFE(t.types[i].name),
			t.types[i].is_bytes ? "bytes" : "number", t.types[i].size);
	return EXIT_OK;
}

static int cmd_fs_close(struct cli_ctx *ctx, int argc, char **argv)
{
	struct smp_response rsp;
	int rc;

	if (argc != 1)
		return cli_fail(ctx, EXIT_USAGE, "usage: smpctl fs close");
	rc = cli_group_request(ctx, "fs close", SMP_OP_WRITE, SMP_GROUP_FS, SMP_FS_CLOSE, NULL, 0,
			       &rsp);
	smp_response_clear(&rsp);
	if (rc != EXIT_OK)
		return rc;
	if (ctx->opts.json)
		cli_print_json(ctx, json_pack("{s:b}", "closed", 1));
	else
		fprintf(ctx->out, "the device closed its open file, if any\n");
	return EXIT_OK;
}

const struct cli_cmd fs_commands[] = {
	{ "upload", "LOCAL REMOTE [--force]", "send a file to the device (resumes)", cmd_fs_upload,
	  NULL, fs_xfer_options },
	{ "download", "REMOTE LOCAL [--force]", "fetch a file from the device (resumes)",
	  cmd_fs_download, NULL, fs_xfer_options },
	{ "stat", "REMOTE", "a file's size on the device", cmd_fs_stat, NULL, cli_no_options },
	{ "hash", "REMOTE [LOCAL] [--type T]", "a file's hash; checked against LOCAL", cmd_fs_hash,
	  NULL, fs_hash_options },
	{ "hashes", "", "the hash and checksum types the device has", cmd_fs_hashes, NULL,
	  cli_no_options },
	{ "close", "", "close the file a transfer left open", cmd_fs_close, NULL, cli_no_options },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
