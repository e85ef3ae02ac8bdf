/* What every smpctl command gets: the global options, the output mode and
 * a lazily opened connection, passed explicitly; and the command table
 * entry shape, after git's cmd_struct. */
#ifndef CLI_CLI_H
#define CLI_CLI_H

#include <signal.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>

#include "cli/ui/progress.h"
#include "host/mcuboot.h"
#include "smp/engine.h"

/* Exit codes: stable, documented in smpctl(1) and the README. */
enum cli_exit {
	EXIT_OK = 0,
	EXIT_DEVICE = 1,      /* the device answered with an error */
	EXIT_USAGE = 2,	      /* bad command line */
	EXIT_TRANSPORT = 3,   /* could not reach the device, or it stopped answering */
	EXIT_PROTOCOL = 4,    /* the device's answer made no sense */
	EXIT_IMAGE = 5,	      /* the image file is invalid, corrupt or wrongly signed */
	EXIT_LOCAL = 6,	      /* a local file or resource failed (read, write, memory) */
	EXIT_SOME_BOARDS = 7, /* upgrade --each: one board or more failed */
	EXIT_UNDECIDABLE = 8, /* image info: only the device's private key can tell */
};

enum cli_transport_kind {
	CLI_TRANSPORT_NONE = 0,
	CLI_TRANSPORT_UDP,
	CLI_TRANSPORT_SERIAL,
	CLI_TRANSPORT_BLE,
	CLI_TRANSPORT_EXEC,  /* target is a shell command */
	CLI_TRANSPORT_MQTT,  /* target is an mqtt:// or mqtts:// URL */
	CLI_TRANSPORT_RELAY, /* a board of upgrade --each through the parent's broker link */
};

struct cli_opts {
	enum cli_transport_kind transport;
	const char *target; /* HOST[:PORT], tty path, BLE address or name */
	int timeout_ms;
	int retries;
	unsigned window;  /* 0: from the device's buffer count */
	size_t mtu;	  /* 0: the transport's own */
	int frame_gap_ms; /* -1: learned; else ms between serial frames */
	int smp_version;  /* -1: v2 with fallback; 1 or 2: forced */
	bool json;
	int verbose;
	/* --progress: "auto" (a bar on a terminal, plain lines elsewhere, JSON
	 * lines with --json), "bar", "lines", "json" or "none"; NULL: auto. */
	const char *progress;
	/* The device's MCUboot build (--mcuboot; --no-tlv-allow-list is
	 * tlv-allow-list=no): image checks refuse what it would refuse. */
	struct mcuboot_verify_opts mcuboot;
	/* --require-signature: an image whose signature was not checked (no
	 * --key, or unsigned) is refused. */
	bool require_signature;
	/* serial */
	unsigned baud;
	bool rtscts;
	bool serial_raw;
	/* ble */
	int hci;
	const char *addr_type;
	const char *ble_backend; /* "dbus", "kernel" or NULL: automatic */
	/* exec */
	bool exec_raw;
	/* mqtt */
	const char *mqtt_topics; /* "REQ,RSP" templates, NULL: the default */
	const char *mqtt_client_id;
	const char *cafile, *cert, *key;
};

#define CLI_PROFILE_MAX_VALUES 32

struct relay_opts;
struct progress;

struct cli_ctx {
	struct cli_opts opts;
	/* Values from a connection profile, which opts may point into. */
	char *profile_strings[CLI_PROFILE_MAX_VALUES];
	unsigned profile_strings_used;
	bool profile_warned; /* its skipped lines were named once */
	const char *argv0;
	FILE *out; /* results: stdout */
	FILE *err; /* diagnostics: stderr */
	bool err_is_tty;
	/* Where progress goes instead of stderr, or NULL: a board's pipe to
	 * the factory line's parent (cli/fleet/fleet_child.c), which reads
	 * the JSON progress lines every script gets (cli/fleet/fleet_feed.c). */
	FILE *progress_out;
	/* With CLI_TRANSPORT_RELAY: the socket to the parent and its limits
	 * (transport/relay.h). */
	const struct relay_opts *relay;
	/* Opened by cli_connect(), closed by cli_disconnect(). transport may
	 * wrap link (the -vv trace); link is the transport itself. */
	struct smp_link transport;
	struct smp_link link;
	struct smp_engine engine;
	bool connected;
	/* For the --json failure document the dispatcher prints: the last
	 * cli_fail message, and whether the command printed a document. */
	char last_error[512];
	bool json_printed;
	/* Set by the interactive shell: its SIGINT flag, which makes the
	 * transport fail so that Ctrl-C ends the command. */
	volatile sig_atomic_t *interrupted;
	/* Set by the Go mcumgr front end (cli/mcumgr/): a command prints on
	 * stdout what Go mcumgr prints (cli/cmd/mcumgr_print.h), not smpctl's
	 * words; --json still prints smpctl's document. */
	bool go_output;
	/* The transfer progress on the screen, or NULL: -v log lines go
	 * above its bar, and Ctrl-C clears it. */
	struct progress *bar;
	/* Set while a resumable transfer runs: Ctrl-C says how to resume. */
	volatile sig_atomic_t resumable;
};

