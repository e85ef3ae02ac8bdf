/* --ble through bluetoothd on the system bus; see ble_dbus.h. */
#include "transport/ble_dbus.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <systemd/sd-bus.h>

#include "smp/clock.h"
#include "smp/say.h"
#include "transport/att.h"

#define BLUEZ "org.bluez"
#define ADAPTER_IFACE "org.bluez.Adapter1"
#define DEVICE_IFACE "org.bluez.Device1"
#define CHR_IFACE "org.bluez.GattCharacteristic1"
#define WAIT_STEP_US 100000

struct dbus_link {
	sd_bus *bus;
	char adapter[32]; /* /org/bluez/hciN */
	char device[128];
	char chr[256];
	char label[BLE_NAME_MAX + 32];
	char address[18]; /* the device's, once found */
	/* Connected before we came: then it is not ours to disconnect. */
	bool was_connected;
	bool we_connected;
	const struct ble_opts *o;
	struct ble_opts opts; /* o's copy: the link outlives the caller's */
	char target[BLE_NAME_MAX + 1];
};

/* One interface of one object from GetManagedObjects, with the
 * properties this file reads. Strings point into the reply. */
struct bz_obj {
	const char *path, *iface;
	const char *address, *address_type, *name, *alias, *adapter, *uuid;
	char **uuids, **flags;
	int powered, connected, resolved, paired; /* -1: absent */
	int rssi;				  /* 127: absent */
};

typedef int (*bz_obj_fn)(void *arg, const struct bz_obj *b);

static bool has(char **list, const char *s)
{
	for (; list && *list; list++)
		if (!strcasecmp(*list, s))
			return true;
	return false;
}

static int read_prop(sd_bus_message *m, struct bz_obj *b)
{
	const char *key, *type;
	const char *s;
	int v, r;

	r = sd_bus_message_read(m, "s", &key);
	if (r < 0 || (r = sd_bus_message_peek_type(m, NULL, &type)) < 0)
		return r;
	r = sd_bus_message_enter_container(m, 'v', type);
	if (r < 0)
		return r;
	if ((!strcmp(type, "s") || !strcmp(type, "o")) &&
	    (r = sd_bus_message_read_basic(m, type[0], &s)) >= 0) {
		const char **to = !strcmp(key, "Address")	? &b->address
				  : !strcmp(key, "AddressType") ? &b->address_type
				  : !strcmp(key, "Name")	? &b->name
				  : !strcmp(key, "Alias")	? &b->alias
				  : !strcmp(key, "Adapter")	? &b->adapter
				  : !strcmp(key, "UUID")	? &b->uuid
								: NULL;
		if (to)
			*to = s;
	} else if (!strcmp(type, "b") && (r = sd_bus_message_read_basic(m, 'b', &v)) >= 0) {
		int *to = !strcmp(key, "Powered")	     ? &b->powered
			  : !strcmp(key, "Connected")	     ? &b->connected
			  : !strcmp(key, "ServicesResolved") ? &b->resolved
			  : !strcmp(key, "Paired")	     ? &b->paired
							     : NULL;
		if (to)
			*to = v;
	} else if (!strcmp(type, "n")) {
		int16_t n;

		if ((r = sd_bus_message_read_basic(m, 'n', &n)) >= 0 && !strcmp(key, "RSSI"))
			b->rssi = n;
	} else if (!strcmp(type, "as") && (!strcmp(key, "UUIDs") || !strcmp(key, "Flags"))) {
		r = sd_bus_message_read_strv(m, !strcmp(key, "UUIDs") ? &b->uuids : &b->flags);
	} else {
		r = sd_bus_message_skip(m, type);
	}
	if (r < 0)
		return r;
	return sd_bus_message_exit_container(m);
}

static void bz_obj_clear(struct bz_obj *b, const char *path, const char *iface)
{
	char **l;

	for (l = b->uuids; l && *l; l++)
		free(*l);
	for (l = b->flags; l && *l; l++)
		free(*l);
	free(b->uuids);
	free(b->flags);
	*b = (struct bz_obj){ .path = path,
			      .iface = iface,
			      .powered = -1,
			      .connected = -1,
			      .resolved = -1,
			      .paired = -1,
			      .rssi = 127 };
}

