/* The command line's and the profile file's edges: what `conn add` may
 * write (what libinih reads back), a profile line the reader cannot read,
 * the mcumgr front end's word limit, and brace ranges at their widths and
 * bounds. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/fleet/fleet.h"
#include "cli/mcumgr/mcumgr_compat.h"
#include "cli/opts.h"
#include "cli/profile.h"

struct scratch {
	struct cli_ctx c;
	char dir[32], path[64];
	char *err;
	size_t err_len;
};

static void scratch_open(struct scratch *s)
{
	memset(s, 0, sizeof(*s));
	cli_opts_defaults(&s->c.opts);
	s->c.out = fopen("/dev/null", "w");
	s->c.err = open_memstream(&s->err, &s->err_len);
	snprintf(s->dir, sizeof(s->dir), "/tmp/smpctl-unit-XXXXXX");
	if (mkdtemp(s->dir))
		snprintf(s->path, sizeof(s->path), "%s/config", s->dir);
	setenv("SMPCTL_CONFIG", s->path, 1);
}

static void scratch_close(struct scratch *s)
{
	cli_profile_free(&s->c);
	fclose(s->c.out);
	fclose(s->c.err);
	free(s->err);
	unlink(s->path);
	rmdir(s->dir);
	unsetenv("SMPCTL_CONFIG");
}

static const char *errors(struct scratch *s)
{
	fflush(s->c.err);
	return s->err ? s->err : "";
}

static void fill(char *buf, size_t n, char c)
{
	memset(buf, c, n);
	buf[n] = 0;
}

TEST(profile_write_long_names_refused)
{
	struct cli_profile_setting set[1] = { { "udp", "192.0.2.1" } };
	struct scratch s;
	char name[700];

	scratch_open(&s);
	/* 597 bytes and more overran the writer's line buffer. */
	fill(name, 650, 'n');
	CHECK_INT(cli_profile_write(&s.c, name, set, 1, false), EXIT_USAGE);
	CHECK(strstr(errors(&s), "at most 49") != NULL);
	CHECK(access(s.path, F_OK) != 0);
	fill(name, 50, 'n');
	CHECK_INT(cli_profile_write(&s.c, name, set, 1, false), EXIT_USAGE);
	fill(name, 49, 'n');
	CHECK_INT(cli_profile_write(&s.c, name, set, 1, false), EXIT_OK);
	CHECK_INT(cli_profile_apply_named(&s.c, name), EXIT_OK);
	CHECK_STR(s.c.opts.target, "192.0.2.1");
	scratch_close(&s);
}

TEST(profile_write_refuses_what_does_not_read_back)
{
	struct cli_profile_setting set[1] = { { "mqtt", "" } };
	struct scratch s;
	int k;

	scratch_open(&s);
	/* "mqtt = " and the URL: 197 characters read back, 198 would not. */
	k = snprintf(set[0].value, sizeof(set[0].value), "mqtts://user:");
	fill(set[0].value + k, 197 - 7 - (size_t)k - 9, 'T');
	strcat(set[0].value, "@host/a/b");
	CHECK_INT((long long)strlen(set[0].value) + 7, 197);
	CHECK_INT(cli_profile_write(&s.c, "lab", set, 1, false), EXIT_OK);
	CHECK_INT(cli_profile_apply_named(&s.c, "lab"), EXIT_OK);
	CHECK_STR(s.c.opts.target, set[0].value);
	strcat(set[0].value, "x");
	CHECK_INT(cli_profile_write(&s.c, "lab", set, 1, false), EXIT_USAGE);
	CHECK(strstr(errors(&s), "mqtt: the line would be 198 characters") != NULL);
	/* inih cuts a value at " ;" and strips its outer blanks. */
	snprintf(set[0].value, sizeof(set[0].value), "mqtt://h/a ;b");
	CHECK_INT(cli_profile_write(&s.c, "lab", set, 1, false), EXIT_USAGE);
	snprintf(set[0].value, sizeof(set[0].value), "mqtt://h/a ");
	CHECK_INT(cli_profile_write(&s.c, "lab", set, 1, false), EXIT_USAGE);
	CHECK_INT(cli_profile_write(&s.c, "lab ", set, 0, false), EXIT_USAGE);
	scratch_close(&s);
}

