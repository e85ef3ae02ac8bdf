/* Opening the transport the global options name, and turning engine
 * results into one-line errors and stable exit codes. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/explain.h"
#include "cli/interrupt.h"
#include "cli/trace.h"
#include "host/engine_heap.h"
#include "transport/ble.h"
#include "transport/gatt_smp.h"
#include "transport/mqtt.h"
#include "transport/pipe.h"
#include "transport/relay.h"
#include "transport/serial.h"
#include "transport/udp.h"

/* One row a kind of connection: everything the CLI knows of it by kind. */
struct transport_entry {
	enum cli_transport_kind kind;
	const char *option;
	/* Its name in the link cache key: boards of an MQTT line learn the
	 * same link as --mqtt to their URL. */
	const char *cache_kind;
	/* The line's speed belongs to what a transfer learns of it. */
	bool line_speed;
	/* The target is a URL that may carry a password, kept out of messages. */
	bool url_target;
	int (*open)(struct cli_ctx *ctx, char *err, size_t errlen);
};

static int open_udp(struct cli_ctx *ctx, char *err, size_t errlen)
{
	return udp_transport_open(&ctx->transport, ctx->opts.target, ctx->opts.mtu, err, errlen);
}

static void device_console(void *arg, const char *line)
{
	cli_verbose(arg, 1, "device: %s", line);
}

static void link_trace(void *arg, const char *msg)
{
	cli_verbose(arg, 1, "%s", msg);
}

static int open_serial(struct cli_ctx *ctx, char *err, size_t errlen)
{
	struct serial_opts o = {
		.path = ctx->opts.target,
		.baud = ctx->opts.baud,
		.rtscts = ctx->opts.rtscts,
		.raw = ctx->opts.serial_raw,
		.mtu = ctx->opts.mtu,
		.console = device_console,
		.trace = link_trace,
		.arg = ctx,
	};

	return serial_transport_open(&ctx->transport, &o, err, errlen);
}

static int open_ble(struct cli_ctx *ctx, char *err, size_t errlen)
{
	struct ble_opts o = {
		.target = ctx->opts.target,
		.hci = ctx->opts.hci,
		.addr_type = ctx->opts.addr_type,
		.backend = ctx->opts.ble_backend,
		.packet_max = ctx->opts.mtu,
		.trace = link_trace,
		.trace_arg = ctx,
	};

	return ble_transport_open(&ctx->transport, &o, err, errlen);
}

static void command_stderr(void *arg, const char *line)
{
	cli_verbose(arg, 1, "exec: %s", line);
}

static int open_exec(struct cli_ctx *ctx, char *err, size_t errlen)
{
	struct pipe_opts o = {
		.command = ctx->opts.target,
		.raw = ctx->opts.exec_raw,
		.mtu = ctx->opts.mtu,
		.stderr_line = command_stderr,
		.console = device_console,
		.trace = link_trace,
		.arg = ctx,
	};

	return pipe_transport_open(&ctx->transport, &o, err, errlen);
}

/* Connecting and subscribing: at least 5 s, a TLS handshake to a cloud
 * broker takes a while. */
#define MQTT_MIN_CONNECT_MS 5000

static int open_mqtt(struct cli_ctx *ctx, char *err, size_t errlen)
{
	struct mqtt_transport_opts o = {
		.url = ctx->opts.target,
		.topics = ctx->opts.mqtt_topics,
		.client_id = ctx->opts.mqtt_client_id,
		.cafile = ctx->opts.cafile,
		.cert = ctx->opts.cert,
		.key = ctx->opts.key,
		.mtu = ctx->opts.mtu,
		.timeout_ms = ctx->opts.timeout_ms > MQTT_MIN_CONNECT_MS ? ctx->opts.timeout_ms
									 : MQTT_MIN_CONNECT_MS,
		.trace = link_trace,
		.arg = ctx,
	};

	return mqtt_transport_open(&ctx->transport, &o, err, errlen);
}

static int open_relay(struct cli_ctx *ctx, char *err, size_t errlen)
{
	struct relay_opts o = *ctx->relay;

	o.user_mtu = ctx->opts.mtu;
	return relay_transport_open(&ctx->transport, &o, err, errlen);
}

static const struct transport_entry transports[] = {
	{ CLI_TRANSPORT_UDP, "--udp", "udp", false, false, open_udp },
	{ CLI_TRANSPORT_SERIAL, "--serial", "serial", true, false, open_serial },
	{ CLI_TRANSPORT_BLE, "--ble", "ble", false, false, open_ble },
	{ CLI_TRANSPORT_EXEC, "--exec", "exec", false, false, open_exec },
	{ CLI_TRANSPORT_MQTT, "--mqtt", "mqtt", false, true, open_mqtt },
	{ CLI_TRANSPORT_RELAY, "--each", "mqtt", false, true, open_relay },
};

