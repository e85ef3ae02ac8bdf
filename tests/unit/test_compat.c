/* The mcumgr front end's pieces that need no device: Go mcumgr's
 * connection strings, CONN specs, the mcumgr command-line rewrite, and the
 * profile writer. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/connstring.h"
#include "cli/mcumgr/mcumgr_compat.h"
#include "cli/opts.h"
#include "cli/profile.h"

static void quiet_ctx(struct cli_ctx *c)
{
	memset(c, 0, sizeof(*c));
	cli_opts_defaults(&c->opts);
	c->out = c->err = fopen("/dev/null", "w");
}

static void done_ctx(struct cli_ctx *c)
{
	cli_profile_free(c);
	fclose(c->out);
}

static const char *val(const struct conn_settings *cs, const char *key)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		if (!strcmp(cs->set[i].key, key))
			return cs->set[i].value;
	return "(none)";
}

TEST(connstring_serial_forms)
{
	struct conn_settings cs;
	struct cli_ctx c;

	quiet_ctx(&c);
	CHECK_INT(conn_from_mcumgr(&c, "serial", "dev=/dev/ttyACM0,baud=115200,mtu=512", &cs), 0);
	CHECK_STR(val(&cs, "serial"), "/dev/ttyACM0");
	CHECK_STR(val(&cs, "baud"), "115200");
	CHECK_STR(val(&cs, "mtu"), "512");
	/* Zephyr's smp_svr README: a bare first word is the device. */
	CHECK_INT(conn_from_mcumgr(&c, "serial", "/dev/ttyACM0,baud=115200", &cs), 0);
	CHECK_STR(val(&cs, "serial"), "/dev/ttyACM0");
	CHECK_INT(conn_from_mcumgr(&c, "serial", "baud=115200", &cs), EXIT_USAGE);
	CHECK_INT(conn_from_mcumgr(&c, "serial", "dev=/dev/x,speed=9600", &cs), EXIT_USAGE);
	CHECK_INT(conn_from_mcumgr(&c, "serial", "dev=/dev/x,dev=/dev/y", &cs), EXIT_USAGE);
	CHECK_INT(conn_from_mcumgr(&c, "serial", "dev=", &cs), EXIT_USAGE);
	CHECK_INT(conn_from_mcumgr(&c, "can", "dev=x", &cs), EXIT_USAGE);
	done_ctx(&c);
}

TEST(connstring_udp_and_ble_forms)
{
	struct conn_settings cs;
	struct cli_ctx c;

	quiet_ctx(&c);
	CHECK_INT(conn_from_mcumgr(&c, "udp", "[2001:db8::1]:1337", &cs), 0);
	CHECK_STR(val(&cs, "udp"), "[2001:db8::1]:1337");
	CHECK_INT(conn_from_mcumgr(&c, "udp", "addr=::1,port=1337", &cs), 0);
	CHECK_STR(val(&cs, "udp"), "[::1]:1337");
	CHECK_INT(conn_from_mcumgr(&c, "udp", "addr=192.0.2.1,port=99", &cs), 0);
	CHECK_STR(val(&cs, "udp"), "192.0.2.1:99");
	CHECK_INT(conn_from_mcumgr(&c, "udp", "addr=192.0.2.1,port=x", &cs), EXIT_USAGE);
	CHECK_INT(conn_from_mcumgr(&c, "udp", "port=99", &cs), EXIT_USAGE);
	CHECK_INT(conn_from_mcumgr(&c, "ble", "ctlr_name=hci1,peer_name=Zephyr", &cs), 0);
	CHECK_STR(val(&cs, "ble"), "Zephyr");
	CHECK_STR(val(&cs, "hci"), "1");
	CHECK_INT(conn_from_mcumgr(&c, "ble", "peer_id=C0:11:22:33:44:55,conn_timeout=5", &cs), 0);
	CHECK_STR(val(&cs, "ble"), "C0:11:22:33:44:55");
	CHECK(cs.ignored[0] != 0);
	CHECK_INT(conn_from_mcumgr(&c, "ble", "peer_name=Z,own_addr_type=rpa_pub", &cs),
		  EXIT_USAGE);
	CHECK_INT(conn_from_mcumgr(&c, "ble", "ctlr_name=usb0,peer_name=Z", &cs), EXIT_USAGE);
	CHECK_INT(conn_from_mcumgr(&c, "ble", "ctlr_name=hci0", &cs), EXIT_USAGE);
	done_ctx(&c);
}

