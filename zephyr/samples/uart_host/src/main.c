/* A UART host that upgrades an SMP device on the other end of a wire (an
 * nRF5340 DK updating an nRF52840 DK that runs Zephyr's smp_svr with the
 * UART transport) with the MCUboot image stored in its own flash
 * partition "peer_image".
 *
 * The bytes move by the UART's interrupt API: the RX interrupt puts them
 * in a ring buffer, the TX interrupt fills the FIFO from the frames of one
 * packet. Everything else runs on this sample's work queue (smp_wq): the
 * framing codec (smp/serial_frame.h) turns received bytes into packets
 * for smp_dfu_input() and console lines for the log, and a delayable
 * work item drives the core's deadline. The core is not reentrant; one
 * work queue is its one context. */
#include <errno.h>
#include <string.h>

#include <zephyr/device.h>
#include <zephyr/drivers/uart.h>
#include <zephyr/kernel.h>
#include <zephyr/logging/log.h>
#include <zephyr/storage/flash_map.h>
#include <zephyr/sys/ring_buffer.h>

#include "smp/dfu.h"
#include "smp/engine.h"
#include "smp/image_check.h"
#include "smp/serial_frame.h"
#include "smp/transport.h"
#include "smpctl_zephyr.h"

LOG_MODULE_REGISTER(smp_uart_host, LOG_LEVEL_INF);

#define PKT_RX CONFIG_SMPCTL_RX_BUF_SIZE
#define PKT_TX CONFIG_SMPCTL_TX_BUF_SIZE

#if DT_HAS_CHOSEN(smpctl_uart)
#define SMP_UART_NODE DT_CHOSEN(smpctl_uart)
#else
#error "the board needs a chosen smpctl,uart (see the sample's boards/)"
#endif

#if FIXED_PARTITION_EXISTS(peer_image)
#define PEER_IMAGE_ID FIXED_PARTITION_ID(peer_image)
#else
#error "the board needs a flash partition labelled peer_image (see the sample's boards/)"
#endif

K_THREAD_STACK_DEFINE(smp_wq_stack, CONFIG_SAMPLE_SMP_WQ_STACK_SIZE);
static struct k_work_q smp_wq;

struct uart_link {
	const struct device *dev;
	/* receive: the ISR's bytes, taken by the decoder on smp_wq */
	struct k_spinlock lock;
	struct ring_buf ring;
	uint8_t ring_mem[CONFIG_SAMPLE_RX_RING_SIZE];
	bool overrun;
	struct smp_serial_decoder dec;
	uint8_t dec_buf[PKT_RX + 4]; /* length field, packet, CRC */
	/* transmit: one packet's frames, fed to the FIFO by the ISR */
	uint8_t frames[CONFIG_SAMPLE_TX_FRAMES_SIZE];
	size_t tx_len, tx_off;
	bool tx_failed;
	struct k_sem tx_done;
	size_t device_buf; /* the device's buf_size, 0 until params */
	const char *error;
};

static struct uart_link uart_link;

static uint8_t tx_mem[CONFIG_SMPCTL_WINDOW * PKT_TX];
static struct smp_link link;
static struct smp_engine engine;
static struct smp_dfu dfu;
static struct smp_dfu_cfg dfu_cfg;
static bool dfu_started;

static struct smp_crypto crypto;
static struct smpctl_crypto crypto_state;
static struct smp_image_src image;
static struct smp_image_info image_info;

static void rx_work_fn(struct k_work *work);
static K_WORK_DEFINE(rx_work, rx_work_fn);

static void uart_isr(const struct device *dev, void *user_data)
{
	struct uart_link *l = user_data;

	while (uart_irq_update(dev) && uart_irq_is_pending(dev)) {
		if (uart_irq_rx_ready(dev)) {
			uint8_t chunk[32];
			int n = uart_fifo_read(dev, chunk, sizeof(chunk));

			if (n > 0) {
				k_spinlock_key_t key = k_spin_lock(&l->lock);

				/* full: the bytes are lost, the frame's CRC
				 * catches it and the engine resends */
				if (ring_buf_put(&l->ring, chunk, n) < (uint32_t)n)
					l->overrun = true;
				k_spin_unlock(&l->lock, key);
				k_work_submit_to_queue(&smp_wq, &rx_work);
			}
		}
		if (uart_irq_tx_ready(dev)) {
			if (l->tx_off < l->tx_len) {
				int n = uart_fifo_fill(dev, l->frames + l->tx_off,
						       (int)(l->tx_len - l->tx_off));

				if (n < 0) { /* the driver has no FIFO API */
					l->tx_failed = true;
					l->tx_len = l->tx_off;
				} else
					l->tx_off += (size_t)n;
			}
			if (l->tx_off >= l->tx_len) {
				uart_irq_tx_disable(dev);
				k_sem_give(&l->tx_done);
			}
		}
	}
}

/* --- the transport the core sees (smp/transport.h) --- */

/* One packet as Zephyr's console frames (base64 lines, CRC-16); the
 * caller is smp_wq, which may wait for the FIFO to take the last frame. */
