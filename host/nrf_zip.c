/* nRF Connect SDK bundles through libzip (stored and deflate entries,
 * CRC-32 checked by libzip) with manifest.json through jansson.
 *
 * A bundle comes from anywhere, so reading one is bounded (zip bombs):
 * - at most NRF_ZIP_MAX_ENTRIES entries in the archive;
 * - each entry read at most NRF_ZIP_MAX_ENTRY_SIZE bytes, counted as they
 *   come out of the decompressor: a size field that lies (smaller or
 *   larger than the data) is refused, never trusted for an allocation;
 * - at most NRF_ZIP_MAX_TOTAL_SIZE bytes decompressed in all;
 * - manifest.json at most NRF_ZIP_MAX_MANIFEST_SIZE bytes;
 * - entry names at most NRF_ZIP_MAX_NAME bytes, relative, without ".."
 *   components, backslashes or control characters (nothing is ever
 *   extracted to disk, but such a name is no bundle NCS writes). */
#include "host/nrf_zip.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <zip.h>

#include "host/mcuboot.h"

/* The bundle being read: the archive and how much has come out of it. */
struct zip_reader {
	zip_t *za;
	size_t total; /* bytes decompressed so far */
};

bool nrf_zip_detect(const uint8_t *buf, size_t len)
{
	return len >= 4 && !memcmp(buf, "PK\3\4", 4); /* a local file header */
}

/* Copies s with control characters as '?': names and manifest strings
 * end up on a terminal, where ESC or BEL would be obeyed. */
static void copy_printable(char *out, size_t cap, const char *s)
{
	char *p;

	snprintf(out, cap, "%s", s);
	for (p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

/* A name NCS could have written: relative, no "..", no backslash or
 * control character, not too long. */
static bool plain_name(const char *name)
{
	const char *p;
	size_t len = strlen(name);

	if (!len || len > NRF_ZIP_MAX_NAME || name[0] == '/')
		return false;
	for (p = name; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
			return false;
	for (p = name; p; p = strchr(p, '/')) {
		if (*p == '/')
			p++;
		if (!strncmp(p, "..", 2) && (p[2] == '/' || p[2] == '\0'))
			return false;
	}
	return true;
}

/* Every entry of the archive: count, names, encryption. Names are taken
 * raw (ZIP_FL_ENC_RAW): libzip would otherwise turn a name without the
 * UTF-8 flag from CP437 into UTF-8, control characters into glyphs. */
static int check_entries(zip_t *za, struct mcuboot_err *err)
{
	zip_int64_t n = zip_get_num_entries(za, 0), i;

	if (n > NRF_ZIP_MAX_ENTRIES)
		return mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE,
				    "the zip has %lld entries, a bundle at most %d", (long long)n,
				    NRF_ZIP_MAX_ENTRIES);
	for (i = 0; i < n; i++) {
		zip_stat_t st;

		if (zip_stat_index(za, (zip_uint64_t)i, ZIP_FL_ENC_RAW, &st) != 0 ||
		    !(st.valid & ZIP_STAT_NAME))
			return mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE, "zip entry %lld: %s",
					    (long long)i, zip_strerror(za));
		if (!plain_name(st.name)) {
			char shown[65];

			copy_printable(shown, sizeof(shown), st.name);
			return mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE,
					    "zip entry %lld has the name \"%s\": not a plain "
					    "relative file name (path traversal?)",
					    (long long)i, shown);
		}
		if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
			return mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE,
					    "zip entry %s is encrypted", st.name);
	}
	return 0;
}

/* Reads an open entry to its end through the decompressor, into a
 * malloc'd *out, stopping as soon as more than limit bytes (or more than
 * the bundle's total) came out: what counts is the bytes, not the size
 * fields. */
static int drain(struct zip_reader *r, zip_file_t *zf, const char *name, size_t limit,
		 uint8_t **out, size_t *len, struct mcuboot_err *err)
{
	size_t cap = 64 * 1024 < limit + 1 ? 64 * 1024 : limit + 1, used = 0;
	uint8_t *buf = malloc(cap), *grown;
	zip_int64_t got;

	while (buf) {
		got = zip_fread(zf, buf + used, cap - used);
		if (got < 0) {
			free(buf);
			return mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE, "zip entry %s: %s", name,
					    zip_file_strerror(zf));
		}
		if (got == 0) {
			*out = buf;
			*len = used;
			return 0;
		}
		used += (size_t)got;
		r->total += (size_t)got;
		if (used > limit || r->total > NRF_ZIP_MAX_TOTAL_SIZE) {
			free(buf);
			return mcuboot_fail(
				err, MCUBOOT_ERR_BAD_BUNDLE,
				"zip entry %s decompresses to more than %zu bytes%s (zip bomb?)",
				name, used > limit ? limit : (size_t)NRF_ZIP_MAX_TOTAL_SIZE,
				used > limit ? "" : " for the whole bundle");
		}
		if (used < cap)
			continue;
		/* limit + 1 bytes are enough to see an entry is too big. */
		cap = cap * 2 > limit + 1 ? limit + 1 : cap * 2;
		grown = realloc(buf, cap);
		if (!grown)
			free(buf);
		buf = grown;
	}
	return mcuboot_fail(err, MCUBOOT_ERR_NOMEM, "out of memory reading %s", name);
}

