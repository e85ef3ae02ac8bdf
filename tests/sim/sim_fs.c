/* File system management group (8), after Zephyr's fs_mgmt.c with
 * CONFIG_MCUMGR_GRP_FS_FILE_STATUS, _CHECKSUM_HASH (IEEE CRC32 and
 * SHA-256), _CHECKSUM_HASH_SUPPORTED_CMD and _MAX_FILE_SIZE_4GB. A host
 * directory (--fs-root) is mounted as /lfs; the file a transfer works on
 * is reopened for every request, its state kept as Zephyr keeps it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "host/cbor_tree.h"
#include "smp/grp_fs.h"
#include "smp/header.h"
#include "tests/sim/sim_priv.h"

#define MOUNT_POINT "/lfs"
#define IDLE_CLOSE_MS 4000 /* CONFIG_MCUMGR_GRP_FS_FILE_AUTOMATIC_IDLE_CLOSE_TIME */
#define MAX_OFFSET_LEN 5   /* CONFIG_MCUMGR_GRP_FS_MAX_OFFSET_LEN, 4GB files */
#define HASH_TYPE_SIZE 8   /* HASH_CHECKSUM_TYPE_SIZE */

enum {
	FS_NONE = 0,
	FS_UPLOAD = 1,
	FS_DOWNLOAD = 2
};

/* fs_mgmt_config.h: the download chunk leaves room for every header. */
static size_t dl_chunk_size(const struct sim_device *dev)
{
	size_t overhead = SMP_HEADER_SIZE + (9 + 1) + (1 + 3 + MAX_OFFSET_LEN) +
			  (1 + 4 + MAX_OFFSET_LEN) + (1 + 2 + 1) + (1 + 3 + MAX_OFFSET_LEN);

	return dev->cfg.buf_size > overhead ? dev->cfg.buf_size - overhead : 0;
}

/* Zephyr's file system API over the host directory: 0 or -errno. */
static int host_path(const struct sim_device *dev, const char *path, char *out, size_t cap)
{
	const char *rest;

	if (strlen(path) <= 1 || path[0] != '/')
		return -EINVAL;
	if (!dev->cfg.fs_root || strncmp(path, MOUNT_POINT, strlen(MOUNT_POINT)) ||
	    (path[strlen(MOUNT_POINT)] != '/' && path[strlen(MOUNT_POINT)] != 0))
		return -ENOENT;
	rest = path + strlen(MOUNT_POINT);
	/* Nothing may climb out of the mounted directory. */
	if (strstr(rest, "/../") ||
	    !strcmp(rest + (strlen(rest) >= 3 ? strlen(rest) - 3 : 0), "/.."))
		return -EINVAL;
	if ((size_t)snprintf(out, cap, "%s%s", dev->cfg.fs_root, rest) >= cap)
		return -EINVAL;
	return 0;
}

/* fs_mgmt_filelen: 0 or an FS_ERR_* code. */
static int file_len(const struct sim_device *dev, const char *path, uint64_t *len)
{
	char host[512];
	struct stat st;
	int rc = host_path(dev, path, host, sizeof(host));

	if (rc == 0 && stat(host, &st) != 0)
		rc = -errno;
	if (rc == -EINVAL)
		return SMP_FS_ERR_FILE_INVALID_NAME;
	if (rc == -ENOENT || rc == -ENOTDIR)
		return SMP_FS_ERR_FILE_NOT_FOUND;
	if (rc != 0)
		return SMP_FS_ERR_UNKNOWN;
	if (!S_ISREG(st.st_mode))
		return SMP_FS_ERR_FILE_IS_DIRECTORY;
	*len = (uint64_t)st.st_size;
	return 0;
}

static int open_file(const struct sim_device *dev, const char *path, int flags)
{
	char host[512];
	int rc = host_path(dev, path, host, sizeof(host)), fd;

	if (rc != 0)
		return rc;
	fd = open(host, flags, 0644);
	return fd >= 0 ? fd : -errno;
}

static void fs_cleanup(struct sim_fs_state *fs)
{
	fs->mode = FS_NONE;
	fs->off = fs->len = 0;
	memset(fs->path, 0, sizeof(fs->path));
}

/* The state a request finds: lost at a reboot, closed when idle. */
static struct sim_fs_state *fs_state(struct sim_req *req)
{
	struct sim_fs_state *fs = &req->dev->groups.fs;
	int64_t now = sim_now_ms(req->dev);

	if (fs->boot != sim_device_boot_count(req->dev)) {
		fs_cleanup(fs);
		fs->boot = sim_device_boot_count(req->dev);
	}
	if (fs->mode != FS_NONE && now - fs->last_ms >= IDLE_CLOSE_MS)
		fs_cleanup(fs);
	fs->last_ms = now;
	return fs;
}

