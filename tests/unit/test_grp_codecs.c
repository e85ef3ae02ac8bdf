/* Request builders and strict decoders of the fs, stat, settings, shell,
 * enum, basic groups and the OS group's taskstat, mpstat, datetime and
 * bootloader info. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smp/grp_basic.h"
#include "smp/grp_enum.h"
#include "smp/grp_fs.h"
#include "host/fs_hash.h"
#include "smp/grp_os.h"
#include "smp/grp_settings.h"
#include "smp/grp_shell.h"
#include "smp/grp_stat.h"
#include "smp/header.h"
#include "tests/unit/unit.h"

/* A map from CBOR bytes, as a device would send it, checked whole as the
 * engine checks an answer: a view of buf, or an empty view when it is
 * not one well-formed map. */
static struct smp_cbor load(const uint8_t *buf, size_t len)
{
	struct smp_cbor v = { NULL, 0 };
	const char *why;

	if (smp_cbor_decode_map(buf, len, &v, &why) != 0)
		v = (struct smp_cbor){ NULL, 0 };
	return v;
}

#define LOAD(...) load((const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }))

/* A request written by a builder, viewed for checking; its bytes in buf. */
struct built {
	uint8_t buf[1024];
	struct smp_cbor_writer w;
	struct smp_cbor map;
};

static struct built *start(struct built *b)
{
	smp_cbor_writer_init(&b->w, b->buf, sizeof(b->buf));
	return b;
}

/* 0 when the builder wrote exactly one well-formed map. */
static int finish(struct built *b, int rc)
{
	const char *why;

	if (rc != 0)
		return rc;
	return smp_cbor_decode_map(b->buf, b->w.len, &b->map, &why);
}

/* Collections of the decoders' walks, in the test's fixed memory. */
struct names {
	char name[8][40];
	uint64_t value[8];
	size_t count;
	size_t stop_at; /* 0: never */
};

static int keep_name(void *arg, const char *name)
{
	struct names *n = arg;

	if (n->count == 8 || (n->stop_at && n->count + 1 == n->stop_at))
		return -1;
	snprintf(n->name[n->count++], sizeof(n->name[0]), "%s", name);
	return 0;
}

static int keep_field(void *arg, const struct smp_stat_field *f)
{
	struct names *n = arg;

	if (keep_name(arg, f->name) != 0)
		return -1;
	n->value[n->count - 1] = f->value;
	return 0;
}

struct tasks {
	struct smp_os_task task[4];
	char name[4][SMP_OS_NAME_MAX];
	size_t count;
};

static int keep_task(void *arg, const struct smp_os_task *k)
{
	struct tasks *ts = arg;

	if (ts->count == 4)
		return -1;
	ts->task[ts->count] = *k;
	snprintf(ts->name[ts->count], sizeof(ts->name[0]), "%s", k->name);
	ts->task[ts->count].name = ts->name[ts->count];
	ts->count++;
	return 0;
}

static int keep_pool(void *arg, const struct smp_os_mpool *m)
{
	struct smp_os_mpool *out = arg;

	*out = *m;
	out->name = NULL;
	return 0;
}

/* The bytes of a download chunk, gathered piece by piece. */
struct gathered {
	uint8_t data[16];
	size_t len;
	unsigned pieces;
};

static int gather(void *arg, const uint8_t *p, size_t n)
{
	struct gathered *g = arg;

	if (n > sizeof(g->data) - g->len)
		return -1;
	memcpy(g->data + g->len, p, n);
	g->len += n;
	g->pieces++;
	return 0;
}

TEST(fs_upload_packet_size_exact)
{
	static uint8_t data[70000], out[70100];
	static const size_t offs[] = { 0, 23, 24, 255, 256, 65535, 65536, 4294967295u };
	static const size_t budgets[] = { 40, 64, 100, 256, 1024, 2048, 65543 };
	const char *names[] = { "/lfs/a", "/lfs/a-much-longer-name-for-the-head-to-grow.txt" };

	for (size_t n = 0; n < 2; n++)
		for (size_t o = 0; o < sizeof(offs) / sizeof(offs[0]); o++)
			for (size_t b = 0; b < sizeof(budgets) / sizeof(budgets[0]); b++) {
				int64_t total = offs[o] == 0 ? 5000 : -1;
				size_t k = smp_fs_upload_chunk_max(names[n], offs[o], total,
								   budgets[b]);
				struct smp_cbor_writer w;
				size_t size;

				smp_cbor_writer_init(&w, out, sizeof(out));
				if (!CHECK_INT(smp_fs_upload_req(&w, names[n], offs[o], data, k,
								 total),
					       0))
					return;
				size = SMP_HEADER_SIZE + w.len;

				if (!CHECK_INT(size, smp_fs_upload_packet_size(names[n], offs[o], k,
									       total)))
					return;
				if (k == 0)
					continue;
				CHECK(size <= budgets[b]);
				CHECK(smp_fs_upload_packet_size(names[n], offs[o], k + 1, total) >
				      budgets[b]);
			}
}

