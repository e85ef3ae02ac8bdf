#include "transport/mqtt_url.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smp/hex.h"

/* Copies [s, s+n) into out, %-decoding it. -1 on a bad escape or no room. */
static int decode(const char *s, size_t n, char *out, size_t outlen)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (c == '%') {
			if (i + 2 >= n || (c = smp_hex_byte(s + i + 1)) < 0)
				return -1;
			i += 2;
			if (c == 0)
				return -1;
		}
		if (o + 1 >= outlen)
			return -1;
		out[o++] = (char)c;
	}
	out[o] = 0;
	return 0;
}

static int copy(const char *s, size_t n, char *out, size_t outlen)
{
	if (n >= outlen)
		return -1;
	memcpy(out, s, n);
	out[n] = 0;
	return 0;
}

static int parse_port(const char *s, size_t n, int *port)
{
	char buf[8], *end;
	long v;

	if (n == 0 || n >= sizeof(buf) || copy(s, n, buf, sizeof(buf)) != 0 || buf[0] == '-' ||
	    buf[0] == '+')
		return -1;
	v = strtol(buf, &end, 10);
	if (*end || v < 1 || v > 65535)
		return -1;
	*port = (int)v;
	return 0;
}

/* HOST[:PORT] or [V6][:PORT] */
static int parse_hostport(const char *s, size_t n, struct mqtt_url *u)
{
	const char *colon;

	if (n && s[0] == '[') {
		const char *close = memchr(s, ']', n);

		if (!close || close == s + 1 ||
		    copy(s + 1, (size_t)(close - s - 1), u->host, sizeof(u->host)) != 0)
			return -1;
		if (close + 1 == s + n)
			return 0;
		if (close[1] != ':')
			return -1;
		return parse_port(close + 2, (size_t)(s + n - close - 2), &u->port);
	}
	colon = memchr(s, ':', n);
	if (colon && memchr(colon + 1, ':', (size_t)(s + n - colon - 1)))
		return -1; /* a bare IPv6 address needs brackets */
	if (copy(s, colon ? (size_t)(colon - s) : n, u->host, sizeof(u->host)) != 0 || !u->host[0])
		return -1;
	return colon ? parse_port(colon + 1, (size_t)(s + n - colon - 1), &u->port) : 0;
}

static int parse_userinfo(const char *s, size_t n, struct mqtt_url *u)
{
	const char *colon = memchr(s, ':', n);

	u->has_user = true;
	if (decode(s, colon ? (size_t)(colon - s) : n, u->user, sizeof(u->user)) != 0)
		return -1;
	if (!colon)
		return 0;
	u->has_pass = true;
	return decode(colon + 1, (size_t)(s + n - colon - 1), u->pass, sizeof(u->pass));
}

static bool topic_chars_ok(const char *s)
{
	return !strpbrk(s, "+#");
}

