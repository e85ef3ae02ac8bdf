/* MCUboot image parsing and verification: every row of the shared
 * testdata's MANIFEST.tsv (read at run time, so new rows are covered), then
 * synthesized broken images, each of which must fail with its own error
 * and never crash. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/mcuboot.h"
#include "smp/bytes.h"

#define MAX_COLS 16

static void path_of(char *out, size_t cap, const char *name)
{
	snprintf(out, cap, "%s/images/%s", unit_testdata(), name);
}

static void to_hex(const uint8_t *b, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
	out[2 * n] = '\0';
}

/* Reads a whole file (NUL-terminated); NULL on failure. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
			buf[n] = '\0';
			*len = (size_t)n;
		} else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

/* Splits line in place on tabs; empty fields are kept. */
static int split_tabs(char *line, char **cols, int max)
{
	int n = 0;

	cols[n++] = line;
	for (; *line && n < max; line++)
		if (*line == '\t') {
			*line = '\0';
			cols[n++] = line + 1;
		}
	return n;
}

static int col_index(char **hdr, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(hdr[i], name))
			return i;
	return -1;
}

/* "p:SEC_CNT,SHA256,..." as the manifest writes the TLV list. */
static void tlv_list(const struct mcuboot_image *img, const uint8_t *data, char *out, size_t cap)
{
	struct mcuboot_tlv_iter it = { 0 };
	struct mcuboot_tlv tlv;
	size_t used = 0;
	char label[SMP_MCUBOOT_TLV_LABEL_MAX];

	out[0] = '\0';
	while (used < cap && mcuboot_tlv_next(img, data, &it, &tlv))
		used += (size_t)snprintf(out + used, cap - used, "%s%s%s", used ? "," : "",
					 tlv.protected_area ? "p:" : "",
					 mcuboot_tlv_label(tlv.type, label, sizeof(label)));
}

struct row {
	const char *file, *size, *version, *hash_type, *hash, *file_sha, *key, *verdict, *flags,
		*tlvs;
};

/* Every check names the file, so a failure says which row it was. */
static void check_field(struct unit_ctx *t, const char *file, const char *what, const char *got,
			const char *want)
{
	char g[400], w[400];

	if (!strcmp(want, "-"))
		return;
	snprintf(g, sizeof(g), "%s %s %s", file, what, got);
	snprintf(w, sizeof(w), "%s %s %s", file, what, want);
	CHECK_STR(g, w);
}

static void check_row(struct unit_ctx *t, const struct row *r)
{
	struct mcuboot_file f;
	struct mcuboot_image img;
	struct mcuboot_verdict v;
	struct mcuboot_key *key = NULL;
	struct mcuboot_err err;
	char path[512], buf[512];
	const char *verdict;

	path_of(path, sizeof(path), r->file);
	if (!CHECK(mcuboot_load_file(path, &f, &err) == 0)) {
		check_field(t, r->file, "load", err.msg, "ok");
		return;
	}
	snprintf(buf, sizeof(buf), "%zu", f.file_size);
	check_field(t, r->file, "size", buf, r->size);
	to_hex(f.file_sha256, 32, buf);
	check_field(t, r->file, "file_sha256", buf, r->file_sha);
	if (!f.from_hex) {
		/* The upload's sha is of what is sent: the file, for a .bin. */
		mcuboot_sha256(f.data, f.len, f.file_sha256);
		to_hex(f.file_sha256, 32, buf);
		check_field(t, r->file, "data sha256", buf, r->file_sha);
	}
	if (mcuboot_parse(f.data, f.len, &img, &err) != 0) {
		check_field(t, r->file, "verdict", mcuboot_err_verdict(err.kind), r->verdict);
		CHECK(err.msg[0] != '\0');
		mcuboot_file_free(&f);
		return;
	}
	mcuboot_version_format(&img.version, buf, sizeof(buf));
	check_field(t, r->file, "version", buf, r->version);
	check_field(t, r->file, "hash type", mcuboot_tlv_name(img.hash_type), r->hash_type);
	to_hex(img.hash_stored, img.hash_len, buf);
	check_field(t, r->file, "image hash", buf, r->hash);
	snprintf(buf, sizeof(buf), "0x%x", img.flags);
	check_field(t, r->file, "flags", buf, r->flags);
	tlv_list(&img, f.data, buf, sizeof(buf));
	check_field(t, r->file, "tlvs", buf, r->tlvs);
	if (strcmp(r->key, "none")) {
		snprintf(buf, sizeof(buf), "keys/%s.pub.pem", r->key);
		path_of(path, sizeof(path), buf);
		if (!CHECK(mcuboot_key_load_file(path, &key, &err) == 0))
			check_field(t, r->file, "key", err.msg, "ok");
	}
	mcuboot_verify(&img, f.data, f.len, key, &v);
	verdict = mcuboot_verdict_name(&v);
	check_field(t, r->file, "verdict", verdict, r->verdict);
	if (!strcmp(r->verdict, "valid"))
		check_field(t, r->file, "computed hash",
			    (to_hex(img.hash_computed, img.hash_len, buf), buf), r->hash);
	if (key && strcmp(r->verdict, "bad-hash"))
		check_field(t, r->file, "signature", mcuboot_check_name(v.signature),
			    !strcmp(r->verdict, "bad-signature") ? "failed" : "ok");
	mcuboot_key_free(key);
	mcuboot_file_free(&f);
}

/* Calls fn for each manifest row that is an image (zip bundles are not). */
static int for_each_row(struct unit_ctx *t, void (*fn)(struct unit_ctx *, const struct row *))
{
	char path[512], *text, *line, *next, *cols[MAX_COLS], *hdr[MAX_COLS];
	int nhdr, n, rows = 0, ix[10];
	static const char *const names[10] = {
		"filename",    "size", "expected_version", "hash_tlv_type", "expected_image_hash",
		"file_sha256", "key",  "expected_verdict", "hdr_flags",	    "tlvs",
	};
	size_t len, i;

	path_of(path, sizeof(path), "MANIFEST.tsv");
	text = slurp(path, &len);
	if (!CHECK(text != NULL))
		return 0;
	next = strchr(text, '\n');
	if (!CHECK(next != NULL)) {
		free(text);
		return 0;
	}
	*next++ = '\0';
	nhdr = split_tabs(text, hdr, MAX_COLS);
	for (i = 0; i < 10; i++)
		if (!CHECK((ix[i] = col_index(hdr, nhdr, names[i])) >= 0))
			ix[i] = 0;
	for (line = next; line && *line; line = next) {
		struct row r;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		n = split_tabs(line, cols, MAX_COLS);
		if (n < nhdr || strstr(cols[ix[0]], ".zip"))
			continue;
		r = (struct row){ cols[ix[0]], cols[ix[1]], cols[ix[2]], cols[ix[3]], cols[ix[4]],
				  cols[ix[5]], cols[ix[6]], cols[ix[7]], cols[ix[8]], cols[ix[9]] };
		fn(t, &r);
		rows++;
	}
	free(text);
	return rows;
}

