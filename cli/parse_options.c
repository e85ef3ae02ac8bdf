/* The option parser every command shares, after git's parse_options:
 * the command's table says what each option is and where it goes. */
#include "cli/parse_options.h"

#include <string.h>

#include "cli/opts.h"

struct parse {
	struct cli_ctx *ctx;
	const struct cli_option *table;
	void *values;
	const char *usage;
};

static const struct cli_option *find_long(const struct cli_option *t, const char *name, size_t len)
{
	for (; t->name; t++)
		if (strlen(t->name) == len && !strncmp(t->name, name, len))
			return t;
	return NULL;
}

static const struct cli_option *find_short(const struct cli_option *t, char c)
{
	for (; t->name; t++)
		if (t->brief && t->brief == c)
			return t;
	return NULL;
}

const struct cli_option *cli_option_find(const struct cli_option *table, const char *arg,
					 bool *inline_value)
{
	const char *eq;

	if (arg[1] != '-') {
		*inline_value = arg[2] != 0;
		return find_short(table, arg[1]);
	}
	eq = strchr(arg + 2, '=');
	*inline_value = eq != NULL;
	return find_long(table, arg + 2, eq ? (size_t)(eq - arg - 2) : strlen(arg + 2));
}

static int bad_usage(struct parse *p)
{
	return cli_fail(p->ctx, EXIT_USAGE, "%s", p->usage);
}

static int store_number(struct parse *p, const struct cli_option *o, const char *value)
{
	char what[64];
	unsigned long v;
	char *at = (char *)p->values + o->offset;

	snprintf(what, sizeof(what), "--%s", o->name);
	if (cli_parse_uint_in(p->ctx, what, value, (unsigned long)o->min, (unsigned long)o->max,
			      &v))
		return EXIT_USAGE;
	if (o->type == CLI_OPT_INT)
		*(int *)at = (int)v;
	else if (o->type == CLI_OPT_SIZE)
		*(size_t *)at = v;
	else
		*(unsigned long *)at = v;
	return EXIT_OK;
}

/* Applies one option; value is NULL for a flag. */
static int apply(struct parse *p, const struct cli_option *o, const char *value)
{
	char *at = (char *)p->values + o->offset;
	int rc;

	switch (o->type) {
	case CLI_OPT_FLAG:
		*(bool *)at = true;
		return EXIT_OK;
	case CLI_OPT_SET:
		*(int *)at = (int)o->min;
		return EXIT_OK;
	case CLI_OPT_STRING:
		*(const char **)at = value;
		return EXIT_OK;
	case CLI_OPT_INT:
	case CLI_OPT_ULONG:
	case CLI_OPT_SIZE:
		return store_number(p, o, value);
	case CLI_OPT_CALLBACK:
		rc = o->callback(p->ctx, value, p->values);
		return rc < 0 ? bad_usage(p) : rc;
	default:
		return bad_usage(p);
	}
}

/* "--name", "--name=value" or "--name value"; *i moves past what it used. */
static int long_option(struct parse *p, int argc, char **argv, int *i)
{
	const char *a = argv[*i] + 2, *eq = strchr(a, '=');
	const struct cli_option *o = find_long(p->table, a, eq ? (size_t)(eq - a) : strlen(a));

	if (!o || (eq && !o->arg))
		return bad_usage(p);
	if (!o->arg)
		return apply(p, o, NULL);
	if (eq)
		return apply(p, o, eq + 1);
	if (*i + 1 >= argc)
		return bad_usage(p);
	return apply(p, o, argv[++*i]);
}

/* "-f", "-uf", "-i3", "-i 3": flags, the last of which may take a value. */
static int short_options(struct parse *p, int argc, char **argv, int *i)
{
	const char *a = argv[*i];
	const struct cli_option *o;
	size_t k;
	int rc;

	for (k = 1; a[k]; k++) {
		o = find_short(p->table, a[k]);
		if (!o)
			return bad_usage(p);
		if (!o->arg) {
			rc = apply(p, o, NULL);
			if (rc != EXIT_OK)
				return rc;
			continue;
		}
		if (a[k + 1])
			return apply(p, o, a + k + 1);
		if (*i + 1 >= argc)
			return bad_usage(p);
		return apply(p, o, argv[++*i]);
	}
	return EXIT_OK;
}

int cli_parse_options(struct cli_ctx *ctx, int *argc, char **argv, const struct cli_option *table,
		      void *values, const char *usage, unsigned flags)
{
	struct parse p = { ctx, table, values, usage };
	int i, out = 1, rc = EXIT_OK;

	for (i = 1; i < *argc && rc == EXIT_OK; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if ((a[0] != '-' || !a[1]) && (flags & CLI_PARSE_STOP_AT_ARG))
			break;
		if (a[0] != '-' || !a[1])
			argv[out++] = argv[i];
		else if (a[1] == '-')
			rc = long_option(&p, *argc, argv, &i);
		else
			rc = short_options(&p, *argc, argv, &i);
	}
	if (rc != EXIT_OK)
		return rc;
	while (i < *argc)
		argv[out++] = argv[i++];
	argv[out] = NULL;
	*argc = out;
	return EXIT_OK;
}
