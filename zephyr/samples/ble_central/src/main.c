/* A BLE central that upgrades an SMP peripheral (Zephyr's smp_svr, an
 * nRF5340 or nRF52840 running MCUmgr over Bluetooth) with the MCUboot
 * image stored in its own flash partition "peer_image":
 *
 *   scan for the peer by name or by the SMP service UUID, connect,
 *   raise the ATT MTU, the radio's data length and the PHY, discover the
 *   SMP characteristic and subscribe to it, then let smpctl's upgrade
 *   state machine (smp/dfu.h) run params, state, upload, test, reset,
 *   reconnect and confirm.
 *
 * Threads: the Bluetooth host calls back in its RX thread (notifications,
 * discovery) and in the system work queue (connection events). The core
 * is not reentrant, so every call into it runs in one place, this
 * sample's own work queue (smp_wq): received notification fragments go
 * through a ring buffer, link events through work items, and the core's
 * deadline through a delayable work item. A thread of our own rather
 * than the system work queue because a Write Without Response may wait
 * there for an ATT buffer, which the system work queue must not do. */
#include <errno.h>
#include <string.h>

#include <zephyr/bluetooth/att.h>
#include <zephyr/bluetooth/bluetooth.h>
#include <zephyr/bluetooth/conn.h>
#include <zephyr/bluetooth/gatt.h>
#include <zephyr/bluetooth/uuid.h>
#include <zephyr/kernel.h>
#include <zephyr/logging/log.h>
#include <zephyr/storage/flash_map.h>
#include <zephyr/sys/ring_buffer.h>

#include "smp/dfu.h"
#include "smp/engine.h"
#include "smp/gatt_rx.h"
#include "smp/image_check.h"
#include "smp/transport.h"
#include "smpctl_zephyr.h"

LOG_MODULE_REGISTER(smp_central, LOG_LEVEL_INF);

/* SMP_BT_SVC_UUID_VAL and SMP_BT_CHR_UUID_VAL of Zephyr's
 * zephyr/mgmt/mcumgr/transport/smp_bt.h, spelled out so that the sample
 * needs no MCUmgr server code. */
static const struct bt_uuid_128 smp_svc_uuid = BT_UUID_INIT_128(
	BT_UUID_128_ENCODE(0x8d53dc1d, 0x1db7, 0x4cd3, 0x868b, 0x8a527460aa84));
static const struct bt_uuid_128 smp_chr_uuid = BT_UUID_INIT_128(
	BT_UUID_128_ENCODE(0xda2e7828, 0xfbce, 0x4e01, 0xae9e, 0x261174997c48));

#define PKT_RX CONFIG_SMPCTL_RX_BUF_SIZE
#define PKT_TX CONFIG_SMPCTL_TX_BUF_SIZE
#define ATT_WRITE_CMD_OVERHEAD 3 /* opcode and handle */

#if FIXED_PARTITION_EXISTS(peer_image)
#define PEER_IMAGE_ID FIXED_PARTITION_ID(peer_image)
#else
#error "the board needs a flash partition labelled peer_image (see the sample's boards/)"
#endif

K_THREAD_STACK_DEFINE(smp_wq_stack, CONFIG_SAMPLE_SMP_WQ_STACK_SIZE);
static struct k_work_q smp_wq;

/* The link the core sends through: one connection, its SMP value handle,
 * and the packet limit, which follows the device's params buffer. */
struct ble_link {
	struct bt_conn *conn;
	uint16_t svc_end;
	uint16_t value_handle;
	uint16_t ccc_handle;
	size_t device_buf; /* the device's buf_size, 0 until params */
	const char *error;
};

static struct ble_link link_state;

/* Notification fragments on their way from the Bluetooth RX thread to the
 * core: each as a 2-byte length and its bytes. */
RING_BUF_DECLARE(frag_ring, CONFIG_SAMPLE_FRAG_RING_SIZE);
static struct k_spinlock frag_lock;
static bool frag_lost; /* the ring overflowed: resynchronise the reassembler */

static struct smp_gatt_rx rx;
static uint8_t rx_buf[PKT_RX];
static uint8_t tx_mem[CONFIG_SMPCTL_WINDOW * PKT_TX];

