/* smp-bluez-standin: bluetoothd as smpctl sees it, on a private bus.
 *
 * It takes the name org.bluez on the bus at --bus ADDRESS and exposes, with
 * BlueZ 5.66's D-Bus API (doc/adapter-api.txt, device-api.txt,
 * gatt-api.txt), one adapter /org/bluez/hci0, one LE device that appears
 * when discovery starts, and, once Device1.Connect is called, the SMP
 * service and characteristic. Behind them it is an ATT client of the
 * simulated device's GATT stand-in (smp-simdev --att PATH), as bluetoothd
 * is of a real device: Exchange MTU, discovery of the characteristic and
 * its CCCD, AcquireWrite's values sent as Write Commands, AcquireNotify
 * writing the CCCD and passing each notification's value on. The pipes
 * are SOCK_SEQPACKET socketpairs, as src/gatt-client.c makes them.
 *
 *   --powered-off     Adapter1.Powered is false; StartDiscovery: NotReady
 *   --hidden          the device never appears
 *   --notify-held     another client has acquired the notifications
 *   --notify-started  another client has a StartNotify session on
 *
 * It prints "standin: ready" once it owns the name. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "transport/att.h"
#include "transport/att_bearer.h"

#define ADAPTER "/org/bluez/hci0"
#define DEVICE ADAPTER "/dev_C0_FF_EE_00_00_01"
#define SERVICE DEVICE "/service000a"
#define CHR SERVICE "/char000b"
#define DEV_ADDR "C0:FF:EE:00:00:01"

struct standin {
	sd_bus *bus;
	sd_event *ev;
	const char *att_path, *name;
	bool powered, hidden, notify_held, notify_started;
	bool discovering, device_shown, connected, resolved;
	struct att_bearer bearer;
	sd_event_source *bearer_src, *write_src;
	uint16_t value_handle, cccd_handle;
	int write_fd, notify_fd; /* our ends of the acquired pipes, or -1 */
};

/* ---- the ATT side ---- */

static void on_value(void *arg, uint8_t opcode, uint16_t handle, const uint8_t *value, size_t len)
{
	struct standin *s = arg;

	if (opcode == ATT_OP_NOTIFY && handle == s->value_handle && s->notify_fd >= 0)
		(void)send(s->notify_fd, value, len, MSG_NOSIGNAL | MSG_DONTWAIT);
}

static void drop_pipes(struct standin *s)
{
	s->write_src = sd_event_source_disable_unref(s->write_src);
	if (s->write_fd >= 0)
		close(s->write_fd);
	if (s->notify_fd >= 0)
		close(s->notify_fd);
	s->write_fd = s->notify_fd = -1;
}

static void set_connected(struct standin *s, bool on)
{
	if (s->connected == on)
		return;
	s->connected = s->resolved = on;
	if (on) {
		sd_bus_emit_object_added(s->bus, SERVICE);
		sd_bus_emit_object_added(s->bus, CHR);
	} else {
		drop_pipes(s);
		s->bearer_src = sd_event_source_disable_unref(s->bearer_src);
		close(s->bearer.fd);
		sd_bus_emit_object_removed(s->bus, CHR);
		sd_bus_emit_object_removed(s->bus, SERVICE);
	}
	sd_bus_emit_properties_changed(s->bus, DEVICE, "org.bluez.Device1", "Connected",
				       "ServicesResolved", NULL);
}

static int bearer_readable(sd_event_source *src, int fd, uint32_t revents, void *arg)
{
	struct standin *s = arg;

	int rc;

	/* Everything queued, as bluetoothd's io handler drains its socket. */
	while ((rc = att_bearer_poll(&s->bearer, 0)) == ATT_BEARER_OK)
		;
	if (rc == ATT_BEARER_LOST)
		set_connected(s, false);
	return 0;
}

/* bt_gatt_client's discovery, cut to what this stand-in exposes: the SMP
 * characteristic's value handle and its CCCD. */
