#include "cli/connstring.h"

#include <stdlib.h>
#include <string.h>

#include "cli/opts.h"

static int add(struct cli_ctx *ctx, struct conn_settings *cs, const char *key, const char *val,
	       size_t len)
{
	if (cs->n == CONN_MAX_SETTINGS || len >= sizeof(cs->set[0].value) || len == 0)
		return cli_fail(ctx, EXIT_USAGE, "connstring: bad or too long value for %s", key);
	cs->set[cs->n].key = key;
	memcpy(cs->set[cs->n].value, val, len);
	cs->set[cs->n].value[len] = 0;
	cs->n++;
	return EXIT_OK;
}

/* The value of a settings entry already added, or NULL. */
static const char *get(const struct conn_settings *cs, const char *key)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		if (!strcmp(cs->set[i].key, key))
			return cs->set[i].value;
	return NULL;
}

/* A connstring key of Go mcumgr, and the global option it becomes. */
struct conn_key {
	const char *type;
	const char *key;
	const char *option; /* NULL: handled by its function */
	int (*convert)(struct cli_ctx *ctx, struct conn_settings *cs, const char *v, size_t n);
};

static int ble_hci(struct cli_ctx *ctx, struct conn_settings *cs, const char *v, size_t n)
{
	/* ctlr_name is an OS name for the controller: hci0 on Linux. */
	if (n < 4 || strncmp(v, "hci", 3))
		return cli_fail(ctx, EXIT_USAGE, "connstring: ctlr_name '%.*s': expected hciN",
				(int)n, v);
	return add(ctx, cs, "hci", v + 3, n - 3);
}

static int ble_addr_type(struct cli_ctx *ctx, struct conn_settings *cs, const char *v, size_t n)
{
	if ((n == 6 && !strncmp(v, "public", 6)) || (n == 6 && !strncmp(v, "random", 6)))
		return add(ctx, cs, "addr-type", v, n);
	return cli_fail(ctx, EXIT_USAGE,
			"connstring: own_addr_type '%.*s': smpctl takes public "
			"or random (not rpa_pub, rpa_rnd)",
			(int)n, v);
}

static int ble_ignored(struct cli_ctx *ctx, struct conn_settings *cs, const char *v, size_t n)
{
	snprintf(cs->ignored, sizeof(cs->ignored),
		 "conn_timeout is not used: smpctl waits "
		 "--timeout for each answer");
	return EXIT_OK;
}

static const struct conn_key conn_keys[] = {
	{ "serial", "dev", "serial", NULL },
	{ "serial", "baud", "baud", NULL },
	{ "serial", "mtu", "mtu", NULL },
	{ "udp", "addr", "udp", NULL },
	{ "udp", "port", NULL, NULL }, /* joined to addr below */
	{ "ble", "peer_name", "ble", NULL },
	{ "ble", "peer_id", "ble", NULL },
	{ "ble", "ctlr_name", NULL, ble_hci },
	{ "ble", "own_addr_type", NULL, ble_addr_type },
	{ "ble", "conn_timeout", NULL, ble_ignored },
};

#define NKEYS (sizeof(conn_keys) / sizeof(conn_keys[0]))

static const struct conn_key *find_key(const char *type, const char *key, size_t len)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (!strcmp(conn_keys[i].type, type) && strlen(conn_keys[i].key) == len &&
		    !strncmp(conn_keys[i].key, key, len))
			return &conn_keys[i];
	return NULL;
}

/* addr=HOST and port=N as one --udp HOST:PORT ([HOST]:PORT for IPv6). */
static int join_udp(struct cli_ctx *ctx, struct conn_settings *cs, const char *port)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		if (!strcmp(cs->set[i].key, "udp")) {
			char v[sizeof(cs->set[i].value)];
			const char *h = cs->set[i].value;
			bool v6 = strchr(h, ':') && h[0] != '[';

			if (strspn(port, "0123456789") != strlen(port) || !*port)
				return cli_fail(ctx, EXIT_USAGE, "connstring: bad port '%s'", port);
			snprintf(v, sizeof(v), v6 ? "[%s]:%s" : "%s:%s", h, port);
			snprintf(cs->set[i].value, sizeof(cs->set[i].value), "%s", v);
			return EXIT_OK;
		}
	return cli_fail(ctx, EXIT_USAGE, "connstring: port without addr");
}

/* KEY=VALUE,KEY=VALUE; the first word alone is dev (serial) or the address
 * (udp), as Go mcumgr takes it. */