/* One object's interfaces: a{sa{sv}}. */
static int read_ifaces(sd_bus_message *m, const char *path, bz_obj_fn fn, void *arg)
{
	struct bz_obj b = { 0 };
	const char *iface;
	int r, stop = 0;

	r = sd_bus_message_enter_container(m, 'a', "{sa{sv}}");
	while (r >= 0 && !stop && (r = sd_bus_message_enter_container(m, 'e', "sa{sv}")) > 0) {
		if ((r = sd_bus_message_read(m, "s", &iface)) < 0 ||
		    (r = sd_bus_message_enter_container(m, 'a', "{sv}")) < 0)
			break;
		bz_obj_clear(&b, path, iface);
		while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
			if ((r = read_prop(m, &b)) < 0 ||
			    (r = sd_bus_message_exit_container(m)) < 0)
				break;
		}
		if (r < 0 || (r = sd_bus_message_exit_container(m)) < 0 ||
		    (r = sd_bus_message_exit_container(m)) < 0)
			break;
		stop = fn(arg, &b);
	}
	bz_obj_clear(&b, NULL, NULL);
	if (r >= 0 && !stop)
		r = sd_bus_message_exit_container(m);
	return r < 0 ? r : stop;
}

/* Calls fn for each interface of each object bluetoothd has, until fn
 * returns nonzero (which is returned). */
static int walk_objects(sd_bus *bus, bz_obj_fn fn, void *arg, char *err, size_t errlen)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	const char *path;
	int r, stop = 0;

	r = sd_bus_call_method(bus, BLUEZ, "/", "org.freedesktop.DBus.ObjectManager",
			       "GetManagedObjects", &e, &reply, "");
	if (r < 0) {
		snprintf(err, errlen, "bluetoothd: GetManagedObjects: %s",
			 e.message ? e.message : strerror(-r));
		sd_bus_error_free(&e);
		return -1;
	}
	r = sd_bus_message_enter_container(reply, 'a', "{oa{sa{sv}}}");
	while (r >= 0 && !stop &&
	       (r = sd_bus_message_enter_container(reply, 'e', "oa{sa{sv}}")) > 0) {
		if ((r = sd_bus_message_read(reply, "o", &path)) < 0)
			break;
		stop = read_ifaces(reply, path, fn, arg);
		if (stop < 0) {
			r = stop;
			break;
		}
		if (!stop)
			r = sd_bus_message_exit_container(reply);
	}
	sd_bus_message_unref(reply);
	if (r < 0) {
		snprintf(err, errlen, "bluetoothd: a malformed object list (%s)", strerror(-r));
		return -1;
	}
	return stop;
}

bool ble_dbus_available(char *why, size_t whylen)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	sd_bus *bus = NULL;
	int r, owned = 0;

	r = sd_bus_open_system(&bus);
	if (r < 0) {
		snprintf(why, whylen, "no system D-Bus (%s)", strerror(-r));
		return false;
	}
	r = sd_bus_call_method(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
			       "org.freedesktop.DBus", "NameHasOwner", &e, &reply, "s", BLUEZ);
	if (r >= 0)
		r = sd_bus_message_read(reply, "b", &owned);
	if (r < 0)
		snprintf(why, whylen, "the system D-Bus did not answer (%s)",
			 e.message ? e.message : strerror(-r));
	else if (!owned)
		snprintf(why, whylen, "bluetoothd (org.bluez) is not on the system D-Bus");
	else
		snprintf(why, whylen, "bluetoothd (org.bluez) is on the system D-Bus");
	sd_bus_error_free(&e);
	sd_bus_message_unref(reply);
	sd_bus_flush_close_unref(bus);
	return r >= 0 && owned;
}

/* ---- the adapter ---- */

struct adapter_find {
	const char *path;
	int powered;
	bool found;
};

static int adapter_seen(void *arg, const struct bz_obj *b)
{
	struct adapter_find *a = arg;

	if (strcmp(b->iface, ADAPTER_IFACE) || strcmp(b->path, a->path))
		return 0;
	a->found = true;
	a->powered = b->powered;
	return 1;
}

