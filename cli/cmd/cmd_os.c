/* OS group commands: echo, reset, params, os info. */
#include <stdlib.h>
#include <string.h>

#include "cli/cmd/commands.h"
#include "cli/cmd/mcumgr_print.h"
#include "cli/opts.h"
#include "cli/parse_options.h"
#include "smp/grp_os.h"

/* Joins argv[1..] with spaces, as a shell user expects "echo a b". */
static char *join_args(int argc, char **argv)
{
	size_t len = 1, i;
	char *s;

	for (i = 1; i < (size_t)argc; i++)
		len += strlen(argv[i]) + 1;
	s = malloc(len);
	if (!s)
		return NULL;
	s[0] = 0;
	for (i = 1; i < (size_t)argc; i++) {
		if (i > 1)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

/* A malloc'd NUL-terminated copy of a text view, or NULL. */
static char *text_copy(const struct smp_cbor *t)
{
	size_t len;
	char *s;

	if (smp_item_text_len(t, &len) != SMP_GET_OK)
		return NULL;
	s = malloc(len + 1);
	if (s && smp_item_text(t, s, len + 1) != SMP_GET_OK) {
		free(s);
		s = NULL;
	}
	return s;
}

int cmd_echo(struct cli_ctx *ctx, int argc, char **argv)
{
	struct smp_cbor_writer w;
	struct smp_response rsp;
	struct smp_cbor view;
	uint8_t *req = NULL;
	char *text = NULL, *answer = NULL;
	const char *why;
	size_t cap = 0;
	int rc;

	if (argc > 1 && !strcmp(argv[1], "--")) {
		argv++;
		argc--;
	}
	if (argc < 2)
		return cli_fail(ctx, EXIT_USAGE, "usage: smpctl echo TEXT...");
	text = join_args(argc, argv);
	/* The map, the key and the text's head take at most 16 bytes. */
	if (text)
		cap = strlen(text) + 16;
	req = text ? malloc(cap) : NULL;
	if (!req) {
		rc = cli_fail(ctx, EXIT_LOCAL, "out of memory");
		goto out;
	}
	smp_cbor_writer_init(&w, req, cap);
	if (smp_os_echo_req(&w, text) != 0) {
		rc = cli_fail(ctx, EXIT_LOCAL, "echo: the request does not fit");
		goto out;
	}
	rc = cli_request(ctx, "echo", SMP_OP_WRITE, SMP_GROUP_OS, SMP_OS_ECHO, req, w.len, &rsp);
	if (rc != EXIT_OK)
		goto out;
	if (smp_os_echo_rsp(&rsp.body, &view, &why) != 0) {
		rc = cli_bad_answer(ctx, "echo", why);
		goto out;
	}
	answer = text_copy(&view);
	if (!answer) {
		rc = cli_fail(ctx, EXIT_LOCAL, "out of memory");
		goto out;
	}
	cli_print_text(ctx, "echo", answer);
out:
	free(text);
	free(answer);
	free(req);
	return rc;
}

struct reset_args {
	bool force;
	int boot_mode; /* < 0: not sent */
};

const struct cli_option reset_options[] = {
	OPT_FLAG("force", 'f', "reset even if the application objects (busy)", struct reset_args,
		 force),
	OPT_INT("boot-mode", 0, "N", "boot mode to ask for, 0 to 255 (1: stay in the bootloader)",
		struct reset_args, boot_mode, 0, 255),
	OPT_END(),
};

int cmd_reset(struct cli_ctx *ctx, int argc, char **argv)
{
	static const char usage[] = "usage: smpctl reset [--force] [--boot-mode N]";
	struct reset_args a = { false, -1 };
	struct smp_cbor_writer w;
	struct smp_response rsp;
	uint8_t req[32];
	int rc;

	if (cli_parse_options(ctx, &argc, argv, reset_options, &a, usage, CLI_PARSE_STOP_AT_ARG) !=
	    EXIT_OK)
		return EXIT_USAGE;
	if (argc != 1)
		return cli_fail(ctx, EXIT_USAGE, "%s", usage);
	smp_cbor_writer_init(&w, req, sizeof(req));
	if (smp_os_reset_req(&w, a.force, a.boot_mode) != 0)
		return cli_fail(ctx, EXIT_LOCAL, "reset: the request does not fit");
	rc = cli_request(ctx, "reset", SMP_OP_WRITE, SMP_GROUP_OS, SMP_OS_RESET, req, w.len, &rsp);
	if (rc != EXIT_OK)
		return rc;
	if (ctx->opts.json)
		cli_print_json(ctx, json_pack("{s:b}", "reset", 1));
	else if (cli_go_words(ctx))
		go_print_done(ctx);
	else
		fprintf(ctx->out, "device is resetting\n");
	return EXIT_OK;
}

int cmd_params(struct cli_ctx *ctx, int argc, char **argv)
{
	uint64_t size = 0, count = 0;
	int rc;

	if (argc != 1)
		return cli_fail(ctx, EXIT_USAGE, "usage: smpctl params");
	rc = cli_get_params(ctx, &size, &count);
	if (rc != EXIT_OK)
		return rc;
	if (ctx->opts.json)
		cli_print_json(ctx, json_pack("{s:I,s:I}", "buf_size", (json_int_t)size,
					      "buf_count", (json_int_t)count));
	else
		fprintf(ctx->out, "buf_size:  %llu\nbuf_count: %llu\n", (unsigned long long)size,
			(unsigned long long)count);
	return EXIT_OK;
}

/* One os info letter's answer, or NULL: a letter the build leaves out
 * (b without CONFIG_MCUMGR_GRP_OS_INFO_BUILD_DATE_TIME) is null, not an
 * error, as the device leaves it out of "a". */
static char *os_info_one(struct cli_ctx *ctx, char letter)
{
	char fmt[2] = { letter, 0 };
	uint8_t req[32];
	struct smp_cbor_writer w;
	struct smp_request r = { .op = SMP_OP_READ, .group = SMP_GROUP_OS, .id = SMP_OS_INFO };
	struct smp_response rsp;
	struct smp_cbor view;
	char *text = NULL;
	const char *why;

	smp_cbor_writer_init(&w, req, sizeof(req));
	if (smp_os_info_req(&w, fmt) != 0)
		return NULL;
	r.body = req;
	r.body_len = w.len;
	smp_call(&ctx->engine, &r, &rsp);
	if (rsp.result == SMP_OK && smp_os_info_rsp(&rsp.body, &view, &why) == 0)
		text = text_copy(&view);
	smp_response_clear(&rsp);
	return text;
}

/* --json: each letter of the format as a named field, asked one by one
 * (the letters of "a" are the nine of Zephyr's os_mgmt_info). */
static json_t *os_info_fields(struct cli_ctx *ctx, const char *format, const char *output)
{
	static const struct {
		char letter;
		const char *name;
	} fields[] = {
		{ 's', "kernel_name" },	     { 'n', "node_name" },
		{ 'r', "kernel_release" },   { 'v', "kernel_version" },
		{ 'b', "build_date_time" },  { 'm', "machine" },
		{ 'p', "processor" },	     { 'i', "hardware_platform" },
		{ 'o', "operating_system" },
	};
	json_t *doc = json_pack("{s:s}", "output", output);
	size_t i;
	char *text;

	for (i = 0; doc && i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (!strchr(format, fields[i].letter) && !strchr(format, 'a'))
			continue;
		text = os_info_one(ctx, fields[i].letter);
		json_object_set_new(doc, fields[i].name, text ? json_string(text) : json_null());
		free(text);
	}
	return doc;
}

static int cmd_os_info(struct cli_ctx *ctx, int argc, char **argv)
{
	struct smp_cbor_writer w;
	struct smp_response rsp;
	struct smp_cbor view;
	uint8_t req[64];
	char *output = NULL;
	const char *why;
	int rc;

	if (argc > 2)
		return cli_fail(ctx, EXIT_USAGE, "usage: smpctl os info [FORMAT]");
	if (argc == 2 && strspn(argv[1], "snrvbmpioa") != strlen(argv[1]))
		return cli_fail(ctx, EXIT_USAGE,
				"os info: bad format '%s': use letters of snrvbmpioa", argv[1]);
	/* The format is letters of snrvbmpioa: repeated, they still fit
	 * a packet; a longer one does not fit req and is refused here. */
	smp_cbor_writer_init(&w, req, sizeof(req));
	if (smp_os_info_req(&w, argc == 2 ? argv[1] : NULL) != 0)
		return cli_fail(ctx, EXIT_USAGE, "os info: the format '%s' is too long", argv[1]);
	rc = cli_request(ctx, "os info", SMP_OP_READ, SMP_GROUP_OS, SMP_OS_INFO, req, w.len, &rsp);
	if (rc != EXIT_OK)
		return rc;
	if (smp_os_info_rsp(&rsp.body, &view, &why) != 0)
		return cli_bad_answer(ctx, "os info", why);
	/* The answer's view lasts until the next request: the --json
	 * fields below ask again. */
	output = text_copy(&view);
	if (!output)
		return cli_fail(ctx, EXIT_LOCAL, "out of memory");
	if (ctx->opts.json)
		cli_print_json(ctx, os_info_fields(ctx, argc == 2 ? argv[1] : "s", output));
	else
		cli_print_text(ctx, "output", output);
	free(output);
	return rc;
}

const struct cli_cmd os_commands[] = {
	{ "info", "[FORMAT]", "OS and build information (format letters snrvbmpioa)", cmd_os_info,
	  NULL, cli_no_options },
	{ "taskstat", "", "threads (as smpctl taskstat)", cmd_taskstat, NULL, cli_no_options },
	{ "mpstat", "", "memory pools (as smpctl mpstat)", cmd_mpstat, NULL, cli_no_options },
	{ "datetime", "get|set now|TIME", "the clock (as smpctl datetime)", NULL, datetime_commands,
	  NULL },
	{ "bootloader", "info [QUERY]", "the bootloader (as smpctl bootloader)", NULL,
	  bootloader_commands, NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
