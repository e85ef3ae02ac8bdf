/* A whole image upgrade as an event-driven state machine, for a host
 * without a thread to block in: a Zephyr work queue, a bare super-loop.
 * The caller hands over each packet the link delivers (smp_dfu_input) and
 * calls smp_dfu_timer once smp_dfu_deadline has come; the core sends
 * through the link's send op, which must not block.
 *
 * The steps: params (the device's buffers set the packet size and the
 * window), image list (an image already there is not sent again), upload,
 * test, reset; then, with cfg.confirm, the core asks the caller to
 * reconnect (cfg.reconnect), waits for smp_dfu_reconnected, checks that
 * the device runs the new image and confirms it.
 *
 * Memory: the struct and the engine's buffers are the caller's; nothing
 * is allocated. smp_dfu_run is the same machine over the link's blocking
 * recv, for a host with a thread. */
#ifndef SMP_DFU_H
#define SMP_DFU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "smp/engine.h"
#include "smp/grp_os.h"
#include "smp/image_src.h"
#include "smp/image_upload.h"

enum smp_dfu_phase {
	SMP_DFU_PARAMS,
	SMP_DFU_STATE,
	SMP_DFU_UPLOAD,
	SMP_DFU_TEST,
	SMP_DFU_RESET,
	SMP_DFU_RECONNECT,
	SMP_DFU_CONFIRM,
	SMP_DFU_DONE,
};

struct smp_dfu_cfg {
	const struct smp_image_src *src; /* the signed MCUboot image */
	size_t image_len;
	/* The image's hash as MCUboot's TLV holds it, which the device
	 * lists its slots by (smp_image_check gives it). */
	const uint8_t *hash;
	size_t hash_len;
	/* SHA-256 of the whole file, sent with the first chunk so the device
	 * can resume an upload it has begun; NULL: not sent. */
	const uint8_t *sha;
	int image; /* image number (1: an nRF5340's network core); < 0: not sent */
	/* After the reset: reconnect, check that the new image runs, and
	 * confirm it. false: stop after the reset, leaving it in test. */
	bool confirm;
	int reconnect_timeout_ms; /* 0: 60 s */
	int boot_timeout_ms;	  /* the device's silence while MCUboot swaps; 0: 60 s */
	/* Each phase as it starts, and the bytes the device has during the
	 * upload; may be NULL. */
	void (*progress)(void *arg, enum smp_dfu_phase phase, size_t done, size_t total);
	/* Once, at the end: SMP_OK or an enum smp_result, and why. */
	void (*done)(void *arg, int result, const char *detail);
	/* The device reset: reconnect and call smp_dfu_reconnected. NULL:
	 * the link survives a reset (UART, UDP), and the core waits out the
	 * device's reset delay itself. */
	void (*reconnect)(void *arg);
	void *arg;
};

struct smp_dfu {
	struct smp_engine *e;
	struct smp_dfu_cfg cfg;
	enum smp_dfu_phase phase;
	bool busy, verified;
	int64_t reconnect_by; /* with cfg.reconnect: give up then */
	int64_t settle_until; /* without: the device resets after answering */
	int64_t poll_at;      /* ask again then: the device has not reset yet */
	int64_t boot_by;      /* give up asking then */
	struct smp_os_params dev;
	struct smp_upload_params up;
	struct smp_upload_result ur;
	struct smp_upload_run run;
	int result;
	char detail[192];
	uint8_t body[160]; /* the small requests: hash, confirm, reset */
};

/* Starts the upgrade; SMP_OK, or an error when nothing could start. */
int smp_dfu_start(struct smp_dfu *d, struct smp_engine *e, const struct smp_dfu_cfg *cfg);
void smp_dfu_input(struct smp_dfu *d, const uint8_t *pkt, size_t len);
void smp_dfu_timer(struct smp_dfu *d);
/* When smp_dfu_timer is next due, on the smp_clock_ms() scale. */
int64_t smp_dfu_deadline(const struct smp_dfu *d);
void smp_dfu_reconnected(struct smp_dfu *d);
/* Stops at once; done reports SMP_E_CANCELLED. */
void smp_dfu_cancel(struct smp_dfu *d);
bool smp_dfu_busy(const struct smp_dfu *d);
const char *smp_dfu_phase_name(enum smp_dfu_phase phase);

/* The machine over the link's blocking recv (the engine's receive
 * buffer); reconnects with the link's reconnect op when it has one.
 * Returns the result done reports. */
int smp_dfu_run(struct smp_dfu *d, struct smp_engine *e, const struct smp_dfu_cfg *cfg);

#endif
