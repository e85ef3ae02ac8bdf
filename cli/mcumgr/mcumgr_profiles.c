/* ~/.mcumgr.cp.json, as apache/mynewt-newtmgr newtmgr/config/
 * connprofile.go reads and writes it (see mcumgr_profiles.h). */
#include "cli/mcumgr/mcumgr_profiles.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/host_file.h"

/* connprofile.go connTypeNameMap; CONN_TYPE_NONE prints as "???". */
static const char *const go_types[] = {
	"serial", "oic_serial", "ble", "oic_ble", "bhd", "oic_bhd", "udp", "oic_udp", "oic_mtech",
};

bool go_profile_type_known(const char *type)
{
	for (size_t i = 0; i < sizeof(go_types) / sizeof(go_types[0]); i++)
		if (!strcmp(type, go_types[i]))
			return true;
	return false;
}

void go_profiles_free(struct go_profiles *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->p[i].name);
		free(l->p[i].type);
		free(l->p[i].connstring);
	}
	free(l->p);
	l->p = NULL;
	l->n = 0;
}

const struct go_profile *go_profiles_find(const struct go_profiles *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->p[i].name, name))
			return &l->p[i];
	return NULL;
}

int go_profiles_set(struct go_profiles *l, const char *name, const char *type,
		    const char *connstring)
{
	struct go_profile np = { strdup(name), strdup(type), strdup(connstring) };
	struct go_profile *grown;

	if (!np.name || !np.type || !np.connstring)
		goto fail;
	go_profiles_remove(l, name);
	grown = realloc(l->p, (l->n + 1) * sizeof(*grown));
	if (!grown)
		goto fail;
	l->p = grown;
	l->p[l->n++] = np;
	return 0;
fail:
	free(np.name);
	free(np.type);
	free(np.connstring);
	return -1;
}

bool go_profiles_remove(struct go_profiles *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++) {
		if (strcmp(l->p[i].name, name))
			continue;
		free(l->p[i].name);
		free(l->p[i].type);
		free(l->p[i].connstring);
		memmove(&l->p[i], &l->p[i + 1], (l->n - i - 1) * sizeof(l->p[0]));
		l->n--;
		return true;
	}
	return false;
}

/* A field Go's json.Unmarshal leaves at its zero value when absent or
 * null; any other non-string is Go's error too. */
static int field(json_t *o, const char *key, const char **out)
{
	json_t *v = json_object_get(o, key);

	*out = "";
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return -1;
	*out = json_string_value(v);
	return 0;
}

int go_profiles_parse(const char *text, size_t len, struct go_profiles *l, const char **why)
{
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL), *o;
	size_t i;
	int rc = 0;

	memset(l, 0, sizeof(*l));
	if (!root || !json_is_array(root)) {
		*why = "not a JSON array of profiles";
		json_decref(root);
		return -1;
	}
	json_array_foreach(root, i, o)
	{
		const char *name, *type, *cs;

		if (!json_is_object(o) || field(o, "MyName", &name) || field(o, "MyType", &type) ||
		    field(o, "MyConnString", &cs)) {
			*why = "a profile is not an object of three strings (MyName, MyType, "
			       "MyConnString)";
			rc = -1;
			break;
		}
		if (go_profiles_set(l, name, go_profile_type_known(type) ? type : "???", cs)) {
			*why = "out of memory";
			rc = -1;
			break;
		}
	}
	json_decref(root);
	if (rc)
		go_profiles_free(l);
	return rc;
}

/* Growing text for the writer. */
struct buf {
	char *s;
	size_t len, cap;
	bool failed;
};

static void put(struct buf *b, const char *s, size_t n)
{
	char *grown;

	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;

		grown = realloc(b->s, cap);
		if (!grown) {
			b->failed = true;
			return;
		}
		b->s = grown;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

static void puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* Go's encoding/json string: ", \ and control bytes escaped (\n, \r, \t
 * by name, the rest as \u00XX), and <, >, & as \u003c, \u003e, \u0026
 * (json.Marshal's HTML escaping); U+2028 and U+2029 as \u2028, \u2029. */
static void put_string(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	puts_(b, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		char esc[8] = "\\u00";

		if (*p == '"' || *p == '\\') {
			esc[1] = (char)*p;
			put(b, esc, 2);
		} else if (*p == '\n' || *p == '\r' || *p == '\t') {
			esc[1] = *p == '\n' ? 'n' : *p == '\r' ? 'r' : 't';
			put(b, esc, 2);
		} else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&') {
			esc[4] = hex[*p >> 4];
			esc[5] = hex[*p & 15];
			put(b, esc, 6);
		} else if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
			puts_(b, p[2] == 0xa8 ? "\\u2028" : "\\u2029");
			p += 2;
		} else {
			put(b, (const char *)p, 1);
		}
	}
	puts_(b, "\"");
}

