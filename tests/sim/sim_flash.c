/* The simulated device's flash: one file holding a meta block (geometry
 * and MCUboot's trailer flags, so a restarted simulator keeps its state)
 * followed by the image slots. Erased flash reads 0xff. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "tests/sim/sim_priv.h"

#define META_SIZE 4096u
#define META_MAGIC "SMPSIMF1"
#define CHUNK 65536u

/* Meta block layout: magic[8], u32 slot_size, u32 images, then 3 bytes
 * (magic, image_ok, copy_done) per slot. Host byte order: the file never
 * leaves the machine that made it. */
struct meta {
	char magic[8];
	uint32_t slot_size;
	uint32_t images;
	struct sim_trailer trailer[2 * SIM_MAX_IMAGES];
};

int sim_flash_slot_count(const struct sim_flash *fl)
{
	return (int)(2 * fl->images);
}

static off_t slot_base(const struct sim_flash *fl, int slot)
{
	return (off_t)META_SIZE + (off_t)slot * fl->slot_size;
}

static bool slot_range_ok(const struct sim_flash *fl, int slot, uint64_t off, size_t len)
{
	return slot >= 0 && slot < sim_flash_slot_count(fl) && off <= fl->slot_size &&
	       len <= fl->slot_size - off;
}

int sim_flash_read(const struct sim_flash *fl, int slot, uint64_t off, void *buf, size_t len)
{
	if (!slot_range_ok(fl, slot, off, len))
		return -1;
	return pread(fl->fd, buf, len, slot_base(fl, slot) + (off_t)off) == (ssize_t)len ? 0 : -1;
}

int sim_flash_write(struct sim_flash *fl, int slot, uint64_t off, const void *buf, size_t len)
{
	if (!slot_range_ok(fl, slot, off, len))
		return -1;
	return pwrite(fl->fd, buf, len, slot_base(fl, slot) + (off_t)off) == (ssize_t)len ? 0 : -1;
}

static int fill_erased(int fd, off_t at, uint64_t len)
{
	static uint8_t ff[CHUNK];

	memset(ff, 0xff, sizeof(ff));
	while (len > 0) {
		size_t n = len < CHUNK ? (size_t)len : CHUNK;

		if (pwrite(fd, ff, n, at) != (ssize_t)n)
			return -1;
		at += (off_t)n;
		len -= n;
	}
	return 0;
}

int sim_flash_erase(struct sim_flash *fl, int slot)
{
	if (!slot_range_ok(fl, slot, 0, 0))
		return -1;
	fl->trailer[slot] = (struct sim_trailer){ 0 };
	if (fill_erased(fl->fd, slot_base(fl, slot), fl->slot_size) != 0)
		return -1;
	return sim_flash_save_trailers(fl);
}

int sim_flash_is_erased(const struct sim_flash *fl, int slot)
{
	uint8_t buf[4096];

	for (uint64_t off = 0; off < fl->slot_size; off += sizeof(buf)) {
		size_t n = fl->slot_size - off < sizeof(buf) ? fl->slot_size - off : sizeof(buf);

		if (sim_flash_read(fl, slot, off, buf, n) != 0)
			return -1;
		for (size_t i = 0; i < n; i++)
			if (buf[i] != 0xff)
				return 0;
	}
	return 1;
}

int sim_flash_swap(struct sim_flash *fl, int slot_a, int slot_b)
{
	uint8_t *a = malloc(CHUNK), *b = malloc(CHUNK);
	int rc = a && b ? 0 : -1;

	for (uint64_t off = 0; rc == 0 && off < fl->slot_size; off += CHUNK) {
		size_t n = fl->slot_size - off < CHUNK ? fl->slot_size - off : CHUNK;

		rc = sim_flash_read(fl, slot_a, off, a, n) ||
		     sim_flash_read(fl, slot_b, off, b, n) ||
		     sim_flash_write(fl, slot_a, off, b, n) ||
		     sim_flash_write(fl, slot_b, off, a, n);
	}
	free(a);
	free(b);
	return rc ? -1 : 0;
}

int sim_flash_sha256(const struct sim_flash *fl, int slot, uint64_t len, uint8_t out[32])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint8_t buf[4096];
	int rc = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 ? 0 : -1;

	for (uint64_t off = 0; rc == 0 && off < len; off += sizeof(buf)) {
		size_t n = len - off < sizeof(buf) ? (size_t)(len - off) : sizeof(buf);

		rc = sim_flash_read(fl, slot, off, buf, n) == 0 &&
				     EVP_DigestUpdate(ctx, buf, n) == 1
			     ? 0
			     : -1;
	}
	if (rc == 0 && EVP_DigestFinal_ex(ctx, out, NULL) != 1)
		rc = -1;
	EVP_MD_CTX_free(ctx);
	return rc;
}

