/* Internals shared by the simulated device's files (not for frontends). */
#ifndef SIM_PRIV_H
#define SIM_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cbor.h>

#include "tests/sim/frontend.h"
#include "tests/sim/sim.h"
#include "tests/sim/sim_groups.h"
#include "tests/sim/sim_wq.h"

/* Zephyr's generic MGMT_ERR_* codes. */
enum mgmt_err {
	MGMT_ERR_EOK = 0,
	MGMT_ERR_EUNKNOWN = 1,
	MGMT_ERR_ENOMEM = 2,
	MGMT_ERR_EINVAL = 3,
	MGMT_ERR_ETIMEOUT = 4,
	MGMT_ERR_ENOENT = 5,
	MGMT_ERR_EBADSTATE = 6,
	MGMT_ERR_EMSGSIZE = 7,
	MGMT_ERR_ENOTSUP = 8,
	MGMT_ERR_ECORRUPT = 9,
	MGMT_ERR_EBUSY = 10,
	MGMT_ERR_EACCESSDENIED = 11,
	MGMT_ERR_UNSUPPORTED_TOO_OLD = 12,
	MGMT_ERR_UNSUPPORTED_TOO_NEW = 13,
};

enum {
	SIM_GROUP_OS = 0,
	SIM_GROUP_IMAGE = 1
};
enum {
	SIM_GROUP_STAT = 2,
	SIM_GROUP_SETTINGS = 3,
	SIM_GROUP_FS = 8,
	SIM_GROUP_SHELL = 9,
	SIM_GROUP_ENUM = 10,
	SIM_GROUP_BASIC = 63
};

/* MCUboot's per-slot trailer state, kept in the flash file's meta block. */
struct sim_trailer {
	uint8_t magic; /* 1 = BOOT_MAGIC_GOOD, 0 = unset */
	uint8_t image_ok;
	uint8_t copy_done;
};

enum sim_swap_type {
	SIM_SWAP_NONE = 1, /* values as MCUboot's BOOT_SWAP_TYPE_* */
	SIM_SWAP_TEST = 2,
	SIM_SWAP_PERM = 3,
	SIM_SWAP_REVERT = 4,
};

struct sim_flash {
	int fd;
	uint32_t slot_size;
	unsigned images;
	struct sim_trailer trailer[2 * SIM_MAX_IMAGES];
};

/* Zephyr's g_img_mgmt_state: the upload in progress, lost on reboot. */
struct sim_upload {
	int slot; /* -1: no upload in progress (area_id -1) */
	uint64_t off;
	uint64_t size;
	uint8_t sha[32];
	size_t sha_len;
	uint64_t erased_to; /* CONFIG_IMG_ERASE_PROGRESSIVELY: sectors done */
};

/* A request in the work queue (sim_wq.c). */
struct sim_wq_item {
	uint8_t *pkt;
	size_t len;
	uint8_t *tag;
	size_t tag_len;
	sim_wq_emit_fn emit;
	void *ctx;
	struct sim_wq_item *next;
};

struct sim_wq {
	unsigned used; /* pool buffers taken */
	struct sim_wq_item *head, *tail;
	struct sim_wq_item *cur; /* being processed */
	unsigned cur_bufs;	 /* buffers cur holds: 1 or 2 */
	struct sim_outq answers; /* cur's answers, out at done_ms */
	int64_t done_ms;
	uint64_t done_ns; /* the queue's own time line, in ns */
	uint64_t cost_ns; /* flash work of the request so far */
	bool no_rsp_buf;  /* processing with no answer buffer */
	struct sim_wq_stats stats;
};

struct sim_device {
	struct sim_config cfg;
	struct sim_flash flash;
	struct sim_upload upload;
	int64_t reset_at; /* scheduled reboot, 0 = none */
	int64_t offline_until;
	int64_t busy_until;
	unsigned boots;
	bool online_untold; /* booted, "event online" not said yet */
	bool stalled, dead; /* test controls (sim_test_ctl.c) */
	bool rtc_set;
	int64_t rtc_offset_s;		/* device time = host realtime + offset */
	struct sim_groups_state groups; /* fs, settings, stat (sim_groups.h) */
	struct sim_wq wq;
};

