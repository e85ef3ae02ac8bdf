#include "smp/grp_settings.h"

#include <string.h>

int smp_settings_read_req(struct smp_cbor_writer *w, const char *name, uint32_t max_size)
{
	smp_cbor_map(w, max_size ? 2 : 1);
	smp_put_text(w, "name", name);
	if (max_size)
		smp_put_uint(w, "max_size", max_size);
	return smp_cbor_done(w);
}

int smp_settings_write_req(struct smp_cbor_writer *w, const char *name, const uint8_t *val,
			   size_t len)
{
	smp_cbor_map(w, 2);
	smp_put_text(w, "name", name);
	smp_put_bytes(w, "val", val, len);
	return smp_cbor_done(w);
}

int smp_settings_delete_req(struct smp_cbor_writer *w, const char *name)
{
	smp_cbor_map(w, 1);
	smp_put_text(w, "name", name);
	return smp_cbor_done(w);
}

int smp_settings_read_rsp(const struct smp_cbor *rsp, struct smp_settings_value *v,
			  const char **why)
{
	int r;

	memset(v, 0, sizeof(*v));
	if (smp_map_find(rsp, "val", &v->val) != SMP_GET_OK ||
	    smp_item_bytes_len(&v->val, &v->len) != SMP_GET_OK) {
		memset(v, 0, sizeof(*v));
		*why = "answer has no byte string \"val\"";
		return -1;
	}
	r = smp_get_uint(rsp, "max_size", &v->max_size);
	if (r == SMP_GET_TYPE) {
		*why = "answer has a \"max_size\" that is not an unsigned integer";
		return -1;
	}
	v->has_max_size = r == SMP_GET_OK;
	return 0;
}
