#include "tests/sim/front_pty_recovery.h"

#include <stdlib.h>
#include <string.h>
#include <cbor.h>

#include "host/cbor_tree.h"
#include "smp/header.h"
#include "tests/sim/sim_priv.h"

/* boot_serial.c's command ids. */
enum {
	NMGR_ID_ECHO = 0,
	NMGR_ID_CONS_ECHO_CTRL = 1,
	NMGR_ID_RESET = 5
};
enum {
	IMG_ID_STATE = 0,
	IMG_ID_UPLOAD = 1
};

struct rec_req {
	struct pty_recovery *r;
	struct sim_device *dev;
	uint8_t hdr[SMP_HEADER_SIZE];
	cbor_item_t *body; /* NULL when the payload is not a map */
	bool write;
	sim_emit_fn emit;
	void *ctx;
};

/* boot_serial_output: the request's header with op + 1, then the map
 * (zcbor writes indefinite-length maps). */
static void send_map(struct rec_req *q, cbor_item_t *map)
{
	uint8_t *body = NULL, *pkt;
	size_t len = 0;

	if (!map || tree_encode(map, &body, &len) != 0 || len > UINT16_MAX) {
		free(body);
		return;
	}
	pkt = malloc(SMP_HEADER_SIZE + len);
	if (pkt) {
		memcpy(pkt, q->hdr, SMP_HEADER_SIZE);
		pkt[0] = (uint8_t)(pkt[0] + 1);
		pkt[1] = 0;
		pkt[2] = (uint8_t)(len >> 8);
		pkt[3] = (uint8_t)len;
		memcpy(pkt + SMP_HEADER_SIZE, body, len);
		q->emit(q->ctx, pkt, SMP_HEADER_SIZE + len);
	}
	free(pkt);
	free(body);
}

static void send_rc(struct rec_req *q, int rc)
{
	cbor_item_t *map = cbor_new_indefinite_map();

	if (map && tree_put_int(map, "rc", rc) == 0)
		send_map(q, map);
	if (map)
		cbor_decref(&map);
}

/* bs_list: every valid image with its slot, hash and version; without
 * MCUBOOT_SERIAL_IMG_GRP_IMAGE_STATE there are no state flags. */
static void rec_list(struct rec_req *q)
{
	cbor_item_t *map = cbor_new_indefinite_map(), *arr = cbor_new_indefinite_array();
	struct sim_flash *fl = &q->dev->flash;
	int slot;

	if (!map || !arr)
		goto out;
	for (slot = 0; slot < sim_flash_slot_count(fl); slot++) {
		struct sim_image_info info;
		cbor_item_t *e;
		char ver[32];

		if (!sim_image_valid(fl, slot) || sim_image_read_info(fl, slot, &info) != 0)
			continue;
		e = cbor_new_indefinite_map();
		if (!e)
			goto out;
		sim_image_ver_str(&info.ver, ver, sizeof(ver));
		if ((fl->images > 1 && tree_put_uint(e, "image", (uint64_t)slot / 2) != 0) ||
		    tree_put_uint(e, "slot", (uint64_t)slot % 2) != 0 ||
		    tree_put_bytes(e, "hash", info.hash, sizeof(info.hash)) != 0 ||
		    tree_put_text(e, "version", ver) != 0 || !cbor_array_push(arr, e)) {
			cbor_decref(&e);
			goto out;
		}
		cbor_decref(&e);
	}
	if (tree_put_item(map, "images", arr) == 0) {
		arr = NULL;
		send_map(q, map);
	}
out:
	if (arr)
		cbor_decref(&arr);
	if (map)
		cbor_decref(&map);
}

static void rec_state(struct rec_req *q)
{
	if (q->write)
		send_rc(q, MGMT_ERR_ENOTSUP);
	else
		rec_list(q);
}

/* Writes a chunk as MCUboot does: whole flash words only, except at the
 * end of the image where the last word is padded. Returns the bytes
 * taken, or -1. */
static long write_chunk(struct pty_recovery *r, struct sim_flash *fl, int slot, const uint8_t *data,
			size_t len)
{
	size_t rem = len % RECOVERY_FLASH_ALIGN, whole = len - rem;
	uint8_t word[RECOVERY_FLASH_ALIGN];

	if (r->curr_off + len < r->img_size)
		rem = 0;
	if (whole && sim_flash_write(fl, slot, r->curr_off, data, whole) != 0)
		return -1;
	if (rem) {
		memset(word, 0xff, sizeof(word));
		memcpy(word, data + whole, rem);
		if (sim_flash_write(fl, slot, r->curr_off + whole, word, sizeof(word)) != 0)
			return -1;
	}
	return (long)(whole + rem);
}

static uint64_t sector_size(const struct sim_device *dev)
{
	return dev->cfg.sector_size ? dev->cfg.sector_size : 4096;
}

/* The bootloader writes flash in the same loop that reads the line:
 * until it is done it reads nothing (lines wait in BOOT_LINE_BUFS). */
static void busy_for_flash(struct sim_device *dev)
{
	int64_t until = sim_now_ms(dev) + sim_cost_take_ms(dev);

	if (until > dev->busy_until)
		dev->busy_until = until;
}