int mqtt_url_parse(const char *url, bool with_device, struct mqtt_url *u, char *err, size_t errlen)
{
	const char *p, *auth_end, *host_end, *path, *last;

	memset(u, 0, sizeof(*u));
	if (!strncmp(url, "mqtt://", 7)) {
		p = url + 7;
	} else if (!strncmp(url, "mqtts://", 8)) {
		u->tls = true;
		p = url + 8;
	} else {
		snprintf(err, errlen, "'%.200s' is not an mqtt:// or mqtts:// URL", url);
		return -1;
	}
	u->port = u->tls ? MQTT_DEFAULT_TLS_PORT : MQTT_DEFAULT_PORT;
	host_end = p + strcspn(p, "/");
	auth_end = memchr(p, '@', (size_t)(host_end - p));
	if (auth_end) {
		if (parse_userinfo(p, (size_t)(auth_end - p), u) != 0) {
			snprintf(err, errlen, "bad user or password in '%.200s'", url);
			return -1;
		}
		p = auth_end + 1;
	}
	if (parse_hostport(p, (size_t)(host_end - p), u) != 0) {
		snprintf(err, errlen,
			 "bad host or port in '%.200s' (HOST, HOST:PORT or [IPV6]:PORT)", url);
		return -1;
	}
	path = *host_end == '/' ? host_end + 1 : host_end;
	if (strstr(path, "//") || (*path && path[strlen(path) - 1] == '/') ||
	    !topic_chars_ok(path)) {
		snprintf(err, errlen, "bad topic path in '%.200s' (no empty segments, no + or #)",
			 url);
		return -1;
	}
	last = strrchr(path, '/');
	if (!with_device) {
		if (copy(path, strlen(path), u->prefix, sizeof(u->prefix)) != 0)
			goto too_long;
		return 0;
	}
	if (!*path) {
		snprintf(err, errlen,
			 "'%.200s' names no device: mqtt[s]://HOST[:PORT]/PREFIX/DEVICE", url);
		return -1;
	}
	if (copy(path, last ? (size_t)(last - path) : 0, u->prefix, sizeof(u->prefix)) != 0 ||
	    copy(last ? last + 1 : path, strlen(last ? last + 1 : path), u->device,
		 sizeof(u->device)) != 0)
		goto too_long;
	return 0;
too_long:
	snprintf(err, errlen, "topic path too long in '%.200s'", url);
	return -1;
}

int mqtt_topics_split(const char *spec, char *req, char *rsp, size_t len, char *err, size_t errlen)
{
	const char *comma;

	if (!spec) {
		snprintf(req, len, "%s", MQTT_DEFAULT_REQ_TOPIC);
		snprintf(rsp, len, "%s", MQTT_DEFAULT_RSP_TOPIC);
		return 0;
	}
	comma = strchr(spec, ',');
	if (!comma || strchr(comma + 1, ',') || comma == spec || !comma[1] ||
	    copy(spec, (size_t)(comma - spec), req, len) != 0 ||
	    copy(comma + 1, strlen(comma + 1), rsp, len) != 0) {
		snprintf(err, errlen, "bad --mqtt-topics '%.200s': expected REQUEST,RESPONSE",
			 spec);
		return -1;
	}
	if (!strcmp(req, rsp)) {
		snprintf(err, errlen,
			 "bad --mqtt-topics '%.200s': requests and answers need two topics", spec);
		return -1;
	}
	return 0;
}

static int append(char *out, size_t outlen, size_t *o, const char *s, size_t n)
{
	if (*o + n >= outlen)
		return -1;
	memcpy(out + *o, s, n);
	*o += n;
	out[*o] = 0;
	return 0;
}

int mqtt_topic_expand(const char *tmpl, const char *prefix, const char *device, char *out,
		      size_t outlen, char *err, size_t errlen)
{
	size_t o = 0;
	const char *t = tmpl;

	out[0] = 0;
	while (*t) {
		if (!strncmp(t, "{prefix}", 8)) {
			t += 8;
			if (!*prefix && *t == '/')
				t++;
			else if (append(out, outlen, &o, prefix, strlen(prefix)) != 0)
				goto too_long;
		} else if (!strncmp(t, "{device}", 8)) {
			t += 8;
			if (append(out, outlen, &o, device, strlen(device)) != 0)
				goto too_long;
		} else if (*t == '{') {
			snprintf(err, errlen,
				 "topic '%.200s': unknown placeholder (use {prefix} and {device})",
				 tmpl);
			return -1;
		} else if (append(out, outlen, &o, t++, 1) != 0) {
			goto too_long;
		}
	}
	if (!out[0] || !topic_chars_ok(out)) {
		snprintf(err, errlen, "topic '%.200s' is empty or has a wildcard (+ or #)", out);
		return -1;
	}
	return 0;
too_long:
	snprintf(err, errlen, "topic from '%.200s' is too long", tmpl);
	return -1;
}
