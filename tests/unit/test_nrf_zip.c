/* nRF Connect SDK bundles: the shared testdata's dfu_application*.zip
 * (MANIFEST.tsv's .zip rows), then zips built here to break each rule. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "host/mcuboot.h"
#include "host/nrf_zip.h"

struct zent {
	const char *name;
	const void *data;
	size_t len;
};

static uint32_t crc32_ref(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xffffffffu;
	int k;

	while (n--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ 0xedb88320u : crc >> 1;
	}
	return ~crc;
}

static uint8_t *put(uint8_t *p, uint32_t v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++)
		*p++ = (uint8_t)(v >> (8 * i));
	return p;
}

/* A zip of stored entries, as NCS's generate_zip.py writes it. */
static uint8_t *build_zip(const struct zent *e, size_t n, size_t *out_len)
{
	size_t i, cap = 22;
	uint8_t *z, *p, *cd;
	uint32_t offs[8], cd_size;

	for (i = 0; i < n; i++)
		cap += 30 + 46 + 2 * strlen(e[i].name) + e[i].len;
	z = p = malloc(cap);
	for (i = 0; i < n; i++) {
		uint32_t crc = crc32_ref(e[i].data, e[i].len);
		size_t nl = strlen(e[i].name);

		offs[i] = (uint32_t)(p - z);
		p = put(p, 0x04034b50, 4);
		p = put(p, 20, 2);
		p = put(p, 0, 2);
		p = put(p, 0, 2); /* stored */
		p = put(p, 0, 4); /* time, date */
		p = put(p, crc, 4);
		p = put(p, (uint32_t)e[i].len, 4);
		p = put(p, (uint32_t)e[i].len, 4);
		p = put(p, (uint32_t)nl, 2);
		p = put(p, 0, 2);
		memcpy(p, e[i].name, nl);
		p += nl;
		memcpy(p, e[i].data, e[i].len);
		p += e[i].len;
	}
	cd = p;
	for (i = 0; i < n; i++) {
		size_t nl = strlen(e[i].name);

		p = put(p, 0x02014b50, 4);
		p = put(p, 20, 2);
		p = put(p, 20, 2);
		p = put(p, 0, 2);
		p = put(p, 0, 2);
		p = put(p, 0, 4);
		p = put(p, crc32_ref(e[i].data, e[i].len), 4);
		p = put(p, (uint32_t)e[i].len, 4);
		p = put(p, (uint32_t)e[i].len, 4);
		p = put(p, (uint32_t)nl, 2);
		p = put(p, 0, 2);
		p = put(p, 0, 2);
		p = put(p, 0, 2);
		p = put(p, 0, 2);
		p = put(p, 0, 4);
		p = put(p, offs[i], 4);
		memcpy(p, e[i].name, nl);
		p += nl;
	}
	cd_size = (uint32_t)(p - cd);
	p = put(p, 0x06054b50, 4);
	p = put(p, 0, 4);
	p = put(p, (uint32_t)n, 2);
	p = put(p, (uint32_t)n, 2);
	p = put(p, cd_size, 4);
	p = put(p, (uint32_t)(cd - z), 4);
	p = put(p, 0, 2);
	*out_len = (size_t)(p - z);
	return z;
}

static const uint8_t app[64] = { 0x3d, 0xb8, 0xf3, 0x96 };

/* Parses a bundle of manifest + "a.bin" (+ "b.bin"); returns the error
 * kind and, on failure, the message in why. */
static int try_manifest(const char *manifest, char *why, size_t cap, struct nrf_zip_bundle *out)
{
	struct zent e[3] = {
		{ "manifest.json", manifest, strlen(manifest) },
		{ "a.bin", app, sizeof(app) },
		{ "b.bin", app, 32 },
	};
	struct nrf_zip_bundle b;
	struct mcuboot_err err;
	size_t len;
	uint8_t *z = build_zip(e, 3, &len);
	int rc = nrf_zip_parse(z, len, &b, &err);

	snprintf(why, cap, "%s", rc ? err.msg : "");
	if (rc == 0 && out)
		*out = b;
	else if (rc == 0)
		nrf_zip_free(&b);
	return rc ? (int)err.kind : 0;
}

