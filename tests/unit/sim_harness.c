#include "tests/unit/sim_harness.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "host/cbor_tree.h"
#include "tests/unit/unit.h"

static int64_t simh_clock(void *ctx)
{
	return ((struct simh *)ctx)->now;
}

void simh_init(struct simh *h)
{
	static unsigned serial;
	int fd;

	memset(h, 0, sizeof(*h));
	sim_config_defaults(&h->cfg);
	h->cfg.clock_ms = simh_clock;
	h->cfg.clock_ctx = h;
	h->now = 1000;
	snprintf(h->path, sizeof(h->path), "/tmp/simh-%d-%u-XXXXXX", (int)getpid(), serial++);
	fd = mkstemp(h->path);
	if (fd >= 0)
		close(fd);
	unlink(h->path);
	h->cfg.flash_path = h->path;
}

bool simh_open(struct simh *h)
{
	char err[256];

	h->cfg.clock_ctx = h;
	h->dev = sim_device_open(&h->cfg, err, sizeof(err));
	if (!h->dev)
		printf("    simh_open: %s\n", err);
	return h->dev != NULL;
}

static void simh_drop_map(struct simh *h)
{
	if (h->map)
		cbor_decref(&h->map);
	h->map = NULL;
}

void simh_close(struct simh *h)
{
	simh_drop_map(h);
	sim_device_close(h->dev);
	h->dev = NULL;
}

void simh_free(struct simh *h)
{
	simh_close(h);
	unlink(h->path);
}

int simh_raw(struct simh *h, const uint8_t *pkt, size_t len)
{
	struct cbor_load_result res;

	simh_drop_map(h);
	memset(&h->hdr, 0, sizeof(h->hdr));
	h->rsp_len = sim_handle_packet(h->dev, pkt, len, h->rsp, sizeof(h->rsp));
	h->count = 0;
	for (size_t off = 0; off + SMP_HEADER_SIZE <= h->rsp_len; h->count++) {
		struct smp_header hd;

		smp_header_decode(h->rsp + off, h->rsp_len - off, &hd);
		off += SMP_HEADER_SIZE + hd.len;
	}
	if (h->rsp_len >= SMP_HEADER_SIZE) {
		smp_header_decode(h->rsp, h->rsp_len, &h->hdr);
		if (h->hdr.len)
			h->map = cbor_load(h->rsp + SMP_HEADER_SIZE, h->hdr.len, &res);
	}
	return h->count;
}

int simh_req(struct simh *h, uint8_t version, uint8_t op, uint16_t group, uint8_t id,
	     cbor_item_t *item)
{
	struct smp_header hdr = {
		.version = version, .op = op, .group = group, .seq = 42, .id = id
	};
	uint8_t *payload = NULL, *pkt;
	size_t n = 0;
	int rc;

	if (item) {
		tree_encode(item, &payload, &n);
		cbor_decref(&item);
	}
	pkt = malloc(SMP_HEADER_SIZE + n);
	hdr.len = (uint16_t)n;
	smp_header_encode(&hdr, pkt);
	if (n)
		memcpy(pkt + SMP_HEADER_SIZE, payload, n);
	rc = simh_raw(h, pkt, SMP_HEADER_SIZE + n);
	free(pkt);
	free(payload);
	return rc;
}

size_t simh_build(uint8_t seq, uint8_t op, uint16_t group, uint8_t id, cbor_item_t *item,
		  uint8_t *out, size_t cap)
{
	struct smp_header hdr = { .version = 1, .op = op, .group = group, .seq = seq, .id = id };
	uint8_t *payload = NULL;
	size_t n = 0;

	if (item) {
		tree_encode(item, &payload, &n);
		cbor_decref(&item);
	}
	if (SMP_HEADER_SIZE + n > cap || n > UINT16_MAX) {
		free(payload);
		return 0;
	}
	hdr.len = (uint16_t)n;
	smp_header_encode(&hdr, out);
	if (n)
		memcpy(out + SMP_HEADER_SIZE, payload, n);
	free(payload);
	return SMP_HEADER_SIZE + n;
}

size_t simh_echo(uint8_t seq, size_t n, uint8_t *out, size_t cap)
{
	char *text = malloc(n + 1);
	size_t len;

	if (!text)
		return 0;
	memset(text, 'x', n);
	text[n] = 0;
	len = simh_build(seq, SMP_OP_WRITE, 0, 0, simh_map("d", cbor_build_string(text), NULL), out,
			 cap);
	free(text);
	return len;
}