static struct smp_link link;
static struct smp_engine engine;
static struct smp_dfu dfu;
static struct smp_dfu_cfg dfu_cfg;
static bool dfu_started;
static enum smp_dfu_phase dfu_phase; /* the last one progress reported */
static bool want_reconnect;	     /* the core asked for the device after its reset */

static struct smp_crypto crypto;
static struct smpctl_crypto crypto_state;
static struct smp_image_src image;
static struct smp_image_info image_info;

static struct bt_gatt_exchange_params mtu_params;
static struct bt_gatt_discover_params disc_params;
static struct bt_gatt_subscribe_params sub_params;

static void start_scan(void);

/* --- the transport the core sees (smp/transport.h) --- */

/* One SMP packet as Write Commands of at most ATT_MTU - 3 bytes, in
 * order, with no framing: the peer reassembles by the SMP header's length
 * (CONFIG_MCUMGR_TRANSPORT_BT_REASSEMBLY). Once a piece is out the rest
 * must follow, or the peer misframes the next packet, so a piece the
 * host has no buffer for is retried rather than the packet abandoned. */
static int ble_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct ble_link *l = ctx;
	size_t off = 0;
	int busy = 0;

	if (!l->conn || !l->value_handle) {
		l->error = "not connected";
		return SMP_IO_ERROR;
	}
	while (off < len) {
		size_t piece = bt_gatt_get_mtu(l->conn) - ATT_WRITE_CMD_OVERHEAD;
		uint16_t n = (uint16_t)MIN(piece, len - off);
		int err = bt_gatt_write_without_response(l->conn, l->value_handle, pkt + off, n,
							 false);

		if (err == -ENOMEM && busy++ < CONFIG_SAMPLE_ENOMEM_RETRIES) {
			k_sleep(K_MSEC(1));
			continue;
		}
		if (err) {
			l->error = "GATT write failed";
			LOG_WRN("write without response: %d at %zu of %zu", err, off, len);
			return SMP_IO_ERROR;
		}
		busy = 0;
		off += n;
	}
	return SMP_IO_OK;
}

/* The largest packet one send carries: the device's buffer once params
 * gave it (the peer reassembles), never more than our transmit slot;
 * before that, one Write Command. */
static size_t ble_mtu(void *ctx)
{
	struct ble_link *l = ctx;

	if (l->device_buf)
		return MIN(l->device_buf, (size_t)PKT_TX);
	if (!l->conn)
		return 0;
	return bt_gatt_get_mtu(l->conn) - ATT_WRITE_CMD_OVERHEAD;
}

static void ble_device_buffer(void *ctx, size_t buf_size)
{
	struct ble_link *l = ctx;

	l->device_buf = buf_size;
	if (buf_size > PKT_RX)
		LOG_WRN("the device's buffer (%zu) is larger than ours (%d): raise "
			"CONFIG_SMPCTL_RX_BUF_SIZE for its longest answers",
			buf_size, PKT_RX);
}

static const char *ble_last_error(void *ctx)
{
	struct ble_link *l = ctx;

	return l->error ? l->error : "no error";
}

static void ble_close(void *ctx)
{
	struct ble_link *l = ctx;

	if (l->conn)
		bt_conn_disconnect(l->conn, BT_HCI_ERR_REMOTE_USER_TERM_CONN);
}

/* recv (blocking) and reconnect are the blocking wrapper's: the event-
 * driven upgrade gets packets from smp_dfu_input() and reconnects through
 * its cfg.reconnect callback. */
static const struct smp_transport_ops ble_ops = {
	.name = "ble",
	.send = ble_send,
	.mtu = ble_mtu,
	.last_error = ble_last_error,
	.device_buffer = ble_device_buffer,
	.close = ble_close,
};

/* --- the core's clock: one delayable work item for its deadline --- */

static void dfu_timer_fn(struct k_work *work);
static K_WORK_DELAYABLE_DEFINE(dfu_timer, dfu_timer_fn);

/* After every call into the core: wake up when its next deadline comes. */
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

/* --- notifications: Bluetooth RX thread -> ring -> smp_wq --- */

static void rx_work_fn(struct k_work *work);
static K_WORK_DEFINE(rx_work, rx_work_fn);