TEST(nrf_zip_manifest_fields)
{
	struct nrf_zip_bundle b;
	char why[192];

	if (!CHECK_INT(
		    try_manifest("{\"format-version\": 1, \"name\": \"x\", \"files\": ["
				 "{\"file\": \"a.bin\", \"image_index\": \"0\", \"size\": 64,"
				 " \"board\": \"nrf5340dk\", \"version_MCUBOOT\": \"1.2.3+4\","
				 " \"load_address\": 49664, \"slot_index_primary\": \"1\"},"
				 "{\"file\": \"b.bin\", \"image_index\": 1, \"version\": \"7\"}]}",
				 why, sizeof(why), &b),
		    0)) {
		CHECK_STR(why, "");
		return;
	}
	CHECK_INT(b.nimages, 2);
	CHECK_INT(b.format_version, 1);
	CHECK_STR(b.name, "x");
	CHECK_STR(b.images[0].file, "a.bin");
	CHECK_STR(b.images[0].version, "1.2.3+4");
	CHECK_STR(b.images[0].board, "nrf5340dk");
	CHECK(b.images[0].has_load_address);
	CHECK_INT(b.images[0].load_address, 49664);
	CHECK_INT(b.images[0].slot_primary, 1);
	CHECK_INT(b.images[0].slot_secondary, -1);
	CHECK_INT(b.images[0].len, 64);
	CHECK_MEM(b.images[0].data, app, 64);
	CHECK(nrf_zip_find(&b, 1) == &b.images[1]);
	CHECK_STR(b.images[1].version, "7");
	CHECK(!b.images[1].has_load_address);
	CHECK(nrf_zip_find(&b, 2) == NULL);
	nrf_zip_free(&b);
}

