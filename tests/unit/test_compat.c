/* The mcumgr front end's pieces that need no device: Go mcumgr's
 * connection strings, CONN specs, the mcumgr command-line rewrite, and the
 * profile writer. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/connstring.h"
#include "cli/mcumgr/mcumgr_compat.h"
#include "cli/mcumgr/mcumgr_profiles.h"
#include "cli/cmd/mcumgr_print.h"
#include "smp/grp_img.h"
#include "smp/grp_os.h"
#include "smp/grp_shell.h"
#include "smp/grp_stat.h"
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

	/* No Go profile file: -c names smpctl's profile. */
	setenv("HOME", "/nonexistent", 1);
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

/* Go mcumgr's ~/.mcumgr.cp.json, byte for byte: newtmgr/config/
 * connprofile.go save() is json.MarshalIndent(list, "", "    ") of the
 * profiles sorted by name (SortConnProfs); encoding/json escapes ", \,
 * control bytes and, for HTML, <, > and &. */
TEST(go_profile_file_bytes)
{
	struct go_profiles l = { 0 };
	char *text;
	size_t len = 1;

	text = go_profiles_json(&l, &len);
	CHECK(text != NULL);
	CHECK_INT(len, 2);
	CHECK_STR(text, "[]");
	free(text);
	CHECK_INT(go_profiles_set(&l, "udp1", "udp", "[::1]:1337<&>"), 0);
	CHECK_INT(go_profiles_set(&l, "acm0", "serial", "dev=/dev/ttyACM0,baud=115200"), 0);
	CHECK_INT(go_profiles_set(&l, "q\"\\", "ble", "peer_name=a\tb\x01"), 0);
	text = go_profiles_json(&l, &len);
	CHECK_STR(text, "[\n"
			"    {\n"
			"        \"MyName\": \"acm0\",\n"
			"        \"MyType\": \"serial\",\n"
			"        \"MyConnString\": \"dev=/dev/ttyACM0,baud=115200\"\n"
			"    },\n"
			"    {\n"
			"        \"MyName\": \"q\\\"\\\\\",\n"
			"        \"MyType\": \"ble\",\n"
			"        \"MyConnString\": \"peer_name=a\\tb\\u0001\"\n"
			"    },\n"
			"    {\n"
			"        \"MyName\": \"udp1\",\n"
			"        \"MyType\": \"udp\",\n"
			"        \"MyConnString\": \"[::1]:1337\\u003c\\u0026\\u003e\"\n"
			"    }\n"
			"]");
	CHECK_INT(len, strlen(text));
	/* Read back, it is the same list. */
	{
		struct go_profiles back;
		const char *why;

		CHECK_INT(go_profiles_parse(text, len, &back, &why), 0);
		CHECK_INT(back.n, 3);
		CHECK_STR(go_profiles_find(&back, "q\"\\")->connstring, "peer_name=a\tb\x01");
		go_profiles_free(&back);
	}
	free(text);
	/* Replacing keeps one entry; removing says whether it was there. */
	CHECK_INT(go_profiles_set(&l, "acm0", "udp", "x"), 0);
	CHECK_INT(l.n, 3);
	CHECK_STR(go_profiles_find(&l, "acm0")->type, "udp");
	CHECK(go_profiles_remove(&l, "acm0"));
	CHECK(!go_profiles_remove(&l, "acm0"));
	go_profiles_free(&l);
}

/* What Go's json.Unmarshal into []*ConnProfile takes, and what it does
 * not: a type it does not know reads as "???" (ConnType.UnmarshalJSON);
 * anything else malformed is one error, never a crash. */
TEST(go_profile_file_hostile)
{
	static const char *const bad[] = {
		"",
		"{}",
		"[1]",
		"[{\"MyName\": 5}]",
		"[{\"MyType\": []}]",
		"[[[[[[[[[[",
		"[{\"MyName\": \"a\", \"MyName\": \"b\"}]",
		"[\"x\"]",
		"null",
		"[{}",
		"\xff",
	};
	static const char dup[] = "[{\"MyName\":\"a\",\"MyType\":\"can\",\"MyConnString\":null},"
				  "{\"MyName\":\"a\",\"MyType\":\"oic_udp\"},{}]";
	static const char unknown[] = "[{\"MyName\":\"a\",\"MyType\":\"can\"}]";
	struct go_profiles l;
	const char *why;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		CHECK_INT(go_profiles_parse(bad[i], strlen(bad[i]), &l, &why), -1);
		CHECK(why != NULL);
		CHECK_INT(l.n, 0);
	}
	CHECK_INT(go_profiles_parse(dup, strlen(dup), &l, &why), 0);
	CHECK_INT(l.n, 2);
	CHECK_STR(go_profiles_find(&l, "a")->type, "oic_udp");
	CHECK_STR(go_profiles_find(&l, "")->type, "???");
	go_profiles_free(&l);
	CHECK_INT(go_profiles_parse(unknown, strlen(unknown), &l, &why), 0);
	CHECK_STR(l.p[0].type, "???");
	CHECK_STR(l.p[0].connstring, "");
	go_profiles_free(&l);
}