static uint8_t on_notify(struct bt_conn *conn, struct bt_gatt_subscribe_params *params,
			 const void *data, uint16_t length)
{
	uint16_t len = length;
	k_spinlock_key_t key;

	ARG_UNUSED(conn);
	ARG_UNUSED(params);
	if (!data)
		return BT_GATT_ITER_STOP; /* the subscription is gone */
	key = k_spin_lock(&frag_lock);
	if (ring_buf_space_get(&frag_ring) < sizeof(len) + len) {
		frag_lost = true; /* the engine resends what this loses */
	} else {
		ring_buf_put(&frag_ring, (const uint8_t *)&len, sizeof(len));
		ring_buf_put(&frag_ring, data, len);
	}
	k_spin_unlock(&frag_lock, key);
	k_work_submit_to_queue(&smp_wq, &rx_work);
	return BT_GATT_ITER_CONTINUE;
}

/* Takes one fragment out of the ring into frag; its length, or 0. */
static size_t frag_take(uint8_t *frag, size_t cap, bool *lost)
{
	k_spinlock_key_t key = k_spin_lock(&frag_lock);
	uint16_t len = 0;

	*lost = frag_lost;
	frag_lost = false;
	if (ring_buf_get(&frag_ring, (uint8_t *)&len, sizeof(len)) == sizeof(len)) {
		/* a notification is at most ATT_MTU - 3 bytes, and our MTU is at
		 * most CONFIG_BT_L2CAP_TX_MTU: it fits; if not, drop its tail */
		ring_buf_get(&frag_ring, frag, MIN(len, cap));
		if (len > cap) {
			ring_buf_get(&frag_ring, NULL, len - cap);
			len = (uint16_t)cap;
			*lost = true;
		}
	}
	k_spin_unlock(&frag_lock, key);
	return len;
}

static void rx_work_fn(struct k_work *work)
{
	static uint8_t frag[CONFIG_BT_L2CAP_TX_MTU];
	bool lost;
	size_t len;

	ARG_UNUSED(work);
	while ((len = frag_take(frag, sizeof(frag), &lost)) > 0 || lost) {
		if (lost)
			smp_gatt_rx_reset(&rx);
		if (!len)
			continue;
		if (smp_gatt_rx_feed(&rx, frag, len) == 1 && dfu_started) {
			/* the packet is read in place: rx is not fed again until
			 * the core has returned */
			smp_dfu_input(&dfu, rx.buf, rx.have);
		}
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
	dfu_phase = phase;
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
	if (link_state.conn)
		bt_conn_disconnect(link_state.conn, BT_HCI_ERR_REMOTE_USER_TERM_CONN);
}

/* The device resets to boot the new image and the link drops: connect
 * again (it may come back under a new address), then tell the core. */
static void on_reconnect(void *arg)
{
	ARG_UNUSED(arg);
	want_reconnect = true;
	if (!link_state.conn)
		start_scan();
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
	/* The partition is larger than the image: a first check over all
	 * of it finds where the image's TLVs end, the second checks exactly
	 * the file that will travel (the upload's length and sha). */
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
	LOG_INF("image of %u bytes, version %u.%u.%u, signature %s", (unsigned int)image.size,
		image_info.hdr.ver_major, image_info.hdr.ver_minor, image_info.hdr.ver_revision,
		image_info.sig == SMP_SIG_GOOD ? "good" : "not checked");
	return 0;
}

static void link_up_fn(struct k_work *work)
{
	ARG_UNUSED(work);
	smp_gatt_rx_reset(&rx);
	if (want_reconnect) {
		want_reconnect = false;
		smp_dfu_reconnected(&dfu);
	} else if (!dfu_started) {
		struct smp_engine_cfg ecfg;
		struct smp_engine_mem mem = {
			/* answers are read in place in rx_buf: no engine rx */
			.rx = NULL,
			.rx_cap = 0,
			.tx = tx_mem,
			.tx_cap = sizeof(tx_mem),
			.tx_slots = CONFIG_SMPCTL_WINDOW,
		};
		int rc;

		smp_engine_cfg_defaults(&ecfg);
		ecfg.window = CONFIG_SMPCTL_WINDOW;
		link.ops = &ble_ops;
		link.ctx = &link_state;
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
			.progress = on_progress,
			.done = on_done,
			.reconnect = on_reconnect,
			.arg = NULL,
		};
		dfu_started = true;
		rc = smp_dfu_start(&dfu, &engine, &dfu_cfg);
		if (rc) {
			dfu_started = false;
			LOG_ERR("upgrade did not start: %d", rc);
		}
	}
	arm_timer();
}
static K_WORK_DEFINE(link_up_work, link_up_fn);

