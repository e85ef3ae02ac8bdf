/* The core's in-place CBOR reader and writer against libcbor's own trees:
 * what the writer puts out is what libcbor serialises, and what the reader
 * finds is what libcbor decodes, definite and indefinite alike. */
#include <stdlib.h>
#include <string.h>

#include "host/cbor_tree.h"
#include "smp/cbor_read.h"
#include "smp/cbor_write.h"
#include "smp/hex.h"
#include "tests/unit/unit.h"

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
	long n = smp_hex_decode(hex, out, cap);

	return n < 0 ? 0 : (size_t)n;
}

TEST(cbor_writer_matches_libcbor_serialisation)
{
	static const int64_t ints[] = { 0,     23,	     24,	   255,	     256, 65535,
					65536, 4294967295LL, 4294967296LL, -1,	     -24, -25,
					-256,  -257,	     INT64_MIN,	   INT64_MAX };
	uint8_t mine[64], *theirs = NULL;
	struct smp_cbor_writer w;
	cbor_item_t *item;
	size_t i, n;

	for (i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		smp_cbor_writer_init(&w, mine, sizeof(mine));
		smp_cbor_int(&w, ints[i]);
		CHECK_INT(smp_cbor_done(&w), 0);
		item = tree_int(ints[i]);
		CHECK(tree_encode(item, &theirs, &n) == 0);
		CHECK_INT(w.len, n);
		CHECK_MEM(mine, theirs, n);
		free(theirs);
		cbor_decref(&item);
	}
	/* A whole request map, key by key. */
	smp_cbor_writer_init(&w, mine, sizeof(mine));
	smp_cbor_map(&w, 4);
	smp_put_uint(&w, "off", 4096);
	smp_put_bytes(&w, "data", (const uint8_t *)"\x01\x02\x03", 3);
	smp_put_text(&w, "name", "/lfs/a");
	smp_put_bool(&w, "upgrade", true);
	CHECK_INT(smp_cbor_done(&w), 0);
	item = cbor_new_definite_map(4);
	tree_put_uint(item, "off", 4096);
	tree_put_bytes(item, "data", (const uint8_t *)"\x01\x02\x03", 3);
	tree_put_text(item, "name", "/lfs/a");
	tree_put_bool(item, "upgrade", true);
	CHECK(tree_encode(item, &theirs, &n) == 0);
	CHECK_INT(w.len, n);
	CHECK_MEM(mine, theirs, n);
	free(theirs);
	cbor_decref(&item);
}

TEST(cbor_writer_that_is_full_says_so_and_stops)
{
	uint8_t buf[8];
	struct smp_cbor_writer w;

	smp_cbor_writer_init(&w, buf, sizeof(buf));
	smp_cbor_map(&w, 1);
	smp_put_text(&w, "key", "too long a value");
	CHECK_INT(smp_cbor_done(&w), -1);
	CHECK(w.len <= sizeof(buf));
	smp_cbor_writer_init(&w, buf, sizeof(buf));
	CHECK(smp_cbor_bytes_open(&w, 8) == NULL); /* head + 8 > 8 */
	CHECK_INT(smp_cbor_done(&w), -1);
	smp_cbor_writer_init(&w, NULL, 0);
	smp_cbor_uint(&w, 1);
	CHECK_INT(smp_cbor_done(&w), -1);
}

