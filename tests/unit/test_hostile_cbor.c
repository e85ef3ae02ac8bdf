/* What a hostile device can put in a CBOR answer (the fuzzer's finds): the
 * length pre-scan, the safe major-type-7 predicate, CBOR-to-JSON on map
 * keys that are maps, and the terminal escaper. */
#include <stdlib.h>
#include <string.h>

#include "cli/ui/cbor_json.h"
#include "cli/ui/text_safe.h"
#include "smp/cbor_read.h"
#include "host/cbor_tree.h"
#include "smp/grp_img.h"
#include "smp/hex.h"
#include "tests/unit/unit.h"

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
	long n = smp_hex_decode(hex, out, cap);

	return n < 0 ? 0 : (size_t)n;
}

static const char *check_why(const char *hex)
{
	static uint8_t buf[256];
	size_t n = unhex(hex, buf, sizeof(buf)), used = 0;
	const char *why = NULL;

	return smp_cbor_check(buf, n, &used, &why) == 0 ? "ok" : why;
}

TEST(cbor_check_bounds_declared_lengths)
{
	/* F2: {"a": array of 2^28} and of 2^30, in 8 bytes. */
	CHECK_STR(check_why("a161619a10000000"), "CBOR length larger than the payload");
	CHECK_STR(check_why("a161619a40000000"), "CBOR length larger than the payload");
	/* A map of 2^63 pairs, a text of 2^64-1 bytes, a byte string of 5 in 4. */
	CHECK_STR(check_why("bb8000000000000000"), "CBOR length larger than the payload");
	CHECK_STR(check_why("7bffffffffffffffff"), "CBOR length larger than the payload");
	CHECK_STR(check_why("45010203"), "CBOR length larger than the payload");
	/* Nested: the inner array's count is checked against what is left. */
	CHECK_STR(check_why("8281990100"), "CBOR length larger than the payload");
	/* Inside an indefinite map and an indefinite string. */
	CHECK_STR(check_why("bf61619a00010000ff"), "CBOR length larger than the payload");
	CHECK_STR(check_why("5f5a00010000ff"), "CBOR length larger than the payload");
}

TEST(cbor_check_accepts_what_devices_send)
{
	CHECK_STR(check_why("a0"), "ok");
	CHECK_STR(check_why("a26172626869616e03"), "ok");
	CHECK_STR(check_why("bf61645f4201024103ff61619f0102ff61747f6261626163ffff"), "ok");
	CHECK_STR(check_why("c11a5f000000"), "ok"); /* tag 1 */
	CHECK_STR(check_why("a1616bf93c00"), "ok"); /* half float */
	/* simple 32: well formed by RFC 8949, but libcbor's streaming
	 * decoder, which the core reads with, refuses it, and so would its
	 * tree builder: an answer reads the same either way. */
	CHECK_STR(check_why("a1616bf820"), "malformed CBOR");
	CHECK_STR(check_why("a1616bfb3ff8000000000000"), "ok"); /* double */
}

TEST(cbor_check_rejects_malformed)
{
	CHECK_STR(check_why(""), "truncated CBOR");
	CHECK_STR(check_why("1c"), "malformed CBOR");		/* reserved ai 28 */
	CHECK_STR(check_why("ff"), "malformed CBOR");		/* break outside */
	CHECK_STR(check_why("bf6161ff"), "malformed CBOR");	/* key, no value */
	CHECK_STR(check_why("f818"), "malformed CBOR");		/* simple < 32 in 2 bytes */
	CHECK_STR(check_why("5f6161ff"), "malformed CBOR");	/* text chunk in bytes */
	CHECK_STR(check_why("7f7f6161ffff"), "malformed CBOR"); /* nested indefinite chunk */
	CHECK_STR(check_why("1f"), "malformed CBOR");		/* indefinite integer */
	CHECK_STR(check_why("a3616101"), "CBOR length larger than the payload");
	CHECK_STR(check_why("a2616101f5"), "truncated CBOR");
	CHECK_STR(check_why("9f01"), "truncated CBOR");
	/* Text that is not UTF-8: a stray byte, an overlong '/', a
	 * surrogate, a character cut between chunks. */
	CHECK_STR(check_why("6361ff62"), "malformed CBOR");
	CHECK_STR(check_why("62c0af"), "malformed CBOR");
	CHECK_STR(check_why("63eda080"), "malformed CBOR");
	CHECK_STR(check_why("7f61c361a9ff"), "malformed CBOR");
	CHECK_STR(check_why("7f62c3a9ff"), "ok");
	CHECK_STR(check_why("64f09f9982"), "ok");
}