static void link_down_fn(struct k_work *work)
{
	ARG_UNUSED(work);
	/* A drop the core did not ask for ends the upgrade; the one after
	 * the reset is expected (it may come before the reset's answer has
	 * been read, so the phase tells), and the core asks to reconnect. */
	if (dfu_started && !want_reconnect && dfu_phase != SMP_DFU_RESET &&
	    dfu_phase != SMP_DFU_RECONNECT) {
		LOG_ERR("link lost during the upgrade");
		smp_dfu_cancel(&dfu);
		dfu_started = false;
	}
	arm_timer();
}
static K_WORK_DEFINE(link_down_work, link_down_fn);

/* --- GATT: MTU, discovery, subscription --- */

static void on_subscribed(struct bt_conn *conn, uint8_t err, struct bt_gatt_subscribe_params *p)
{
	ARG_UNUSED(p);
	if (err == BT_ATT_ERR_AUTHENTICATION || err == BT_ATT_ERR_INSUFFICIENT_ENCRYPTION) {
		/* Zephyr's SMP server protects its characteristic unless built
		 * with CONFIG_MCUMGR_TRANSPORT_BT_AUTHEN=n (3.x) or
		 * CONFIG_MCUMGR_TRANSPORT_BT_PERM_RW (4.x), as smp_svr is:
		 * encrypt, then subscribe again from security_changed. */
		LOG_INF("SMP characteristic needs encryption: pairing");
		bt_conn_set_security(conn, BT_SECURITY_L2);
		return;
	}
	if (err) {
		LOG_ERR("subscribe: ATT error 0x%02x", err);
		bt_conn_disconnect(conn, BT_HCI_ERR_REMOTE_USER_TERM_CONN);
		return;
	}
	LOG_INF("subscribed; ATT MTU %u", bt_gatt_get_mtu(conn));
	k_work_submit_to_queue(&smp_wq, &link_up_work);
}

static int subscribe(struct bt_conn *conn)
{
	memset(&sub_params, 0, sizeof(sub_params));
	sub_params.notify = on_notify;
	sub_params.subscribe = on_subscribed;
	sub_params.value_handle = link_state.value_handle;
	sub_params.ccc_handle = link_state.ccc_handle;
	sub_params.value = BT_GATT_CCC_NOTIFY;
	/* not kept for a bonded peer across connections: the handles may
	 * change with the new firmware, so each connection discovers */
	atomic_set_bit(sub_params.flags, BT_GATT_SUBSCRIBE_FLAG_VOLATILE);
	return bt_gatt_subscribe(conn, &sub_params);
}

static uint8_t on_discover(struct bt_conn *conn, const struct bt_gatt_attr *attr,
			   struct bt_gatt_discover_params *params)
{
	int err = 0;

	if (!attr) {
		LOG_ERR("%s not found", params->type == BT_GATT_DISCOVER_PRIMARY ? "SMP service"
					: params->type == BT_GATT_DISCOVER_CHARACTERISTIC
						? "SMP characteristic"
						: "its CCC descriptor");
		bt_conn_disconnect(conn, BT_HCI_ERR_REMOTE_USER_TERM_CONN);
		return BT_GATT_ITER_STOP;
	}
	switch (params->type) {
	case BT_GATT_DISCOVER_PRIMARY: {
		const struct bt_gatt_service_val *svc = attr->user_data;

		link_state.svc_end = svc->end_handle;
		params->uuid = &smp_chr_uuid.uuid;
		params->start_handle = attr->handle + 1;
		params->end_handle = link_state.svc_end;
		params->type = BT_GATT_DISCOVER_CHARACTERISTIC;
		err = bt_gatt_discover(conn, params);
		break;
	}
	case BT_GATT_DISCOVER_CHARACTERISTIC: {
		const struct bt_gatt_chrc *chrc = attr->user_data;
		const uint8_t need = BT_GATT_CHRC_WRITE_WITHOUT_RESP | BT_GATT_CHRC_NOTIFY;

		if ((chrc->properties & need) != need) {
			LOG_ERR("SMP characteristic cannot notify and write without response");
			bt_conn_disconnect(conn, BT_HCI_ERR_REMOTE_USER_TERM_CONN);
			return BT_GATT_ITER_STOP;
		}
		link_state.value_handle = chrc->value_handle;
		params->uuid = BT_UUID_GATT_CCC;
		params->start_handle = chrc->value_handle + 1;
		params->end_handle = link_state.svc_end;
		params->type = BT_GATT_DISCOVER_DESCRIPTOR;
		err = bt_gatt_discover(conn, params);
		break;
	}
	default:
		link_state.ccc_handle = attr->handle;
		err = subscribe(conn);
		break;
	}
	if (err) {
		LOG_ERR("GATT step failed: %d", err);
		bt_conn_disconnect(conn, BT_HCI_ERR_REMOTE_USER_TERM_CONN);
	}
	return BT_GATT_ITER_STOP;
}

