/* A scripted device for the fuzz harnesses: the input is the device's
 * side, one record per packet it sends:
 *
 *   ctl  len_hi  len_lo  payload[len]
 *
 * ctl bit 0: payload is a whole packet, sent as it is (strays, duplicates,
 * bad headers); otherwise it is the CBOR payload of an answer to the last
 * request sent, under a matching header (bit 1: SMP v1; bit 2: the header
 * announces ctl >> 4 more bytes than there are). When the records run out
 * the link fails, so every run ends without waiting for a timeout. */
#ifndef TESTS_FUZZ_SCRIPT_LINK_H
#define TESTS_FUZZ_SCRIPT_LINK_H

#include "smp/header.h"
#include "smp/transport.h"

struct script {
	const uint8_t *data;
	size_t size, off;
	struct smp_header last; /* of the last request sent */
};

/* t moves packets to and from s, which must outlive it. */
void script_link_init(struct script *s, struct smp_link *t, const uint8_t *data, size_t size);

#endif