/* What an option's value is, and how cli_parse_options() stores it. */
enum cli_opt_type {
	CLI_OPT_END = 0,  /* ends a table */
	CLI_OPT_FLAG,	  /* bool, set true */
	CLI_OPT_SET,	  /* int, set to the row's min */
	CLI_OPT_STRING,	  /* const char *, the value as given */
	CLI_OPT_INT,	  /* int, a number from min to max */
	CLI_OPT_ULONG,	  /* unsigned long, a number from min to max */
	CLI_OPT_SIZE,	  /* size_t, a number from min to max */
	CLI_OPT_CALLBACK, /* the row's callback takes the value */
	CLI_OPT_TAKEN,	  /* taken out of argv before the parser (upgrade --each) */
};

/* One option of a command: its --help line, the name an unknown option
 * is checked against, the word the completions and docs are tested for,
 * and where its value goes (offset into the struct the command hands
 * cli_parse_options()). */
struct cli_option {
	const char *name; /* long form, without "--" */
	char brief;	  /* short form, or 0 */
	const char *arg;  /* argument name, or NULL for a flag */
	const char *help;
	enum cli_opt_type type;
	size_t offset;
	long min, max;
	/* CLI_OPT_CALLBACK: EXIT_OK, -1 for a value that makes the command's
	 * usage the error, or the exit code of an error it reported. */
	int (*callback)(struct cli_ctx *ctx, const char *value, void *values);
};

/* Rows of a command's option table, after git's OPT_BOOL and friends:
 * T is the struct the values go into. */
#define CLI_OPT_ROW(l, s, a, h, ty, T, f, lo, hi, cb)                      \
	{                                                                  \
		(l), (s), (a), (h), (ty), offsetof(T, f), (lo), (hi), (cb) \
	}
#define OPT_FLAG(l, s, h, T, f) CLI_OPT_ROW(l, s, NULL, h, CLI_OPT_FLAG, T, f, 0, 0, NULL)
#define OPT_SET(l, s, h, T, f, v) CLI_OPT_ROW(l, s, NULL, h, CLI_OPT_SET, T, f, v, 0, NULL)
#define OPT_STRING(l, s, a, h, T, f) CLI_OPT_ROW(l, s, a, h, CLI_OPT_STRING, T, f, 0, 0, NULL)
#define OPT_INT(l, s, a, h, T, f, lo, hi) CLI_OPT_ROW(l, s, a, h, CLI_OPT_INT, T, f, lo, hi, NULL)
#define OPT_ULONG(l, s, a, h, T, f, lo, hi) \
	CLI_OPT_ROW(l, s, a, h, CLI_OPT_ULONG, T, f, lo, hi, NULL)
#define OPT_SIZE(l, s, a, h, T, f, lo, hi) CLI_OPT_ROW(l, s, a, h, CLI_OPT_SIZE, T, f, lo, hi, NULL)
#define OPT_CALLBACK(l, s, a, h, cb)                                \
	{                                                           \
		(l), (s), (a), (h), CLI_OPT_CALLBACK, 0, 0, 0, (cb) \
	}
#define OPT_TAKEN(l, a, h)                                     \
	{                                                      \
		(l), 0, (a), (h), CLI_OPT_TAKEN, 0, 0, 0, NULL \
	}
#define OPT_END()                                               \
	{                                                       \
		NULL, 0, NULL, NULL, CLI_OPT_END, 0, 0, 0, NULL \
	}

struct cli_cmd {
	const char *name;
	const char *usage;   /* arguments, for --help and errors */
	const char *summary; /* one line for --help */
	/* argv[0] is the command's own name. Returns an enum cli_exit. */
	int (*run)(struct cli_ctx *ctx, int argc, char **argv);
	const struct cli_cmd *subcommands; /* NULL-name terminated, or NULL */
	/* NULL-name terminated. NULL: the arguments are the device's (echo,
	 * shell exec) and are not checked; only a first "--help" is ours. */
	const struct cli_option *options;
};

/* For commands that take no options. */
extern const struct cli_option cli_no_options[];

/* Opens the transport named by the global options and starts the engine.
 * Reports its own errors; returns EXIT_OK or the exit code to give. */
