/* Upload chunk sizing: the packet fills the budget exactly, never more. */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "smp/header.h"
#include "smp/image_upload.h"

/* The chunk map written into buf[0..cap), viewed in *m: 0, or -1 when it
 * did not fit or the read failed. */
static int chunk(const struct smp_upload_params *p, size_t off, size_t n, uint8_t *buf, size_t cap,
		 struct smp_cbor *m)
{
	struct smp_cbor_writer w;
	const char *why;

	smp_cbor_writer_init(&w, buf, cap);
	if (smp_upload_chunk(&w, p, off, n) != 0)
		return -1;
	return smp_cbor_decode_map(buf, w.len, m, &why);
}

static size_t packet_size(const struct smp_upload_params *p, size_t off, size_t n)
{
	static uint8_t buf[SMP_MAX_PACKET];
	struct smp_cbor m;

	if (chunk(p, off, n, buf, sizeof(buf), &m) != 0)
		return SIZE_MAX;
	return SMP_HEADER_SIZE + m.len;
}

TEST(upload_chunk_fills_packet_exactly)
{
	static uint8_t data[300000];
	static const uint8_t sha[32];
	static const size_t budgets[] = { 64,  100, 128,  252,	255,  256,  257,
					  300, 498, 1024, 1500, 2048, 4096, 65543 };
	static const size_t offsets[] = { 0, 1, 23, 24, 255, 256, 65535, 65536, 200000 };
	struct smp_upload_params p = { .data = data,
				       .len = sizeof(data),
				       .sha = sha,
				       .sha_len = 32,
				       .image = 1,
				       .upgrade = true };
	size_t b, o, variant;

	for (variant = 0; variant < 3; variant++) {
		if (variant == 1) {
			p.image = -1;
			p.upgrade = false;
		}
		if (variant == 2)
			p.sha = NULL;
		for (b = 0; b < sizeof(budgets) / sizeof(budgets[0]); b++)
			for (o = 0; o < sizeof(offsets) / sizeof(offsets[0]); o++) {
				size_t n = smp_upload_chunk_len(&p, offsets[o], budgets[b]);

				if (n == 0)
					continue;
				if (!CHECK(packet_size(&p, offsets[o], n) <= budgets[b]))
					return;
				/* One byte more would not fit (unless the image ends). */
				if (offsets[o] + n < p.len &&
				    !CHECK(packet_size(&p, offsets[o], n + 1) > budgets[b]))
					return;
			}
	}
}

TEST(upload_chunk_first_fields)
{
	static uint8_t data[100];
	static const uint8_t sha[32] = { 1 };
	struct smp_upload_params p = { .data = data,
				       .len = sizeof(data),
				       .sha = sha,
				       .sha_len = 32,
				       .image = 1,
				       .upgrade = true };
	uint8_t b1[256], b2[256];
	struct smp_cbor first, next, v_item;
	uint64_t v = 0;

	if (!CHECK_INT(chunk(&p, 0, 50, b1, sizeof(b1), &first), 0) ||
	    !CHECK_INT(chunk(&p, 50, 50, b2, sizeof(b2), &next), 0))
		return;
	CHECK_INT(smp_get_uint(&first, "len", &v), SMP_GET_OK);
	CHECK_INT(v, 100);
	CHECK_INT(smp_get_uint(&first, "image", &v), SMP_GET_OK);
	CHECK_INT(smp_map_find(&first, "sha", &v_item), SMP_GET_OK);
	CHECK_INT(smp_map_find(&first, "upgrade", &v_item), SMP_GET_OK);
	CHECK_INT(smp_get_uint(&next, "off", &v), SMP_GET_OK);
	CHECK_INT(v, 50);
	CHECK_INT(smp_map_find(&next, "len", &v_item), SMP_GET_ABSENT);
	CHECK_INT(smp_map_find(&next, "sha", &v_item), SMP_GET_ABSENT);
	CHECK_INT(smp_map_find(&next, "image", &v_item), SMP_GET_ABSENT);
}

TEST(upload_chunk_respects_cap_and_end)
{
	static uint8_t data[1000];
	struct smp_upload_params p = {
		.data = data, .len = sizeof(data), .image = -1, .chunk_max = 128
	};

	CHECK_INT(smp_upload_chunk_len(&p, 0, 2048), 128);
	p.chunk_max = 0;
	CHECK_INT(smp_upload_chunk_len(&p, 900, 2048), 100);
	CHECK_INT(smp_upload_chunk_len(&p, 0, 20), 0);
}

/* A source that fails reads at or past fail_at, as a flash read error. */
struct flaky_src {
	const uint8_t *data;
	uint32_t fail_at;
	unsigned reads;
};

static int flaky_read(void *ctx, uint32_t off, uint8_t *buf, size_t len)
{
	struct flaky_src *f = ctx;

	f->reads++;
	if (off + len > f->fail_at)
		return -1;
	memcpy(buf, f->data + off, len);
	return 0;
}

TEST(upload_chunk_from_source_matches_buffer)
{
	static uint8_t data[700];
	struct flaky_src f = { .data = data, .fail_at = sizeof(data) };
	struct smp_image_src src = { .read = flaky_read, .ctx = &f, .size = sizeof(data) };
	struct smp_upload_params mem = { .data = data, .len = sizeof(data), .image = -1 };
	struct smp_upload_params streamed = { .src = &src, .len = sizeof(data), .image = -1 };
	static uint8_t mb[512], sb[512], a[256], b[256];
	struct smp_cbor m, s;
	size_t alen = 0, blen = 0;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 3);
	if (!CHECK_INT(chunk(&mem, 300, 200, mb, sizeof(mb), &m), 0) ||
	    !CHECK_INT(chunk(&streamed, 300, 200, sb, sizeof(sb), &s), 0))
		return;
	CHECK_INT(f.reads, 1);
	CHECK_INT(smp_get_bytes(&m, "data", a, sizeof(a), &alen), SMP_GET_OK);
	CHECK_INT(smp_get_bytes(&s, "data", b, sizeof(b), &blen), SMP_GET_OK);
	if (CHECK_INT(blen, 200) && CHECK_INT(alen, 200))
		CHECK_MEM(b, a, 200);
}

TEST(upload_chunk_source_read_failure)
{
	static uint8_t data[700];
	struct flaky_src f = { .data = data, .fail_at = 400 };
	struct smp_image_src src = { .read = flaky_read, .ctx = &f, .size = sizeof(data) };
	struct smp_upload_params p = { .src = &src, .len = sizeof(data), .image = -1 };
	static uint8_t buf[1024];
	struct smp_cbor m;

	CHECK_INT(chunk(&p, 0, 400, buf, sizeof(buf), &m), 0);
	CHECK_INT(chunk(&p, 300, 200, buf, sizeof(buf), &m), -1);
}

TEST(upload_without_data_or_source_is_refused)
{
	struct smp_image_src small = { .read = flaky_read, .size = 10 };
	struct smp_upload_params p = { .len = 64, .image = -1 };
	struct smp_upload_result r;

	CHECK_INT(smp_upload(NULL, &p, &r), SMP_E_TOOBIG);
	CHECK(strstr(r.detail, "no image data") != NULL);
	p.src = &small; /* fewer bytes than len */
	CHECK_INT(smp_upload(NULL, &p, &r), SMP_E_TOOBIG);
}