/* fs_mgmt_upload_download_finish_check */
static void finish_check(struct sim_fs_state *fs)
{
	if (fs->len > 0 && fs->off >= fs->len)
		fs_cleanup(fs);
}

static int fs_err(struct sim_req *req, int rc)
{
	return sim_add_cmd_err(req, SIM_GROUP_FS, (uint16_t)rc);
}

static int put_off(struct sim_req *req, uint64_t off)
{
	if (req->dev->cfg.legacy_rc && tree_put_int(req->rsp, "rc", 0))
		return MGMT_ERR_EMSGSIZE;
	return tree_put_uint(req->rsp, "off", off) ? MGMT_ERR_EMSGSIZE : 0;
}

static bool path_arg(const struct sim_str *name, char *path)
{
	if (name->len == 0 || name->len > SIM_FS_PATH_LEN)
		return false;
	memcpy(path, name->ptr, name->len);
	path[name->len] = 0;
	return true;
}

static int open_download(struct sim_req *req, struct sim_fs_state *fs, const char *path)
{
	int rc = file_len(req->dev, path, &fs->len), fd;

	if (rc != 0)
		return fs_err(req, rc);
	fd = open_file(req->dev, path, O_RDONLY);
	if (fd < 0)
		return fs_err(req, fd == -EINVAL   ? SMP_FS_ERR_FILE_INVALID_NAME
				   : fd == -ENOENT ? SMP_FS_ERR_FILE_NOT_FOUND
						   : SMP_FS_ERR_UNKNOWN);
	close(fd);
	fs->off = 0;
	strcpy(fs->path, path);
	fs->mode = FS_DOWNLOAD;
	return -1; /* opened: go on */
}

static int read_chunk(struct sim_req *req, struct sim_fs_state *fs, uint64_t off)
{
	size_t cap = dl_chunk_size(req->dev);
	uint8_t *buf = malloc(cap ? cap : 1);
	int fd = open_file(req->dev, fs->path, O_RDONLY), rc = 0;
	ssize_t n = fd >= 0 ? pread(fd, buf, cap, (off_t)off) : -1;

	if (fd >= 0)
		close(fd);
	if (!buf || n < 0) {
		free(buf);
		fs_cleanup(fs);
		return fs_err(req, SMP_FS_ERR_FILE_READ_FAILED);
	}
	fs->off = off + (uint64_t)n;
	if (put_off(req, off) || tree_put_bytes(req->rsp, "data", buf, (size_t)n) ||
	    (off == 0 && tree_put_uint(req->rsp, "len", fs->len)))
		rc = MGMT_ERR_EMSGSIZE;
	free(buf);
	finish_check(fs);
	return rc;
}

static int fs_download(struct sim_req *req)
{
	uint32_t off = 0;
	struct sim_str name = { NULL, 0 };
	struct sim_key keys[] = { { "off", SIM_K_UINT32, &off, false },
				  { "name", SIM_K_TSTR, &name, false } };
	char path[SIM_FS_PATH_LEN + 1];
	struct sim_fs_state *fs;
	size_t decoded;
	int rc;

	if (sim_decode_bulk(req, keys, 2, &decoded) != 0 || !keys[0].found ||
	    !path_arg(&name, path))
		return MGMT_ERR_EINVAL;
	fs = fs_state(req);
	if (fs->mode != FS_DOWNLOAD || strcmp(path, fs->path))
		fs_cleanup(fs);
	if (fs->mode == FS_NONE && (rc = open_download(req, fs, path)) >= 0)
		return rc;
	return read_chunk(req, fs, off);
}

static int open_upload(struct sim_req *req, struct sim_fs_state *fs, const char *path)
{
	int fd = open_file(req->dev, path, O_WRONLY | O_CREAT);

	if (fd < 0)
		return fs_err(req, fd == -EINVAL   ? SMP_FS_ERR_FILE_INVALID_NAME
				   : fd == -ENOENT ? SMP_FS_ERR_MOUNT_POINT_NOT_FOUND
				   : fd == -EROFS  ? SMP_FS_ERR_READ_ONLY_FILESYSTEM
						   : SMP_FS_ERR_UNKNOWN);
	close(fd);
	fs->off = 0;
	strcpy(fs->path, path);
	fs->mode = FS_UPLOAD;
	return -1;
}

