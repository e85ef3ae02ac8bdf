#include "transport/serial_port.h"
#include "transport/fd_wait.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define TCP_CONNECT_TIMEOUT_MS 5000

static const struct {
	unsigned baud;
	speed_t code;
} baud_table[] = {
	{ 1200, B1200 },       { 2400, B2400 },	      { 4800, B4800 },	     { 9600, B9600 },
	{ 19200, B19200 },     { 38400, B38400 },     { 57600, B57600 },     { 115200, B115200 },
	{ 230400, B230400 },   { 460800, B460800 },   { 500000, B500000 },   { 576000, B576000 },
	{ 921600, B921600 },   { 1000000, B1000000 }, { 1152000, B1152000 }, { 1500000, B1500000 },
	{ 2000000, B2000000 }, { 2500000, B2500000 }, { 3000000, B3000000 }, { 3500000, B3500000 },
	{ 4000000, B4000000 },
};

static bool baud_code(unsigned baud, speed_t *code)
{
	size_t i;

	for (i = 0; i < sizeof(baud_table) / sizeof(baud_table[0]); i++) {
		if (baud_table[i].baud == baud) {
			*code = baud_table[i].code;
			return true;
		}
	}
	return false;
}

bool serial_baud_supported(unsigned baud)
{
	speed_t code;

	return baud_code(baud, &code);
}

int serial_split_tcp(const char *path, char *host, size_t hostlen, char *port, size_t portlen)
{
	const char *h, *colon, *end;
	size_t n;

	if (strncmp(path, "tcp:", 4) != 0)
		return -1;
	h = path + 4;
	colon = strrchr(h, ':');
	if (!colon || colon == h || !colon[1] ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1))
		return -1;
	end = colon;
	if (h[0] == '[') {
		if (colon[-1] != ']')
			return -1;
		h++;
		end--;
	}
	n = (size_t)(end - h);
	if (n == 0 || n >= hostlen || strlen(colon + 1) >= portlen)
		return -1;
	memcpy(host, h, n);
	host[n] = 0;
	snprintf(port, portlen, "%s", colon + 1);
	n = (size_t)strtoul(port, NULL, 10);
	return n >= 1 && n <= 65535 ? 0 : -1;
}

/* Waits for a non-blocking connect() to finish. */
static int connect_wait(int fd, const struct sockaddr *sa, socklen_t salen)
{
	if (connect(fd, sa, salen) == 0)
		return 0;
	if (errno != EINPROGRESS)
		return errno;
	return fd_connect_finish(fd, TCP_CONNECT_TIMEOUT_MS);
}

static int open_tcp(struct serial_port *p, const char *path, char *err, size_t errlen)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
	struct addrinfo *res = NULL, *ai;
	char host[256], port[16];
	int gai, last = 0, one = 1;

	if (serial_split_tcp(path, host, sizeof(host), port, sizeof(port)) != 0) {
		snprintf(err, errlen, "bad serial server address '%s': expected tcp:HOST:PORT",
			 path);
		return -1;
	}
	gai = getaddrinfo(host, port, &hints, &res);
	if (gai != 0) {
		snprintf(err, errlen, "cannot resolve '%s': %s", host, gai_strerror(gai));
		return -1;
	}
	for (ai = res; ai && p->fd < 0; ai = ai->ai_next) {
		p->fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
			       ai->ai_protocol);
		if (p->fd < 0) {
			last = errno;
			continue;
		}
		last = connect_wait(p->fd, ai->ai_addr, ai->ai_addrlen);
		if (last != 0) {
			close(p->fd);
			p->fd = -1;
		}
	}
	freeaddrinfo(res);
	if (p->fd < 0) {
		snprintf(
			err, errlen,
			"cannot connect to serial server %s:%s: %s (is ser2net running there in raw mode?)",
			host, port, strerror(last));
		return -1;
	}
	/* Frames are small and latency-bound: send them at once. */
	setsockopt(p->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return 0;
}

