/* Image management group (1): image state, erase and slot info codecs.
 * The upload's chunk codec is in smp/image_upload.h. */
#ifndef SMP_GRP_IMG_H
#define SMP_GRP_IMG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "smp/cbor_read.h"
#include "smp/cbor_write.h"

enum smp_img_cmd {
	SMP_IMG_STATE = 0,
	SMP_IMG_UPLOAD = 1,
	SMP_IMG_ERASE = 5,
	SMP_IMG_SLOT_INFO = 6,
};

#define SMP_IMG_HASH_MAX 64 /* SHA-512 */
/* Entries of an image state answer: two slots for each of up to 8 images
 * (MCUboot's and Zephyr's CONFIG_UPDATEABLE_IMAGE_NUMBER; slot info below
 * takes as many). A longer answer is refused, not cut. */
#define SMP_IMG_STATE_MAX 16
/* Zephyr's IMG_MGMT_VER_MAX_STR_LEN is 25 ("255.255.65535.4294967295");
 * room for a longer one, which is cut to fit. */
#define SMP_IMG_VERSION_MAX 48

struct smp_img_slot_state {
	uint32_t image;
	uint32_t slot;
	char version[SMP_IMG_VERSION_MAX];
	bool version_plus_made; /* the device's last '.' made '+' (below) */
	uint8_t hash[SMP_IMG_HASH_MAX];
	size_t hash_len; /* 0: the device gave none */
	bool bootable, pending, confirmed, active, permanent;
};

struct smp_img_state {
	struct smp_img_slot_state slots[SMP_IMG_STATE_MAX];
	size_t count;
	bool has_split_status;
	int64_t split_status;
};

/* Decodes {"images": [...], "splitStatus"?}. Flags left out are false, a
 * left-out "image" is 0. Returns 0, or -1 with why (a static string
 * naming the field at fault) set. */
/* Zephyr's img_mgmt writes a version with a build number as "1.2.3.4";
 * imgtool, MCUboot and smpctl's image info write "1.2.3+4". This turns
 * the first into the second in place, so that one form shows everywhere;
 * anything else is left as it is. True when it changed v. */
bool smp_img_version_mcuboot_form(char *v);
int smp_img_state_rsp(const struct smp_cbor *rsp, struct smp_img_state *st, const char **why);
/* The slot entry whose hash equals hash, or NULL. */
const struct smp_img_slot_state *smp_img_state_find(const struct smp_img_state *st,
						    const uint8_t *hash, size_t hash_len);

/* Request builders write into w and return 0, or -1 when it did not fit.
 * {"hash"?, "confirm"}: confirm false marks hash for test; it needs at
 * most SMP_IMG_STATE_REQ_MAX bytes for a hash of SMP_IMG_HASH_MAX. */
#define SMP_IMG_STATE_REQ_MAX (24 + SMP_IMG_HASH_MAX)
int smp_img_state_write_req(struct smp_cbor_writer *w, const uint8_t *hash, size_t hash_len,
			    bool confirm);
/* {"slot"?}: slot < 0 leaves the choice to the device (slot 1). */
int smp_img_erase_req(struct smp_cbor_writer *w, int slot);

struct smp_img_slot_info_slot {
	uint32_t slot;
	uint64_t size;
	bool has_upload_image_id;
	uint32_t upload_image_id;
};

struct smp_img_slot_info_image {
	uint32_t image;
	struct smp_img_slot_info_slot slots[4];
	size_t nslots;
	bool has_max_image_size;
	uint64_t max_image_size;
};

struct smp_img_slot_info {
	struct smp_img_slot_info_image images[8];
	size_t count;
};

int smp_img_slot_info_rsp(const struct smp_cbor *rsp, struct smp_img_slot_info *info,
			  const char **why);

#endif