static int write_chunk(struct sim_req *req, struct sim_fs_state *fs, uint64_t off,
		       const struct sim_str *data, uint64_t existing)
{
	int fd = open_file(req->dev, fs->path, O_WRONLY);
	bool ok = fd >= 0;
	off_t pos = 0;

	/* Offset 0 over a file with data truncates it first; any other
	 * chunk goes to the end of the file (its size is the offset). */
	if (ok && off == 0 && existing != 0 && ftruncate(fd, 0) != 0) {
		close(fd);
		fs_cleanup(fs);
		return fs_err(req, SMP_FS_ERR_FILE_TRUNCATE_FAILED);
	}
	if (ok && off != 0)
		pos = lseek(fd, 0, SEEK_END);
	ok = ok && pos >= 0 && pwrite(fd, data->ptr, data->len, pos) == (ssize_t)data->len;
	if (fd >= 0)
		close(fd);
	if (!ok) {
		fs_cleanup(fs);
		return fs_err(req, SMP_FS_ERR_FILE_WRITE_FAILED);
	}
	/* LittleFS programs the data into flash (erases of its blocks are
	 * spread over the file system's life and not modelled). */
	sim_cost_write(req->dev, data->len);
	fs->off += data->len;
	return -1;
}

/* Checks the offset as Zephyr does; -1 to go on, else the answer. */
static int upload_offset(struct sim_req *req, struct sim_fs_state *fs, uint32_t off, uint32_t len,
			 uint64_t *existing)
{
	int rc;

	if (off == 0) {
		fs->len = len;
		rc = file_len(req->dev, fs->path, existing);
		if (rc != 0) {
			fs_cleanup(fs);
			return fs_err(req, rc);
		}
	} else if (fs->off == 0) {
		rc = file_len(req->dev, fs->path, &fs->off);
		if (rc != 0) {
			fs_cleanup(fs);
			return fs_err(req, rc);
		}
	}
	if (off > 0 && off != fs->off) {
		/* The client learns where the file ends and follows. */
		rc = fs_err(req, SMP_FS_ERR_FILE_OFFSET_NOT_VALID);
		if (rc == 0 && tree_put_uint(req->rsp, "len", fs->off))
			rc = MGMT_ERR_EMSGSIZE;
		fs_cleanup(fs);
		return rc;
	}
	return -1;
}

static int fs_upload(struct sim_req *req)
{
	uint32_t off = 0, len = 0;
	struct sim_str name = { NULL, 0 }, data = { NULL, 0 };
	struct sim_key keys[] = { { "off", SIM_K_UINT32, &off, false },
				  { "name", SIM_K_TSTR, &name, false },
				  { "data", SIM_K_BSTR, &data, false },
				  { "len", SIM_K_UINT32, &len, false } };
	char path[SIM_FS_PATH_LEN + 1];
	struct sim_fs_state *fs;
	uint64_t existing = 0;
	size_t decoded;
	int rc;

	if (sim_decode_bulk(req, keys, 4, &decoded) != 0 || !keys[0].found ||
	    !path_arg(&name, path) || (off == 0 && !keys[3].found))
		return MGMT_ERR_EINVAL;
	fs = fs_state(req);
	if (fs->mode != FS_UPLOAD || strcmp(path, fs->path))
		fs_cleanup(fs);
	if (fs->mode == FS_NONE && (rc = open_upload(req, fs, path)) >= 0)
		return rc;
	if ((rc = upload_offset(req, fs, off, len, &existing)) >= 0)
		return rc;
	if (data.len > 0 && (rc = write_chunk(req, fs, off, &data, existing)) >= 0)
		return rc;
	rc = put_off(req, fs->off);
	finish_check(fs);
	return rc;
}

static int fs_status(struct sim_req *req)
{
	struct sim_str name = { NULL, 0 };
	struct sim_key keys[] = { { "name", SIM_K_TSTR, &name, false } };
	char path[SIM_FS_PATH_LEN + 1];
	uint64_t len = 0;
	size_t decoded;
	int rc;

	if (sim_decode_bulk(req, keys, 1, &decoded) != 0 || !path_arg(&name, path))
		return MGMT_ERR_EINVAL;
	rc = file_len(req->dev, path, &len);
	if (rc != 0)
		return fs_err(req, rc);
	if (req->dev->cfg.legacy_rc && tree_put_int(req->rsp, "rc", 0))
		return MGMT_ERR_EMSGSIZE;
	return tree_put_uint(req->rsp, "len", len) ? MGMT_ERR_EMSGSIZE : 0;
}

/* The registered hash/checksum types, in registration order. */
static const struct {
	const char *name;
	bool bytes;
	uint32_t size;
} hash_types[] = {
	{ "crc32", false, 4 },
	{ "sha256", true, 32 },
};

#define N_HASH_TYPES (sizeof(hash_types) / sizeof(hash_types[0]))

