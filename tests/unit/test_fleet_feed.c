/* The factory line's parent reads each board's JSON progress lines
 * (cli/fleet/fleet_feed.c): what it keeps from good lines, and that a
 * hostile or cut line changes nothing. */
#include "unit.h"

#include <stdlib.h>

#include "cli/fleet/fleet.h"

static void feed_all(struct fleet_board *b, const char *const *lines, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fleet_feed_line(b, lines[i]);
}

TEST(fleet_feed_reads_a_boards_progress)
{
	struct fleet_board b;
	json_t *o;

	memset(&b, 0, sizeof(b));
	CHECK_INT(fleet_feed_line(&b, "{\"progress\":\"step\",\"step\":\"connect\","
				      "\"status\":\"running\"}"),
		  1);
	CHECK_STR(b.phase, "connect");
	fleet_feed_line(&b, "{\"progress\":\"running\",\"version\":\"1.0.0\",\"hash\":\"4ea4\"}");
	CHECK_STR(b.before, "1.0.0");
	CHECK_STR(b.before_hash, "4ea4");
	fleet_feed_line(&b, "{\"progress\":\"upload\",\"phase\":\"erase\",\"bytes\":0,"
			    "\"total\":1000,\"elapsed\":0,\"rate\":0,\"eta\":null,\"window\":0}");
	CHECK_STR(b.phase, "upload");
	CHECK_INT((long long)b.total, 1000);
	fleet_feed_line(&b, "{\"progress\":\"upload\",\"phase\":\"upload\",\"bytes\":500,"
			    "\"total\":1000,\"elapsed\":1.5,\"rate\":333.3,\"eta\":1.5,"
			    "\"window\":1.5}");
	CHECK_INT((long long)b.done, 500);
	/* A step's outcome leaves the phase; the next step's start moves it. */
	fleet_feed_line(&b, "{\"progress\":\"step\",\"step\":\"upload\",\"status\":\"ok\"}");
	CHECK_STR(b.phase, "upload");
	fleet_feed_line(&b, "{\"progress\":\"step\",\"step\":\"confirm\",\"status\":\"running\"}");
	CHECK_STR(b.phase, "confirm");
	fleet_feed_line(&b, "{\"progress\":\"result\",\"result\":\"upgraded\","
			    "\"version_before\":\"1.0.0\",\"version_after\":\"2.0.0\","
			    "\"exit_code\":0}");
	CHECK(b.result != NULL);
	b.conn = "udp:192.0.2.1";
	o = fleet_board_json(&b);
	CHECK_STR(json_string_value(json_object_get(o, "result")), "upgraded");
	CHECK_STR(json_string_value(json_object_get(o, "version_after")), "2.0.0");
	CHECK_STR(json_string_value(json_object_get(o, "hash_before")), "4ea4");
	CHECK(json_object_get(o, "progress") == NULL);
	json_decref(o);
	json_decref(b.result);
}

TEST(fleet_feed_survives_hostile_lines)
{
	static const char *const bad[] = {
		"",
		"{",
		"null",
		"[]",
		"P 10 100",
		"R {\"result\":\"upgraded\"}",
		"{\"progress\":5}",
		"{\"progress\":\"nosuchkind\",\"bytes\":1,\"total\":2}",
		"{\"progress\":\"upload\",\"bytes\":-1,\"total\":10}",
		"{\"progress\":\"upload\",\"bytes\":11,\"total\":10}",
		"{\"progress\":\"upload\",\"bytes\":1e300,\"total\":10}",
		"{\"progress\":\"upload\",\"bytes\":\"5\",\"total\":10}",
		"{\"progress\":\"upload\",\"bytes\":5}",
		"{\"progress\":\"step\",\"step\":\"\\u001b[2J\",\"status\":\"running\"}",
		"{\"progress\":\"step\",\"step\":\"averyveryverylongstepname\",\"status\":\"running\"}",
		"{\"progress\":\"step\",\"step\":\"\",\"status\":\"running\"}",
		"{\"progress\":\"step\",\"step\":7,\"status\":\"running\"}",
		"{\"progress\":\"step\",\"step\":\"upload\"}",
		"{\"progress\":\"running\",\"version\":[1]}",
		"{\"progress\":\"result\",\"result\":\"pwned\"}",
		"{\"progress\":\"result\",\"result\":7}",
		"{\"progress\":\"result\",\"result\":\"failed\",\"error\":\"\\u001b[31mred\"}",
		"{\"progress\":\"result\",\"result\":\"failed\",\"error\":\"\\u009b31m\"}",
		"{\"progress\":\"running\",\"version\":\"1.0\\u001b[2J\"}",
		"{\"progress\":\"result\",\"result\":\"upgr",
		"{\"progress\":\"step\",\"progress\":\"upload\",\"bytes\":1,\"total\":2}",
		"{\"progress\":\"upload\",\"bytes\":1,\"total\":2}}",
		"{\"progress\":\"upload\",\"bytes\":1,\"total\":2} trailing",
	};
	struct fleet_board b;

	memset(&b, 0, sizeof(b));
	snprintf(b.phase, sizeof(b.phase), "state");
	feed_all(&b, bad, sizeof(bad) / sizeof(bad[0]));
	CHECK_STR(b.phase, "state");
	CHECK_INT((long long)b.done, 0);
	CHECK_INT((long long)b.total, 0);
	CHECK_STR(b.before, "");
	CHECK(b.result == NULL);
}