int sim_flash_save_trailers(struct sim_flash *fl)
{
	struct meta m;

	memset(&m, 0, sizeof(m));
	memcpy(m.magic, META_MAGIC, sizeof(m.magic));
	m.slot_size = fl->slot_size;
	m.images = fl->images;
	memcpy(m.trailer, fl->trailer, sizeof(m.trailer));
	return pwrite(fl->fd, &m, sizeof(m), 0) == (ssize_t)sizeof(m) ? 0 : -1;
}

/* Copies an image file into a slot of a new flash file. */
static int install_file(struct sim_flash *fl, int slot, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	uint8_t buf[CHUNK];
	uint64_t off = 0;
	size_t n;
	int rc = 0;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (rc == 0 && (n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (sim_flash_write(fl, slot, off, buf, n) != 0) {
			snprintf(err, errlen, "%s: does not fit in a %u-byte slot", path,
				 (unsigned)fl->slot_size);
			rc = -1;
		}
		off += n;
	}
	if (rc == 0 && ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		rc = -1;
	}
	fclose(f);
	return rc;
}

static int create_flash(struct sim_flash *fl, const struct sim_config *cfg, char *err,
			size_t errlen)
{
	uint64_t total = (uint64_t)2 * fl->images * fl->slot_size;
	uint8_t *img;
	size_t len;
	int rc;

	if (ftruncate(fl->fd, 0) != 0 || fill_erased(fl->fd, META_SIZE, total) != 0) {
		snprintf(err, errlen, "%s: cannot write: %s", cfg->flash_path, strerror(errno));
		return -1;
	}
	if (cfg->primary_image) {
		rc = install_file(fl, 0, cfg->primary_image, err, errlen);
	} else {
		img = sim_image_build_default(&len);
		rc = img ? sim_flash_write(fl, 0, 0, img, len) : -1;
		free(img);
		if (rc)
			snprintf(err, errlen, "cannot build the default image");
	}
	if (rc == 0 && cfg->secondary_image)
		rc = install_file(fl, 1, cfg->secondary_image, err, errlen);
	if (rc == 0 && sim_flash_save_trailers(fl) != 0) {
		snprintf(err, errlen, "%s: cannot write: %s", cfg->flash_path, strerror(errno));
		rc = -1;
	}
	return rc;
}

int sim_flash_open(struct sim_flash *fl, const struct sim_config *cfg, char *err, size_t errlen)
{
	struct meta m;
	ssize_t n;

	memset(fl, 0, sizeof(*fl));
	if (!cfg->flash_path || cfg->images < 1 || cfg->images > SIM_MAX_IMAGES ||
	    cfg->slot_size < 4096) {
		snprintf(err, errlen, "bad flash configuration");
		return -1;
	}
	fl->fd = open(cfg->flash_path, O_RDWR | O_CREAT, 0644);
	if (fl->fd < 0) {
		snprintf(err, errlen, "%s: %s", cfg->flash_path, strerror(errno));
		return -1;
	}
	n = pread(fl->fd, &m, sizeof(m), 0);
	if (n == (ssize_t)sizeof(m) && memcmp(m.magic, META_MAGIC, sizeof(m.magic)) == 0 &&
	    m.images >= 1 && m.images <= SIM_MAX_IMAGES && m.slot_size >= 4096) {
		/* An existing device keeps its own geometry and state. */
		fl->slot_size = m.slot_size;
		fl->images = m.images;
		memcpy(fl->trailer, m.trailer, sizeof(fl->trailer));
		return 0;
	}
	if (n > 0) {
		snprintf(err, errlen, "%s: not a simulator flash file", cfg->flash_path);
		close(fl->fd);
		return -1;
	}
	fl->slot_size = cfg->slot_size;
	fl->images = cfg->images;
	if (create_flash(fl, cfg, err, errlen) != 0) {
		close(fl->fd);
		unlink(cfg->flash_path);
		return -1;
	}
	return 0;
}

void sim_flash_close(struct sim_flash *fl)
{
	if (fl->fd >= 0)
		close(fl->fd);
	fl->fd = -1;
}
