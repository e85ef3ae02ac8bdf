#include "smp/dfu.h"

#include <string.h>

#include "smp/clock.h"
#include "smp/fmt.h"
#include "smp/grp_img.h"

/* A device that gives no parameters is assumed to have MCUboot serial
 * recovery's smallest buffer (MCUBOOT_SERIAL_MAX_RECEIVE_SIZE's floor). */
#define NO_PARAMS_BUFFER 384
#define DEFAULT_WAIT_MS 60000
/* The first chunk waits for the slot erase: 1 MiB on an nRF52840 takes
 * 20 s and more (CONFIG_IMG_ERASE_PROGRESSIVELY off). */
#define FIRST_CHUNK_TIMEOUT_MS 30000
/* While MCUboot swaps, the device is silent: ask every 2 s. */
#define BOOT_POLL_MS 2000
/* Zephyr answers the reset, then resets CONFIG_MCUMGR_GRP_OS_RESET_MS
 * (default 250) later: until then the old image still answers. */
#define RESET_SETTLE_MS 1000

const char *smp_dfu_phase_name(enum smp_dfu_phase phase)
{
	static const char *const names[] = {
		[SMP_DFU_PARAMS] = "params",   [SMP_DFU_STATE] = "image list",
		[SMP_DFU_UPLOAD] = "upload",   [SMP_DFU_TEST] = "test",
		[SMP_DFU_RESET] = "reset",     [SMP_DFU_RECONNECT] = "reconnect",
		[SMP_DFU_CONFIRM] = "confirm", [SMP_DFU_DONE] = "done",
	};

	return (unsigned)phase <= SMP_DFU_DONE ? names[phase] : "?";
}

static void finish(struct smp_dfu *d, int result)
{
	if (!d->busy)
		return;
	d->busy = false;
	d->result = result;
	d->phase = SMP_DFU_DONE;
	smp_cancel_all(d->e);
	if (d->cfg.progress)
		d->cfg.progress(d->cfg.arg, SMP_DFU_DONE, d->ur.offset, d->cfg.image_len);
	if (d->cfg.done)
		d->cfg.done(d->cfg.arg, result, d->detail);
}

static void fail(struct smp_dfu *d, int result, const char *what, const char *why)
{
	smp_fmt(d->detail, sizeof(d->detail), "%s: %s", what, why);
	finish(d, result);
}

/* A failure: the device's own words, or what the engine saw. */
static void fail_with(struct smp_dfu *d, const char *what, int result,
		      const struct smp_status *status, const char *detail)
{
	char why[160];

	if (result == SMP_E_DEVICE)
		smp_status_format(status, why, sizeof(why));
	else
		smp_fmt(why, sizeof(why), "%s%s%s", smp_result_name(result), detail[0] ? ": " : "",
			detail);
	fail(d, result, what, why);
}

static void fail_rsp(struct smp_dfu *d, const char *what, const struct smp_response *rsp)
{
	fail_with(d, what, rsp->result, &rsp->status, rsp->detail);
}

static void enter(struct smp_dfu *d, enum smp_dfu_phase phase)
{
	d->phase = phase;
	if (d->cfg.progress)
		d->cfg.progress(d->cfg.arg, phase, phase == SMP_DFU_UPLOAD ? d->ur.offset : 0,
				d->cfg.image_len);
}

/* Sends one request of the current phase; its body is in d->body. */
static void send(struct smp_dfu *d, uint8_t op, uint16_t group, uint8_t id, size_t body_len,
		 int timeout_ms, int retries)
{
	struct smp_request req = {
		.op = op,
		.group = group,
		.id = id,
		.body = body_len ? d->body : NULL,
		.body_len = body_len,
		.timeout_ms = timeout_ms,
		.retries = retries,
	};
	int rc = smp_submit(d->e, &req);

	if (rc != SMP_OK)
		fail(d, rc, smp_dfu_phase_name(d->phase), smp_result_name(rc));
}

static void state_write(struct smp_dfu *d, bool confirm)
{
	struct smp_cbor_writer w;

	smp_cbor_writer_init(&w, d->body, sizeof(d->body));
	if (smp_img_state_write_req(&w, d->cfg.hash, d->cfg.hash_len, confirm) != 0) {
		fail(d, SMP_E_TOOBIG, smp_dfu_phase_name(d->phase), "the hash is too long");
		return;
	}
	send(d, SMP_OP_WRITE, SMP_GROUP_IMAGE, SMP_IMG_STATE, w.len, 0, 0);
}

