/* The option tables: the shared parser, and that every option the tables
 * hold is completed by bash, zsh and fish and documented in smpctl(1)
 * and the README. The words are read from the tables themselves. */
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"
#include "cli/cli.h"
#include "cli/opts.h"
#include "cli/parse_options.h"

struct sample {
	bool force;
	int mode;
	int slot;
	const char *key;
	size_t chunk;
	unsigned long size;
	const char *taken_by_callback;
};

static int take_value(struct cli_ctx *ctx, const char *value, void *values)
{
	struct sample *s = values;

	if (!strcmp(value, "bad"))
		return -1;
	s->taken_by_callback = value;
	return EXIT_OK;
}

static const struct cli_option sample_options[] = {
	OPT_FLAG("force", 'f', "force", struct sample, force),
	OPT_SET("hex", 0, "hex", struct sample, mode, 2),
	OPT_INT("slot", 's', "N", "slot", struct sample, slot, 0, 255),
	OPT_STRING("key", 'k', "FILE", "key", struct sample, key),
	OPT_SIZE("chunk-size", 'c', "N", "chunk", struct sample, chunk, 32, 65535),
	OPT_ULONG("max-size", 0, "N", "size", struct sample, size, 1, 4294967295UL),
	OPT_CALLBACK("type", 0, "T", "type", take_value),
	OPT_TAKEN("each", "CONN...", "elsewhere"),
	OPT_END(),
};

struct parsed {
	struct cli_ctx ctx;
	struct sample s;
	char *argv[16];
	int argc;
	int rc;
};

/* Parses words (NULL-terminated) after a command name "cmd". */
static void parse_flags(struct parsed *p, const char *const *words, unsigned flags)
{
	memset(p, 0, sizeof(*p));
	p->ctx.err = fopen("/dev/null", "w");
	p->ctx.out = p->ctx.err;
	p->s.slot = -1;
	p->argv[p->argc++] = "cmd";
	while (*words && p->argc < 15)
		p->argv[p->argc++] = (char *)*words++;
	p->argv[p->argc] = NULL;
	p->rc = cli_parse_options(&p->ctx, &p->argc, p->argv, sample_options, &p->s,
				  "usage: smpctl cmd ARG", flags);
	fclose(p->ctx.err);
}

static void parse(struct parsed *p, const char *const *words)
{
	parse_flags(p, words, 0);
}

TEST(options_store_each_type_and_keep_arguments_in_order)
{
	static const char *const w[] = { "a",	  "--force", "--slot",
					 "7",	  "b",	     "--key=k.pem",
					 "-c",	  "64",	     "--max-size=4294967295",
					 "--hex", "--type",  "crc32",
					 "c",	  NULL };
	struct parsed p;

	parse(&p, w);
	CHECK_INT(p.rc, EXIT_OK);
	CHECK_INT(p.argc, 4);
	CHECK_STR(p.argv[1], "a");
	CHECK_STR(p.argv[2], "b");
	CHECK_STR(p.argv[3], "c");
	CHECK(p.argv[4] == NULL);
	CHECK(p.s.force);
	CHECK_INT(p.s.slot, 7);
	CHECK_STR(p.s.key, "k.pem");
	CHECK_INT(p.s.chunk, 64);
	CHECK_INT(p.s.size, 4294967295UL);
	CHECK_INT(p.s.mode, 2);
	CHECK_STR(p.s.taken_by_callback, "crc32");
}

TEST(options_short_clusters_and_double_dash)
{
	static const char *const w[] = { "-fs3", "-k", "-x.pem", "--", "--force", "-", NULL };
	struct parsed p;

	parse(&p, w);
	CHECK_INT(p.rc, EXIT_OK);
	CHECK(p.s.force);
	CHECK_INT(p.s.slot, 3);
	CHECK_STR(p.s.key, "-x.pem");
	CHECK_INT(p.argc, 3);
	CHECK_STR(p.argv[1], "--force");
	CHECK_STR(p.argv[2], "-");
}

TEST(options_can_stop_at_the_first_argument)
{
	static const char *const w[] = { "-f", "a", "--slot", "300", NULL };
	struct parsed p;

	parse_flags(&p, w, CLI_PARSE_STOP_AT_ARG);
	CHECK_INT(p.rc, EXIT_OK);
	CHECK(p.s.force);
	CHECK_INT(p.s.slot, -1);
	CHECK_INT(p.argc, 4);
	CHECK_STR(p.argv[1], "a");
	CHECK_STR(p.argv[2], "--slot");
	parse(&p, w);
	CHECK_INT(p.rc, EXIT_USAGE);
}

TEST(options_range_errors_name_the_option)
{
	static const char *const slot[] = { "--slot", "256", NULL };
	static const char *const chunk[] = { "-c", "31", NULL };
	struct parsed p;

	parse(&p, slot);
	CHECK_INT(p.rc, EXIT_USAGE);
	CHECK_STR(p.ctx.last_error,
		  "bad value for --slot: '256' (expected a number from 0 to 255)");
	parse(&p, chunk);
	CHECK_INT(p.rc, EXIT_USAGE);
	CHECK_STR(p.ctx.last_error,
		  "bad value for --chunk-size: '31' (expected a number from 32 to 65535)");
}

