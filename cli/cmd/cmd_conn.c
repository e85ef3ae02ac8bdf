/* smpctl conn add|show|delete: connection profiles managed from the
 * command line, with Go mcumgr's spelling accepted:
 *     conn add acm0 type=serial connstring="dev=/dev/ttyACM0,baud=115200"
 * and smpctl's own keys too (conn add lab udp=192.0.2.1 timeout=5).
 * They are stored as profile sections (cli/profile.h), so -p NAME (and
 * mcumgr's -c NAME) use them. */
#include <ini.h>
#include <string.h>

#include "cli/cmd/commands.h"
#include "cli/connstring.h"
#include "cli/opts.h"

/* Settings from KEY=VALUE words: type and connstring together are Go
 * mcumgr's pair, any other key is a global option. */
static int settings_from_words(struct cli_ctx *ctx, int argc, char **argv, struct conn_settings *cs)
{
	const char *type = NULL, *connstring = NULL;
	struct conn_settings own = { .n = 0 };
	size_t i;
	int k, rc;

	for (k = 0; k < argc; k++) {
		const char *eq = strchr(argv[k], '=');

		if (!eq || eq == argv[k])
			return cli_fail(ctx, EXIT_USAGE, "conn add: '%s': expected KEY=VALUE",
					argv[k]);
		if (!strncmp(argv[k], "type=", 5))
			type = eq + 1;
		else if (!strncmp(argv[k], "connstring=", 11))
			connstring = eq + 1;
		else if (own.n == CONN_MAX_SETTINGS)
			return cli_fail(ctx, EXIT_USAGE, "conn add: too many settings");
		else {
			if ((size_t)(eq - argv[k]) >= 32 ||
			    strlen(eq + 1) >= sizeof(own.set[0].value))
				return cli_fail(ctx, EXIT_USAGE, "conn add: '%s' is too long",
						argv[k]);
			/* key points into argv, which outlives the write. */
			argv[k][eq - argv[k]] = 0;
			own.set[own.n].key = argv[k];
			snprintf(own.set[own.n].value, sizeof(own.set[0].value), "%s", eq + 1);
			own.n++;
		}
	}
	memset(cs, 0, sizeof(*cs));
	if (type || connstring) {
		if (!type || !connstring)
			return cli_fail(ctx, EXIT_USAGE,
					"conn add: type= and connstring= go together");
		rc = conn_from_mcumgr(ctx, type, connstring, cs);
		if (rc != EXIT_OK)
			return rc;
	}
	for (i = 0; i < own.n; i++) {
		if (cs->n == CONN_MAX_SETTINGS)
			return cli_fail(ctx, EXIT_USAGE, "conn add: too many settings");
		cs->set[cs->n++] = own.set[i];
	}
	if (cs->n == 0)
		return cli_fail(ctx, EXIT_USAGE,
				"usage: smpctl conn add NAME type=serial|udp|ble "
				"connstring=STRING | OPTION=VALUE...");
	return EXIT_OK;
}

/* A bad setting is refused now, not when the profile is next used. */
static int check_settings(struct cli_ctx *ctx, const struct conn_settings *cs)
{
	struct cli_ctx scratch;
	int rc;

	memset(&scratch, 0, sizeof(scratch));
	cli_opts_defaults(&scratch.opts);
	scratch.out = ctx->out;
	scratch.err = ctx->err;
	rc = conn_apply(&scratch, cs);
	cli_profile_free(&scratch);
	return rc;
}