/* bs_upload. */
static int rec_upload_rc(struct rec_req *q)
{
	struct pty_recovery *r = q->r;
	struct sim_flash *fl = &q->dev->flash;
	uint64_t off, len = UINT64_MAX, img = UINT64_MAX;
	uint8_t *data = NULL;
	size_t data_len = 0;
	long took;
	int slot, rc;

	if (!q->body || tree_get_uint(q->body, "off", &off) != 0 ||
	    tree_get_bytes(q->body, "data", &data, &data_len) != SMP_GET_OK ||
	    tree_get_uint(q->body, "len", &len) == SMP_GET_TYPE ||
	    tree_get_uint(q->body, "image", &img) == SMP_GET_TYPE) {
		free(data);
		return MGMT_ERR_EINVAL;
	}
	if (off == 0)
		r->img_num = img == UINT64_MAX ? 0 : (uint32_t)img;
	slot = (int)(2 * r->img_num);
	rc = MGMT_ERR_EOK;
	if (r->img_num >= fl->images) {
		rc = r->img_num > fl->images ? MGMT_ERR_ENOENT : MGMT_ERR_EINVAL;
	} else if (off == 0) {
		if (len == UINT64_MAX || len > fl->slot_size || sim_flash_erase(fl, slot) != 0)
			rc = MGMT_ERR_EINVAL;
		r->curr_off = 0;
		r->img_size = len;
		/* The whole slot is erased before the first chunk is written. */
		q->dev->busy_until = sim_now_ms(q->dev) + sim_device_config(q->dev)->erase_delay_ms;
		sim_cost_erase(q->dev,
			       (fl->slot_size + sector_size(q->dev) - 1) / sector_size(q->dev));
	} else if (off != r->curr_off) {
		free(data);
		return -1; /* answered with rc 0 and the offset it wants */
	} else if (r->curr_off + data_len > r->img_size) {
		rc = MGMT_ERR_EINVAL;
	}
	if (rc == MGMT_ERR_EOK) {
		took = write_chunk(r, fl, slot, data, data_len);
		if (took < 0)
			rc = MGMT_ERR_EINVAL;
		else
			r->curr_off += (uint64_t)took;
		if (took > 0)
			sim_cost_write(q->dev, (uint64_t)took);
	}
	free(data);
	busy_for_flash(q->dev);
	return rc;
}

static void rec_upload(struct rec_req *q)
{
	int rc = q->write ? rec_upload_rc(q) : MGMT_ERR_ENOTSUP;
	cbor_item_t *map = cbor_new_indefinite_map();

	if (rc < 0)
		rc = 0;
	if (map && tree_put_int(map, "rc", rc) == 0 &&
	    (rc != 0 || tree_put_uint(map, "off", q->r->curr_off) == 0))
		send_map(q, map);
	if (map)
		cbor_decref(&map);
}

/* bs_echo (CONFIG_BOOT_MGMT_ECHO). */
static void rec_echo(struct rec_req *q)
{
	cbor_item_t *map, *d = q->body ? tree_map_get(q->body, "d") : NULL;
	char *text = NULL;

	if (!d || tree_item_text(d, &text) != 0) {
		send_rc(q, MGMT_ERR_EINVAL);
		return;
	}
	map = cbor_new_indefinite_map();
	if (map && tree_put_text(map, "r", text) == 0)
		send_map(q, map);
	if (map)
		cbor_decref(&map);
	free(text);
}

static void rec_reset(struct rec_req *q)
{
	send_rc(q, 0);
	q->r->reset_requested = true;
	sim_device_schedule_reset(q->dev);
}

static void rec_cons_echo(struct rec_req *q)
{
	send_rc(q, 0);
}

static const struct {
	uint16_t group;
	uint8_t id;
	void (*run)(struct rec_req *q);
} rec_commands[] = {
	{ SIM_GROUP_IMAGE, IMG_ID_STATE, rec_state },
	{ SIM_GROUP_IMAGE, IMG_ID_UPLOAD, rec_upload },
	{ SIM_GROUP_OS, NMGR_ID_ECHO, rec_echo },
	{ SIM_GROUP_OS, NMGR_ID_CONS_ECHO_CTRL, rec_cons_echo },
	{ SIM_GROUP_OS, NMGR_ID_RESET, rec_reset },
};

void pty_recovery_input(struct pty_recovery *r, struct sim_device *dev, const uint8_t *pkt,
			size_t len, sim_emit_fn emit, void *ctx)
{
	struct rec_req q = { .r = r, .dev = dev, .emit = emit, .ctx = ctx };
	uint8_t op;
	uint16_t group, plen;
	const char *why;
	size_t i;

	if (len < SMP_HEADER_SIZE)
		return;
	op = pkt[0] & 7;
	plen = (uint16_t)(pkt[2] << 8 | pkt[3]);
	group = (uint16_t)(pkt[4] << 8 | pkt[5]);
	if ((op != SMP_OP_READ && op != SMP_OP_WRITE) || plen < len - SMP_HEADER_SIZE)
		return;
	memcpy(q.hdr, pkt, SMP_HEADER_SIZE);
	q.write = op == SMP_OP_WRITE;
	q.body = tree_decode_map(pkt + SMP_HEADER_SIZE, len - SMP_HEADER_SIZE, &why);
	for (i = 0; i < sizeof(rec_commands) / sizeof(rec_commands[0]); i++)
		if (rec_commands[i].group == group && rec_commands[i].id == pkt[7])
			break;
	if (i < sizeof(rec_commands) / sizeof(rec_commands[0]))
		rec_commands[i].run(&q);
	else
		send_rc(&q, MGMT_ERR_ENOTSUP);
	if (q.body)
		cbor_decref(&q.body);
}
