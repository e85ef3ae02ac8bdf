/* The global options, as a table: connection, timing, output. */
#include "cli/opts.h"
#include "smp/xfer_ctl.h"
#include "transport/mqtt_url.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "transport/udp.h"

#define STR_(x) #x
#define STR(x) STR_(x)

struct global_opt {
	const char *name; /* long form, without "--" */
	char brief;	  /* short form, or 0 */
	const char *arg;  /* argument name, or NULL for a flag */
	const char *help;
	int (*apply)(struct cli_opts *o, const char *arg); /* 0, or -1 if arg is bad */
	const char *valid;				   /* what a good value is, for the error */
};

int cli_parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

int cli_parse_uint_in(struct cli_ctx *ctx, const char *what, const char *s, unsigned long min,
		      unsigned long max, unsigned long *out)
{
	if (cli_parse_uint(s, max, out) == 0 && *out >= min)
		return EXIT_OK;
	return cli_fail(ctx, EXIT_USAGE,
			"bad value for %s: '%s' (expected a number from %lu to %lu)", what,
			s ? s : "", min, max);
}

static int set_target(struct cli_opts *o, enum cli_transport_kind kind, const char *arg)
{
	if (!*arg)
		return -1;
	o->transport = kind;
	o->target = arg;
	return 0;
}

/* A malformed address is a usage error here, before any connection. */
static int opt_udp(struct cli_opts *o, const char *arg)
{
	char host[256], port[8];

	if (udp_split_target(arg, host, sizeof(host), port, sizeof(port)) != 0)
		return -1;
	return set_target(o, CLI_TRANSPORT_UDP, arg);
}

static int opt_serial(struct cli_opts *o, const char *arg)
{
	return set_target(o, CLI_TRANSPORT_SERIAL, arg);
}

static int opt_ble(struct cli_opts *o, const char *arg)
{
	return set_target(o, CLI_TRANSPORT_BLE, arg);
}

static int opt_exec(struct cli_opts *o, const char *arg)
{
	o->exec_raw = false;
	return set_target(o, CLI_TRANSPORT_EXEC, arg);
}

static int opt_exec_raw(struct cli_opts *o, const char *arg)
{
	o->exec_raw = true;
	return set_target(o, CLI_TRANSPORT_EXEC, arg);
}

static int opt_mqtt(struct cli_opts *o, const char *arg)
{
	struct mqtt_url u;
	char why[300];

	if (mqtt_url_parse(arg, true, &u, why, sizeof(why)) != 0)
		return -1;
	return set_target(o, CLI_TRANSPORT_MQTT, arg);
}

/* --mqtt-topics, --mqtt-client-id, --cafile, --cert, --cert-key: a string
 * each, checked when the connection opens. */
#define STRING_OPT(fn, field)                              \
	static int fn(struct cli_opts *o, const char *arg) \
	{                                                  \
		if (!*arg)                                 \
			return -1;                         \
		o->field = arg;                            \
		return 0;                                  \
	}
STRING_OPT(opt_mqtt_topics, mqtt_topics)
STRING_OPT(opt_mqtt_client_id, mqtt_client_id)
STRING_OPT(opt_cafile, cafile)
STRING_OPT(opt_cert, cert)
STRING_OPT(opt_cert_key, key)

static int opt_timeout(struct cli_opts *o, const char *arg)
{
	char *end;
	double s;

	errno = 0;
	s = strtod(arg, &end);
	if (errno || *end || end == arg || !(s > 0) || s > 3600)
		return -1;
	o->timeout_ms = (int)(s * 1000 + 0.5);
	if (o->timeout_ms < 1)
		o->timeout_ms = 1;
	return 0;
}

static int opt_retries(struct cli_opts *o, const char *arg)
{
	unsigned long v;

	if (cli_parse_uint(arg, 100, &v))
		return -1;
	o->retries = (int)v;
	return 0;
}

static int opt_window(struct cli_opts *o, const char *arg)
{
	unsigned long v;

	if (cli_parse_uint(arg, SMP_MAX_WINDOW, &v) || v < 1)
		return -1;
	o->window = (unsigned)v;
	return 0;
}

static int opt_mtu(struct cli_opts *o, const char *arg)
{
	unsigned long v;

	if (cli_parse_uint(arg, SMP_MAX_PACKET, &v) || v < 64)
		return -1;
	o->mtu = v;
	return 0;
}

static int opt_frame_gap(struct cli_opts *o, const char *arg)
{
	unsigned long v;

	if (cli_parse_uint(arg, SMP_XFER_MAX_GAP_MS, &v))
		return -1;
	o->frame_gap_ms = (int)v;
	return 0;
}

