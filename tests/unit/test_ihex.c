/* Intel HEX parsing: records, addressing, gaps, and a clear error with the
 * line number for every kind of malformed input. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/ihex.h"
#include "host/mcuboot.h"

/* Appends one record, checksum computed, to out. */
static void rec(char *out, size_t cap, uint16_t addr, uint8_t type, const uint8_t *d, uint8_t n)
{
	size_t len = strlen(out);
	unsigned sum = n + (addr >> 8) + (addr & 0xff) + type;
	uint8_t i;

	len += (size_t)snprintf(out + len, cap - len, ":%02X%04X%02X", n, addr, type);
	for (i = 0; i < n; i++) {
		len += (size_t)snprintf(out + len, cap - len, "%02X", d[i]);
		sum += d[i];
	}
	snprintf(out + len, cap - len, "%02X\n", (unsigned)(-sum) & 0xff);
}

static int parse(const char *text, struct ihex_image *img, struct ihex_err *err)
{
	return ihex_parse(text, strlen(text), img, err);
}

TEST(ihex_known_record)
{
	/* The classic example record (checksum 0x40). */
	static const char text[] = ":10010000214601360121470136007EFE09D2190140\n:00000001FF\n";
	static const uint8_t want[16] = { 0x21, 0x46, 0x01, 0x36, 0x01, 0x21, 0x47, 0x01,
					  0x36, 0x00, 0x7e, 0xfe, 0x09, 0xd2, 0x19, 0x01 };
	struct ihex_image img;
	struct ihex_err err;

	CHECK_INT(parse(text, &img, &err), 0);
	CHECK_INT(img.base_addr, 0x100);
	CHECK_INT(img.len, 16);
	CHECK_MEM(img.data, want, 16);
	CHECK(!img.has_start);
	ihex_free(&img);
}

TEST(ihex_addressing_and_gaps)
{
	static const uint8_t a[2] = { 1, 2 }, b[1] = { 3 }, lin[2] = { 0x00, 0x01 },
			     seg[2] = { 0x10, 0x00 }, start[4] = { 0x00, 0x01, 0x02, 0x03 };
	char text[1024] = "";
	struct ihex_image img;
	struct ihex_err err;

	rec(text, sizeof(text), 0, 4, lin, 2);	  /* base 0x10000 */
	rec(text, sizeof(text), 0x0010, 0, a, 2); /* 0x10010 */
	rec(text, sizeof(text), 0x0014, 0, b, 1); /* 0x10014, gap of 2 */
	rec(text, sizeof(text), 0, 5, start, 4);
	strcat(text, "\r\n   \n"); /* blank lines are fine */
	rec(text, sizeof(text), 0, 1, NULL, 0);
	strcat(text, "garbage after EOF is ignored\n");
	CHECK_INT(parse(text, &img, &err), 0);
	CHECK_INT(img.base_addr, 0x10010);
	CHECK_INT(img.len, 5);
	CHECK_MEM(img.data, "\x01\x02\xff\xff\x03", 5);
	CHECK(img.has_start);
	CHECK_INT(img.start_addr, 0x00010203);
	ihex_free(&img);

	text[0] = '\0';
	rec(text, sizeof(text), 0, 2, seg, 2); /* segment 0x1000: base 0x10000 */
	rec(text, sizeof(text), 0x0004, 0, b, 1);
	rec(text, sizeof(text), 0x0004, 0, b, 1); /* same byte again: allowed */
	rec(text, sizeof(text), 0, 1, NULL, 0);
	CHECK_INT(parse(text, &img, &err), 0);
	CHECK_INT(img.base_addr, 0x10004);
	CHECK_INT(img.len, 1);
	ihex_free(&img);
}

TEST(ihex_crlf_file)
{
	char text[256] = "", crlf[300] = "";
	static const uint8_t d[3] = { 0xaa, 0xbb, 0xcc };
	struct ihex_image img;
	struct ihex_err err;
	size_t i, j = 0;

	rec(text, sizeof(text), 0x20, 0, d, 3);
	rec(text, sizeof(text), 0, 1, NULL, 0);
	for (i = 0; text[i]; i++) {
		if (text[i] == '\n')
			crlf[j++] = '\r';
		crlf[j++] = text[i];
	}
	CHECK_INT(parse(crlf, &img, &err), 0);
	CHECK_INT(img.len, 3);
	ihex_free(&img);
}

