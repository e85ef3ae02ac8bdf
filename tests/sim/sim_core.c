/* The simulated device's SMP layer: header handling, dispatch to groups,
 * error answers and protocol versions, after Zephyr's smp.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smp/cbor_read.h"
#include "host/cbor_tree.h"
#include "smp/clock.h"
#include "smp/header.h"
#include "tests/sim/sim_priv.h"

static const struct sim_group *const sim_groups[] = {
	&sim_os_group, &sim_img_group,	 &sim_stat_group, &sim_settings_group,
	&sim_fs_group, &sim_shell_group, &sim_enum_group, &sim_basic_group,
};

void sim_config_defaults(struct sim_config *cfg)
{
	*cfg = (struct sim_config){
		.slot_size = 0x110000,
		.images = 1,
		/* smp_svr with the UDP transport: NETBUF_SIZE 2048, COUNT 2. */
		.buf_size = 2048,
		.buf_count = 2,
		.allow_erase_pending = true, /* Zephyr's default: y */
		.boot_mode = SIM_BOOT_SWAP_SCRATCH,
		.reset_delay_ms = 250,
		.reset_offline_ms = 300,
		.sector_size = 4096,
		.stall_at_byte = -1,
		.die_at_byte = -1,
		.reset_at_byte = -1,
	};
}

void sim_event(const struct sim_device *dev, const char *fmt, ...)
{
	char line[128];
	va_list ap;
	int n;

	if (!dev->cfg.event)
		return;
	n = snprintf(line, sizeof(line), "event ");
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	dev->cfg.event(dev->cfg.event_ctx, line);
}

int64_t sim_now_ms(const struct sim_device *dev)
{
	if (dev->cfg.clock_ms)
		return dev->cfg.clock_ms(dev->cfg.clock_ctx);
	return smp_clock_ms();
}

static void sim_boot(struct sim_device *dev)
{
	sim_wq_reset(dev);
	sim_upload_reset(dev);
	sim_boot_run_mcuboot(dev);
	dev->boots++;
	dev->online_untold = true;
}

/* A scheduled reset takes effect lazily, whenever the device is asked;
 * so does the end of the silence after it, which is said once. */
static void sim_update(struct sim_device *dev)
{
	int64_t now = sim_now_ms(dev);

	if (dev->reset_at && now >= dev->reset_at) {
		dev->offline_until = dev->reset_at + dev->cfg.reset_offline_ms;
		dev->reset_at = 0;
		dev->busy_until = 0;
		sim_boot(dev);
	}
	if (dev->online_untold && now >= dev->offline_until) {
		dev->online_untold = false;
		sim_event(dev, "online %u", dev->boots);
	}
}

void sim_device_schedule_reset(struct sim_device *dev)
{
	if (!dev->reset_at) {
		dev->reset_at = sim_now_ms(dev) + dev->cfg.reset_delay_ms;
		sim_event(dev, "reset %u", dev->boots);
	}
}

void sim_device_reset_now(struct sim_device *dev)
{
	dev->reset_at = sim_now_ms(dev);
	sim_event(dev, "reset %u", dev->boots);
	sim_update(dev);
}

void sim_device_release(struct sim_device *dev)
{
	int64_t now = sim_now_ms(dev);

	sim_update(dev);
	if (dev->stalled) {
		dev->stalled = false;
		sim_event(dev, "released");
	}
	if (dev->offline_until > now)
		dev->offline_until = now;
	sim_update(dev);
}

bool sim_device_dead(const struct sim_device *dev)
{
	return dev->dead;
}

bool sim_device_offline(struct sim_device *dev)
{
	sim_update(dev);
	return sim_now_ms(dev) < dev->offline_until;
}

int64_t sim_device_busy_until(const struct sim_device *dev)
{
	return dev->busy_until;
}

int sim_device_next_event_ms(struct sim_device *dev)
{
	int64_t now = sim_now_ms(dev), when = 0;

	sim_update(dev);
	if (dev->reset_at)
		when = dev->reset_at;
	else if (dev->offline_until > now)
		when = dev->offline_until;
	if (!when)
		return -1;
	return when > now ? (int)(when - now) : 0;
}

