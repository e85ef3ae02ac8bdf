#include "smp/grp_enum.h"

#include <string.h>

static int fail(const char **why, const char *what)
{
	*why = what;
	return -1;
}

int smp_enum_single_req(struct smp_cbor_writer *w, uint32_t index)
{
	smp_cbor_map(w, 1);
	smp_put_uint(w, "index", index);
	return smp_cbor_done(w);
}

int smp_enum_details_req(struct smp_cbor_writer *w, const uint16_t *ids, size_t n)
{
	smp_cbor_map(w, n ? 1 : 0);
	if (n) {
		smp_cbor_text(w, "groups");
		smp_cbor_array(w, n);
		for (size_t i = 0; i < n; i++)
			smp_cbor_uint(w, ids[i]);
	}
	return smp_cbor_done(w);
}

int smp_enum_count_rsp(const struct smp_cbor *rsp, uint64_t *count, const char **why)
{
	if (smp_get_uint(rsp, "count", count) != SMP_GET_OK)
		return fail(why, "answer has no unsigned \"count\"");
	return 0;
}

static int group_id(const struct smp_cbor *item, uint16_t *id)
{
	uint64_t v;

	if (smp_item_uint(item, &v) != SMP_GET_OK || v > UINT16_MAX)
		return -1;
	*id = (uint16_t)v;
	return 0;
}

/* The array "groups", entered; its length checked against the limit. */
static int groups_array(const struct smp_cbor *rsp, struct smp_cbor_iter *it, const char **why)
{
	struct smp_cbor groups, el;
	struct smp_cbor_iter count;
	size_t n = 0;

	if (smp_map_find(rsp, "groups", &groups) != SMP_GET_OK ||
	    smp_cbor_enter(&groups, it) != SMP_GET_OK || smp_cbor_type(&groups) != SMP_CBOR_ARRAY)
		return fail(why, "answer has no array \"groups\"");
	count = *it;
	while (smp_cbor_next(&count, &el))
		if (++n > SMP_ENUM_MAX_GROUPS)
			return fail(why, "answer lists too many groups");
	return 0;
}

int smp_enum_list_rsp(const struct smp_cbor *rsp, struct smp_enum_list *l, const char **why)
{
	struct smp_cbor_iter it;
	struct smp_cbor el;

	memset(l, 0, sizeof(*l));
	if (groups_array(rsp, &it, why) != 0)
		return -1;
	for (; smp_cbor_next(&it, &el); l->count++)
		if (group_id(&el, &l->ids[l->count]) != 0)
			return fail(why, "\"groups\" holds something other than group numbers");
	return 0;
}

int smp_enum_single_rsp(const struct smp_cbor *rsp, uint16_t *group, bool *last, const char **why)
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

static int detail(const struct smp_cbor *item, struct smp_enum_detail *d, const char **why)
{
	uint64_t v;
	int r;

	memset(d, 0, sizeof(*d));
	if (smp_cbor_type(item) != SMP_CBOR_MAP || smp_get_uint(item, "group", &v) != SMP_GET_OK ||
	    v > UINT16_MAX)
		return fail(why, "a \"groups\" entry has no group number \"group\"");
	d->group = (uint16_t)v;
	r = smp_get_text(item, "name", d->name, sizeof(d->name));
	if (r == SMP_GET_OK || r == SMP_GET_NOMEM)
		d->has_name = true;
	else if (r != SMP_GET_ABSENT)
		return fail(why, "a \"groups\" entry has a \"name\" that is not text");
	r = smp_get_uint(item, "handlers", &v);
	if (r == SMP_GET_OK && v <= UINT32_MAX) {
		d->has_handlers = true;
		d->handlers = (uint32_t)v;
	} else if (r != SMP_GET_ABSENT) {
		return fail(why, "a \"groups\" entry has a \"handlers\" that is not a count");
	}
	return 0;
}

int smp_enum_details_rsp(const struct smp_cbor *rsp, struct smp_enum_details *d, const char **why)
{
	struct smp_cbor_iter it;
	struct smp_cbor el;

	memset(d, 0, sizeof(*d));
	if (groups_array(rsp, &it, why) != 0)
		return -1;
	for (; smp_cbor_next(&it, &el); d->count++)
		if (detail(&el, &d->items[d->count], why) != 0)
			return -1;
	return 0;
}