TEST(mcuboot_manifest_rows)
{
	/* 43 rows when this was written; fewer means the manifest went missing. */
	CHECK(for_each_row(t, check_row) >= 40);
}

/* A valid signed image checked with a key of another type or another
 * key: never valid. */
static void check_wrong_key(struct unit_ctx *t, const struct row *r)
{
	static const char *const others[] = { "ecdsa-p256", "ed25519" };
	struct mcuboot_file f;
	struct mcuboot_image img;
	struct mcuboot_verdict v;
	struct mcuboot_key *key;
	struct mcuboot_err err;
	char path[512], name[64];

	if (!strcmp(r->key, "none") || strncmp(r->verdict, "valid", 5))
		return;
	snprintf(name, sizeof(name), "keys/%s.pub.pem",
		 strcmp(r->key, others[0]) ? others[0] : others[1]);
	path_of(path, sizeof(path), name);
	if (!CHECK(mcuboot_key_load_file(path, &key, &err) == 0))
		return;
	path_of(path, sizeof(path), r->file);
	if (CHECK(mcuboot_load_file(path, &f, &err) == 0)) {
		if (CHECK(mcuboot_parse(f.data, f.len, &img, &err) == 0)) {
			CHECK_INT(mcuboot_verify(&img, f.data, f.len, key, &v), -1);
			check_field(t, r->file, "wrong key", mcuboot_err_name(v.err.kind),
				    "key-mismatch");
			CHECK_INT(v.key, MCUBOOT_CHECK_FAILED);
		}
		mcuboot_file_free(&f);
	}
	mcuboot_key_free(key);
}

TEST(mcuboot_wrong_key_is_key_mismatch)
{
	CHECK(for_each_row(t, check_wrong_key) > 0);
}

/* Loads a test image into memory. */
static uint8_t *load(struct unit_ctx *t, const char *name, size_t *len)
{
	struct mcuboot_file f;
	struct mcuboot_err err;
	char path[512];

	path_of(path, sizeof(path), name);
	if (!CHECK(mcuboot_load_file(path, &f, &err) == 0))
		return NULL;
	*len = f.len;
	return f.data;
}

static struct mcuboot_key *key_of(struct unit_ctx *t, const char *file)
{
	struct mcuboot_key *key = NULL;
	struct mcuboot_err err;
	char path[512], name[64];

	snprintf(name, sizeof(name), "keys/%s", file);
	path_of(path, sizeof(path), name);
	CHECK(mcuboot_key_load_file(path, &key, &err) == 0);
	return key;
}

/* Parses and verifies (without a key); returns the error kind. */
static enum mcuboot_err_kind check_buf(const uint8_t *buf, size_t len)
{
	struct mcuboot_image img;
	struct mcuboot_verdict v;
	struct mcuboot_err err;

	if (mcuboot_parse(buf, len, &img, &err))
		return err.kind;
	mcuboot_verify(&img, buf, len, NULL, &v);
	return v.err.kind;
}

TEST(mcuboot_error_names_distinct)
{
	int a, b;

	for (a = 0; a < MCUBOOT_ERR_COUNT; a++) {
		CHECK(strlen(mcuboot_err_desc(a)) > 5);
		CHECK(strcmp(mcuboot_err_verdict(a), "unknown"));
		for (b = 0; b < a; b++)
			CHECK(strcmp(mcuboot_err_name(a), mcuboot_err_name(b)));
	}
	CHECK_STR(mcuboot_err_name(MCUBOOT_ERR_COUNT), "unknown");
}

/* app_1k_unsigned.bin: hdr 0x200, body 1024, TLV area at 0x600 holding
 * only SHA256 (4 + 4 + 32 = 40 bytes). */
TEST(mcuboot_malformed_headers)
{
	size_t len;
	uint8_t *img = load(t, "app_1k_unsigned.bin", &len), *m;

	if (!img)
		return;
	m = malloc(len);
	CHECK_INT(check_buf(img, len), MCUBOOT_OK);
	CHECK_INT(check_buf(img, 0), MCUBOOT_ERR_EMPTY);
	CHECK_INT(check_buf(img, 31), MCUBOOT_ERR_TRUNCATED_HEADER);
	CHECK_INT(check_buf(img, 0x300), MCUBOOT_ERR_TRUNCATED_BODY);
	CHECK_INT(check_buf(img, 0x600), MCUBOOT_ERR_NO_TLV_AREA);
	CHECK_INT(check_buf(img, 0x602), MCUBOOT_ERR_TRUNCATED_TLV_AREA);
	CHECK_INT(check_buf(img, len - 1), MCUBOOT_ERR_TRUNCATED_TLV_AREA);

	memcpy(m, img, len);
	smp_put_le32(m, 0x96f3b83c);
	CHECK_INT(check_buf(m, len), MCUBOOT_ERR_BAD_MAGIC);

	memcpy(m, img, len);
	smp_put_le16(m + 8, 16); /* hdr_size */
	CHECK_INT(check_buf(m, len), MCUBOOT_ERR_HDR_SIZE);

	memcpy(m, img, len);
	smp_put_le32(m + 12, 0xffffffff); /* img_size */
	CHECK_INT(check_buf(m, len), MCUBOOT_ERR_SIZE_OVERFLOW);
	smp_put_le32(m + 12, 0x10000);
	CHECK_INT(check_buf(m, len), MCUBOOT_ERR_TRUNCATED_BODY);
	free(m);
	free(img);
}