TEST(fs_download_answer)
{
	struct smp_fs_chunk c;
	struct gathered got = { .len = 0 };
	const char *why;
	/* {"off": 0, "data": h'6162', "len": 2} */
	struct smp_cbor ok = LOAD(0xbf, 0x63, 'o', 'f', 'f', 0x00, 0x64, 'd', 'a', 't', 'a', 0x42,
				  'a', 'b', 0x63, 'l', 'e', 'n', 0x02, 0xff);
	/* chunked (indefinite) data, no len */
	struct smp_cbor chunked = LOAD(0xa2, 0x63, 'o', 'f', 'f', 0x05, 0x64, 'd', 'a', 't', 'a',
				       0x5f, 0x41, 'x', 0x41, 'y', 0xff);
	struct smp_cbor text = LOAD(0xa2, 0x63, 'o', 'f', 'f', 0x00, 0x64, 'd', 'a', 't', 'a', 0x61,
				    'a');
	struct smp_cbor badlen = LOAD(0xa3, 0x63, 'o', 'f', 'f', 0x00, 0x64, 'd', 'a', 't', 'a',
				      0x40, 0x63, 'l', 'e', 'n', 0x20);
	struct smp_cbor nooff = LOAD(0xa1, 0x64, 'd', 'a', 't', 'a', 0x40);

	CHECK_INT(smp_fs_download_rsp(&ok, &c, &why), 0);
	CHECK_INT(c.len, 2);
	CHECK(c.has_total && c.total == 2);
	CHECK_INT(smp_fs_chunk_data(&c, gather, &got), 0);
	CHECK(got.len == 2 && got.pieces == 1);
	CHECK_MEM(got.data, "ab", 2);
	CHECK_INT(smp_fs_download_rsp(&chunked, &c, &why), 0);
	CHECK(c.len == 2 && !c.has_total && c.off == 5);
	/* chunked data reaches the host in its pieces, not copied */
	got = (struct gathered){ .len = 0 };
	CHECK_INT(smp_fs_chunk_data(&c, gather, &got), 0);
	CHECK(got.len == 2 && got.pieces == 2);
	CHECK_MEM(got.data, "xy", 2);
	CHECK_INT(smp_fs_download_rsp(&text, &c, &why), -1);
	CHECK_INT(smp_fs_download_rsp(&badlen, &c, &why), -1);
	CHECK_INT(smp_fs_download_rsp(&nooff, &c, &why), -1);
}