static const struct transport_entry *entry_for(enum cli_transport_kind kind)
{
	size_t i;

	for (i = 0; i < sizeof(transports) / sizeof(transports[0]); i++)
		if (transports[i].kind == kind)
			return &transports[i];
	return NULL;
}

void cli_connection_key(const struct cli_ctx *ctx, char *buf, size_t cap)
{
	const struct transport_entry *e = entry_for(ctx->opts.transport);
	const struct cli_opts *o = &ctx->opts;

	snprintf(buf, cap, "%s %s baud=%u%s%s", e ? e->cache_kind : "other",
		 o->target ? o->target : "", e && e->line_speed ? o->baud : 0,
		 o->serial_raw ? " raw" : "", o->rtscts ? " rtscts" : "");
}

void cli_device_buffer(struct cli_ctx *ctx, size_t buf_size)
{
	const struct smp_link *l = &ctx->link;

	/* A packet size the user gave wins over what the device says. */
	if (ctx->opts.mtu || !l->ops || !l->ops->device_buffer)
		return;
	l->ops->device_buffer(l->ctx, buf_size);
	cli_verbose(ctx, 1, "%s packets up to %zu bytes", l->ops->name, l->ops->mtu(l->ctx));
}

/* Closes the transport and forgets it: a signal handler looks at it. */
static void close_link(struct cli_ctx *ctx)
{
	struct smp_link t = ctx->transport;

	/* Forgotten before it is freed: the handler never sees a closed one. */
	memset(&ctx->transport, 0, sizeof(ctx->transport));
	memset(&ctx->link, 0, sizeof(ctx->link));
	t.ops->close(t.ctx);
}

static void engine_trace(void *arg, const char *msg)
{
	cli_verbose(arg, 1, "%s", msg);
}

/* The target for messages: an MQTT URL without its password. */
static const char *shown_target(struct cli_ctx *ctx, char *buf, size_t len)
{
	const struct transport_entry *e = entry_for(ctx->opts.transport);
	const char *t = ctx->opts.target, *scheme = strstr(t, "://"), *at, *slash;

	if (!e || !e->url_target || !scheme)
		return t;
	at = strchr(scheme + 3, '@');
	slash = strchr(scheme + 3, '/');
	if (!at || (slash && slash < at))
		return t;
	snprintf(buf, len, "%.*s***%s", (int)(scheme + 3 - t), t, at);
	return buf;
}

int cli_connect(struct cli_ctx *ctx)
{
	const struct transport_entry *entry = NULL;
	struct smp_engine_cfg cfg;
	char err[512] = "", shown[512];

	if (ctx->connected)
		return EXIT_OK;
	entry = entry_for(ctx->opts.transport);
	if (!entry)
		return cli_fail(
			ctx, EXIT_USAGE,
			"no device given: use --udp HOST[:PORT], --serial DEVICE, --ble ADDRESS, --exec CMD or --mqtt URL");
	if (entry->open(ctx, err, sizeof(err)) != 0)
		return cli_fail(ctx, EXIT_TRANSPORT, "%s", err);
	ctx->link = ctx->transport;
	if (ctx->opts.verbose >= 2 && trace_transport_wrap(&ctx->transport, ctx->err) != 0) {
		close_link(ctx);
		return cli_fail(ctx, EXIT_LOCAL, "out of memory");
	}
	if (ctx->interrupted && interrupt_transport_wrap(&ctx->transport, ctx->interrupted) != 0) {
		ctx->transport.ops->close(ctx->transport.ctx);
		return cli_fail(ctx, EXIT_LOCAL, "out of memory");
	}
	smp_engine_cfg_defaults(&cfg);
	cfg.timeout_ms = ctx->opts.timeout_ms;
	cfg.retries = ctx->opts.retries;
	cfg.window = 1;
	cfg.version = ctx->opts.smp_version == 1 ? SMP_V1 : SMP_V2;
	cfg.trace = engine_trace;
	cfg.trace_arg = ctx;
	if (engine_heap_init(&ctx->engine, &ctx->transport, &cfg) != SMP_OK) {
		close_link(ctx);
		return cli_fail(ctx, EXIT_LOCAL, "out of memory");
	}
	ctx->connected = true;
	cli_verbose(ctx, 1, "connected over %s to %s (mtu %zu)", entry->option + 2,
		    shown_target(ctx, shown, sizeof(shown)),
		    ctx->transport.ops->mtu(ctx->transport.ctx));
	return EXIT_OK;
}