TEST(nrf_zip_manifest_errors)
{
	static const struct {
		const char *manifest, *why;
	} cases[] = {
		{ "{\"files\": []}", "no \"files\" list" },
		{ "{\"format-version\": 1}", "no \"files\" list" },
		{ "{\"files\": [{\"image_index\": 0}]}", "has no \"file\"" },
		{ "{\"files\": [{\"file\": \"a.bin\"}]}", "no valid image_index" },
		{ "{\"files\": [{\"file\": \"a.bin\", \"image_index\": \"x\"}]}",
		  "no valid image_index" },
		{ "{\"files\": [{\"file\": \"c.bin\", \"image_index\": 0}]}",
		  "the zip has no c.bin" },
		{ "{\"files\": [{\"file\": \"a.bin\", \"image_index\": 0, \"size\": 65}]}",
		  "says a.bin is 65 bytes" },
		{ "{\"files\": [{\"file\": \"a.bin\", \"image_index\": 0},"
		  " {\"file\": \"b.bin\", \"image_index\": \"0\"}]}",
		  "image_index 0 twice" },
		{ "{\"files\": [", "manifest.json line 1" },
		{ "", "manifest.json line" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char why[192], got[256], want[256];

		CHECK_INT(try_manifest(cases[i].manifest, why, sizeof(why), NULL),
			  MCUBOOT_ERR_BAD_BUNDLE);
		snprintf(got, sizeof(got), "case %zu: %s", i,
			 strstr(why, cases[i].why) ? cases[i].why : why);
		snprintf(want, sizeof(want), "case %zu: %s", i, cases[i].why);
		CHECK_STR(got, want);
	}
}

/* A good bundle, then corrupted, truncated and mangled copies of it. */
TEST(nrf_zip_broken_zips_never_crash)
{
	static const char manifest[] =
		"{\"files\": [{\"file\": \"a.bin\", \"image_index\": \"0\", \"size\": 64}]}";
	struct zent e[2] = { { "a.bin", app, sizeof(app) },
			     { "manifest.json", manifest, sizeof(manifest) - 1 } };
	struct nrf_zip_bundle b;
	struct mcuboot_err err;
	size_t len, n, i;
	uint8_t *good = build_zip(e, 2, &len), *z;
	uint32_t seed = 99;

	z = malloc(len);
	memcpy(z, good, len);
	if (CHECK_INT(nrf_zip_parse(z, len, &b, &err), 0))
		nrf_zip_free(&b);

	z = malloc(len);
	memcpy(z, good, len);
	z[30 + 5 + 10] ^= 1; /* a byte of a.bin's data */
	CHECK_INT(nrf_zip_parse(z, len, &b, &err), -1);
	CHECK(strstr(err.msg, "a.bin: CRC error") != NULL);

	z = malloc(len);
	memcpy(z, good, len);
	/* Central directory entry of a.bin: method deflate, which the
	 * stored bytes are not; the local header disagrees too. */
	z[30 + 5 + 64 + 30 + 13 + sizeof(manifest) - 1 + 10] = 8;
	CHECK_INT(nrf_zip_parse(z, len, &b, &err), -1);
	CHECK(err.msg[0] != '\0');

	z = malloc(len);
	memcpy(z, "not a zip", 9);
	CHECK_INT(nrf_zip_parse(z, 9, &b, &err), -1);
	CHECK_STR(err.msg, "not a zip file");

	for (n = 0; n < len; n++) {
		z = malloc(len);
		memcpy(z, good, n);
		CHECK_INT(nrf_zip_parse(z, n, &b, &err), -1);
	}
	for (i = 0; i < 3000; i++) {
		int k;

		z = malloc(len);
		memcpy(z, good, len);
		for (k = 0; k < 3; k++) {
			seed = seed * 1664525u + 1013904223u;
			z[(seed >> 8) % len] = (uint8_t)(seed >> 24);
		}
		if (nrf_zip_parse(z, len, &b, &err) == 0)
			nrf_zip_free(&b);
		else
			CHECK(err.msg[0] != '\0');
	}
	free(good);
}

/* MANIFEST.tsv's zip rows: both images valid with the row's key, the app
 * core image equal to app_256k_ecdsa-p256.bin and the network core image to
 * netcore_123457_ecdsa-p256.bin (see the testdata README). */
static void check_bundle(struct unit_ctx *t, const char *file, const char *sha, const char *version,
			 const char *key_name)
{
	static const char *const parts[2] = { "app_256k_ecdsa-p256.bin",
					      "netcore_123457_ecdsa-p256.bin" };
	struct nrf_zip_bundle b;
	struct mcuboot_err err;
	struct mcuboot_key *key = NULL;
	char path[512], hex[65], got[256], want[256];
	uint8_t digest[32];
	int i, j;

	snprintf(path, sizeof(path), "%s/images/keys/%s.pub.pem", unit_testdata(), key_name);
	CHECK_INT(mcuboot_key_load_file(path, &key, &err), 0);
	snprintf(path, sizeof(path), "%s/images/%s", unit_testdata(), file);
	if (!CHECK(nrf_zip_load_file(path, &b, &err) == 0)) {
		CHECK_STR(err.msg, "");
		mcuboot_key_free(key);
		return;
	}
	mcuboot_sha256(b.zip, b.zip_len, digest);
	for (j = 0; j < 32; j++)
		sprintf(hex + 2 * j, "%02x", digest[j]);
	CHECK_STR(hex, sha);
	CHECK_INT(b.nimages, 2);
	for (i = 0; i < 2; i++) {
		const struct nrf_zip_image *im = nrf_zip_find(&b, i);
		struct mcuboot_image img;
		struct mcuboot_verdict v;
		struct mcuboot_file part;

		if (!CHECK(im != NULL) || !CHECK(mcuboot_parse(im->data, im->len, &img, &err) == 0))
			continue;
		mcuboot_verify(&img, im->data, im->len, key, &v);
		mcuboot_version_format(&img.version, got, sizeof(got));
		snprintf(want, sizeof(want), "%s", version);
		CHECK_STR(got, want);
		snprintf(got, sizeof(got), "%s image %d %s", file, i, mcuboot_verdict_name(&v));
		snprintf(want, sizeof(want), "%s image %d valid", file, i);
		CHECK_STR(got, want);
		snprintf(path, sizeof(path), "%s/images/%s", unit_testdata(), parts[i]);
		if (CHECK(mcuboot_load_file(path, &part, &err) == 0)) {
			CHECK_INT(part.len, im->len);
			CHECK(part.len == im->len && !memcmp(part.data, im->data, im->len));
			mcuboot_file_free(&part);
		}
	}
	nrf_zip_free(&b);
	mcuboot_key_free(key);
}

TEST(nrf_zip_testdata_bundles)
{
	char path[512], line[4096];
	FILE *f;
	int rows = 0;

	snprintf(path, sizeof(path), "%s/images/MANIFEST.tsv", unit_testdata());
	f = fopen(path, "r");
	if (!CHECK(f != NULL))
		return;
	/* Columns: filename size command version hash_type hash sha key verdict ... */
	while (fgets(line, sizeof(line), f)) {
		char *col[9], *p = line;
		int n;

		for (n = 0; n < 9 && p; n++) {
			col[n] = p;
			p = strchr(p, '\t');
			if (p)
				*p++ = '\0';
		}
		if (n < 9 || !strstr(col[0], ".zip"))
			continue;
		CHECK_STR(col[8], "valid");
		check_bundle(t, col[0], col[6], col[3], col[7]);
		rows++;
	}
	fclose(f);
	CHECK(rows >= 2);
}

/* A zip made by libzip: each entry stored or deflate-compressed. */
static uint8_t *lz_build(const struct zent *e, size_t n, bool deflate, size_t *out_len)
{
	zip_error_t ze;
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_t *za;
	zip_stat_t st;
	uint8_t *out = NULL;
	size_t i;

	if (!src)
		return NULL;
	zip_source_keep(src);
	za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	for (i = 0; za && i < n; i++) {
		zip_source_t *s = zip_source_buffer(za, e[i].data, e[i].len, 0);
		zip_int64_t idx = s ? zip_file_add(za, e[i].name, s, 0) : -1;

		if (idx < 0)
			zip_source_free(s);
		else
			zip_set_file_compression(za, (zip_uint64_t)idx,
						 deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 9);
	}
	if (za && zip_close(za) == 0 && zip_source_stat(src, &st) == 0 &&
	    zip_source_open(src) == 0) {
		out = malloc(st.size ? st.size : 1);
		if (out && zip_source_read(src, out, st.size) != (zip_int64_t)st.size) {
			free(out);
			out = NULL;
		}
		*out_len = st.size;
		zip_source_close(src);
	}
	zip_source_free(src);
	return out;
}

/* Parses z (taken over); returns the error message, "" when it parsed. */
static const char *parse_msg(uint8_t *z, size_t len, struct mcuboot_err *err)
{
	struct nrf_zip_bundle b;

	if (!z)
		return "(no zip built)";
	if (nrf_zip_parse(z, len, &b, err) != 0)
		return err->msg;
	nrf_zip_free(&b);
	return "";
}

/* Builds with lz_build() and parses: the error message, "" if it parsed. */
static const char *build_and_parse(const struct zent *e, size_t n, bool deflate,
				   struct mcuboot_err *err)
{
	size_t len = 0;
	uint8_t *z = lz_build(e, n, deflate, &len);

	return parse_msg(z, len, err);
}

static const char one_image[] = "{\"files\": [{\"file\": \"a.bin\", \"image_index\": \"0\"}]}";

/* Sets the uncompressed size of entry a.bin (local and central headers)
 * to claim. */
static void lie_about_sizes(uint8_t *z, size_t len, uint32_t claim)
{
	size_t i;

	for (i = 0; i + 51 <= len; i++) {
		uint32_t sig = (uint32_t)z[i] | (uint32_t)z[i + 1] << 8 | (uint32_t)z[i + 2] << 16 |
			       (uint32_t)z[i + 3] << 24;

		if (sig == 0x04034b50 && !memcmp(z + i + 30, "a.bin", 5))
			put(z + i + 22, claim, 4);
		else if (sig == 0x02014b50 && !memcmp(z + i + 46, "a.bin", 5))
			put(z + i + 24, claim, 4);
	}
}

/* A re-zipped bundle: deflate entries read like stored ones. */
TEST(nrf_zip_deflate_bundle)
{
	static uint8_t big[4096];
	struct zent e[2] = { { "manifest.json", one_image, sizeof(one_image) - 1 },
			     { "a.bin", big, sizeof(big) } };
	struct nrf_zip_bundle b;
	struct mcuboot_err err;
	size_t len, i;
	uint8_t *z;

	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i % 7);
	z = lz_build(e, 2, true, &len);
	if (!CHECK(z != NULL))
		return;
	CHECK(len < sizeof(big)); /* it really is compressed */
	if (!CHECK_INT(nrf_zip_parse(z, len, &b, &err), 0)) {
		CHECK_STR(err.msg, "");
		return;
	}
	CHECK_INT(b.images[0].len, sizeof(big));
	CHECK(!memcmp(b.images[0].data, big, sizeof(big)));
	nrf_zip_free(&b);
}

