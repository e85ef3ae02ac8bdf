/* smpctl ports: the serial ports a board may be on, with what their USB
 * descriptors say (vendor, product, serial number), read from sysfs as
 * udev does: /sys/class/tty/NAME/device leads to the USB interface, whose
 * parent device holds idVendor, idProduct, manufacturer, product and
 * serial. $SMPCTL_SYSFS replaces /sys, for the tests' fake tree. */
#include "cli/cmd/commands.h"
#include "cli/parse_options.h"
#include "cli/ui/text_safe.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PORTS_USAGE "usage: smpctl ports [--all]"
#define PORTS_MAX 256

struct port {
	char name[64];	   /* ttyACM0 */
	unsigned vid, pid; /* 0 when not USB */
	char manufacturer[96], product[96], serial[96];
	bool usb;
};

/* What a vendor:product pair is. pid_lo..pid_hi; the first row that
 * matches wins. SEGGER's J-Link PIDs: 0x0101-0x0108 for the probes,
 * 0x1001-0x10ff for the J-Link OB on Nordic's DKs (1015, 1051, 1055...),
 * whose CDC ACM interface is the DK's UART. */
static const struct known_usb {
	unsigned vid, pid_lo, pid_hi;
	const char *what;
} known_usb[] = {
	{ 0x1366, 0x0101, 0x0108, "SEGGER J-Link" },
	{ 0x1366, 0x1001, 0x10ff, "SEGGER J-Link OB (nRF DK UART)" },
	{ 0x1915, 0x521f, 0x521f, "nRF52840 Dongle (Nordic DFU bootloader)" },
	{ 0x1915, 0x0000, 0xffff, "nRF USB CDC ACM (Nordic VID)" },
	{ 0x2fe3, 0x0000, 0xffff, "Zephyr USB CDC ACM (Zephyr's VID)" },
};

static const char *known_name(unsigned vid, unsigned pid)
{
	size_t i;

	for (i = 0; i < sizeof(known_usb) / sizeof(known_usb[0]); i++)
		if (known_usb[i].vid == vid && pid >= known_usb[i].pid_lo &&
		    pid <= known_usb[i].pid_hi)
			return known_usb[i].what;
	return NULL;
}

/* One line of a sysfs attribute, without its newline; "" when absent. */
static void read_attr(const char *dir, const char *attr, char *buf, size_t len)
{
	char path[PATH_MAX];
	FILE *f;

	buf[0] = 0;
	snprintf(path, sizeof(path), "%s/%s", dir, attr);
	f = fopen(path, "r");
	if (!f)
		return;
	if (!fgets(buf, (int)len, f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\r\n")] = 0;
}

/* Walks up from the tty's device to the USB device (the first directory
 * with an idVendor), at most a few levels: interface, then device. */
static bool find_usb(const char *devdir, struct port *p)
{
	char dir[PATH_MAX], attr[16];
	char *slash;
	int up;

	if (!realpath(devdir, dir))
		return false;
	for (up = 0; up < 4; up++) {
		read_attr(dir, "idVendor", attr, sizeof(attr));
		if (attr[0]) {
			p->vid = (unsigned)strtoul(attr, NULL, 16);
			read_attr(dir, "idProduct", attr, sizeof(attr));
			p->pid = (unsigned)strtoul(attr, NULL, 16);
			read_attr(dir, "manufacturer", p->manufacturer, sizeof(p->manufacturer));
			read_attr(dir, "product", p->product, sizeof(p->product));
			read_attr(dir, "serial", p->serial, sizeof(p->serial));
			return true;
		}
		slash = strrchr(dir, '/');
		if (!slash || slash == dir)
			break;
		*slash = 0;
	}
	return false;
}

/* A tty with no device behind it (tty0..63, ptmx, console) is virtual. */
static bool read_port(const char *classdir, const char *name, bool all, struct port *p)
{
	char devdir[PATH_MAX];

	if (name[0] == '.' ||
	    snprintf(devdir, sizeof(devdir), "%s/%s/device", classdir, name) >= (int)sizeof(devdir))
		return false;
	if (access(devdir, F_OK))
		return false;
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->usb = find_usb(devdir, p);
	return p->usb || all;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct port *)a)->name, ((const struct port *)b)->name);
}