static int adapter_check(struct dbus_link *l, char *err, size_t errlen)
{
	struct adapter_find a = { .path = l->adapter, .powered = -1 };
	char why[128];

	if (!ble_dbus_available(why, sizeof(why))) {
		snprintf(err, errlen,
			 "%s: start it ('systemctl start bluetooth') or use "
			 "--ble-backend kernel",
			 why);
		return -1;
	}
	if (walk_objects(l->bus, adapter_seen, &a, err, errlen) < 0)
		return -1;
	if (!a.found) {
		snprintf(err, errlen,
			 "bluetoothd has no adapter hci%d ('bluetoothctl list' "
			 "shows the adapters; --hci N picks one)",
			 l->o->hci);
		return -1;
	}
	if (a.powered != 1) {
		snprintf(err, errlen,
			 "Bluetooth adapter hci%d is off: turn it on with "
			 "'bluetoothctl power on' (if it will not, 'rfkill list' shows whether it "
			 "is blocked; 'rfkill unblock bluetooth')",
			 l->o->hci);
		return -1;
	}
	return 0;
}

/* ---- finding the device ---- */

struct device_find {
	struct dbus_link *l;
	bool found;
};

static bool device_matches(const struct dbus_link *l, const struct bz_obj *b)
{
	if (strcmp(b->iface, DEVICE_IFACE) || !b->adapter || strcmp(b->adapter, l->adapter))
		return false;
	if (ble_parse_address(l->target, NULL))
		return b->address && !strcasecmp(b->address, l->target);
	return (b->name && !strcmp(b->name, l->target)) ||
	       (b->alias && !strcmp(b->alias, l->target));
}

static int device_seen(void *arg, const struct bz_obj *b)
{
	struct device_find *f = arg;

	if (!device_matches(f->l, b))
		return 0;
	snprintf(f->l->device, sizeof(f->l->device), "%s", b->path);
	snprintf(f->l->address, sizeof(f->l->address), "%s", b->address ? b->address : "");
	f->l->was_connected = b->connected == 1;
	if (b->address && strcmp(b->address, f->l->target))
		snprintf(f->l->label, sizeof(f->l->label), "%s (\"%s\")", b->address, f->l->target);
	f->found = true;
	return 1;
}

static int call(sd_bus *bus, const char *path, const char *iface, const char *method, uint64_t usec,
		sd_bus_error *e, sd_bus_message **reply, const char *sig, ...)
{
	sd_bus_message *m = NULL;
	va_list ap;
	int r;

	r = sd_bus_message_new_method_call(bus, &m, BLUEZ, path, iface, method);
	if (r >= 0 && sig) {
		va_start(ap, sig);
		r = sd_bus_message_appendv(m, sig, ap);
		va_end(ap);
	}
	if (r >= 0)
		r = sd_bus_call(bus, m, usec, e, reply);
	sd_bus_message_unref(m);
	return r;
}

/* Adapter1.SetDiscoveryFilter then StartDiscovery, as the API documents:
 * the filter is per client and applies to the next discovery. */
static int discovery_start(sd_bus *bus, const char *adapter, bool smp_only, char *err,
			   size_t errlen)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	const char *step = "SetDiscoveryFilter";
	int r;

	if (smp_only)
		r = call(bus, adapter, ADAPTER_IFACE, "SetDiscoveryFilter", 0, &e, NULL, "a{sv}", 2,
			 "UUIDs", "as", 1, SMP_BT_SVC_UUID_STR, "Transport", "s", "le");
	else
		r = call(bus, adapter, ADAPTER_IFACE, "SetDiscoveryFilter", 0, &e, NULL, "a{sv}", 1,
			 "Transport", "s", "le");
	if (r >= 0) {
		step = "StartDiscovery";
		r = call(bus, adapter, ADAPTER_IFACE, step, 0, &e, NULL, NULL);
	}
	/* InProgress: this client is already discovering, which is as good. */
	if (r < 0 && !sd_bus_error_has_name(&e, "org.bluez.Error.InProgress")) {
		if (sd_bus_error_has_name(&e, "org.bluez.Error.NotReady"))
			snprintf(err, errlen,
				 "the Bluetooth adapter is off: turn it on with "
				 "'bluetoothctl power on' ('rfkill list' shows whether it is "
				 "blocked)");
		else
			snprintf(err, errlen, "bluetoothd: %s: %s", step,
				 e.message ? e.message : strerror(-r));
		sd_bus_error_free(&e);
		return -1;
	}
	sd_bus_error_free(&e);
	return 0;
}

