#include "smp/grp_enum.h"

#include <stdlib.h>
#include <string.h>

#include "smp/cbor_util.h"
#include "smp/fmt.h"

static int fail(const char **why, const char *what)
{
	*why = what;
	return -1;
}

cbor_item_t *smp_enum_single_req(uint32_t index)
{
	cbor_item_t *m = cbor_new_definite_map(1);

	if (m && smp_put_uint(m, "index", index))
		cbor_decref(&m);
	return m;
}

cbor_item_t *smp_enum_details_req(const uint16_t *ids, size_t n)
{
	cbor_item_t *m = cbor_new_definite_map(n ? 1 : 0), *arr;

	if (!m || n == 0)
		return m;
	arr = cbor_new_definite_array(n);
	for (size_t i = 0; arr && i < n; i++) {
		cbor_item_t *v = smp_cbor_uint(ids[i]);
		bool ok = v && cbor_array_push(arr, v);

		if (v)
			cbor_decref(&v);
		if (!ok)
			cbor_decref(&arr);
	}
	if (!arr || smp_put_item(m, "groups", arr))
		cbor_decref(&m);
	return m;
}

int smp_enum_count_rsp(const cbor_item_t *rsp, uint64_t *count, const char **why)
{
	if (smp_get_uint(rsp, "count", count) != SMP_GET_OK)
		return fail(why, "answer has no unsigned \"count\"");
	return 0;
}

static int group_id(const cbor_item_t *item, uint16_t *id)
{
	uint64_t v;

	if (smp_item_uint(item, &v) != SMP_GET_OK || v > UINT16_MAX)
		return -1;
	*id = (uint16_t)v;
	return 0;
}

int smp_enum_list_rsp(const cbor_item_t *rsp, struct smp_enum_list *l, const char **why)
{
	cbor_item_t *groups = smp_map_get(rsp, "groups");

	memset(l, 0, sizeof(*l));
	if (!groups || !cbor_isa_array(groups))
		return fail(why, "answer has no array \"groups\"");
	if (cbor_array_size(groups) > SMP_ENUM_MAX_GROUPS)
		return fail(why, "answer lists too many groups");
	for (; l->count < cbor_array_size(groups); l->count++) {
		cbor_item_t *el = cbor_array_get(groups, l->count);
		int r = el ? group_id(el, &l->ids[l->count]) : -1;

		if (el)
			cbor_decref(&el);
		if (r)
			return fail(why, "\"groups\" holds something other than group numbers");
	}
	return 0;
}

int smp_enum_single_rsp(const cbor_item_t *rsp, uint16_t *group, bool *last, const char **why)
{
	uint64_t v;
	int r;

	if (smp_get_uint(rsp, "group", &v) != SMP_GET_OK || v > UINT16_MAX)
		return fail(why, "answer has no group number \"group\"");
	*group = (uint16_t)v;
	*last = false;
	r = smp_get_bool(rsp, "end", last);
	if (r == SMP_GET_TYPE)
		return fail(why, "answer has an \"end\" that is not a boolean");
	return 0;
}

static int detail(const cbor_item_t *item, struct smp_enum_detail *d, const char **why)
{
	uint64_t v;
	char *name = NULL;
	int r;

	memset(d, 0, sizeof(*d));
	if (!cbor_isa_map(item) || smp_get_uint(item, "group", &v) != SMP_GET_OK || v > UINT16_MAX)
		return fail(why, "a \"groups\" entry has no group number \"group\"");
	d->group = (uint16_t)v;
	r = smp_get_text(item, "name", &name);
	if (r == SMP_GET_OK) {
		d->has_name = true;
		smp_fmt(d->name, sizeof(d->name), "%s", name);
		free(name);
	} else if (r != SMP_GET_ABSENT) {
		return fail(why, "a \"groups\" entry has a \"name\" that is not text");
	}
	r = smp_get_uint(item, "handlers", &v);
	if (r == SMP_GET_OK && v <= UINT32_MAX) {
		d->has_handlers = true;
		d->handlers = (uint32_t)v;
	} else if (r != SMP_GET_ABSENT) {
		return fail(why, "a \"groups\" entry has a \"handlers\" that is not a count");
	}
	return 0;
}

int smp_enum_details_rsp(const cbor_item_t *rsp, struct smp_enum_details *d, const char **why)
{
	cbor_item_t *groups = smp_map_get(rsp, "groups");

	memset(d, 0, sizeof(*d));
	if (!groups || !cbor_isa_array(groups))
		return fail(why, "answer has no array \"groups\"");
	if (cbor_array_size(groups) > SMP_ENUM_MAX_GROUPS)
		return fail(why, "answer lists too many groups");
	for (; d->count < cbor_array_size(groups); d->count++) {
		cbor_item_t *el = cbor_array_get(groups, d->count);
		int r = el ? detail(el, &d->items[d->count], why) : fail(why, "bad entry");

		if (el)
			cbor_decref(&el);
		if (r)
			return -1;
	}
	return 0;
}