cbor_item_t *simh_map(const char *key, ...)
{
	cbor_item_t *map = cbor_new_definite_map(16);
	va_list ap;

	va_start(ap, key);
	for (const char *k = key; k; k = va_arg(ap, const char *)) {
		cbor_item_t *v = va_arg(ap, cbor_item_t *);

		tree_put_item(map, k, v);
	}
	va_end(ap);
	return map;
}

static int64_t item_int(const cbor_item_t *v)
{
	int64_t i;
	bool b;

	if (!v)
		return -1;
	if (tree_item_bool(v, &b) == SMP_GET_OK)
		return b;
	return tree_item_int(v, &i) == 0 ? i : -1;
}

int64_t simh_int(const struct simh *h, const char *key)
{
	return h->map ? item_int(tree_map_get(h->map, key)) : -1;
}

int64_t simh_err_rc(const struct simh *h)
{
	cbor_item_t *err = h->map ? tree_map_get(h->map, "err") : NULL;

	return err ? item_int(tree_map_get(err, "rc")) : -1;
}

int64_t simh_err_group(const struct simh *h)
{
	cbor_item_t *err = h->map ? tree_map_get(h->map, "err") : NULL;

	return err ? item_int(tree_map_get(err, "group")) : -1;
}

size_t simh_image_count(const struct simh *h)
{
	cbor_item_t *list = h->map ? tree_map_get(h->map, "images") : NULL;

	return list && cbor_isa_array(list) ? cbor_array_size(list) : 0;
}

static cbor_item_t *image_entry(const struct simh *h, int image, int slot)
{
	cbor_item_t *list = h->map ? tree_map_get(h->map, "images") : NULL;

	for (size_t i = 0; list && i < cbor_array_size(list); i++) {
		cbor_item_t *e = cbor_array_handle(list)[i];
		int64_t img = item_int(tree_map_get(e, "image"));

		if ((img < 0 ? 0 : img) == image && item_int(tree_map_get(e, "slot")) == slot)
			return e;
	}
	return NULL;
}

int64_t simh_image_field(const struct simh *h, int image, int slot, const char *key)
{
	cbor_item_t *e = image_entry(h, image, slot);

	return e ? item_int(tree_map_get(e, key)) : -1;
}

const uint8_t *simh_image_hash(const struct simh *h, int image, int slot)
{
	cbor_item_t *e = image_entry(h, image, slot);
	cbor_item_t *hash = e ? tree_map_get(e, "hash") : NULL;

	if (!hash || !cbor_isa_bytestring(hash) || cbor_bytestring_length(hash) != 32)
		return NULL;
	return cbor_bytestring_handle(hash);
}

void simh_advance(struct simh *h, int64_t ms)
{
	h->now += ms;
}

int simh_reset(struct simh *h)
{
	int n = simh_req(h, 1, SMP_OP_WRITE, 0, 5, NULL);

	simh_advance(h, h->cfg.reset_delay_ms + h->cfg.reset_offline_ms + 1);
	return n;
}

uint8_t *simh_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

int64_t simh_upload(struct simh *h, const uint8_t *img, size_t len, size_t chunk)
{
	uint8_t sha[32];
	size_t off = 0;
	int64_t got = -1;

	EVP_Digest(img, len, sha, NULL, EVP_sha256(), NULL);
	while (off < len) {
		size_t n = len - off < chunk ? len - off : chunk;
		cbor_item_t *m = off == 0 ? simh_map("off", cbor_build_uint8(0), "data",
						     cbor_build_bytestring(img, n), "len",
						     tree_uint(len), "sha",
						     cbor_build_bytestring(sha, 32), NULL)
					  : simh_map("off", tree_uint(off), "data",
						     cbor_build_bytestring(img + off, n), NULL);

		simh_req(h, 1, SMP_OP_WRITE, 1, 1, m);
		got = simh_int(h, "off");
		if (got < 0 || (size_t)got <= off)
			return -1;
		off = (size_t)got;
	}
	return got;
}

const char *simh_image_path(const char *name)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/images/%s", unit_testdata(), name);
	return path;
}
