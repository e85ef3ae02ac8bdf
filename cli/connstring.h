/* Ways of naming a connection other than smpctl's own global options:
 * Go mcumgr's --conntype/--connstring pair and smpctl's one-word CONN
 * specs (serial:/dev/ttyACM0, udp:HOST[:PORT], ble:ADDRESS|NAME,
 * mqtt:URL, exec:COMMAND), both
 * turned into settings keyed by global option long names, the form a
 * profile takes. */
#ifndef CLI_CONNSTRING_H
#define CLI_CONNSTRING_H

#include "cli/profile.h"

#define CONN_MAX_SETTINGS 8

struct conn_settings {
	struct cli_profile_setting set[CONN_MAX_SETTINGS];
	size_t n;
	/* Keys smpctl takes but does not act on (BLE conn_timeout): one line
	 * to say so, or "". */
	char ignored[128];
};

/* Go mcumgr's type (serial, udp, ble) and connstring:
 *   serial  dev=DEV,baud=N,mtu=N   (a bare first word is dev)
 *   udp     [ADDR]:PORT, ADDR:PORT, ADDR, or addr=ADDR,port=N
 *   ble     peer_name=NAME | peer_id=ADDR, ctlr_name=hciN, own_addr_type=T,
 *           conn_timeout=S
 * Reports a bad type, key or value; returns EXIT_OK or EXIT_USAGE. */
int conn_from_mcumgr(struct cli_ctx *ctx, const char *type, const char *connstring,
		     struct conn_settings *out);

/* A CONN spec: KIND:TARGET. Returns 1 and fills out for a spec, 0 when
 * spec has no known KIND: prefix (a profile name), -1 on a bad one
 * (reported). */
int conn_from_spec(struct cli_ctx *ctx, const char *spec, struct conn_settings *out);

/* Applies the settings to ctx->opts (values are copied into the ctx's
 * profile strings). Returns EXIT_OK or EXIT_USAGE (reported). */
int conn_apply(struct cli_ctx *ctx, const struct conn_settings *cs);

#endif
