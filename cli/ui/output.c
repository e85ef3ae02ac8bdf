/* Where smpctl's words go: results on stdout (human or --json), errors
 * and -v diagnostics on stderr, each error on one line. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/ui/progress.h"
#include "cli/ui/text_safe.h"
#include "host/host_file.h"

/* "smpctl: " and the message, without the line end. Messages carry
 * device text (an rsn, a name): escaped, and kept on one line. */
static void say(FILE *f, const char *fmt, va_list ap)
{
	char *msg = NULL;

	fprintf(f, "smpctl: ");
	if (vasprintf(&msg, fmt, ap) >= 0)
		text_safe_puts(f, msg, TEXT_SAFE_LINE);
	free(msg);
}

/* For a transport failure: what the link knows of it, or NULL. */
static const char *link_note(const struct cli_ctx *ctx)
{
	const struct smp_link *l = &ctx->link;

	if (!ctx->connected || !l->ops || !l->ops->timeout_note)
		return NULL;
	return l->ops->timeout_note(l->ctx);
}

int cli_fail(struct cli_ctx *ctx, int code, const char *fmt, ...)
{
	const char *note = code == EXIT_TRANSPORT ? link_note(ctx) : NULL;
	va_list ap;

	/* Ctrl-C in the shell: the shell says "interrupted", once; the
	 * transport error it caused is no news. */
	if (ctx->interrupted && *ctx->interrupted) {
		if (!ctx->last_error[0])
			snprintf(ctx->last_error, sizeof(ctx->last_error), "interrupted");
		return code;
	}
	va_start(ap, fmt);
	say(ctx->err, fmt, ap);
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

int cli_bad_answer(struct cli_ctx *ctx, const char *what, const char *why)
{
	return cli_fail(ctx, EXIT_PROTOCOL, "%s: bad answer from the device: %s", what, why);
}

void cli_verbose(struct cli_ctx *ctx, int level, const char *fmt, ...)
{
	va_list ap;

	if (ctx->opts.verbose < level)
		return;
	/* Above the bar: the next update draws it again below. */
	if (ctx->bar)
		progress_clear(ctx->bar);
	va_start(ap, fmt);
	say(ctx->err, fmt, ap);
	va_end(ap);
	fputc('\n', ctx->err);
	if (ctx->bar)
		progress_redraw(ctx->bar);
}

/* Every document says whether the command worked: "ok" first, true
 * unless the command put its own. */
static json_t *with_ok(json_t *doc)
{
	json_t *out;

	if (!json_is_object(doc) || json_object_get(doc, "ok"))
		return doc;
	out = json_pack("{s:b}", "ok", 1);
	if (!out || json_object_update(out, doc) != 0) {
		json_decref(out);
		return doc;
	}
	json_decref(doc);
	return out;
}

void cli_print_json(struct cli_ctx *ctx, json_t *doc)
{
	char *text;

	if (!doc) {
		cli_fail(ctx, EXIT_LOCAL, "out of memory building JSON output");
		return;
	}
	ctx->json_printed = true;
	doc = with_ok(doc);
	text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (text)
		cli_json_put(ctx->out, text);
	free(text);
	fputc('\n', ctx->out);
	json_decref(doc);
}

FILE *cli_progress_file(const struct cli_ctx *ctx)
{
	return ctx->progress_out ? ctx->progress_out : ctx->err;
}

enum progress_mode cli_progress_mode(const struct cli_ctx *ctx, bool drawn_elsewhere)
{
	return progress_mode_pick(ctx->opts.progress, ctx->opts.json, ctx->err_is_tty,
				  drawn_elsewhere);
}

void cli_progress_event(const struct cli_ctx *ctx, json_t *event)
{
	if (cli_progress_mode(ctx, false) == PROGRESS_JSON)
		cli_json_line(cli_progress_file(ctx), event);
	else
		json_decref(event);
}

void cli_print_text(struct cli_ctx *ctx, const char *key, const char *text)
{
	if (ctx->opts.json)
		cli_print_json(ctx, json_pack("{s:s}", key, text));
	else {
		text_safe_puts(ctx->out, text, TEXT_SAFE_LINES);
		fputc('\n', ctx->out);
	}
}

int cli_exit_for_file(const struct host_file_error *e)
{
	return e->err == EEXIST ? EXIT_USAGE : EXIT_LOCAL;
}
