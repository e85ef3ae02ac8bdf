/* Upload chunk sizing: the packet fills the budget exactly, never more. */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "host/cbor_tree.h"
#include "smp/header.h"
#include "smp/image_upload.h"

static size_t packet_size(const struct smp_upload_params *p, size_t off, size_t n)
{
	cbor_item_t *m = smp_upload_chunk(p, off, n);
	uint8_t *buf = NULL;
	size_t len = 0;

	tree_encode(m, &buf, &len);
	free(buf);
	cbor_decref(&m);
	return SMP_HEADER_SIZE + len;
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
	cbor_item_t *first = smp_upload_chunk(&p, 0, 50), *next = smp_upload_chunk(&p, 50, 50);
	uint64_t v = 0;

	CHECK_INT(tree_get_uint(first, "len", &v), SMP_GET_OK);
	CHECK_INT(v, 100);
	CHECK_INT(tree_get_uint(first, "image", &v), SMP_GET_OK);
	CHECK(tree_map_get(first, "sha") != NULL);
	CHECK(tree_map_get(first, "upgrade") != NULL);
	CHECK_INT(tree_get_uint(next, "off", &v), SMP_GET_OK);
	CHECK_INT(v, 50);
	CHECK(tree_map_get(next, "len") == NULL);
	CHECK(tree_map_get(next, "sha") == NULL);
	CHECK(tree_map_get(next, "image") == NULL);
	cbor_decref(&first);
	cbor_decref(&next);
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
	const cbor_item_t *a, *b;
	cbor_item_t *m, *s;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 3);
	m = smp_upload_chunk(&mem, 300, 200);
	s = smp_upload_chunk(&streamed, 300, 200);
	if (!CHECK(m && s))
		goto out;
	CHECK_INT(f.reads, 1);
	a = tree_map_get(m, "data");
	b = tree_map_get(s, "data");
	if (CHECK(a && b) && CHECK_INT(cbor_bytestring_length(b), 200))
		CHECK_MEM(cbor_bytestring_handle(b), cbor_bytestring_handle(a), 200);
out:
	cbor_decref(&m);
	if (s)
		cbor_decref(&s);
}

TEST(upload_chunk_source_read_failure)
{
	static uint8_t data[700];
	struct flaky_src f = { .data = data, .fail_at = 400 };
	struct smp_image_src src = { .read = flaky_read, .ctx = &f, .size = sizeof(data) };
	struct smp_upload_params p = { .src = &src, .len = sizeof(data), .image = -1 };
	cbor_item_t *ok = smp_upload_chunk(&p, 0, 400);

	CHECK(ok != NULL);
	CHECK(smp_upload_chunk(&p, 300, 200) == NULL);
	cbor_decref(&ok);
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