TEST(cbor_check_bounds_nesting)
{
	uint8_t buf[2 * (SMP_CBOR_MAX_DEPTH + 2)];
	size_t used = 0, n;
	const char *why = NULL;

	/* [[[...0...]]] at the limit, and one deeper. */
	for (n = SMP_CBOR_MAX_DEPTH; n <= SMP_CBOR_MAX_DEPTH + 1; n++) {
		memset(buf, 0x81, n);
		buf[n] = 0;
		CHECK_INT(smp_cbor_check(buf, n + 1, &used, &why),
			  n == SMP_CBOR_MAX_DEPTH ? 0 : -1);
	}
	CHECK_STR(why, "CBOR nested too deeply");
	/* A chain of tags nests too. */
	memset(buf, 0xc1, sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = 0;
	CHECK_INT(smp_cbor_check(buf, sizeof(buf), &used, &why), -1);
	CHECK_STR(why, "CBOR nested too deeply");
}

/* F1: the image-list answer with "active": 1.5. */
static const char f1_hex[] =
	"a166696d6167657381a364736c6f74006776657273696f6e65312e302e3066616374697665fb3ff8000000000000";

TEST(float_where_bool_expected_is_a_type_error)
{
	uint8_t buf[64];
	size_t n = unhex(f1_hex, buf, sizeof(buf));
	const char *why = NULL;
	cbor_item_t *m = tree_decode_map(buf, n, &why), *img;
	struct smp_cbor view;
	struct smp_img_state st;
	bool b = false;

	if (!CHECK(m != NULL))
		return;
	img = cbor_array_handle(tree_map_get(m, "images"))[0];
	CHECK_INT(tree_get_bool(img, "active", &b), SMP_GET_TYPE);
	CHECK_INT(tree_item_simple(tree_map_get(img, "active")), SMP_SIMPLE_FLOAT);
	CHECK_INT(tree_item_simple(tree_map_get(img, "slot")), SMP_SIMPLE_NONE);
	cbor_decref(&m);
	/* The core's decoder, in place, says the same. */
	why = NULL;
	if (!CHECK_INT(smp_cbor_decode_map(buf, n, &view, &why), 0))
		return;
	CHECK_INT(smp_img_state_rsp(&view, &st, &why), -1);
	CHECK(why && strstr(why, "not a boolean"));
}

static char *to_json_text(const char *hex)
{
	static uint8_t buf[256];
	size_t n = unhex(hex, buf, sizeof(buf));
	struct cbor_load_result res;
	cbor_item_t *item = cbor_load(buf, n, &res);
	json_t *js = item ? cbor_to_json(item) : NULL;
	char *text = js ? json_dumps(js, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;

	json_decref(js);
	if (item)
		cbor_decref(&item);
	return text;
}

TEST(cbor_to_json_major_type_7)
{
	char *js = to_json_text(f1_hex);
	cbor_item_t *simple;
	json_t *v;

	CHECK_STR(js, "{\"images\":[{\"slot\":0,\"version\":\"1.0.0\",\"active\":1.5}]}");
	free(js);
	/* undefined, null, NaN, +inf: null; half 1.0 (libcbor refuses
	 * unassigned simple values when decoding) */
	js = to_json_text("85f7f6f97e00f97c00f93c00");
	CHECK_STR(js, "[null,null,null,null,1.0]");
	free(js);
	simple = cbor_build_ctrl(16);
	CHECK_INT(tree_item_simple(simple), SMP_SIMPLE_OTHER);
	v = cbor_to_json(simple);
	CHECK(json_is_null(v));
	json_decref(v);
	cbor_decref(&simple);
}

TEST(cbor_to_json_map_keys_linear)
{
	/* F3, exactly: a1 x 26, 00 x 29 (cbor_load reads the first item). */
	char hex[2 * 55 + 1] = "", *js;
	int i;

	for (i = 0; i < 26; i++)
		strcat(hex, "a1");
	for (i = 0; i < 29; i++)
		strcat(hex, "00");
	js = to_json_text(hex);
	if (CHECK(js != NULL)) {
		CHECK(strlen(js) < 200);
		CHECK(strstr(js, "{{{0:0}:0}:0}") != NULL);
	}
	free(js);
	/* Keys of every kind: bytes as hex, arrays and text inside as JSON. */
	js = to_json_text("a442abcd01f5028201626869036161a1616102");
	CHECK_STR(js, "{\"abcd\":1,\"true\":2,\"[1,\\\"hi\\\"]\":3,\"a\":{\"a\":2}}");
	free(js);
}

TEST(cbor_to_json_depth_bounded)
{
	cbor_item_t *item = cbor_new_definite_array(1), *inner;
	json_t *js;
	int i;

	/* Built, not decoded: the decoder's own bound does not apply. */
	for (i = 0; i < CBOR_JSON_MAX_DEPTH + 5; i++) {
		inner = cbor_new_definite_array(1);
		cbor_array_push(inner, item);
		cbor_decref(&item);
		item = inner;
	}
	js = cbor_to_json(item);
	CHECK(js == NULL);
	json_decref(js);
	cbor_decref(&item);
}

TEST(text_safe_escapes_controls_and_bad_utf8)
{
	char out[TEXT_SAFE_CAP];

	CHECK_STR(text_safe_str(out, sizeof(out), "\x1b]0;pwned\x07"), "\\x1b]0;pwned\\x07");
	CHECK_STR(text_safe_str(out, sizeof(out), "a\tb\nc\x7f"), "a\\x09b\\x0ac\\x7f");
	CHECK_STR(text_safe_str(out, sizeof(out),
				"\xc2\x9b"
				"2J"),
		  "\\u009b2J"); /* C1 CSI */
	CHECK_STR(text_safe_str(out, sizeof(out), "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
		  "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	/* Overlong, surrogate, past U+10FFFF, truncated, lone continuation. */
	CHECK_STR(text_safe_str(out, sizeof(out),
				"\xc0\x80|\xed\xa0\x80|\xf4\x90\x80\x80|\xe2\x82|\x80"),
		  "\\xc0\\x80|\\xed\\xa0\\x80|\\xf4\\x90\\x80\\x80|\\xe2\\x82|\\x80");
	CHECK_STR(text_safe_str(out, sizeof(out), NULL), "");
	/* Too long: cut between characters, marked. */
	CHECK_STR(text_safe_str(out, 8, "ab\xc3\xa9\xc3\xa9z"), "ab\xc3\xa9...");
	CHECK_STR(text_safe_str(out, 8, "abcd\x1b"), "abcd...");
}

TEST(text_safe_lines_keep_newlines)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!CHECK(f != NULL))
		return;
	text_safe_puts(f, "one\n\x1b[2Jtwo\tthree\r\n", TEXT_SAFE_LINES);
	fclose(f);
	CHECK_STR(buf, "one\n\\x1b[2Jtwo\tthree\\x0d\n");
	free(buf);
}
