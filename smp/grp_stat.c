#include "smp/grp_stat.h"

#include <string.h>

static int fail(const char **why, const char *what)
{
	*why = what;
	return -1;
}

int smp_stat_show_req(struct smp_cbor_writer *w, const char *group)
{
	smp_cbor_map(w, 1);
	smp_put_text(w, "name", group);
	return smp_cbor_done(w);
}

/* A name cut to fit out[0..SMP_STAT_NAME_MAX). */
static bool stat_name(const struct smp_cbor *item, char *out)
{
	int r = smp_item_text(item, out, SMP_STAT_NAME_MAX);

	return r == SMP_GET_OK || r == SMP_GET_NOMEM;
}

/* Checks every field (each NULL), or hands each over. */
static int show_pass(const struct smp_cbor *fields,
		     int (*each)(void *arg, const struct smp_stat_field *f), void *arg,
		     const char **why)
{
	char name[SMP_STAT_NAME_MAX];
	struct smp_stat_field f = { .name = name };
	struct smp_cbor_iter it;
	struct smp_cbor k, v;

	smp_cbor_enter(fields, &it);
	while (smp_cbor_next(&it, &k)) {
		if (!smp_cbor_next(&it, &v) || !stat_name(&k, name) ||
		    smp_item_uint(&v, &f.value) != SMP_GET_OK)
			return fail(why, "\"fields\" holds something other than name: unsigned");
		if (each && each(arg, &f) != 0)
			return fail(why, "stopped");
	}
	return 0;
}

int smp_stat_show_rsp(const struct smp_cbor *rsp, char *name,
		      int (*each)(void *arg, const struct smp_stat_field *f), void *arg,
		      const char **why)
{
	char echoed[SMP_STAT_NAME_MAX];
	struct smp_cbor fields, item;
	int r;

	if (smp_map_find(rsp, "fields", &fields) != SMP_GET_OK ||
	    smp_cbor_type(&fields) != SMP_CBOR_MAP)
		return fail(why, "answer has no map \"fields\"");
	echoed[0] = 0;
	r = smp_map_find(rsp, "name", &item);
	if (r == SMP_GET_OK && !stat_name(&item, echoed))
		return fail(why, "answer has a \"name\" that is not text");
	if (show_pass(&fields, NULL, NULL, why) != 0)
		return -1;
	if (name)
		memcpy(name, echoed, sizeof(echoed));
	return each ? show_pass(&fields, each, arg, why) : 0;
}

static int list_pass(const struct smp_cbor *list, int (*each)(void *arg, const char *name),
		     void *arg, const char **why)
{
	char name[SMP_STAT_NAME_MAX];
	struct smp_cbor_iter it;
	struct smp_cbor el;

	smp_cbor_enter(list, &it);
	while (smp_cbor_next(&it, &el)) {
		if (!stat_name(&el, name))
			return fail(why, "\"stat_list\" holds something other than names");
		if (each && each(arg, name) != 0)
			return fail(why, "stopped");
	}
	return 0;
}

int smp_stat_list_rsp(const struct smp_cbor *rsp, int (*each)(void *arg, const char *name),
		      void *arg, const char **why)
{
	struct smp_cbor list;

	if (smp_map_find(rsp, "stat_list", &list) != SMP_GET_OK ||
	    smp_cbor_type(&list) != SMP_CBOR_ARRAY)
		return fail(why, "answer has no array \"stat_list\"");
	if (list_pass(&list, NULL, NULL, why) != 0)
		return -1;
	return each ? list_pass(&list, each, arg, why) : 0;
}
