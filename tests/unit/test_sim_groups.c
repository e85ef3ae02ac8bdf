/* The simulated device's fs, settings, stat, shell, enum and basic groups
 * against Zephyr's handlers: fields, error codes, v1 translations. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/cbor_tree.h"
#include "smp/grp_fs.h"
#include "tests/unit/sim_harness.h"
#include "tests/unit/unit.h"

struct fsh {
	struct simh h;
	char root[64];
};

static bool fsh_open(struct fsh *f)
{
	simh_init(&f->h);
	snprintf(f->root, sizeof(f->root), "/tmp/simfs-%d-XXXXXX", (int)getpid());
	if (!mkdtemp(f->root))
		return false;
	f->h.cfg.fs_root = f->root;
	return simh_open(&f->h);
}

static void fsh_free(struct fsh *f)
{
	DIR *d = opendir(f->root);
	struct dirent *e;
	char path[512];

	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", f->root, e->d_name);
			if (unlink(path) != 0)
				rmdir(path);
		}
	if (d)
		closedir(d);
	rmdir(f->root);
	simh_free(&f->h);
}

static void host_file(const struct fsh *f, const char *name, const void *data, size_t len)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", f->root, name);
	fp = fopen(path, "wb");
	if (fp) {
		fwrite(data, 1, len, fp);
		fclose(fp);
	}
}

static long host_size(const struct fsh *f, const char *name)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", f->root, name);
	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void upload(struct simh *h, const char *name, uint32_t off, const void *data, size_t n,
		   int64_t len)
{
	cbor_item_t *m = cbor_new_definite_map(len >= 0 ? 4 : 3);

	tree_put_text(m, "name", name);
	tree_put_uint(m, "off", off);
	tree_put_bytes(m, "data", data, n);
	if (len >= 0)
		tree_put_uint(m, "len", (uint64_t)len);
	simh_req(h, 1, SMP_OP_WRITE, 8, 0, m);
}

static void download(struct simh *h, const char *name, uint32_t off)
{
	simh_req(h, 1, SMP_OP_READ, 8, 0,
		 simh_map("name", cbor_build_string(name), "off", tree_uint(off), NULL));
}

static size_t data_len(const struct simh *h)
{
	cbor_item_t *d = h->map ? tree_map_get(h->map, "data") : NULL;

	return d && cbor_isa_bytestring(d) ? cbor_bytestring_length(d) : (size_t)-1;
}

TEST(sim_fs_upload_follows_zephyr)
{
	struct fsh f;

	if (!CHECK(fsh_open(&f)))
		return;
	upload(&f.h, "/lfs/a", 0, "hello", 5, 10);
	CHECK_INT(simh_int(&f.h, "off"), 5);
	CHECK_INT(simh_int(&f.h, "rc"), -1); /* no legacy rc */
	/* A chunk at the wrong offset: the error, the size, and a reset. */
	upload(&f.h, "/lfs/a", 7, "xx", 2, -1);
	CHECK_INT(simh_err_group(&f.h), 8);
	CHECK_INT(simh_err_rc(&f.h), SMP_FS_ERR_FILE_OFFSET_NOT_VALID);
	CHECK_INT(simh_int(&f.h, "len"), 5);
	/* Continuing at the file's size works after the reset. */
	upload(&f.h, "/lfs/a", 5, "world", 5, -1);
	CHECK_INT(simh_int(&f.h, "off"), 10);
	CHECK_INT(host_size(&f, "a"), 10);
	/* Offset 0 with data truncates, though an upload still open (no
	 * "len" since the reset) goes on counting from where it was, as
	 * Zephyr's fs_mgmt_file_upload does; offset 0 without "len" is EINVAL. */
	upload(&f.h, "/lfs/a", 0, "X", 1, 1);
	CHECK_INT(simh_int(&f.h, "off"), 11);
	CHECK_INT(host_size(&f, "a"), 1);
	upload(&f.h, "/lfs/a", 0, "X", 1, -1);
	CHECK_INT(simh_int(&f.h, "rc"), 3);
	/* An empty upload creates a file but truncates none. */
	upload(&f.h, "/lfs/e", 0, "", 0, 0);
	CHECK_INT(simh_int(&f.h, "off"), 0);
	CHECK_INT(host_size(&f, "e"), 0);
	upload(&f.h, "/lfs/a", 0, "", 0, 0);
	CHECK_INT(host_size(&f, "a"), 1);
	fsh_free(&f);
}

