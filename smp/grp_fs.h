/* File system management group (8): request builders and strict response
 * decoders, after Zephyr's fs_mgmt.c. The windowed transfers built on
 * them are in smp/fs_transfer.h. */
#ifndef SMP_GRP_FS_H
#define SMP_GRP_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "smp/cbor_read.h"
#include "smp/cbor_write.h"

enum smp_fs_cmd {
	SMP_FS_FILE = 0, /* read: download a chunk; write: upload one */
	SMP_FS_STAT = 1,
	SMP_FS_HASH = 2,
	SMP_FS_HASHES = 3, /* supported hash/checksum types */
	SMP_FS_CLOSE = 4,  /* close the file a transfer left open */
};

/* enum fs_mgmt_err_code_t (v2 "err" codes of group 8). */
enum smp_fs_err {
	SMP_FS_ERR_UNKNOWN = 1,
	SMP_FS_ERR_FILE_INVALID_NAME = 2,
	SMP_FS_ERR_FILE_NOT_FOUND = 3,
	SMP_FS_ERR_FILE_IS_DIRECTORY = 4,
	SMP_FS_ERR_FILE_OPEN_FAILED = 5,
	SMP_FS_ERR_FILE_SEEK_FAILED = 6,
	SMP_FS_ERR_FILE_READ_FAILED = 7,
	SMP_FS_ERR_FILE_TRUNCATE_FAILED = 8,
	SMP_FS_ERR_FILE_DELETE_FAILED = 9,
	SMP_FS_ERR_FILE_WRITE_FAILED = 10,
	SMP_FS_ERR_FILE_OFFSET_NOT_VALID = 11,
	SMP_FS_ERR_FILE_OFFSET_LARGER_THAN_FILE = 12,
	SMP_FS_ERR_CHECKSUM_HASH_NOT_FOUND = 13,
	SMP_FS_ERR_MOUNT_POINT_NOT_FOUND = 14,
	SMP_FS_ERR_READ_ONLY_FILESYSTEM = 15,
	SMP_FS_ERR_FILE_EMPTY = 16,
	SMP_FS_ERR_FILE_CLOSE_FAILED = 17,
};

#define SMP_FS_HASH_MAX 32 /* SHA-256, the largest type Zephyr has */

/* Builders return 0, or -1 when the request did not fit. */
int smp_fs_download_req(struct smp_cbor_writer *w, const char *name, uint64_t off);
/* total < 0 leaves "len" out (every chunk but the one at offset 0). Meant
 * for the engine's req.encode: the data goes straight into the packet. */
int smp_fs_upload_req(struct smp_cbor_writer *w, const char *name, uint64_t off,
		      const uint8_t *data, size_t n, int64_t total);
int smp_fs_stat_req(struct smp_cbor_writer *w, const char *name);
/* type NULL: the device's default; len 0: to the end of the file. */
int smp_fs_hash_req(struct smp_cbor_writer *w, const char *name, const char *type, uint64_t off,
		    uint64_t len);

/* Bytes a chunk of n data bytes at off costs in an upload request, SMP
 * header included, as smp_fs_upload_req encodes it. */
size_t smp_fs_upload_packet_size(const char *name, uint64_t off, size_t n, int64_t total);
/* Largest n whose upload request fits packet_max; 0 if none does. */
size_t smp_fs_upload_chunk_max(const char *name, uint64_t off, int64_t total, size_t packet_max);

struct smp_fs_chunk {
	uint64_t off;
	/* The byte string "data", viewed in the answer (valid as long as
	 * it), len bytes: smp_fs_chunk_data hands them over. */
	struct smp_cbor data;
	size_t len;
	bool has_total;
	uint64_t total; /* "len": the file's size, in the answer at 0 */
};

/* Decoders return 0, or -1 with *why naming what is wrong. */
int smp_fs_download_rsp(const struct smp_cbor *rsp, struct smp_fs_chunk *c, const char **why);
/* Hands the chunk's bytes to fn in order, without copying them: one
 * piece, or one per chunk of an indefinite-length byte string. 0, or the
 * first non-zero fn returned. */
int smp_fs_chunk_data(const struct smp_fs_chunk *c,
		      int (*fn)(void *arg, const uint8_t *p, size_t n), void *arg);
int smp_fs_upload_rsp(const struct smp_cbor *rsp, uint64_t *off, const char **why);
int smp_fs_stat_rsp(const struct smp_cbor *rsp, uint64_t *len, const char **why);

struct smp_fs_hash {
	char type[16];
	uint64_t off;  /* 0 when the device left it out */
	uint64_t len;  /* bytes the device hashed */
	bool is_bytes; /* sha256: bytes; crc32: a number */
	uint8_t bytes[SMP_FS_HASH_MAX];
	size_t nbytes;
	uint64_t number;
};

int smp_fs_hash_rsp(const struct smp_cbor *rsp, struct smp_fs_hash *h, const char **why);

struct smp_fs_hash_type {
	char name[16];
	bool is_bytes; /* "format": 1 byte string, 0 number */
	uint32_t size;
};

#define SMP_FS_MAX_HASH_TYPES 8

struct smp_fs_hash_types {
	struct smp_fs_hash_type types[SMP_FS_MAX_HASH_TYPES];
	size_t count;
};

int smp_fs_hashes_rsp(const struct smp_cbor *rsp, struct smp_fs_hash_types *t, const char **why);

/* The IEEE CRC-32 Zephyr's crc32 checksum uses (crc32_ieee_update):
 * start with crc 0, feed the data in any number of pieces. */
uint32_t smp_fs_crc32_update(uint32_t crc, const uint8_t *data, size_t len);

/* True when two results of the same type agree. */
bool smp_fs_hash_equal(const struct smp_fs_hash *a, const struct smp_fs_hash *b);

#endif
