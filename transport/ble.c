/* --ble TARGET: a kernel L2CAP LE socket on the ATT channel (or the
 * simulator's local socket) handed to the GATT SMP client. Only the
 * socket making lives here; see ble.h. */
#include "transport/ble.h"
#include "transport/fd_wait.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <bluetooth/bluetooth.h>
#include <bluetooth/l2cap.h>

#include "smp/say.h"
#include "transport/att.h"
#include "transport/ble_dbus.h"
#include "transport/gatt_smp.h"

struct kernel_link {
	bdaddr_t src, dst;
	uint8_t dst_type; /* BDADDR_LE_PUBLIC or BDADDR_LE_RANDOM */
	char label[BLE_NAME_MAX + 32];
};

struct unix_link {
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

/* ---- the kernel's L2CAP LE socket ---- */

static void connect_failed(const struct kernel_link *k, int e, int timeout_ms, char *err,
			   size_t errlen)
{
	if (e == ETIMEDOUT || e == EHOSTDOWN || e == EHOSTUNREACH)
		snprintf(err, errlen,
			 "%s did not answer within %d s: is it powered, advertising "
			 "and in range?%s",
			 k->label, (timeout_ms + 999) / 1000,
			 k->dst_type == BDADDR_LE_RANDOM ? " (for a public address, add "
							   "--addr-type public)"
							 : "");
	else if (e == EAFNOSUPPORT || e == EPROTONOSUPPORT)
		snprintf(err, errlen,
			 "Bluetooth is not available on this system: the kernel has "
			 "no Bluetooth support, or it is not loaded (%s)",
			 strerror(e));
	else
		snprintf(err, errlen, "connecting to %s: %s", k->label, strerror(e));
}

static int kernel_connect(void *arg, int timeout_ms, char *err, size_t errlen)
{
	struct kernel_link *k = arg;
	struct sockaddr_l2 src = { .l2_family = AF_BLUETOOTH }, dst = { .l2_family = AF_BLUETOOTH };
	struct bt_security sec = { .level = BT_SECURITY_LOW };
	int fd, e;

	fd = socket(PF_BLUETOOTH, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, BTPROTO_L2CAP);
	if (fd < 0) {
		connect_failed(k, errno, timeout_ms, err, errlen);
		return -1;
	}
	src.l2_cid = htobs(ATT_CID);
	src.l2_bdaddr_type = BDADDR_LE_PUBLIC;
	bacpy(&src.l2_bdaddr, &k->src);
	dst.l2_cid = htobs(ATT_CID);
	dst.l2_bdaddr_type = k->dst_type;
	bacpy(&dst.l2_bdaddr, &k->dst);
	if (bind(fd, (struct sockaddr *)&src, sizeof(src)) != 0 ||
	    setsockopt(fd, SOL_BLUETOOTH, BT_SECURITY, &sec, sizeof(sec)) != 0)
		e = errno;
	else if (connect(fd, (struct sockaddr *)&dst, sizeof(dst)) == 0)
		e = 0;
	else
		e = errno == EINPROGRESS ? fd_connect_finish(fd, timeout_ms) : errno;
	if (e == 0 && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0)
		e = errno;
	if (e) {
		close(fd);
		connect_failed(k, e, timeout_ms, err, errlen);
		return -1;
	}
	return fd;
}

/* What BlueZ's bt_att does on Insufficient Authentication / Encryption:
 * raise the link's security (the kernel pairs or encrypts) and retry. */
static bool kernel_raise_security(void *arg, int fd, uint8_t ecode)
{
	struct bt_security sec = { 0 };
	socklen_t len = sizeof(sec);
	int level;

	if (getsockopt(fd, SOL_BLUETOOTH, BT_SECURITY, &sec, &len) != 0)
		return false;
	level = att_security_after_error(sec.level, ecode);
	if (level < 0)
		return false;
	sec.level = (uint8_t)level;
	return setsockopt(fd, SOL_BLUETOOTH, BT_SECURITY, &sec, sizeof(sec)) == 0;
}

static bool stop_at_name(void *arg, const struct ble_device *d)
{
	return !strcmp(d->name, arg);
}

/* The first device advertising name. */
static int resolve_name(const struct ble_opts *o, struct kernel_link *k, char *err, size_t errlen)
{
	int timeout_ms = o->scan_timeout_ms > 0 ? o->scan_timeout_ms : BLE_SCAN_TIMEOUT_MS;
	struct ble_scan_result *found = malloc(sizeof(*found));
	const struct ble_device *d = NULL;
	size_t i;

	if (!found) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (ble_scan(o->hci, timeout_ms, stop_at_name, (void *)o->target, found, err, errlen)) {
		free(found);
		return -1;
	}
	for (i = 0; i < found->count && !d; i++)
		if (!strcmp(found->devices[i].name, o->target))
			d = &found->devices[i];
	if (!d) {
		snprintf(err, errlen,
			 "no device named \"%.*s\" found within %d s: is it "
			 "advertising? ('smpctl scan' lists what is around)",
			 BLE_NAME_MAX, o->target, (timeout_ms + 999) / 1000);
		free(found);
		return -1;
	}
	str2ba(d->address, &k->dst);
	k->dst_type = d->random ? BDADDR_LE_RANDOM : BDADDR_LE_PUBLIC;
	snprintf(k->label, sizeof(k->label), "%s (\"%s\")", d->address, d->name);
	free(found);
	return 0;
}

static int kernel_link_make(const struct ble_opts *o, struct gatt_smp_link *link, char *err,
			    size_t errlen)
{
	struct kernel_link *k = calloc(1, sizeof(*k));
	uint8_t src[6];

	if (!k) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (ble_adapter_check(o->hci, src, err, errlen) != 0)
		goto fail;
	memcpy(&k->src, src, 6);
	if (ble_parse_address(o->target, NULL)) {
		str2ba(o->target, &k->dst);
		k->dst_type = o->addr_type && !strcmp(o->addr_type, "public") ? BDADDR_LE_PUBLIC
									      : BDADDR_LE_RANDOM;
		snprintf(k->label, sizeof(k->label), "%s", o->target);
	} else if (resolve_name(o, k, err, errlen) != 0) {
		goto fail;
	}
	*link = (struct gatt_smp_link){ kernel_connect, kernel_raise_security, free, k, NULL };
	return 0;
fail:
	free(k);
	return -1;
}

/* ---- the simulator's local socket ---- */

static int unix_connect(void *arg, int timeout_ms, char *err, size_t errlen)
{
	struct unix_link *u = arg;
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	memcpy(addr.sun_path, u->path, sizeof(addr.sun_path));
	if (fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0)
		return fd;
	snprintf(err, errlen, "no simulated device at %s: %s", u->path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

static int unix_link_make(const char *path, struct gatt_smp_link *link, char *err, size_t errlen)
{
	struct unix_link *u;

	if (!*path || strlen(path) >= sizeof(u->path)) {
		snprintf(err, errlen, "--ble unix:PATH: the path is empty or too long");
		return -1;
	}
	u = calloc(1, sizeof(*u));
	if (!u) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	strcpy(u->path, path);
	*link = (struct gatt_smp_link){ unix_connect, NULL, free, u, NULL };
	/* cppcheck-suppress memleak ; u now belongs to link, whose release frees it */
	return 0;
}

enum ble_backend ble_backend_pick(const char *want, void (*trace)(void *arg, const char *msg),
				  void *trace_arg)
{
	char why[128];

	if (want && !strcmp(want, "kernel")) {
		smp_sayf(trace, trace_arg, "ble: the kernel's sockets, as --ble-backend says");
		return BLE_BACKEND_KERNEL;
	}
	if (want && !strcmp(want, "dbus")) {
		smp_sayf(trace, trace_arg, "ble: bluetoothd over D-Bus, as --ble-backend says");
		return BLE_BACKEND_DBUS;
	}
	if (ble_dbus_available(why, sizeof(why))) {
		smp_sayf(trace, trace_arg,
			 "ble: bluetoothd over D-Bus: %s (--ble-backend kernel "
			 "for the kernel's sockets)",
			 why);
		return BLE_BACKEND_DBUS;
	}
	smp_sayf(trace, trace_arg, "ble: the kernel's sockets: %s", why);
	return BLE_BACKEND_KERNEL;
}

int ble_transport_open(struct smp_link *t, const struct ble_opts *o, char *err, size_t errlen)
{
	struct gatt_smp_opts g = { .packet_max = o->packet_max,
				   .trace = o->trace,
				   .trace_arg = o->trace_arg };
	struct gatt_smp_link link;
	const char *target = o->target;
	size_t prefix = strlen(BLE_UNIX_PREFIX);
	int rc;

	if (!target || !*target) {
		snprintf(err, errlen, "--ble needs a device address, a device name or unix:PATH");
		return -1;
	}
	if (!strncmp(target, BLE_UNIX_PREFIX, prefix))
		rc = unix_link_make(target + prefix, &link, err, errlen);
	else if (ble_backend_pick(o->backend, o->trace, o->trace_arg) == BLE_BACKEND_DBUS)
		rc = ble_dbus_link_make(o, &link, err, errlen);
	else
		rc = kernel_link_make(o, &link, err, errlen);
	if (rc != 0)
		return -1;
	return gatt_smp_transport_open_link(t, &link,
					    o->connect_timeout_ms > 0 ? o->connect_timeout_ms
								      : BLE_CONNECT_TIMEOUT_MS,
					    &g, err, errlen);
}