void cli_disconnect(struct cli_ctx *ctx)
{
	if (!ctx->connected)
		return;
	engine_heap_fini(&ctx->engine);
	ctx->connected = false;
	close_link(ctx);
}

int cli_exit_for(int smp_result)
{
	switch (smp_result) {
	case SMP_OK:
		return EXIT_OK;
	case SMP_E_DEVICE:
		return EXIT_DEVICE;
	case SMP_E_TIMEOUT:
	case SMP_E_TRANSPORT:
		return EXIT_TRANSPORT;
	case SMP_E_PROTOCOL:
		return EXIT_PROTOCOL;
	case SMP_E_TOOBIG:
		return EXIT_USAGE;
	}
	return EXIT_LOCAL;
}

/* Group errors with a usual fix (codes from Zephyr's os_mgmt.h and
 * fs_mgmt.h enums). */
static const struct group_hint {
	uint16_t group;
	int64_t rc;
	const char *hint;
} group_hints[] = {
	{ SMP_GROUP_OS, 4 /* OS_MGMT_ERR_RTC_NOT_SET */,
	  "the device's clock is not set: run 'smpctl datetime set now'" },
	{ SMP_GROUP_FS, 2 /* FS_MGMT_ERR_FILE_INVALID_NAME */,
	  "a path on the device starts with its file system's mount point (/lfs1/FILE in "
	  "Zephyr's smp_svr sample)" },
};

/* What a user can do about a generic error the device gave. */
static const char *hint_for(const struct smp_status *st)
{
	size_t i;

	if (st->kind == SMP_STATUS_ERR)
		for (i = 0; i < sizeof(group_hints) / sizeof(group_hints[0]); i++)
			if (group_hints[i].group == st->group && group_hints[i].rc == st->rc)
				return group_hints[i].hint;
	if (st->kind != SMP_STATUS_RC)
		return NULL;
	switch (st->rc) {
	case SMP_MGMT_ERR_ENOTSUP:
		return "the device does not support this command (is its group enabled in the firmware?)";
	case SMP_MGMT_ERR_EMSGSIZE:
		return "the request or answer is too large for the device's buffer";
	case SMP_MGMT_ERR_UNSUPPORTED_TOO_NEW:
		return "try --smp-version 1";
	case SMP_MGMT_ERR_UNSUPPORTED_TOO_OLD:
		return "try --smp-version 2";
	}
	return NULL;
}

int cli_report_response(struct cli_ctx *ctx, const char *what, const struct smp_response *rsp)
{
	char line[256], why[512];
	const char *hint;

	switch (rsp->result) {
	case SMP_OK:
		return EXIT_OK;
	case SMP_E_DEVICE:
		smp_status_format(&rsp->status, line, sizeof(line));
		/* Ask the device which groups it has: better than a guess. */
		if (rsp->status.kind == SMP_STATUS_RC && rsp->status.rc == SMP_MGMT_ERR_ENOTSUP &&
		    cli_explain_unsupported(ctx, rsp->hdr.group, why, sizeof(why)))
			return cli_fail(ctx, EXIT_DEVICE, "%s: device error: %s; %s", what, line,
					why);
		if (cli_explain_image_error(ctx, &rsp->status, why, sizeof(why)))
			return cli_fail(ctx, EXIT_DEVICE, "%s: device error: %s; %s", what, line,
					why);
		hint = hint_for(&rsp->status);
		if (hint)
			return cli_fail(ctx, EXIT_DEVICE, "%s: device error: %s; %s", what, line,
					hint);
		return cli_fail(ctx, EXIT_DEVICE, "%s: device error: %s", what, line);
	case SMP_E_TOOBIG:
		return cli_fail(ctx, EXIT_USAGE,
				"%s: request too large for the transport (mtu %zu bytes)", what,
				ctx->transport.ops->mtu(ctx->transport.ctx));
	}
	return cli_fail(ctx, cli_exit_for(rsp->result), "%s: %s%s%s", what,
			smp_result_name(rsp->result), rsp->detail[0] ? ": " : "", rsp->detail);
}

int cli_request(struct cli_ctx *ctx, const char *what, uint8_t op, uint16_t group, uint8_t id,
		const uint8_t *req, size_t req_len, struct smp_response *rsp)
{
	struct smp_request r = {
		.op = op, .group = group, .id = id, .body = req, .body_len = req_len
	};
	int rc;

	smp_response_clear(rsp);
	rc = cli_connect(ctx);
	if (rc != EXIT_OK)
		return rc;
	smp_call(&ctx->engine, &r, rsp);
	return cli_report_response(ctx, what, rsp);
}