TEST(mcuboot_malformed_tlvs)
{
	size_t len;
	uint8_t *img = load(t, "app_1k_unsigned.bin", &len), *m;

	if (!img)
		return;
	m = malloc(len);
	memcpy(m, img, len);
	m[0x600] ^= 1; /* TLV info magic */
	CHECK_INT(check_buf(m, len), MCUBOOT_ERR_BAD_TLV_MAGIC);

	memcpy(m, img, len);
	smp_put_le16(m + 0x606, 0xffff); /* SHA256 length */
	CHECK_INT(check_buf(m, len), MCUBOOT_ERR_TLV_PAST_END);

	memcpy(m, img, len);
	smp_put_le16(m + 0x602, 2); /* area size smaller than its header */
	CHECK_INT(check_buf(m, len), MCUBOOT_ERR_TLV_PAST_END);

	memcpy(m, img, len);
	smp_put_le16(m + 0x602, 6); /* area ends inside the first TLV header */
	CHECK_INT(check_buf(m, len), MCUBOOT_ERR_TLV_PAST_END);

	memcpy(m, img, len);
	smp_put_le16(m + 0x604, 0x00a5); /* SHA256 becomes a vendor TLV */
	CHECK_INT(check_buf(m, len), MCUBOOT_ERR_NO_HASH);

	memcpy(m, img, len);
	smp_put_le16(m + 0x604, 0x11); /* a 32-byte "SHA384" */
	CHECK_INT(check_buf(m, len), MCUBOOT_ERR_HASH_LEN);

	memcpy(m, img, len);
	m[0x300] ^= 0x80; /* a body byte */
	CHECK_INT(check_buf(m, len), MCUBOOT_ERR_HASH_MISMATCH);

	memcpy(m, img, len);
	smp_put_le16(m + 10, 8); /* protect_tlv_size with no protected area */
	CHECK_INT(check_buf(m, len), MCUBOOT_ERR_BAD_PROT_TLV_MAGIC);
	smp_put_le16(m + 10, 2);
	CHECK_INT(check_buf(m, len), MCUBOOT_ERR_PROT_SIZE_MISMATCH);
	free(m);
	free(img);
}

/* app_1k_rsa2048.bin: SHA256, KEYHASH (both 32 bytes), RSA2048_PSS. MCUboot
 * checks every TLV of the hash type: a second one that differs fails. */
TEST(mcuboot_second_hash_tlv_must_match)
{
	size_t len;
	uint8_t *img = load(t, "app_1k_rsa2048.bin", &len);

	if (!img)
		return;
	CHECK_INT(check_buf(img, len), MCUBOOT_OK);
	smp_put_le16(img + 0x600 + 4 + 36, 0x10); /* KEYHASH -> SHA256 */
	CHECK_INT(check_buf(img, len), MCUBOOT_ERR_HASH_MISMATCH);
	free(img);
}

/* app_100k_unsigned_customtlv.bin: protected area (magic 0x6908) of 12
 * bytes holding custom TLV 0xa0 right after the body at 0x19200. */
TEST(mcuboot_protected_size_mismatch)
{
	size_t len;
	uint8_t *img = load(t, "app_100k_unsigned_customtlv.bin", &len);

	if (!img)
		return;
	CHECK_INT(check_buf(img, len), MCUBOOT_OK);
	smp_put_le16(img + 10, 16);
	CHECK_INT(check_buf(img, len), MCUBOOT_ERR_PROT_SIZE_MISMATCH);
	smp_put_le16(img + 10, 0);
	CHECK_INT(check_buf(img, len), MCUBOOT_ERR_PROT_SIZE_MISMATCH);
	smp_put_le16(img + 10, 12);
	CHECK_INT(check_buf(img, len), MCUBOOT_OK);
	img[0x19200 + 4 + 4] ^= 1; /* protected TLV value: covered by the hash */
	CHECK_INT(check_buf(img, len), MCUBOOT_ERR_HASH_MISMATCH);
	free(img);
}

/* The unprotected area of an image whose file ends with it, grown by one
 * TLV; returns the new length (img is realloc'd). */
static size_t append_tlv(uint8_t **img, size_t len, uint16_t type, const uint8_t *val,
			 uint16_t vlen)
{
	struct mcuboot_image parsed;
	struct mcuboot_err err;
	uint8_t *m;

	if (mcuboot_parse(*img, len, &parsed, &err) || parsed.image_end != len)
		return 0;
	m = realloc(*img, len + 4 + vlen);
	if (!m)
		return 0;
	smp_put_le16(m + len, type);
	smp_put_le16(m + len + 2, vlen);
	memcpy(m + len + 4, val, vlen);
	smp_put_le16(m + parsed.tlv_off + 2, (uint16_t)(parsed.tlv_size + 4 + vlen));
	*img = m;
	return len + 4 + vlen;
}

/* Verdict kind with the given key and options. */
static enum mcuboot_err_kind verdict_with(const uint8_t *buf, size_t len,
					  const struct mcuboot_key *key, bool no_allow_list,
					  enum mcuboot_status *status)
{
	struct mcuboot_verify_opts opts = { .no_tlv_allow_list = no_allow_list, .any_build = true };
	struct mcuboot_image img;
	struct mcuboot_verdict v;
	struct mcuboot_err err;

	*status = MCUBOOT_INVALID;
	if (mcuboot_parse(buf, len, &img, &err))
		return err.kind;
	mcuboot_verify_with(&img, buf, len, key, &opts, &v);
	*status = v.status;
	return v.err.kind;
}

/* MCUboot has no limit on TLVs: app_1k_unsigned.bin rebuilt with 70
 * protected custom TLVs (0xa0, one byte each) and its SHA256 TLV
 * recomputed over header + body + protected area. */
