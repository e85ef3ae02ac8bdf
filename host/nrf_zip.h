/* nRF Connect SDK update bundles (dfu_application.zip): a zip holding
 * manifest.json and one signed MCUboot image per core. The manifest's
 * "files" entries name each image's "file" and "image_index" (0 application
 * core, 1 nRF5340 network core), with board, slots, size and version.
 * Both layouts are read: sysbuild (format-version 1, e.g.
 * smp_testapp.signed.bin + ipc_radio.bin) and the older child-image one
 * (format-version 0, app_update.bin + net_core_app_update.bin).
 *
 * NCS's scripts/bootloader/generate_zip.py writes the entries uncompressed
 * (Python's ZipFile default, ZIP_STORED); a bundle re-zipped by hand is
 * often deflate-compressed. Both are read through libzip, CRC-32 checked,
 * within the limits below (zip bombs: see nrf_zip.c). */
#ifndef HOST_NRF_ZIP_H
#define HOST_NRF_ZIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host/mcuboot.h"

#define NRF_ZIP_MAX_IMAGES 8

/* Limits on what a bundle may hold (nrf_zip.c says why). A slot of any
 * nRF device is a few MiB; these leave room and stop a zip bomb. */
#define NRF_ZIP_MAX_ENTRIES 64		      /* entries in the archive */
#define NRF_ZIP_MAX_ENTRY_SIZE (32u << 20)    /* one image, decompressed */
#define NRF_ZIP_MAX_TOTAL_SIZE (64u << 20)    /* everything read, decompressed */
#define NRF_ZIP_MAX_MANIFEST_SIZE (64u << 10) /* manifest.json */
#define NRF_ZIP_MAX_NAME 127		      /* entry name bytes */

struct nrf_zip_image {
	char file[128];	  /* entry name in the zip */
	int image_index;  /* 0 app core, 1 net core */
	char board[64];	  /* "" if the manifest has none */
	char version[32]; /* manifest's version_MCUBOOT or version; "" if none */
	bool has_load_address;
	uint32_t load_address;
	int slot_primary; /* slot_index_primary, -1 if absent */
	int slot_secondary;
	const uint8_t *data; /* the entry's bytes (decompressed), owned by the bundle */
	size_t len;
	void *owned; /* what nrf_zip_free() frees: data */
};

struct nrf_zip_bundle {
	uint8_t *zip; /* the whole file, malloc'd */
	size_t zip_len;
	int format_version;
	char name[64]; /* manifest's "name"; "" if none */
	size_t nimages;
	struct nrf_zip_image images[NRF_ZIP_MAX_IMAGES];
};

/* True if buf starts like a zip file ("PK\3\4"). */
bool nrf_zip_detect(const uint8_t *buf, size_t len);

/* Reads a bundle from zip bytes; takes ownership of zip (malloc'd) on
 * success and on failure. Returns 0, or -1 with err (BAD_BUNDLE with the
 * reason, NOMEM). Images are listed in manifest order. */
int nrf_zip_parse(uint8_t *zip, size_t len, struct nrf_zip_bundle *b, struct mcuboot_err *err);
/* Reads path and parses it (errors: IO, NOMEM, BAD_BUNDLE). */
int nrf_zip_load_file(const char *path, struct nrf_zip_bundle *b, struct mcuboot_err *err);
void nrf_zip_free(struct nrf_zip_bundle *b);

/* The image for image_index, or NULL. */
const struct nrf_zip_image *nrf_zip_find(const struct nrf_zip_bundle *b, int image_index);

#endif