static void upload_progress(void *arg, size_t off, size_t len)
{
	struct smp_dfu *d = arg;

	if (d->cfg.progress)
		d->cfg.progress(d->cfg.arg, SMP_DFU_UPLOAD, off, len);
}

static void start_upload(struct smp_dfu *d)
{
	size_t mtu = d->e->transport->ops->mtu(d->e->transport->ctx);
	unsigned window;
	int rc;

	enter(d, SMP_DFU_UPLOAD);
	memset(&d->up, 0, sizeof(d->up));
	d->up.src = d->cfg.src;
	d->up.len = d->cfg.image_len;
	d->up.sha = d->cfg.sha;
	d->up.sha_len = d->cfg.sha ? 32 : 0;
	d->up.image = d->cfg.image;
	/* Each chunk in flight holds a device buffer, its answer another
	 * (CONFIG_MCUMGR_TRANSPORT_NETBUF_COUNT). */
	window = d->dev.buf_count > 1 ? (unsigned)(d->dev.buf_count - 1) : 1;
	if (window > d->e->nslots)
		window = d->e->nslots;
	/* A packet fits the device's buffer, the link and the engine's
	 * transmit slot alike. */
	if (d->dev.buf_size < mtu)
		mtu = (size_t)d->dev.buf_size;
	if (d->e->slot_cap < mtu)
		mtu = d->e->slot_cap;
	d->up.plan.start.packet = mtu;
	d->up.plan.start.window = window;
	d->up.plan.window_max = window;
	d->up.plan.first_timeout_ms = FIRST_CHUNK_TIMEOUT_MS;
	d->up.align = 4;
	d->up.progress = upload_progress;
	d->up.arg = d;
	rc = smp_upload_start(&d->run, d->e, &d->up, &d->ur);
	if (rc < 0)
		fail(d, rc, "upload", d->ur.detail);
}

/* The image list: where is our image, and in what state. */
static const struct smp_img_slot_state *ours(struct smp_dfu *d, const struct smp_response *rsp,
					     struct smp_img_state *st)
{
	const char *why = NULL;

	if (smp_img_state_rsp(&rsp->body, st, &why) != 0) {
		fail(d, SMP_E_PROTOCOL, smp_dfu_phase_name(d->phase), why);
		return NULL;
	}
	return smp_img_state_find(st, d->cfg.hash, d->cfg.hash_len);
}

static void on_params(struct smp_dfu *d, const struct smp_response *rsp)
{
	const struct smp_transport_ops *ops = d->e->transport->ops;
	const char *why;

	d->dev.buf_size = NO_PARAMS_BUFFER;
	d->dev.buf_count = 1;
	if (rsp->result == SMP_OK) {
		if (smp_os_params_rsp(&rsp->body, &d->dev, &why) != 0) {
			fail(d, SMP_E_PROTOCOL, "params", why);
			return;
		}
	} else if (rsp->result != SMP_E_DEVICE) {
		fail_rsp(d, "params", rsp);
		return;
	}
	/* The link's packet size follows the device's buffer (serial
	 * framing, BLE reassembly): known only now. */
	if (ops->device_buffer)
		ops->device_buffer(d->e->transport->ctx, (size_t)d->dev.buf_size);
	enter(d, SMP_DFU_STATE);
	send(d, SMP_OP_READ, SMP_GROUP_IMAGE, SMP_IMG_STATE, 0, 0, 0);
}

static void on_state(struct smp_dfu *d, const struct smp_response *rsp)
{
	struct smp_img_state st;
	const struct smp_img_slot_state *s;

	if (rsp->result != SMP_OK) {
		fail_rsp(d, "image list", rsp);
		return;
	}
	s = ours(d, rsp, &st);
	if (!d->busy)
		return;
	if (s && s->active && s->confirmed) {
		smp_fmt(d->detail, sizeof(d->detail), "the device already runs version %s",
			s->version);
		finish(d, SMP_OK);
		return;
	}
	if (s && !s->active) {
		/* Already in the secondary slot: test it as it is. */
		d->ur.offset = d->cfg.image_len;
		enter(d, SMP_DFU_TEST);
		state_write(d, false);
		return;
	}
	start_upload(d);
}

static void on_upload(struct smp_dfu *d, const struct smp_response *rsp)
{
	int rc = smp_upload_on_response(&d->run, rsp);

	if (rc == SMP_OK)
		return;
	if (rc != SMP_UPLOAD_DONE) {
		fail_with(d, "upload", rc, &d->ur.status, d->ur.detail);
		return;
	}
	enter(d, SMP_DFU_TEST);
	state_write(d, false);
}

