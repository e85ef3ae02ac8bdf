#include "smp/grp_img.h"

#include <string.h>

bool smp_img_version_mcuboot_form(char *v)
{
	char *last = NULL, *p;
	int dots = 0;

	for (p = v; *p; p++) {
		if (*p == '.') {
			dots++;
			last = p;
		} else if (*p < '0' || *p > '9') {
			return false;
		}
	}
	if (dots != 3 || !last[1])
		return false;
	*last = '+';
	return true;
}

static int flag(const struct smp_cbor *m, const char *key, bool *out)
{
	int r = smp_get_bool(m, key, out);

	if (r == SMP_GET_ABSENT) {
		*out = false;
		return 0;
	}
	return r;
}

static int decode_slot(const struct smp_cbor *m, struct smp_img_slot_state *s, const char **why)
{
	uint64_t v;
	size_t len = 0;
	int r;

	if (smp_cbor_type(m) != SMP_CBOR_MAP) {
		*why = "an \"images\" entry is not a map";
		return -1;
	}
	r = smp_get_uint(m, "image", &v);
	if (r == SMP_GET_TYPE || (r == SMP_GET_OK && v > UINT32_MAX)) {
		*why = "an \"images\" entry has a bad \"image\"";
		return -1;
	}
	s->image = r == SMP_GET_OK ? (uint32_t)v : 0;
	if (smp_get_uint(m, "slot", &v) != SMP_GET_OK || v > UINT32_MAX) {
		*why = "an \"images\" entry has no unsigned \"slot\"";
		return -1;
	}
	s->slot = (uint32_t)v;
	/* A version longer than the field is cut, as it always was. */
	r = smp_get_text(m, "version", s->version, sizeof(s->version));
	if (r != SMP_GET_OK && r != SMP_GET_NOMEM) {
		*why = "an \"images\" entry has no text \"version\"";
		return -1;
	}
	s->version_plus_made = smp_img_version_mcuboot_form(s->version);
	r = smp_get_bytes(m, "hash", s->hash, sizeof(s->hash), &len);
	if (r == SMP_GET_TYPE || r == SMP_GET_NOMEM) {
		*why = "an \"images\" entry has a bad \"hash\"";
		return -1;
	}
	s->hash_len = r == SMP_GET_OK ? len : 0;
	if (flag(m, "bootable", &s->bootable) || flag(m, "pending", &s->pending) ||
	    flag(m, "confirmed", &s->confirmed) || flag(m, "active", &s->active) ||
	    flag(m, "permanent", &s->permanent)) {
		*why = "an \"images\" entry has a flag that is not a boolean";
		return -1;
	}
	return 0;
}

/* Enters the array under key, or says why not. */
static int enter_array(const struct smp_cbor *map, const char *key, struct smp_cbor_iter *it)
{
	struct smp_cbor v;

	if (smp_map_find(map, key, &v) != SMP_GET_OK || smp_cbor_type(&v) != SMP_CBOR_ARRAY)
		return -1;
	return smp_cbor_enter(&v, it) == SMP_GET_OK ? 0 : -1;
}

int smp_img_state_rsp(const struct smp_cbor *rsp, struct smp_img_state *st, const char **why)
{
	struct smp_cbor_iter it;
	struct smp_cbor el;

	memset(st, 0, sizeof(*st));
	if (enter_array(rsp, "images", &it) != 0) {
		*why = "answer has no \"images\" array";
		return -1;
	}
	while (smp_cbor_next(&it, &el)) {
		if (st->count == SMP_IMG_STATE_MAX) {
			*why = "answer has more \"images\" entries than 8 images have slots";
			return -1;
		}
		if (decode_slot(&el, &st->slots[st->count], why) != 0)
			return -1;
		st->count++;
	}
	st->has_split_status = smp_get_int(rsp, "splitStatus", &st->split_status) == SMP_GET_OK;
	return 0;
}

const struct smp_img_slot_state *smp_img_state_find(const struct smp_img_state *st,
						    const uint8_t *hash, size_t hash_len)
{
	size_t i;

	for (i = 0; i < st->count; i++)
		if (st->slots[i].hash_len == hash_len && hash_len &&
		    !memcmp(st->slots[i].hash, hash, hash_len))
			return &st->slots[i];
	return NULL;
}