TEST(fs_hash_answers)
{
	struct smp_fs_hash h, mine;
	struct smp_fs_hash_types types;
	const char *why;
	/* {"type": "crc32", "len": 3, "output": 0x352441c2} */
	struct smp_cbor crc = LOAD(0xbf, 0x64, 't', 'y', 'p', 'e', 0x65, 'c', 'r', 'c', '3', '2',
				   0x63, 'l', 'e', 'n', 0x03, 0x66, 'o', 'u', 't', 'p', 'u', 't',
				   0x1a, 0x35, 0x24, 0x41, 0xc2, 0xff);
	struct smp_cbor noout = LOAD(0xa2, 0x64, 't', 'y', 'p', 'e', 0x61, 'x', 0x63, 'l', 'e', 'n',
				     0x01);
	struct smp_cbor empty = LOAD(0xa3, 0x64, 't', 'y', 'p', 'e', 0x61, 'x', 0x63, 'l', 'e', 'n',
				     0x01, 0x66, 'o', 'u', 't', 'p', 'u', 't', 0x40);
	/* {"types": {"crc32": {"format": 0, "size": 4}}} and a format of 2 */
	struct smp_cbor t1 = LOAD(0xa1, 0x65, 't', 'y', 'p', 'e', 's', 0xa1, 0x65, 'c', 'r', 'c',
				  '3', '2', 0xa2, 0x66, 'f', 'o', 'r', 'm', 'a', 't', 0x00, 0x64,
				  's', 'i', 'z', 'e', 0x04);
	struct smp_cbor t2 = LOAD(0xa1, 0x65, 't', 'y', 'p', 'e', 's', 0xa1, 0x61, 'x', 0xa2, 0x66,
				  'f', 'o', 'r', 'm', 'a', 't', 0x02, 0x64, 's', 'i', 'z', 'e',
				  0x04);

	CHECK_INT(smp_fs_hash_rsp(&crc, &h, &why), 0);
	CHECK(!h.is_bytes && h.number == 0x352441c2 && h.len == 3);
	CHECK_INT(fs_hash_local("crc32", (const uint8_t *)"abc", 3, &mine), 0);
	CHECK(smp_fs_hash_equal(&h, &mine));
	CHECK_INT(smp_fs_hash_rsp(&noout, &h, &why), -1);
	CHECK_INT(smp_fs_hash_rsp(&empty, &h, &why), -1);
	CHECK_INT(smp_fs_hashes_rsp(&t1, &types, &why), 0);
	CHECK(types.count == 1 && !types.types[0].is_bytes && types.types[0].size == 4);
	CHECK_INT(smp_fs_hashes_rsp(&t2, &types, &why), -1);
}

TEST(fs_local_hashes)
{
	static const uint8_t abc_sha[] = { 0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea };
	struct smp_fs_hash h;

	CHECK_INT(smp_fs_crc32_update(0, (const uint8_t *)"123456789", 9), 0xcbf43926);
	/* in pieces, as the device computes it */
	CHECK_INT(smp_fs_crc32_update(smp_fs_crc32_update(0, (const uint8_t *)"1234", 4),
				      (const uint8_t *)"56789", 5),
		  0xcbf43926);
	CHECK_INT(fs_hash_local("sha256", (const uint8_t *)"abc", 3, &h), 0);
	CHECK(h.is_bytes && h.nbytes == 32);
	CHECK_MEM(h.bytes, abc_sha, sizeof(abc_sha));
	CHECK_INT(fs_hash_local("md5", (const uint8_t *)"abc", 3, &h), -1);
}

TEST(stat_answers)
{
	struct names g = { .count = 0 }, l = { .count = 0 }, stop = { .stop_at = 2 };
	char name[SMP_STAT_NAME_MAX];
	const char *why;
	/* {"name": "g", "fields": {"a": 1, "b": 70000}} */
	struct smp_cbor show = LOAD(0xbf, 0x64, 'n', 'a', 'm', 'e', 0x61, 'g', 0x66, 'f', 'i', 'e',
				    'l', 'd', 's', 0xbf, 0x61, 'a', 0x01, 0x61, 'b', 0x1a, 0x00,
				    0x01, 0x11, 0x70, 0xff, 0xff);
	struct smp_cbor negative = LOAD(0xa1, 0x66, 'f', 'i', 'e', 'l', 'd', 's', 0xa1, 0x61, 'a',
					0x20);
	struct smp_cbor list = LOAD(0xa2, 0x62, 'r', 'c', 0x00, 0x69, 's', 't', 'a', 't', '_', 'l',
				    'i', 's', 't', 0x9f, 0x61, 'x', 0x61, 'y', 0xff);
	struct smp_cbor badlist = LOAD(0xa1, 0x69, 's', 't', 'a', 't', '_', 'l', 'i', 's', 't',
				       0x81, 0x01);

	CHECK_INT(smp_stat_show_rsp(&show, name, keep_field, &g, &why), 0);
	CHECK_STR(name, "g");
	CHECK(g.count == 2 && g.value[1] == 70000);
	CHECK_STR(g.name[1], "b");
	/* the caller may stop the walk */
	CHECK_INT(smp_stat_show_rsp(&show, NULL, keep_field, &stop, &why), -1);
	CHECK_STR(why, "stopped");
	CHECK_INT(stop.count, 1);
	g.count = 0;
	CHECK_INT(smp_stat_show_rsp(&negative, name, keep_field, &g, &why), -1);
	CHECK_INT(g.count, 0); /* nothing of a bad answer reaches the caller */
	CHECK_INT(smp_stat_list_rsp(&list, keep_name, &l, &why), 0);
	CHECK(l.count == 2);
	CHECK_STR(l.name[1], "y");
	CHECK_INT(smp_stat_list_rsp(&badlist, keep_name, &l, &why), -1);
}

