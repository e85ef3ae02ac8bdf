/* The group commands (fs, settings, stat...) against a device whose
 * answers make no sense: one clear line on stderr and exit 4, never a
 * crash; and no LOCAL file from a download that failed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd/commands.h"
#include "cli/opts.h"
#include "host/engine_heap.h"
#include "smp/header.h"
#include "tests/unit/fake_transport.h"
#include "tests/unit/unit.h"

struct bad_device {
	const uint8_t *payload;
	size_t len;
};

static void answer_badly(struct fake_transport *f, const uint8_t *req, size_t len)
{
	const struct bad_device *d = f->user;

	fake_answer(f, req, SMP_V2, d->payload, d->len);
}

struct session {
	struct cli_ctx ctx;
	struct fake_transport fake;
	struct bad_device dev;
	char *out, *err;
	size_t out_len, err_len;
};

static int run(struct session *s, const uint8_t *payload, size_t len, char *line)
{
	struct smp_engine_cfg cfg;
	char *argv[16];
	int argc = 0, rc;

	memset(s, 0, sizeof(*s));
	cli_opts_defaults(&s->ctx.opts);
	s->ctx.opts.timeout_ms = 50;
	s->ctx.opts.target = "fake";
	/* The errors alone: a transfer's progress lines are checked in
	 * test_cli_ux.c and tests/e2e/27_fs_progress.sh. */
	s->ctx.opts.progress = "none";
	s->ctx.out = open_memstream(&s->out, &s->out_len);
	s->ctx.err = open_memstream(&s->err, &s->err_len);
	s->dev = (struct bad_device){ payload, len };
	fake_init(&s->fake, &s->ctx.transport, answer_badly);
	s->fake.user = &s->dev;
	smp_engine_cfg_defaults(&cfg);
	cfg.timeout_ms = 50;
	cfg.retries = 0;
	engine_heap_init(&s->ctx.engine, &s->ctx.transport, &cfg);
	s->ctx.connected = true;
	for (char *tok = strtok(line, " "); tok && argc < 15; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	argv[argc] = NULL;
	rc = cli_dispatch(&s->ctx, cli_commands, "", argc, argv);
	cli_disconnect(&s->ctx);
	fclose(s->ctx.out);
	fclose(s->ctx.err);
	return rc;
}

static int lines(const char *s)
{
	int n = 0;

	for (; s && *s; s++)
		n += *s == '\n';
	return n;
}

static void expect_bad_answer(struct unit_ctx *t, const char *cmd, const uint8_t *payload,
			      size_t len)
{
	struct session s;
	char line[128];
	int rc;

	snprintf(line, sizeof(line), "smpctl %s", cmd);
	rc = run(&s, payload, len, line);
	if (!CHECK_INT(rc, EXIT_PROTOCOL) || !CHECK_INT(lines(s.err), 1) ||
	    !CHECK(strncmp(s.err, "smpctl: ", 8) == 0))
		printf("    %s: %s", cmd, s.err ? s.err : "(nothing)\n");
	free(s.out);
	free(s.err);
}

#define BAD(cmd, ...)                                               \
	expect_bad_answer(t, cmd, (const uint8_t[]){ __VA_ARGS__ }, \
			  sizeof((const uint8_t[]){ __VA_ARGS__ }))

