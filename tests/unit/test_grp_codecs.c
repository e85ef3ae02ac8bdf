/* Request builders and strict decoders of the fs, stat, settings, shell,
 * enum, basic groups and the OS group's taskstat, mpstat, datetime and
 * bootloader info. */
#include <stdlib.h>
#include <string.h>

#include "host/cbor_tree.h"
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

/* A map from CBOR bytes, as a device would send it. */
static cbor_item_t *load(const uint8_t *buf, size_t len)
{
	const char *why;

	return tree_decode_map(buf, len, &why);
}

#define LOAD(...) load((const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }))

static size_t encoded(cbor_item_t *m)
{
	uint8_t *buf = NULL;
	size_t len = 0;

	tree_encode(m, &buf, &len);
	free(buf);
	cbor_decref(&m);
	return len;
}

TEST(fs_upload_packet_size_exact)
{
	static uint8_t data[70000];
	static const size_t offs[] = { 0, 23, 24, 255, 256, 65535, 65536, 4294967295u };
	static const size_t budgets[] = { 40, 64, 100, 256, 1024, 2048, 65543 };
	const char *names[] = { "/lfs/a", "/lfs/a-much-longer-name-for-the-head-to-grow.txt" };

	for (size_t n = 0; n < 2; n++)
		for (size_t o = 0; o < sizeof(offs) / sizeof(offs[0]); o++)
			for (size_t b = 0; b < sizeof(budgets) / sizeof(budgets[0]); b++) {
				int64_t total = offs[o] == 0 ? 5000 : -1;
				size_t k = smp_fs_upload_chunk_max(names[n], offs[o], total,
								   budgets[b]);
				size_t size = SMP_HEADER_SIZE +
					      encoded(smp_fs_upload_req(names[n], offs[o], data, k,
									total));

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
	const char *why;
	/* {"off": 0, "data": h'6162', "len": 2} */
	cbor_item_t *ok = LOAD(0xbf, 0x63, 'o', 'f', 'f', 0x00, 0x64, 'd', 'a', 't', 'a', 0x42, 'a',
			       'b', 0x63, 'l', 'e', 'n', 0x02, 0xff);
	/* chunked (indefinite) data, no len */
	cbor_item_t *chunked = LOAD(0xa2, 0x63, 'o', 'f', 'f', 0x05, 0x64, 'd', 'a', 't', 'a', 0x5f,
				    0x41, 'x', 0x41, 'y', 0xff);
	cbor_item_t *text = LOAD(0xa2, 0x63, 'o', 'f', 'f', 0x00, 0x64, 'd', 'a', 't', 'a', 0x61,
				 'a');
	cbor_item_t *badlen = LOAD(0xa3, 0x63, 'o', 'f', 'f', 0x00, 0x64, 'd', 'a', 't', 'a', 0x40,
				   0x63, 'l', 'e', 'n', 0x20);
	cbor_item_t *nooff = LOAD(0xa1, 0x64, 'd', 'a', 't', 'a', 0x40);

	CHECK_INT(smp_fs_download_rsp(ok, &c, &why), 0);
	CHECK_INT(c.len, 2);
	CHECK(c.has_total && c.total == 2);
	CHECK_MEM(c.data, "ab", 2);
	free(c.data);
	CHECK_INT(smp_fs_download_rsp(chunked, &c, &why), 0);
	CHECK(c.len == 2 && !c.has_total && c.off == 5);
	free(c.data);
	CHECK_INT(smp_fs_download_rsp(text, &c, &why), -1);
	CHECK_INT(smp_fs_download_rsp(badlen, &c, &why), -1);
	CHECK_INT(smp_fs_download_rsp(nooff, &c, &why), -1);
	cbor_decref(&ok);
	cbor_decref(&chunked);
	cbor_decref(&text);
	cbor_decref(&badlen);
	cbor_decref(&nooff);
}

TEST(fs_hash_answers)
{
	struct smp_fs_hash h, mine;
	struct smp_fs_hash_types types;
	const char *why;
	/* {"type": "crc32", "len": 3, "output": 0x352441c2} */
	cbor_item_t *crc = LOAD(0xbf, 0x64, 't', 'y', 'p', 'e', 0x65, 'c', 'r', 'c', '3', '2', 0x63,
				'l', 'e', 'n', 0x03, 0x66, 'o', 'u', 't', 'p', 'u', 't', 0x1a, 0x35,
				0x24, 0x41, 0xc2, 0xff);
	cbor_item_t *noout = LOAD(0xa2, 0x64, 't', 'y', 'p', 'e', 0x61, 'x', 0x63, 'l', 'e', 'n',
				  0x01);
	cbor_item_t *empty = LOAD(0xa3, 0x64, 't', 'y', 'p', 'e', 0x61, 'x', 0x63, 'l', 'e', 'n',
				  0x01, 0x66, 'o', 'u', 't', 'p', 'u', 't', 0x40);
	/* {"types": {"crc32": {"format": 0, "size": 4}}} and a format of 2 */
	cbor_item_t *t1 = LOAD(0xa1, 0x65, 't', 'y', 'p', 'e', 's', 0xa1, 0x65, 'c', 'r', 'c', '3',
			       '2', 0xa2, 0x66, 'f', 'o', 'r', 'm', 'a', 't', 0x00, 0x64, 's', 'i',
			       'z', 'e', 0x04);
	cbor_item_t *t2 = LOAD(0xa1, 0x65, 't', 'y', 'p', 'e', 's', 0xa1, 0x61, 'x', 0xa2, 0x66,
			       'f', 'o', 'r', 'm', 'a', 't', 0x02, 0x64, 's', 'i', 'z', 'e', 0x04);

	CHECK_INT(smp_fs_hash_rsp(crc, &h, &why), 0);
	CHECK(!h.is_bytes && h.number == 0x352441c2 && h.len == 3);
	CHECK_INT(fs_hash_local("crc32", (const uint8_t *)"abc", 3, &mine), 0);
	CHECK(smp_fs_hash_equal(&h, &mine));
	CHECK_INT(smp_fs_hash_rsp(noout, &h, &why), -1);
	CHECK_INT(smp_fs_hash_rsp(empty, &h, &why), -1);
	CHECK_INT(smp_fs_hashes_rsp(t1, &types, &why), 0);
	CHECK(types.count == 1 && !types.types[0].is_bytes && types.types[0].size == 4);
	CHECK_INT(smp_fs_hashes_rsp(t2, &types, &why), -1);
	cbor_decref(&crc);
	cbor_decref(&noout);
	cbor_decref(&empty);
	cbor_decref(&t1);
	cbor_decref(&t2);
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
	struct smp_stat_group g;
	struct smp_stat_list l;
	const char *why;
	/* {"name": "g", "fields": {"a": 1, "b": 70000}} */
	cbor_item_t *show = LOAD(0xbf, 0x64, 'n', 'a', 'm', 'e', 0x61, 'g', 0x66, 'f', 'i', 'e',
				 'l', 'd', 's', 0xbf, 0x61, 'a', 0x01, 0x61, 'b', 0x1a, 0x00, 0x01,
				 0x11, 0x70, 0xff, 0xff);
	cbor_item_t *negative = LOAD(0xa1, 0x66, 'f', 'i', 'e', 'l', 'd', 's', 0xa1, 0x61, 'a',
				     0x20);
	cbor_item_t *list = LOAD(0xa2, 0x62, 'r', 'c', 0x00, 0x69, 's', 't', 'a', 't', '_', 'l',
				 'i', 's', 't', 0x9f, 0x61, 'x', 0x61, 'y', 0xff);
	cbor_item_t *badlist = LOAD(0xa1, 0x69, 's', 't', 'a', 't', '_', 'l', 'i', 's', 't', 0x81,
				    0x01);

	CHECK_INT(smp_stat_show_rsp(show, &g, &why), 0);
	CHECK_STR(g.name, "g");
	CHECK(g.count == 2 && g.fields[1].value == 70000);
	CHECK_STR(g.fields[1].name, "b");
	smp_stat_group_free(&g);
	CHECK_INT(smp_stat_show_rsp(negative, &g, &why), -1);
	CHECK_INT(smp_stat_list_rsp(list, &l, &why), 0);
	CHECK(l.count == 2);
	CHECK_STR(l.names[1], "y");
	smp_stat_list_free(&l);
	CHECK_INT(smp_stat_list_rsp(badlist, &l, &why), -1);
	cbor_decref(&show);
	cbor_decref(&negative);
	cbor_decref(&list);
	cbor_decref(&badlist);
}

TEST(settings_answers)
{
	struct smp_settings_value v;
	const char *why;
	cbor_item_t *plain = LOAD(0xa1, 0x63, 'v', 'a', 'l', 0x42, 0x00, 0xff);
	cbor_item_t *limited = LOAD(0xa2, 0x63, 'v', 'a', 'l', 0x40, 0x68, 'm', 'a', 'x', '_', 's',
				    'i', 'z', 'e', 0x18, 0x20);
	cbor_item_t *textval = LOAD(0xa1, 0x63, 'v', 'a', 'l', 0x61, 'x');
	cbor_item_t *req = smp_settings_read_req("a/b", 16);
	uint64_t max = 0;

	CHECK_INT(smp_settings_read_rsp(plain, &v, &why), 0);
	CHECK(v.len == 2 && v.val[1] == 0xff && !v.has_max_size);
	smp_settings_value_free(&v);
	CHECK_INT(smp_settings_read_rsp(limited, &v, &why), 0);
	CHECK(v.len == 0 && v.has_max_size && v.max_size == 32);
	smp_settings_value_free(&v);
	CHECK_INT(smp_settings_read_rsp(textval, &v, &why), -1);
	CHECK_INT(tree_get_uint(req, "max_size", &max), SMP_GET_OK);
	CHECK_INT(max, 16);
	cbor_decref(&req);
	req = smp_settings_read_req("a/b", 0);
	CHECK(tree_map_get(req, "max_size") == NULL);
	cbor_decref(&req);
	cbor_decref(&plain);
	cbor_decref(&limited);
	cbor_decref(&textval);
}

TEST(shell_request_and_answers)
{
	char *argv[] = { "kernel", "version" };
	struct smp_shell_result r;
	const char *why;
	cbor_item_t *req = smp_shell_exec_req(2, argv), *arr = tree_map_get(req, "argv");
	cbor_item_t *ok = LOAD(0xa2, 0x61, 'o', 0x62, 'h', 'i', 0x63, 'r', 'e', 't', 0x27);
	cbor_item_t *legacy = LOAD(0xa2, 0x61, 'o', 0x60, 0x62, 'r', 'c', 0x03);
	cbor_item_t *nort = LOAD(0xa1, 0x61, 'o', 0x60);

	CHECK(arr && cbor_isa_array(arr) && cbor_array_size(arr) == 2);
	cbor_decref(&req);
	CHECK_INT(smp_shell_exec_rsp(ok, &r, &why), 0);
	CHECK_STR(r.output, "hi");
	CHECK_INT(r.ret, -8);
	CHECK(!r.legacy_rc);
	smp_shell_result_free(&r);
	CHECK_INT(smp_shell_exec_rsp(legacy, &r, &why), 0);
	CHECK(r.legacy_rc && r.ret == 3);
	smp_shell_result_free(&r);
	CHECK_INT(smp_shell_exec_rsp(nort, &r, &why), -1);
	cbor_decref(&ok);
	cbor_decref(&legacy);
	cbor_decref(&nort);
}

TEST(enum_answers)
{
	struct smp_enum_list l;
	struct smp_enum_details d;
	uint64_t count;
	uint16_t group, ids[] = { 8, 300 };
	bool last;
	const char *why;
	cbor_item_t *list = LOAD(0xa1, 0x66, 'g', 'r', 'o', 'u', 'p', 's', 0x83, 0x00, 0x01, 0x18,
				 0x40);
	cbor_item_t *toobig = LOAD(0xa1, 0x66, 'g', 'r', 'o', 'u', 'p', 's', 0x81, 0x1a, 0x00, 0x01,
				   0x00, 0x00);
	/* {"groups": [{"group": 8, "name": "fs mgmt", "handlers": 5}]} */
	cbor_item_t *details = LOAD(0xa1, 0x66, 'g', 'r', 'o', 'u', 'p', 's', 0x81, 0xa3, 0x65, 'g',
				    'r', 'o', 'u', 'p', 0x08, 0x64, 'n', 'a', 'm', 'e', 0x67, 'f',
				    's', ' ', 'm', 'g', 'm', 't', 0x68, 'h', 'a', 'n', 'd', 'l',
				    'e', 'r', 's', 0x05);
	cbor_item_t *single = LOAD(0xa2, 0x65, 'g', 'r', 'o', 'u', 'p', 0x0a, 0x63, 'e', 'n', 'd',
				   0xf5);
	cbor_item_t *cnt = LOAD(0xa1, 0x65, 'c', 'o', 'u', 'n', 't', 0x03);
	cbor_item_t *req = smp_enum_details_req(ids, 2), *arr = tree_map_get(req, "groups");

	CHECK_INT(smp_enum_list_rsp(list, &l, &why), 0);
	CHECK(l.count == 3 && l.ids[2] == 64);
	CHECK_INT(smp_enum_list_rsp(toobig, &l, &why), -1);
	CHECK_INT(smp_enum_details_rsp(details, &d, &why), 0);
	CHECK(d.count == 1 && d.items[0].group == 8 && d.items[0].has_handlers &&
	      d.items[0].handlers == 5);
	CHECK_STR(d.items[0].name, "fs mgmt");
	CHECK_INT(smp_enum_single_rsp(single, &group, &last, &why), 0);
	CHECK(group == 10 && last);
	CHECK_INT(smp_enum_count_rsp(cnt, &count, &why), 0);
	CHECK_INT(count, 3);
	CHECK(arr && cbor_array_size(arr) == 2);
	cbor_decref(&req);
	cbor_decref(&list);
	cbor_decref(&toobig);
	cbor_decref(&details);
	cbor_decref(&single);
	cbor_decref(&cnt);
}

TEST(basic_erase_answers)
{
	const char *why;
	cbor_item_t *empty = LOAD(0xbf, 0xff);
	cbor_item_t *rc0 = LOAD(0xa1, 0x62, 'r', 'c', 0x00);
	cbor_item_t *odd = LOAD(0xa1, 0x61, 'x', 0x01);

	CHECK_INT(smp_basic_erase_rsp(empty, &why), 0);
	CHECK_INT(smp_basic_erase_rsp(rc0, &why), 0);
	CHECK_INT(smp_basic_erase_rsp(odd, &why), -1);
	cbor_decref(&empty);
	cbor_decref(&rc0);
	cbor_decref(&odd);
}

TEST(os_taskstat_and_mpstat_answers)
{
	struct smp_os_tasks ts;
	struct smp_os_mpools m;
	const char *why;
	/* {"tasks": {"idle": {"prio": -1, "tid": 4, "state": 0, "stksiz": 80,
	 *  "stkuse": 18}}} */
	cbor_item_t *tasks = LOAD(0xa1, 0x65, 't', 'a', 's', 'k', 's', 0xa1, 0x64, 'i', 'd', 'l',
				  'e', 0xa5, 0x64, 'p', 'r', 'i', 'o', 0x20, 0x63, 't', 'i', 'd',
				  0x04, 0x65, 's', 't', 'a', 't', 'e', 0x00, 0x66, 's', 't', 'k',
				  's', 'i', 'z', 0x18, 0x50, 0x66, 's', 't', 'k', 'u', 's', 'e',
				  0x12);
	cbor_item_t *notid = LOAD(0xa1, 0x65, 't', 'a', 's', 'k', 's', 0xa1, 0x61, 'x', 0xa2, 0x64,
				  'p', 'r', 'i', 'o', 0x00, 0x65, 's', 't', 'a', 't', 'e', 0x00);
	cbor_item_t *pools = LOAD(0xa1, 0x66, 'm', 'p', 'o', 'o', 'l', 's', 0xa1, 0x61, '0', 0xa2,
				  0x65, 'n', 'b', 'l', 'k', 's', 0x0a, 0x65, 'n', 'f', 'r', 'e',
				  'e', 0x05);
	char state[64];

	CHECK_INT(smp_os_taskstat_rsp(tasks, &ts, &why), 0);
	CHECK(ts.count == 1 && ts.tasks[0].prio == -1 && ts.tasks[0].has_stack &&
	      ts.tasks[0].stksiz == 80 && !ts.tasks[0].has_cswcnt);
	CHECK_STR(ts.tasks[0].name, "idle");
	smp_os_tasks_free(&ts);
	CHECK_INT(smp_os_taskstat_rsp(notid, &ts, &why), -1);
	CHECK_INT(smp_os_mpstat_rsp(pools, &m, &why), 0);
	CHECK(m.count == 1 && m.pools[0].nblks == 10 && !m.pools[0].has_blksiz);
	smp_os_mpools_free(&m);
	smp_os_thread_state_text(0, state, sizeof(state));
	CHECK_STR(state, "ready");
	smp_os_thread_state_text(0x12, state, sizeof(state));
	CHECK_STR(state, "pending,suspended");
	cbor_decref(&tasks);
	cbor_decref(&notid);
	cbor_decref(&pools);
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
	cbor_item_t *name = LOAD(0xa1, 0x6a, 'b', 'o', 'o', 't', 'l', 'o', 'a', 'd', 'e', 'r', 0x67,
				 'M', 'C', 'U', 'b', 'o', 'o', 't');
	cbor_item_t *mode = LOAD(0xa2, 0x64, 'm', 'o', 'd', 'e', 0x20, 0x6c, 'n', 'o', '-', 'd',
				 'o', 'w', 'n', 'g', 'r', 'a', 'd', 'e', 0xf5);
	cbor_item_t *neither = LOAD(0xa1, 0x61, 'x', 0x01);

	CHECK_INT(smp_os_bootloader_rsp(name, &b, &why), 0);
	CHECK_STR(b.name, "MCUboot");
	smp_os_bootloader_free(&b);
	CHECK_INT(smp_os_bootloader_rsp(mode, &b, &why), 0);
	CHECK(b.has_mode && b.mode == -1 && b.no_downgrade);
	CHECK_STR(smp_os_boot_mode_name(b.mode), "unknown");
	CHECK_STR(smp_os_boot_mode_name(3), "swap without scratch (move)");
	CHECK(smp_os_boot_mode_name(8) == NULL);
	smp_os_bootloader_free(&b);
	CHECK_INT(smp_os_bootloader_rsp(neither, &b, &why), -1);
	cbor_decref(&name);
	cbor_decref(&mode);
	cbor_decref(&neither);
}