TEST(mcuboot_many_protected_tlvs)
{
	enum {
		N = 70,
		PROT = 4 + N * 5,
		OUT = 0x600 + PROT + 40
	};
	size_t len, i;
	uint8_t *img = load(t, "app_1k_unsigned.bin", &len), *m;
	struct mcuboot_image parsed;
	struct mcuboot_err err;
	enum mcuboot_status st;

	if (!img)
		return;
	m = calloc(1, OUT);
	memcpy(m, img, 0x600);
	smp_put_le16(m + 10, PROT);
	smp_put_le16(m + 0x600, 0x6908);
	smp_put_le16(m + 0x602, PROT);
	for (i = 0; i < N; i++) {
		smp_put_le16(m + 0x604 + 5 * i, 0x00a0);
		smp_put_le16(m + 0x606 + 5 * i, 1);
		m[0x608 + 5 * i] = (uint8_t)i;
	}
	smp_put_le16(m + 0x600 + PROT, 0x6907);
	smp_put_le16(m + 0x602 + PROT, 40);
	smp_put_le16(m + 0x604 + PROT, SMP_MCUBOOT_TLV_SHA256);
	smp_put_le16(m + 0x606 + PROT, 32);
	CHECK_INT(mcuboot_sha256(m, 0x600 + PROT, m + 0x608 + PROT), 0);
	CHECK_INT(verdict_with(m, OUT, NULL, false, &st), MCUBOOT_OK);
	CHECK_INT(st, MCUBOOT_VALID);
	if (CHECK(mcuboot_parse(m, OUT, &parsed, &err) == 0))
		CHECK_INT(parsed.ntlv, N + 1);
	m[0x608 + 5 * 69] ^= 1; /* the 70th protected value is hashed too */
	CHECK_INT(verdict_with(m, OUT, NULL, false, &st), MCUBOOT_ERR_HASH_MISMATCH);
	free(m);
	free(img);
}

/* A second, identical SHA256 TLV: MCUboot checks both, both match. */
TEST(mcuboot_duplicate_hash_tlv)
{
	size_t len;
	uint8_t *img = load(t, "app_1k_unsigned.bin", &len), hash[32];
	enum mcuboot_status st;

	if (!img)
		return;
	memcpy(hash, img + 0x608, 32);
	len = append_tlv(&img, len, SMP_MCUBOOT_TLV_SHA256, hash, 32);
	if (CHECK(len > 0)) {
		CHECK_INT(verdict_with(img, len, NULL, false, &st), MCUBOOT_OK);
		CHECK_INT(st, MCUBOOT_VALID);
		img[len - 1] ^= 1; /* now the second one differs */
		CHECK_INT(verdict_with(img, len, NULL, false, &st), MCUBOOT_ERR_HASH_MISMATCH);
	}
	free(img);
}

/* Unprotected TLVs off MCUboot's allow list: refused unless the device's
 * MCUboot is built without the list. */
TEST(mcuboot_unprotected_tlv_allow_list)
{
	static const uint8_t val[4] = { 1, 2, 3, 4 };
	size_t len, n;
	uint8_t *img = load(t, "app_256k_ecdsa-p256.bin", &len);
	struct mcuboot_key *key = key_of(t, "ecdsa-p256.pub.pem");
	enum mcuboot_status st;

	if (!img || !key)
		goto out;
	n = append_tlv(&img, len, 0x00a5, val, sizeof(val));
	if (CHECK(n > 0)) {
		CHECK_INT(verdict_with(img, n, key, false, &st), MCUBOOT_ERR_TLV_NOT_ALLOWED);
		CHECK_INT(st, MCUBOOT_INVALID);
		CHECK_INT(verdict_with(img, n, NULL, false, &st), MCUBOOT_ERR_TLV_NOT_ALLOWED);
		CHECK_INT(verdict_with(img, n, key, true, &st), MCUBOOT_OK);
		CHECK_INT(st, MCUBOOT_VALID);
	}
	free(img);
	/* A known type, but one that belongs in the protected area. */
	img = load(t, "app_256k_ecdsa-p256.bin", &len);
	n = img ? append_tlv(&img, len, SMP_MCUBOOT_TLV_SEC_CNT, val, sizeof(val)) : 0;
	if (CHECK(n > 0))
		CHECK_INT(verdict_with(img, n, key, false, &st), MCUBOOT_ERR_TLV_NOT_ALLOWED);
out:
	free(img);
	mcuboot_key_free(key);
}

/* Forged encryption flags, and an encrypted image whose key TLV is gone. */
TEST(mcuboot_encryption_flag_needs_enc_tlv)
{
	size_t len;
	uint8_t *img = load(t, "app_256k_ecdsa-p256.bin", &len);
	struct mcuboot_key *key = key_of(t, "ecdsa-p256.pub.pem");
	enum mcuboot_status st;

	if (!img || !key)
		goto out;
	CHECK_INT(verdict_with(img, len, key, false, &st), MCUBOOT_OK);
	img[16] |= SMP_MCUBOOT_F_ENCRYPTED_AES128; /* one header bit */
	CHECK_INT(verdict_with(img, len, key, false, &st), MCUBOOT_ERR_ENC_NO_KEY_TLV);
	CHECK_INT(st, MCUBOOT_INVALID);
	CHECK_INT(verdict_with(img, len, NULL, false, &st), MCUBOOT_ERR_ENC_NO_KEY_TLV);
	img[16] ^= SMP_MCUBOOT_F_ENCRYPTED_AES128 | SMP_MCUBOOT_F_ENCRYPTED_AES256;
	CHECK_INT(verdict_with(img, len, key, false, &st), MCUBOOT_ERR_ENC_NO_KEY_TLV);
	img[16] |= SMP_MCUBOOT_F_ENCRYPTED_AES128;
	CHECK_INT(verdict_with(img, len, key, false, &st), MCUBOOT_ERR_ENC_FLAGS);
out:
	free(img);
	mcuboot_key_free(key);
}

/* Removes the first TLV of type from the unprotected area (which must end
 * the file) and fixes the area's length; returns the new length or 0. */
static size_t strip_tlv(uint8_t *img, size_t len, uint16_t type)
{
	struct mcuboot_image parsed;
	struct mcuboot_err err;
	struct mcuboot_tlv tlv;
	size_t cut;

	if (mcuboot_parse(img, len, &parsed, &err) || parsed.image_end != len ||
	    !mcuboot_tlv_find(&parsed, img, type, &tlv) || tlv.protected_area)
		return 0;
	cut = 4 + (size_t)tlv.len;
	memmove(img + tlv.off - 4, img + tlv.off + tlv.len, len - (tlv.off + tlv.len));
	smp_put_le16(img + parsed.tlv_off + 2, (uint16_t)(parsed.tlv_size - cut));
	return len - cut;
}