static int discover(struct standin *s)
{
	struct att_handle_value attrs[ATT_MAX_LIST];
	struct att_info infos[ATT_MAX_LIST];
	struct att_uuid chr_type, smp_chr, cccd;
	uint8_t req[32];
	struct att_chr c;
	int n, i;

	att_uuid16(GATT_UUID_CHARACTERISTIC, &chr_type);
	att_uuid16(GATT_UUID_CCCD, &cccd);
	att_uuid_parse(SMP_BT_CHR_UUID_STR, &smp_chr);
	s->value_handle = s->cccd_handle = 0;
	for (uint32_t start = 1; start <= 0xFFFF && !s->value_handle;) {
		n = att_enc_read_by_type_req(req, sizeof(req), (uint16_t)start, 0xFFFF, &chr_type);
		if (att_bearer_request(&s->bearer, req, (size_t)n, 5000) != ATT_BEARER_OK)
			return -1;
		n = att_dec_read_by_type_rsp(s->bearer.pdu, s->bearer.pdu_len, attrs, ATT_MAX_LIST);
		if (n <= 0)
			return -1;
		for (i = 0; i < n; i++) {
			if (att_dec_chr_decl(attrs[i].handle, attrs[i].value, attrs[i].len, &c))
				return -1;
			if (att_uuid_eq(&c.uuid, &smp_chr))
				s->value_handle = c.value_handle;
			start = (uint32_t)c.value_handle + 1;
		}
	}
	n = att_enc_find_info_req(req, sizeof(req), (uint16_t)(s->value_handle + 1),
				  (uint16_t)(s->value_handle + 4));
	if (att_bearer_request(&s->bearer, req, (size_t)n, 5000) != ATT_BEARER_OK)
		return -1;
	n = att_dec_find_info_rsp(s->bearer.pdu, s->bearer.pdu_len, infos, ATT_MAX_LIST);
	for (i = 0; i < n && !s->cccd_handle; i++)
		if (att_uuid_eq(&infos[i].uuid, &cccd))
			s->cccd_handle = infos[i].handle;
	return s->cccd_handle ? 0 : -1;
}

static int att_connect(struct standin *s)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	snprintf(a.sun_path, sizeof(a.sun_path), "%s", s->att_path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	att_bearer_init(&s->bearer, fd, ATT_MAX_MTU);
	s->bearer.on_value = on_value;
	s->bearer.value_arg = s;
	if (att_bearer_exchange_mtu(&s->bearer, 5000) != ATT_BEARER_OK || discover(s) != 0) {
		close(fd);
		return -1;
	}
	sd_event_add_io(s->ev, &s->bearer_src, fd, EPOLLIN, bearer_readable, s);
	return 0;
}

/* ---- org.bluez.Adapter1 ---- */

static int set_filter(sd_bus_message *m, void *arg, sd_bus_error *e)
{
	return sd_bus_reply_method_return(m, NULL);
}

static int start_discovery(sd_bus_message *m, void *arg, sd_bus_error *e)
{
	struct standin *s = arg;

	if (!s->powered)
		return sd_bus_error_set(e, "org.bluez.Error.NotReady", "Resource Not Ready");
	s->discovering = true;
	if (!s->hidden && !s->device_shown) {
		s->device_shown = true;
		sd_bus_emit_object_added(s->bus, DEVICE);
	}
	return sd_bus_reply_method_return(m, NULL);
}

static int stop_discovery(sd_bus_message *m, void *arg, sd_bus_error *e)
{
	struct standin *s = arg;

	if (!s->discovering)
		return sd_bus_error_set(e, "org.bluez.Error.Failed", "No discovery started");
	s->discovering = false;
	return sd_bus_reply_method_return(m, NULL);
}

static int prop_bool(sd_bus *bus, const char *path, const char *iface, const char *prop,
		     sd_bus_message *reply, void *arg, sd_bus_error *e)
{
	struct standin *s = arg;
	int v = !strcmp(prop, "Powered")	    ? s->powered
		: !strcmp(prop, "Discovering")	    ? s->discovering
		: !strcmp(prop, "Connected")	    ? s->connected
		: !strcmp(prop, "ServicesResolved") ? s->resolved
		: !strcmp(prop, "NotifyAcquired")   ? (s->notify_fd >= 0 || s->notify_held)
		: !strcmp(prop, "WriteAcquired")    ? s->write_fd >= 0
						    : 0;

	return sd_bus_message_append(reply, "b", v);
}

static int prop_str(sd_bus *bus, const char *path, const char *iface, const char *prop,
		    sd_bus_message *reply, void *arg, sd_bus_error *e)
{
	struct standin *s = arg;
	const char *v = !strcmp(prop, "Name") || !strcmp(prop, "Alias")
				? (!strcmp(path, DEVICE) ? s->name : "standin")
			: !strcmp(prop, "Address")
				? (!strcmp(path, DEVICE) ? DEV_ADDR : "00:11:22:33:44:55")
			: !strcmp(prop, "AddressType")
				? (!strcmp(path, DEVICE) ? "random" : "public")
			: !strcmp(prop, "UUID")
				? (!strcmp(path, CHR) ? SMP_BT_CHR_UUID_STR : SMP_BT_SVC_UUID_STR)
				: "";

	return sd_bus_message_append(reply, "s", v);
}

