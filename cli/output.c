/* Where smpctl's words go: results on stdout (human or --json), errors
 * and -v diagnostics on stderr, each error on one line. */
#include <stdarg.h>
#include <stdio.h>

#include "cli/cli.h"

int cli_fail(struct cli_ctx *ctx, int code, const char *fmt, ...)
{
	const char *note = code == EXIT_TRANSPORT ? cli_link_note(ctx) : NULL;
	va_list ap;

	fprintf(ctx->err, "smpctl: ");
	va_start(ap, fmt);
	vfprintf(ctx->err, fmt, ap);
	va_end(ap);
	if (note)
		fprintf(ctx->err, " (%s)", note);
	fputc('\n', ctx->err);
	/* The first error is the cause; later ones are its consequences. */
	if (!ctx->last_error[0]) {
		va_start(ap, fmt);
		vsnprintf(ctx->last_error, sizeof(ctx->last_error), fmt, ap);
		va_end(ap);
	}
	return code;
}

void cli_verbose(struct cli_ctx *ctx, int level, const char *fmt, ...)
{
	va_list ap;

	if (ctx->opts.verbose < level)
		return;
	fprintf(ctx->err, "smpctl: ");
	va_start(ap, fmt);
	vfprintf(ctx->err, fmt, ap);
	va_end(ap);
	fputc('\n', ctx->err);
}

void cli_print_json(struct cli_ctx *ctx, json_t *doc)
{
	if (!doc) {
		cli_fail(ctx, EXIT_LOCAL, "out of memory building JSON output");
		return;
	}
	ctx->json_printed = true;
	json_dumpf(doc, ctx->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', ctx->out);
	json_decref(doc);
}

double cli_json_round(double v, int decimals)
{
	double scale = 1;
	int i;

	for (i = 0; i < decimals; i++)
		scale *= 10;
	return (double)(long long)(v * scale + (v < 0 ? -0.5 : 0.5)) / scale;
}

void cli_print_text(struct cli_ctx *ctx, const char *key, const char *text)
{
	if (ctx->opts.json)
		cli_print_json(ctx, json_pack("{s:s}", key, text));
	else
		fprintf(ctx->out, "%s\n", text);
}
