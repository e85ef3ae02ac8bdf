#include "cli/link.h"

#include <stdio.h>
#include <string.h>

#include "cli/link_cache.h"
#include "smp/grp_os.h"

static size_t no_params_buffer(const struct smp_link *l)
{
	return l->ops && l->ops->no_params_buffer ? l->ops->no_params_buffer(l->ctx) : 0;
}

/* The device's buffers: params may be missing on old firmware and in
 * MCUboot serial recovery, then the transport's MTU and one buffer.
 * False when the device gave none. */
static bool device_buffers(struct cli_ctx *ctx, size_t *buf_size, size_t *buf_count)
{
	struct smp_request req = { .op = SMP_OP_READ, .group = SMP_GROUP_OS, .id = SMP_OS_PARAMS };
	struct smp_response rsp;
	uint64_t size, count;
	size_t assumed;
	bool given = false;

	*buf_size = ctx->transport.ops->mtu(ctx->transport.ctx);
	*buf_count = 1;
	if (smp_call(&ctx->engine, &req, &rsp) == SMP_OK &&
	    smp_get_uint(&rsp.body, "buf_size", &size) == SMP_GET_OK &&
	    smp_get_uint(&rsp.body, "buf_count", &count) == SMP_GET_OK && size >= 64 &&
	    count >= 1) {
		*buf_size = (size_t)size;
		*buf_count = (size_t)count;
		given = true;
		cli_verbose(ctx, 1, "device buffers: %zu x %zu bytes", *buf_count, *buf_size);
		cli_device_buffer(ctx, *buf_size);
	} else if (!ctx->opts.mtu && (assumed = no_params_buffer(&ctx->link)) > 0) {
		/* The transport knows what such a device takes (MCUboot's
		 * serial recovery): the probe starts there and comes down to
		 * what passes. */
		*buf_size = assumed;
		cli_device_buffer(ctx, *buf_size);
		cli_verbose(ctx, 1, "device gave no buffer parameters: trying %zu-byte packets",
			    ctx->transport.ops->mtu(ctx->transport.ctx));
	} else {
		cli_verbose(ctx, 1, "device gave no buffer parameters: assuming one of %zu bytes",
			    *buf_size);
	}
	smp_response_clear(&rsp);
	return given;
}

/* One printable line: the connection and what the device said. */
static void make_key(struct cli_ctx *ctx, bool given, size_t size, size_t count, char *key,
		     size_t cap)
{
	char conn[sizeof(((struct cli_link *)0)->key)], params[48];

	cli_connection_key(ctx, conn, sizeof(conn));
	if (given)
		snprintf(params, sizeof(params), "%zux%zu", size, count);
	else
		snprintf(params, sizeof(params), "none");
	snprintf(key, cap, "%s params=%s", conn, params);
	for (char *p = key; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

void cli_link_plan(struct cli_ctx *ctx, int first_timeout_ms, struct cli_link *l)
{
	const struct cli_opts *o = &ctx->opts;
	struct smp_xfer_plan *p = &l->plan;
	struct smp_xfer_link cached;
	size_t size, count, mtu;
	bool given;

	memset(l, 0, sizeof(*l));
	given = device_buffers(ctx, &size, &count);
	mtu = ctx->transport.ops->mtu(ctx->transport.ctx);
	make_key(ctx, given, size, count, l->key, sizeof(l->key));
	p->start.packet = size < mtu ? size : mtu;
	/* Each request in flight holds one device buffer and its answer
	 * takes another. */
	p->window_max = (unsigned)(count > 1 ? count - 1 : 1);
	if (p->window_max > SMP_MAX_WINDOW)
		p->window_max = SMP_MAX_WINDOW;
	p->start.window = p->window_max;
	p->probe = true;
	p->first_timeout_ms = o->timeout_ms > first_timeout_ms ? o->timeout_ms : first_timeout_ms;
	if (link_cache_load(l->key, &cached) == 0) {
		l->cached = true;
		p->probe = false;
		p->start_proven = true;
		if (cached.packet < p->start.packet)
			p->start.packet = cached.packet;
		p->start.window = cached.window < p->window_max ? cached.window : p->window_max;
		p->start.gap_ms = cached.gap_ms;
		p->start.gap_burst = cached.gap_burst;
		cli_verbose(ctx, 1,
			    "link as learned before: %zu-byte packets, window %u, frame gap "
			    "%u ms every %u",
			    p->start.packet, p->start.window, p->start.gap_ms,
			    p->start.gap_burst > 1 ? p->start.gap_burst : 1);
	}
	if (o->window) {
		p->pin_window = true;
		p->start.window = p->window_max = o->window;
	}
	if (o->mtu) {
		p->pin_packet = true;
		p->start.packet = mtu; /* the transport holds -m */
	}
	if (o->frame_gap_ms >= 0) {
		p->pin_gap = true;
		p->start.gap_ms = (unsigned)o->frame_gap_ms;
		p->start.gap_burst = 1;
	}
	if (ctx->transport.ops->set_frame_gap)
		ctx->transport.ops->set_frame_gap(ctx->transport.ctx, p->start.gap_ms,
						  p->start.gap_burst);
}

void cli_link_done(struct cli_ctx *ctx, const struct cli_link *l, int result,
		   const struct smp_xfer_link *learned, const char *summary)
{
	const struct smp_xfer_plan *p = &l->plan;

	if (summary[0])
		cli_verbose(ctx, 1, "%s", summary);
	if (result != SMP_OK || p->pin_window || p->pin_packet || p->pin_gap || !learned->packet)
		return;
	if (link_cache_store(l->key, learned) != 0)
		cli_verbose(ctx, 1, "could not keep what was learned in the cache");
}