static void on_test(struct smp_dfu *d, const struct smp_response *rsp)
{
	struct smp_img_state st;
	const struct smp_img_slot_state *s;
	struct smp_cbor_writer w;

	if (rsp->result != SMP_OK) {
		fail_rsp(d, "test", rsp);
		return;
	}
	s = ours(d, rsp, &st);
	if (!d->busy)
		return;
	if (!s || !s->pending) {
		fail(d, SMP_E_PROTOCOL, "test", "the device does not list the image as pending");
		return;
	}
	enter(d, SMP_DFU_RESET);
	smp_cbor_writer_init(&w, d->body, sizeof(d->body));
	if (smp_os_reset_req(&w, false, -1) != 0) {
		fail(d, SMP_E_TOOBIG, "reset", "request does not fit");
		return;
	}
	/* One try: a resent reset could land after the reboot. */
	send(d, SMP_OP_WRITE, SMP_GROUP_OS, SMP_OS_RESET, w.len, 0, -1);
}

static void on_reset(struct smp_dfu *d, const struct smp_response *rsp)
{
	int wait = d->cfg.reconnect_timeout_ms > 0 ? d->cfg.reconnect_timeout_ms : DEFAULT_WAIT_MS;

	/* Zephyr answers, then resets CONFIG_MCUMGR_GRP_OS_RESET_MS (250)
	 * later; a device that resets first leaves the answer unsent. */
	if (rsp->result != SMP_OK && rsp->result != SMP_E_TIMEOUT) {
		fail_rsp(d, "reset", rsp);
		return;
	}
	if (!d->cfg.confirm) {
		smp_fmt(d->detail, sizeof(d->detail), "the device restarts into the new image");
		finish(d, SMP_OK);
		return;
	}
	enter(d, SMP_DFU_RECONNECT);
	if (!d->cfg.reconnect) {
		d->settle_until = smp_clock_ms() + RESET_SETTLE_MS;
		return;
	}
	d->reconnect_by = smp_clock_ms() + wait;
	d->cfg.reconnect(d->cfg.arg);
}

void smp_dfu_reconnected(struct smp_dfu *d)
{
	int boot = d->cfg.boot_timeout_ms > 0 ? d->cfg.boot_timeout_ms : DEFAULT_WAIT_MS;

	if (!d->busy || d->phase != SMP_DFU_RECONNECT)
		return;
	enter(d, SMP_DFU_CONFIRM);
	d->verified = false;
	d->boot_by = smp_clock_ms() + boot;
	/* The first question waits out MCUboot's swap. */
	send(d, SMP_OP_READ, SMP_GROUP_IMAGE, SMP_IMG_STATE, 0, BOOT_POLL_MS, boot / BOOT_POLL_MS);
}

static void on_confirm(struct smp_dfu *d, const struct smp_response *rsp)
{
	struct smp_img_state st;
	const struct smp_img_slot_state *s;

	if (rsp->result != SMP_OK) {
		fail_rsp(d, d->verified ? "confirm" : "image list after the reset", rsp);
		return;
	}
	s = ours(d, rsp, &st);
	if (!d->busy)
		return;
	if (s && !s->active && s->pending && !d->verified && smp_clock_ms() < d->boot_by) {
		/* Still pending: the old image answered before its reset. */
		d->poll_at = smp_clock_ms() + BOOT_POLL_MS;
		return;
	}
	if (!s || !s->active) {
		fail(d, SMP_E_PROTOCOL, "after the reset",
		     "the device does not run the new image (MCUboot kept the old one)");
		return;
	}
	if (s->confirmed) {
		smp_fmt(d->detail, sizeof(d->detail), "running version %s, confirmed", s->version);
		finish(d, SMP_OK);
		return;
	}
	if (d->verified) {
		fail(d, SMP_E_PROTOCOL, "confirm", "the image is still not confirmed");
		return;
	}
	d->verified = true;
	state_write(d, true);
}

static void handle(struct smp_dfu *d, const struct smp_response *rsp)
{
	typedef void (*handler)(struct smp_dfu * d, const struct smp_response *rsp);
	static const handler by_phase[] = {
		[SMP_DFU_PARAMS] = on_params, [SMP_DFU_STATE] = on_state,
		[SMP_DFU_UPLOAD] = on_upload, [SMP_DFU_TEST] = on_test,
		[SMP_DFU_RESET] = on_reset,   [SMP_DFU_CONFIRM] = on_confirm,
	};

	if (d->busy && d->phase < SMP_DFU_DONE && by_phase[d->phase])
		by_phase[d->phase](d, rsp);
}