static int prop_obj(sd_bus *bus, const char *path, const char *iface, const char *prop,
		    sd_bus_message *reply, void *arg, sd_bus_error *e)
{
	return sd_bus_message_append(reply, "o",
				     !strcmp(prop, "Adapter")  ? ADAPTER
				     : !strcmp(prop, "Device") ? DEVICE
							       : SERVICE);
}

static int prop_uuids(sd_bus *bus, const char *path, const char *iface, const char *prop,
		      sd_bus_message *reply, void *arg, sd_bus_error *e)
{
	return sd_bus_message_append(reply, "as", 1, SMP_BT_SVC_UUID_STR);
}

static int prop_rssi(sd_bus *bus, const char *path, const char *iface, const char *prop,
		     sd_bus_message *reply, void *arg, sd_bus_error *e)
{
	return sd_bus_message_append(reply, "n", (int16_t)-48);
}

static const sd_bus_vtable adapter_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD("SetDiscoveryFilter", "a{sv}", "", set_filter, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("StartDiscovery", "", "", start_discovery, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("StopDiscovery", "", "", stop_discovery, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_PROPERTY("Address", "s", prop_str, 0, 0),
	SD_BUS_PROPERTY("AddressType", "s", prop_str, 0, 0),
	SD_BUS_PROPERTY("Name", "s", prop_str, 0, 0),
	SD_BUS_PROPERTY("Alias", "s", prop_str, 0, 0),
	SD_BUS_PROPERTY("Powered", "b", prop_bool, 0, 0),
	SD_BUS_PROPERTY("Discovering", "b", prop_bool, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_VTABLE_END
};

/* ---- org.bluez.Device1 ---- */

static int dev_connect(sd_bus_message *m, void *arg, sd_bus_error *e)
{
	struct standin *s = arg;

	if (!s->connected) {
		if (att_connect(s) != 0)
			return sd_bus_error_set(e, "org.bluez.Error.Failed",
						"le-connection-abort-by-local");
		set_connected(s, true);
	}
	return sd_bus_reply_method_return(m, NULL);
}

static int dev_disconnect(sd_bus_message *m, void *arg, sd_bus_error *e)
{
	set_connected(arg, false);
	return sd_bus_reply_method_return(m, NULL);
}

static const sd_bus_vtable device_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD("Connect", "", "", dev_connect, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("Disconnect", "", "", dev_disconnect, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_PROPERTY("Address", "s", prop_str, 0, 0),
	SD_BUS_PROPERTY("AddressType", "s", prop_str, 0, 0),
	SD_BUS_PROPERTY("Name", "s", prop_str, 0, 0),
	SD_BUS_PROPERTY("Alias", "s", prop_str, 0, 0),
	SD_BUS_PROPERTY("Adapter", "o", prop_obj, 0, 0),
	SD_BUS_PROPERTY("RSSI", "n", prop_rssi, 0, 0),
	SD_BUS_PROPERTY("UUIDs", "as", prop_uuids, 0, 0),
	SD_BUS_PROPERTY("Paired", "b", prop_bool, 0, 0),
	SD_BUS_PROPERTY("Connected", "b", prop_bool, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("ServicesResolved", "b", prop_bool, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_VTABLE_END
};

/* ---- org.bluez.GattService1 and GattCharacteristic1 ---- */

static int prop_flags(sd_bus *bus, const char *path, const char *iface, const char *prop,
		      sd_bus_message *reply, void *arg, sd_bus_error *e)
{
	return sd_bus_message_append(reply, "as", 2, "write-without-response", "notify");
}

static int prop_primary(sd_bus *bus, const char *path, const char *iface, const char *prop,
			sd_bus_message *reply, void *arg, sd_bus_error *e)
{
	return sd_bus_message_append(reply, "b", 1);
}

/* src/gatt-client.c's sock_io_read: each datagram is one Write Command. */
static int write_readable(sd_event_source *src, int fd, uint32_t revents, void *arg)
{
	struct standin *s = arg;
	uint8_t value[ATT_MAX_MTU], pdu[ATT_MAX_MTU];

	for (;;) {
		ssize_t n = recv(fd, value, s->bearer.mtu - 3u, MSG_DONTWAIT);
		int len;

		if (n <= 0) {
			if (n == 0 || (errno != EAGAIN && errno != EINTR))
				drop_pipes(s);
			return 0;
		}
		len = att_enc_write_cmd(pdu, sizeof(pdu), s->value_handle, value, (size_t)n);
		if (len > 0 && att_bearer_send(&s->bearer, pdu, (size_t)len) != ATT_BEARER_OK) {
			set_connected(s, false);
			return 0;
		}
	}
}

static int pipe_pair(int *ours, int *theirs)
{
	int fds[2];

	if (socketpair(AF_LOCAL, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) < 0)
		return -1;
	*ours = fds[1];
	*theirs = fds[0];
	return 0;
}

static int acquire_write(sd_bus_message *m, void *arg, sd_bus_error *e)
{
	struct standin *s = arg;
	int theirs, r;

	if (s->write_fd >= 0)
		return sd_bus_error_set(e, "org.bluez.Error.NotPermitted", "Write acquired");
	if (pipe_pair(&s->write_fd, &theirs) != 0)
		return sd_bus_error_set(e, "org.bluez.Error.Failed", "socketpair failed");
	sd_event_add_io(s->ev, &s->write_src, s->write_fd, EPOLLIN, write_readable, s);
	r = sd_bus_reply_method_return(m, "hq", theirs, s->bearer.mtu);
	close(theirs);
	return r;
}

/* Writes the CCCD as bluetoothd's notify registration does; an
 * Insufficient Authentication or Encryption comes back as BlueZ's
 * create_gatt_dbus_error() words it. */
static int acquire_notify(sd_bus_message *m, void *arg, sd_bus_error *e)
{
	struct standin *s = arg;
	const uint8_t on[2] = { 1, 0 };
	struct att_error ae;
	uint8_t req[8];
	int theirs, r, n;

	if (s->notify_fd >= 0 || s->notify_held)
		return sd_bus_error_set(e, "org.bluez.Error.NotPermitted", "Notify acquired");
	/* "Each client can only have one active notify session." */
	if (s->notify_started)
		return sd_bus_error_set(e, "org.bluez.Error.InProgress", "In Progress");
	n = att_enc_write_req(req, sizeof(req), s->cccd_handle, on, sizeof(on));
	if (att_bearer_request(&s->bearer, req, (size_t)n, 5000) != ATT_BEARER_OK)
		return sd_bus_error_set(e, "org.bluez.Error.Failed", "Operation failed");
	if (att_dec_error_rsp(s->bearer.pdu, s->bearer.pdu_len, &ae) == ATT_DEC_OK) {
		if (ae.ecode == ATT_E_AUTHENTICATION || ae.ecode == ATT_E_INSUFFICIENT_ENCRYPTION ||
		    ae.ecode == ATT_E_ENCRYPTION_KEY_SIZE)
			return sd_bus_error_set(e, "org.bluez.Error.NotPermitted", "Not paired");
		return sd_bus_error_setf(e, "org.bluez.Error.Failed",
					 "Operation failed with ATT error: 0x%02x", ae.ecode);
	}
	if (pipe_pair(&s->notify_fd, &theirs) != 0)
		return sd_bus_error_set(e, "org.bluez.Error.Failed", "socketpair failed");
	r = sd_bus_reply_method_return(m, "hq", theirs, s->bearer.mtu);
	close(theirs);
	return r;
}

static const sd_bus_vtable service_vtable[] = { SD_BUS_VTABLE_START(0),
						SD_BUS_PROPERTY("UUID", "s", prop_str, 0, 0),
						SD_BUS_PROPERTY("Primary", "b", prop_primary, 0, 0),
						SD_BUS_PROPERTY("Device", "o", prop_obj, 0, 0),
						SD_BUS_VTABLE_END };

static const sd_bus_vtable chr_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD("AcquireWrite", "a{sv}", "hq", acquire_write, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("AcquireNotify", "a{sv}", "hq", acquire_notify, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_PROPERTY("UUID", "s", prop_str, 0, 0),
	SD_BUS_PROPERTY("Service", "o", prop_obj, 0, 0),
	SD_BUS_PROPERTY("Flags", "as", prop_flags, 0, 0),
	SD_BUS_PROPERTY("WriteAcquired", "b", prop_bool, 0, 0),
	SD_BUS_PROPERTY("NotifyAcquired", "b", prop_bool, 0, 0),
	SD_BUS_VTABLE_END
};

/* Which objects exist now: the device once discovery found it, the GATT
 * objects while connected. */
static int present(sd_bus *bus, const char *path, const char *iface, void *arg, void **found,
		   sd_bus_error *e)
{
	struct standin *s = arg;

	*found = s;
	if (!strcmp(path, ADAPTER))
		return !strcmp(iface, "org.bluez.Adapter1");
	if (!strcmp(path, DEVICE))
		return s->device_shown && !strcmp(iface, "org.bluez.Device1");
	if (!strcmp(path, SERVICE))
		return s->connected && !strcmp(iface, "org.bluez.GattService1");
	return !strcmp(path, CHR) && s->connected &&
	       !strcmp(iface, "org.bluez.GattCharacteristic1");
}

static int enumerate(sd_bus *bus, const char *prefix, void *arg, char ***nodes, sd_bus_error *e)
{
	struct standin *s = arg;
	char **l = calloc(5, sizeof(*l));
	int n = 0;

	if (!l)
		return -ENOMEM;
	l[n++] = strdup(ADAPTER);
	if (s->device_shown)
		l[n++] = strdup(DEVICE);
	if (s->connected) {
		l[n++] = strdup(SERVICE);
		l[n++] = strdup(CHR);
	}
	*nodes = l;
	return 0;
}

static int serve(struct standin *s, const char *address)
{
	static const struct {
		const char *iface;
		const sd_bus_vtable *vt;
	} ifaces[] = {
		{ "org.bluez.Adapter1", adapter_vtable },
		{ "org.bluez.Device1", device_vtable },
		{ "org.bluez.GattService1", service_vtable },
		{ "org.bluez.GattCharacteristic1", chr_vtable },
	};
	size_t i;
	int r;

	if ((r = sd_bus_new(&s->bus)) < 0 || (r = sd_bus_set_address(s->bus, address)) < 0 ||
	    (r = sd_bus_set_bus_client(s->bus, 1)) < 0 || (r = sd_bus_start(s->bus)) < 0)
		return r;
	r = sd_bus_add_object_manager(s->bus, NULL, "/");
	for (i = 0; r >= 0 && i < sizeof(ifaces) / sizeof(ifaces[0]); i++)
		r = sd_bus_add_fallback_vtable(s->bus, NULL, "/org/bluez", ifaces[i].iface,
					       ifaces[i].vt, present, s);
	if (r >= 0)
		r = sd_bus_add_node_enumerator(s->bus, NULL, "/org/bluez", enumerate, s);
	if (r >= 0)
		r = sd_bus_request_name(s->bus, "org.bluez", 0);
	if (r >= 0)
		r = sd_event_default(&s->ev);
	if (r >= 0)
		r = sd_bus_attach_event(s->bus, s->ev, 0);
	return r;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "bus", 1, NULL, 'b' },
		{ "att", 1, NULL, 'a' },
		{ "name", 1, NULL, 'n' },
		{ "powered-off", 0, NULL, 'o' },
		{ "hidden", 0, NULL, 'h' },
		{ "notify-held", 0, NULL, 'H' },
		{ "notify-started", 0, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	struct standin s = { .powered = true, .name = "smp-sim", .write_fd = -1, .notify_fd = -1 };
	const char *bus = NULL;
	int c, r;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			bus = optarg;
			break;
		case 'a':
			s.att_path = optarg;
			break;
		case 'n':
			s.name = optarg;
			break;
		case 'o':
			s.powered = false;
			break;
		case 'h':
			s.hidden = true;
			break;
		case 'H':
			s.notify_held = true;
			break;
		case 'S':
			s.notify_started = true;
			break;
		default:
			return 2;
		}
	}
	if (!bus || !s.att_path) {
		fprintf(stderr, "usage: smp-bluez-standin --bus ADDRESS --att PATH [--name NAME] "
				"[--powered-off] [--hidden] [--notify-held] [--notify-started]\n");
		return 2;
	}
	r = serve(&s, bus);
	if (r < 0) {
		fprintf(stderr, "standin: %s\n", strerror(-r));
		return 1;
	}
	printf("standin: ready\n");
	fflush(stdout);
	r = sd_event_loop(s.ev);
	return r < 0 ? 1 : 0;
}
