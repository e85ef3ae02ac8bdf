/* Go mcumgr's own commands that need no device, answered by the front
 * end itself with Go's words on stdout: conn add|show|delete on
 * ~/.mcumgr.cp.json (apache/mynewt-newtmgr newtmgr/cli/connprofile.go)
 * and version (newtmgr/cli/commands.go, versCmd, with the ToolInfo of
 * apache/mynewt-mcumgr-cli mcumgr/mcumgr.go). */
#include "cli/mcumgr/mcumgr_rewrite.h"

#include <stdlib.h>
#include <string.h>

#include "cli/mcumgr/mcumgr_profiles.h"
#include "cli/ui/text_safe.h"

/* connprofile.go connProfileAddCmd */
static int conn_add(struct rewrite *r, struct go_profiles *l, int argc, char **argv)
{
	const char *type = NULL, *cs = "";
	int i, rc;

	if (argc < 1)
		return cli_fail(r->ctx, EXIT_USAGE,
				"mcumgr: conn add: Need connection profile name");
	for (i = 1; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		size_t k = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);

		if (eq && k == 4 && !strncmp(argv[i], "type", 4))
			type = eq + 1;
		else if (eq && k == 10 && !strncmp(argv[i], "connstring", 10))
			cs = eq + 1;
		else
			return cli_fail(r->ctx, EXIT_USAGE,
					"mcumgr: conn add: Unknown variable %.*s%s", (int)k,
					argv[i], eq ? "" : " (give varname=value)");
	}
	if (type && !go_profile_type_known(type))
		return cli_fail(r->ctx, EXIT_USAGE, "mcumgr: conn add: Invalid connection type: %s",
				type);
	if (!type)
		return cli_fail(r->ctx, EXIT_USAGE,
				"mcumgr: conn add: Must specify a connection "
				"type");
	if (go_profiles_set(l, argv[0], type, cs))
		return cli_fail(r->ctx, EXIT_LOCAL, "out of memory");
	rc = go_profiles_save(r->ctx, l);
	if (rc == EXIT_OK)
		fprintf(r->ctx->out, "Connection profile %s successfully added\n", argv[0]);
	return rc;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct go_profile *)a)->name, ((const struct go_profile *)b)->name);
}

/* connprofile.go connProfileShowCmd */
static int conn_show(struct rewrite *r, struct go_profiles *l, int argc, char **argv)
{
	const char *name = argc > 0 ? argv[0] : "";
	bool found = false;

	if (l->n) /* l->p is NULL for no profiles */
		qsort(l->p, l->n, sizeof(l->p[0]), by_name);
	for (size_t i = 0; i < l->n; i++) {
		if (*name && strcmp(l->p[i].name, name))
			continue;
		if (!found)
			fprintf(r->ctx->out, "Connection profiles: \n");
		found = true;
		fprintf(r->ctx->out, "  %s: type=%s, connstring='%s'\n", SAFE(l->p[i].name),
			SAFE(l->p[i].type), SAFE(l->p[i].connstring));
	}
	if (found)
		return EXIT_OK;
	if (*name)
		fprintf(r->ctx->out, "No connection profiles found matching %s\n", name);
	else
		fprintf(r->ctx->out, "No connection profiles found!\n");
	return EXIT_OK;
}

/* connprofile.go connProfileDelCmd */
static int conn_delete(struct rewrite *r, struct go_profiles *l, int argc, char **argv)
{
	int rc;

	if (argc < 1)
		return cli_fail(r->ctx, EXIT_USAGE,
				"mcumgr: conn delete: Need connection profile "
				"name");
	if (!go_profiles_remove(l, argv[0]))
		return cli_fail(r->ctx, EXIT_USAGE,
				"mcumgr: conn delete: connection profile \"%s\" "
				"doesn't exist",
				argv[0]);
	rc = go_profiles_save(r->ctx, l);
	if (rc == EXIT_OK)
		fprintf(r->ctx->out, "Connection profile %s successfully deleted.\n", argv[0]);
	return rc;
}

int rw_conn(struct rewrite *r, const char *const *w, int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(struct rewrite *r, struct go_profiles *l, int argc, char **argv);
	} subs[] = { { "add", conn_add }, { "show", conn_show }, { "delete", conn_delete } };
	struct go_profiles l;
	int rc;

	r->answered = true;
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		if (strcmp(w[0], subs[i].name))
			continue;
		rc = go_profiles_load(r->ctx, &l);
		if (rc == EXIT_OK)
			rc = subs[i].run(r, &l, argc, argv);
		go_profiles_free(&l);
		return rc;
	}
	return cli_fail(r->ctx, EXIT_USAGE, "mcumgr: conn %s: not a conn command", w[0]);
}

/* commands.go versCmd: fmt.Printf("%s %s\n", LongName, VersionString),
 * "mcumgr" and "0.0.0-dev" in mcumgr.go. smpctl's own is smpctl --version. */
int rw_version(struct rewrite *r, const char *const *w, int argc, char **argv)
{
	r->answered = true;
	fprintf(r->ctx->out, "mcumgr 0.0.0-dev\n");
	return EXIT_OK;
}