TEST(mcuboot_encrypted_without_key_tlv)
{
	size_t len, n;
	uint8_t *img = load(t, "app_100k_ed25519_enc-x25519.bin", &len);
	struct mcuboot_key *key = key_of(t, "ed25519.pub.pem");
	enum mcuboot_status st;

	if (!img || !key)
		goto out;
	CHECK_INT(verdict_with(img, len, key, false, &st), MCUBOOT_OK);
	CHECK_INT(st, MCUBOOT_VALID_ENCRYPTED);
	CHECK_INT(verdict_with(img, len, NULL, false, &st), MCUBOOT_OK);
	CHECK_INT(st, MCUBOOT_ENCRYPTED_UNCHECKED);
	/* An 80-byte ENC_X25519 holds an AES-128 key: AES-256 does not fit. */
	img[16] ^= SMP_MCUBOOT_F_ENCRYPTED_AES128 | SMP_MCUBOOT_F_ENCRYPTED_AES256;
	CHECK_INT(verdict_with(img, len, key, false, &st), MCUBOOT_ERR_ENC_TLV_LEN);
	img[16] ^= SMP_MCUBOOT_F_ENCRYPTED_AES128 | SMP_MCUBOOT_F_ENCRYPTED_AES256;
	n = strip_tlv(img, len, SMP_MCUBOOT_TLV_ENC_X25519);
	if (CHECK(n > 0)) {
		CHECK_INT(verdict_with(img, n, key, false, &st), MCUBOOT_ERR_ENC_NO_KEY_TLV);
		CHECK_INT(verdict_with(img, n, NULL, false, &st), MCUBOOT_ERR_ENC_NO_KEY_TLV);
	}
	free(img);
	img = load(t, "app_100k_ed25519_enc-x25519-aes256.bin", &len);
	if (img) {
		CHECK_INT(verdict_with(img, len, key, false, &st), MCUBOOT_OK);
		img[16] ^= SMP_MCUBOOT_F_ENCRYPTED_AES128 | SMP_MCUBOOT_F_ENCRYPTED_AES256;
		CHECK_INT(verdict_with(img, len, key, false, &st), MCUBOOT_ERR_ENC_TLV_LEN);
	}
out:
	free(img);
	mcuboot_key_free(key);
}

/* No key: a signed image is "hash ok, signature not checked", never
 * valid; an unsigned one is valid when its hash is. */
TEST(mcuboot_no_key_is_not_valid)
{
	size_t len;
	uint8_t *img = load(t, "app_256k_ecdsa-p256.bin", &len);
	struct mcuboot_image parsed;
	struct mcuboot_verdict v;
	struct mcuboot_err err;
	enum mcuboot_status st;

	if (img && CHECK(mcuboot_parse(img, len, &parsed, &err) == 0)) {
		CHECK_INT(mcuboot_verify(&parsed, img, len, NULL, &v), 0);
		CHECK_INT(v.status, MCUBOOT_HASH_OK);
		CHECK_STR(mcuboot_verdict_name(&v), "hash-ok");
		CHECK_STR(mcuboot_verdict_words(&v), "hash ok, signature not checked (no --key)");
		CHECK_INT(v.signature, MCUBOOT_CHECK_SKIPPED);
	}
	free(img);
	img = load(t, "app_1k_unsigned.bin", &len);
	if (img) {
		CHECK_INT(verdict_with(img, len, NULL, false, &st), MCUBOOT_OK);
		CHECK_INT(st, MCUBOOT_VALID);
	}
	free(img);
}

/* bootutil_img_validate(): a signature with no KEYHASH before it is
 * skipped; each checked signature overwrites the result, so the last one
 * decides. app_256k_ecdsa-p256.bin: SHA256, KEYHASH, ECDSA_SIG. */
TEST(mcuboot_signature_walk_like_mcuboot)
{
	size_t len, n, bad_len;
	uint8_t *img = load(t, "app_256k_ecdsa-p256.bin", &len), *bad = NULL;
	uint8_t keyhash[32], sig[128];
	struct mcuboot_key *key = key_of(t, "ecdsa-p256.pub.pem");
	struct mcuboot_image parsed;
	struct mcuboot_tlv kh, sg;
	struct mcuboot_err err;
	enum mcuboot_status st;
	uint16_t sig_len;

	if (!img || !key || !CHECK(mcuboot_parse(img, len, &parsed, &err) == 0) ||
	    !CHECK(mcuboot_tlv_find(&parsed, img, SMP_MCUBOOT_TLV_KEYHASH, &kh)) ||
	    !CHECK(mcuboot_tlv_find(&parsed, img, SMP_MCUBOOT_TLV_ECDSA_SIG, &sg)) ||
	    !CHECK(kh.len == 32 && sg.len <= sizeof(sig)))
		goto out;
	memcpy(keyhash, img + kh.off, 32);
	memcpy(sig, img + sg.off, sg.len);
	sig_len = sg.len;
	/* Good, then KEYHASH + a broken copy: the broken one decides. */
	n = append_tlv(&img, len, SMP_MCUBOOT_TLV_KEYHASH, keyhash, 32);
	sig[sig_len - 1] ^= 1;
	n = n ? append_tlv(&img, n, SMP_MCUBOOT_TLV_ECDSA_SIG, sig, sig_len) : 0;
	if (CHECK(n > 0))
		CHECK_INT(verdict_with(img, n, key, false, &st), MCUBOOT_ERR_BAD_SIGNATURE);
	/* Two KEYHASHes before the broken copy: the last one names no known
	 * key, so MCUboot skips that signature and the first one stands. */
	free(bad);
	bad = load(t, "app_256k_ecdsa-p256.bin", &bad_len);
	n = bad ? append_tlv(&bad, bad_len, SMP_MCUBOOT_TLV_KEYHASH, keyhash, 32) : 0;
	keyhash[0] ^= 1;
	n = n ? append_tlv(&bad, n, SMP_MCUBOOT_TLV_KEYHASH, keyhash, 32) : 0;
	keyhash[0] ^= 1;
	n = n ? append_tlv(&bad, n, SMP_MCUBOOT_TLV_ECDSA_SIG, sig, sig_len) : 0;
	if (CHECK(n > 0))
		CHECK_INT(verdict_with(bad, n, key, false, &st), MCUBOOT_OK);
	free(bad);
	/* The broken copy without a KEYHASH before it is skipped. */
	bad = load(t, "app_256k_ecdsa-p256.bin", &bad_len);
	n = bad ? append_tlv(&bad, bad_len, SMP_MCUBOOT_TLV_ECDSA_SIG, sig, sig_len) : 0;
	if (CHECK(n > 0))
		CHECK_INT(verdict_with(bad, n, key, false, &st), MCUBOOT_OK);
	free(bad);
	/* A bad signature, then KEYHASH + the good one: valid. */
	bad = load(t, "bad_sig_256k_ecdsa-p256.bin", &bad_len);
	sig[sig_len - 1] ^= 1;
	if (bad)
		CHECK_INT(verdict_with(bad, bad_len, key, false, &st), MCUBOOT_ERR_BAD_SIGNATURE);
	n = bad ? append_tlv(&bad, bad_len, SMP_MCUBOOT_TLV_KEYHASH, keyhash, 32) : 0;
	n = n ? append_tlv(&bad, n, SMP_MCUBOOT_TLV_ECDSA_SIG, sig, sig_len) : 0;
	if (CHECK(n > 0))
		CHECK_INT(verdict_with(bad, n, key, false, &st), MCUBOOT_OK);
	free(bad);
	/* No KEYHASH at all: MCUboot skips the only signature. */
	bad = load(t, "app_256k_ecdsa-p256.bin", &bad_len);
	n = bad ? strip_tlv(bad, bad_len, SMP_MCUBOOT_TLV_KEYHASH) : 0;
	if (CHECK(n > 0))
		CHECK_INT(verdict_with(bad, n, key, false, &st), MCUBOOT_ERR_SIG_WITHOUT_KEY_TLV);
out:
	free(bad);
	free(img);
	mcuboot_key_free(key);
}

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