/* One request being handled: handlers read payload and fill rsp. */
struct sim_req {
	struct sim_device *dev;
	uint8_t version; /* as the handlers see it (0 in v1-only mode) */
	uint8_t op;
	uint16_t group;
	uint8_t id;
	cbor_item_t *payload; /* first CBOR item after the header, or NULL */
	cbor_item_t *rsp;     /* the indefinite response map */
	uint16_t err_group;   /* set by sim_add_cmd_err */
	uint16_t err_rc;
	const char *rsn; /* "rsn" for an rc error response */
};

typedef int (*sim_handler_fn)(struct sim_req *req);

struct sim_handler {
	sim_handler_fn read;
	sim_handler_fn write;
};

struct sim_group {
	uint16_t id;
	const struct sim_handler *handlers;
	size_t count;
	/* v2 group error -> legacy MGMT_ERR code (mg_translate_error). */
	int (*translate)(uint16_t err);
};

extern const struct sim_group sim_os_group;
extern const struct sim_group sim_img_group;
extern const struct sim_group sim_stat_group;
extern const struct sim_group sim_settings_group;
extern const struct sim_group sim_fs_group;
extern const struct sim_group sim_shell_group;
extern const struct sim_group sim_enum_group;
extern const struct sim_group sim_basic_group;
/* The groups the device has (less those disabled), in registration
 * order: for the enumeration group. Returns how many; fills up to cap. */
size_t sim_group_list(const struct sim_device *dev, const struct sim_group **out, size_t cap);
/* os mpstat (sim_os_mpstat.c). */
int sim_os_mpstat(struct sim_req *req);

/* Adds {"err": {"group", "rc"}} to the response as smp_add_cmd_err does.
 * Returns MGMT_ERR_EOK, or MGMT_ERR_ENOMEM. */
int sim_add_cmd_err(struct sim_req *req, uint16_t group, uint16_t rc);

/* zcbor_map_decode_bulk: decodes the known keys of the request map. */
enum sim_ktype {
	SIM_K_UINT32,
	SIM_K_BOOL,
	SIM_K_TSTR,
	SIM_K_BSTR
};

struct sim_str {
	const uint8_t *ptr;
	size_t len;
};

struct sim_key {
	const char *key;
	enum sim_ktype type;
	void *out; /* uint32_t *, bool *, struct sim_str * */
	bool found;
};

/* Returns 0, or -1 when the payload is not a map, a key is not text, a
 * known key repeats or has a value of the wrong type. *decoded counts the
 * known keys found. */
int sim_decode_bulk(const struct sim_req *req, struct sim_key *keys, size_t n, size_t *decoded);

/* Response map builders; each returns 0 or -1 on no memory. */
int sim_rsp_put(struct sim_req *req, const char *key, cbor_item_t *value);
cbor_item_t *sim_cbor_text(const char *s);
cbor_item_t *sim_cbor_bytes(const uint8_t *p, size_t len);
cbor_item_t *sim_cbor_bool(bool v);

/* Flash file (sim_flash.c). Slots are numbered as Zephyr does: image i has
 * slots 2i (primary) and 2i + 1 (secondary). */