TEST(settings_answers)
{
	struct smp_settings_value v;
	const char *why;
	struct smp_cbor plain = LOAD(0xa1, 0x63, 'v', 'a', 'l', 0x42, 0x00, 0xff);
	struct smp_cbor limited = LOAD(0xa2, 0x63, 'v', 'a', 'l', 0x40, 0x68, 'm', 'a', 'x', '_',
				       's', 'i', 'z', 'e', 0x18, 0x20);
	struct smp_cbor textval = LOAD(0xa1, 0x63, 'v', 'a', 'l', 0x61, 'x');
	struct built req;
	struct smp_cbor absent;
	uint8_t val[4];
	size_t len = 0;
	uint64_t max = 0;

	CHECK_INT(smp_settings_read_rsp(&plain, &v, &why), 0);
	CHECK(v.len == 2 && !v.has_max_size);
	CHECK_INT(smp_item_bytes(&v.val, val, sizeof(val), &len), SMP_GET_OK);
	CHECK(len == 2 && val[1] == 0xff);
	CHECK_INT(smp_settings_read_rsp(&limited, &v, &why), 0);
	CHECK(v.len == 0 && v.has_max_size && v.max_size == 32);
	CHECK_INT(smp_settings_read_rsp(&textval, &v, &why), -1);
	CHECK_INT(finish(&req, smp_settings_read_req(&start(&req)->w, "a/b", 16)), 0);
	CHECK_INT(smp_get_uint(&req.map, "max_size", &max), SMP_GET_OK);
	CHECK_INT(max, 16);
	CHECK_INT(finish(&req, smp_settings_read_req(&start(&req)->w, "a/b", 0)), 0);
	CHECK_INT(smp_map_find(&req.map, "max_size", &absent), SMP_GET_ABSENT);
	CHECK_INT(finish(&req, smp_settings_write_req(&start(&req)->w, "a/b", val, 2)), 0);
	CHECK_INT(smp_get_bytes(&req.map, "val", val, sizeof(val), &len), SMP_GET_OK);
	CHECK_INT(len, 2);
}

TEST(shell_request_and_answers)
{
	char *argv[] = { "kernel", "version" };
	struct smp_shell_result r;
	struct built req;
	struct smp_cbor arr, el;
	struct smp_cbor_iter it;
	char out[8];
	size_t n = 0;
	const char *why;
	struct smp_cbor ok = LOAD(0xa2, 0x61, 'o', 0x62, 'h', 'i', 0x63, 'r', 'e', 't', 0x27);
	struct smp_cbor legacy = LOAD(0xa2, 0x61, 'o', 0x60, 0x62, 'r', 'c', 0x03);
	struct smp_cbor nort = LOAD(0xa1, 0x61, 'o', 0x60);

	CHECK_INT(finish(&req, smp_shell_exec_req(&start(&req)->w, 2, argv)), 0);
	CHECK_INT(smp_map_find(&req.map, "argv", &arr), SMP_GET_OK);
	CHECK(smp_cbor_type(&arr) == SMP_CBOR_ARRAY && smp_cbor_enter(&arr, &it) == SMP_GET_OK);
	while (smp_cbor_next(&it, &el))
		n++;
	CHECK_INT(n, 2);
	CHECK_INT(smp_shell_exec_rsp(&ok, &r, &why), 0);
	CHECK(r.output == NULL && r.text_len == 2);
	CHECK_INT(smp_item_text(&r.text, out, sizeof(out)), SMP_GET_OK);
	CHECK_STR(out, "hi");
	CHECK_INT(r.ret, -8);
	CHECK(!r.legacy_rc);
	CHECK_INT(smp_shell_exec_rsp(&legacy, &r, &why), 0);
	CHECK(r.legacy_rc && r.ret == 3 && r.text_len == 0);
	CHECK_INT(smp_shell_exec_rsp(&nort, &r, &why), -1);
}