static int opt_version(struct cli_opts *o, const char *arg)
{
	if (strcmp(arg, "1") && strcmp(arg, "2"))
		return -1;
	o->smp_version = arg[0] - '0';
	return 0;
}

static int opt_json(struct cli_opts *o, const char *arg)
{
	o->json = true;
	return 0;
}

static int opt_no_tlv_allow_list(struct cli_opts *o, const char *arg)
{
	o->mcuboot.no_tlv_allow_list = true;
	return 0;
}

/* Applies onto what earlier options (or the profile) set. */
static int opt_mcuboot(struct cli_opts *o, const char *arg)
{
	struct mcuboot_verify_opts b = o->mcuboot;
	char why[160];

	if (mcuboot_build_parse(arg, &b, why, sizeof(why)))
		return -1;
	o->mcuboot = b;
	return 0;
}

static int opt_require_signature(struct cli_opts *o, const char *arg)
{
	o->require_signature = true;
	return 0;
}

static int opt_verbose(struct cli_opts *o, const char *arg)
{
	o->verbose++;
	return 0;
}

static int opt_baud(struct cli_opts *o, const char *arg)
{
	unsigned long v;

	if (cli_parse_uint(arg, 20000000, &v) || v < 50)
		return -1;
	o->baud = (unsigned)v;
	return 0;
}

static int opt_rtscts(struct cli_opts *o, const char *arg)
{
	o->rtscts = true;
	return 0;
}

static int opt_serial_raw(struct cli_opts *o, const char *arg)
{
	o->serial_raw = true;
	return 0;
}

static int opt_hci(struct cli_opts *o, const char *arg)
{
	unsigned long v;

	if (cli_parse_uint(arg, 255, &v))
		return -1;
	o->hci = (int)v;
	return 0;
}

static int opt_addr_type(struct cli_opts *o, const char *arg)
{
	if (strcmp(arg, "public") && strcmp(arg, "random"))
		return -1;
	o->addr_type = arg;
	return 0;
}

static int opt_ble_backend(struct cli_opts *o, const char *arg)
{
	if (strcmp(arg, "dbus") && strcmp(arg, "kernel"))
		return -1;
	o->ble_backend = arg;
	return 0;
}

static int opt_progress(struct cli_opts *o, const char *arg)
{
	static const char *const modes[] = { "auto", "bar", "lines", "json", "none" };
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(arg, modes[i])) {
			o->progress = modes[i];
			return 0;
		}
	return -1;
}

/* Taken out of argv by cli_profile_apply() before the others. */
static int opt_profile(struct cli_opts *o, const char *arg)
{
	return -1;
}