static void discover_smp(struct bt_conn *conn)
{
	int err;

	memset(&disc_params, 0, sizeof(disc_params));
	disc_params.uuid = &smp_svc_uuid.uuid;
	disc_params.func = on_discover;
	/* the whole handle range (att.h names these constants differently
	 * across 3.x releases) */
	disc_params.start_handle = 0x0001;
	disc_params.end_handle = 0xffff;
	disc_params.type = BT_GATT_DISCOVER_PRIMARY;
	err = bt_gatt_discover(conn, &disc_params);
	if (err) {
		LOG_ERR("discovery did not start: %d", err);
		bt_conn_disconnect(conn, BT_HCI_ERR_REMOTE_USER_TERM_CONN);
	}
}

static void on_mtu(struct bt_conn *conn, uint8_t err, struct bt_gatt_exchange_params *params)
{
	ARG_UNUSED(params);
	LOG_INF("ATT MTU %u%s", bt_gatt_get_mtu(conn), err ? " (exchange failed)" : "");
	discover_smp(conn);
}

/* Everything that makes the link fast, asked for at once: the ATT MTU
 * (our side's from CONFIG_BT_L2CAP_TX_MTU), 251-byte radio packets (the
 * controller keeps 27 until someone asks: the link ran 1.7 times slower
 * without this) and the 2M PHY. The data length and PHY answers only
 * log; discovery follows the MTU exchange. */
static void raise_link(struct bt_conn *conn)
{
	int err;

	err = bt_conn_le_data_len_update(conn, BT_LE_DATA_LEN_PARAM_MAX);
	if (err)
		LOG_WRN("data length update: %d", err);
	err = bt_conn_le_phy_update(conn, BT_CONN_LE_PHY_PARAM_2M);
	if (err)
		LOG_WRN("PHY update: %d", err);

	mtu_params.func = on_mtu;
	err = bt_gatt_exchange_mtu(conn, &mtu_params);
	if (err == -EALREADY) {
		/* CONFIG_BT_GATT_AUTO_UPDATE_MTU did it on connection */
		discover_smp(conn);
	} else if (err) {
		LOG_WRN("MTU exchange: %d; going on with %u", err, bt_gatt_get_mtu(conn));
		discover_smp(conn);
	}
}

/* --- connection --- */

static void connected(struct bt_conn *conn, uint8_t err)
{
	if (conn != link_state.conn)
		return;
	if (err) {
		LOG_WRN("connection failed: 0x%02x", err);
		bt_conn_unref(link_state.conn);
		link_state.conn = NULL;
		start_scan();
		return;
	}
	LOG_INF("connected");
	link_state.value_handle = 0;
	link_state.device_buf = 0;
	link_state.error = NULL;
	raise_link(conn);
}

static void disconnected(struct bt_conn *conn, uint8_t reason)
{
	if (conn != link_state.conn)
		return;
	LOG_INF("disconnected: 0x%02x", reason);
	bt_conn_unref(link_state.conn);
	link_state.conn = NULL;
	link_state.value_handle = 0;
	k_work_submit_to_queue(&smp_wq, &link_down_work);
	if (want_reconnect)
		start_scan();
}