/* Zip bombs: an entry bigger than allowed, honest or lying about it. */
TEST(nrf_zip_bomb_limits)
{
	size_t big_len = NRF_ZIP_MAX_ENTRY_SIZE + 1024 * 1024, len;
	uint8_t *big = calloc(1, big_len), *z;
	struct mcuboot_err err;
	struct zent e[2] = { { "manifest.json", one_image, sizeof(one_image) - 1 },
			     { "a.bin", big, big_len } };

	if (!CHECK(big != NULL))
		return;
	z = lz_build(e, 2, true, &len);
	CHECK(z && len < 1024 * 1024);
	CHECK(strstr(parse_msg(z, len, &err), "zip entry a.bin says it is 34603008 bytes, "
					      "more than the 33554432 allowed") != NULL);
	/* The same entry claiming 64 bytes: the bytes that come out count. */
	z = lz_build(e, 2, true, &len);
	if (z)
		lie_about_sizes(z, len, 64);
	CHECK_STR(parse_msg(z, len, &err),
		  "zip entry a.bin decompresses to more than 33554432 bytes (zip bomb?)");
	free(big);
}

/* Two images at the per-entry limit: together, with the manifest, more
 * than the bundle may decompress to. */
TEST(nrf_zip_total_limit)
{
	static const char two_images[] = "{\"files\": [{\"file\": \"a.bin\", \"image_index\": 0},"
					 " {\"file\": \"b.bin\", \"image_index\": 1}]}";
	uint8_t *big = calloc(1, NRF_ZIP_MAX_ENTRY_SIZE);
	struct mcuboot_err err;
	struct zent e[3] = { { "manifest.json", two_images, sizeof(two_images) - 1 },
			     { "a.bin", big, NRF_ZIP_MAX_ENTRY_SIZE },
			     { "b.bin", big, NRF_ZIP_MAX_ENTRY_SIZE } };

	if (!CHECK(big != NULL))
		return;
	CHECK_STR(build_and_parse(e, 3, true, &err),
		  "zip entry b.bin decompresses to more than 67108864 bytes for the whole bundle "
		  "(zip bomb?)");
	free(big);
}