TEST(enum_answers)
{
	struct smp_enum_list l;
	struct smp_enum_details d;
	uint64_t count;
	uint16_t group, ids[] = { 8, 300 };
	bool last;
	const char *why;
	struct smp_cbor list = LOAD(0xa1, 0x66, 'g', 'r', 'o', 'u', 'p', 's', 0x83, 0x00, 0x01,
				    0x18, 0x40);
	struct smp_cbor toobig = LOAD(0xa1, 0x66, 'g', 'r', 'o', 'u', 'p', 's', 0x81, 0x1a, 0x00,
				      0x01, 0x00, 0x00);
	/* {"groups": [{"group": 8, "name": "fs mgmt", "handlers": 5}]} */
	struct smp_cbor details = LOAD(0xa1, 0x66, 'g', 'r', 'o', 'u', 'p', 's', 0x81, 0xa3, 0x65,
				       'g', 'r', 'o', 'u', 'p', 0x08, 0x64, 'n', 'a', 'm', 'e',
				       0x67, 'f', 's', ' ', 'm', 'g', 'm', 't', 0x68, 'h', 'a', 'n',
				       'd', 'l', 'e', 'r', 's', 0x05);
	struct smp_cbor single = LOAD(0xa2, 0x65, 'g', 'r', 'o', 'u', 'p', 0x0a, 0x63, 'e', 'n',
				      'd', 0xf5);
	struct smp_cbor cnt = LOAD(0xa1, 0x65, 'c', 'o', 'u', 'n', 't', 0x03);
	struct built req;
	struct smp_cbor arr, el;
	struct smp_cbor_iter it;
	size_t n = 0;

	CHECK_INT(smp_enum_list_rsp(&list, &l, &why), 0);
	CHECK(l.count == 3 && l.ids[2] == 64);
	CHECK_INT(smp_enum_list_rsp(&toobig, &l, &why), -1);
	CHECK_INT(smp_enum_details_rsp(&details, &d, &why), 0);
	CHECK(d.count == 1 && d.items[0].group == 8 && d.items[0].has_handlers &&
	      d.items[0].handlers == 5);
	CHECK_STR(d.items[0].name, "fs mgmt");
	CHECK_INT(smp_enum_single_rsp(&single, &group, &last, &why), 0);
	CHECK(group == 10 && last);
	CHECK_INT(smp_enum_count_rsp(&cnt, &count, &why), 0);
	CHECK_INT(count, 3);
	CHECK_INT(finish(&req, smp_enum_details_req(&start(&req)->w, ids, 2)), 0);
	CHECK_INT(smp_map_find(&req.map, "groups", &arr), SMP_GET_OK);
	CHECK_INT(smp_cbor_enter(&arr, &it), SMP_GET_OK);
	while (smp_cbor_next(&it, &el))
		n++;
	CHECK_INT(n, 2);
	CHECK_INT(finish(&req, smp_enum_details_req(&start(&req)->w, ids, 0)), 0);
	CHECK_INT(req.w.len, 1); /* {} */
	CHECK_INT(finish(&req, smp_enum_single_req(&start(&req)->w, 7)), 0);
}

TEST(basic_erase_answers)
{
	const char *why;
	struct smp_cbor empty = LOAD(0xbf, 0xff);
	struct smp_cbor rc0 = LOAD(0xa1, 0x62, 'r', 'c', 0x00);
	struct smp_cbor odd = LOAD(0xa1, 0x61, 'x', 0x01);

	CHECK_INT(smp_basic_erase_rsp(&empty, &why), 0);
	CHECK_INT(smp_basic_erase_rsp(&rc0, &why), 0);
	CHECK_INT(smp_basic_erase_rsp(&odd, &why), -1);
}

