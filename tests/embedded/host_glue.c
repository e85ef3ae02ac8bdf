/* HOST-ONLY GLUE for tests/embedded_example.c: this file is the part a
 * firmware engineer replaces (zephyr/PORTING.md and its samples,
 * zephyr/samples/). Here the two transport callbacks are a UDP
 * socket, the image source reads a file with pread(), the crypto is
 * OpenSSL and the clock is the host's; on a device they are GATT or a
 * UART, flash_area_read(), PSA Crypto and k_uptime_get().
 *   embedded-example HOST:PORT IMAGE [KEY.pem]
 * Exit status: 0 updated, 1 the update failed, 2 bad arguments. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/crypto_openssl.h"
#include "host/mcuboot.h"
#include "smp/transport.h"
#include "tests/embedded_example.h"

#define UDP_MTU 1024 /* Zephyr's CONFIG_MCUMGR_TRANSPORT_UDP_MTU default */

static int udp_send(void *link, const uint8_t *pkt, size_t len)
{
	int fd = *(int *)link;

	return send(fd, pkt, len, 0) == (ssize_t)len ? SMP_IO_OK : SMP_IO_ERROR;
}

static int udp_recv(void *link, uint8_t *buf, size_t cap, size_t *len, int timeout_ms)
{
	struct pollfd pfd = { .fd = *(int *)link, .events = POLLIN };
	ssize_t n;
	int rc;

	do
		rc = poll(&pfd, 1, timeout_ms < 0 ? 0 : timeout_ms);
	while (rc < 0 && errno == EINTR);
	if (rc == 0)
		return SMP_IO_TIMEOUT;
	if (rc < 0)
		return SMP_IO_ERROR;
	n = recv(pfd.fd, buf, cap, MSG_TRUNC);
	if (n < 0)
		return SMP_IO_ERROR;
	if ((size_t)n > cap)
		return SMP_IO_TOOBIG;
	*len = (size_t)n;
	return SMP_IO_OK;
}

static int file_read(void *ctx, uint32_t off, uint8_t *buf, size_t len)
{
	int fd = *(int *)ctx;

	while (len) {
		ssize_t n = pread(fd, buf, len, off);

		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		off += (uint32_t)n;
		len -= (size_t)n;
	}
	return 0;
}

static void log_line(void *arg, const char *line)
{
	printf("%s\n", line);
	fflush(stdout);
}

static int udp_open(const char *where)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	char host[64];
	const char *colon = strrchr(where, ':');
	char *end;
	long port;
	int fd;

	if (!colon || (size_t)(colon - where) >= sizeof(host))
		return -1;
	memcpy(host, where, (size_t)(colon - where));
	host[colon - where] = '\0';
	port = strtol(colon + 1, &end, 10);
	if (*end || port < 1 || port > 65535 || inet_pton(AF_INET, host, &sa.sin_addr) != 1)
		return -1;
	sa.sin_port = htons((uint16_t)port);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	struct crypto_openssl crypto_state;
	struct smp_crypto crypto;
	struct smp_image_src image;
	struct mcuboot_key *key = NULL;
	struct mcuboot_err err;
	struct example_platform p;
	struct stat st;
	int sock = -1, img_fd = -1, rc = 2;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: embedded-example HOST:PORT IMAGE [KEY.pem]\n");
		return 2;
	}
	if ((sock = udp_open(argv[1])) < 0) {
		fprintf(stderr, "embedded-example: %s: not a reachable IPv4 HOST:PORT\n", argv[1]);
		goto out;
	}
	img_fd = open(argv[2], O_RDONLY);
	if (img_fd < 0 || fstat(img_fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > (off_t)UINT32_MAX) {
		fprintf(stderr, "embedded-example: %s: %s\n", argv[2],
			img_fd < 0 ? strerror(errno) : "not a regular file of at most 4 GiB");
		goto out;
	}
	if (argc == 4 && mcuboot_key_load_file(argv[3], &key, &err) != 0) {
		fprintf(stderr, "embedded-example: %s: %s\n", argv[3], err.msg);
		goto out;
	}
	image = (struct smp_image_src){ file_read, &img_fd, (uint32_t)st.st_size };
	crypto_openssl_init(&crypto, &crypto_state, key);
	p = (struct example_platform){
		.send = udp_send,
		.recv = udp_recv,
		.link = &sock,
		.mtu = UDP_MTU,
		.crypto = &crypto,
		.image = &image,
		.log = log_line,
		.log_arg = NULL,
	};
	rc = example_update(&p) == 0 ? 0 : 1;
	crypto_openssl_fini(&crypto_state);
out:
	mcuboot_key_free(key);
	if (img_fd >= 0)
		close(img_fd);
	if (sock >= 0)
		close(sock);
	return rc;
}
