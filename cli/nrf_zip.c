/* nRF Connect SDK bundles: a minimal zip reader (end of central directory,
 * central directory, local headers; stored entries only, CRC-32 checked;
 * every offset bounds-checked) and manifest.json through jansson. */
#include "cli/nrf_zip.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "smp/mcuboot_priv.h"

#define SIG_LOCAL 0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_END 0x06054b50u
#define END_SIZE 22u
#define CENTRAL_SIZE 46u
#define LOCAL_SIZE 30u
#define METHOD_STORED 0
#define FLAG_ENCRYPTED 0x0001

struct zip_entry {
	const char *name;	/* not NUL-terminated: name_len bytes */
	size_t name_len;
	const uint8_t *data;
	size_t len;
};

bool nrf_zip_detect(const uint8_t *buf, size_t len)
{
	return len >= 4 && le32(buf) == SIG_LOCAL;
}

static uint32_t crc32_of(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xffffffffu;
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		crc ^= p[i];
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
	}
	return ~crc;
}

/* The end of central directory record: the last one in the file's final
 * 64 KiB + 22 bytes (it may be followed by a comment). */
static int find_end(const uint8_t *z, size_t len, size_t *at, struct mcuboot_err *err)
{
	size_t i, stop = len > END_SIZE + 0xffff ? len - END_SIZE - 0xffff : 0;

	if (len < END_SIZE)
		return mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE, "%zu bytes: too short for a zip", len);
	for (i = len - END_SIZE + 1; i-- > stop;)
		if (le32(z + i) == SIG_END) {
			*at = i;
			return 0;
		}
	return mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE, "no zip end-of-central-directory record (truncated zip?)");
}

/* Finds name in the central directory and checks its local entry. */
static int zip_find(const uint8_t *z, size_t len, const char *name, struct zip_entry *e,
		    struct mcuboot_err *err)
{
	size_t end = 0, p, cd_off, cd_size, count, i, nlen = strlen(name);

	if (find_end(z, len, &end, err))
		return -1;
	count = le16(z + end + 10);
	cd_size = le32(z + end + 12);
	cd_off = le32(z + end + 16);
	if (cd_off == 0xffffffffu || count == 0xffff)
		return mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE, "ZIP64 archives are not supported");
	if (cd_off > end || cd_size > end - cd_off)
		return mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE,
				    "zip central directory lies outside the file");
	for (i = 0, p = cd_off; i < count; i++) {
		size_t n, extra, comment, local, data;
		uint16_t method, flags;

		if (p + CENTRAL_SIZE > cd_off + cd_size || le32(z + p) != SIG_CENTRAL)
			return mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE,
					    "zip central directory entry %zu is corrupt", i);
		flags = le16(z + p + 8);
		method = le16(z + p + 10);
		n = le16(z + p + 28);
		extra = le16(z + p + 30);
		comment = le16(z + p + 32);
		local = le32(z + p + 42);
		if (p + CENTRAL_SIZE + n > cd_off + cd_size)
			return mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE,
					    "zip central directory entry %zu is corrupt", i);
		if (n != nlen || memcmp(z + p + CENTRAL_SIZE, name, n)) {
			p += CENTRAL_SIZE + n + extra + comment;
			continue;
		}
		if (flags & FLAG_ENCRYPTED)
			return mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE,
					    "zip entry %s is encrypted", name);
		if (method != METHOD_STORED)
			return mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE,
					    "zip entry %s is compressed (method %u); only stored "
					    "entries, as nRF Connect SDK writes them, are supported",
					    name, method);
		e->len = le32(z + p + 24);
		if (le32(z + p + 20) != e->len || local + LOCAL_SIZE > cd_off ||
		    le32(z + local) != SIG_LOCAL)
			return mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE,
					    "zip entry %s: corrupt local header", name);
		data = local + LOCAL_SIZE + le16(z + local + 26) + le16(z + local + 28);
		if (data > cd_off || e->len > cd_off - data)
			return mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE,
					    "zip entry %s runs past the end of the data", name);
		e->name = (const char *)z + p + CENTRAL_SIZE;
		e->name_len = n;
		e->data = z + data;
		if (crc32_of(e->data, e->len) != le32(z + p + 16))
			return mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE,
					    "zip entry %s: CRC-32 mismatch (corrupt bundle)", name);
		return 0;
	}
	return mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE, "the zip has no %s", name);
}

static void copy_str(char *out, size_t cap, json_t *v)
{
	snprintf(out, cap, "%s", json_is_string(v) ? json_string_value(v) : "");
}

/* NCS writes numbers as strings ("image_index": "0") or as numbers
 * ("load_address": 49664); take both. Returns -1 if absent or not a
 * number. */
