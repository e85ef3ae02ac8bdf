/* smpctl scan: an LE scan listing devices that advertise the SMP service
 * (or every device with --all), strongest signal first. */
#include "cli/cmd/cmd_scan.h"
#include "cli/ui/text_safe.h"
#include "cli/parse_options.h"

#include <stdlib.h>
#include <string.h>

#include "transport/ble.h"

#define SCAN_USAGE "usage: smpctl [--hci N] [--timeout SECONDS] scan [--all]"

static int by_rssi(const void *a, const void *b)
{
	const struct ble_device *x = a, *y = b;

	return y->rssi - x->rssi;
}

static json_t *device_json(const struct ble_device *d)
{
	return json_pack("{s:s,s:s,s:s?,s:i,s:b}", "address", d->address, "address_type",
			 d->random ? "random" : "public", "name", d->name[0] ? d->name : NULL,
			 "rssi", d->rssi, "smp", d->smp);
}

static void print_devices(struct cli_ctx *ctx, const struct ble_device *d, size_t n)
{
	json_t *list;
	size_t i;

	if (ctx->opts.json) {
		list = json_array();
		for (i = 0; list && i < n; i++)
			json_array_append_new(list, device_json(&d[i]));
		cli_print_json(ctx, list ? json_pack("{s:o}", "devices", list) : NULL);
		return;
	}
	if (n)
		fprintf(ctx->out, "%-17s  %-6s  %4s  %s\n", "ADDRESS", "TYPE", "RSSI", "NAME");
	for (i = 0; i < n; i++)
		fprintf(ctx->out, "%-17s  %-6s  %4d  %s\n", d[i].address,
			d[i].random ? "random" : "public", d[i].rssi,
			d[i].name[0] ? SAFE(d[i].name) : "(no name)");
}

struct scan_args {
	bool all;
};

const struct cli_option scan_options[] = {
	OPT_FLAG("all", 'a', "list every device, not only those with the SMP service",
		 struct scan_args, all),
	OPT_END(),
};

int cmd_scan(struct cli_ctx *ctx, int argc, char **argv)
{
	struct scan_args a = { false };
	struct ble_scan_result *res;
	char err[512];
	size_t i, n = 0;

	if (cli_parse_options(ctx, &argc, argv, scan_options, &a, SCAN_USAGE,
			      CLI_PARSE_STOP_AT_ARG) != EXIT_OK)
		return EXIT_USAGE;
	if (argc != 1)
		return cli_fail(ctx, EXIT_USAGE, SCAN_USAGE);
	res = malloc(sizeof(*res));
	if (!res)
		return cli_fail(ctx, EXIT_LOCAL, "out of memory");
	cli_verbose(ctx, 1, "scanning on hci%d for %.1f s", ctx->opts.hci,
		    ctx->opts.timeout_ms / 1000.0);
	if (ble_scan(ctx->opts.hci, ctx->opts.timeout_ms, NULL, NULL, res, err, sizeof(err))) {
		free(res);
		return cli_fail(ctx, EXIT_TRANSPORT, "scan: %s", err);
	}
	for (i = 0; i < res->count; i++)
		if (a.all || res->devices[i].smp)
			res->devices[n++] = res->devices[i];
	qsort(res->devices, n, sizeof(res->devices[0]), by_rssi);
	print_devices(ctx, res->devices, n);
	if (!n && !ctx->opts.json)
		fprintf(ctx->err,
			"smpctl: no device advertising the SMP service found within "
			"%.1f s%s\n",
			ctx->opts.timeout_ms / 1000.0, a.all ? "" : " (--all lists every device)");
	free(res);
	return EXIT_OK;
}
