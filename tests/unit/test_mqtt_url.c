/* The --mqtt URL, the topic templates and --exec-raw's length prefix. */
#include <string.h>

#include "unit.h"
#include "transport/mqtt_url.h"
#include "transport/pipe.h"

TEST(mqtt_url_full)
{
	struct mqtt_url u;
	char err[256];

	CHECK_INT(mqtt_url_parse("mqtts://al%40x:p%3Ass@broker.example:8884/fleet/eu/dev-7", true,
				 &u, err, sizeof(err)),
		  0);
	CHECK(u.tls);
	CHECK(u.has_user && u.has_pass);
	CHECK_STR(u.user, "al@x");
	CHECK_STR(u.pass, "p:ss");
	CHECK_STR(u.host, "broker.example");
	CHECK_INT(u.port, 8884);
	CHECK_STR(u.prefix, "fleet/eu");
	CHECK_STR(u.device, "dev-7");
}

TEST(mqtt_url_defaults_and_ipv6)
{
	struct mqtt_url u;
	char err[256];

	CHECK_INT(mqtt_url_parse("mqtt://h/d", true, &u, err, sizeof(err)), 0);
	CHECK_INT(u.port, 1883);
	CHECK_STR(u.prefix, "");
	CHECK_STR(u.device, "d");
	CHECK(!u.has_user);
	CHECK_INT(mqtt_url_parse("mqtts://[::1]/p/d", true, &u, err, sizeof(err)), 0);
	CHECK_INT(u.port, 8883);
	CHECK_STR(u.host, "::1");
	CHECK_INT(mqtt_url_parse("mqtt://[::1]:1884/p", false, &u, err, sizeof(err)), 0);
	CHECK_INT(u.port, 1884);
	CHECK_STR(u.prefix, "p");
	CHECK_STR(u.device, "");
}

TEST(mqtt_url_rejects_malformed)
{
	static const char *const bad[] = {
		"mqtt://h",	  /* no device */
		"mqtt://h/",	  /* no device */
		"http://h/a/b",	  /* scheme */
		"mqtt:///a/b",	  /* no host */
		"mqtt://h:0/a/b", /* port */
		"mqtt://h:70000/a/b", "mqtt://h:12x/a/b",
		"mqtt://::1/a/b",			   /* IPv6 without brackets */
		"mqtt://[::1/a/b",    "mqtt://h/a//b",	   /* empty segment */
		"mqtt://h/a/b/",      "mqtt://h/a/#",	   /* wildcards */
		"mqtt://h/+/b",	      "mqtt://u%zz@h/a/b", /* bad escape */
		"mqtt://u%00@h/a/b",  "mqtt://u%4@h/a/b",
	};
	struct mqtt_url u;
	char err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = 0;
		if (!CHECK(mqtt_url_parse(bad[i], true, &u, err, sizeof(err)) == -1))
			CHECK_STR(bad[i], "(should fail)");
		CHECK(err[0] != 0);
	}
}

TEST(mqtt_topic_templates)
{
	char req[128], rsp[128], out[128], err[256];

	CHECK_INT(mqtt_topics_split(NULL, req, rsp, sizeof(req), err, sizeof(err)), 0);
	CHECK_INT(mqtt_topic_expand(req, "fleet", "d1", out, sizeof(out), err, sizeof(err)), 0);
	CHECK_STR(out, "fleet/d1/smp/req");
	CHECK_INT(mqtt_topic_expand(rsp, "", "d1", out, sizeof(out), err, sizeof(err)), 0);
	CHECK_STR(out, "d1/smp/rsp");
	CHECK_INT(mqtt_topics_split("$aws/things/{device}/smp/in,$aws/things/{device}/smp/out", req,
				    rsp, sizeof(req), err, sizeof(err)),
		  0);
	CHECK_INT(mqtt_topic_expand(rsp, "x", "thing1", out, sizeof(out), err, sizeof(err)), 0);
	CHECK_STR(out, "$aws/things/thing1/smp/out");
	CHECK_INT(mqtt_topics_split("a", req, rsp, sizeof(req), err, sizeof(err)), -1);
	CHECK_INT(mqtt_topics_split("a,", req, rsp, sizeof(req), err, sizeof(err)), -1);
	CHECK_INT(mqtt_topics_split("a,b,c", req, rsp, sizeof(req), err, sizeof(err)), -1);
	CHECK_INT(mqtt_topics_split("a,a", req, rsp, sizeof(req), err, sizeof(err)), -1);
	CHECK_INT(mqtt_topic_expand("{prefix}/{dev}", "p", "d", out, sizeof(out), err, sizeof(err)),
		  -1);
	CHECK_INT(mqtt_topic_expand("{prefix}/+/x", "p", "d", out, sizeof(out), err, sizeof(err)),
		  -1);
	CHECK_INT(mqtt_topic_expand("{prefix}/{device}", "p", "d", out, 3, err, sizeof(err)), -1);
}

TEST(pipe_raw_prefix_bounds)
{
	unsigned char p[2];

	CHECK_INT(pipe_raw_prefix(8, p), 0);
	CHECK(p[0] == 0 && p[1] == 8);
	CHECK_INT(pipe_raw_prefix(0x1234, p), 0);
	CHECK(p[0] == 0x12 && p[1] == 0x34);
	CHECK_INT(pipe_raw_prefix(65535, p), 0);
	CHECK_INT(pipe_raw_prefix(7, p), -1);
	CHECK_INT(pipe_raw_prefix(65536, p), -1);
}
