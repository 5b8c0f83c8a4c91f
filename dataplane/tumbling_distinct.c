/* SPDX-License-Identifier: Apache-2.0 */
/* Tumbling distinct counts with the previous bucket's estimate. Design: tumbling_distinct.h. */
#include "tumbling_distinct.h"

#include "window.h"

static uint16_t saturate_u16(uint64_t n)
{
	return n > UINT16_MAX ? UINT16_MAX : (uint16_t)n;
}

uint16_t cs_tumbling_distinct_end(struct cs_distinct *cur, struct cs_distinct_pool *pool, uint32_t ahead)
{
	uint16_t prev = ahead == 1 ? saturate_u16(cs_distinct_estimate(cur, pool).n) : 0;

	cs_distinct_release(cur, pool);
	return prev;
}

void cs_tumbling_distinct_roll(uint32_t *bucket, struct cs_tumbling_distinct *t, unsigned int n,
			       struct cs_distinct_pool *pool, uint64_t length_ns, uint64_t ts_ns)
{
	uint32_t b = (uint32_t)(ts_ns / length_ns);
	uint32_t ahead = b - *bucket;

	/* this bucket, or an older one (modulo 2^32, as window.h compares): count where it is */
	if (ahead == 0 || ahead >= UINT32_C(0x80000000))
		return;
	for (unsigned int i = 0; i < n; i++)
		t[i].prev = cs_tumbling_distinct_end(&t[i].cur, pool, ahead);
	*bucket = b;
}

void cs_tumbling_distinct_add(struct cs_tumbling_distinct *t, struct cs_distinct_pool *pool, uint64_t item)
{
	cs_distinct_add(&t->cur, pool, item);
}

struct cs_tumbling_count cs_tumbling_distinct_read(uint32_t bucket, const struct cs_tumbling_distinct *t,
						   const struct cs_distinct_pool *pool, uint64_t length_ns,
						   uint64_t now_ns)
{
	struct cs_distinct_count c = cs_distinct_estimate(&t->cur, pool);

	return (struct cs_tumbling_count){
		.n = cs_window_tumbling_read(bucket, c.n, t->prev, length_ns, now_ns),
		.lower_bound = c.quality == CS_DISTINCT_IS_LOWER_BOUND,
	};
}

void cs_tumbling_distinct_release(struct cs_tumbling_distinct *t, unsigned int n, struct cs_distinct_pool *pool)
{
	for (unsigned int i = 0; i < n; i++) {
		cs_distinct_release(&t[i].cur, pool);
		t[i].prev = 0;
	}
}
