/* Command-line pieces that need no device: line splitting, hex, options. */
#include "unit.h"
#include "smp/hex.h"
#include "cli/interactive.h"
#include "cli/opts.h"
#include "transport/udp.h"

TEST(split_line_words_and_quotes)
{
	char line[] = "  echo 'a  b' \"c \\\"d\\\"\" e\\ f  ";
	char *w[8];

	CHECK_INT(cli_split_line(line, w, 8), 4);
	CHECK_STR(w[0], "echo");
	CHECK_STR(w[1], "a  b");
	CHECK_STR(w[2], "c \"d\"");
	CHECK_STR(w[3], "e f");
}

TEST(split_line_errors)
{
	char open_quote[] = "echo 'abc";
	char many[] = "a b c d";
	char empty[] = "   ";
	char *w[3];

	CHECK_INT(cli_split_line(open_quote, w, 3), -1);
	CHECK_INT(cli_split_line(many, w, 3), -1);
	CHECK_INT(cli_split_line(empty, w, 3), 0);
}

TEST(hex_roundtrip_and_rejects)
{
	uint8_t buf[4];
	char out[9];

	CHECK_INT(smp_hex_decode("00fFa5", buf, sizeof(buf)), 3);
	smp_hex_encode(buf, 3, out);
	CHECK_STR(out, "00ffa5");
	CHECK_INT(smp_hex_decode("abc", buf, sizeof(buf)), -1);
	CHECK_INT(smp_hex_decode("zz", buf, sizeof(buf)), -1);
	CHECK_INT(smp_hex_decode("0011223344", buf, sizeof(buf)), -1);
}

TEST(udp_target_forms)
{
	char host[64], port[8];

	CHECK_INT(udp_split_target("dev.local", host, sizeof(host), port, sizeof(port)), 0);
	CHECK_STR(host, "dev.local");
	CHECK_STR(port, "1337");
	CHECK_INT(udp_split_target("10.0.0.2:5683", host, sizeof(host), port, sizeof(port)), 0);
	CHECK_STR(host, "10.0.0.2");
	CHECK_STR(port, "5683");
	CHECK_INT(udp_split_target("[::1]:99", host, sizeof(host), port, sizeof(port)), 0);
	CHECK_STR(host, "::1");
	CHECK_STR(port, "99");
	CHECK_INT(udp_split_target("fe80::1", host, sizeof(host), port, sizeof(port)), 0);
	CHECK_STR(host, "fe80::1");
	CHECK_INT(udp_split_target("[::1]", host, sizeof(host), port, sizeof(port)), 0);
	CHECK_INT(udp_split_target("[::1", host, sizeof(host), port, sizeof(port)), -1);
	CHECK_INT(udp_split_target("host:", host, sizeof(host), port, sizeof(port)), -1);
	CHECK_INT(udp_split_target("host:0", host, sizeof(host), port, sizeof(port)), -1);
	CHECK_INT(udp_split_target("host:65536", host, sizeof(host), port, sizeof(port)), -1);
	CHECK_INT(udp_split_target("host:12a", host, sizeof(host), port, sizeof(port)), -1);
	CHECK_INT(udp_split_target("", host, sizeof(host), port, sizeof(port)), -1);
}

TEST(parse_uint_strict)
{
	unsigned long v;

	CHECK_INT(cli_parse_uint("42", 100, &v), 0);
	CHECK_INT(v, 42);
	CHECK_INT(cli_parse_uint("0x10", 100, &v), 0);
	CHECK_INT(v, 16);
	CHECK_INT(cli_parse_uint("101", 100, &v), -1);
	CHECK_INT(cli_parse_uint("-1", 100, &v), -1);
	CHECK_INT(cli_parse_uint("4x", 100, &v), -1);
	CHECK_INT(cli_parse_uint("", 100, &v), -1);
}
