/* Shell management group (9), after Zephyr's shell_mgmt.c: the argv words
 * are joined with spaces into one command line (CONFIG_SHELL_CMD_BUFF_SIZE
 * 256) and run by a dummy-backend shell with a few commands:
 *   kernel version | kernel uptime | device list
 *   sim echo WORDS...   prints the words
 *   sim fail N          prints a line and returns N
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/cbor_tree.h"
#include "smp/grp_shell.h"
#include "tests/sim/sim_priv.h"

#define CMD_BUFF_SIZE 256
#define MAX_ARGS 20 /* CONFIG_SHELL_ARGC_MAX */

struct shell_out {
	char buf[1024];
	size_t len;
};

static void out_printf(struct shell_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void out_printf(struct shell_out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, sizeof(o->buf) - o->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n < sizeof(o->buf) - o->len ? (size_t)n
							      : sizeof(o->buf) - o->len - 1;
}

typedef int (*shell_cmd_fn)(struct sim_device *dev, struct shell_out *o, int argc, char **argv);

static int cmd_version(struct sim_device *dev, struct shell_out *o, int argc, char **argv)
{
	out_printf(o, "Zephyr version 3.7.0\n");
	return 0;
}

static int cmd_uptime(struct sim_device *dev, struct shell_out *o, int argc, char **argv)
{
	out_printf(o, "Uptime: %lld ms\n", (long long)sim_now_ms(dev));
	return 0;
}

static int cmd_devices(struct sim_device *dev, struct shell_out *o, int argc, char **argv)
{
	out_printf(o, "devices:\n- clock@40000000 (READY)\n- uart@40002000 (READY)\n"
		      "- flash-controller@4001e000 (READY)\n");
	return 0;
}

static int cmd_echo(struct sim_device *dev, struct shell_out *o, int argc, char **argv)
{
	for (int i = 2; i < argc; i++)
		out_printf(o, "%s%s", i > 2 ? " " : "", argv[i]);
	out_printf(o, "\n");
	return 0;
}

static int cmd_fail(struct sim_device *dev, struct shell_out *o, int argc, char **argv)
{
	int rc = argc > 2 ? atoi(argv[2]) : -EINVAL;

	out_printf(o, "failing with %d\n", rc);
	return rc;
}

static const struct {
	const char *word1, *word2;
	shell_cmd_fn fn;
} shell_cmds[] = {
	{ "kernel", "version", cmd_version }, { "kernel", "uptime", cmd_uptime },
	{ "device", "list", cmd_devices },    { "sim", "echo", cmd_echo },
	{ "sim", "fail", cmd_fail },
};

/* shell_execute_cmd: the line is split on blanks again. */
static int shell_run(struct sim_device *dev, char *line, struct shell_out *o)
{
	char *argv[MAX_ARGS + 1], *save = NULL, *tok;
	bool root_known = false;
	int argc = 0;

	for (tok = strtok_r(line, " \t", &save); tok && argc < MAX_ARGS;
	     tok = strtok_r(NULL, " \t", &save))
		argv[argc++] = tok;
	if (argc == 0)
		return 0;
	for (size_t i = 0; i < sizeof(shell_cmds) / sizeof(shell_cmds[0]); i++) {
		if (strcmp(argv[0], shell_cmds[i].word1))
			continue;
		root_known = true;
		if (argc > 1 && !strcmp(argv[1], shell_cmds[i].word2))
			return shell_cmds[i].fn(dev, o, argc, argv);
	}
	if (root_known) {
		out_printf(o, "%s: %s\n", argv[0],
			   argc > 1 ? "wrong parameter" : "missing subcommand");
		return argc > 1 ? -EINVAL : 1;
	}
	out_printf(o, "%s: command not found\n", argv[0]);
	return -ENOEXEC;
}

/* Finds "argv" the way shell_mgmt_exec walks the map. */
static cbor_item_t *argv_item(const cbor_item_t *map)
{
	struct cbor_pair *pairs = cbor_map_handle(map);

	for (size_t i = 0; i < cbor_map_size(map); i++) {
		if (!cbor_isa_string(pairs[i].key) || !cbor_string_is_definite(pairs[i].key))
			return NULL;
		if (tree_text_eq(pairs[i].key, "argv"))
			return pairs[i].value;
	}
	return NULL;
}

/* Joins the words; stops at the first that is not text. Returns the
 * line's length, or -1 when it would not fit. */
static int compose(const cbor_item_t *arr, char *line)
{
	size_t len = 0;

	for (size_t i = 0; i < cbor_array_size(arr); i++) {
		cbor_item_t *w = cbor_array_get(arr, i);
		size_t n;

		if (!w || !cbor_isa_string(w) || !cbor_string_is_definite(w)) {
			if (w)
				cbor_decref(&w);
			break;
		}
		n = cbor_string_length(w);
		if (len + n >= CMD_BUFF_SIZE) {
			cbor_decref(&w);
			return -1;
		}
		memcpy(line + len, cbor_string_handle(w), n);
		len += n + 1;
		line[len - 1] = ' ';
		cbor_decref(&w);
	}
	if (len > 0)
		line[len - 1] = 0;
	return (int)len;
}

static int shell_exec(struct sim_req *req)
{
	char line[CMD_BUFF_SIZE + 1];
	struct shell_out out = { .len = 0 };
	cbor_item_t *arr;
	int len, ret;

	if (!req->payload || !cbor_isa_map(req->payload))
		return MGMT_ERR_EINVAL;
	arr = argv_item(req->payload);
	if (!arr || !cbor_isa_array(arr))
		return MGMT_ERR_EINVAL;
	len = compose(arr, line);
	if (len < 0)
		return sim_add_cmd_err(req, SIM_GROUP_SHELL, SMP_SHELL_ERR_COMMAND_TOO_LONG);
	if (len == 0)
		return sim_add_cmd_err(req, SIM_GROUP_SHELL, SMP_SHELL_ERR_EMPTY_COMMAND);
	ret = shell_run(req->dev, line, &out);
	if (tree_put_item(req->rsp, "o", cbor_build_stringn(out.buf, out.len)) ||
	    tree_put_int(req->rsp, "ret", ret))
		return MGMT_ERR_EMSGSIZE;
	return 0;
}

static int shell_translate(uint16_t err)
{
	return err == SMP_SHELL_ERR_COMMAND_TOO_LONG || err == SMP_SHELL_ERR_EMPTY_COMMAND
		       ? MGMT_ERR_EINVAL
		       : MGMT_ERR_EUNKNOWN;
}

static const struct sim_handler shell_handlers[] = {
	[SMP_SHELL_EXEC] = { NULL, shell_exec },
};

const struct sim_group sim_shell_group = {
	.id = SIM_GROUP_SHELL,
	.handlers = shell_handlers,
	.count = sizeof(shell_handlers) / sizeof(shell_handlers[0]),
	.translate = shell_translate,
};