static int by_name(const void *a, const void *b)
{
	return strcmp((*(const struct go_profile *const *)a)->name,
		      (*(const struct go_profile *const *)b)->name);
}

char *go_profiles_json(const struct go_profiles *l, size_t *len)
{
	const struct go_profile **v = calloc(l->n ? l->n : 1, sizeof(*v));
	struct buf b = { 0 };

	if (!v)
		return NULL;
	for (size_t i = 0; i < l->n; i++)
		v[i] = &l->p[i];
	qsort(v, l->n, sizeof(*v), by_name);
	puts_(&b, l->n ? "[\n" : "[]");
	for (size_t i = 0; i < l->n; i++) {
		puts_(&b, "    {\n        \"MyName\": ");
		put_string(&b, v[i]->name);
		puts_(&b, ",\n        \"MyType\": ");
		put_string(&b, v[i]->type);
		puts_(&b, ",\n        \"MyConnString\": ");
		put_string(&b, v[i]->connstring);
		puts_(&b, i + 1 < l->n ? "\n    },\n" : "\n    }\n]");
	}
	free(v);
	if (b.failed) {
		free(b.s);
		return NULL;
	}
	*len = b.len;
	return b.s;
}

/* homedir.Dir(): $HOME, else the password file's. */
static int path_of(struct cli_ctx *ctx, char *out, size_t cap)
{
	const char *home = getenv("HOME");
	struct passwd *pw;

	if (!home || !*home) {
		pw = getpwuid(getuid());
		home = pw ? pw->pw_dir : NULL;
	}
	if (!home || (size_t)snprintf(out, cap, "%s/.mcumgr.cp.json", home) >= cap)
		return cli_fail(ctx, EXIT_LOCAL, "mcumgr: no home directory for .mcumgr.cp.json");
	return EXIT_OK;
}

static int read_text(struct cli_ctx *ctx, const char *path, char **text, size_t *len)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	ssize_t n = 0;

	*text = NULL;
	if (fd < 0)
		return errno == ENOENT
			       ? EXIT_OK
			       : cli_fail(ctx, EXIT_LOCAL, "mcumgr: %s: %s", path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > GO_PROFILES_MAX_BYTES) {
		close(fd);
		return cli_fail(ctx, EXIT_LOCAL,
				"mcumgr: %s: not a regular file of at most %d "
				"bytes",
				path, GO_PROFILES_MAX_BYTES);
	}
	*text = malloc((size_t)st.st_size + 1);
	if (*text)
		n = read(fd, *text, (size_t)st.st_size);
	close(fd);
	if (!*text || n != st.st_size) {
		free(*text);
		*text = NULL;
		return cli_fail(ctx, EXIT_LOCAL, "mcumgr: %s: cannot read it", path);
	}
	*len = (size_t)n;
	return EXIT_OK;
}

int go_profiles_load(struct cli_ctx *ctx, struct go_profiles *l)
{
	char path[4096], *text;
	const char *why;
	size_t len = 0;
	int rc;

	memset(l, 0, sizeof(*l));
	rc = path_of(ctx, path, sizeof(path));
	if (rc == EXIT_OK)
		rc = read_text(ctx, path, &text, &len);
	if (rc != EXIT_OK || !text)
		return rc;
	if (go_profiles_parse(text, len, l, &why))
		rc = cli_fail(ctx, EXIT_USAGE,
			      "mcumgr: error reading connection profile config "
			      "(%s): %s",
			      path, why);
	free(text);
	return rc;
}

int go_profiles_save(struct cli_ctx *ctx, const struct go_profiles *l)
{
	struct host_file_error e;
	char path[4096], *text;
	size_t len;
	int rc = path_of(ctx, path, sizeof(path));

	if (rc != EXIT_OK)
		return rc;
	text = go_profiles_json(l, &len);
	if (!text)
		return cli_fail(ctx, EXIT_LOCAL, "out of memory");
	if (host_file_write(path, text, len, true, &e))
		rc = cli_fail(ctx, cli_exit_for_file(&e), "mcumgr: %s %s", path, e.msg);
	free(text);
	return rc;
}
