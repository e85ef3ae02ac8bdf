/* smp-scripted: a device that answers what a test tells it to, byte for
 * byte, for the answers no well-behaved simulator gives (malformed CBOR,
 * floats where booleans belong, escape sequences in device text).
 *
 *   smp-scripted GROUP:ID:HEX...
 *
 * Listens on a free UDP port of 127.0.0.1, prints "ready udp ADDR:PORT",
 * and answers each request for GROUP/ID with the SMP header of a response
 * (op + 1, same version, group, id and sequence) and the payload HEX, as
 * given. Other requests get {"rc": 8}, SMP_MGMT_ERR_ENOTSUP, as Zephyr answers
 * a group it does not have. Runs until killed. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "smp/header.h"
#include "smp/hex.h"

#define MAX_RULES 16
#define MAX_PAYLOAD 4096

struct rule {
	unsigned long group, id;
	uint8_t payload[MAX_PAYLOAD];
	size_t len;
};

static int parse_rule(const char *arg, struct rule *r)
{
	char *end;
	long n;

	r->group = strtoul(arg, &end, 0);
	if (*end != ':')
		return -1;
	r->id = strtoul(end + 1, &end, 0);
	if (*end != ':' || r->group > 0xffff || r->id > 0xff)
		return -1;
	n = smp_hex_decode(end + 1, r->payload, sizeof(r->payload));
	if (n < 0)
		return -1;
	r->len = (size_t)n;
	return 0;
}

static size_t answer(const struct rule *rules, int nrules, const uint8_t *req, size_t len,
		     uint8_t *out, size_t cap)
{
	static const uint8_t enotsup[] = { 0xa1, 0x62, 'r', 'c', 0x08 };
	struct smp_header h;
	const uint8_t *payload = enotsup;
	size_t plen = sizeof(enotsup);
	int i;

	if (smp_header_decode(req, len, &h) != 0)
		return 0;
	for (i = 0; i < nrules; i++)
		if (rules[i].group == h.group && rules[i].id == h.id) {
			payload = rules[i].payload;
			plen = rules[i].len;
			break;
		}
	if (SMP_HEADER_SIZE + plen > cap)
		return 0;
	h.op = (uint8_t)(h.op + 1);
	h.len = (uint16_t)plen;
	smp_header_encode(&h, out);
	memcpy(out + SMP_HEADER_SIZE, payload, plen);
	return SMP_HEADER_SIZE + plen;
}

int main(int argc, char **argv)
{
	static struct rule rules[MAX_RULES];
	static uint8_t in[65536], out[SMP_HEADER_SIZE + MAX_PAYLOAD];
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t alen = sizeof(addr);
	int fd, i, nrules = argc - 1;

	if (nrules > MAX_RULES) {
		fprintf(stderr, "smp-scripted: at most %d answers\n", MAX_RULES);
		return 2;
	}
	for (i = 0; i < nrules; i++)
		if (parse_rule(argv[i + 1], &rules[i]) != 0) {
			fprintf(stderr, "smp-scripted: bad answer '%s' (GROUP:ID:HEX)\n",
				argv[i + 1]);
			return 2;
		}
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&addr, &alen) != 0) {
		perror("smp-scripted");
		return 1;
	}
	printf("ready udp 127.0.0.1:%u\n", ntohs(addr.sin_port));
	fflush(stdout);
	for (;;) {
		struct sockaddr_storage peer;
		socklen_t plen = sizeof(peer);
		ssize_t n = recvfrom(fd, in, sizeof(in), 0, (struct sockaddr *)&peer, &plen);
		size_t m;

		if (n < 0)
			continue;
		m = answer(rules, nrules, in, (size_t)n, out, sizeof(out));
		if (m)
			sendto(fd, out, m, 0, (struct sockaddr *)&peer, plen);
	}
}
