/* SPDX-License-Identifier: Apache-2.0 */
#include "window.h"

#include <assert.h>

_Static_assert(CS_WINDOW_MAX_NS <= (UINT64_MAX - CS_WINDOW_MAX_NS / 2) / CS_WINDOW_SATURATED,
	       "prev * (W - e) + W / 2 fits 64 bits");

bool cs_window_length_valid(uint64_t length_ns)
{
	return length_ns >= CS_WINDOW_MIN_NS && length_ns <= CS_WINDOW_MAX_NS;
}

static uint32_t bucket_of(uint64_t length_ns, uint64_t t_ns)
{
	assert(cs_window_length_valid(length_ns));
	return (uint32_t)(t_ns / length_ns);
}

/*
 * How many buckets b lies after the group's bucket: 0 the same, 1 the
 * next, negative before it. Indexes are compared modulo 2^32, so the
 * answer is right for 2^31 buckets either way.
 */
static int64_t buckets_after(uint32_t bucket, uint32_t b)
{
	uint32_t ahead = b - bucket;

	return ahead < UINT32_C(0x80000000) ? (int64_t)ahead : -(int64_t)(uint32_t)(bucket - b);
}

static uint16_t saturating_add(uint16_t count, uint32_t amount)
{
	return amount >= (uint32_t)(CS_WINDOW_SATURATED - count) ? CS_WINDOW_SATURATED : (uint16_t)(count + amount);
}

void cs_window_init(struct cs_window_counter *c, uint64_t length_ns, uint64_t now_ns)
{
	*c = (struct cs_window_counter){ .bucket = bucket_of(length_ns, now_ns) };
}

enum cs_window_add_result cs_window_group_add(uint32_t *bucket, struct cs_window_pair *pairs, unsigned int n,
					      unsigned int which, uint64_t length_ns, uint64_t now_ns, uint32_t amount)
{
	uint32_t b = bucket_of(length_ns, now_ns);
	int64_t after = buckets_after(*bucket, b);

	if (after == 1) {
		for (unsigned int i = 0; i < n; i++)
			pairs[i] = (struct cs_window_pair){ .prev = pairs[i].cur };
		*bucket = b;
	} else if (after > 1) {
		for (unsigned int i = 0; i < n; i++)
			pairs[i] = (struct cs_window_pair){ 0 };
		*bucket = b;
	} else if (after == -1) {
		/* a late event of the previous bucket: prev is exactly that bucket */
		pairs[which].prev = saturating_add(pairs[which].prev, amount);
		return CS_WINDOW_COUNTED;
	} else if (after < -1) {
		return CS_WINDOW_TOO_OLD;
	}
	pairs[which].cur = saturating_add(pairs[which].cur, amount);
	return CS_WINDOW_COUNTED;
}

enum cs_window_add_result cs_window_add(struct cs_window_counter *c, uint64_t length_ns, uint64_t now_ns,
					uint32_t amount)
{
	return cs_window_group_add(&c->bucket, &c->pair, 1, 0, length_ns, now_ns, amount);
}

/* prev * (W - e) / W, rounded to nearest; the product fits 64 bits for every valid W. */
static uint32_t prev_share(uint16_t prev, uint64_t length_ns, uint64_t elapsed_ns)
{
	return (uint32_t)(((uint64_t)prev * (length_ns - elapsed_ns) + length_ns / 2) / length_ns);
}

uint32_t cs_window_group_read(uint32_t bucket, const struct cs_window_pair *pair, uint64_t length_ns,
			      uint64_t now_ns)
{
	uint32_t b = bucket_of(length_ns, now_ns);
	int64_t after = buckets_after(bucket, b);
	uint64_t elapsed_ns = now_ns % length_ns;

	if (after == 0)
		return pair->cur + prev_share(pair->prev, length_ns, elapsed_ns);
	if (after == 1)
		return prev_share(pair->cur, length_ns, elapsed_ns);
	if (after > 1)
		return 0;
	return (uint32_t)pair->cur + pair->prev;
}

static uint64_t fraction(uint64_t n, uint64_t part_ns, uint64_t length_ns)
{
	return (uint64_t)((double)n * (double)part_ns / (double)length_ns + 0.5);
}

uint64_t cs_window_tumbling_read(uint32_t bucket, uint64_t cur, uint64_t prev, uint64_t length_ns, uint64_t now_ns)
{
	int64_t after = buckets_after(bucket, bucket_of(length_ns, now_ns));
	uint64_t left_ns = length_ns - now_ns % length_ns;

	if (after == 0)
		return cur + fraction(prev, left_ns, length_ns);
	if (after == 1)
		return fraction(cur, left_ns, length_ns);
	if (after > 1)
		return 0;
	return cur + prev;
}

uint32_t cs_window_read(const struct cs_window_counter *c, uint64_t length_ns, uint64_t now_ns)
{
	return cs_window_group_read(c->bucket, &c->pair, length_ns, now_ns);
}