/* Random bytes, random bytes behind a real magic, and random corruption
 * of a real image: any result but a crash (ASan/UBSan builds watch). */
TEST(mcuboot_random_data_never_crashes)
{
	size_t len, i, n;
	uint32_t seed = 12345;
	uint8_t *img = load(t, "app_4k_ed25519.bin", &len), *m;
	struct mcuboot_key *key = key_of(t, "ed25519.pub.pem");
	struct mcuboot_image parsed;
	struct mcuboot_verdict v;
	struct mcuboot_err err;

	if (!img || !key)
		goto out;
	m = malloc(len);
	for (i = 0; i < 3000; i++) {
		n = lcg(&seed) % len;
		memcpy(m, img, len);
		if (i < 1000) {
			size_t j;

			for (j = 0; j < n; j++)
				m[j] = (uint8_t)lcg(&seed);
			if (i % 2)
				smp_put_le32(m, SMP_MCUBOOT_IMAGE_MAGIC);
		} else {
			/* Corrupt a few bytes of the header or TLV area. */
			int k;

			for (k = 0; k < 4; k++) {
				size_t at = lcg(&seed) % 2 ? lcg(&seed) % 32
							   : len - 1 - lcg(&seed) % 120;
				m[at] = (uint8_t)lcg(&seed);
			}
			n = len - (i % 7 == 0 ? lcg(&seed) % 40 : 0);
		}
		if (mcuboot_parse(m, n, &parsed, &err) == 0)
			mcuboot_verify(&parsed, m, n, key, &v);
		else
			CHECK(err.kind != MCUBOOT_OK && err.msg[0]);
	}
	CHECK(check_buf(m, 0) == MCUBOOT_ERR_EMPTY);
	free(m);
out:
	mcuboot_key_free(key);
	free(img);
}

TEST(mcuboot_signature_checks)
{
	size_t len;
	uint8_t *img = load(t, "app_100k_ed25519_pure.bin", &len);
	struct mcuboot_key *ed = key_of(t, "ed25519.pub.pem");
	struct mcuboot_key *priv = key_of(t, "ecdsa-p256.pem");
	struct mcuboot_image parsed;
	struct mcuboot_verdict v;
	struct mcuboot_err err;

	if (!img || !ed || !priv)
		goto out;
	CHECK_INT(mcuboot_parse(img, len, &parsed, &err), 0);
	CHECK(parsed.pure);
	CHECK_INT(mcuboot_verify(&parsed, img, len, ed, &v), 0);
	CHECK_INT(v.signature, MCUBOOT_CHECK_OK);
	CHECK_INT(v.key, MCUBOOT_CHECK_OK);
	/* A pure signature covers the body itself. */
	img[0x1000] ^= 1;
	CHECK_INT(mcuboot_parse(img, len, &parsed, &err), 0);
	CHECK_INT(mcuboot_verify(&parsed, img, len, ed, &v), -1);
	CHECK_INT(v.err.kind, MCUBOOT_ERR_HASH_MISMATCH);
	CHECK_INT(v.signature, MCUBOOT_CHECK_FAILED);
	CHECK_STR(mcuboot_key_desc(priv), "ECDSA P-256");
	free(img);

	/* A private key PEM works; a key for an unsigned image does not. */
	img = load(t, "app_100k_ecdsa-p256_pubkeyfull.bin", &len);
	if (img && CHECK(mcuboot_parse(img, len, &parsed, &err) == 0)) {
		CHECK_INT(mcuboot_verify(&parsed, img, len, priv, &v), 0);
		CHECK_INT(v.key, MCUBOOT_CHECK_OK);
	}
	free(img);
	img = load(t, "app_1k_unsigned.bin", &len);
	if (img && CHECK(mcuboot_parse(img, len, &parsed, &err) == 0)) {
		CHECK_INT(mcuboot_verify(&parsed, img, len, ed, &v), -1);
		CHECK_INT(v.err.kind, MCUBOOT_ERR_NO_SIGNATURE);
		CHECK_STR(mcuboot_verdict_name(&v), "unsigned");
	}
	free(img);
	img = NULL;
out:
	free(img);
	mcuboot_key_free(ed);
	mcuboot_key_free(priv);
}

