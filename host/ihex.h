/* Intel HEX to binary: what imgtool writes with --hex-addr (and what
 * west/nRF builds produce as *.signed.hex). Records 00 data, 01 EOF,
 * 02 extended segment address, 03 start segment address, 04 extended
 * linear address, 05 start linear address. The binary runs from the lowest
 * address written to the highest; gaps read as erased flash (0xFF). */
#ifndef HOST_IHEX_H
#define HOST_IHEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Larger spans are refused: a stray record far away would otherwise ask
 * for gigabytes of 0xFF filler. */
#define IHEX_MAX_SPAN (64u * 1024 * 1024)

struct ihex_image {
	uint8_t *data; /* malloc'd, len bytes; free with ihex_free */
	size_t len;
	uint32_t base_addr;  /* address of data[0] */
	bool has_start;	     /* a 03 or 05 record was present */
	uint32_t start_addr; /* 05: EIP; 03: CS << 16 | IP */
};

enum ihex_err_kind {
	IHEX_OK = 0,
	IHEX_ERR_NO_COLON,   /* a line does not start with ':' */
	IHEX_ERR_BAD_DIGIT,  /* a character that is not a hex digit */
	IHEX_ERR_ODD_LENGTH, /* odd number of hex digits */
	IHEX_ERR_SHORT,	     /* fewer than the 5 bytes every record has */
	IHEX_ERR_LENGTH,     /* byte count disagrees with the line */
	IHEX_ERR_CHECKSUM,
	IHEX_ERR_RECORD_TYPE, /* a type other than 00-05 */
	IHEX_ERR_RECORD_SIZE, /* e.g. an 04 record that is not 2 bytes */
	IHEX_ERR_ADDRESS,     /* data past 4 GiB */
	IHEX_ERR_OVERLAP,     /* two records give one address different values */
	IHEX_ERR_SPAN,	      /* lowest to highest address over IHEX_MAX_SPAN */
	IHEX_ERR_NO_EOF,
	IHEX_ERR_NO_DATA, /* well formed, but not one data byte */
	IHEX_ERR_NOMEM,
};

struct ihex_err {
	enum ihex_err_kind kind;
	unsigned line; /* 1-based; 0 when not about one line */
	char msg[160]; /* "line 12: checksum 0x3f, expected 0x40" */
};

/* Parses len bytes of Intel HEX text. On success fills *out (to be freed
 * with ihex_free) and returns 0; on failure returns -1 with *err set and
 * *out empty. */
int ihex_parse(const char *text, size_t len, struct ihex_image *out, struct ihex_err *err);
void ihex_free(struct ihex_image *img);

/* True when buf looks like Intel HEX: its first non-blank byte is ':'. An
 * MCUboot image starts with 0x3d, never ':' (0x3a). */
bool ihex_detect(const uint8_t *buf, size_t len);

const char *ihex_err_name(enum ihex_err_kind kind);

#endif