const struct sim_config *sim_device_config(const struct sim_device *dev)
{
	return &dev->cfg;
}

unsigned sim_device_boot_count(const struct sim_device *dev)
{
	return dev->boots;
}

struct sim_device *sim_device_open(const struct sim_config *cfg, char *err, size_t errlen)
{
	struct sim_device *dev = calloc(1, sizeof(*dev));

	if (!dev) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	dev->cfg = *cfg;
	if (sim_flash_open(&dev->flash, cfg, err, errlen) != 0) {
		free(dev);
		return NULL;
	}
	sim_boot(dev);
	return dev;
}

void sim_device_close(struct sim_device *dev)
{
	if (!dev)
		return;
	sim_wq_reset(dev);
	sim_flash_close(&dev->flash);
	free(dev);
}

/* ---- CBOR helpers ---------------------------------------------------- */

cbor_item_t *sim_cbor_text(const char *s)
{
	return cbor_build_string(s);
}

cbor_item_t *sim_cbor_bytes(const uint8_t *p, size_t len)
{
	return cbor_build_bytestring(p, len);
}

cbor_item_t *sim_cbor_bool(bool v)
{
	return cbor_build_bool(v);
}

int sim_rsp_put(struct sim_req *req, const char *key, cbor_item_t *value)
{
	return tree_put_item(req->rsp, key, value);
}

int sim_add_cmd_err(struct sim_req *req, uint16_t group, uint16_t rc)
{
	cbor_item_t *err;

	if (rc == 0)
		return MGMT_ERR_EOK;
	req->err_group = group;
	req->err_rc = rc;
	err = cbor_new_indefinite_map();
	if (!err || tree_put_uint(err, "group", group) || tree_put_uint(err, "rc", rc)) {
		if (err)
			cbor_decref(&err);
		return MGMT_ERR_ENOMEM;
	}
	return sim_rsp_put(req, "err", err) ? MGMT_ERR_ENOMEM : MGMT_ERR_EOK;
}

/* zcbor decodes definite strings only. */
static bool sim_key_value(const struct sim_key *k, cbor_item_t *v)
{
	switch (k->type) {
	case SIM_K_UINT32:
		if (!cbor_isa_uint(v) || cbor_get_int(v) > UINT32_MAX)
			return false;
		*(uint32_t *)k->out = (uint32_t)cbor_get_int(v);
		return true;
	case SIM_K_BOOL:
		return tree_item_bool(v, (bool *)k->out) == SMP_GET_OK;
	case SIM_K_TSTR:
		if (!cbor_isa_string(v) || !cbor_string_is_definite(v))
			return false;
		((struct sim_str *)k->out)->ptr = cbor_string_handle(v);
		((struct sim_str *)k->out)->len = cbor_string_length(v);
		return true;
	case SIM_K_BSTR:
		if (!cbor_isa_bytestring(v) || !cbor_bytestring_is_definite(v))
			return false;
		((struct sim_str *)k->out)->ptr = cbor_bytestring_handle(v);
		((struct sim_str *)k->out)->len = cbor_bytestring_length(v);
		return true;
	}
	return false;
}

static struct sim_key *sim_key_find(struct sim_key *keys, size_t n, cbor_item_t *key)
{
	for (size_t i = 0; i < n; i++)
		if (tree_text_eq(key, keys[i].key) && cbor_string_is_definite(key))
			return &keys[i];
	return NULL;
}

int sim_decode_bulk(const struct sim_req *req, struct sim_key *keys, size_t n, size_t *decoded)
{
	cbor_item_t *map = req->payload;
	struct cbor_pair *pairs;

	*decoded = 0;
	if (!map || !cbor_isa_map(map))
		return -1;
	pairs = cbor_map_handle(map);
	for (size_t i = 0; i < cbor_map_size(map); i++) {
		struct sim_key *k;

		if (!cbor_isa_string(pairs[i].key) || !cbor_string_is_definite(pairs[i].key))
			return -1;
		k = sim_key_find(keys, n, pairs[i].key);
		if (!k)
			continue;
		if (k->found || !sim_key_value(k, pairs[i].value))
			return -1;
		k->found = true;
		(*decoded)++;
	}
	return 0;
}