static long long json_num(json_t *v)
{
	char *end;
	long long n;

	if (json_is_integer(v))
		return json_integer_value(v);
	if (!json_is_string(v) || !*json_string_value(v))
		return -1;
	n = strtoll(json_string_value(v), &end, 0);
	return *end ? -1 : n;
}

static int read_file_entry(struct nrf_zip_bundle *b, json_t *f, size_t i, struct mcuboot_err *err)
{
	struct nrf_zip_image *im = &b->images[i];
	struct zip_entry e;
	long long n;

	if (!json_is_string(json_object_get(f, "file")))
		return mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE,
				    "manifest.json: files[%zu] has no \"file\"", i);
	copy_str(im->file, sizeof(im->file), json_object_get(f, "file"));
	im->image_index = (int)json_num(json_object_get(f, "image_index"));
	if (im->image_index < 0 || im->image_index > 255)
		return mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE,
				    "manifest.json: %s has no valid image_index", im->file);
	copy_str(im->board, sizeof(im->board), json_object_get(f, "board"));
	copy_str(im->version, sizeof(im->version), json_object_get(f, "version_MCUBOOT"));
	if (!im->version[0])
		copy_str(im->version, sizeof(im->version), json_object_get(f, "version"));
	n = json_num(json_object_get(f, "load_address"));
	im->has_load_address = n >= 0 && n <= UINT32_MAX;
	im->load_address = im->has_load_address ? (uint32_t)n : 0;
	im->slot_primary = (int)json_num(json_object_get(f, "slot_index_primary"));
	im->slot_secondary = (int)json_num(json_object_get(f, "slot_index_secondary"));
	if (zip_find(b->zip, b->zip_len, im->file, &e, err))
		return -1;
	im->data = e.data;
	im->len = e.len;
	n = json_num(json_object_get(f, "size"));
	if (n >= 0 && (size_t)n != e.len)
		return mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE,
				    "manifest.json says %s is %lld bytes, the zip holds %zu",
				    im->file, n, e.len);
	return 0;
}

static int read_manifest(struct nrf_zip_bundle *b, const struct zip_entry *m,
			 struct mcuboot_err *err)
{
	json_error_t jerr;
	json_t *doc = json_loadb((const char *)m->data, m->len, 0, &jerr), *files;
	size_t i;
	int rc = -1;

	if (!doc)
		return mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE, "manifest.json line %d: %s",
				    jerr.line, jerr.text);
	files = json_object_get(doc, "files");
	b->format_version = (int)json_num(json_object_get(doc, "format-version"));
	copy_str(b->name, sizeof(b->name), json_object_get(doc, "name"));
	if (!json_is_array(files) || !json_array_size(files)) {
		mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE, "manifest.json has no \"files\" list");
		goto out;
	}
	if (json_array_size(files) > NRF_ZIP_MAX_IMAGES) {
		mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE, "manifest.json lists %zu files, at most %d",
			     json_array_size(files), NRF_ZIP_MAX_IMAGES);
		goto out;
	}
	for (i = 0; i < json_array_size(files); i++) {
		if (read_file_entry(b, json_array_get(files, i), i, err))
			goto out;
		if (nrf_zip_find(b, b->images[i].image_index)) {
			mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE,
				     "manifest.json lists image_index %d twice",
				     b->images[i].image_index);
			goto out;
		}
		b->nimages++;
	}
	rc = 0;
out:
	json_decref(doc);
	return rc;
}

int nrf_zip_parse(uint8_t *zip, size_t len, struct nrf_zip_bundle *b, struct mcuboot_err *err)
{
	struct zip_entry manifest;

	memset(b, 0, sizeof(*b));
	memset(err, 0, sizeof(*err));
	b->zip = zip;
	b->zip_len = len;
	if (!nrf_zip_detect(zip, len)) {
		mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE, "not a zip file");
		goto fail;
	}
	if (zip_find(zip, len, "manifest.json", &manifest, err) ||
	    read_manifest(b, &manifest, err))
		goto fail;
	return 0;
fail:
	nrf_zip_free(b);
	return -1;
}

int nrf_zip_load_file(const char *path, struct nrf_zip_bundle *b, struct mcuboot_err *err)
{
	uint8_t *data;
	size_t len;

	memset(b, 0, sizeof(*b));
	if (mcuboot_read_file(path, &data, &len, err))
		return -1;
	return nrf_zip_parse(data, len, b, err);
}

void nrf_zip_free(struct nrf_zip_bundle *b)
{
	free(b->zip);
	memset(b, 0, sizeof(*b));
}

const struct nrf_zip_image *nrf_zip_find(const struct nrf_zip_bundle *b, int image_index)
{
	size_t i;

	for (i = 0; i < b->nimages; i++)
		if (b->images[i].image_index == image_index)
			return &b->images[i];
	return NULL;
}
