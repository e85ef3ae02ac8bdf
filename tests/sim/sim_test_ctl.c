/* Test controls: how a test cuts a transfer at the point it chooses.
 *
 * --stall-at-byte, --die-at-byte and --reset-at-byte name an offset; the
 * first transfer request (image upload, fs upload or download) that asks
 * for it or a later one goes unanswered, and the transfer stalls (its
 * requests go unanswered until SIGUSR1, while the rest of the device
 * answers), or the device loses power or reboots. It says so on its
 * event line, and the test acts on that event instead of guessing with a
 * clock how far a transfer has come. Each control fires once.
 *
 * MCUboot's serial recovery server (front_pty_recovery.c) answers on its
 * own and is not cut by these. */
#include <cbor.h>

#include "smp/cbor_read.h"
#include "smp/header.h"
#include "tests/sim/sim_priv.h"

/* The requests that carry a transfer's "off". */
static const struct {
	uint16_t group;
	uint8_t id;
} transfers[] = {
	{ SIM_GROUP_IMAGE, 1 }, /* upload */
	{ SIM_GROUP_FS, 0 },	/* file: upload (write) and download (read) */
};

static bool is_transfer(const struct smp_header *hdr)
{
	for (size_t i = 0; i < sizeof(transfers) / sizeof(transfers[0]); i++)
		if (transfers[i].group == hdr->group && transfers[i].id == hdr->id)
			return true;
	return false;
}

/* The request's "off", or -1 when it has none a handler would take. */
static int64_t transfer_off(const struct smp_header *hdr, const uint8_t *body, size_t len)
{
	struct sim_req req = { .payload = NULL };
	struct cbor_load_result res;
	uint32_t off = 0;
	struct sim_key key = { "off", SIM_K_UINT32, &off, false };
	const char *why;
	size_t used, decoded = 0;
	int rc;

	if (!is_transfer(hdr) || !len || smp_cbor_check(body, len, &used, &why) != 0)
		return -1;
	req.payload = cbor_load(body, len, &res);
	if (!req.payload)
		return -1;
	rc = sim_decode_bulk(&req, &key, 1, &decoded);
	cbor_decref(&req.payload);
	return rc == 0 && key.found ? (int64_t)off : -1;
}

/* True once, when off reaches *at (then disarmed). */
static bool reached(int64_t *at, int64_t off)
{
	if (*at < 0 || off < *at)
		return false;
	*at = -1;
	return true;
}

bool sim_test_ctl_drop(struct sim_device *dev, const struct smp_header *hdr, const uint8_t *body,
		       size_t len)
{
	struct sim_config *cfg = &dev->cfg;
	int64_t off;

	if (dev->dead)
		return true;
	if (!dev->stalled && cfg->stall_at_byte < 0 && cfg->die_at_byte < 0 &&
	    cfg->reset_at_byte < 0)
		return false;
	off = transfer_off(hdr, body, len);
	if (off < 0)
		return false;
	if (dev->stalled)
		return true;
	if (reached(&cfg->die_at_byte, off)) {
		dev->dead = true;
		sim_event(dev, "died %lld", (long long)off);
		return true;
	}
	if (reached(&cfg->reset_at_byte, off)) {
		sim_device_reset_now(dev);
		return true;
	}
	if (reached(&cfg->stall_at_byte, off)) {
		dev->stalled = true;
		sim_event(dev, "stalled %lld", (long long)off);
		return true;
	}
	return false;
}