TEST(sim_fs_upload_paths)
{
	struct fsh f;
	char longname[80];

	if (!CHECK(fsh_open(&f)))
		return;
	upload(&f.h, "/other/a", 0, "x", 1, 1);
	CHECK_INT(simh_err_rc(&f.h), SMP_FS_ERR_MOUNT_POINT_NOT_FOUND);
	upload(&f.h, "/lfs/nodir/a", 0, "x", 1, 1);
	CHECK_INT(simh_err_rc(&f.h), SMP_FS_ERR_MOUNT_POINT_NOT_FOUND);
	upload(&f.h, "lfs/a", 0, "x", 1, 1);
	CHECK_INT(simh_err_rc(&f.h), SMP_FS_ERR_FILE_INVALID_NAME);
	upload(&f.h, "/lfs/../escape", 0, "x", 1, 1);
	CHECK_INT(simh_err_rc(&f.h), SMP_FS_ERR_FILE_INVALID_NAME);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	memcpy(longname, "/lfs/", 5);
	upload(&f.h, longname, 0, "x", 1, 1); /* past CONFIG_MCUMGR_GRP_FS_PATH_LEN */
	CHECK_INT(simh_int(&f.h, "rc"), 3);
	/* v1: the group error becomes its generic translation */
	simh_req(&f.h, 0, SMP_OP_READ, 8, 1, simh_map("name", cbor_build_string("/lfs/no"), NULL));
	CHECK_INT(simh_int(&f.h, "rc"), 5);
	fsh_free(&f);
}

TEST(sim_fs_download_chunks)
{
	static uint8_t big[5000];
	struct fsh f;

	if (!CHECK(fsh_open(&f)))
		return;
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)i;
	host_file(&f, "big", big, sizeof(big));
	download(&f.h, "/lfs/big", 0);
	/* NETBUF 2048 less fs_mgmt_config.h's 50 bytes of headers */
	CHECK_INT(data_len(&f.h), 2048 - 50);
	CHECK_INT(simh_int(&f.h, "len"), 5000);
	CHECK_INT(simh_int(&f.h, "off"), 0);
	download(&f.h, "/lfs/big", 4000);
	CHECK_INT(data_len(&f.h), 1000);
	CHECK_INT(simh_int(&f.h, "len"), -1); /* only at offset 0 */
	download(&f.h, "/lfs/big", 6000);     /* past the end: no data */
	CHECK_INT(data_len(&f.h), 0);
	download(&f.h, "/lfs/none", 0);
	CHECK_INT(simh_err_rc(&f.h), SMP_FS_ERR_FILE_NOT_FOUND);
	download(&f.h, "/lfs", 0);
	CHECK_INT(simh_err_rc(&f.h), SMP_FS_ERR_FILE_IS_DIRECTORY);
	simh_req(&f.h, 1, SMP_OP_READ, 8, 0, simh_map("name", cbor_build_string("/lfs/big"), NULL));
	CHECK_INT(simh_int(&f.h, "rc"), 3); /* no "off" */
	fsh_free(&f);
}

TEST(sim_fs_status_hash_close)
{
	/* {"len": 3} as zcbor writes it: an indefinite map */
	static const uint8_t stat3[] = { 0xbf, 0x63, 'l', 'e', 'n', 0x03, 0xff };
	struct fsh f;
	cbor_item_t *out;

	if (!CHECK(fsh_open(&f)))
		return;
	host_file(&f, "abc", "abc", 3);
	host_file(&f, "empty", "", 0);
	simh_req(&f.h, 1, SMP_OP_READ, 8, 1, simh_map("name", cbor_build_string("/lfs/abc"), NULL));
	CHECK_INT(f.h.hdr.len, sizeof(stat3));
	CHECK_MEM(f.h.rsp + SMP_HEADER_SIZE, stat3, sizeof(stat3));
	/* The default type is crc32, a number; sha256 is bytes. */
	simh_req(&f.h, 1, SMP_OP_READ, 8, 2, simh_map("name", cbor_build_string("/lfs/abc"), NULL));
	CHECK_INT(simh_int(&f.h, "output"), 0x352441c2);
	CHECK_INT(simh_int(&f.h, "len"), 3);
	simh_req(&f.h, 1, SMP_OP_READ, 8, 2,
		 simh_map("name", cbor_build_string("/lfs/abc"), "type",
			  cbor_build_string("sha256"), "off", tree_uint(1), NULL));
	out = f.h.map ? tree_map_get(f.h.map, "output") : NULL;
	CHECK(out && cbor_isa_bytestring(out) && cbor_bytestring_length(out) == 32);
	CHECK_INT(simh_int(&f.h, "off"), 1);
	CHECK_INT(simh_int(&f.h, "len"), 2);
	simh_req(&f.h, 1, SMP_OP_READ, 8, 2,
		 simh_map("name", cbor_build_string("/lfs/abc"), "type", cbor_build_string("md5"),
			  NULL));
	CHECK_INT(simh_err_rc(&f.h), SMP_FS_ERR_CHECKSUM_HASH_NOT_FOUND);
	simh_req(&f.h, 1, SMP_OP_READ, 8, 2,
		 simh_map("name", cbor_build_string("/lfs/empty"), NULL));
	CHECK_INT(simh_err_rc(&f.h), SMP_FS_ERR_FILE_EMPTY);
	simh_req(&f.h, 1, SMP_OP_READ, 8, 2,
		 simh_map("name", cbor_build_string("/lfs/abc"), "off", tree_uint(3), NULL));
	CHECK_INT(simh_err_rc(&f.h), SMP_FS_ERR_FILE_OFFSET_LARGER_THAN_FILE);
	simh_req(&f.h, 1, SMP_OP_READ, 8, 2,
		 simh_map("name", cbor_build_string("/lfs/abc"), "len", tree_uint(0), NULL));
	CHECK_INT(simh_int(&f.h, "rc"), 3);
	simh_req(&f.h, 1, SMP_OP_READ, 8, 3, NULL);
	out = f.h.map ? tree_map_get(f.h.map, "types") : NULL;
	CHECK(out && cbor_isa_map(out) && cbor_map_size(out) == 2);
	simh_req(&f.h, 1, SMP_OP_WRITE, 8, 4, NULL);
	CHECK(f.h.map && cbor_map_size(f.h.map) == 0);
	fsh_free(&f);
}