int sim_flash_open(struct sim_flash *fl, const struct sim_config *cfg, char *err, size_t errlen);
void sim_flash_close(struct sim_flash *fl);
int sim_flash_read(const struct sim_flash *fl, int slot, uint64_t off, void *buf, size_t len);
int sim_flash_write(struct sim_flash *fl, int slot, uint64_t off, const void *buf, size_t len);
int sim_flash_erase(struct sim_flash *fl, int slot);
/* 1 when the whole slot reads 0xff, 0 when not, -1 on error. */
int sim_flash_is_erased(const struct sim_flash *fl, int slot);
int sim_flash_swap(struct sim_flash *fl, int slot_a, int slot_b);
int sim_flash_save_trailers(struct sim_flash *fl);
int sim_flash_slot_count(const struct sim_flash *fl);
/* SHA-256 of the first len bytes of a slot. */
int sim_flash_sha256(const struct sim_flash *fl, int slot, uint64_t len, uint8_t out[32]);

/* MCUboot image in a slot (sim_image.c). */
struct sim_image_version {
	uint8_t major, minor;
	uint16_t revision;
	uint32_t build;
};

struct sim_image_info {
	struct sim_image_version ver;
	uint32_t flags;
	uint8_t hash[32];
};

#define SIM_IMAGE_MAGIC 0x96f3b83du
#define SIM_IMAGE_F_NON_BOOTABLE 0x10u
#define SIM_IMAGE_F_ENCRYPTED 0x0cu

/* img_mgmt_read_info: 0, or an IMG_MGMT_ERR_* code (3 no image...). */
int sim_image_read_info(const struct sim_flash *fl, int slot, struct sim_image_info *info);
/* MCUboot's check before a swap: header, and the hash TLV against the
 * image (encrypted images are taken as valid: we hold no key). */
bool sim_image_valid(const struct sim_flash *fl, int slot);
int sim_image_vercmp(const struct sim_image_version *a, const struct sim_image_version *b);
/* Zephyr's img_mgmt_ver_str: "1.2.3", or "1.2.3.4" when build != 0. */
void sim_image_ver_str(const struct sim_image_version *v, char *buf, size_t len);
/* Builds a small valid image (version 1.0.0) for an empty primary slot.
 * Returns a malloc'd buffer. */
uint8_t *sim_image_build_default(size_t *len);

/* MCUboot and img_mgmt state logic (sim_boot.c). */
enum sim_swap_type sim_boot_swap_type(const struct sim_device *dev, int image);
int sim_boot_active_slot(int image);
int sim_boot_opposite_slot(int slot);
/* Next boot slot and type as img_mgmt_get_next_boot_slot. */
enum sim_next_boot {
	SIM_NEXT_NORMAL,
	SIM_NEXT_TEST,
	SIM_NEXT_REVERT
};
int sim_boot_next_slot(const struct sim_device *dev, int image, enum sim_next_boot *type);
bool sim_boot_slot_in_use(const struct sim_device *dev, int slot);
/* img_mgmt_set_next_boot_slot: 0 or an IMG_MGMT_ERR_* code. */
int sim_boot_set_next(struct sim_device *dev, int slot, bool confirm);
/* What MCUboot does at power-on: swap, revert or nothing. */
void sim_boot_run_mcuboot(struct sim_device *dev);

/* Empties the pool and the work queue (a reboot). */
void sim_wq_reset(struct sim_device *dev);
/* The service time the flash work so far adds, in ms (rounded up), and
 * forgets it: for servers outside the work queue (MCUboot recovery). */
int64_t sim_cost_take_ms(struct sim_device *dev);

/* Clears the upload in progress (img_mgmt_reset_upload). */
void sim_upload_reset(struct sim_device *dev);
/* Schedules a reboot after the reset command's delay. */
void sim_device_schedule_reset(struct sim_device *dev);
/* Reboots at once, as a watchdog would. */
void sim_device_reset_now(struct sim_device *dev);

/* Says "event ..." through cfg.event, if set. */
void sim_event(const struct sim_device *dev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The test controls (sim_test_ctl.c): true when the request (its header
 * and body) must go unanswered, because the device is dead, it belongs
 * to a stalled transfer or it reaches a control's byte. */
struct smp_header;
bool sim_test_ctl_drop(struct sim_device *dev, const struct smp_header *hdr, const uint8_t *body,
		       size_t len);

#endif