static int parse_pairs(struct cli_ctx *ctx, const char *type, const char *s,
		       struct conn_settings *cs)
{
	const char *bare = !strcmp(type, "serial") ? "dev" : !strcmp(type, "udp") ? "addr" : NULL;
	char port[16] = "";
	bool first = true;

	while (*s) {
		size_t len = strcspn(s, ","), klen;
		const char *eq = memchr(s, '=', len), *v;
		const struct conn_key *k;
		int rc = EXIT_OK;

		if (eq) {
			klen = (size_t)(eq - s);
			v = eq + 1;
		} else if (first && bare) {
			klen = strlen(bare);
			v = s;
		} else {
			return cli_fail(ctx, EXIT_USAGE, "connstring: '%.*s': expected KEY=VALUE",
					(int)len, s);
		}
		k = find_key(type, eq ? s : bare, klen);
		if (!k)
			return cli_fail(ctx, EXIT_USAGE, "connstring: unknown %s key '%.*s'", type,
					(int)klen, eq ? s : bare);
		if (!strcmp(k->key, "port"))
			snprintf(port, sizeof(port), "%.*s", (int)(s + len - v), v);
		else if (k->convert)
			rc = k->convert(ctx, cs, v, (size_t)(s + len - v));
		else if (get(cs, k->option))
			return cli_fail(ctx, EXIT_USAGE, "connstring: %s given twice", k->option);
		else
			rc = add(ctx, cs, k->option, v, (size_t)(s + len - v));
		if (rc != EXIT_OK)
			return rc;
		first = false;
		s += len;
		if (*s == ',')
			s++;
	}
	if (*port)
		return join_udp(ctx, cs, port);
	return EXIT_OK;
}

int conn_from_mcumgr(struct cli_ctx *ctx, const char *type, const char *connstring,
		     struct conn_settings *out)
{
	static const char *const primary[][2] = {
		{ "serial", "serial" },
		{ "udp", "udp" },
		{ "ble", "ble" },
	};
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < 3; i++)
		if (!strcmp(type, primary[i][0]))
			break;
	if (i == 3)
		return cli_fail(ctx, EXIT_USAGE,
				"--conntype '%s': smpctl speaks serial, udp or ble", type);
	/* "[::1]:1337" has commas nowhere and '=' nowhere: the address alone. */
	if (!strcmp(type, "udp") && !strchr(connstring, '='))
		rc = add(ctx, out, "udp", connstring, strlen(connstring));
	else
		rc = parse_pairs(ctx, type, connstring, out);
	if (rc == EXIT_OK && !get(out, primary[i][1]))
		rc = cli_fail(ctx, EXIT_USAGE, "connstring '%s' names no %s", connstring,
			      !strcmp(type, "serial") ? "dev"
			      : !strcmp(type, "udp")  ? "address"
						      : "peer_name or peer_id");
	return rc;
}

int conn_from_spec(struct cli_ctx *ctx, const char *spec, struct conn_settings *out)
{
	/* Each is a global option taking the rest as its value. */
	static const char *const kinds[] = { "serial", "udp", "ble", "mqtt", "exec" };
	const size_t nkinds = sizeof(kinds) / sizeof(kinds[0]);
	const char *colon = strchr(spec, ':');
	size_t i;

	memset(out, 0, sizeof(*out));
	if (!colon)
		return 0;
	for (i = 0; i < nkinds; i++)
		if (strlen(kinds[i]) == (size_t)(colon - spec) &&
		    !strncmp(spec, kinds[i], strlen(kinds[i])))
			break;
	if (i == nkinds)
		return 0;
	if (!colon[1]) {
		cli_fail(ctx, EXIT_USAGE, "'%s': no %s device after the colon", spec, kinds[i]);
		return -1;
	}
	return add(ctx, out, kinds[i], colon + 1, strlen(colon + 1)) == EXIT_OK ? 1 : -1;
}

int conn_apply(struct cli_ctx *ctx, const struct conn_settings *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++) {
		char *v = strdup(cs->set[i].value);

		if (!v || ctx->profile_strings_used == CLI_PROFILE_MAX_VALUES) {
			free(v);
			return cli_fail(ctx, EXIT_USAGE, "too many settings");
		}
		ctx->profile_strings[ctx->profile_strings_used++] = v;
		if (cli_opts_apply_named(ctx, cs->set[i].key, v) != EXIT_OK)
			return EXIT_USAGE;
	}
	return EXIT_OK;
}