/* A size field that lies the other way: more than the data holds. */
TEST(nrf_zip_lying_size)
{
	static const uint8_t data[100] = { 1, 2, 3 };
	struct zent e[2] = { { "manifest.json", one_image, sizeof(one_image) - 1 },
			     { "a.bin", data, sizeof(data) } };
	struct mcuboot_err err;
	const char *msg;
	size_t len;
	uint8_t *z = lz_build(e, 2, true, &len);

	if (z)
		lie_about_sizes(z, len, 5000);
	msg = parse_msg(z, len, &err);
	CHECK_STR(msg, "zip entry a.bin says it is 5000 bytes but holds 100: corrupt bundle");
	CHECK_INT(err.kind, MCUBOOT_ERR_BAD_BUNDLE);
}

TEST(nrf_zip_too_many_entries)
{
	struct zent e[NRF_ZIP_MAX_ENTRIES + 1];
	char names[NRF_ZIP_MAX_ENTRIES + 1][16];
	struct mcuboot_err err;
	size_t i;

	e[0] = (struct zent){ "manifest.json", one_image, sizeof(one_image) - 1 };
	for (i = 1; i <= NRF_ZIP_MAX_ENTRIES; i++) {
		snprintf(names[i], sizeof(names[i]), "%zu.bin", i);
		e[i] = (struct zent){ names[i], app, 4 };
	}
	e[1].name = "a.bin";
	CHECK_STR(build_and_parse(e, NRF_ZIP_MAX_ENTRIES, false, &err), "");
	CHECK_STR(build_and_parse(e, NRF_ZIP_MAX_ENTRIES + 1, false, &err),
		  "the zip has 65 entries, a bundle at most 64");
}