static int uart_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct uart_link *l = ctx;
	size_t n = smp_serial_frame_encode(pkt, len, 0, l->frames, sizeof(l->frames));

	if (!n) {
		l->error = "packet too big for the frame buffer";
		return SMP_IO_TOOBIG;
	}
	l->tx_len = n;
	l->tx_off = 0;
	l->tx_failed = false;
	k_sem_reset(&l->tx_done);
	uart_irq_tx_enable(l->dev);
	/* 115200 baud moves 11.5 bytes a millisecond: a generous bound */
	if (k_sem_take(&l->tx_done, K_MSEC(100 + n / 4)) != 0) {
		uart_irq_tx_disable(l->dev);
		l->error = "UART transmit stalled";
		return SMP_IO_ERROR;
	}
	if (l->tx_failed) {
		l->error = "the UART driver cannot fill its FIFO (uart_fifo_fill)";
		return SMP_IO_ERROR;
	}
	return SMP_IO_OK;
}

/* Zephyr's UART transport decodes a request's frames into one buffer of
 * its params buf_size (CONFIG_MCUMGR_TRANSPORT_NETBUF_SIZE), the length
 * field and the CRC included: a packet is at most buf_size - 4. Before
 * params say the size, stay within what every such server takes. */
#define FRAME_OVERHEAD 4

static size_t uart_mtu(void *ctx)
{
	struct uart_link *l = ctx;

	if (l->device_buf > FRAME_OVERHEAD)
		return MIN(l->device_buf - FRAME_OVERHEAD, (size_t)PKT_TX);
	return MIN((size_t)CONFIG_SAMPLE_MTU_BEFORE_PARAMS, (size_t)PKT_TX);
}

static void uart_device_buffer(void *ctx, size_t buf_size)
{
	struct uart_link *l = ctx;

	l->device_buf = buf_size;
}

static const char *uart_last_error(void *ctx)
{
	struct uart_link *l = ctx;

	return l->error ? l->error : "no error";
}

static void uart_close(void *ctx)
{
	struct uart_link *l = ctx;

	uart_irq_rx_disable(l->dev);
	uart_irq_tx_disable(l->dev);
}

/* recv and reconnect are the blocking wrapper's; frame_fit and
 * set_frame_gap serve a host tool's probe of slow serial devices, which
 * an MCU host wired to a known device does not need. */
static const struct smp_transport_ops uart_ops = {
	.name = "uart",
	.send = uart_send,
	.mtu = uart_mtu,
	.last_error = uart_last_error,
	.device_buffer = uart_device_buffer,
	.close = uart_close,
};

/* --- the core's clock --- */

static void dfu_timer_fn(struct k_work *work);
static K_WORK_DELAYABLE_DEFINE(dfu_timer, dfu_timer_fn);

static void arm_timer(void)
{
	/* the machine's state means nothing before smp_dfu_start() */
	int64_t deadline = dfu_started ? smp_dfu_deadline(&dfu) : INT64_MAX;

	if (deadline == INT64_MAX || deadline < 0) {
		k_work_cancel_delayable(&dfu_timer);
		return;
	}
	k_work_reschedule_for_queue(&smp_wq, &dfu_timer, K_MSEC(MAX(deadline - k_uptime_get(), 0)));
}

static void dfu_timer_fn(struct k_work *work)
{
	ARG_UNUSED(work);
	if (dfu_started && smp_dfu_deadline(&dfu) <= k_uptime_get())
		smp_dfu_timer(&dfu);
	arm_timer();
}

/* --- received bytes: ring -> decoder -> packets and console lines --- */

static void rx_work_fn(struct k_work *work)
{
	struct uart_link *l = &uart_link;

	ARG_UNUSED(work);
	for (;;) {
		struct smp_serial_ev ev = { 0 };
		size_t used = 0;
		uint8_t *in;
		uint32_t got;
		k_spinlock_key_t key = k_spin_lock(&l->lock);
		bool overrun = l->overrun;

		l->overrun = false;
		got = ring_buf_get_claim(&l->ring, &in, 64);
		k_spin_unlock(&l->lock, key);
		if (overrun)
			smp_serial_decoder_reset(&l->dec);
		if (!got)
			break;
		/* the decoder stops after the byte that completes an event:
		 * what follows stays in the ring for the next round */
		smp_serial_decoder_feed(&l->dec, in, got, &used, &ev);
		key = k_spin_lock(&l->lock);
		ring_buf_get_finish(&l->ring, (uint32_t)used);
		k_spin_unlock(&l->lock, key);

		if (ev.type == SMP_SERIAL_EV_PACKET && dfu_started)
			smp_dfu_input(&dfu, ev.data, ev.len); /* read in place */
		else if (ev.type == SMP_SERIAL_EV_CONSOLE)
			LOG_DBG("device: %.*s", (int)ev.len, ev.data);
		else if (ev.type == SMP_SERIAL_EV_DROPPED)
			LOG_WRN("frame dropped: %s", smp_serial_drop_name(ev.drop));
	}
	arm_timer();
}

/* --- the upgrade --- */