TEST(fleet_feed_keeps_within_its_buffers)
{
	char line[800], version[300], hash[300];
	struct fleet_board b;

	memset(&b, 0, sizeof(b));
	memset(version, 'v', sizeof(version) - 1);
	version[sizeof(version) - 1] = 0;
	memset(hash, 'a', sizeof(hash) - 1);
	hash[sizeof(hash) - 1] = 0;
	snprintf(line, sizeof(line),
		 "{\"progress\":\"running\",\"version\":\"%s\",\"hash\":\"%s\"}", version, hash);
	fleet_feed_line(&b, line);
	CHECK_INT((long long)strlen(b.before), (long long)sizeof(b.before) - 1);
	CHECK_INT((long long)strlen(b.before_hash), (long long)sizeof(b.before_hash) - 1);
	/* A hash that is no hex is not kept. */
	memset(&b, 0, sizeof(b));
	fleet_feed_line(&b, "{\"progress\":\"running\",\"version\":\"1.0.0\","
			    "\"hash\":\"\\u001b]0;x\\u0007\"}");
	CHECK_STR(b.before, "1.0.0");
	CHECK_STR(b.before_hash, "");
	/* The first result counts. */
	fleet_feed_line(&b, "{\"progress\":\"result\",\"result\":\"failed\",\"exit_code\":3}");
	fleet_feed_line(&b, "{\"progress\":\"result\",\"result\":\"upgraded\",\"exit_code\":0}");
	CHECK_STR(json_string_value(json_object_get(b.result, "result")), "failed");
	json_decref(b.result);
}

static void count_said(struct fleet *fl, struct fleet_board *b)
{
	(void)fl;
	b->said_pct++;
}

/* Lines come in reads of any size: a line split between reads is read
 * whole; one longer than the board's buffer is dropped, its tail too (it
 * may look like a line of its own), and the next line is read. */
TEST(fleet_feed_cuts_lines_as_they_come)
{
	static const char step[] =
		"{\"progress\":\"step\",\"step\":\"test\",\"status\":\"running\"}\n";
	static const char tail[] =
		"{\"progress\":\"step\",\"step\":\"reset\",\"status\":\"running\"}\n";
	static struct fleet_board b;
	char *big = malloc(sizeof(b.buf) + 1);
	size_t i;

	memset(&b, 0, sizeof(b));
	for (i = 0; i < sizeof(step) - 1; i++)
		fleet_feed(NULL, &b, step + i, 1, count_said);
	CHECK_STR(b.phase, "test");
	CHECK_INT(b.said_pct, 1);
	/* Garbage, then a line longer than the buffer whose last part is a
	 * good line: neither counts. */
	fleet_feed(NULL, &b, "\x01\xff{garbage\n\n", 11, count_said);
	memset(big, 'x', sizeof(b.buf) + 1);
	fleet_feed(NULL, &b, big, sizeof(b.buf) + 1, count_said);
	fleet_feed(NULL, &b, tail, sizeof(tail) - 1, count_said);
	CHECK_STR(b.phase, "test");
	CHECK_INT(b.said_pct, 1);
	fleet_feed(NULL, &b, tail, sizeof(tail) - 1, count_said);
	CHECK_STR(b.phase, "reset");
	CHECK_INT(b.said_pct, 2);
	free(big);
}