TEST(cli_groups_bad_answers_exit_4)
{
	BAD("taskstat", 0xa1, 0x65, 't', 'a', 's', 'k', 's', 0x01);
	BAD("mpstat", 0xa1, 0x66, 'm', 'p', 'o', 'o', 'l', 's', 0xa1, 0x61, 'a', 0xa1, 0x65, 'n',
	    'b', 'l', 'k', 's', 0x61, 'x');
	BAD("datetime get", 0xa1, 0x68, 'd', 'a', 't', 'e', 't', 'i', 'm', 'e', 0x05);
	BAD("bootloader info", 0xa1, 0x61, 'x', 0x01);
	BAD("stat list", 0xa1, 0x69, 's', 't', 'a', 't', '_', 'l', 'i', 's', 't', 0x03);
	BAD("stat read g", 0xa1, 0x66, 'f', 'i', 'e', 'l', 'd', 's', 0x80);
	BAD("settings read a/b", 0xa1, 0x63, 'v', 'a', 'l', 0x61, 'x');
	BAD("shell exec x", 0xa1, 0x61, 'o', 0x01);
	BAD("groups", 0xa1, 0x65, 'c', 'o', 'u', 'n', 't', 0x61, 'x');
	BAD("fs stat /lfs/x", 0xa1, 0x63, 'l', 'e', 'n', 0x20);
	BAD("fs hashes", 0xa1, 0x65, 't', 'y', 'p', 'e', 's', 0x01);
	BAD("fs hash /lfs/x", 0xa1, 0x64, 't', 'y', 'p', 'e', 0x66, 's', 'h', 'a', '2', '5', '6');
	BAD("storage erase --yes", 0xa1, 0x65, 'w', 'e', 'i', 'r', 'd', 0x01);
	BAD("raw 64 0", 0x01);	     /* not even a map */
	BAD("raw 64 0", 0xa1, 0x61); /* truncated */
}

TEST(cli_fs_download_failure_leaves_no_local)
{
	/* Every answer: {"len": 10, "off": 0, "data": h'616263'}: a size,
	 * then a chunk at the wrong offset for every read after the first. */
	static const uint8_t payload[] = { 0xa3, 0x63, 'l', 'e', 'n', 0x0a, 0x63, 'o', 'f', 'f',
					   0x00, 0x64, 'd', 'a', 't', 'a',  0x43, 'a', 'b', 'c' };
	char dir[] = "/tmp/fsdl-XXXXXX", line[160], local[64], part[80];
	struct session s;
	FILE *f;
	char got[8] = "";

	if (!CHECK(mkdtemp(dir) != NULL))
		return;
	snprintf(local, sizeof(local), "%s/out", dir);
	snprintf(part, sizeof(part), "%s.part", local);
	snprintf(line, sizeof(line), "smpctl fs download /lfs/x %s", local);
	CHECK_INT(run(&s, payload, sizeof(payload), line), EXIT_PROTOCOL);
	CHECK_INT(lines(s.err), 1);
	CHECK(access(local, F_OK) != 0);
	/* What arrived in order is kept for a resume. */
	f = fopen(part, "rb");
	CHECK(f && fread(got, 1, sizeof(got) - 1, f) == 3);
	CHECK_STR(got, "abc");
	if (f)
		fclose(f);
	free(s.out);
	free(s.err);
	unlink(part);
	rmdir(dir);
}

TEST(cli_groups_usage_exit_2)
{
	static const char *const cmds[] = {
		"smpctl fs upload a",
		"smpctl fs download a b c",
		"smpctl fs hash",
		"smpctl fs hash a --type",
		"smpctl settings write n",
		"smpctl settings read",
		"smpctl settings read n --max-size 0",
		"smpctl settings delete",
		"smpctl stat read",
		"smpctl shell exec",
		"smpctl raw 1",
		"smpctl raw x 0",
		"smpctl raw 1 256",
		"smpctl datetime set",
		"smpctl bootloader info a b",
		"smpctl storage erase --force",
		"smpctl groups 65536",
		"smpctl mpstat x",
	};
	static const uint8_t empty[] = { 0xa0 };
	char line[128];
	struct session s;

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		snprintf(line, sizeof(line), "%s", cmds[i]);
		if (!CHECK_INT(run(&s, empty, sizeof(empty), line), EXIT_USAGE))
			printf("    %s\n", cmds[i]);
		CHECK_INT(s.fake.sent, 0); /* nothing reached the device */
		free(s.out);
		free(s.err);
	}
}
