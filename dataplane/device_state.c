/* SPDX-License-Identifier: Apache-2.0 */
#include "device_state.h"

static const uint64_t NS_PER_S = 1000000000ull;

/* The ring of recent SIMs keeps each once: a phone switching between two SIMs does not push out the rest. */
static void remember(struct cs_device *d, cs_digits imsi)
{
	for (unsigned int i = 0; i < d->recent_len; i++)
		if (d->recent[i] == imsi)
			return;
	d->recent[d->recent_next] = imsi;
	d->recent_next = (uint8_t)((d->recent_next + 1u) % CS_DEVICE_RECENT);
	if (d->recent_len < CS_DEVICE_RECENT)
		d->recent_len++;
}

void cs_device_on_imsi(struct cs_device *d, struct cs_distinct_pool *pool, uint64_t day_ns, cs_digits imsi,
		       uint64_t ts_ns)
{
	uint32_t t = (uint32_t)(ts_ns / NS_PER_S);

	/* a new day keeps the last one's final estimate (only if it was yesterday) and frees its sketch slot */
	cs_tumbling_distinct_roll(&d->day_bucket, &d->imsis, 1, pool, day_ns, ts_ns);
	if (t > d->last_seen_s)
		d->last_seen_s = t;
	cs_tumbling_distinct_add(&d->imsis, pool, imsi);
	remember(d, imsi);
}

unsigned int cs_device_recent(const struct cs_device *d, cs_digits out[CS_DEVICE_RECENT])
{
	for (unsigned int i = 0; i < d->recent_len; i++)
		out[i] = d->recent[(d->recent_next + CS_DEVICE_RECENT - 1u - i) % CS_DEVICE_RECENT];
	return d->recent_len;
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