/* Reads the entry named name, at most limit bytes of it, into a malloc'd
 * *data; its size field must agree with what came out. */
static int read_entry(struct zip_reader *r, const char *name, size_t limit, uint8_t **data,
		      size_t *len, struct mcuboot_err *err)
{
	zip_int64_t idx = zip_name_locate(r->za, name, ZIP_FL_ENC_RAW);
	zip_stat_t st;
	zip_file_t *zf;
	int rc;

	*data = NULL;
	*len = 0;
	if (idx < 0)
		return mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE, "the zip has no %s", name);
	if (zip_stat_index(r->za, (zip_uint64_t)idx, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
		return mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE, "zip entry %s: %s", name,
				    zip_strerror(r->za));
	if (st.size > limit)
		return mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE,
				    "zip entry %s says it is %llu bytes, more than the %zu allowed",
				    name, (unsigned long long)st.size, limit);
	zf = zip_fopen_index(r->za, (zip_uint64_t)idx, 0);
	if (!zf)
		return mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE, "zip entry %s: %s", name,
				    zip_strerror(r->za));
	rc = drain(r, zf, name, limit, data, len, err);
	zip_fclose(zf);
	if (rc == 0 && *len != st.size) {
		rc = mcuboot_fail(
			err, MCUBOOT_ERR_BAD_BUNDLE,
			"zip entry %s says it is %llu bytes but holds %zu: corrupt bundle", name,
			(unsigned long long)st.size, *len);
		free(*data);
		*data = NULL;
		*len = 0;
	}
	return rc;
}

static void copy_str(char *out, size_t cap, json_t *v)
{
	copy_printable(out, cap, json_is_string(v) ? json_string_value(v) : "");
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

static int read_file_entry(struct zip_reader *r, struct nrf_zip_bundle *b, json_t *f, size_t i,
			   struct mcuboot_err *err)
{
	struct nrf_zip_image *im = &b->images[i];
	uint8_t *data;
	size_t len;
	long long n;

	if (!json_is_string(json_object_get(f, "file")))
		return mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE,
				    "manifest.json: files[%zu] has no \"file\"", i);
	copy_str(im->file, sizeof(im->file), json_object_get(f, "file"));
	if (!plain_name(json_string_value(json_object_get(f, "file"))))
		return mcuboot_fail(
			err, MCUBOOT_ERR_BAD_BUNDLE,
			"manifest.json: files[%zu] names \"%.64s\": not a plain relative "
			"file name (path traversal?)",
			i, im->file);
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
	if (read_entry(r, im->file, NRF_ZIP_MAX_ENTRY_SIZE, &data, &len, err))
		return -1;
	im->owned = data;
	im->data = data;
	im->len = len;
	n = json_num(json_object_get(f, "size"));
	if (n >= 0 && (size_t)n != len)
		return mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE,
				    "manifest.json says %s is %lld bytes, the zip holds %zu",
				    im->file, n, len);
	return 0;
}

static int read_manifest(struct zip_reader *r, struct nrf_zip_bundle *b, struct mcuboot_err *err)
{
	json_error_t jerr;
	json_t *doc, *files;
	uint8_t *text;
	size_t i, len;
	int rc = -1;

	if (read_entry(r, "manifest.json", NRF_ZIP_MAX_MANIFEST_SIZE, &text, &len, err))
		return -1;
	doc = json_loadb((const char *)text, len, 0, &jerr);
	free(text);
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
		mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE,
			     "manifest.json lists %zu files, at most %d", json_array_size(files),
			     NRF_ZIP_MAX_IMAGES);
		goto out;
	}
	for (i = 0; i < json_array_size(files); i++) {
		if (read_file_entry(r, b, json_array_get(files, i), i, err))
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
	struct zip_reader r = { NULL, 0 };
	zip_source_t *src;
	zip_error_t zerr;

	memset(b, 0, sizeof(*b));
	memset(err, 0, sizeof(*err));
	b->zip = zip;
	b->zip_len = len;
	if (!nrf_zip_detect(zip, len)) {
		mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE, "not a zip file");
		goto fail;
	}
	zip_error_init(&zerr);
	src = zip_source_buffer_create(zip, len, 0, &zerr);
	if (src)
		r.za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
	if (!r.za) {
		mcuboot_fail(err, MCUBOOT_ERR_BAD_BUNDLE, "not a usable zip: %s",
			     zip_error_strerror(&zerr));
		zip_source_free(src);
		zip_error_fini(&zerr);
		goto fail;
	}
	zip_error_fini(&zerr);
	if (check_entries(r.za, err) || read_manifest(&r, b, err))
		goto fail;
	zip_discard(r.za);
	return 0;
fail:
	if (r.za)
		zip_discard(r.za);
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
	size_t i;

	/* Every slot: a failed parse may leave data past nimages. */
	for (i = 0; i < NRF_ZIP_MAX_IMAGES; i++)
		free(b->images[i].owned);
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
