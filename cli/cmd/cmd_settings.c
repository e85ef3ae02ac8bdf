/* Settings group: read, write and delete one value; commit, load, save.
 * Values are bytes: written from text, hex or a file, shown as text when
 * they are printable and as hex otherwise. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd/commands.h"
#include "host/fs_files.h"
#include "host/host_file.h"
#include "smp/hex.h"
#include "cli/opts.h"
#include "cli/parse_options.h"
#include "smp/grp_settings.h"

#define MAX_VALUE 65536

static bool printable(const uint8_t *v, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((v[i] < 0x20 && v[i] != '\t' && v[i] != '\n') || v[i] == 0x7f)
			return false;
	return true;
}

enum value_form {
	FORM_AUTO,
	FORM_TEXT,
	FORM_HEX
};

struct read_opts {
	enum value_form form;
	const char *out; /* write the raw value to this file, "-" stdout */
	bool force;	 /* replace an existing --out file */
	unsigned long max_size;
};

/* A bad --max-size gives the usage, not a range. */
static int max_size(struct cli_ctx *ctx, const char *value, void *values)
{
	struct read_opts *o = values;

	if (cli_parse_uint(value, UINT32_MAX, &o->max_size) || o->max_size == 0)
		return -1;
	return EXIT_OK;
}

static const struct cli_option settings_read_options[] = {
	OPT_SET("hex", 0, "show the value as hex", struct read_opts, form, FORM_HEX),
	OPT_SET("text", 0, "show the value as text", struct read_opts, form, FORM_TEXT),
	OPT_STRING("out", 0, "FILE|-", "write the raw bytes to FILE (- for standard output)",
		   struct read_opts, out),
	OPT_FLAG("force", 0, "replace an existing FILE", struct read_opts, force),
	OPT_CALLBACK("max-size", 0, "N", "ask for at most N bytes, 1 to 4294967295", max_size),
	OPT_END(),
};

static int parse_read(struct cli_ctx *ctx, int argc, char **argv, struct read_opts *o)
{
	static const char usage[] = "usage: smpctl settings read NAME [--hex|--text] "
				    "[--out FILE|- [--force]] [--max-size N]";

	if (cli_parse_options(ctx, &argc, argv, settings_read_options, o, usage, 0) != EXIT_OK)
		return EXIT_USAGE;
	if (argc != 2 || !argv[1][0])
		return cli_fail(ctx, EXIT_USAGE, "%s", usage);
	return EXIT_OK;
}

/* A request's bytes beyond its name and value: the map's and strings'
 * heads (at most 9 bytes each) and the keys. */
#define REQUEST_HEADS 64

static int write_out(struct cli_ctx *ctx, const struct read_opts *o, const uint8_t *v, size_t len)
{
	struct host_file_error e;

	if (host_file_write(o->out, v, len, o->force, &e) != 0)
		return cli_fail(ctx, cli_exit_for_file(&e), "settings read: %s %s", o->out, e.msg);
	return EXIT_OK;
}

/* A value read, the host's copy of it. */
struct value_copy {
	uint8_t *val;
	size_t len;
	bool has_max_size;
	uint64_t max_size;
};

static void show_value(struct cli_ctx *ctx, const char *name, const struct value_copy *v,
		       enum value_form form)
{
	char *hex = malloc(2 * v->len + 1);
	bool text = printable(v->val, v->len);

	if (!hex) {
		cli_fail(ctx, EXIT_LOCAL, "out of memory");
		return;
	}
	smp_hex_encode(v->val, v->len, hex);
	if (ctx->opts.json) {
		json_t *o = json_pack("{s:s,s:s,s:I}", "name", name, "hex", hex, "len",
				      (json_int_t)v->len);

		if (o && text)
			json_object_set_new(o, "text", json_stringn((const char *)v->val, v->len));
		if (o && v->has_max_size)
			json_object_set_new(o, "max_size", json_integer((json_int_t)v->max_size));
		cli_print_json(ctx, o);
	} else if (form == FORM_TEXT || (form == FORM_AUTO && text && v->len)) {
		text_safe_write(ctx->out, (const char *)v->val, v->len, TEXT_SAFE_LINES);
		fputc('\n', ctx->out);
	} else {
		fprintf(ctx->out, "%s\n", hex);
	}
	free(hex);
}