static void discovery_stop(sd_bus *bus, const char *adapter)
{
	(void)call(bus, adapter, ADAPTER_IFACE, "StopDiscovery", 0, NULL, NULL, NULL);
}

/* Waits up to until_ms for bus traffic (signals of new objects or
 * properties), so that the caller looks again only when something moved. */
static void bus_wait(sd_bus *bus, int64_t until_ms)
{
	int64_t left = until_ms - smp_clock_ms();

	while (sd_bus_process(bus, NULL) > 0)
		;
	if (left > 0)
		sd_bus_wait(bus,
			    (uint64_t)(left < WAIT_STEP_US / 1000 ? left * 1000 : WAIT_STEP_US));
}

static int find_device(struct dbus_link *l, char *err, size_t errlen)
{
	int timeout_ms = l->o->scan_timeout_ms > 0 ? l->o->scan_timeout_ms : BLE_SCAN_TIMEOUT_MS;
	int64_t deadline = smp_clock_ms() + timeout_ms;
	struct device_find f = { .l = l };
	bool discovering = false;
	int rc = 0;

	for (;;) {
		if (walk_objects(l->bus, device_seen, &f, err, errlen) < 0) {
			rc = -1;
			break;
		}
		if (f.found || smp_clock_ms() >= deadline)
			break;
		if (!discovering) {
			if (discovery_start(l->bus, l->adapter, true, err, errlen) != 0) {
				rc = -1;
				break;
			}
			discovering = true;
		}
		bus_wait(l->bus, deadline);
	}
	if (discovering)
		discovery_stop(l->bus, l->adapter);
	if (rc == 0 && !f.found) {
		snprintf(err, errlen,
			 "no device %s%.*s%s found within %d s: is it powered, "
			 "advertising and in range? ('smpctl scan' lists what is around)",
			 ble_parse_address(l->target, NULL) ? "" : "named \"", BLE_NAME_MAX,
			 l->target, ble_parse_address(l->target, NULL) ? "" : "\"",
			 (timeout_ms + 999) / 1000);
		rc = -1;
	}
	return rc;
}

/* ---- connecting ---- */

struct chr_find {
	struct dbus_link *l;
	size_t prefix;
	bool found;
	bool resolved, bad_flags;
};

static int chr_seen(void *arg, const struct bz_obj *b)
{
	struct chr_find *f = arg;

	if (!strcmp(b->iface, DEVICE_IFACE) && !strcmp(b->path, f->l->device))
		f->resolved = b->resolved == 1;
	if (strcmp(b->iface, CHR_IFACE) || strncmp(b->path, f->l->device, f->prefix) ||
	    b->path[f->prefix] != '/' || !b->uuid || strcasecmp(b->uuid, SMP_BT_CHR_UUID_STR))
		return 0;
	f->bad_flags = !has(b->flags, "write-without-response") || !has(b->flags, "notify");
	snprintf(f->l->chr, sizeof(f->l->chr), "%s", b->path);
	f->found = true;
	return 0;
}

/* Device1.Connect, then the SMP characteristic once bluetoothd has
 * resolved the services (Device1.ServicesResolved). */