static json_t *port_json(const struct port *p)
{
	char id[16];
	const char *what = p->usb ? known_name(p->vid, p->pid) : NULL;

	snprintf(id, sizeof(id), "%04x:%04x", p->vid, p->pid);
	return json_pack("{s:s+,s:s?,s:s?,s:s?,s:s?,s:s?}", "path", "/dev/", p->name, "usb_id",
			 p->usb ? id : NULL, "manufacturer",
			 p->manufacturer[0] ? p->manufacturer : NULL, "product",
			 p->product[0] ? p->product : NULL, "serial",
			 p->serial[0] ? p->serial : NULL, "board", what);
}

static void print_ports(struct cli_ctx *ctx, const struct port *ports, size_t n)
{
	json_t *list;
	const char *what;
	char id[16];
	size_t i;

	if (ctx->opts.json) {
		list = json_array();
		for (i = 0; list && i < n; i++)
			json_array_append_new(list, port_json(&ports[i]));
		cli_print_json(ctx, list ? json_pack("{s:o}", "ports", list) : NULL);
		return;
	}
	if (n)
		fprintf(ctx->out, "%-16s  %-9s  %-20s  %s\n", "PORT", "USB ID", "SERIAL", "DEVICE");
	for (i = 0; i < n; i++) {
		const struct port *p = &ports[i];

		what = p->usb ? known_name(p->vid, p->pid) : NULL;
		snprintf(id, sizeof(id), p->usb ? "%04x:%04x" : "-", p->vid, p->pid);
		fprintf(ctx->out, "/dev/%-11s  %-9s  %-20s  %s%s%s%s%s\n", p->name, id,
			p->serial[0] ? SAFE(p->serial) : "-",
			p->manufacturer[0] ? SAFE(p->manufacturer) : "",
			p->manufacturer[0] && p->product[0] ? " " : "",
			p->product[0] ? SAFE(p->product) : (p->usb ? "" : "(not USB)"),
			what ? ": " : "", what ? what : "");
	}
}

struct ports_args {
	bool all;
};

const struct cli_option ports_options[] = {
	OPT_FLAG("all", 'a', "list serial ports that are not USB too (ttyS*, ttyAMA*)",
		 struct ports_args, all),
	OPT_END(),
};

int cmd_ports(struct cli_ctx *ctx, int argc, char **argv)
{
	struct ports_args a = { false };
	const char *root = getenv("SMPCTL_SYSFS");
	char classdir[PATH_MAX];
	struct port *ports;
	struct dirent *d;
	size_t n = 0;
	DIR *dir;

	if (cli_parse_options(ctx, &argc, argv, ports_options, &a, PORTS_USAGE, 0) != EXIT_OK)
		return EXIT_USAGE;
	if (argc != 1)
		return cli_fail(ctx, EXIT_USAGE, PORTS_USAGE);
	snprintf(classdir, sizeof(classdir), "%s/class/tty", root && *root ? root : "/sys");
	dir = opendir(classdir);
	if (!dir)
		return cli_fail(ctx, EXIT_LOCAL, "cannot list serial ports: %s: %s", classdir,
				strerror(errno));
	ports = calloc(PORTS_MAX, sizeof(*ports));
	if (!ports) {
		closedir(dir);
		return cli_fail(ctx, EXIT_LOCAL, "out of memory");
	}
	while (n < PORTS_MAX && (d = readdir(dir)))
		if (read_port(classdir, d->d_name, a.all, &ports[n]))
			n++;
	closedir(dir);
	qsort(ports, n, sizeof(*ports), by_name);
	print_ports(ctx, ports, n);
	if (!n && !ctx->opts.json)
		fprintf(ctx->err, "no USB serial port found: is the board plugged in? "
				  "(--all lists the others)\n");
	free(ports);
	return EXIT_OK;
}