/* -c NAME takes Go's profile when ~/.mcumgr.cp.json has it, with
 * --connstring overriding its connstring (common.go initConnProfile). */
TEST(go_profile_file_for_dash_c)
{
	static struct compat_front f;
	char dir[] = "/tmp/smpctl-unit-home-XXXXXX", path[64], **argv, line[256];
	static const char file[] = "[{\"MyName\":\"acm0\",\"MyType\":\"udp\",\"MyConnString\":"
				   "\"192.0.2.1:1337\"}]";
	FILE *fp;
	int n;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/.mcumgr.cp.json", dir);
	fp = fopen(path, "w");
	CHECK(fp != NULL);
	fputs(file, fp);
	fclose(fp);
	setenv("HOME", dir, 1);
	n = rewrite((const char *const[]){ "mcumgr", "-c", "acm0", "echo", "x", NULL }, &f, &argv);
	joined(argv, n, line, sizeof(line));
	CHECK_STR(line, "--udp 192.0.2.1:1337 echo x");
	n = rewrite((const char *const[]){ "mcumgr", "-c", "acm0", "--connstring", "192.0.2.9",
					   "echo", "x", NULL },
		    &f, &argv);
	joined(argv, n, line, sizeof(line));
	CHECK_STR(line, "--udp 192.0.2.9 echo x");
	n = rewrite((const char *const[]){ "mcumgr", "-c", "other", "echo", "x", NULL }, &f, &argv);
	joined(argv, n, line, sizeof(line));
	CHECK_STR(line, "--profile other echo x");
	unlink(path);
	rmdir(dir);
}

/* Runs fn's printing into a string. */
static char *printed(void (*fn)(struct cli_ctx *c, const void *arg), const void *arg)
{
	struct cli_ctx c;
	char *buf = NULL;
	size_t len = 0;

	memset(&c, 0, sizeof(c));
	c.go_output = true;
	c.out = open_memstream(&buf, &len);
	fn(&c, arg);
	fclose(c.out);
	return buf;
}

static void tasks_fn(struct cli_ctx *c, const void *arg)
{
	go_print_tasks(c, arg);
}

static void pools_fn(struct cli_ctx *c, const void *arg)
{
	go_print_pools(c, arg);
}

static void stat_list_fn(struct cli_ctx *c, const void *arg)
{
	go_print_stat_list(c, arg);
}

static void stat_group_fn(struct cli_ctx *c, const void *arg)
{
	go_print_stat_group(c, "grp", arg);
}

static void shell_fn(struct cli_ctx *c, const void *arg)
{
	go_print_shell(c, arg);
}

/* newtmgr/cli/taskstat.go taskStatRunCmd and mpstat.go
 * mempoolStatRunCmd: sorted names, Go's widths, 0 for a field the device
 * leaves out. */
TEST(go_print_os_tables)
{
	struct smp_os_task tk[2] = {
		{ .name = "zeta",
		  .prio = -1,
		  .tid = 7,
		  .has_stack = true,
		  .stksiz = 256,
		  .stkuse = 120,
		  .has_runtime = true,
		  .runtime = 123456789 },
		{ .name = "alpha",
		  .prio = 15,
		  .tid = 1,
		  .has_cswcnt = true,
		  .cswcnt = 42,
		  .has_checkins = true,
		  .last_checkin = 3,
		  .next_checkin = 4 },
	};
	struct smp_os_tasks tasks = { tk, 2 };
	struct smp_os_mpool mp[1] = {
		{ .name = "heap", .has_blksiz = true, .blksiz = 16, .nblks = 32, .nfree = 30 }
	};
	struct smp_os_mpools pools = { mp, 1 };
	char *s;

	s = printed(tasks_fn, &tasks);
	CHECK_STR(s, "      task pri tid  runtime      csw    stksz   stkuse last_checkin "
		     "next_checkin\n"
		     "     alpha  15   1        0       42        0        0        3        4\n"
		     "      zeta  -1   7 123456789        0      256      120        0        0\n");
	free(s);
	s = printed(pools_fn, &pools);
	CHECK_STR(s, "                            name blksz  cnt free  min\n"
		     "                            heap    16   32   30    0\n");
	free(s);
}

