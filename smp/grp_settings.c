#include "smp/grp_settings.h"

#include <stdlib.h>
#include <string.h>

#include "smp/cbor_util.h"

static cbor_item_t *name_map(const char *name, size_t fields)
{
	cbor_item_t *m = cbor_new_definite_map(fields);

	if (m && smp_put_text(m, "name", name))
		cbor_decref(&m);
	return m;
}

cbor_item_t *smp_settings_read_req(const char *name, uint32_t max_size)
{
	cbor_item_t *m = name_map(name, max_size ? 2 : 1);

	if (m && max_size && smp_put_uint(m, "max_size", max_size))
		cbor_decref(&m);
	return m;
}

cbor_item_t *smp_settings_write_req(const char *name, const uint8_t *val, size_t len)
{
	cbor_item_t *m = name_map(name, 2);

	if (m && smp_put_bytes(m, "val", val, len))
		cbor_decref(&m);
	return m;
}

cbor_item_t *smp_settings_delete_req(const char *name)
{
	return name_map(name, 1);
}

int smp_settings_read_rsp(const cbor_item_t *rsp, struct smp_settings_value *v, const char **why)
{
	int r;

	memset(v, 0, sizeof(*v));
	r = smp_get_bytes(rsp, "val", &v->val, &v->len);
	if (r != SMP_GET_OK) {
		*why = r == SMP_GET_NOMEM ? "out of memory" : "answer has no byte string \"val\"";
		return -1;
	}
	r = smp_get_uint(rsp, "max_size", &v->max_size);
	if (r == SMP_GET_TYPE) {
		smp_settings_value_free(v);
		*why = "answer has a \"max_size\" that is not an unsigned integer";
		return -1;
	}
	v->has_max_size = r == SMP_GET_OK;
	return 0;
}

void smp_settings_value_free(struct smp_settings_value *v)
{
	free(v->val);
	memset(v, 0, sizeof(*v));
}
