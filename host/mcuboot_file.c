/* Image files from disk: a raw .bin as is, Intel HEX (recognised by its
 * leading ':') turned into the binary it describes. */
#include "host/mcuboot.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "host/ihex.h"
#include "host/mcuboot_priv.h"

/* Far above any MCU slot; a bigger file is certainly not an image. */
#define MAX_FILE_SIZE (512u * 1024 * 1024)

int mcuboot_read_file(const char *path, uint8_t **data, size_t *len, struct mcuboot_err *err)
{
	struct stat st;
	FILE *f = fopen(path, "rb");
	int rc = -1;

	*data = NULL;
	*len = 0;
	if (!f)
		return mcuboot_fail(err, MCUBOOT_ERR_IO, "cannot open: %s", strerror(errno));
	if (fstat(fileno(f), &st) != 0) {
		mcuboot_fail(err, MCUBOOT_ERR_IO, "cannot stat: %s", strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		mcuboot_fail(err, MCUBOOT_ERR_IO, "is a directory");
		goto out;
	}
	if (st.st_size > (off_t)MAX_FILE_SIZE) {
		mcuboot_fail(err, MCUBOOT_ERR_IO, "%lld bytes: too large for an image",
			     (long long)st.st_size);
		goto out;
	}
	/* One byte more than the size, to see a file that grew meanwhile. */
	*data = malloc((size_t)st.st_size + 1);
	if (!*data) {
		mcuboot_fail(err, MCUBOOT_ERR_NOMEM, "out of memory for %lld bytes",
			     (long long)st.st_size);
		goto out;
	}
	*len = fread(*data, 1, (size_t)st.st_size + 1, f);
	if (ferror(f)) {
		mcuboot_fail(err, MCUBOOT_ERR_IO, "read error: %s", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	fclose(f);
	if (rc) {
		free(*data);
		*data = NULL;
		*len = 0;
	}
	return rc;
}

static int from_hex(struct mcuboot_file *f, uint8_t *text, struct mcuboot_err *err)
{
	struct ihex_image hex;
	struct ihex_err herr;

	if (ihex_parse((const char *)text, f->file_size, &hex, &herr))
		return mcuboot_fail(err,
				    herr.kind == IHEX_ERR_NOMEM ? MCUBOOT_ERR_NOMEM
								: MCUBOOT_ERR_BAD_HEX,
				    "%s", herr.msg);
	f->data = hex.data;
	f->len = hex.len;
	f->from_hex = true;
	f->hex_base = hex.base_addr;
	return 0;
}

int mcuboot_load_file(const char *path, struct mcuboot_file *f, struct mcuboot_err *err)
{
	uint8_t *raw;
	size_t len;

	memset(f, 0, sizeof(*f));
	memset(err, 0, sizeof(*err));
	if (mcuboot_read_file(path, &raw, &len, err))
		return -1;
	f->file_size = len;
	if (mcuboot_sha256(raw, len, f->file_sha256)) {
		free(raw);
		return mcuboot_fail(err, MCUBOOT_ERR_CRYPTO, "cannot compute SHA-256");
	}
	if (!ihex_detect(raw, len)) {
		f->data = raw;
		f->len = len;
		return 0;
	}
	/* Bad HEX keeps file_size and file_sha256 for the report. */
	f->from_hex = true;
	if (from_hex(f, raw, err)) {
		free(raw);
		return -1;
	}
	free(raw);
	return 0;
}

void mcuboot_file_free(struct mcuboot_file *f)
{
	free(f->data);
	memset(f, 0, sizeof(*f));
}