static int connect_device(struct dbus_link *l, int timeout_ms, char *err, size_t errlen)
{
	int64_t deadline = smp_clock_ms() + timeout_ms;
	sd_bus_error e = SD_BUS_ERROR_NULL;
	struct chr_find f = { .l = l, .prefix = strlen(l->device) };
	int r;

	r = call(l->bus, l->device, DEVICE_IFACE, "Connect", (uint64_t)timeout_ms * 1000, &e, NULL,
		 NULL);
	if (r < 0) {
		snprintf(err, errlen, "connecting to %s: %s%s", l->label,
			 e.message ? e.message : strerror(-r),
			 sd_bus_error_has_name(&e, SD_BUS_ERROR_NO_REPLY) ||
					 sd_bus_error_has_name(&e, "org.bluez.Error.Failed")
				 ? " (is it powered, advertising and in range?)"
				 : "");
		sd_bus_error_free(&e);
		return -1;
	}
	l->we_connected = !l->was_connected;
	for (;;) {
		f.found = f.resolved = false;
		if (walk_objects(l->bus, chr_seen, &f, err, errlen) < 0)
			return -1;
		if (f.resolved || smp_clock_ms() >= deadline)
			break;
		bus_wait(l->bus, deadline);
	}
	if (!f.resolved) {
		snprintf(err, errlen,
			 "%s: bluetoothd did not resolve its GATT services within "
			 "%d s",
			 l->label, (timeout_ms + 999) / 1000);
		return -1;
	}
	if (!f.found) {
		snprintf(err, errlen,
			 "the device has no SMP characteristic (%s): is mcumgr's "
			 "Bluetooth transport (CONFIG_MCUMGR_TRANSPORT_BT) enabled in its "
			 "firmware?",
			 SMP_BT_CHR_UUID_STR);
		return -1;
	}
	if (f.bad_flags) {
		snprintf(err, errlen,
			 "the SMP characteristic lacks write-without-response or "
			 "notify");
		return -1;
	}
	return 0;
}

/* AcquireNotify's errors, in the words a user can act on (BlueZ's
 * src/gatt-client.c: NotPermitted "Notify acquired" or "Not paired",
 * InProgress while another session of StartNotify is on). */
static void acquire_failed(const struct dbus_link *l, const char *what, const sd_bus_error *e,
			   int r, char *err, size_t errlen)
{
	const char *msg = e->message ? e->message : strerror(-r);

	if (sd_bus_error_has_name(e, "org.bluez.Error.NotPermitted") && strstr(msg, "paired"))
		snprintf(err, errlen,
			 "%s is not paired and its SMP characteristic needs an "
			 "encrypted link: pair it with 'bluetoothctl pair %s' (bluetoothd asks "
			 "through the registered agent; when none is registered, run "
			 "bluetoothctl, which registers one)",
			 l->label, l->address[0] ? l->address : l->target);
	else if (sd_bus_error_has_name(e, "org.bluez.Error.NotPermitted") ||
		 sd_bus_error_has_name(e, "org.bluez.Error.InProgress"))
		snprintf(err, errlen,
			 "another program holds the SMP characteristic of %s "
			 "(%s: %s): close it (nRF Connect, another smpctl or mcumgr) and try "
			 "again",
			 l->label, e->name, msg);
	else
		snprintf(err, errlen, "bluetoothd: %s: %s", what, msg);
}

static int acquire_one(struct dbus_link *l, const char *method, int *fd, uint16_t *mtu, char *err,
		       size_t errlen)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	int r, got;

	r = call(l->bus, l->chr, CHR_IFACE, method, 0, &e, &reply, "a{sv}", 0);
	if (r >= 0)
		r = sd_bus_message_read(reply, "hq", &got, mtu);
	if (r >= 0 && (*fd = fcntl(got, F_DUPFD_CLOEXEC, 3)) < 0)
		r = -errno;
	if (r < 0)
		acquire_failed(l, method, &e, r, err, errlen);
	sd_bus_error_free(&e);
	sd_bus_message_unref(reply);
	return r < 0 ? -1 : 0;
}