TEST(sim_fs_state_lost_on_idle_and_reboot)
{
	struct fsh f;

	if (!CHECK(fsh_open(&f)))
		return;
	upload(&f.h, "/lfs/a", 0, "abc", 3, 9);
	/* Zephyr's stale-offset slip: a restart at 0 of an open upload keeps
	 * counting from the old offset ... */
	upload(&f.h, "/lfs/a", 0, "de", 2, 9);
	CHECK_INT(simh_int(&f.h, "off"), 5);
	CHECK_INT(host_size(&f, "a"), 2);
	/* ... unless the file was closed first. */
	simh_req(&f.h, 1, SMP_OP_WRITE, 8, 4, NULL);
	upload(&f.h, "/lfs/a", 0, "de", 2, 9);
	CHECK_INT(simh_int(&f.h, "off"), 2);
	/* Idle for 4 s: closed; a chunk at the file's size still goes on. */
	simh_advance(&f.h, 4000);
	upload(&f.h, "/lfs/a", 2, "fg", 2, -1);
	CHECK_INT(simh_int(&f.h, "off"), 4);
	fsh_free(&f);
}

static void settings_read(struct simh *h, const char *name, int64_t max_size)
{
	simh_req(h, 1, SMP_OP_READ, 3, 0,
		 max_size < 0 ? simh_map("name", cbor_build_string(name), NULL)
			      : simh_map("name", cbor_build_string(name), "max_size",
					 tree_uint((uint64_t)max_size), NULL));
}

static bool val_is(const struct simh *h, const char *want, size_t n)
{
	cbor_item_t *v = h->map ? tree_map_get(h->map, "val") : NULL;

	return v && cbor_isa_bytestring(v) && cbor_bytestring_length(v) == n &&
	       !memcmp(cbor_bytestring_handle(v), want, n);
}

static void settings_write(struct simh *h, const char *name, const char *val)
{
	simh_req(h, 1, SMP_OP_WRITE, 3, 0,
		 simh_map("name", cbor_build_string(name), "val",
			  cbor_build_bytestring((const unsigned char *)val, strlen(val)), NULL));
}

TEST(sim_settings_values_and_errors)
{
	struct simh h;

	simh_init(&h);
	if (!CHECK(simh_open(&h)))
		return;
	settings_read(&h, "app/name", -1);
	CHECK(val_is(&h, "smp_svr", 7));
	settings_read(&h, "app/name", 3);
	CHECK(val_is(&h, "smp", 3));
	CHECK_INT(simh_int(&h, "max_size"), -1);
	settings_read(&h, "app/name", 100); /* over VALUE_LEN: lowered and said */
	CHECK_INT(simh_int(&h, "max_size"), 32);
	settings_read(&h, "nope/x", -1);
	CHECK_INT(simh_err_group(&h), 3);
	CHECK_INT(simh_err_rc(&h), 5); /* ROOT_KEY_NOT_FOUND */
	settings_read(&h, "app/none", -1);
	CHECK_INT(simh_err_rc(&h), 3); /* KEY_NOT_FOUND */
	settings_read(&h, "app/0123456789012345678901234567", -1);
	CHECK_INT(simh_err_rc(&h), 2); /* KEY_TOO_LONG */
	settings_write(&h, "ro/serial", "x");
	CHECK_INT(simh_err_rc(&h), 6); /* WRITE_NOT_SUPPORTED */
	settings_read(&h, "", -1);
	CHECK_INT(simh_int(&h, "rc"), 3);
	/* v1: KEY_NOT_FOUND reads ENOENT, KEY_TOO_LONG EINVAL */
	simh_req(&h, 0, SMP_OP_READ, 3, 0, simh_map("name", cbor_build_string("app/x"), NULL));
	CHECK_INT(simh_int(&h, "rc"), 5);
	simh_free(&h);
}