static void security_changed(struct bt_conn *conn, bt_security_t level, enum bt_security_err err)
{
	if (conn != link_state.conn)
		return;
	if (err) {
		LOG_ERR("pairing failed: %d", err);
		bt_conn_disconnect(conn, BT_HCI_ERR_AUTH_FAIL);
		return;
	}
	LOG_INF("security level %d", level);
	if (link_state.ccc_handle && subscribe(conn))
		bt_conn_disconnect(conn, BT_HCI_ERR_REMOTE_USER_TERM_CONN);
}

static void phy_updated(struct bt_conn *conn, struct bt_conn_le_phy_info *param)
{
	ARG_UNUSED(conn);
	LOG_INF("PHY tx %u rx %u", param->tx_phy, param->rx_phy);
}

static void data_len_updated(struct bt_conn *conn, struct bt_conn_le_data_len_info *info)
{
	ARG_UNUSED(conn);
	LOG_INF("data length tx %u rx %u bytes", info->tx_max_len, info->rx_max_len);
}

BT_CONN_CB_DEFINE(conn_callbacks) = {
	.connected = connected,
	.disconnected = disconnected,
	.security_changed = security_changed,
	.le_phy_updated = phy_updated,
	.le_data_len_updated = data_len_updated,
};

/* --- scanning: by name, or by the SMP service in the advertised UUIDs --- */

static bool ad_matches(struct bt_data *data, void *user_data)
{
	bool *match = user_data;
	const char *name = CONFIG_SAMPLE_PEER_NAME;

	switch (data->type) {
	case BT_DATA_NAME_COMPLETE:
	case BT_DATA_NAME_SHORTENED:
		if (name[0] && data->data_len == strlen(name) &&
		    memcmp(data->data, name, data->data_len) == 0)
			*match = true;
		break;
	case BT_DATA_UUID128_ALL:
	case BT_DATA_UUID128_SOME:
		if (name[0])
			break; /* a name was asked for: the UUID alone is not enough */
		for (size_t i = 0; i + BT_UUID_SIZE_128 <= data->data_len; i += BT_UUID_SIZE_128) {
			if (memcmp(data->data + i, smp_svc_uuid.val, BT_UUID_SIZE_128) == 0)
				*match = true;
		}
		break;
	default:
		break;
	}
	return !*match;
}

static void on_scan(const bt_addr_le_t *addr, int8_t rssi, uint8_t adv_type,
		    struct net_buf_simple *ad)
{
	char addr_str[BT_ADDR_LE_STR_LEN];
	bool match = false;
	int err;

	/* smp_svr puts its name in the scan response */
	if (adv_type != BT_GAP_ADV_TYPE_ADV_IND && adv_type != BT_GAP_ADV_TYPE_ADV_DIRECT_IND &&
	    adv_type != BT_GAP_ADV_TYPE_SCAN_RSP)
		return;
	bt_data_parse(ad, ad_matches, &match);
	if (!match || link_state.conn)
		return;
	bt_addr_le_to_str(addr, addr_str, sizeof(addr_str));
	LOG_INF("found %s (RSSI %d)", addr_str, rssi);
	if (bt_le_scan_stop())
		return;
	err = bt_conn_le_create(addr, BT_CONN_LE_CREATE_CONN, BT_LE_CONN_PARAM_DEFAULT,
				&link_state.conn);
	if (err) {
		LOG_WRN("connect to %s: %d", addr_str, err);
		link_state.conn = NULL;
		start_scan();
	}
}

static void start_scan(void)
{
	int err = bt_le_scan_start(BT_LE_SCAN_ACTIVE, on_scan);

	if (err && err != -EALREADY)
		LOG_ERR("scan did not start: %d", err);
	else
		LOG_INF("scanning for %s",
			CONFIG_SAMPLE_PEER_NAME[0] ? CONFIG_SAMPLE_PEER_NAME : "the SMP service");
}

int main(void)
{
	int err;

	k_work_queue_start(&smp_wq, smp_wq_stack, K_THREAD_STACK_SIZEOF(smp_wq_stack),
			   CONFIG_SAMPLE_SMP_WQ_PRIORITY, NULL);
	smp_gatt_rx_init_buf(&rx, rx_buf, sizeof(rx_buf));
	if (image_prepare())
		return 0;
	err = bt_enable(NULL);
	if (err) {
		LOG_ERR("bt_enable: %d", err);
		return 0;
	}
	start_scan();
	return 0;
}