TEST(nrf_zip_missing_parts)
{
	static const char names_missing[] =
		"{\"files\": [{\"file\": \"gone.bin\", \"image_index\": 0}]}";
	struct zent only_image[1] = { { "a.bin", app, sizeof(app) } };
	struct zent e[2] = { { "manifest.json", names_missing, sizeof(names_missing) - 1 },
			     { "a.bin", app, sizeof(app) } };
	struct mcuboot_err err;

	CHECK_STR(build_and_parse(only_image, 1, true, &err), "the zip has no manifest.json");
	CHECK_STR(build_and_parse(e, 2, true, &err), "the zip has no gone.bin");
}

TEST(nrf_zip_path_traversal)
{
	static const char *const bad_files[] = { "../a.bin", "/a.bin", "x/../../a.bin",
						 "a\\b.bin" };
	static const char *const bad_entries[] = { "../evil.bin", "/etc/evil", "d/../../evil",
						   "x\033]0;title\a.bin" };
	struct mcuboot_err err;
	char manifest[256], want[160];
	size_t i;

	for (i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++) {
		struct zent e[2] = { { "manifest.json", manifest, 0 },
				     { "a.bin", app, sizeof(app) } };

		snprintf(manifest, sizeof(manifest),
			 "{\"files\": [{\"file\": \"%s\", \"image_index\": 0}]}",
			 !strcmp(bad_files[i], "a\\b.bin") ? "a\\\\b.bin" : bad_files[i]);
		e[0].len = strlen(manifest);
		snprintf(want, sizeof(want), "manifest.json: files[0] names \"%s\": not a plain",
			 bad_files[i]);
		CHECK_STR(strstr(build_and_parse(e, 2, false, &err), want) ? want : err.msg, want);
	}
	for (i = 0; i < sizeof(bad_entries) / sizeof(bad_entries[0]); i++) {
		struct zent e[3] = { { "manifest.json", one_image, sizeof(one_image) - 1 },
				     { "a.bin", app, sizeof(app) },
				     { bad_entries[i], app, 4 } };

		/* Control characters are shown as '?', never sent to the terminal. */
		snprintf(want, sizeof(want), "has the name \"%s\": not a plain relative",
			 i == 3 ? "x?]0;title?.bin" : bad_entries[i]);
		CHECK_STR(strstr(build_and_parse(e, 3, false, &err), want) ? want : err.msg, want);
	}
}
