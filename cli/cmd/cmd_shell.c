/* Shell group: shell exec CMD ARG... runs a command in the device's shell
 * and prints what it printed; smpctl's exit code follows the command's. */
#include <stdlib.h>
#include <string.h>

#include "cli/cmd/commands.h"
#include "cli/cmd/mcumgr_print.h"
#include "smp/grp_shell.h"

/* The device's output as a terminal wants it: CR LF made LF, and a line
 * end after the last line. */
static void print_output(FILE *out, const char *text)
{
	size_t n = strlen(text);

	for (const char *p = text; *p; p++)
		if (!(p[0] == '\r' && p[1] == '\n'))
			text_safe_write(out, p, 1, TEXT_SAFE_LINES);
	if (n && text[n - 1] != '\n')
		fputc('\n', out);
}

/* The answer to an exec: the engine calls an old device's {"o", "rc": N}
 * a device error, though it is the command's own return code. */
static int decode_result(const struct smp_response *rsp, struct smp_shell_result *r,
			 const char **why)
{
	if (smp_shell_exec_rsp(&rsp->body, r, why) != 0)
		return -1;
	/* The view lasts until the engine's next call: keep a copy. */
	r->output = malloc(r->text_len + 1);
	if (!r->output) {
		*why = "out of memory";
		return -1;
	}
	smp_item_text(&r->text, r->output, r->text_len + 1);
	return 0;
}

static int take_result(struct cli_ctx *ctx, const struct smp_response *rsp,
		       struct smp_shell_result *r)
{
	struct smp_cbor o;
	const char *why;

	if (rsp->result == SMP_E_DEVICE && rsp->status.kind == SMP_STATUS_RC && rsp->body.len &&
	    smp_map_find(&rsp->body, "o", &o) == SMP_GET_OK && decode_result(rsp, r, &why) == 0)
		return EXIT_OK;
	if (rsp->result != SMP_OK)
		return cli_group_report(ctx, "shell exec", rsp);
	if (decode_result(rsp, r, &why) != 0)
		return cli_bad_answer(ctx, "shell exec", why);
	return EXIT_OK;
}

/* The command line, written by the engine straight into its packet. */
struct exec_args {
	int argc;
	char **argv;
};

static int encode_exec(void *arg, struct smp_cbor_writer *w)
{
	const struct exec_args *a = arg;

	return smp_shell_exec_req(w, a->argc, a->argv);
}

static int cmd_shell_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	struct smp_request req = { .op = SMP_OP_WRITE,
				   .group = SMP_GROUP_SHELL,
				   .id = SMP_SHELL_EXEC };
	struct smp_response rsp;
	struct smp_shell_result r = { 0 };
	struct exec_args args;
	int rc;

	if (argc > 1 && !strcmp(argv[1], "--"))
		argc--, argv++;
	if (argc < 2)
		return cli_fail(ctx, EXIT_USAGE, "usage: smpctl shell exec COMMAND [ARG...]");
	rc = cli_connect(ctx);
	if (rc != EXIT_OK)
		return rc;
	args = (struct exec_args){ argc - 1, argv + 1 };
	req.encode = encode_exec;
	req.encode_arg = &args;
	smp_call(&ctx->engine, &req, &rsp);
	rc = take_result(ctx, &rsp, &r);
	smp_response_clear(&rsp);
	if (rc != EXIT_OK) {
		free(r.output);
		return rc;
	}
	if (ctx->opts.json)
		cli_print_json(ctx, json_pack("{s:s,s:I}", "output", r.output, "ret",
					      (json_int_t)r.ret));
	else if (cli_go_words(ctx))
		go_print_shell(ctx, &r);
	else
		print_output(ctx->out, r.output);
	if (r.ret != 0 && !ctx->opts.json)
		cli_fail(ctx, EXIT_DEVICE, "shell exec: '%s%s' returned %lld", argv[1],
			 argc > 2 ? " ..." : "", (long long)r.ret);
	free(r.output);
	return r.ret != 0 ? EXIT_DEVICE : EXIT_OK;
}

const struct cli_cmd shell_commands[] = {
	{ "exec", "COMMAND [ARG...]", "run a command in the device's shell", cmd_shell_exec, NULL,
	  NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
