#include "smp/grp_img.h"

#include <stdlib.h>
#include <string.h>

#include "smp/cbor_util.h"
#include "smp/fmt.h"

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

static int flag(const cbor_item_t *m, const char *key, bool *out)
{
	int r = smp_get_bool(m, key, out);

	if (r == SMP_GET_ABSENT) {
		*out = false;
		return 0;
	}
	return r;
}

static int decode_slot(const cbor_item_t *m, struct smp_img_slot_state *s, const char **why)
{
	uint64_t v;
	char *text = NULL;
	uint8_t *hash = NULL;
	size_t len = 0;
	int r;

	if (!cbor_isa_map(m)) {
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
	if (smp_get_text(m, "version", &text) != SMP_GET_OK) {
		*why = "an \"images\" entry has no text \"version\"";
		return -1;
	}
	smp_fmt(s->version, sizeof(s->version), "%s", text);
	free(text);
	s->version_plus_made = smp_img_version_mcuboot_form(s->version);
	r = smp_get_bytes(m, "hash", &hash, &len);
	if (r == SMP_GET_TYPE || (r == SMP_GET_OK && len > SMP_IMG_HASH_MAX)) {
		free(hash);
		*why = "an \"images\" entry has a bad \"hash\"";
		return -1;
	}
	if (r == SMP_GET_OK && len)
		memcpy(s->hash, hash, len);
	s->hash_len = r == SMP_GET_OK ? len : 0;
	free(hash);
	if (flag(m, "bootable", &s->bootable) || flag(m, "pending", &s->pending) ||
	    flag(m, "confirmed", &s->confirmed) || flag(m, "active", &s->active) ||
	    flag(m, "permanent", &s->permanent)) {
		*why = "an \"images\" entry has a flag that is not a boolean";
		return -1;
	}
	return 0;
}

int smp_img_state_rsp(const cbor_item_t *rsp, struct smp_img_state *st, const char **why)
{
	cbor_item_t *images = smp_map_get(rsp, "images");
	size_t i, n;
	int r;

	memset(st, 0, sizeof(*st));
	if (!images || !cbor_isa_array(images)) {
		*why = "answer has no \"images\" array";
		return -1;
	}
	n = cbor_array_size(images);
	st->slots = n ? calloc(n, sizeof(*st->slots)) : NULL;
	if (n && !st->slots) {
		*why = "out of memory";
		return -1;
	}
	for (i = 0; i < n; i++) {
		cbor_item_t *el = cbor_array_get(images, i);

		r = el ? decode_slot(el, &st->slots[i], why) : -1;
		if (el)
			cbor_decref(&el);
		if (r) {
			smp_img_state_free(st);
			return -1;
		}
	}
	st->count = n;
	r = smp_get_int(rsp, "splitStatus", &st->split_status);
	st->has_split_status = r == SMP_GET_OK;
	return 0;
}

void smp_img_state_free(struct smp_img_state *st)
{
	free(st->slots);
	memset(st, 0, sizeof(*st));
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

cbor_item_t *smp_img_state_write_req(const uint8_t *hash, size_t hash_len, bool confirm)
{
	cbor_item_t *m = cbor_new_definite_map(hash ? 2 : 1);

	if (!m)
		return NULL;
	if ((hash && smp_put_bytes(m, "hash", hash, hash_len) != 0) ||
	    smp_put_bool(m, "confirm", confirm) != 0)
		cbor_decref(&m);
	return m;
}

cbor_item_t *smp_img_erase_req(int slot)
{
	cbor_item_t *m = cbor_new_definite_map(slot >= 0 ? 1 : 0);

	if (m && slot >= 0 && smp_put_uint(m, "slot", (uint64_t)slot) != 0)
		cbor_decref(&m);
	return m;
}

static int decode_info_slot(const cbor_item_t *m, struct smp_img_slot_info_slot *s,
			    const char **why)
{
	uint64_t v;
	int r;

	if (!cbor_isa_map(m) || smp_get_uint(m, "slot", &v) != SMP_GET_OK || v > UINT32_MAX ||
	    smp_get_uint(m, "size", &s->size) != SMP_GET_OK) {
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

static int decode_info_image(const cbor_item_t *m, struct smp_img_slot_info_image *im,
			     const char **why)
{
	cbor_item_t *slots;
	uint64_t v;
	size_t i;
	int r;

	if (!cbor_isa_map(m) || smp_get_uint(m, "image", &v) != SMP_GET_OK || v > UINT32_MAX) {
		*why = "an \"images\" entry lacks an unsigned \"image\"";
		return -1;
	}
	im->image = (uint32_t)v;
	slots = smp_map_get(m, "slots");
	if (!slots || !cbor_isa_array(slots) || cbor_array_size(slots) > 4) {
		*why = "an \"images\" entry lacks a \"slots\" array (of at most 4)";
		return -1;
	}
	im->nslots = cbor_array_size(slots);
	for (i = 0; i < im->nslots; i++) {
		cbor_item_t *el = cbor_array_get(slots, i);

		r = el ? decode_info_slot(el, &im->slots[i], why) : -1;
		if (el)
			cbor_decref(&el);
		if (r)
			return -1;
	}
	r = smp_get_uint(m, "max_image_size", &im->max_image_size);
	if (r == SMP_GET_TYPE) {
		*why = "\"max_image_size\" is not unsigned";
		return -1;
	}
	im->has_max_image_size = r == SMP_GET_OK;
	return 0;
}

int smp_img_slot_info_rsp(const cbor_item_t *rsp, struct smp_img_slot_info *info, const char **why)
{
	cbor_item_t *images = smp_map_get(rsp, "images");
	size_t i;
	int r;

	memset(info, 0, sizeof(*info));
	if (!images || !cbor_isa_array(images) || cbor_array_size(images) > 8) {
		*why = "answer has no \"images\" array (of at most 8)";
		return -1;
	}
	info->count = cbor_array_size(images);
	for (i = 0; i < info->count; i++) {
		cbor_item_t *el = cbor_array_get(images, i);

		r = el ? decode_info_image(el, &info->images[i], why) : -1;
		if (el)
			cbor_decref(&el);
		if (r)
			return -1;
	}
	return 0;
}