TEST(profile_reader_skips_a_bad_line)
{
	struct scratch s;
	char value[300];
	FILE *f;

	scratch_open(&s);
	fill(value, 250, 'T');
	f = fopen(s.path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fprintf(f, "[lab]\nudp = 192.0.2.7\nnot a setting\nmqtt = %s\ntimeout = 7\n", value);
	fclose(f);
	CHECK_INT(cli_profile_apply_named(&s.c, "lab"), EXIT_OK);
	CHECK_STR(s.c.opts.target, "192.0.2.7");
	CHECK_INT(s.c.opts.timeout_ms, 7000);
	CHECK_INT(s.c.opts.transport, CLI_TRANSPORT_UDP);
	CHECK(strstr(errors(&s), "config:3: expected [SECTION] or KEY = VALUE; skipped") != NULL);
	CHECK(strstr(errors(&s), "config:4: too long for a profile line") != NULL);
	scratch_close(&s);
}

TEST(mcumgr_front_refuses_too_many_words)
{
	char *argv[COMPAT_MAX_ARGS + 8], **out = argv, num[COMPAT_MAX_ARGS + 8][8];
	struct compat_front *f = calloc(1, sizeof(*f));
	struct scratch s;
	int argc = 0, i;

	scratch_open(&s);
	argv[argc++] = "mcumgr";
	argv[argc++] = "shell";
	argv[argc++] = "exec";
	for (i = 0; argc < COMPAT_MAX_ARGS + 4; i++) {
		snprintf(num[i], sizeof(num[i]), "%d", i);
		argv[argc++] = num[i];
	}
	argv[argc] = NULL;
	CHECK_INT(compat_front(&s.c, f, &argc, &out), EXIT_USAGE);
	CHECK(strstr(errors(&s), "132 words on the command line; at most 128") != NULL);
	free(f);
	scratch_close(&s);
}

static int count_board(struct fleet *fl, const char *conn)
{
	fl->n++;
	return EXIT_OK;
}

static void forget(struct fleet *fl)
{
	size_t i;

	for (i = 0; i < fl->n_expanded; i++)
		free(fl->expanded[i]);
	fl->n_expanded = 0;
}

static int expand(const char *conn, struct fleet *fl, struct scratch *s)
{
	forget(fl);
	memset(fl, 0, sizeof(*fl));
	fl->ctx = &s->c;
	return fleet_expand(fl, conn, count_board);
}

TEST(fleet_ranges_at_their_edges)
{
	struct fleet *fl = calloc(1, sizeof(*fl));
	struct scratch s;
	char conn[128];

	scratch_open(&s);
	snprintf(conn, sizeof(conn), "udp:h:{%030d..3}", 1);
	CHECK_INT(expand(conn, fl, &s), EXIT_OK);
	CHECK_INT(fl->n, 3);
	CHECK_INT((long long)strlen(fl->expanded[2]), (long long)strlen("udp:h:") + 30);
	CHECK_STR(fl->expanded[2] + strlen(fl->expanded[2]) - 3, "003");
	snprintf(conn, sizeof(conn), "udp:h:{%045d..3}", 1);
	CHECK_INT(expand(conn, fl, &s), EXIT_USAGE);
	CHECK(strstr(errors(&s), "at most 40 digits") != NULL);
	CHECK_INT(expand("udp:h:{18446744073709551615..18446744073709551616}", fl, &s), EXIT_USAGE);
	CHECK(strstr(errors(&s), "go up to 18446744073709551615") != NULL);
	CHECK_INT(expand("udp:h:{18446744073709551613..18446744073709551615}", fl, &s), EXIT_OK);
	CHECK_INT(fl->n, 3);
	CHECK_INT(expand("udp:h:{a..b}", fl, &s), EXIT_OK);
	CHECK_INT(fl->n, 1);
	forget(fl);
	free(fl);
	scratch_close(&s);
}