TEST(os_taskstat_and_mpstat_answers)
{
	struct tasks ts = { .count = 0 };
	struct smp_os_mpool m;
	const char *why;
	/* {"tasks": {"idle": {"prio": -1, "tid": 4, "state": 0, "stksiz": 80,
	 *  "stkuse": 18}}} */
	struct smp_cbor tasks = LOAD(0xa1, 0x65, 't', 'a', 's', 'k', 's', 0xa1, 0x64, 'i', 'd', 'l',
				     'e', 0xa5, 0x64, 'p', 'r', 'i', 'o', 0x20, 0x63, 't', 'i', 'd',
				     0x04, 0x65, 's', 't', 'a', 't', 'e', 0x00, 0x66, 's', 't', 'k',
				     's', 'i', 'z', 0x18, 0x50, 0x66, 's', 't', 'k', 'u', 's', 'e',
				     0x12);
	struct smp_cbor notid = LOAD(0xa1, 0x65, 't', 'a', 's', 'k', 's', 0xa1, 0x61, 'x', 0xa2,
				     0x64, 'p', 'r', 'i', 'o', 0x00, 0x65, 's', 't', 'a', 't', 'e',
				     0x00);
	struct smp_cbor pools = LOAD(0xa1, 0x66, 'm', 'p', 'o', 'o', 'l', 's', 0xa1, 0x61, '0',
				     0xa2, 0x65, 'n', 'b', 'l', 'k', 's', 0x0a, 0x65, 'n', 'f', 'r',
				     'e', 'e', 0x05);
	char state[64];

	CHECK_INT(smp_os_taskstat_rsp(&tasks, keep_task, &ts, &why), 0);
	CHECK(ts.count == 1 && ts.task[0].prio == -1 && ts.task[0].has_stack &&
	      ts.task[0].stksiz == 80 && !ts.task[0].has_cswcnt);
	CHECK_STR(ts.task[0].name, "idle");
	ts.count = 0;
	CHECK_INT(smp_os_taskstat_rsp(&notid, keep_task, &ts, &why), -1);
	CHECK_INT(ts.count, 0);
	CHECK_INT(smp_os_mpstat_rsp(&pools, keep_pool, &m, &why), 0);
	CHECK(m.nblks == 10 && m.nfree == 5 && !m.has_blksiz);
	smp_os_thread_state_text(0, state, sizeof(state));
	CHECK_STR(state, "ready");
	smp_os_thread_state_text(0x12, state, sizeof(state));
	CHECK_STR(state, "pending,suspended");
}

TEST(os_datetime_parse_and_format)
{
	int64_t s;
	int ms;
	char buf[40];
	const char *why;
	static const char *const bad[] = {
		"2024-02-30T00:00:00",
		"2023-02-29T00:00:00",
		"2024-01-01T24:00:00",
		"2024-01-01 00:00",
		"2024-01-01T00:00:00+2:00",
		"2024-01-01T00:00:00.",
		"now",
		"2024-13-01T00:00:00",
		"",
	};

	CHECK_INT(smp_os_datetime_parse("1970-01-01T00:00:00Z", &s, &ms, &why), 0);
	CHECK_INT(s, 0);
	CHECK_INT(smp_os_datetime_parse("2024-02-29T12:30:45.5+02:00", &s, &ms, &why), 0);
	CHECK_INT(s, 1709202645);
	CHECK_INT(ms, 500);
	smp_os_datetime_format(s, ms, buf, sizeof(buf));
	CHECK_STR(buf, "2024-02-29T10:30:45.500");
	CHECK(strlen(buf) < 26); /* Zephyr refuses 26 characters or more */
	smp_os_datetime_format(-1, -1, buf, sizeof(buf));
	CHECK_STR(buf, "1969-12-31T23:59:59");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_INT(smp_os_datetime_parse(bad[i], &s, &ms, &why), -1);
}

TEST(os_bootloader_answers)
{
	struct smp_os_bootloader b;
	const char *why;
	struct smp_cbor name = LOAD(0xa1, 0x6a, 'b', 'o', 'o', 't', 'l', 'o', 'a', 'd', 'e', 'r',
				    0x67, 'M', 'C', 'U', 'b', 'o', 'o', 't');
	struct smp_cbor mode = LOAD(0xa2, 0x64, 'm', 'o', 'd', 'e', 0x20, 0x6c, 'n', 'o', '-', 'd',
				    'o', 'w', 'n', 'g', 'r', 'a', 'd', 'e', 0xf5);
	struct smp_cbor neither = LOAD(0xa1, 0x61, 'x', 0x01);

	CHECK_INT(smp_os_bootloader_rsp(&name, &b, &why), 0);
	CHECK_STR(b.name, "MCUboot");
	CHECK_INT(smp_os_bootloader_rsp(&mode, &b, &why), 0);
	CHECK(b.has_mode && b.mode == -1 && b.no_downgrade);
	CHECK_STR(smp_os_boot_mode_name(b.mode), "unknown");
	CHECK_STR(smp_os_boot_mode_name(3), "swap without scratch (move)");
	CHECK(smp_os_boot_mode_name(8) == NULL);
	CHECK_INT(smp_os_bootloader_rsp(&neither, &b, &why), -1);
}

