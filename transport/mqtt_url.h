/* The --mqtt URL and the topic templates: pure string work, no I/O.
 *
 *   mqtt[s]://[USER[:PASS]@]HOST[:PORT]/PREFIX/DEVICE
 *
 * HOST may be [IPV6]; PORT defaults to 1883 (mqtt) or 8883 (mqtts);
 * PREFIX is every path segment but the last (it may be empty or hold
 * several), DEVICE the last. USER and PASS are %-decoded. Topic templates
 * replace {prefix} and {device}; an empty prefix takes its '/' with it so
 * that "{prefix}/{device}/smp/req" becomes "DEVICE/smp/req". */
#ifndef TRANSPORT_MQTT_URL_H
#define TRANSPORT_MQTT_URL_H

#include <stdbool.h>
#include <stddef.h>

#define MQTT_DEFAULT_PORT 1883
#define MQTT_DEFAULT_TLS_PORT 8883
#define MQTT_DEFAULT_REQ_TOPIC "{prefix}/{device}/smp/req"
#define MQTT_DEFAULT_RSP_TOPIC "{prefix}/{device}/smp/rsp"
#define MQTT_FIELD_MAX 256

struct mqtt_url {
	bool tls;
	char user[MQTT_FIELD_MAX], pass[MQTT_FIELD_MAX];
	bool has_user, has_pass;
	char host[MQTT_FIELD_MAX];
	int port;
	char prefix[MQTT_FIELD_MAX];
	char device[MQTT_FIELD_MAX]; /* empty when the path has no segment */
};

/* Parses url. with_device: the last path segment is DEVICE (smpctl);
 * otherwise the whole path is PREFIX (a device given its id apart).
 * Returns 0, or -1 with a one-line reason in err. */
int mqtt_url_parse(const char *url, bool with_device, struct mqtt_url *out, char *err,
		   size_t errlen);

/* Splits "REQ,RSP" (NULL: the defaults) into its two templates. Returns
 * -1 with a reason when malformed. */
int mqtt_topics_split(const char *spec, char *req, char *rsp, size_t len, char *err, size_t errlen);

/* Expands a template into out. Returns -1 with a reason when the result
 * is not a topic one may publish to (empty, too long, wildcards, an
 * unknown {placeholder}). */
int mqtt_topic_expand(const char *tmpl, const char *prefix, const char *device, char *out,
		      size_t outlen, char *err, size_t errlen);

#endif
