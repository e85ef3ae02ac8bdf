#include "smp/grp_stat.h"

#include <stdlib.h>
#include <string.h>

#include "smp/cbor_util.h"

static int fail(const char **why, const char *what)
{
	*why = what;
	return -1;
}

cbor_item_t *smp_stat_show_req(const char *group)
{
	cbor_item_t *m = cbor_new_definite_map(1);

	if (m && smp_put_text(m, "name", group))
		cbor_decref(&m);
	return m;
}

int smp_stat_show_rsp(const cbor_item_t *rsp, struct smp_stat_group *g, const char **why)
{
	cbor_item_t *fields = smp_map_get(rsp, "fields");
	struct cbor_pair *pairs;
	size_t n;

	memset(g, 0, sizeof(*g));
	if (!fields || !cbor_isa_map(fields))
		return fail(why, "answer has no map \"fields\"");
	if (smp_get_text(rsp, "name", &g->name) == SMP_GET_TYPE)
		return fail(why, "answer has a \"name\" that is not text");
	n = cbor_map_size(fields);
	pairs = cbor_map_handle(fields);
	g->fields = calloc(n ? n : 1, sizeof(*g->fields));
	if (!g->fields) {
		smp_stat_group_free(g);
		return fail(why, "out of memory");
	}
	for (; g->count < n; g->count++) {
		struct smp_stat_field *f = &g->fields[g->count];

		if (smp_item_text(pairs[g->count].key, &f->name) != SMP_GET_OK ||
		    smp_item_uint(pairs[g->count].value, &f->value) != SMP_GET_OK) {
			g->count++;
			smp_stat_group_free(g);
			return fail(why, "\"fields\" holds something other than name: unsigned");
		}
	}
	return 0;
}

void smp_stat_group_free(struct smp_stat_group *g)
{
	/* The analyzer loses g->count == 0 once smp_stat_show_rsp() has passed
	 * &g->name out, and then reads fields as present though it is NULL. */
	for (size_t i = 0; i < g->count; i++)
		free(g->fields[i].name); /* NOLINT(clang-analyzer-core.NullDereference) */
	free(g->fields);
	free(g->name);
	memset(g, 0, sizeof(*g));
}

int smp_stat_list_rsp(const cbor_item_t *rsp, struct smp_stat_list *l, const char **why)
{
	cbor_item_t *list = smp_map_get(rsp, "stat_list");
	size_t n;

	memset(l, 0, sizeof(*l));
	if (!list || !cbor_isa_array(list))
		return fail(why, "answer has no array \"stat_list\"");
	n = cbor_array_size(list);
	l->names = calloc(n ? n : 1, sizeof(*l->names));
	if (!l->names)
		return fail(why, "out of memory");
	for (; l->count < n; l->count++) {
		cbor_item_t *el = cbor_array_get(list, l->count);
		int r = el ? smp_item_text(el, &l->names[l->count]) : SMP_GET_TYPE;

		if (el)
			cbor_decref(&el);
		if (r != SMP_GET_OK) {
			smp_stat_list_free(l);
			return fail(why, "\"stat_list\" holds something other than names");
		}
	}
	return 0;
}

void smp_stat_list_free(struct smp_stat_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->names[i]);
	free(l->names);
	memset(l, 0, sizeof(*l));
}
