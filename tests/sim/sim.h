/* The simulated device: an SMP server that answers like Zephyr's smp_svr
 * sample on top of MCUboot in swap mode. Transport-independent: frontends
 * (frontend.h) hand it whole request packets and send back what it answers.
 */
#ifndef SIM_H
#define SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_MAX_IMAGES 2

/* MCUboot modes reported by bootloader info "mode". */
enum sim_boot_mode {
	SIM_BOOT_SWAP_SCRATCH = 1,
	SIM_BOOT_SWAP_MOVE = 3,
};

struct sim_config {
	const char *flash_path;	     /* required */
	const char *primary_image;   /* put in slot 0 when the flash file is new */
	const char *secondary_image; /* put in slot 1 when the flash file is new */
	uint32_t slot_size;	     /* bytes per slot, for a new flash file */
	unsigned images;	     /* image pairs (1, or 2 for a network core) */
	unsigned buf_size;	     /* CONFIG_MCUMGR_TRANSPORT_NETBUF_SIZE */
	unsigned buf_count;	     /* CONFIG_MCUMGR_TRANSPORT_NETBUF_COUNT */
	bool v1_only;		     /* an old server: ignores the version bits */
	bool legacy_rc;		     /* CONFIG_MCUMGR_SMP_LEGACY_RC_BEHAVIOUR */
	bool image_check;	     /* CONFIG_IMG_ENABLE_IMAGE_CHECK ("match") */
	bool allow_erase_pending;    /* CONFIG_MCUMGR_GRP_IMG_ALLOW_ERASE_PENDING */
	bool verbose_err;	     /* CONFIG_MCUMGR_SMP_VERBOSE_ERR_RESPONSE */
	bool no_downgrade;	     /* MCUboot downgrade prevention */
	int boot_mode;		     /* enum sim_boot_mode */
	unsigned reset_delay_ms;     /* CONFIG_MCUMGR_GRP_OS_RESET_MS */
	unsigned reset_offline_ms;   /* silent time while rebooting */
	unsigned erase_delay_ms;     /* busy time when a slot gets erased */
	/* Service time of a request, modelled on flash (sim_wq.c): a fixed
	 * time per request, a time per byte written and one per sector
	 * erased. 0 unless a --device profile or option says otherwise. */
	unsigned request_us;
	unsigned write_ns_per_byte;
	unsigned erase_us_per_sector;
	unsigned sector_size;	  /* flash erase unit (nRF: 4096) */
	bool erase_progressive;	  /* CONFIG_IMG_ERASE_PROGRESSIVELY */
	uint64_t disabled_groups; /* bit g set: group g (< 64) absent */
	const char *fs_root;	  /* host directory mounted as /lfs; NULL: none */
	bool os_mpstat;		  /* CONFIG_MCUMGR_GRP_OS_MPSTAT (off in Zephyr) */
	/* Monotonic clock in ms; NULL means the host's monotonic clock.
	 * Unit tests pass a fake one. */
	int64_t (*clock_ms)(void *ctx);
	void *clock_ctx;
	/* Test controls, not device behaviour (sim_test_ctl.c): once a
	 * transfer (image upload, fs upload or download) asks for this
	 * offset or a later one, the transfer stalls until released, the
	 * device loses power or it reboots, once. -1: never
	 * (sim_config_defaults). */
	int64_t stall_at_byte;
	int64_t die_at_byte;
	int64_t reset_at_byte;
	/* Where the device says what happened to it, one line a call
	 * ("event online 2", "event stalled 524288"), so that a test waits
	 * for the event rather than for a clock. NULL: nowhere. */
	void (*event)(void *ctx, const char *line);
	void *event_ctx;
};

struct sim_device;

void sim_config_defaults(struct sim_config *cfg);

/* Opens (creating if needed) the flash file and boots the device. Returns
 * NULL with a one-line message in err on failure. */
struct sim_device *sim_device_open(const struct sim_config *cfg, char *err, size_t errlen);
void sim_device_close(struct sim_device *dev);

/* Handles every SMP message in one received packet, as Zephyr's
 * smp_process_request_packet does, and calls emit once per answer (each a
 * whole SMP packet). Returns the number of answers; 0 when the device is
 * offline (rebooting) or the packet gets no answer. */
typedef void (*sim_emit_fn)(void *ctx, const uint8_t *pkt, size_t len);
int sim_process(struct sim_device *dev, const uint8_t *req, size_t len, sim_emit_fn emit,
		void *ctx);

/* Same, copying the answers one after the other into rsp. Returns their
 * total length (0 = no answer); answers that do not fit are dropped. */
size_t sim_handle_packet(struct sim_device *dev, const uint8_t *req, size_t len, uint8_t *rsp,
			 size_t cap);

/* Current time on the device's clock. */
int64_t sim_now_ms(const struct sim_device *dev);
/* True while the device is rebooting: requests are dropped. */
bool sim_device_offline(struct sim_device *dev);
/* Until this time the device is busy with the last request (erasing):
 * its answer and later requests must wait. */
int64_t sim_device_busy_until(const struct sim_device *dev);
/* Milliseconds until the device changes state on its own (reboot), -1
 * when nothing is scheduled; frontends may poll with it. */
int sim_device_next_event_ms(struct sim_device *dev);
const struct sim_config *sim_device_config(const struct sim_device *dev);
/* Number of times the device has booted since sim_device_open (1 after
 * open). Lets tests and frontends notice a reset. */
unsigned sim_device_boot_count(const struct sim_device *dev);
/* Test control (SIGUSR1 in smp-simdev): a stalled transfer is answered
 * again and a rebooting device comes back now. */
void sim_device_release(struct sim_device *dev);
/* True once a --die-at-byte control has cut the device's power: the
 * process is to end. */
bool sim_device_dead(const struct sim_device *dev);

#endif
