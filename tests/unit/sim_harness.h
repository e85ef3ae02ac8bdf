/* Drives the simulated device directly (no transport) for unit tests. */
#ifndef SIM_HARNESS_H
#define SIM_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cbor.h>

#include "smp/header.h"
#include "tests/sim/sim.h"

struct simh {
	struct sim_config cfg;
	struct sim_device *dev;
	int64_t now; /* the device's fake clock */
	char path[64];
	uint8_t rsp[8192];
	size_t rsp_len;	       /* all answers to the last packet */
	int count;	       /* number of answers */
	struct smp_header hdr; /* first answer's header */
	cbor_item_t *map;      /* first answer's payload, or NULL */
};

/* Default configuration with a fake clock and a fresh flash file. */
void simh_init(struct simh *h);
/* Opens the device; returns false (and prints why) on failure. */
bool simh_open(struct simh *h);
/* Closes the device, keeping the flash file (simulator restart). */
void simh_close(struct simh *h);
/* Closes and removes the flash file. */
void simh_free(struct simh *h);

/* Sends one raw packet; fills rsp, count, hdr and map. */
int simh_raw(struct simh *h, const uint8_t *pkt, size_t len);
/* Sends one request whose payload is item serialised (definite form) or
 * empty when item is NULL. Takes ownership of item. */
int simh_req(struct simh *h, uint8_t version, uint8_t op, uint16_t group, uint8_t id,
	     cbor_item_t *item);

/* Builds one request packet (definite-form payload, or none when item is
 * NULL) into out; takes ownership of item. Returns its length, 0 when it
 * does not fit. */
size_t simh_build(uint8_t seq, uint8_t op, uint16_t group, uint8_t id, cbor_item_t *item,
		  uint8_t *out, size_t cap);
/* An os echo request ({"d": n times 'x'}) with that seq. */
size_t simh_echo(uint8_t seq, size_t n, uint8_t *out, size_t cap);

/* Builds a definite map from pairs: keys are C strings, values items;
 * ends with NULL. Takes ownership of the values. */
cbor_item_t *simh_map(const char *key, ...);

/* Accessors on the last answer's map; -1 / NULL when absent. */
int64_t simh_int(const struct simh *h, const char *key);
/* "err" → rc and group, or -1. */
int64_t simh_err_rc(const struct simh *h);
int64_t simh_err_group(const struct simh *h);
/* images[i].key as int (bool → 0/1), or -1 when absent. */
int64_t simh_image_field(const struct simh *h, int image, int slot, const char *key);
/* images[] entry hash (32 bytes) of the given slot, or NULL. */
const uint8_t *simh_image_hash(const struct simh *h, int image, int slot);
size_t simh_image_count(const struct simh *h);

/* Advances the fake clock. */
void simh_advance(struct simh *h, int64_t ms);
/* Reset command, then waits out the reboot. Returns the reset answer count. */
int simh_reset(struct simh *h);

/* Reads a whole file; malloc'd. */
uint8_t *simh_read_file(const char *path, size_t *len);
/* Uploads an image in chunks of chunk bytes (first chunk with len/sha).
 * Returns the last answer's "off", or -1 on an error answer. */
int64_t simh_upload(struct simh *h, const uint8_t *img, size_t len, size_t chunk);
/* Path of a test image in the shared test data. */
const char *simh_image_path(const char *name);

#endif
