#include "cli/trace.h"

#include <stdlib.h>
#include <string.h>

#include "cli/ui/cbor_json.h"
#include "cli/ui/text_safe.h"
#include "host/cbor_tree.h"
#include "smp/header.h"
#include "smp/status.h"

struct trace_link {
	struct smp_link inner;
	FILE *out;
};

static void dump(struct trace_link *l, char dir, const uint8_t *pkt, size_t len)
{
	struct smp_header h;
	const char *why = NULL, *gname;
	cbor_item_t *body;
	json_t *js;
	char *text;
	int r = smp_header_decode(pkt, len, &h);

	if (r == -1) {
		fprintf(l->out, "smpctl: %c %zu bytes, shorter than a header\n", dir, len);
		return;
	}
	gname = smp_group_name(h.group);
	fprintf(l->out, "smpctl: %c v%u %s group %u%s%s%s id %u seq %u len %u", dir, h.version + 1,
		smp_op_name(h.op), h.group, gname ? " (" : "", gname ? gname : "", gname ? ")" : "",
		h.id, h.seq, h.len);
	if (r == -2) {
		fprintf(l->out, " (packet has only %zu)\n", len - SMP_HEADER_SIZE);
		return;
	}
	body = tree_decode_map(pkt + SMP_HEADER_SIZE, h.len, &why);
	js = body ? cbor_to_json(body) : NULL;
	text = js ? json_dumps(js, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	/* Upload chunks carry kilobytes of hex: the start says enough. */
	/* JSON escapes C0 controls but not DEL or C1: still device text. */
	if (text) {
		fputs(": ", l->out);
		text_safe_write(l->out, text, strnlen(text, 300), TEXT_SAFE_LINE);
		fprintf(l->out, "%s\n", strlen(text) > 300 ? "..." : "");
	} else
		fprintf(l->out, ": %s\n", why ? why : "(not JSON-printable)");
	free(text);
	json_decref(js);
	if (body)
		cbor_decref(&body);
}

static int trace_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct trace_link *l = ctx;

	dump(l, '>', pkt, len);
	return l->inner.ops->send(l->inner.ctx, pkt, len);
}

static int trace_recv(void *ctx, uint8_t *buf, size_t cap, size_t *len, int timeout_ms)
{
	struct trace_link *l = ctx;
	int rc = l->inner.ops->recv(l->inner.ctx, buf, cap, len, timeout_ms);

	if (rc == SMP_IO_OK)
		dump(l, '<', buf, *len);
	return rc;
}

static size_t trace_mtu(void *ctx)
{
	struct trace_link *l = ctx;

	return l->inner.ops->mtu(l->inner.ctx);
}

static int trace_reconnect(void *ctx, int timeout_ms)
{
	struct trace_link *l = ctx;

	fprintf(l->out, "smpctl: reconnecting\n");
	return l->inner.ops->reconnect ? l->inner.ops->reconnect(l->inner.ctx, timeout_ms) : 0;
}

static const char *trace_last_error(void *ctx)
{
	struct trace_link *l = ctx;

	return l->inner.ops->last_error ? l->inner.ops->last_error(l->inner.ctx) : "";
}

static void trace_close(void *ctx)
{
	struct trace_link *l = ctx;

	l->inner.ops->close(l->inner.ctx);
	free(l);
}

static void trace_set_frame_gap(void *ctx, unsigned ms, unsigned burst)
{
	struct trace_link *l = ctx;

	l->inner.ops->set_frame_gap(l->inner.ctx, ms, burst);
}

static const struct smp_transport_ops trace_ops = {
	.name = "trace",
	.send = trace_send,
	.recv = trace_recv,
	.mtu = trace_mtu,
	.reconnect = trace_reconnect,
	.last_error = trace_last_error,
	.close = trace_close,
};

static size_t trace_frame_fit(void *ctx, unsigned frames)
{
	struct trace_link *l = ctx;

	return l->inner.ops->frame_fit ? l->inner.ops->frame_fit(l->inner.ctx, frames) : 0;
}

/* The same, for a transport with frames: the ops stay optional. */
static const struct smp_transport_ops trace_ops_framed = {
	.name = "trace",
	.send = trace_send,
	.recv = trace_recv,
	.mtu = trace_mtu,
	.reconnect = trace_reconnect,
	.last_error = trace_last_error,
	.close = trace_close,
	.set_frame_gap = trace_set_frame_gap,
	.frame_fit = trace_frame_fit,
};

int trace_transport_wrap(struct smp_link *t, FILE *out)
{
	struct trace_link *l = malloc(sizeof(*l));

	if (!l)
		return -1;
	l->inner = *t;
	l->out = out;
	t->ops = t->ops->set_frame_gap ? &trace_ops_framed : &trace_ops;
	t->ctx = l;
	return 0;
}
