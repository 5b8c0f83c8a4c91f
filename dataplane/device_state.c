/* SPDX-License-Identifier: Apache-2.0 */
#include "device_state.h"

#include "window.h"

static const uint64_t NS_PER_S = 1000000000ull;

void cs_device_on_imsi(struct cs_device *d, struct cs_distinct_pool *pool, uint64_t day_ns, cs_digits imsi,
		       uint64_t ts_ns)
{
	uint32_t day = (uint32_t)(ts_ns / day_ns);
	uint32_t ahead = day - d->day_bucket;
	uint32_t t = (uint32_t)(ts_ns / NS_PER_S);

	/* a new day keeps the last one's final estimate (only if it was yesterday) and frees its sketch slot */
	if (ahead != 0 && ahead < UINT32_C(0x80000000)) {
		uint64_t n = ahead == 1 ? cs_distinct_estimate(&d->imsis, pool).n : 0;
		d->imsis_prev = n > UINT16_MAX ? UINT16_MAX : (uint16_t)n;
		cs_distinct_release(&d->imsis, pool);
		d->day_bucket = day;
	}
	if (t > d->last_seen_s)
		d->last_seen_s = t;
	cs_distinct_add(&d->imsis, pool, imsi);
}

void cs_device_read(const struct cs_device *d, const struct cs_distinct_pool *pool, uint64_t day_ns, uint64_t now_ns,
		    struct cs_device_count *out)
{
	struct cs_distinct_count c = cs_distinct_estimate(&d->imsis, pool);

	out->imsis = cs_window_tumbling_read(d->day_bucket, c.n, d->imsis_prev, day_ns, now_ns);
	out->lower_bound = c.quality == CS_DISTINCT_IS_LOWER_BOUND;
}

void cs_device_release(struct cs_device *d, struct cs_distinct_pool *pool)
{
	cs_distinct_release(&d->imsis, pool);
}