/* ---- SMP layer ------------------------------------------------------- */

static const struct sim_group *sim_find_group(const struct sim_device *dev, uint16_t id)
{
	if (id < 64 && (dev->cfg.disabled_groups & (1ull << id)))
		return NULL;
	for (size_t i = 0; i < sizeof(sim_groups) / sizeof(sim_groups[0]); i++)
		if (sim_groups[i]->id == id)
			return sim_groups[i];
	return NULL;
}

size_t sim_group_list(const struct sim_device *dev, const struct sim_group **out, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < sizeof(sim_groups) / sizeof(sim_groups[0]); i++)
		if (sim_find_group(dev, sim_groups[i]->id) == sim_groups[i] && n++ < cap)
			out[n - 1] = sim_groups[i];
	return n;
}

static sim_handler_fn sim_find_handler(const struct sim_device *dev, const struct smp_header *hdr)
{
	const struct sim_group *g = sim_find_group(dev, hdr->group);

	if (!g || hdr->id >= g->count)
		return NULL;
	return hdr->op == SMP_OP_READ ? g->handlers[hdr->id].read : g->handlers[hdr->id].write;
}

static int sim_translate(const struct sim_device *dev, uint16_t group, uint16_t err)
{
	const struct sim_group *g = sim_find_group(dev, group);

	return g && g->translate ? g->translate(err) : MGMT_ERR_EUNKNOWN;
}

/* The answer's header mirrors the request's, version capped at 2; an old
 * (v1-only) server has no version bits at all. */
static void sim_rsp_hdr(const struct sim_device *dev, const struct smp_header *req, size_t len,
			uint8_t out[SMP_HEADER_SIZE])
{
	struct smp_header rsp = *req;

	rsp.op = req->op == SMP_OP_READ ? SMP_OP_READ_RSP : SMP_OP_WRITE_RSP;
	rsp.flags = 0;
	rsp.len = (uint16_t)len;
	if (dev->cfg.v1_only)
		rsp.version = 0;
	else if (rsp.version > 2)
		rsp.version = 2;
	smp_header_encode(&rsp, out);
}

struct sim_out {
	sim_emit_fn emit;
	void *ctx;
	int count;
};

/* Serialises map behind a header and sends it. Returns 0, or an MGMT_ERR
 * code when it does not fit in one of the device's buffers. */
static int sim_send_map(struct sim_device *dev, const struct smp_header *hdr, cbor_item_t *map,
			struct sim_out *out)
{
	uint8_t *payload = NULL, *pkt;
	size_t n;

	if (tree_encode(map, &payload, &n) != 0)
		return MGMT_ERR_ENOMEM;
	if (n + SMP_HEADER_SIZE > dev->cfg.buf_size) {
		free(payload);
		return MGMT_ERR_EMSGSIZE;
	}
	pkt = malloc(n + SMP_HEADER_SIZE);
	if (!pkt) {
		free(payload);
		return MGMT_ERR_ENOMEM;
	}
	sim_rsp_hdr(dev, hdr, n, pkt);
	memcpy(pkt + SMP_HEADER_SIZE, payload, n);
	out->emit(out->ctx, pkt, n + SMP_HEADER_SIZE);
	out->count++;
	free(pkt);
	free(payload);
	return 0;
}

static void sim_send_err(struct sim_device *dev, const struct smp_header *hdr, int rc,
			 const char *rsn, struct sim_out *out)
{
	cbor_item_t *map = cbor_new_indefinite_map();

	if (!map)
		return;
	if (tree_put_int(map, "rc", rc) == 0 &&
	    (!dev->cfg.verbose_err || !rsn || tree_put_text(map, "rsn", rsn) == 0))
		(void)sim_send_map(dev, hdr, map, out);
	cbor_decref(&map);
}