int smp_img_state_write_req(struct smp_cbor_writer *w, const uint8_t *hash, size_t hash_len,
			    bool confirm)
{
	smp_cbor_map(w, hash ? 2 : 1);
	if (hash)
		smp_put_bytes(w, "hash", hash, hash_len);
	smp_put_bool(w, "confirm", confirm);
	return smp_cbor_done(w);
}

int smp_img_erase_req(struct smp_cbor_writer *w, int slot)
{
	smp_cbor_map(w, slot >= 0 ? 1 : 0);
	if (slot >= 0)
		smp_put_uint(w, "slot", (uint64_t)slot);
	return smp_cbor_done(w);
}

static int decode_info_slot(const struct smp_cbor *m, struct smp_img_slot_info_slot *s,
			    const char **why)
{
	uint64_t v;
	int r;

	if (smp_cbor_type(m) != SMP_CBOR_MAP || smp_get_uint(m, "slot", &v) != SMP_GET_OK ||
	    v > UINT32_MAX || smp_get_uint(m, "size", &s->size) != SMP_GET_OK) {
		*why = "a \"slots\" entry lacks an unsigned \"slot\" or \"size\"";
		return -1;
	}
	s->slot = (uint32_t)v;
	r = smp_get_uint(m, "upload_image_id", &v);
	if (r == SMP_GET_TYPE || (r == SMP_GET_OK && v > UINT32_MAX)) {
		*why = "a \"slots\" entry has a bad \"upload_image_id\"";
		return -1;
	}
	s->has_upload_image_id = r == SMP_GET_OK;
	s->upload_image_id = (uint32_t)v;
	return 0;
}

#define INFO_SLOTS_MAX                                          \
	(sizeof(((struct smp_img_slot_info_image *)0)->slots) / \
	 sizeof(struct smp_img_slot_info_slot))
#define INFO_IMAGES_MAX \
	(sizeof(((struct smp_img_slot_info *)0)->images) / sizeof(struct smp_img_slot_info_image))

static int decode_info_image(const struct smp_cbor *m, struct smp_img_slot_info_image *im,
			     const char **why)
{
	struct smp_cbor_iter it;
	struct smp_cbor el;
	uint64_t v;
	int r;

	if (smp_cbor_type(m) != SMP_CBOR_MAP || smp_get_uint(m, "image", &v) != SMP_GET_OK ||
	    v > UINT32_MAX) {
		*why = "an \"images\" entry lacks an unsigned \"image\"";
		return -1;
	}
	im->image = (uint32_t)v;
	if (enter_array(m, "slots", &it) != 0) {
		*why = "an \"images\" entry lacks a \"slots\" array (of at most 4)";
		return -1;
	}
	while (smp_cbor_next(&it, &el)) {
		if (im->nslots == INFO_SLOTS_MAX) {
			*why = "an \"images\" entry lacks a \"slots\" array (of at most 4)";
			return -1;
		}
		if (decode_info_slot(&el, &im->slots[im->nslots], why) != 0)
			return -1;
		im->nslots++;
	}
	r = smp_get_uint(m, "max_image_size", &im->max_image_size);
	if (r == SMP_GET_TYPE) {
		*why = "\"max_image_size\" is not unsigned";
		return -1;
	}
	im->has_max_image_size = r == SMP_GET_OK;
	return 0;
}

int smp_img_slot_info_rsp(const struct smp_cbor *rsp, struct smp_img_slot_info *info,
			  const char **why)
{
	struct smp_cbor_iter it;
	struct smp_cbor el;

	memset(info, 0, sizeof(*info));
	if (enter_array(rsp, "images", &it) != 0) {
		*why = "answer has no \"images\" array (of at most 8)";
		return -1;
	}
	while (smp_cbor_next(&it, &el)) {
		if (info->count == INFO_IMAGES_MAX) {
			*why = "answer has no \"images\" array (of at most 8)";
			return -1;
		}
		if (decode_info_image(&el, &info->images[info->count], why) != 0)
			return -1;
		info->count++;
	}
	return 0;
}