TEST(cbor_reader_finds_what_libcbor_decodes)
{
	/* {_ "d": (_ h'0102', h'03'), "a": [_ 1, 2], "t": (_ "ab", "c"),
	 *    "n": -5, "b": true, "f": 1.5 } */
	static const char hex[] = "bf61645f4201024103ff61619f0102ff61747f6261626163ff"
				  "616e246162f56166f93e00ff";
	uint8_t buf[96], bytes[4];
	char text[8];
	struct smp_cbor map, v, e;
	struct smp_cbor_iter it;
	const char *why = NULL;
	size_t n = unhex(hex, buf, sizeof(buf)), len = 0;
	int64_t i64 = 0;
	uint64_t u = 0;
	double f = 0;
	bool b = false;

	CHECK_INT(smp_cbor_decode_map(buf, n, &map, &why), 0);
	CHECK_INT(smp_get_bytes(&map, "d", bytes, sizeof(bytes), &len), SMP_GET_OK);
	CHECK_INT(len, 3);
	CHECK_MEM(bytes, "\x01\x02\x03", 3);
	CHECK_INT(smp_get_bytes(&map, "d", bytes, 2, &len), SMP_GET_NOMEM);
	CHECK_INT(smp_get_text(&map, "t", text, sizeof(text)), SMP_GET_OK);
	CHECK_STR(text, "abc");
	CHECK_INT(smp_get_text(&map, "t", text, 3), SMP_GET_NOMEM);
	CHECK_STR(text, "ab");
	CHECK_INT(smp_map_find(&map, "t", &v), SMP_GET_OK);
	CHECK(smp_cbor_text_eq(&v, "abc"));
	CHECK(!smp_cbor_text_eq(&v, "abcd"));
	CHECK(!smp_cbor_text_eq(&v, "ab"));
	CHECK_INT(smp_get_int(&map, "n", &i64), SMP_GET_OK);
	CHECK_INT(i64, -5);
	CHECK_INT(smp_get_uint(&map, "n", &u), SMP_GET_TYPE);
	CHECK_INT(smp_get_bool(&map, "b", &b), SMP_GET_OK);
	CHECK(b);
	CHECK_INT(smp_map_find(&map, "f", &v), SMP_GET_OK);
	CHECK_INT(smp_item_float(&v, &f), SMP_GET_OK);
	CHECK(f == 1.5);
	CHECK_INT(smp_get_bool(&map, "f", &b), SMP_GET_TYPE);
	CHECK_INT(smp_get_uint(&map, "zz", &u), SMP_GET_ABSENT);
	CHECK_INT(smp_map_find(&map, "a", &v), SMP_GET_OK);
	CHECK_INT(smp_cbor_type(&v), SMP_CBOR_ARRAY);
	CHECK_INT(smp_cbor_enter(&v, &it), SMP_GET_OK);
	CHECK(smp_cbor_next(&it, &e) && smp_item_uint(&e, &u) == SMP_GET_OK && u == 1);
	CHECK(smp_cbor_next(&it, &e) && smp_item_uint(&e, &u) == SMP_GET_OK && u == 2);
	CHECK(!smp_cbor_next(&it, &e));
	/* A scalar is not a container, nor a map to look in. */
	CHECK_INT(smp_map_find(&map, "n", &v), SMP_GET_OK);
	CHECK_INT(smp_cbor_enter(&v, &it), SMP_GET_TYPE);
	CHECK_INT(smp_get_uint(&v, "x", &u), SMP_GET_TYPE);
}

TEST(cbor_reader_first_key_wins_and_keys_must_be_text)
{
	/* {1: 7, "k": 1, "k": 2} */
	static const char hex[] = "a30107616b01616b02";
	uint8_t buf[16];
	struct smp_cbor map;
	const char *why = NULL;
	uint64_t u = 0;

	CHECK_INT(smp_cbor_decode_map(buf, unhex(hex, buf, sizeof(buf)), &map, &why), 0);
	CHECK_INT(smp_get_uint(&map, "k", &u), SMP_GET_OK);
	CHECK_INT(u, 1);
}

TEST(cbor_decode_map_refuses_what_is_not_one_map)
{
	uint8_t buf[16];
	struct smp_cbor map;
	const char *why = NULL;

	CHECK_INT(smp_cbor_decode_map(buf, unhex("01", buf, sizeof(buf)), &map, &why), -1);
	CHECK_STR(why, "payload is not a CBOR map");
	CHECK_INT(smp_cbor_decode_map(buf, unhex("a000", buf, sizeof(buf)), &map, &why), -1);
	CHECK_STR(why, "trailing bytes after CBOR map");
	CHECK_INT(smp_cbor_decode_map(buf, 0, &map, &why), -1);
	CHECK_STR(why, "empty payload");
}
