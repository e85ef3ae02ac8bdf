/* The --device profiles: real Zephyr / nRF Connect SDK builds, each as the
 * options that make the simulator behave like it. Sources:
 *
 * Buffers. subsys/mgmt/mcumgr/transport/Kconfig:
 *   CONFIG_MCUMGR_TRANSPORT_NETBUF_COUNT  default 2 if UDP, else 4
 *   CONFIG_MCUMGR_TRANSPORT_NETBUF_SIZE   default 2048 if UDP, else 384
 * Kconfig.udp: CONFIG_MCUMGR_TRANSPORT_UDP_MTU default 1500.
 * Shell: subsys/shell/backends/Kconfig.backends
 *   CONFIG_SHELL_BACKEND_SERIAL_RX_POLL_PERIOD default 10 (ms; used when the
 *   UART has no interrupts, as native_sim's), and Kconfig.shell
 *   CONFIG_MCUMGR_TRANSPORT_SHELL_RX_BUF_COUNT default 2 frames of
 *   SMP_SHELL_RX_BUF_SIZE (127) bytes.
 * UART: drivers/console/Kconfig CONFIG_UART_MCUMGR_RX_BUF_COUNT default 2
 *   lines of CONFIG_UART_MCUMGR_RX_BUF_SIZE default 128 bytes.
 * BLE: samples/subsys/mgmt/mcumgr/smp_svr/overlay-bt.conf sets
 *   CONFIG_BT_L2CAP_TX_MTU=252 and CONFIG_BT_BUF_ACL_RX_SIZE=256 (ATT MTU
 *   252); NCS samples/common/mcumgr_bt_ota_dfu/Kconfig with
 *   CONFIG_NCS_SAMPLE_MCUMGR_BT_OTA_DFU_SPEEDUP sets BT_L2CAP_TX_MTU 498,
 *   BT_BUF_ACL_RX_SIZE 502, BT_BUF_ACL_TX_SIZE 251, BT_CTLR_DATA_LENGTH_MAX
 *   251, and (with BT reassembly) MCUMGR_TRANSPORT_NETBUF_SIZE 2475 and
 *   IMG_ERASE_PROGRESSIVELY y. The buffer count keeps its default 4.
 * Flash, nRF52840 (and nRF5340, which Zephyr gives the same erase bound):
 *   a page (sector) is 4096 bytes; erase 89.7 ms, Zephyr's
 *   FLASH_PAGE_ERASE_MAX_TIME_US (soc/nordic/nrf52/soc.h); a 32-bit word
 *   is written in 41 us (nRF52840 Product Specification, NVMC t_WRITE),
 *   10.25 us a byte. Zephyr's img_mgmt erases the image's sectors when the
 *   upload starts unless CONFIG_IMG_ERASE_PROGRESSIVELY (default n).
 * MCUboot serial recovery: boot/zephyr/Kconfig.serial_recovery (see
 *   front_pty_recovery.h); it erases the slot when the upload starts.
 *
 * A "real UART" profile paces the line at 115200 baud (about 11 ms per
 * 127-byte line); the others deliver bytes back to back, as USB CDC-ACM
 * and a pty do (--baud 0). */
#include <string.h>

#include "tests/sim/sim_profile.h"

#define NRF_FLASH                                                             \
	{ "write-ns-per-byte", "10250" }, { "erase-us-per-sector", "89700" }, \
	{                                                                     \
		"sector-size", "4096"                                         \
	}

static const struct sim_profile profiles[] = {
	{ "zephyr-udp",
	  "udp",
	  "smp_svr over UDP, Zephyr defaults (2 x 2048 buffers)",
	  { { "buf-size", "2048" },
	    { "buf-count", "2" },
	    { "udp-mtu", "1500" },
	    { "erase", "upfront" },
	    NRF_FLASH } },
	{ "zephyr-udp-4",
	  "udp",
	  "smp_svr over UDP with NETBUF_COUNT=4",
	  { { "buf-size", "2048" },
	    { "buf-count", "4" },
	    { "udp-mtu", "1500" },
	    { "erase", "upfront" },
	    NRF_FLASH } },
	{ "zephyr-shell",
	  "shell",
	  "smp_svr over the shell UART, polled, frames back to back",
	  { { "shell", NULL },
	    { "buf-size", "384" },
	    { "buf-count", "4" },
	    { "poll-ms", "10" },
	    { "frame-bufs", "2" },
	    { "baud", "0" },
	    { "erase", "upfront" },
	    NRF_FLASH } },
	{ "zephyr-uart",
	  "uart",
	  "smp_svr over the dedicated UART transport at 115200 baud",
	  { { "buf-size", "384" },
	    { "buf-count", "4" },
	    { "poll-ms", "0" },
	    { "frame-bufs", "2" },
	    { "baud", "115200" },
	    { "erase", "upfront" },
	    NRF_FLASH } },
	{ "zephyr-ble",
	  "ble",
	  "smp_svr over Bluetooth LE (overlay-bt.conf, ATT MTU 252)",
	  { { "buf-size", "384" },
	    { "buf-count", "4" },
	    { "att-mtu", "252" },
	    { "erase", "upfront" },
	    NRF_FLASH } },
	{ "ncs-ble-speedup",
	  "ble",
	  "NCS BLE OTA DFU with NCS_SAMPLE_MCUMGR_BT_OTA_DFU_SPEEDUP",
	  { { "buf-size", "2475" },
	    { "buf-count", "4" },
	    { "att-mtu", "498" },
	    { "erase", "progressive" },
	    NRF_FLASH } },
	{ "mcuboot-recovery",
	  "recovery",
	  "MCUboot serial recovery at 115200 baud",
	  { { "recovery", NULL }, { "baud", "115200" }, { "erase", "upfront" }, NRF_FLASH } },
};

#define N_PROFILES (sizeof(profiles) / sizeof(profiles[0]))

const struct sim_profile *sim_profile_find(const char *name)
{
	for (size_t i = 0; i < N_PROFILES; i++)
		if (!strcmp(profiles[i].name, name))
			return &profiles[i];
	return NULL;
}

const struct sim_profile *sim_profile_at(size_t i)
{
	return i < N_PROFILES ? &profiles[i] : NULL;
}