TEST(fs_requests)
{
	struct built req;
	char text[16];
	uint64_t v = 0;

	CHECK_INT(finish(&req, smp_fs_download_req(&start(&req)->w, "/lfs/f", 4096)), 0);
	CHECK_INT(smp_get_uint(&req.map, "off", &v), SMP_GET_OK);
	CHECK_INT(v, 4096);
	CHECK_INT(smp_get_text(&req.map, "name", text, sizeof(text)), SMP_GET_OK);
	CHECK_STR(text, "/lfs/f");
	CHECK_INT(finish(&req, smp_fs_stat_req(&start(&req)->w, "/lfs/f")), 0);
	CHECK_INT(finish(&req, smp_fs_hash_req(&start(&req)->w, "/lfs/f", "crc32", 0, 9)), 0);
	CHECK_INT(smp_get_text(&req.map, "type", text, sizeof(text)), SMP_GET_OK);
	CHECK_STR(text, "crc32");
	CHECK_INT(smp_get_uint(&req.map, "off", &v), SMP_GET_ABSENT);
	CHECK_INT(smp_get_uint(&req.map, "len", &v), SMP_GET_OK);
	/* a request that does not fit the caller's buffer is refused whole */
	smp_cbor_writer_init(&req.w, req.buf, 8);
	CHECK_INT(smp_fs_download_req(&req.w, "/lfs/a-name-longer-than-that", 0), -1);
}

/* {"tasks": {"a": <depth arrays around 0>}} into buf; its length. */
static size_t nested_task(uint8_t *buf, size_t depth)
{
	static const uint8_t head[] = { 0xa1, 0x65, 't', 'a', 's', 'k', 's', 0xa1, 0x61, 'a' };
	size_t n = sizeof(head);

	memcpy(buf, head, n);
	for (size_t i = 0; i < depth; i++)
		buf[n++] = 0x81;
	buf[n++] = 0x00;
	return n;
}