/* newtmgr/cli/stat.go statsListRunCmd and statsRunCmd. */
TEST(go_print_stat)
{
	char *names[] = { "b_grp", "a_grp" };
	struct smp_stat_list l = { names, 2 }, none = { NULL, 0 };
	struct smp_stat_field fl[] = { { "tx", 4294967296ULL }, { "rx", 5 } };
	struct smp_stat_group g = { NULL, fl, 2 }, empty = { NULL, NULL, 0 };
	char *s;

	s = printed(stat_list_fn, &l);
	CHECK_STR(s, "stat groups:\n    a_grp\n    b_grp\n");
	free(s);
	s = printed(stat_list_fn, &none);
	CHECK_STR(s, "stat groups: none\n");
	free(s);
	s = printed(stat_group_fn, &g);
	CHECK_STR(s, "stat group: grp\n         5 rx\n4294967296 tx\n");
	free(s);
	s = printed(stat_group_fn, &empty);
	CHECK_STR(s, "stat group: grp\n    (empty)\n");
	free(s);
}

/* newtmgr/cli/shell.go shellExecCmd: "status=" is the legacy "rc" only. */
TEST(go_print_shell_exec)
{
	struct smp_shell_result cur = { .output = "uptime: 5\n", .ret = 3 },
				old = { .output = "no newline", .ret = 2, .legacy_rc = true },
				quiet = { .output = "" };
	char *s;

	s = printed(shell_fn, &cur);
	CHECK_STR(s, "status=0\nuptime: 5\n");
	free(s);
	s = printed(shell_fn, &old);
	CHECK_STR(s, "status=2\nno newline\n");
	free(s);
	s = printed(shell_fn, &quiet);
	CHECK_STR(s, "status=0\n");
	free(s);
}

/* Go prints the device's version text; smpctl's own mode shows MCUboot's
 * "1.2.3+4" (smp_img_version_mcuboot_form). */
TEST(go_version_as_device_sent)
{
	char v[48] = "1.2.3.4", out[48];
	bool made = smp_img_version_mcuboot_form(v);

	CHECK(made);
	CHECK_STR(v, "1.2.3+4");
	go_version_text(v, made, out, sizeof(out));
	CHECK_STR(out, "1.2.3.4");
	snprintf(v, sizeof(v), "1.2.3+4");
	made = smp_img_version_mcuboot_form(v);
	CHECK(!made);
	go_version_text(v, made, out, sizeof(out));
	CHECK_STR(out, "1.2.3+4");
}

/* image.go imageUploadCmd's bar, pb.v1 v1.0.28 pb.go write(): counters
 * " %s / %s " (formatBytes), "[=>-]" by math.Ceil, " %6.02f%%", speed,
 * time left ("%02dm%02ds") while running, time spent (Duration.String)
 * when finished, padded to the width. */
TEST(go_upload_bar_line)
{
	struct go_bar b = {
		.width = 80, .total = 102400, .cur = 25600, .start_ns = 0, .change_ns = 2000000000LL
	};
	char line[256];

	go_bar_line(&b, 2000000000LL, false, line, sizeof(line));
	/* 80 - 24 (counters) - 2 - 27 (tail): 27 wide, ceil(27 / 4) = 7 full */
	CHECK_STR(line, " 25.00 KiB / 100.00 KiB [======>--------------------]  25.00% "
			"12.50 KiB/s 00m06s");
	CHECK_INT(strlen(line), 80);
	b.cur = b.total;
	go_bar_line(&b, 3500000000LL, true, line, sizeof(line));
	CHECK_STR(line, " 100.00 KiB / 100.00 KiB [==============================] 100.00% "
			"28.57 KiB/s 3s");
	b.cur = 0;
	b.width = 40;
	go_bar_line(&b, 0, false, line, sizeof(line));
	/* no speed, no time left before the first byte */
	CHECK_STR(line, " 0 B / 100.00 KiB [------------]   0.00%");
}
