/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for saved distinct counters (checkpoints, partial aggregates
 * published by other probes: bytes from outside). The input is loaded;
 * if accepted it is estimated, saved, loaded and saved again (the second
 * save must equal the first: abort otherwise), merged both ways with a
 * local sketch, and merged into a pool with no free slot. Every counter is
 * released, so a slot leaked or freed twice shows as a wrong in_use count.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "distinct.h"

static volatile uint64_t sink;
static uint8_t first[CS_DISTINCT_SAVED_MAX], second[CS_DISTINCT_SAVED_MAX];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cs_distinct_pool *pool, *full;
	struct cs_distinct c, again, local, none;
	size_t len;

	if (pool == NULL) {
		pool = cs_distinct_pool_create(3);
		full = cs_distinct_pool_create(0);
		if (pool == NULL || full == NULL)
			abort();
	}
	if (cs_distinct_load(&c, pool, data, size) != 0) {
		if (cs_distinct_pool_stats(pool)->in_use != 0)
			abort();
		return 0;
	}
	sink = cs_distinct_estimate(&c, pool).n;

	len = cs_distinct_save(&c, pool, first, sizeof(first));
	if (len == 0 || cs_distinct_load(&again, pool, first, len) != 0 ||
	    cs_distinct_save(&again, pool, second, sizeof(second)) != len || memcmp(first, second, len) != 0)
		abort();
	cs_distinct_release(&again, pool);

	cs_distinct_init(&local);
	for (uint64_t i = 0; i < 40; i++)
		cs_distinct_add(&local, pool, i);
	cs_distinct_merge(&local, pool, &c, pool);
	cs_distinct_merge(&c, pool, &local, pool);
	cs_distinct_init(&none);
	cs_distinct_add(&none, full, 1);
	cs_distinct_merge(&none, full, &c, pool);
	sink += cs_distinct_estimate(&c, pool).n + cs_distinct_estimate(&local, pool).n +
		cs_distinct_estimate(&none, full).n;

	cs_distinct_release(&c, pool);
	cs_distinct_release(&local, pool);
	cs_distinct_release(&none, full);
	if (cs_distinct_pool_stats(pool)->in_use != 0 || cs_distinct_pool_stats(full)->in_use != 0)
		abort();
	return 0;
}