int smp_dfu_start(struct smp_dfu *d, struct smp_engine *e, const struct smp_dfu_cfg *cfg)
{
	memset(d, 0, sizeof(*d));
	d->e = e;
	d->cfg = *cfg;
	d->busy = true;
	if (!cfg->src || !cfg->hash || !cfg->hash_len || !cfg->image_len) {
		d->busy = false;
		return SMP_E_PROTOCOL;
	}
	enter(d, SMP_DFU_PARAMS);
	send(d, SMP_OP_READ, SMP_GROUP_OS, SMP_OS_PARAMS, 0, 0, 0);
	return d->busy || d->result == SMP_OK ? SMP_OK : d->result;
}

void smp_dfu_input(struct smp_dfu *d, const uint8_t *pkt, size_t len)
{
	struct smp_response rsp;

	if (d->busy && smp_engine_input(d->e, pkt, len, &rsp))
		handle(d, &rsp);
}

void smp_dfu_timer(struct smp_dfu *d)
{
	struct smp_response rsp;

	if (d->busy && d->phase == SMP_DFU_RECONNECT) {
		if (!d->cfg.reconnect && smp_clock_ms() >= d->settle_until)
			smp_dfu_reconnected(d);
		else if (d->cfg.reconnect && smp_clock_ms() >= d->reconnect_by)
			fail(d, SMP_E_TIMEOUT, "reconnect", "the device did not come back");
		return;
	}
	if (d->busy && d->poll_at && smp_clock_ms() >= d->poll_at) {
		d->poll_at = 0;
		send(d, SMP_OP_READ, SMP_GROUP_IMAGE, SMP_IMG_STATE, 0, BOOT_POLL_MS,
		     (int)((d->boot_by - smp_clock_ms()) / BOOT_POLL_MS) + 1);
		return;
	}
	while (d->busy && smp_engine_expire(d->e, &rsp))
		handle(d, &rsp);
}

int64_t smp_dfu_deadline(const struct smp_dfu *d)
{
	if (!d->busy)
		return INT64_MAX;
	if (d->phase == SMP_DFU_RECONNECT)
		return d->cfg.reconnect ? d->reconnect_by : d->settle_until;
	if (d->poll_at)
		return d->poll_at;
	return smp_engine_deadline(d->e);
}

void smp_dfu_cancel(struct smp_dfu *d)
{
	fail(d, SMP_E_CANCELLED, smp_dfu_phase_name(d->phase), "cancelled");
}

bool smp_dfu_busy(const struct smp_dfu *d)
{
	return d->busy;
}

/* The blocking form waits in its own loop, which reconnects. */
static void reconnect_in_loop(void *arg)
{
	(void)arg;
}

int smp_dfu_run(struct smp_dfu *d, struct smp_engine *e, const struct smp_dfu_cfg *cfg)
{
	const struct smp_transport_ops *ops = e->transport->ops;
	struct smp_dfu_cfg run = *cfg;
	int64_t wait;
	size_t len;
	int io;

	run.reconnect = ops->reconnect ? reconnect_in_loop : NULL;
	if (smp_dfu_start(d, e, &run) != SMP_OK)
		return d->result ? d->result : SMP_E_PROTOCOL;
	while (d->busy) {
		if (d->phase == SMP_DFU_RECONNECT && ops->reconnect) {
			if (ops->reconnect(e->transport->ctx, cfg->reconnect_timeout_ms > 0
								      ? cfg->reconnect_timeout_ms
								      : DEFAULT_WAIT_MS) !=
			    SMP_IO_OK) {
				fail(d, SMP_E_TRANSPORT, "reconnect",
				     ops->last_error ? ops->last_error(e->transport->ctx)
						     : "the link did not come back");
				break;
			}
			smp_dfu_reconnected(d);
			continue;
		}
		wait = smp_dfu_deadline(d) - smp_clock_ms();
		if (wait <= 0) {
			smp_dfu_timer(d);
			continue;
		}
		if (wait > INT32_MAX)
			wait = INT32_MAX;
		io = ops->recv(e->transport->ctx, e->mem.rx, e->mem.rx_cap, &len, (int)wait);
		if (io == SMP_IO_OK)
			smp_dfu_input(d, e->mem.rx, len);
		else if (io == SMP_IO_ERROR)
			fail(d, SMP_E_TRANSPORT, smp_dfu_phase_name(d->phase),
			     ops->last_error ? ops->last_error(e->transport->ctx)
					     : "receive failed");
	}
	return d->result;
}