/* Each malformed input: its error kind and the line it names. */
TEST(ihex_errors_name_the_line)
{
	static const struct {
		const char *text;
		enum ihex_err_kind kind;
		unsigned line;
	} cases[] = {
		{ ":0100000041BE\n:0100010042BC\n:00000001FF\n", IHEX_OK, 0 },
		{ ":0100000041BE\n:0100010042BE\n:00000001FF\n", IHEX_ERR_CHECKSUM, 2 },
		{ ":0100000041BE\n0100010042BD\n", IHEX_ERR_NO_COLON, 2 },
		{ ":0100000041B\n", IHEX_ERR_ODD_LENGTH, 1 },
		{ ":01000000G1BE\n", IHEX_ERR_BAD_DIGIT, 1 },
		{ ":00000001\n", IHEX_ERR_SHORT, 1 },
		{ ":0200000041BD\n", IHEX_ERR_LENGTH, 1 },
		{ ":0100000041BE\n", IHEX_ERR_NO_EOF, 2 },
		{ ":0100000041BE\n\n:00000006FA\n", IHEX_ERR_RECORD_TYPE, 3 },
		{ ":03000004000100F8\n", IHEX_ERR_RECORD_SIZE, 1 },
		{ ":0100000041BE\n:0100000042BD\n:00000001FF\n", IHEX_ERR_OVERLAP, 2 },
		{ ":0100000041BE\n:020000041000EA\n:0100000042BD\n:00000001FF\n", IHEX_ERR_SPAN,
		  0 },
		{ ":00000001FF\n", IHEX_ERR_NO_DATA, 0 },
		{ "", IHEX_ERR_NO_EOF, 1 },
		{ ":02FFFF0041427D\n:020000040000FA\n:00000001FF\n", IHEX_OK, 0 },
		{ ":020000040000FA\n:02FFFF0041427D\n:02000004FFFFFC\n:02FFFF0041427D\n"
		  ":00000001FF\n",
		  IHEX_ERR_ADDRESS, 4 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ihex_image img;
		struct ihex_err err;
		char want[32], got[32];
		int rc = parse(cases[i].text, &img, &err);

		snprintf(got, sizeof(got), "case %zu: %s", i, rc ? ihex_err_name(err.kind) : "ok");
		snprintf(want, sizeof(want), "case %zu: %s", i, ihex_err_name(cases[i].kind));
		CHECK_STR(got, want);
		if (rc) {
			char line[32];

			CHECK_INT(err.line, cases[i].line);
			snprintf(line, sizeof(line), "line %u:", cases[i].line);
			CHECK(cases[i].line == 0 || strstr(err.msg, line));
			CHECK(img.data == NULL);
		} else {
			ihex_free(&img);
		}
	}
}

TEST(ihex_detect_by_content)
{
	CHECK(ihex_detect((const uint8_t *)"  \r\n:00", 7));
	CHECK(!ihex_detect((const uint8_t *)"\x3d\xb8\xf3\x96", 4));
	CHECK(!ihex_detect((const uint8_t *)"   ", 3));
	CHECK(!ihex_detect(NULL, 0));
}

/* The loader turns HEX into binary transparently and reports bad HEX with
 * its line. */
TEST(ihex_through_the_loader)
{
	char path[] = "/tmp/smpctl-ihex-XXXXXX", real[512];
	struct mcuboot_file f;
	struct mcuboot_err err;
	FILE *fp;
	int fd = mkstemp(path);

	if (!CHECK(fd >= 0))
		return;
	fp = fdopen(fd, "w");
	fputs(":0100000041BE\n:0100010042BC\n:0100020043BD\n:00000001FF\n", fp);
	fclose(fp);
	CHECK_INT(mcuboot_load_file(path, &f, &err), -1);
	CHECK_INT(err.kind, MCUBOOT_ERR_BAD_HEX);
	CHECK(strstr(err.msg, "line 3") != NULL);
	unlink(path);

	snprintf(real, sizeof(real), "%s/images/app_100k_ecdsa-p256.hex", unit_testdata());
	if (CHECK(mcuboot_load_file(real, &f, &err) == 0)) {
		CHECK(f.from_hex);
		CHECK_INT(f.hex_base, 0xc000);
		CHECK_INT(f.data[0], 0x3d);
		CHECK_INT(f.file_size, 283488);
		mcuboot_file_free(&f);
	}
}