static const struct global_opt global_opts[] = {
	{ "udp", 0, "HOST[:PORT]", "device over UDP (port 1337 by default)", opt_udp,
	  "HOST, HOST:PORT, IPV6 or [IPV6]:PORT, PORT from 1 to 65535" },
	{ "serial", 0, "DEVICE", "device on a serial port, or tcp:HOST:PORT", opt_serial,
	  "a serial device path" },
	{ "ble", 0, "ADDRESS|NAME", "device over Bluetooth LE", opt_ble,
	  "a Bluetooth address or name" },
	{ "exec", 0, "CMD", "device behind a command's stdin/stdout (serial framing)", opt_exec,
	  "a shell command line" },
	{ "exec-raw", 0, "CMD", "the same with length-prefixed packets", opt_exec_raw,
	  "a shell command line" },
	{ "mqtt", 0, "URL",
	  "device through a broker: mqtt[s]://[USER:PASS@]HOST[:PORT]/PREFIX/DEVICE", opt_mqtt,
	  "mqtt://HOST[:PORT]/PREFIX/DEVICE or mqtts://..." },
	{ "mqtt-topics", 0, "REQ,RSP", "topic templates ({prefix}/{device}/smp/req,...)",
	  opt_mqtt_topics, "two topics separated by a comma" },
	{ "mqtt-client-id", 0, "ID", "MQTT client identifier (smpctl-PID-RANDOM)",
	  opt_mqtt_client_id, NULL },
	{ "cafile", 0, "FILE", "mqtts: CA certificate(s) the broker's is checked against",
	  opt_cafile, NULL },
	{ "cert", 0, "FILE", "mqtts: client certificate (PEM)", opt_cert, NULL },
	{ "cert-key", 0, "FILE", "mqtts: the client certificate's private key (PEM)", opt_cert_key,
	  NULL },
	{ "baud", 0, "N", "serial speed (115200)", opt_baud, "a number from 50 to 20000000" },
	{ "rtscts", 0, NULL, "serial hardware flow control", opt_rtscts, NULL },
	{ "serial-raw", 0, NULL, "bare SMP packets on the serial line (raw UART transport)",
	  opt_serial_raw, NULL },
	{ "hci", 0, "N", "Bluetooth adapter hciN (0)", opt_hci, "a number from 0 to 255" },
	{ "addr-type", 0, "public|random", "Bluetooth LE address type (random)", opt_addr_type,
	  "public or random" },
	{ "ble-backend", 0, "dbus|kernel",
	  "Bluetooth LE through bluetoothd or the kernel's sockets (dbus when bluetoothd runs)",
	  opt_ble_backend, "dbus or kernel" },
	{ "timeout", 't', "SECONDS", "wait for each answer this long (3)", opt_timeout,
	  "seconds, more than 0 and at most 3600" },
	{ "retries", 'r', "N", "resend an unanswered request N times (2)", opt_retries,
	  "a number from 0 to 100" },
	{ "window", 'w', "N", "requests in flight (from the device's buffer count)", opt_window,
	  "a number from 1 to " STR(SMP_MAX_WINDOW) },
	{ "mtu", 'm', "BYTES", "largest SMP packet to send (transport's own)", opt_mtu,
	  "a number from 64 to 65543" },
	{ "frame-gap", 0, "MS", "pause between serial frames of a packet (learned)", opt_frame_gap,
	  "milliseconds, 0 to " STR(SMP_XFER_MAX_GAP_MS) },
	{ "smp-version", 0, "1|2", "force the SMP protocol version (2, falling back to 1)",
	  opt_version, "1 or 2" },
	{ "json", 'j', NULL, "machine-readable output", opt_json, NULL },
	{ "progress", 0, "MODE", "transfer progress: auto, bar, lines, json or none (auto)",
	  opt_progress, "auto, bar, lines, json or none" },
	{ "no-tlv-allow-list", 0, NULL,
	  "image checks take any unprotected TLV (MCUboot without its allow list)",
	  opt_no_tlv_allow_list, NULL },
	{ "mcuboot", 0, "KEY=VALUE,...",
	  "the device's MCUboot build, for image checks (Zephyr's default build)", opt_mcuboot,
	  "hash=sha256|sha384|sha512, sig=rsa2048|rsa3072|ecdsa|ed25519, pure, "
	  "enc=none|aes128|aes256, enc-key=rsa|kw|ec256|x25519|x25519-sha512, decompression, "
	  "hw-key, tlv-allow-list=yes|no, ecdsa=mbedtls|tinycrypt, default, any" },
	{ "require-signature", 0, NULL,
	  "image checks refuse an image whose signature was not checked (no --key)",
	  opt_require_signature, NULL },
	{ "verbose", 'v', NULL, "say more; repeat for packet traces", opt_verbose, NULL },
	{ "profile", 'p', "NAME", "connection profile from ~/.config/smpctl/config", opt_profile,
	  "a profile name" },
};

#define NOPTS (sizeof(global_opts) / sizeof(global_opts[0]))

void cli_opts_defaults(struct cli_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->timeout_ms = 3000;
	o->retries = 2;
	o->smp_version = -1;
	o->frame_gap_ms = -1;
	o->baud = 115200;
	o->addr_type = "random";
}

static const struct global_opt *find_long(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < NOPTS; i++)
		if (strlen(global_opts[i].name) == len && !strncmp(global_opts[i].name, name, len))
			return &global_opts[i];
	return NULL;
}

static const struct global_opt *find_short(char c)
{
	size_t i;

	for (i = 0; i < NOPTS; i++)
		if (global_opts[i].brief == c)
			return &global_opts[i];
	return NULL;
}

/* Handles argv[*i] if it is a global option: applies it, and marks it and
 * its argument as consumed. Returns 1 if consumed, 0 if not global, -1 on
 * error (reported). */
