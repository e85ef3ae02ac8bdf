/* JSON text as smpctl prints it, documents and progress lines alike:
 * every number with the fewest digits that read back as it. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* Fewest significant digits that read back as v: 0.2, not jansson's
 * default 0.20000000000000001. */
static int shortest_digits(double v)
{
	char buf[40];
	int p;

	for (p = 1; p < 17; p++) {
		snprintf(buf, sizeof(buf), "%.*g", p, v);
		if (strtod(buf, NULL) == v)
			return p;
	}
	return 17;
}

/* v with its fewest digits; a whole number as one (6775200, not
 * 6.7752e+06), which %g writes with an exponent once it has more digits
 * than it needs to read back. */
static void put_real(FILE *f, double v)
{
	char buf[40];

	snprintf(buf, sizeof(buf), "%.*g", shortest_digits(v), v);
	if (strchr(buf, 'e') && (v >= 1 || v <= -1) && v < 1e17 && v > -1e17)
		fprintf(f, "%.0f", v);
	else
		fputs(buf, f);
}

/* jansson prints every real with 17 digits: each number of the text is
 * printed again with its own fewest digits. Strings pass untouched. */
void cli_json_put(FILE *f, const char *text)
{
	const char *p = text, *end;
	bool in_str = false;
	char *after;
	double v;

	while (*p) {
		if (in_str) {
			if (*p == '\\' && p[1])
				fputc(*p++, f);
			else if (*p == '"')
				in_str = false;
			fputc(*p++, f);
			continue;
		}
		if (*p == '"')
			in_str = true;
		if (*p != '-' && (*p < '0' || *p > '9')) {
			fputc(*p++, f);
			continue;
		}
		end = p + strspn(p, "-+0123456789.eE");
		v = strtod(p, &after);
		if (after == end && memchr(p, '.', (size_t)(end - p)))
			put_real(f, v);
		else
			fwrite(p, 1, (size_t)(end - p), f);
		p = end;
	}
}

void cli_json_line(FILE *f, json_t *doc)
{
	char *text = doc ? json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;

	if (text) {
		cli_json_put(f, text);
		fputc('\n', f);
		fflush(f);
	}
	free(text);
	json_decref(doc);
}

double cli_json_round(double v, int decimals)
{
	double scale = 1;
	int i;

	for (i = 0; i < decimals; i++)
		scale *= 10;
	return (double)(long long)(v * scale + (v < 0 ? -0.5 : 0.5)) / scale;
}