TEST(sim_settings_save_load_reboot)
{
	struct simh h;

	simh_init(&h);
	if (!CHECK(simh_open(&h)))
		return;
	settings_write(&h, "app/name", "saved");
	simh_req(&h, 1, SMP_OP_WRITE, 3, 3, NULL); /* save */
	settings_write(&h, "app/name", "unsaved");
	simh_req(&h, 1, SMP_OP_READ, 3, 3, NULL); /* load */
	settings_read(&h, "app/name", -1);
	CHECK(val_is(&h, "saved", 5));
	settings_read(&h, "app/commits", -1); /* boot's load, and this one */
	CHECK(val_is(&h, "\x02\x00\x00\x00", 4));
	settings_write(&h, "app/name", "runtime");
	simh_reset(&h);
	settings_read(&h, "app/name", -1);
	CHECK(val_is(&h, "saved", 5));
	/* Deleting removes the stored value: the next boot has the default. */
	simh_req(&h, 1, SMP_OP_WRITE, 3, 1, simh_map("name", cbor_build_string("app/name"), NULL));
	CHECK(h.map && cbor_map_size(h.map) == 0);
	simh_reset(&h);
	settings_read(&h, "app/name", -1);
	CHECK(val_is(&h, "smp_svr", 7));
	/* The storage erase of the basic group wipes every stored value. */
	settings_write(&h, "app/name", "again");
	simh_req(&h, 1, SMP_OP_WRITE, 3, 3, NULL);
	simh_req(&h, 1, SMP_OP_WRITE, 63, 0, NULL);
	CHECK(h.map && cbor_map_size(h.map) == 0);
	simh_reset(&h);
	settings_read(&h, "app/name", -1);
	CHECK(val_is(&h, "smp_svr", 7));
	simh_free(&h);
}

TEST(sim_stat_list_and_show)
{
	struct simh h;
	cbor_item_t *fields;

	simh_init(&h);
	if (!CHECK(simh_open(&h)))
		return;
	simh_req(&h, 1, SMP_OP_READ, 2, 1, NULL);
	CHECK_INT(simh_int(&h, "rc"), 0); /* stat_mgmt_list always says it */
	CHECK(h.map && tree_map_get(h.map, "stat_list") != NULL);
	simh_req(&h, 1, SMP_OP_READ, 2, 0,
		 simh_map("name", cbor_build_string("smp_svr_stats"), NULL));
	simh_advance(&h, 2500);
	simh_req(&h, 1, SMP_OP_READ, 2, 0,
		 simh_map("name", cbor_build_string("smp_svr_stats"), NULL));
	fields = h.map ? tree_map_get(h.map, "fields") : NULL;
	CHECK(fields && cbor_isa_map(fields));
	CHECK_INT(fields ? (int64_t)cbor_get_int(tree_map_get(fields, "ticks")) : -1, 2);
	simh_req(&h, 1, SMP_OP_READ, 2, 0, simh_map("name", cbor_build_string("nope"), NULL));
	CHECK_INT(simh_err_group(&h), 2);
	CHECK_INT(simh_err_rc(&h), 3); /* INVALID_STAT_NAME, as upstream files it */
	simh_req(&h, 1, SMP_OP_READ, 2, 0,
		 simh_map("name", cbor_build_string("0123456789012345678901234567890123"), NULL));
	CHECK_INT(simh_int(&h, "rc"), 3);
	simh_free(&h);
}

static void shell(struct simh *h, cbor_item_t *argv)
{
	simh_req(h, 1, SMP_OP_WRITE, 9, 0, simh_map("argv", argv, NULL));
}