static int take_option(struct cli_ctx *ctx, int argc, char **argv, int *i)
{
	const char *a = argv[*i], *val = NULL, *eq;
	const struct global_opt *g;
	int used = 1;

	if (a[0] != '-' || a[1] == 0)
		return 0;
	if (a[1] == '-') {
		eq = strchr(a + 2, '=');
		g = find_long(a + 2, eq ? (size_t)(eq - a - 2) : strlen(a + 2));
		if (!g)
			return 0;
		if (eq && !g->arg) {
			cli_fail(ctx, EXIT_USAGE, "option --%s takes no value", g->name);
			return -1;
		}
		val = eq ? eq + 1 : NULL;
	} else {
		/* -v, -vv, -j, -t 5 */
		g = find_short(a[1]);
		if (!g)
			return 0;
		if (!g->arg) {
			size_t k;

			for (k = 1; a[k]; k++)
				if (a[k] != a[1])
					return 0;
			for (k = 1; a[k]; k++)
				g->apply(&ctx->opts, NULL);
			return 1;
		}
		val = a[2] ? a + 2 : NULL;
	}
	if (g->arg && !val) {
		if (*i + 1 >= argc) {
			cli_fail(ctx, EXIT_USAGE, "option --%s needs %s", g->name, g->arg);
			return -1;
		}
		val = argv[*i + 1];
		used = 2;
	}
	if (g->apply(&ctx->opts, val) != 0) {
		cli_fail(ctx, EXIT_USAGE, "bad value for --%s: '%s' (expected %s)", g->name,
			 val ? val : "", g->valid ? g->valid : g->arg);
		return -1;
	}
	return used;
}

static bool is_transport(const struct global_opt *g)
{
	return g->apply == opt_udp || g->apply == opt_serial || g->apply == opt_ble ||
	       g->apply == opt_exec || g->apply == opt_exec_raw || g->apply == opt_mqtt;
}

/* The global option argv[i] names, or NULL. */
static const struct global_opt *option_named(const char *a)
{
	const char *eq;

	if (a[0] != '-' || !a[1])
		return NULL;
	if (a[1] != '-')
		return find_short(a[1]);
	eq = strchr(a + 2, '=');
	return find_long(a + 2, eq ? (size_t)(eq - a - 2) : strlen(a + 2));
}

int cli_opts_extract(struct cli_ctx *ctx, int *argc, char **argv)
{
	const struct global_opt *g, *transport = NULL;
	int i = 1, out = 1, n;

	while (i < *argc) {
		if (!strcmp(argv[i], "--"))
			break;
		g = option_named(argv[i]);
		if (g && is_transport(g)) {
			if (transport)
				return cli_fail(ctx, EXIT_USAGE,
						"one device at a time: --%s and --%s both given",
						transport->name, g->name);
			transport = g;
		}
		n = take_option(ctx, *argc, argv, &i);
		if (n < 0)
			return EXIT_USAGE;
		/* Before the command word, a dash word can only be a global
		 * option; after it, it is the command's. */
		if (n == 0 && out == 1 && (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")))
			argv[i] = "help";
		else if (n == 0 && out == 1 && argv[i][0] == '-' && argv[i][1])
			return cli_fail(ctx, EXIT_USAGE, "unknown option %s (see 'smpctl --help')",
					argv[i]);
		if (n == 0)
			argv[out++] = argv[i++];
		else
			i += n;
	}
	while (i < *argc)
		argv[out++] = argv[i++];
	argv[out] = NULL;
	*argc = out;
	return EXIT_OK;
}

int cli_opts_apply_named(struct cli_ctx *ctx, const char *name, const char *value)
{
	const struct global_opt *g = find_long(name, strlen(name));

	if (!g)
		return cli_fail(ctx, EXIT_USAGE, "unknown option '%s'", name);
	if (!g->arg) {
		if (!strcmp(value, "false"))
			return EXIT_OK;
		if (strcmp(value, "true"))
			return cli_fail(ctx, EXIT_USAGE, "option '%s' takes true or false", name);
	}
	if (g->apply(&ctx->opts, value) != 0)
		return cli_fail(ctx, EXIT_USAGE, "bad value for %s: '%s' (expected %s)", name,
				value, g->valid ? g->valid : "true or false");
	return EXIT_OK;
}

const char *cli_opts_name(size_t i)
{
	return i < NOPTS ? global_opts[i].name : NULL;
}

void cli_opts_help(FILE *f)
{
	size_t i;
	char left[64];

	for (i = 0; i < NOPTS; i++) {
		const struct global_opt *g = &global_opts[i];

		if (g->brief)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", g->brief, g->name,
				 g->arg ? " " : "", g->arg ? g->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", g->name, g->arg ? " " : "",
				 g->arg ? g->arg : "");
		fprintf(f, "  %-34s %s\n", left, g->help);
	}
}

bool cli_opts_wants_value(const char *arg)
{
	const struct global_opt *g = NULL;

	if (arg[0] != '-' || !arg[1])
		return false;
	if (arg[1] == '-')
		g = strchr(arg, '=') ? NULL : find_long(arg + 2, strlen(arg + 2));
	else if (!arg[2])
		g = find_short(arg[1]);
	return g && g->arg;
}
