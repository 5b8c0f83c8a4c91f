/* SPDX-License-Identifier: Apache-2.0 */
#include "bench_frames.h"

#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "encode.h"

/* The sink: an Ethernet frame around each packet. Returns 0, or -1 if it does not fit. */
static int add_packet(void *ctx, const uint8_t *packet, size_t len, enum cs_mix_gpdu gpdu)
{
	static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x01 }, mac_b[6] = { 0x02, 0, 0, 0, 0, 0x02 };
	struct cs_bench_frames *s = ctx;

	if (s->n == s->max)
		return -1;
	size_t n = cs_encode_eth_frame(s->mem + s->used, s->cap - s->used, mac_a, mac_b, packet, len);
	if (n == 0)
		return -1;
	s->f[s->n++] = (struct cs_bench_frame){ s->mem + s->used, (uint32_t)n, (uint8_t)gpdu };
	s->used += RTE_ALIGN_CEIL(n, RTE_CACHE_LINE_SIZE);
	return 0;
}

int cs_bench_frames_init(struct cs_bench_frames *s, uint32_t max_frames, size_t max_frame_len)
{
	memset(s, 0, sizeof(*s));
	s->cap = (size_t)max_frames * RTE_ALIGN_CEIL(max_frame_len, RTE_CACHE_LINE_SIZE);
	s->mem = aligned_alloc(RTE_CACHE_LINE_SIZE, s->cap);
	s->f = calloc(max_frames, sizeof(*s->f));
	s->max = max_frames;
	s->sink = (struct cs_mix_sink){ .add = add_packet, .ctx = s };
	return s->mem != NULL && s->f != NULL ? 0 : -1;
}

void cs_bench_frames_free(struct cs_bench_frames *s)
{
	free(s->mem);
	free(s->f);
}

void cs_bench_frames_clear(struct cs_bench_frames *s)
{
	s->used = 0;
	s->n = 0;
}

/* Where a data G-PDU's frame (Ethernet, a 20-byte IPv4 header, UDP: mix.h) keeps the fields re-addressing rewrites. */
enum { OUTER_DST_OFFSET = 14 + 16, GTPU_TEID_OFFSET = 14 + 20 + 8 + 4 };

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

void cs_bench_readdress_gpdu(const struct cs_bench_frame *f, uint32_t i)
{
	enum cs_mix_gpdu way = (enum cs_mix_gpdu)f->gpdu;

	put_be32(f->p + GTPU_TEID_OFFSET, cs_mix_gpdu_teid(i, way));
	put_be32(f->p + OUTER_DST_OFFSET, cs_mix_gpdu_dst(i, way));
}