static cbor_item_t *words(const char *a, const char *b, const char *c)
{
	const char *w[] = { a, b, c };
	cbor_item_t *arr = cbor_new_definite_array(3);

	for (int i = 0; i < 3 && w[i]; i++) {
		cbor_item_t *s = cbor_build_string(w[i]);

		cbor_array_push(arr, s);
		cbor_decref(&s);
	}
	return arr;
}

static bool output_is(const struct simh *h, const char *want)
{
	char *o = NULL;
	bool same = h->map && tree_get_text(h->map, "o", &o) == 0 && !strcmp(o, want);

	free(o);
	return same;
}

TEST(sim_shell_exec)
{
	struct simh h;
	char big[300];
	cbor_item_t *arr;

	simh_init(&h);
	if (!CHECK(simh_open(&h)))
		return;
	shell(&h, words("sim", "echo", "a b")); /* joined, then split again */
	CHECK(output_is(&h, "a b\n"));
	CHECK_INT(simh_int(&h, "ret"), 0);
	shell(&h, words("sim", "fail", "-5"));
	CHECK_INT(simh_int(&h, "ret"), -5);
	shell(&h, words("nosuch", NULL, NULL));
	CHECK(output_is(&h, "nosuch: command not found\n"));
	CHECK_INT(simh_int(&h, "ret"), -8);
	shell(&h, cbor_new_definite_array(0));
	CHECK_INT(simh_err_group(&h), 9);
	CHECK_INT(simh_err_rc(&h), 3); /* EMPTY_COMMAND */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	shell(&h, words("sim", big, NULL));
	CHECK_INT(simh_err_rc(&h), 2); /* COMMAND_TOO_LONG */
	/* A word that is not text ends the line there. */
	arr = words("sim", "echo", NULL);
	cbor_array_push(arr, cbor_move(cbor_build_uint8(5)));
	shell(&h, arr);
	CHECK(output_is(&h, "\n"));
	simh_req(&h, 1, SMP_OP_WRITE, 9, 0, simh_map("x", cbor_build_string("y"), NULL));
	CHECK_INT(simh_int(&h, "rc"), 3);
	simh_free(&h);
}

TEST(sim_enum_groups)
{
	struct simh h;
	cbor_item_t *groups, *first;

	simh_init(&h);
	h.cfg.disabled_groups = 1ull << 8;
	if (!CHECK(simh_open(&h)))
		return;
	simh_req(&h, 1, SMP_OP_READ, 10, 0, NULL);
	CHECK_INT(simh_int(&h, "count"), 7);
	simh_req(&h, 1, SMP_OP_READ, 10, 1, NULL);
	groups = h.map ? tree_map_get(h.map, "groups") : NULL;
	CHECK(groups && cbor_isa_array(groups) && cbor_array_size(groups) == 7);
	simh_req(&h, 1, SMP_OP_READ, 10, 2, simh_map("index", tree_uint(0), NULL));
	CHECK_INT(simh_int(&h, "group"), 0);
	CHECK_INT(simh_int(&h, "end"), -1);
	simh_req(&h, 1, SMP_OP_READ, 10, 2, simh_map("index", tree_uint(6), NULL));
	CHECK_INT(simh_int(&h, "end"), 1);
	simh_req(&h, 1, SMP_OP_READ, 10, 2, simh_map("index", tree_uint(7), NULL));
	CHECK_INT(simh_err_rc(&h), 4); /* INDEX_TOO_LARGE */
	simh_req(&h, 1, SMP_OP_READ, 10, 3,
		 simh_map("groups", tree_uint(1), NULL)); /* not a list */
	simh_req(&h, 1, SMP_OP_READ, 10, 3, simh_map(NULL));
	groups = h.map ? tree_map_get(h.map, "groups") : NULL;
	first = groups && cbor_array_size(groups) ? cbor_array_handle(groups)[0] : NULL;
	CHECK(first && tree_map_get(first, "name") && tree_map_get(first, "handlers"));
	CHECK_INT(first ? (int64_t)cbor_get_int(tree_map_get(first, "handlers")) : -1, 9);
	simh_free(&h);
}

TEST(sim_os_mpstat_opt_in)
{
	struct simh h;

	simh_init(&h);
	if (!CHECK(simh_open(&h)))
		return;
	simh_req(&h, 1, SMP_OP_READ, 0, 3, NULL);
	CHECK_INT(simh_int(&h, "rc"), 8);
	simh_free(&h);
	simh_init(&h);
	h.cfg.os_mpstat = true;
	if (!CHECK(simh_open(&h)))
		return;
	simh_req(&h, 1, SMP_OP_READ, 0, 3, NULL);
	CHECK(h.map && tree_map_get(h.map, "mpools") != NULL);
	simh_free(&h);
}