/* smp_handle_single_req: returns 0 when an answer went out, else the
 * MGMT_ERR code for an error answer (*rsn may explain it). */
static int sim_handle_one(struct sim_device *dev, const struct smp_header *hdr, const uint8_t *body,
			  size_t body_len, struct sim_out *out, const char **rsn)
{
	struct sim_req req = { .dev = dev,
			       .version = dev->cfg.v1_only ? 0 : hdr->version,
			       .op = hdr->op,
			       .group = hdr->group,
			       .id = hdr->id };
	struct cbor_load_result res;
	const char *why;
	size_t used;
	sim_handler_fn fn;
	int rc;

	/* smp_alloc_rsp() failed: the handler never runs (sim_wq.c). */
	if (dev->wq.no_rsp_buf)
		return MGMT_ERR_ENOMEM;
	if (req.version > 1)
		return MGMT_ERR_UNSUPPORTED_TOO_NEW;
	fn = sim_find_handler(dev, hdr);
	if (!fn)
		return MGMT_ERR_ENOTSUP;
	/* Zephyr's decoder reads from the payload to the end of the packet. */
	req.payload = body_len && smp_cbor_check(body, body_len, &used, &why) == 0
			      ? cbor_load(body, body_len, &res)
			      : NULL;
	req.rsp = cbor_new_indefinite_map();
	rc = req.rsp ? fn(&req) : MGMT_ERR_ENOMEM;
	if (rc == 0 && req.err_rc && req.version == 0) {
		rc = sim_translate(dev, req.err_group, req.err_rc);
		*rsn = req.rsn;
	} else if (rc != 0) {
		*rsn = req.rsn;
	} else {
		rc = sim_send_map(dev, hdr, req.rsp, out);
	}
	if (req.payload)
		cbor_decref(&req.payload);
	if (req.rsp)
		cbor_decref(&req.rsp);
	return rc;
}

int sim_process(struct sim_device *dev, const uint8_t *req, size_t len, sim_emit_fn emit, void *ctx)
{
	struct sim_out out = { emit, ctx, 0 };
	struct smp_header hdr;
	const char *rsn = NULL;
	int rc = 0;

	if (sim_device_offline(dev))
		return 0;
	/* A packet larger than one buffer never reaches the SMP layer. */
	if (len > dev->cfg.buf_size)
		return 0;
	while (len > 0) {
		if (len < SMP_HEADER_SIZE)
			return out.count; /* ECORRUPT without a header: silence */
		smp_header_decode(req, SMP_HEADER_SIZE, &hdr);
		req += SMP_HEADER_SIZE;
		len -= SMP_HEADER_SIZE;
		if (len < hdr.len) {
			rc = MGMT_ERR_ECORRUPT;
			break;
		}
		if (hdr.op != SMP_OP_READ && hdr.op != SMP_OP_WRITE) {
			rc = MGMT_ERR_ENOTSUP;
			break;
		}
		if (sim_test_ctl_drop(dev, &hdr, req, hdr.len))
			return out.count;
		rc = sim_handle_one(dev, &hdr, req, len, &out, &rsn);
		if (rc != 0)
			break;
		req += hdr.len;
		len -= hdr.len;
	}
	if (rc != 0)
		sim_send_err(dev, &hdr, rc, rsn, &out);
	return out.count;
}

struct sim_copy {
	uint8_t *buf;
	size_t cap, len;
};

static void sim_copy_emit(void *ctx, const uint8_t *pkt, size_t len)
{
	struct sim_copy *c = ctx;

	if (c->cap - c->len < len)
		return;
	memcpy(c->buf + c->len, pkt, len);
	c->len += len;
}

size_t sim_handle_packet(struct sim_device *dev, const uint8_t *req, size_t len, uint8_t *rsp,
			 size_t cap)
{
	struct sim_copy c = { rsp, cap, 0 };

	sim_process(dev, req, len, sim_copy_emit, &c);
	return c.len;
}