TEST(conn_spec_forms)
{
	struct conn_settings cs;
	struct cli_ctx c;

	quiet_ctx(&c);
	CHECK_INT(conn_from_spec(&c, "serial:/dev/ttyACM0", &cs), 1);
	CHECK_STR(val(&cs, "serial"), "/dev/ttyACM0");
	CHECK_INT(conn_from_spec(&c, "udp:[::1]:1337", &cs), 1);
	CHECK_STR(val(&cs, "udp"), "[::1]:1337");
	CHECK_INT(conn_from_spec(&c, "mqtt:mqtt://127.0.0.1/fleet/dev42", &cs), 1);
	CHECK_STR(val(&cs, "mqtt"), "mqtt://127.0.0.1/fleet/dev42");
	CHECK_INT(conn_from_spec(&c, "lab3", &cs), 0);
	CHECK_INT(conn_from_spec(&c, "bench:2", &cs), 0);
	CHECK_INT(conn_from_spec(&c, "udp:", &cs), -1);
	CHECK_INT(conn_from_spec(&c, "ble:Zephyr", &cs), 1);
	CHECK_INT(conn_apply(&c, &cs), 0);
	CHECK_INT(c.opts.transport, CLI_TRANSPORT_BLE);
	CHECK_STR(c.opts.target, "Zephyr");
	done_ctx(&c);
}

static int rewrite(const char *const *in, struct compat_front *f, char ***out)
{
	static char *argv[32];
	struct cli_ctx c;
	int argc = 0, rc;

	while (in[argc]) {
		argv[argc] = (char *)in[argc];
		argc++;
	}
	argv[argc] = NULL;
	quiet_ctx(&c);
	*out = argv;
	rc = compat_front(&c, f, &argc, out);
	done_ctx(&c);
	return rc == COMPAT_GO_ON ? argc : -rc;
}

static void joined(char **argv, int argc, char *buf, size_t cap)
{
	int i;

	buf[0] = 0;
	for (i = 1; i < argc; i++)
		snprintf(buf + strlen(buf), cap - strlen(buf), "%s%s", i > 1 ? " " : "", argv[i]);
}