static int dbus_acquire(void *arg, int timeout_ms, struct gatt_smp_pipe *p, char *err,
			size_t errlen)
{
	struct dbus_link *l = arg;
	uint16_t wmtu = 0, nmtu = 0;

	if (connect_device(l, timeout_ms, err, errlen) != 0)
		return -1;
	if (acquire_one(l, "AcquireWrite", &p->write_fd, &wmtu, err, errlen) != 0)
		return -1;
	if (acquire_one(l, "AcquireNotify", &p->notify_fd, &nmtu, err, errlen) != 0) {
		close(p->write_fd);
		return -1;
	}
	/* Both carry the link's ATT MTU; the smaller is the safe one. */
	p->att_mtu = wmtu < nmtu ? wmtu : nmtu;
	smp_sayf(l->o->trace, l->o->trace_arg, "ble: bluetoothd: %s, characteristic %s", l->device,
		 l->chr);
	return 0;
}

/* bluetoothd keeps a link that Connect made until asked (or until the
 * device goes): leave the device as we found it. */
static void dbus_release(void *arg)
{
	struct dbus_link *l = arg;

	if (l->we_connected)
		(void)call(l->bus, l->device, DEVICE_IFACE, "Disconnect", 0, NULL, NULL, NULL);
	sd_bus_flush_close_unref(l->bus);
	free(l);
}

int ble_dbus_link_make(const struct ble_opts *o, struct gatt_smp_link *link, char *err,
		       size_t errlen)
{
	struct dbus_link *l = calloc(1, sizeof(*l));
	int r;

	if (!l) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	l->opts = *o;
	l->o = &l->opts;
	snprintf(l->target, sizeof(l->target), "%s", o->target);
	l->opts.target = l->target;
	snprintf(l->label, sizeof(l->label), "%s", o->target);
	snprintf(l->adapter, sizeof(l->adapter), "/org/bluez/hci%d", o->hci);
	r = sd_bus_open_system(&l->bus);
	if (r < 0) {
		snprintf(err, errlen, "cannot reach the system D-Bus: %s", strerror(-r));
		goto fail;
	}
	if (adapter_check(l, err, errlen) != 0 || find_device(l, err, errlen) != 0)
		goto fail;
	*link = (struct gatt_smp_link){ NULL, NULL, dbus_release, l, dbus_acquire };
	return 0;
fail:
	sd_bus_flush_close_unref(l->bus);
	free(l);
	return -1;
}

/* ---- scan ---- */

struct scan_fold {
	const char *adapter;
	struct ble_scan_result *out;
};

static int scan_seen(void *arg, const struct bz_obj *b)
{
	struct scan_fold *s = arg;
	struct ble_device *d;

	if (strcmp(b->iface, DEVICE_IFACE) || !b->adapter || strcmp(b->adapter, s->adapter) ||
	    !b->address || s->out->count >= BLE_SCAN_MAX)
		return 0;
	d = &s->out->devices[s->out->count++];
	memset(d, 0, sizeof(*d));
	snprintf(d->address, sizeof(d->address), "%s", b->address);
	d->random = b->address_type && !strcmp(b->address_type, "random");
	snprintf(d->name, sizeof(d->name), "%s", b->name ? b->name : "");
	d->rssi = b->rssi;
	d->smp = has(b->uuids, SMP_BT_SVC_UUID_STR);
	return 0;
}

int ble_dbus_scan(int hci, int timeout_ms, struct ble_scan_result *out, char *err, size_t errlen)
{
	struct dbus_link l = { .opts = { .hci = hci } };
	int64_t deadline = smp_clock_ms() + timeout_ms;
	struct scan_fold s = { l.adapter, out };
	int r, rc = -1;

	l.o = &l.opts;
	snprintf(l.adapter, sizeof(l.adapter), "/org/bluez/hci%d", hci);
	r = sd_bus_open_system(&l.bus);
	if (r < 0) {
		snprintf(err, errlen, "cannot reach the system D-Bus: %s", strerror(-r));
		return -1;
	}
	if (adapter_check(&l, err, errlen) != 0 ||
	    discovery_start(l.bus, l.adapter, false, err, errlen) != 0)
		goto out;
	while (smp_clock_ms() < deadline)
		bus_wait(l.bus, deadline);
	out->count = 0;
	rc = walk_objects(l.bus, scan_seen, &s, err, errlen) < 0 ? -1 : 0;
	discovery_stop(l.bus, l.adapter);
out:
	sd_bus_flush_close_unref(l.bus);
	return rc;
}