int cli_connect(struct cli_ctx *ctx);
void cli_disconnect(struct cli_ctx *ctx);
/* The connection as the link cache keys it: its kind, target and, for a
 * serial line, the settings that change what the line carries. */
void cli_connection_key(const struct cli_ctx *ctx, char *buf, size_t cap);

/* One request, one answer; device errors, timeouts and bad answers are
 * reported on stderr ("smpctl: <what>: <why>") and turned into exit codes.
 * req[0..req_len) is the encoded request map (NULL: an empty map). On
 * EXIT_OK rsp->body views the answer map, valid until the next request. */
int cli_request(struct cli_ctx *ctx, const char *what, uint8_t op, uint16_t group, uint8_t id,
		const uint8_t *req, size_t req_len, struct smp_response *rsp);
/* Tells the transport the device's buffer size (from params), so that a
 * transport whose packet limit depends on it (serial) can raise it. */
void cli_device_buffer(struct cli_ctx *ctx, size_t buf_size);
/* Exit code for an engine result. */
int cli_exit_for(int smp_result);
struct host_file_error;
/* Exit code for a host file that was not written: EXIT_USAGE for an
 * existing file (the user may say --force), else EXIT_LOCAL. */
int cli_exit_for_file(const struct host_file_error *e);
/* Reports a response failure the same way cli_request does. */
int cli_report_response(struct cli_ctx *ctx, const char *what, const struct smp_response *rsp);

/* A command named in a hint: smpctl's spelling, or Go mcumgr's when the
 * command line came in Go's (cli/mcumgr/), so that the hint can be run
 * as it is. */
static inline const char *cli_spell(const struct cli_ctx *ctx, const char *own, const char *go)
{
	return ctx->go_output ? go : own;
}

/* "smpctl: " + message on stderr. Returns code, for return cli_fail(...). */
int cli_fail(struct cli_ctx *ctx, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Reports a malformed answer from the device: EXIT_PROTOCOL. */
int cli_bad_answer(struct cli_ctx *ctx, const char *what, const char *why);
void cli_verbose(struct cli_ctx *ctx, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Prints a JSON document on stdout (--json) and takes ownership. */
void cli_print_json(struct cli_ctx *ctx, json_t *doc);
/* One JSON line on f (a progress line), numbers with their fewest
 * digits, as cli_print_json prints them; takes ownership. */
void cli_json_line(FILE *f, json_t *doc);
/* JSON text (jansson's) on f, each number again with its fewest digits
 * (cli/ui/json_text.c). */
void cli_json_put(FILE *f, const char *text);
/* Where the progress goes: ctx->progress_out, else stderr. */
FILE *cli_progress_file(const struct cli_ctx *ctx);
/* The progress mode --progress and --json pick (cli/ui/progress.h);
 * drawn_elsewhere: another process or output shows it (Go mcumgr's bar). */
enum progress_mode cli_progress_mode(const struct cli_ctx *ctx, bool drawn_elsewhere);
/* A JSON progress line that is no transfer's (an upgrade's step, a
 * factory board's result: man page, JSON OUTPUT), written when the
 * progress is JSON lines, else dropped; takes ownership. */
void cli_progress_event(const struct cli_ctx *ctx, json_t *event);
/* v rounded to decimals places, so that --json shows 1.234, not
 * 1.2340000000000002. */
double cli_json_round(double v, int decimals);
/* A one-text answer: {"key": text} with --json, else the text alone. */
void cli_print_text(struct cli_ctx *ctx, const char *key, const char *text);

/* Runs the subcommand named by argv[1] from table, or reports usage;
 * "help [COMMAND...]" and "COMMAND --help" print help on stdout. With
 * --json, a failure the command printed no document for gets
 * {"ok": false, "error": {...}} on stdout. */
int cli_dispatch(struct cli_ctx *ctx, const struct cli_cmd *table, const char *prefix, int argc,
		 char **argv);
/* With --json, {"ok": false, "error": {...}} for a failure (rc) nothing
 * was printed for: the dispatcher's, and main's for the global options. */
void cli_json_failure(struct cli_ctx *ctx, int rc);
/* The "error" object of a --json failure document, for exit code rc. */
json_t *cli_json_error(struct cli_ctx *ctx, int rc);
/* "usage: smpctl PATH <command>" and one line a command of table. */
void cli_list_commands(FILE *f, const struct cli_cmd *table, const char *path);
/* The top-level help: options and commands. */
void cli_usage(FILE *f);

/* Command tables, one per cli/cmd_*.c file. */
extern const struct cli_cmd cli_commands[];

#endif