static int cmd_settings_read(struct cli_ctx *ctx, int argc, char **argv)
{
	struct read_opts o = { FORM_AUTO, NULL, false, 0 };
	struct host_file_error e;
	struct smp_settings_value view;
	struct value_copy v = { NULL, 0, false, 0 };
	struct smp_response rsp;
	struct smp_cbor_writer w;
	uint8_t *req;
	const char *why, *name;
	size_t cap;
	int rc;

	if (parse_read(ctx, argc, argv, &o) != EXIT_OK)
		return EXIT_USAGE;
	name = argv[1];
	/* Refused before the device is asked; checked again at the rename. */
	if (o.out && !host_file_is_stdout(o.out) && host_file_check(o.out, o.force, &e) != 0)
		return cli_fail(ctx, cli_exit_for_file(&e), "settings read: %s %s", o.out, e.msg);
	cap = strlen(name) + REQUEST_HEADS;
	req = malloc(cap);
	if (!req)
		return cli_fail(ctx, EXIT_LOCAL, "out of memory");
	smp_cbor_writer_init(&w, req, cap);
	smp_settings_read_req(&w, name, (uint32_t)o.max_size);
	rc = cli_group_request(ctx, "settings read", SMP_OP_READ, SMP_GROUP_SETTINGS,
			       SMP_SETTINGS_READ_WRITE, req, w.len, &rsp);
	free(req);
	if (rc != EXIT_OK)
		return rc;
	if (smp_settings_read_rsp(&rsp.body, &view, &why) != 0) {
		smp_response_clear(&rsp);
		return cli_bad_answer(ctx, "settings read", why);
	}
	v = (struct value_copy){ malloc(view.len ? view.len : 1), 0, view.has_max_size,
				 view.max_size };
	if (v.val)
		smp_item_bytes(&view.val, v.val, view.len, &v.len);
	smp_response_clear(&rsp);
	if (!v.val)
		return cli_fail(ctx, EXIT_LOCAL, "out of memory");
	if (o.max_size && v.has_max_size)
		cli_verbose(ctx, 1, "settings read: the device reads at most %llu bytes",
			    (unsigned long long)v.max_size);
	if (o.out)
		rc = write_out(ctx, &o, v.val, v.len);
	else
		show_value(ctx, name, &v, o.form);
	free(v.val);
	return rc;
}

/* The value to write, from VALUE (text or hex) or --file. */
static int write_value(struct cli_ctx *ctx, enum value_form form, const char *file, const char *arg,
		       uint8_t **val, size_t *len)
{
	long n;

	if (file) {
		if (local_read_all(file, MAX_VALUE, val, len) != 0)
			return cli_fail(ctx, EXIT_LOCAL, "settings write: cannot read %s: %s", file,
					strerror(errno));
		return EXIT_OK;
	}
	*len = strlen(arg);
	*val = malloc(*len + 1);
	if (!*val)
		return cli_fail(ctx, EXIT_LOCAL, "out of memory");
	if (form != FORM_HEX) {
		memcpy(*val, arg, *len);
		return EXIT_OK;
	}
	n = smp_hex_decode(arg, *val, *len);
	if (n < 0) {
		free(*val);
		return cli_fail(ctx, EXIT_USAGE, "settings write: '%s' is not hex", arg);
	}
	*len = (size_t)n;
	return EXIT_OK;
}

struct write_args {
	enum value_form form;
	const char *file; /* the value from this file */
	const char *name, *value;
};

static const struct cli_option settings_write_options[] = {
	OPT_SET("hex", 0, "VALUE is hex bytes", struct write_args, form, FORM_HEX),
	OPT_SET("text", 0, "VALUE is text (the default)", struct write_args, form, FORM_TEXT),
	OPT_STRING("file", 0, "FILE", "the value is FILE's bytes", struct write_args, file),
	OPT_END(),
};

static int parse_write(struct cli_ctx *ctx, int argc, char **argv, struct write_args *a)
{
	static const char usage[] = "usage: smpctl settings write NAME VALUE|--hex HEX|--file FILE";

	*a = (struct write_args){ .form = FORM_TEXT };
	if (cli_parse_options(ctx, &argc, argv, settings_write_options, a, usage, 0) != EXIT_OK)
		return EXIT_USAGE;
	if (argc - 1 != (a->file ? 1 : 2) || !argv[1][0])
		return cli_fail(ctx, EXIT_USAGE, "%s", usage);
	a->name = argv[1];
	a->value = a->file ? NULL : argv[2];
	return EXIT_OK;
}

