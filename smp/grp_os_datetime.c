/* OS group: the device clock (datetime) and the RFC 3339 text it takes. */
#include "smp/grp_os.h"

#include "smp/cbor_read.h"
#include "smp/cbor_write.h"
#include "smp/fmt.h"

static int fail(const char **why, const char *what)
{
	*why = what;
	return -1;
}

int smp_os_datetime_req(struct smp_cbor_writer *w, const char *datetime)
{
	smp_cbor_map(w, 1);
	smp_put_text(w, "datetime", datetime);
	return smp_cbor_done(w);
}

int smp_os_datetime_rsp(const struct smp_cbor *rsp, char *out, size_t cap, const char **why)
{
	int r = smp_get_text(rsp, "datetime", out, cap);

	if (r == SMP_GET_NOMEM)
		return fail(why, "answer has an over-long \"datetime\"");
	if (r != SMP_GET_OK)
		return fail(why, "answer has no text \"datetime\"");
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

void smp_os_datetime_format(int64_t unix_s, int ms, char *buf, size_t cap)
{
	int64_t days = unix_s >= 0 ? unix_s / 86400 : -((-unix_s + 86399) / 86400);
	int64_t secs = unix_s - days * 86400, y;
	unsigned m, d;

	civil_from_days(days, &y, &m, &d);
	if (ms >= 0)
		smp_fmt(buf, cap, "%04lld-%02u-%02uT%02d:%02d:%02d.%03d", (long long)y, m, d,
			(int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60), ms);
	else
		smp_fmt(buf, cap, "%04lld-%02u-%02uT%02d:%02d:%02d", (long long)y, m, d,
			(int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
}

/* Exactly n digits at *p, advancing it. */
static int digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++, (*p)++) {
		if (**p < '0' || **p > '9')
			return -1;
		v = v * 10 + (**p - '0');
	}
	*out = v;
	return 0;
}

static int parse_zone(const char *p, int *offset_s)
{
	int hh, mm, sign;

	*offset_s = 0;
	if (*p == 0 || ((*p == 'Z' || *p == 'z') && p[1] == 0))
		return 0;
	if (*p != '+' && *p != '-')
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	if (digits(&p, 2, &hh) || *p++ != ':' || digits(&p, 2, &mm) || *p || hh > 23 || mm > 59)
		return -1;
	*offset_s = sign * (hh * 3600 + mm * 60);
	return 0;
}

int smp_os_datetime_parse(const char *text, int64_t *unix_s, int *ms, const char **why)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	const char *p = text;
	int y, mo, d, h, mi, s, zone, scale = 100;

	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' ||
	    digits(&p, 2, &d) || (*p != 'T' && *p != 't' && *p != ' ') || !*p++ ||
	    digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi) || *p++ != ':' ||
	    digits(&p, 2, &s))
		return fail(why, "not an RFC 3339 date and time (YYYY-MM-DDTHH:MM:SS)");
	*ms = 0;
	if (*p == '.') {
		if (p[1] < '0' || p[1] > '9')
			return fail(why, "a fraction of a second needs digits");
		for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10)
			*ms += scale * (*p - '0');
	}
	if (parse_zone(p, &zone))
		return fail(why, "bad time zone: use Z or +HH:MM");
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400))) || h > 23 || mi > 59 ||
	    s > 60)
		return fail(why, "no such date or time");
	if (s == 60)
		s = 59; /* a leap second: the RTC cannot hold it */
	*unix_s = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + s -
		  zone;
	return 0;
}