TEST(walks_refuse_hostile_answers)
{
	struct tasks ts = { .count = 0 };
	struct names got = { .count = 0 };
	struct smp_os_mpool m;
	struct smp_enum_list l;
	struct smp_fs_hash_types types;
	struct smp_shell_result r;
	uint8_t deep[64];
	const char *why;
	/* nesting within the engine's bound: a task that is not a map */
	struct smp_cbor nested = load(deep, nested_task(deep, 20));
	/* a stat field whose value is a map, a list entry that is an array */
	struct smp_cbor field_map = LOAD(0xa1, 0x66, 'f', 'i', 'e', 'l', 'd', 's', 0xa1, 0x61, 'a',
					 0xa1, 0x61, 'b', 0x01);
	struct smp_cbor list_array = LOAD(0xa1, 0x69, 's', 't', 'a', 't', '_', 'l', 'i', 's', 't',
					  0x82, 0x61, 'x', 0x81, 0x61, 'y');
	/* a thread named by a number; a pool that is text; tasks an array */
	struct smp_cbor num_key = LOAD(0xa1, 0x65, 't', 'a', 's', 'k', 's', 0xa1, 0x01, 0xa0);
	struct smp_cbor pool_text = LOAD(0xa1, 0x66, 'm', 'p', 'o', 'o', 'l', 's', 0xa1, 0x61, 'p',
					 0x61, 'x');
	struct smp_cbor tasks_array = LOAD(0xa1, 0x65, 't', 'a', 's', 'k', 's', 0x80);
	/* enum groups holding a map; hash types an array */
	struct smp_cbor groups_map = LOAD(0xa1, 0x66, 'g', 'r', 'o', 'u', 'p', 's', 0x81, 0xa0);
	struct smp_cbor types_array = LOAD(0xa1, 0x65, 't', 'y', 'p', 'e', 's', 0x80);
	/* a chunked thread name, and a chunked over-long one (48 bytes) */
	struct smp_cbor chunked = LOAD(0xa1, 0x65, 't', 'a', 's', 'k', 's', 0xbf, 0x7f, 0x62, 'i',
				       'd', 0x62, 'l', 'e', 0xff, 0xa3, 0x64, 'p', 'r', 'i', 'o',
				       0x01, 0x63, 't', 'i', 'd', 0x02, 0x65, 's', 't', 'a', 't',
				       'e', 0x00, 0xff);
	uint8_t long_name[128] = { 0xa1, 0x65, 't', 'a', 's', 'k', 's', 0xa1, 0x7f };
	size_t n = 9;

	CHECK(nested.len > 0);
	CHECK_INT(smp_os_taskstat_rsp(&nested, keep_task, &ts, &why), -1);
	CHECK_STR(why, "a task is not a map");
	/* deeper than SMP_CBOR_MAX_DEPTH: the engine's check refuses it,
	 * and a decoder given nothing refuses nothing else */
	nested = load(deep, nested_task(deep, SMP_CBOR_MAX_DEPTH + 2));
	CHECK(nested.len == 0);
	CHECK_INT(smp_os_taskstat_rsp(&nested, keep_task, &ts, &why), -1);
	CHECK_INT(smp_stat_list_rsp(&nested, keep_name, &got, &why), -1);
	CHECK_INT(smp_shell_exec_rsp(&nested, &r, &why), -1);
	CHECK_INT(smp_stat_show_rsp(&field_map, NULL, keep_field, &got, &why), -1);
	CHECK_INT(smp_stat_list_rsp(&list_array, keep_name, &got, &why), -1);
	CHECK_INT(got.count, 0);
	CHECK_INT(smp_os_taskstat_rsp(&num_key, keep_task, &ts, &why), -1);
	CHECK_INT(smp_os_mpstat_rsp(&pool_text, keep_pool, &m, &why), -1);
	CHECK_INT(smp_os_taskstat_rsp(&tasks_array, keep_task, &ts, &why), -1);
	CHECK_INT(ts.count, 0);
	CHECK_INT(smp_enum_list_rsp(&groups_map, &l, &why), -1);
	CHECK_INT(smp_fs_hashes_rsp(&types_array, &types, &why), -1);
	CHECK_INT(smp_os_taskstat_rsp(&chunked, keep_task, &ts, &why), 0);
	CHECK(ts.count == 1 && ts.task[0].tid == 2);
	CHECK_STR(ts.task[0].name, "idle");
	/* an over-long name is cut to fit, in whatever chunks it came */
	for (int i = 0; i < 3; i++) {
		long_name[n++] = 0x70; /* text of 16 */
		memset(long_name + n, 'a' + i, 16);
		n += 16;
	}
	long_name[n++] = 0xff;
	memcpy(long_name + n,
	       (const uint8_t[]){ 0xa3, 0x64, 'p', 'r', 'i', 'o', 0x01, 0x63, 't', 'i', 'd', 0x02,
				  0x65, 's', 't', 'a', 't', 'e', 0x00 },
	       19);
	nested = load(long_name, n + 19);
	ts.count = 0;
	CHECK_INT(smp_os_taskstat_rsp(&nested, keep_task, &ts, &why), 0);
	CHECK_INT(strlen(ts.task[0].name), SMP_OS_NAME_MAX - 1);
}

TEST(truncated_indefinite_strings_are_refused)
{
	/* shell output and file data whose chunks lack their break, or
	 * whose last chunk is cut short: the engine's whole-map check
	 * refuses them before any decoder sees them */
	struct smp_cbor no_break = LOAD(0xa2, 0x61, 'o', 0x7f, 0x61, 'h', 0x63, 'r', 'e', 't',
					0x00);
	struct smp_cbor cut = LOAD(0xa2, 0x63, 'o', 'f', 'f', 0x00, 0x64, 'd', 'a', 't', 'a', 0x5f,
				   0x44, 'a', 'b');
	struct smp_cbor wrong_chunk = LOAD(0xa2, 0x63, 'o', 'f', 'f', 0x00, 0x64, 'd', 'a', 't',
					   'a', 0x5f, 0x61, 'a', 0xff);
	struct smp_fs_chunk c;
	struct smp_shell_result r;
	const char *why;

	CHECK(no_break.len == 0 && cut.len == 0 && wrong_chunk.len == 0);
	CHECK_INT(smp_shell_exec_rsp(&no_break, &r, &why), -1);
	CHECK_INT(smp_fs_download_rsp(&cut, &c, &why), -1);
	CHECK_INT(smp_fs_download_rsp(&wrong_chunk, &c, &why), -1);
}