static int cmd_settings_write(struct cli_ctx *ctx, int argc, char **argv)
{
	struct write_args a;
	struct smp_response rsp;
	struct smp_cbor_writer w;
	uint8_t *val = NULL, *req;
	size_t len = 0, cap;
	int rc = parse_write(ctx, argc, argv, &a);

	if (rc == EXIT_OK)
		rc = write_value(ctx, a.form, a.file, a.value, &val, &len);
	if (rc != EXIT_OK)
		return rc;
	cap = strlen(a.name) + len + REQUEST_HEADS;
	req = malloc(cap);
	if (!req) {
		free(val);
		return cli_fail(ctx, EXIT_LOCAL, "out of memory");
	}
	smp_cbor_writer_init(&w, req, cap);
	smp_settings_write_req(&w, a.name, val, len);
	free(val);
	rc = cli_group_request(ctx, "settings write", SMP_OP_WRITE, SMP_GROUP_SETTINGS,
			       SMP_SETTINGS_READ_WRITE, req, w.len, &rsp);
	free(req);
	smp_response_clear(&rsp);
	if (rc != EXIT_OK)
		return rc;
	if (ctx->opts.json)
		cli_print_json(ctx,
			       json_pack("{s:s,s:I}", "name", a.name, "written", (json_int_t)len));
	else
		fprintf(ctx->out, "%s: %zu bytes written (settings save keeps them)\n", a.name,
			len);
	return EXIT_OK;
}

/* delete, commit, load and save: one request, nothing to show but that
 * it was done. */
struct settings_action {
	const char *name; /* the subcommand */
	uint8_t op, id;
	bool takes_name;
	const char *done; /* what the human output says */
};

static const struct settings_action actions[] = {
	{ "delete", SMP_OP_WRITE, SMP_SETTINGS_DELETE, true, "deleted from storage" },
	{ "commit", SMP_OP_WRITE, SMP_SETTINGS_COMMIT, false, "settings committed" },
	{ "load", SMP_OP_READ, SMP_SETTINGS_LOAD_SAVE, false, "settings loaded from storage" },
	{ "save", SMP_OP_WRITE, SMP_SETTINGS_LOAD_SAVE, false, "settings saved to storage" },
};

static int run_action(struct cli_ctx *ctx, const struct settings_action *a, int argc, char **argv)
{
	struct smp_response rsp;
	struct smp_cbor_writer w = { NULL, 0, 0, false };
	uint8_t *req = NULL;
	char what[32];
	int rc;

	if (argc != (a->takes_name ? 2 : 1) || (a->takes_name && !argv[1][0]))
		return cli_fail(ctx, EXIT_USAGE, "usage: smpctl settings %s%s", a->name,
				a->takes_name ? " NAME" : "");
	if (a->takes_name) {
		req = malloc(strlen(argv[1]) + REQUEST_HEADS);
		if (!req)
			return cli_fail(ctx, EXIT_LOCAL, "out of memory");
		smp_cbor_writer_init(&w, req, strlen(argv[1]) + REQUEST_HEADS);
		smp_settings_delete_req(&w, argv[1]);
	}
	snprintf(what, sizeof(what), "settings %s", a->name);
	rc = cli_group_request(ctx, what, a->op, SMP_GROUP_SETTINGS, a->id, req, w.len, &rsp);
	free(req);
	smp_response_clear(&rsp);
	if (rc != EXIT_OK)
		return rc;
	if (ctx->opts.json)
		cli_print_json(ctx, a->takes_name
					    ? json_pack("{s:s,s:b}", "name", argv[1], a->name, 1)
					    : json_pack("{s:b}", a->name, 1));
	else if (a->takes_name)
		fprintf(ctx->out, "%s: %s\n", argv[1], a->done);
	else
		fprintf(ctx->out, "%s\n", a->done);
	return EXIT_OK;
}

static int cmd_settings_action(struct cli_ctx *ctx, int argc, char **argv)
{
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (!strcmp(argv[0], actions[i].name))
			return run_action(ctx, &actions[i], argc, argv);
	return cli_fail(ctx, EXIT_USAGE, "settings: unknown action '%s'", argv[0]);
}

const struct cli_cmd settings_commands[] = {
	{ "read", "NAME [--hex|--text] [--out FILE|- [--force]] [--max-size N]", "read one value",
	  cmd_settings_read, NULL, settings_read_options },
	{ "write", "NAME VALUE|--hex HEX|--file FILE", "write one value (run-time)",
	  cmd_settings_write, NULL, settings_write_options },
	{ "delete", "NAME", "delete one value from storage", cmd_settings_action, NULL,
	  cli_no_options },
	{ "commit", "", "apply the values written", cmd_settings_action, NULL, cli_no_options },
	{ "load", "", "load the stored values", cmd_settings_action, NULL, cli_no_options },
	{ "save", "", "store the run-time values", cmd_settings_action, NULL, cli_no_options },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
