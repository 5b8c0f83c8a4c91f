/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for saved distinct counters (checkpoints, partial aggregates
 * published by other probes: bytes from outside). The input is loaded;
 * if accepted it is estimated, saved, loaded and saved again (the second
 * save must equal the first: abort otherwise), loaded where no slot is
 * free (it must report the same count, as a floor past 3 items), merged
 * into a counter whose
 * pool has an exact slot but no sketch slot (the union must be counted
 * neither above its size nor below src's), merged into a pool with no
 * free slot, and merged both ways with a local counter of the input's
 * first bytes (0..48 items with repeats: inline, exact slot or sketch).
 * Every counter is released, so a slot leaked or freed twice shows as a
 * wrong in_use count.
 *
 * The pools are small so that they run out: `pool` has two exact slots,
 * and when the input's last byte is odd a counter holds one of them
 * throughout, so that the reloaded copy of a set of 4..32 and the local
 * counter fall back to sketch slots; `capped` has one exact slot
 * and no sketch slot (a union past 32 items stays a lower bound of at
 * least 33); `full` has nothing (every counter past 3 items saturates).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "distinct.h"

static volatile uint64_t sink;
static uint8_t first[CS_DISTINCT_SAVED_MAX], second[CS_DISTINCT_SAVED_MAX];

static void add_items(struct cs_distinct *c, struct cs_distinct_pool *pool, uint64_t from, uint64_t to)
{
	for (uint64_t i = from; i < to; i++)
		cs_distinct_add(c, pool, i);
}

static int empty(const struct cs_distinct_pool *pool)
{
	const struct cs_distinct_pool_stats *st = cs_distinct_pool_stats(pool);

	return st->in_use == 0 && st->exact_in_use == 0;
}

/* src's count merged into a counter of 5 other items in a pool with no sketch slot. */
static void merge_capped(struct cs_distinct_pool *capped, const struct cs_distinct *src,
			 const struct cs_distinct_pool *src_pool)
{
	struct cs_distinct dst;
	struct cs_distinct_count s = cs_distinct_estimate(src, src_pool), r;

	cs_distinct_init(&dst);
	add_items(&dst, capped, 1000, 1005);
	cs_distinct_merge(&dst, capped, src, src_pool);
	r = cs_distinct_estimate(&dst, capped);
	if (r.quality == CS_DISTINCT_IS_ESTIMATE)
		abort(); /* no sketch slot to estimate in */
	/* an exact src: the union has at least its items and at most 5 more */
	if (s.quality == CS_DISTINCT_IS_EXACT && (r.n < s.n || r.n > s.n + 5))
		abort();
	if (r.n > CS_DISTINCT_EXACT && r.quality != CS_DISTINCT_IS_LOWER_BOUND)
		abort();
	sink += r.n;
	cs_distinct_release(&dst, capped);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cs_distinct_pool *pool, *capped, *full;
	struct cs_distinct c, again, local, none, hog, floor;
	struct cs_distinct_count r, f;
	size_t len;

	if (pool == NULL) {
		pool = cs_distinct_pool_create(2, 3);
		capped = cs_distinct_pool_create(1, 0);
		full = cs_distinct_pool_create(0, 0);
		if (pool == NULL || capped == NULL || full == NULL)
			abort();
	}
	cs_distinct_init(&hog);
	if (size > 0 && (data[size - 1] & 1))
		add_items(&hog, pool, 5000, 5004); /* takes the exact slot */
	if (cs_distinct_load(&c, pool, data, size) != 0) {
		cs_distinct_release(&hog, pool);
		if (!empty(pool))
			abort();
		return 0;
	}
	r = cs_distinct_estimate(&c, pool);
	sink = r.n;

	len = cs_distinct_save(&c, pool, first, sizeof(first));
	if (len == 0 || cs_distinct_load(&again, pool, first, len) != 0 ||
	    cs_distinct_save(&again, pool, second, sizeof(second)) != len || memcmp(first, second, len) != 0)
		abort();
	cs_distinct_release(&again, pool);

	if (cs_distinct_load(&floor, full, first, len) != 0)
		abort();
	f = cs_distinct_estimate(&floor, full);
	if (f.n != (r.n > CS_DISTINCT_MAX_BOUND ? CS_DISTINCT_MAX_BOUND : r.n) ||
	    (f.quality == CS_DISTINCT_IS_EXACT) != (r.quality == CS_DISTINCT_IS_EXACT && r.n <= CS_DISTINCT_INLINE))
		abort();
	cs_distinct_release(&floor, full);

	merge_capped(capped, &c, pool);
	cs_distinct_init(&none);
	cs_distinct_add(&none, full, 1);
	cs_distinct_merge(&none, full, &c, pool);

	cs_distinct_init(&local);
	for (size_t i = 0; i < size && i < 48; i++)
		cs_distinct_add(&local, pool, data[i]);
	cs_distinct_merge(&local, pool, &c, pool);
	cs_distinct_merge(&c, pool, &local, pool);
	sink += cs_distinct_estimate(&c, pool).n + cs_distinct_estimate(&local, pool).n +
		cs_distinct_estimate(&none, full).n;

	cs_distinct_release(&c, pool);
	cs_distinct_release(&local, pool);
	cs_distinct_release(&none, full);
	cs_distinct_release(&hog, pool);
	if (!empty(pool) || !empty(capped) || !empty(full))
		abort();
	return 0;
}