static void on_progress(void *arg, enum smp_dfu_phase phase, size_t done, size_t total)
{
	static enum smp_dfu_phase last_phase = SMP_DFU_DONE;
	static size_t last_tenth;
	size_t tenth = total ? done * 10 / total : 0;

	ARG_UNUSED(arg);
	/* one line per phase, and one per tenth of the upload */
	if (phase == last_phase && (phase != SMP_DFU_UPLOAD || tenth == last_tenth))
		return;
	last_phase = phase;
	last_tenth = tenth;
	LOG_INF("%s: %zu of %zu", smp_dfu_phase_name(phase), done, total);
}

static void on_done(void *arg, int result, const char *detail)
{
	ARG_UNUSED(arg);
	dfu_started = false;
	if (result == 0)
		LOG_INF("upgrade done: %s", detail ? detail : "confirmed");
	else
		LOG_ERR("upgrade failed (%d): %s", result, detail ? detail : "");
}

static int image_prepare(void)
{
	const struct flash_area *fa;
	int rc = flash_area_open(PEER_IMAGE_ID, &fa);

	if (rc) {
		LOG_ERR("flash_area_open(peer_image): %d", rc);
		return rc;
	}
	if (smpctl_crypto_init(&crypto, &crypto_state)) {
		LOG_ERR("crypto backend did not start");
		return -EIO;
	}
	/* A first check over the whole partition finds where the image's
	 * TLVs end; the second checks exactly the file that will travel. */
	smpctl_image_src_flash(&image, fa, (uint32_t)fa->fa_size);
	if (smp_image_check(&image, &crypto, &image_info) || image_info.image_end == 0) {
		LOG_ERR("peer_image holds no MCUboot image: %s", image_info.why);
		return -EINVAL;
	}
	smpctl_image_src_flash(&image, fa, image_info.image_end);
	if (smp_image_check(&image, &crypto, &image_info)) {
		LOG_ERR("peer_image: %s", image_info.why);
		return -EINVAL;
	}
	LOG_INF("image of %u bytes, version %u.%u.%u", (unsigned int)image.size,
		image_info.hdr.ver_major, image_info.hdr.ver_minor, image_info.hdr.ver_revision);
	return 0;
}

static void start_fn(struct k_work *work)
{
	struct smp_engine_cfg ecfg;
	struct smp_engine_mem mem = {
		/* answers are read in place in the decoder's buffer */
		.rx = NULL,
		.rx_cap = 0,
		.tx = tx_mem,
		.tx_cap = sizeof(tx_mem),
		.tx_slots = CONFIG_SMPCTL_WINDOW,
	};
	int rc;

	ARG_UNUSED(work);
	smp_engine_cfg_defaults(&ecfg);
	ecfg.window = CONFIG_SMPCTL_WINDOW;
	link.ops = &uart_ops;
	link.ctx = &uart_link;
	rc = smp_engine_init(&engine, &link, &ecfg, &mem);
	if (rc) {
		LOG_ERR("engine: %d", rc);
		return;
	}
	dfu_cfg = (struct smp_dfu_cfg){
		.src = &image,
		.image_len = image.size,
		.hash = image_info.hash,
		.hash_len = image_info.hash_len,
		/* lets the device resume an upload it has begun */
		.sha = image_info.file_sha256,
		.image = 0,
		.confirm = IS_ENABLED(CONFIG_SAMPLE_CONFIRM),
		/* the longest silence while MCUboot swaps and the new image
		 * boots */
		.boot_timeout_ms = CONFIG_SAMPLE_BOOT_TIMEOUT_MS,
		.progress = on_progress,
		.done = on_done,
		/* the UART survives the device's reset: the core waits out
		 * the device's reset delay itself, then asks until the new
		 * image answers (a frame the reset cuts is dropped as a bad
		 * one, and the engine asks again) */
		.reconnect = NULL,
		.arg = NULL,
	};
	dfu_started = true;
	rc = smp_dfu_start(&dfu, &engine, &dfu_cfg);
	if (rc) {
		dfu_started = false;
		LOG_ERR("upgrade did not start: %d", rc);
	}
	arm_timer();
}
static K_WORK_DEFINE(start_work, start_fn);

int main(void)
{
	struct uart_link *l = &uart_link;

	l->dev = DEVICE_DT_GET(SMP_UART_NODE);
	if (!device_is_ready(l->dev)) {
		LOG_ERR("%s is not ready", l->dev->name);
		return 0;
	}
	k_work_queue_start(&smp_wq, smp_wq_stack, K_THREAD_STACK_SIZEOF(smp_wq_stack),
			   CONFIG_SAMPLE_SMP_WQ_PRIORITY, NULL);
	ring_buf_init(&l->ring, sizeof(l->ring_mem), l->ring_mem);
	k_sem_init(&l->tx_done, 0, 1);
	smp_serial_decoder_init(&l->dec, l->dec_buf, sizeof(l->dec_buf), false);
	if (image_prepare())
		return 0;

	uart_irq_callback_user_data_set(l->dev, uart_isr, l);
	uart_irq_rx_enable(l->dev);
	LOG_INF("upgrading the device on %s", l->dev->name);
	k_work_submit_to_queue(&smp_wq, &start_work);
	return 0;
}