/* The one-line advice for a tty that would not open. */
static void open_error(const char *path, int e, char *err, size_t errlen)
{
	struct stat st;
	struct group *gr;

	switch (e) {
	case ENOENT:
	case ENXIO:
	case ENODEV:
		snprintf(
			err, errlen,
			"no serial port %s: is the board plugged in? (see ls /dev/ttyACM* /dev/ttyUSB*)",
			path);
		break;
	case EACCES:
	case EPERM:
		gr = stat(path, &st) == 0 ? getgrgid(st.st_gid) : NULL;
		snprintf(err, errlen,
			 "permission denied on %s: add yourself to the '%s' group "
			 "(sudo usermod -aG %s $USER, then log in again)",
			 path, gr ? gr->gr_name : "dialout", gr ? gr->gr_name : "dialout");
		break;
	case EBUSY:
		snprintf(err, errlen,
			 "%s is in use by another program: close it (a terminal such as minicom, "
			 "screen or picocom?) and try again",
			 path);
		break;
	default:
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(e));
	}
}

static int configure_tty(struct serial_port *p, unsigned baud, bool rtscts, char *err,
			 size_t errlen)
{
	struct termios tio;
	speed_t code;

	if (!baud_code(baud, &code)) {
		snprintf(err, errlen,
			 "unsupported baud rate %u (use a standard rate such as "
			 "115200, 230400, 460800, 921600 or 1000000)",
			 baud);
		return -1;
	}
	if (tcgetattr(p->fd, &p->saved) != 0) {
		snprintf(err, errlen, "cannot read the settings of %s: %s", p->name,
			 strerror(errno));
		return -1;
	}
	p->saved_valid = true;
	tio = p->saved;
	cfmakeraw(&tio);
	tio.c_cflag &= ~(CSIZE | PARENB | CSTOPB | CRTSCTS);
	tio.c_cflag |= CS8 | CLOCAL | CREAD | (rtscts ? CRTSCTS : 0);
	tio.c_iflag &= ~(IXON | IXOFF | IXANY);
	tio.c_cc[VMIN] = 0;
	tio.c_cc[VTIME] = 0;
	if (cfsetispeed(&tio, code) != 0 || cfsetospeed(&tio, code) != 0 ||
	    tcsetattr(p->fd, TCSANOW, &tio) != 0) {
		snprintf(err, errlen, "cannot configure %s at %u baud: %s", p->name, baud,
			 strerror(errno));
		return -1;
	}
	/* Half a line from before we came is of no use. */
	tcflush(p->fd, TCIOFLUSH);
	return 0;
}

static int open_tty(struct serial_port *p, const char *path, unsigned baud, bool rtscts, char *err,
		    size_t errlen)
{
	p->fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (p->fd < 0) {
		open_error(path, errno, err, errlen);
		return -1;
	}
	if (!isatty(p->fd)) {
		snprintf(err, errlen, "%s is not a serial port", path);
		return -1;
	}
	p->is_tty = true;
	/* Terminal programs take the same advisory lock: two programs on one
	 * UART garble each other's frames. */
	if (flock(p->fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
		open_error(path, EBUSY, err, errlen);
		return -1;
	}
	if (ioctl(p->fd, TIOCEXCL) != 0) {
		snprintf(err, errlen, "cannot get exclusive use of %s: %s", path, strerror(errno));
		return -1;
	}
	return configure_tty(p, baud, rtscts, err, errlen);
}

int serial_port_open(struct serial_port *p, const char *path, unsigned baud, bool rtscts, char *err,
		     size_t errlen)
{
	int rc;

	memset(p, 0, sizeof(*p));
	p->fd = -1;
	if (!path || !*path) {
		snprintf(err, errlen, "no serial port given");
		return -1;
	}
	snprintf(p->name, sizeof(p->name), "%s", path);
	if (baud == 0)
		baud = SERIAL_DEFAULT_BAUD;
	rc = strncmp(path, "tcp:", 4) == 0 ? open_tcp(p, path, err, errlen)
					   : open_tty(p, path, baud, rtscts, err, errlen);
	if (rc != 0)
		serial_port_close(p);
	return rc;
}

void serial_port_close(struct serial_port *p)
{
	if (p->fd < 0)
		return;
	if (p->is_tty) {
		if (p->saved_valid)
			tcsetattr(p->fd, TCSANOW, &p->saved);
		ioctl(p->fd, TIOCNXCL);
	}
	close(p->fd);
	p->fd = -1;
	p->saved_valid = false;
}

void serial_port_restore(const struct serial_port *p)
{
	if (p->fd >= 0 && p->is_tty && p->saved_valid)
		tcsetattr(p->fd, TCSANOW, &p->saved);
}

bool serial_port_hung_up(const struct serial_port *p)
{
	struct pollfd pfd = { .fd = p->fd, .events = POLLIN };

	if (p->fd < 0)
		return true;
	if (poll(&pfd, 1, 0) <= 0)
		return false;
	return (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
}