TEST(options_other_errors_give_the_usage)
{
	static const char *const bad[][3] = {
		{ "--slot", NULL },	   /* no value */
		{ "--force=yes", NULL },   /* a flag with a value */
		{ "--forc", NULL },	   /* no abbreviations */
		{ "-x", NULL },		   /* unknown short */
		{ "-fx", NULL },	   /* unknown in a cluster */
		{ "--type", "bad", NULL }, /* the callback refuses */
		{ "--each", "a", NULL },   /* not this parser's */
	};
	struct parsed p;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		parse(&p, bad[i]);
		CHECK_INT(p.rc, EXIT_USAGE);
		CHECK_STR(p.ctx.last_error, "usage: smpctl cmd ARG");
	}
}

/* The whole file, NUL-terminated, or NULL. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) && fread(buf, 1, (size_t)n, f) == (size_t)n)
		buf[n] = 0;
	else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static bool word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

/* Whether word stands in text on its own: "--force" but not in "--forced". */
static bool has_word(const char *text, const char *word)
{
	size_t len = strlen(word);
	const char *at;

	for (at = strstr(text, word); at; at = strstr(at + 1, word))
		if ((at == text || !word_char(at[-1]) || word[0] == '-' || word[0] == '\\') &&
		    !word_char(at[len]) && strncmp(at + len, "\\-", 2))
			return true;
	return false;
}

enum doc_form {
	FORM_PLAIN,
	FORM_FISH,
	FORM_ROFF
};

/* "--chunk-size" as the file writes it: fish "-l chunk-size", roff
 * "\-\-chunk\-size". */
static void option_word(enum doc_form form, const char *name, char *buf, size_t cap)
{
	size_t n;

	if (form == FORM_FISH) {
		snprintf(buf, cap, "-l %s", name);
		return;
	}
	if (form == FORM_PLAIN) {
		snprintf(buf, cap, "--%s", name);
		return;
	}
	n = (size_t)snprintf(buf, cap, "\\-\\-");
	for (; *name && n + 3 < cap; name++) {
		if (*name == '-')
			buf[n++] = '\\';
		buf[n++] = *name;
	}
	buf[n] = 0;
}

struct doc_file {
	const char *path;
	enum doc_form form;
	bool commands; /* whether command words must appear too */
	char *text;
	char missing[1024];
};

static void note_missing(struct doc_file *d, const char *where, const char *word)
{
	size_t used = strlen(d->missing);

	snprintf(d->missing + used, sizeof(d->missing) - used, " %s:%s", where, word);
}

static void check_options(struct doc_file *d, const char *where, const struct cli_option *o)
{
	char word[96];

	for (; o && o->name; o++) {
		option_word(d->form, o->name, word, sizeof(word));
		if (!has_word(d->text, word))
			note_missing(d, where, word);
	}
}

static void check_table(struct doc_file *d, const struct cli_cmd *table, const char *prefix)
{
	const struct cli_cmd *c;
	char path[128];

	for (c = table; c->name; c++) {
		snprintf(path, sizeof(path), "%s%s%s", prefix, *prefix ? " " : "", c->name);
		if (d->commands && !has_word(d->text, c->name))
			note_missing(d, prefix, c->name);
		check_options(d, path, c->options);
		if (c->subcommands)
			check_table(d, c->subcommands, path);
	}
}

static void check_file(struct unit_ctx *t, struct doc_file *d)
{
	char word[96];
	const char *name;
	size_t i;

	d->text = slurp(d->path);
	if (!CHECK(d->text != NULL))
		return;
	d->missing[0] = 0;
	for (i = 0; (name = cli_opts_name(i)); i++) {
		option_word(d->form, name, word, sizeof(word));
		if (!has_word(d->text, word))
			note_missing(d, "global", word);
	}
	check_table(d, cli_commands, "");
	if (d->missing[0])
		fprintf(stderr, "%s lacks:%s\n", d->path, d->missing);
	CHECK_STR(d->missing, "");
	free(d->text);
}

TEST(options_word_forms)
{
	char w[64];

	option_word(FORM_ROFF, "chunk-size", w, sizeof(w));
	CHECK_STR(w, "\\-\\-chunk\\-size");
	option_word(FORM_FISH, "chunk-size", w, sizeof(w));
	CHECK_STR(w, "-l chunk-size");
	CHECK(has_word("a --force b", "--force"));
	CHECK(!has_word("a --forced b", "--force"));
	CHECK(!has_word("upgrades", "upgrade"));
}

TEST(completions_know_every_command_and_option)
{
	struct doc_file files[] = {
		{ "completions/smpctl.bash", FORM_PLAIN, true, NULL, "" },
		{ "completions/_smpctl", FORM_PLAIN, true, NULL, "" },
		{ "completions/smpctl.fish", FORM_FISH, true, NULL, "" },
	};
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		check_file(t, &files[i]);
}

TEST(docs_name_every_option)
{
	struct doc_file files[] = {
		{ "man/smpctl.1", FORM_ROFF, false, NULL, "" },
		{ "README.md", FORM_PLAIN, false, NULL, "" },
	};
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		check_file(t, &files[i]);
}