static int cmd_conn_add(struct cli_ctx *ctx, int argc, char **argv)
{
	struct conn_settings cs;
	int rc;

	if (argc < 3)
		return cli_fail(ctx, EXIT_USAGE,
				"usage: smpctl conn add NAME type=serial|udp|ble "
				"connstring=STRING | OPTION=VALUE...");
	rc = settings_from_words(ctx, argc - 2, argv + 2, &cs);
	if (rc == EXIT_OK)
		rc = check_settings(ctx, &cs);
	if (rc == EXIT_OK)
		rc = cli_profile_write(ctx, argv[1], cs.set, cs.n, false);
	if (rc == EXIT_OK && cs.ignored[0])
		fprintf(ctx->err, "smpctl: note: %s\n", cs.ignored);
	if (rc == EXIT_OK && !ctx->opts.json)
		fprintf(ctx->out, "Connection profile %s successfully added\n", argv[1]);
	else if (rc == EXIT_OK)
		cli_print_json(ctx, json_pack("{s:s,s:b}", "added", argv[1], "ok", 1));
	return rc;
}

static int cmd_conn_delete(struct cli_ctx *ctx, int argc, char **argv)
{
	int rc;

	if (argc != 2)
		return cli_fail(ctx, EXIT_USAGE, "usage: smpctl conn delete NAME");
	rc = cli_profile_write(ctx, argv[1], NULL, 0, true);
	if (rc == EXIT_OK && !ctx->opts.json)
		fprintf(ctx->out, "Connection profile %s successfully deleted.\n", argv[1]);
	else if (rc == EXIT_OK)
		cli_print_json(ctx, json_pack("{s:s,s:b}", "deleted", argv[1], "ok", 1));
	return rc;
}

struct show {
	const char *only; /* NULL: every profile */
	json_t *profiles; /* {"name": {"key": "value"}} in file order */
};

static int collect(void *user, const char *section, const char *key, const char *value)
{
	struct show *s = user;
	json_t *p;

	if (s->only && strcmp(section, s->only))
		return 1;
	p = json_object_get(s->profiles, section);
	if (!p) {
		p = json_object();
		json_object_set_new(s->profiles, section, p);
	}
	json_object_set_new(p, key, json_string(value));
	return 1;
}

static void print_profiles(struct cli_ctx *ctx, json_t *profiles)
{
	const char *name, *key;
	json_t *p, *v;

	fprintf(ctx->out, "Connection profiles:\n");
	json_object_foreach(profiles, name, p)
	{
		bool first = true;

		fprintf(ctx->out, "  %s:", name);
		json_object_foreach(p, key, v)
		{
			fprintf(ctx->out, "%s %s=%s", first ? "" : ",", key, json_string_value(v));
			first = false;
		}
		fputc('\n', ctx->out);
	}
}

static int cmd_conn_show(struct cli_ctx *ctx, int argc, char **argv)
{
	struct show s = { argc == 2 ? argv[1] : NULL, json_object() };
	char path[512];
	FILE *f;
	int line;

	if (argc > 2)
		return cli_fail(ctx, EXIT_USAGE, "usage: smpctl conn show [NAME]");
	f = cli_profile_path(path, sizeof(path)) == 0 ? fopen(path, "r") : NULL;
	line = f ? ini_parse_file(f, collect, &s) : 0;
	if (f)
		fclose(f);
	if (line != 0) {
		json_decref(s.profiles);
		return cli_fail(ctx, EXIT_USAGE, "%s:%d: expected [SECTION] or KEY = VALUE", path,
				line);
	}
	if (s.only && !json_object_get(s.profiles, s.only)) {
		json_decref(s.profiles);
		return cli_fail(ctx, EXIT_USAGE, "no profile [%s] in %s", s.only, path);
	}
	if (ctx->opts.json) {
		cli_print_json(ctx, json_pack("{s:o}", "profiles", s.profiles));
		return EXIT_OK;
	}
	print_profiles(ctx, s.profiles);
	json_decref(s.profiles);
	return EXIT_OK;
}

const struct cli_cmd conn_commands[] = {
	{ "add", "NAME type=T connstring=S | OPTION=VALUE...",
	  "save a connection profile (Go mcumgr's form too)", cmd_conn_add, NULL, NULL },
	{ "show", "[NAME]", "the saved connection profiles", cmd_conn_show, NULL, cli_no_options },
	{ "delete", "NAME", "remove a connection profile", cmd_conn_delete, NULL, cli_no_options },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