TEST(mcuboot_encrypted_signature_checked)
{
	size_t len;
	uint8_t *img = load(t, "app_100k_ecdsa-p256_enc-ec256.bin", &len);
	struct mcuboot_key *key = key_of(t, "ecdsa-p256.pub.pem");
	struct mcuboot_image parsed;
	struct mcuboot_verdict v;
	struct mcuboot_err err;

	if (img && key && CHECK(mcuboot_parse(img, len, &parsed, &err) == 0)) {
		CHECK(parsed.encrypted);
		CHECK_STR(mcuboot_encryption_name(&parsed), "AES-128");
		CHECK_INT(mcuboot_verify(&parsed, img, len, key, &v), 0);
		CHECK_INT(v.status, MCUBOOT_VALID_ENCRYPTED);
		CHECK_INT(v.hash, MCUBOOT_CHECK_UNCHECKABLE);
		CHECK_INT(v.signature, MCUBOOT_CHECK_OK);
	}
	free(img);
	mcuboot_key_free(key);
}

TEST(mcuboot_bad_keys)
{
	static const char garbage[] =
		"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n";
	struct mcuboot_key *key = NULL;
	struct mcuboot_err err;
	char path[512];

	CHECK_INT(mcuboot_key_load_pem(garbage, sizeof(garbage) - 1, &key, &err), -1);
	CHECK_INT(err.kind, MCUBOOT_ERR_BAD_KEY);
	CHECK(key == NULL);
	CHECK_INT(mcuboot_key_load_pem("", 0, &key, &err), -1);
	CHECK_INT(err.kind, MCUBOOT_ERR_BAD_KEY);
	path_of(path, sizeof(path), "keys/x25519.pub.pem");
	CHECK_INT(mcuboot_key_load_file(path, &key, &err), -1);
	CHECK_INT(err.kind, MCUBOOT_ERR_BAD_KEY);
	path_of(path, sizeof(path), "keys/no-such-key.pem");
	CHECK_INT(mcuboot_key_load_file(path, &key, &err), -1);
	CHECK_INT(err.kind, MCUBOOT_ERR_IO);
	path_of(path, sizeof(path), "app_1k_unsigned.bin");
	CHECK_INT(mcuboot_key_load_file(path, &key, &err), -1);
	CHECK_INT(err.kind, MCUBOOT_ERR_BAD_KEY);
}

TEST(mcuboot_trailers)
{
	static const struct {
		const char *file;
		bool present;
		uint8_t image_ok;
	} cases[] = {
		{ "app_100k_ecdsa-p256_confirm.bin", true, 0x01 },
		{ "app_100k_ecdsa-p256_pad.bin", true, 0xff },
		{ "app_100k_ecdsa-p256_test.bin", true, 0xff },
		{ "app_100k_ecdsa-p256.hex", false, 0xff },
		{ "app_1k_unsigned.bin", false, 0xff },
	};
	struct mcuboot_image parsed;
	struct mcuboot_err err;
	size_t i, len;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t *img = load(t, cases[i].file, &len);

		if (!img || !CHECK(mcuboot_parse(img, len, &parsed, &err) == 0)) {
			free(img);
			continue;
		}
		CHECK_INT(parsed.trailer.present, cases[i].present);
		CHECK_INT(parsed.trailing_bytes, 0);
		if (cases[i].present) {
			CHECK_INT(parsed.trailer.image_ok, cases[i].image_ok);
			CHECK_INT(parsed.trailer.max_align, 8);
			CHECK_INT(parsed.trailer.magic_off, len - 16);
			CHECK_INT(len, 0x40000);
		}
		free(img);
	}
}

TEST(mcuboot_names_and_describe)
{
	size_t len, n;
	uint8_t *img = load(t, "app_100k_ecdsa-p256_protected.bin", &len);
	struct mcuboot_image parsed;
	struct mcuboot_tlv tlv;
	struct mcuboot_err err;
	const char *names[8];
	uint32_t unknown;
	char out[96];
	int i;

	n = mcuboot_flag_names(0x80000c20, names, 8, &unknown);
	CHECK_INT(n, 3);
	CHECK_STR(names[0], "RAM_LOAD");
	CHECK_STR(names[2], "COMPRESSED_ARM_THUMB");
	CHECK_INT(unknown, 0x80000000);
	CHECK_STR(mcuboot_tlv_label(0x00a1, out, sizeof(out)), "0x00a1");
	for (i = 0; i < 0x10000; i++) {
		const char *name = mcuboot_tlv_name((uint16_t)i);

		CHECK(!name || strlen(name) < SMP_MCUBOOT_TLV_LABEL_MAX);
	}
	if (!img || !CHECK(mcuboot_parse(img, len, &parsed, &err) == 0))
		goto out;
	CHECK(mcuboot_tlv_find(&parsed, img, SMP_MCUBOOT_TLV_SEC_CNT, &tlv) && tlv.protected_area);
	mcuboot_tlv_describe(img, &tlv, out, sizeof(out));
	CHECK_STR(out, "security counter 16908291");
	CHECK(mcuboot_tlv_find(&parsed, img, SMP_MCUBOOT_TLV_DEPENDENCY, &tlv));
	mcuboot_tlv_describe(img, &tlv, out, sizeof(out));
	CHECK_STR(out, "image 1, version >= 1.0.0+0");
	CHECK(mcuboot_tlv_find(&parsed, img, 0x00a1, &tlv));
	mcuboot_tlv_describe(img, &tlv, out, sizeof(out));
	CHECK_STR(out, "\"hello\"");
out:
	free(img);
}

/* app_256k_ecdsa-p256_lzma2.bin: compressed, with protected DECOMP_SIZE,
 * DECOMP_SHA and DECOMP_SIGNATURE; without the last MCUboot refuses it. */
TEST(mcuboot_compressed_needs_decomp_tlvs)
{
	size_t len;
	uint8_t *img = load(t, "app_256k_ecdsa-p256_lzma2.bin", &len);
	struct mcuboot_key *key = key_of(t, "ecdsa-p256.pub.pem");
	struct mcuboot_image parsed;
	struct mcuboot_tlv tlv;
	struct mcuboot_err err;
	enum mcuboot_status st;

	if (!img || !key || !CHECK(mcuboot_parse(img, len, &parsed, &err) == 0))
		goto out;
	CHECK_INT(verdict_with(img, len, key, false, &st), MCUBOOT_OK);
	CHECK_INT(st, MCUBOOT_VALID);
	if (CHECK(mcuboot_tlv_find(&parsed, img, SMP_MCUBOOT_TLV_DECOMP_SIGNATURE, &tlv))) {
		smp_put_le16(img + tlv.off - 4, 0x00a7);
		CHECK_INT(verdict_with(img, len, key, false, &st), MCUBOOT_ERR_DECOMP_TLVS);
	}
out:
	free(img);
	mcuboot_key_free(key);
}