/* Hashes up to len bytes of path from off; *done is how many it read. */
static int hash_file(struct sim_req *req, const char *path, const char *type, uint64_t off,
		     uint64_t len, uint64_t *done)
{
	int fd = open_file(req->dev, path, O_RDONLY);
	uint8_t buf[4096], sha[32];
	uint32_t crc = 0;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	ssize_t n = 1;
	int rc = 0;

	*done = 0;
	if (fd < 0 || !md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
		rc = fs_err(req, SMP_FS_ERR_FILE_NOT_FOUND);
		goto out;
	}
	while (*done < len && n > 0) {
		size_t want = len - *done < sizeof(buf) ? (size_t)(len - *done) : sizeof(buf);

		n = pread(fd, buf, want, (off_t)(off + *done));
		if (n < 0) {
			rc = fs_err(req, MGMT_ERR_EUNKNOWN);
			goto out;
		}
		crc = smp_fs_crc32_update(crc, buf, (size_t)n);
		EVP_DigestUpdate(md, buf, (size_t)n);
		*done += (uint64_t)n;
	}
	EVP_DigestFinal_ex(md, sha, NULL);
	if (tree_put_text(req->rsp, "type", type) || (off && tree_put_uint(req->rsp, "off", off)) ||
	    tree_put_uint(req->rsp, "len", *done) ||
	    (strcmp(type, "crc32") ? tree_put_bytes(req->rsp, "output", sha, 32)
				   : tree_put_uint(req->rsp, "output", crc)))
		rc = MGMT_ERR_EMSGSIZE;
out:
	if (fd >= 0)
		close(fd);
	EVP_MD_CTX_free(md);
	return rc;
}

static int fs_hash(struct sim_req *req)
{
	uint32_t off = 0, len = UINT32_MAX;
	struct sim_str name = { NULL, 0 }, type = { NULL, 0 };
	struct sim_key keys[] = { { "type", SIM_K_TSTR, &type, false },
				  { "name", SIM_K_TSTR, &name, false },
				  { "off", SIM_K_UINT32, &off, false },
				  { "len", SIM_K_UINT32, &len, false } };
	char path[SIM_FS_PATH_LEN + 1], type_name[HASH_TYPE_SIZE + 1] = "crc32";
	uint64_t size = 0, done;
	size_t decoded, t;
	int rc;

	if (sim_decode_bulk(req, keys, 4, &decoded) != 0 || !path_arg(&name, path) ||
	    type.len > HASH_TYPE_SIZE || len == 0)
		return MGMT_ERR_EINVAL;
	if (type.len) {
		memcpy(type_name, type.ptr, type.len);
		type_name[type.len] = 0;
	}
	for (t = 0; t < N_HASH_TYPES && strcmp(hash_types[t].name, type_name); t++)
		;
	if (t == N_HASH_TYPES)
		return fs_err(req, SMP_FS_ERR_CHECKSUM_HASH_NOT_FOUND);
	rc = file_len(req->dev, path, &size);
	if (rc != 0)
		return fs_err(req, rc);
	if (size <= off)
		return fs_err(req, size == 0 ? SMP_FS_ERR_FILE_EMPTY
					     : SMP_FS_ERR_FILE_OFFSET_LARGER_THAN_FILE);
	return hash_file(req, path, type_name, off, len, &done);
}

static int fs_hashes(struct sim_req *req)
{
	cbor_item_t *types = cbor_new_indefinite_map();

	for (size_t i = 0; types && i < N_HASH_TYPES; i++) {
		cbor_item_t *t = cbor_new_indefinite_map();

		if (!t || tree_put_uint(t, "format", hash_types[i].bytes) ||
		    tree_put_uint(t, "size", hash_types[i].size) ||
		    tree_put_item(types, hash_types[i].name, t)) {
			cbor_decref(&types);
			return MGMT_ERR_EMSGSIZE;
		}
	}
	return types && sim_rsp_put(req, "types", types) == 0 ? 0 : MGMT_ERR_EMSGSIZE;
}

static int fs_close(struct sim_req *req)
{
	fs_cleanup(fs_state(req));
	return 0;
}

/* fs_mgmt_translate_error_code, for v1 answers. */
static int fs_translate(uint16_t err)
{
	switch (err) {
	case SMP_FS_ERR_FILE_INVALID_NAME:
	case SMP_FS_ERR_CHECKSUM_HASH_NOT_FOUND:
		return MGMT_ERR_EINVAL;
	case SMP_FS_ERR_FILE_NOT_FOUND:
	case SMP_FS_ERR_MOUNT_POINT_NOT_FOUND:
		return MGMT_ERR_ENOENT;
	default:
		return MGMT_ERR_EUNKNOWN;
	}
}

static const struct sim_handler fs_handlers[] = {
	[SMP_FS_FILE] = { fs_download, fs_upload }, [SMP_FS_STAT] = { fs_status, NULL },
	[SMP_FS_HASH] = { fs_hash, NULL },	    [SMP_FS_HASHES] = { fs_hashes, NULL },
	[SMP_FS_CLOSE] = { NULL, fs_close },
};

const struct sim_group sim_fs_group = {
	.id = SIM_GROUP_FS,
	.handlers = fs_handlers,
	.count = sizeof(fs_handlers) / sizeof(fs_handlers[0]),
	.translate = fs_translate,
};