TEST(mcumgr_rewrite_command_lines)
{
	static struct compat_front f;
	char **argv, line[512];
	int n;

	n = rewrite((const char *const[]){ "/usr/bin/mcumgr", "-c", "acm0", "-t", "20", "-r", "3",
					   "image", "upload", "-e", "-n", "1", "-u", "app.bin",
					   NULL },
		    &f, &argv);
	joined(argv, n, line, sizeof(line));
	CHECK_STR(line, "--timeout 20 --retries 2 --profile acm0 image upload --image 1 --upgrade "
			"app.bin");
	n = rewrite((const char *const[]){ "mcumgr", "--conntype", "serial", "--connstring",
					   "dev=/dev/ttyACM0,baud=115200", "stat", "my_stats",
					   NULL },
		    &f, &argv);
	joined(argv, n, line, sizeof(line));
	CHECK_STR(line, "--serial /dev/ttyACM0 --baud 115200 stat read my_stats");
	n = rewrite((const char *const[]){ "smpctl", "--mcumgr-compat", "-lDEBUG", "--conntype=udp",
					   "--connstring=[::1]:1337", "image", "confirm", "",
					   NULL },
		    &f, &argv);
	joined(argv, n, line, sizeof(line));
	CHECK_STR(line, "-vv --udp [::1]:1337 mcumgr image-confirm");
	n = rewrite((const char *const[]){ "mcumgr", "-c", "x", "datetime", "2024-01-02T03:04:05",
					   NULL },
		    &f, &argv);
	joined(argv, n, line, sizeof(line));
	CHECK_STR(line, "--profile x datetime set 2024-01-02T03:04:05");
	n = rewrite((const char *const[]){ "mcumgr", "--conntype", "ble", "--connstring",
					   "peer_name=A,ctlr_name=hci1", "--name", "B", "echo", "x",
					   NULL },
		    &f, &argv);
	joined(argv, n, line, sizeof(line));
	CHECK_STR(line, "--hci 1 --ble B echo x");
	CHECK_INT(rewrite((const char *const[]){ "mcumgr", "-r", "0", "echo", "x", NULL }, &f,
			  &argv),
		  -EXIT_USAGE);
	CHECK_INT(rewrite((const char *const[]){ "mcumgr", "-l", "loud", "echo", "x", NULL }, &f,
			  &argv),
		  -EXIT_USAGE);
	CHECK_INT(rewrite((const char *const[]){ "mcumgr", "-c", NULL }, &f, &argv), -EXIT_USAGE);
	CHECK_INT(rewrite((const char *const[]){ "mcumgr", "crash", "div0", NULL }, &f, &argv),
		  -EXIT_USAGE);
	CHECK_INT(rewrite((const char *const[]){ "mcumgr", "--bogus", "echo", NULL }, &f, &argv),
		  -EXIT_USAGE);
	CHECK_INT(rewrite((const char *const[]){ "mcumgr", "image", "upload", "-q", "a.bin", NULL },
			  &f, &argv),
		  -EXIT_USAGE);
	/* smpctl's own mode: hints, and Go's connection flags among smpctl's. */
	CHECK_INT(rewrite((const char *const[]){ "smpctl", "--udp", "h", "os", "reset", NULL }, &f,
			  &argv),
		  -EXIT_USAGE);
	CHECK_INT(rewrite((const char *const[]){ "smpctl", "--udp", "list", "echo", "x", NULL }, &f,
			  &argv),
		  5);
	n = rewrite((const char *const[]){ "smpctl", "--conntype", "udp", "--connstring",
					   "192.0.2.1", "-j", "echo", "x", NULL },
		    &f, &argv);
	joined(argv, n, line, sizeof(line));
	CHECK_STR(line, "--udp 192.0.2.1 -j echo x");
}

TEST(profile_write_replaces_one_section)
{
	char dir[] = "/tmp/smpctl-unit-XXXXXX", path[64], buf[512];
	struct cli_profile_setting set[2] = { { "udp", "192.0.2.1" }, { "timeout", "5" } };
	struct cli_ctx c;
	FILE *f;
	size_t n;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/sub/config", dir);
	setenv("SMPCTL_CONFIG", path, 1);
	quiet_ctx(&c);
	CHECK_INT(cli_profile_write(&c, "lab", set, 2, false), 0);
	f = fopen(path, "r");
	CHECK(f != NULL);
	if (f) {
		fclose(f);
		f = fopen(path, "a");
		fputs("# mine\n[other]\nserial = /dev/x\n", f);
		fclose(f);
	}
	snprintf(set[0].value, sizeof(set[0].value), "192.0.2.2");
	CHECK_INT(cli_profile_write(&c, "lab", set, 1, false), 0);
	f = fopen(path, "r");
	n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	buf[n] = 0;
	if (f)
		fclose(f);
	CHECK_STR(buf, "# mine\n[other]\nserial = /dev/x\n\n[lab]\nudp = 192.0.2.2\n");
	CHECK_INT(cli_profile_apply_named(&c, "lab"), 0);
	CHECK_STR(c.opts.target, "192.0.2.2");
	CHECK_INT(cli_profile_write(&c, "lab", NULL, 0, true), 0);
	CHECK_INT(cli_profile_write(&c, "lab", NULL, 0, true), EXIT_USAGE);
	CHECK_INT(cli_profile_write(&c, "bad]name", set, 1, false), EXIT_USAGE);
	snprintf(set[0].value, sizeof(set[0].value), "two\nlines");
	CHECK_INT(cli_profile_write(&c, "lab", set, 1, false), EXIT_USAGE);
	unlink(path);
	CHECK_INT(symlink("/dev/null", path), 0);
	snprintf(set[0].value, sizeof(set[0].value), "x");
	CHECK_INT(cli_profile_write(&c, "lab", set, 1, false), EXIT_LOCAL);
	unlink(path);
	snprintf(buf, sizeof(buf), "%s/sub", dir);
	rmdir(buf);
	rmdir(dir);
	unsetenv("SMPCTL_CONFIG");
	done_ctx(&c);
}