/* --mcuboot: each key sets its Kconfig choice, later keys win, "default"
 * resets, a bad key or value is refused with the bad part named. */
TEST(mcuboot_build_settings)
{
	struct mcuboot_verify_opts o;
	char why[160];

	memset(&o, 0, sizeof(o));
	CHECK_INT(mcuboot_build_parse("hash=sha512,pure,enc=aes256,enc-key=x25519-sha512,"
				      "decompression,hw-key,tlv-allow-list=no,ecdsa=tinycrypt,"
				      "sig=ed25519",
				      &o, why, sizeof(why)),
		  0);
	CHECK_INT(o.hash, SMP_MCUBOOT_TLV_SHA512);
	CHECK_INT(o.sig, SMP_MCUBOOT_TLV_ED25519);
	CHECK(o.pure && o.decompression && o.hw_key && o.no_tlv_allow_list && o.ecdsa_padding);
	CHECK_INT(o.enc, MCUBOOT_BUILD_ENC_AES256);
	CHECK_INT(o.enc_tlv, SMP_MCUBOOT_TLV_ENC_X25519_SHA512);
	CHECK_INT(mcuboot_build_parse("pure=no,hw-key=off", &o, why, sizeof(why)), 0);
	CHECK(!o.pure && !o.hw_key && o.decompression);
	CHECK_INT(mcuboot_build_parse("default", &o, why, sizeof(why)), 0);
	CHECK(!o.decompression && !o.hash && !o.no_tlv_allow_list && !o.any_build);
	CHECK_INT(mcuboot_build_parse("any", &o, why, sizeof(why)), 0);
	CHECK(o.any_build);
	CHECK_INT(mcuboot_build_parse("hash=md5", &o, why, sizeof(why)), -1);
	CHECK(strstr(why, "hash") && strstr(why, "md5"));
	CHECK_INT(mcuboot_build_parse("colour=blue", &o, why, sizeof(why)), -1);
	CHECK(strstr(why, "colour") != NULL);
	CHECK_INT(mcuboot_build_parse("enc", &o, why, sizeof(why)), -1);
	CHECK_INT(mcuboot_build_parse("", &o, why, sizeof(why)), -1);
}

/* The shared mcuboot-rules images against Zephyr's default build (all
 * zero) and against the build that accepts each. */
TEST(mcuboot_rules_default_build)
{
	static const struct {
		const char *file, *key;
		struct mcuboot_verify_opts build;
		enum mcuboot_err_kind refused; /* by the default build */
		enum mcuboot_status accepted;  /* by build */
	} rows[] = {
		{ "ecdsa-p256_plain.bin", "ecdsa-p256.pub.pem", { 0 }, MCUBOOT_OK, MCUBOOT_VALID },
		{ "ed25519_fullkey.bin",
		  "ed25519.pub.pem",
		  { .hw_key = true },
		  MCUBOOT_ERR_NEEDS_BUILD,
		  MCUBOOT_VALID },
		{ "ed25519_nonbootable.bin",
		  "ed25519.pub.pem",
		  { .any_build = true },
		  MCUBOOT_ERR_NON_BOOTABLE,
		  MCUBOOT_INVALID },
		{ "ed25519_lzma2.bin",
		  "ed25519.pub.pem",
		  { .decompression = true },
		  MCUBOOT_ERR_NEEDS_BUILD,
		  MCUBOOT_VALID },
		{ "ed25519_sha512.bin",
		  "ed25519.pub.pem",
		  { .hash = SMP_MCUBOOT_TLV_SHA512 },
		  MCUBOOT_ERR_NEEDS_BUILD,
		  MCUBOOT_VALID },
		{ "ed25519_pure.bin",
		  "ed25519.pub.pem",
		  { .pure = true },
		  MCUBOOT_ERR_NEEDS_BUILD,
		  MCUBOOT_VALID },
		{ "ed25519_enc-x25519.bin",
		  "ed25519.pub.pem",
		  { .enc = MCUBOOT_BUILD_ENC_AES128 },
		  MCUBOOT_ERR_NEEDS_BUILD,
		  MCUBOOT_VALID_ENCRYPTED },
		{ "ed25519_enc-x25519-aes256.bin",
		  "ed25519.pub.pem",
		  { .enc = MCUBOOT_BUILD_ENC_AES256 },
		  MCUBOOT_ERR_NEEDS_BUILD,
		  MCUBOOT_VALID_ENCRYPTED },
		{ "ed25519_enc-x25519_clear.bin",
		  "ed25519.pub.pem",
		  { .enc = MCUBOOT_BUILD_ENC_AES128 },
		  MCUBOOT_ERR_NEEDS_BUILD,
		  MCUBOOT_INVALID },
	};
	static const struct mcuboot_verify_opts zephyr_default;
	char name[96];
	size_t i, len;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct mcuboot_key *key;
		struct mcuboot_image img;
		struct mcuboot_verdict v;
		struct mcuboot_err err;
		uint8_t *buf;

		snprintf(name, sizeof(name), "mcuboot-rules/%s", rows[i].file);
		buf = load(t, name, &len);
		key = key_of(t, rows[i].key);
		if (!buf || !key || !CHECK_INT(mcuboot_parse(buf, len, &img, &err), 0))
			goto next;
		mcuboot_verify_with(&img, buf, len, key, &zephyr_default, &v);
		if (!CHECK_INT(v.err.kind, rows[i].refused))
			fprintf(stderr, "  %s (default build): %s\n", rows[i].file, v.err.msg);
		mcuboot_verify_with(&img, buf, len, key, &rows[i].build, &v);
		if (!CHECK_INT(v.status, rows[i].accepted))
			fprintf(stderr, "  %s: %s\n", rows[i].file, v.err.msg);
	next:
		mcuboot_key_free(key);
		free(buf);
	}
}
