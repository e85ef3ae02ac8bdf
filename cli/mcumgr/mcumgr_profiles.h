/* Go mcumgr's own connection profiles, ~/.mcumgr.cp.json, read and
 * written as Go mcumgr does (apache/mynewt-newtmgr newtmgr/config/
 * connprofile.go, ConnProfileMgr): a JSON array of
 *   {"MyName": NAME, "MyType": TYPE, "MyConnString": CONNSTRING}
 * that `mcumgr conn add` rewrites whole, sorted by name, indented by four
 * spaces (json.MarshalIndent), with no newline at the end. */
#ifndef CLI_MCUMGR_PROFILES_H
#define CLI_MCUMGR_PROFILES_H

#include "cli/cli.h"

/* The file is small; anything bigger is not Go's file. */
#define GO_PROFILES_MAX_BYTES (1024 * 1024)

struct go_profile {
	char *name, *type, *connstring;
};

struct go_profiles {
	struct go_profile *p;
	size_t n;
};

/* Parses the file's text. A type Go does not know reads as "???", as Go's
 * ConnType.UnmarshalJSON makes it CONN_TYPE_NONE; a name seen twice keeps
 * its last entry (Go keeps a map). 0, or -1 with why. */
int go_profiles_parse(const char *text, size_t len, struct go_profiles *l, const char **why);
/* Go's bytes for l: json.MarshalIndent(list, "", "    ") of the profiles
 * sorted by name. malloc'd, *len set; NULL when out of memory. */
char *go_profiles_json(const struct go_profiles *l, size_t *len);
void go_profiles_free(struct go_profiles *l);
const struct go_profile *go_profiles_find(const struct go_profiles *l, const char *name);
/* Adds or replaces name's entry. 0, or -1 when out of memory. */
int go_profiles_set(struct go_profiles *l, const char *name, const char *type,
		    const char *connstring);
/* Whether name was there. */
bool go_profiles_remove(struct go_profiles *l, const char *name);
/* Whether Go's ConnTypeFromString knows type. */
bool go_profile_type_known(const char *type);

/* $HOME/.mcumgr.cp.json: loaded (a missing file is no profiles) or
 * written through host_file_write. EXIT_OK, or the exit code after one
 * line on stderr. */
int go_profiles_load(struct cli_ctx *ctx, struct go_profiles *l);
int go_profiles_save(struct cli_ctx *ctx, const struct go_profiles *l);

#endif
