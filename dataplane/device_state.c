/* SPDX-License-Identifier: Apache-2.0 */
#include "device_state.h"

static const uint64_t NS_PER_S = 1000000000ull;

void cs_device_on_imsi(struct cs_device *d, struct cs_distinct_pool *pool, uint64_t day_ns, cs_digits imsi,
		       uint64_t ts_ns)
{
	uint32_t t = (uint32_t)(ts_ns / NS_PER_S);

	/* a new day keeps the last one's final estimate (only if it was yesterday) and frees its sketch slot */
	cs_tumbling_distinct_roll(&d->day_bucket, &d->imsis, 1, pool, day_ns, ts_ns);
	if (t > d->last_seen_s)
		d->last_seen_s = t;
	cs_tumbling_distinct_add(&d->imsis, pool, imsi);
}

void cs_device_read(const struct cs_device *d, const struct cs_distinct_pool *pool, uint64_t day_ns, uint64_t now_ns,
		    struct cs_device_count *out)
{
	struct cs_tumbling_count c = cs_tumbling_distinct_read(d->day_bucket, &d->imsis, pool, day_ns, now_ns);

	out->imsis = c.n;
	out->lower_bound = c.lower_bound;
}

void cs_device_release(struct cs_device *d, struct cs_distinct_pool *pool)
{
	cs_tumbling_distinct_release(&d->imsis, 1, pool);
}
