/* SPDX-License-Identifier: Apache-2.0 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "window.h"

#define MS 1000000ull
#define S CS_WINDOW_NS_PER_S
/* An ordinary capture time (November 2023), so bucket indexes are realistic. */
#define T0 (1700000000ull * S)

static const uint64_t default_lengths[] = { CS_WINDOW_10MIN_NS, CS_WINDOW_1H_NS, CS_WINDOW_24H_NS };
enum { N_DEFAULT = sizeof(default_lengths) / sizeof(default_lengths[0]) };

/* The start of the first bucket after T0: the "k*W" of the boundary tests. */
static uint64_t edge(uint64_t w)
{
	return (T0 / w + 1) * w;
}

static int64_t diff(uint32_t estimate, uint64_t truth)
{
	return (int64_t)estimate - (int64_t)truth;
}

/*
 * The documented worst case at t: prev * max(e, W - e) / W + 1/2, where
 * prev is the count of the bucket before t's (the counter's prev while t
 * is in its bucket, its cur once t is in the next one).
 */
static double bound(const struct cs_window_counter *c, uint64_t w, uint64_t t)
{
	uint64_t b = t / w;
	uint64_t e = t % w;
	double prev = b == c->bucket ? c->prev : b == (uint64_t)c->bucket + 1 ? c->cur : 0;
	double far = (double)(e > w - e ? e : w - e);

	return prev * far / (double)w + 0.5;
}

/* Whether the estimate at t is within the bound; says which read failed (asserting only then keeps long loops fast). */
static bool within_bound(const struct cs_window_counter *c, uint64_t w, uint64_t t, uint64_t truth)
{
	uint32_t estimate = cs_window_read(c, w, t);
	double b = bound(c, w, t);

	if ((double)llabs(diff(estimate, truth)) <= b)
		return true;
	cr_expect_fail("W=%llu s, t=%llu: estimate %u, true %llu, bound %.2f", (unsigned long long)(w / S),
		       (unsigned long long)t, estimate, (unsigned long long)truth, b);
	return false;
}

Test(window, lengths_accepted)
{
	cr_expect(cs_window_length_valid(CS_WINDOW_10MIN_NS));
	cr_expect(cs_window_length_valid(CS_WINDOW_1H_NS));
	cr_expect(cs_window_length_valid(CS_WINDOW_24H_NS));
	cr_expect(cs_window_length_valid(CS_WINDOW_MIN_NS));
	cr_expect(cs_window_length_valid(CS_WINDOW_MAX_NS));
	cr_expect_not(cs_window_length_valid(CS_WINDOW_MIN_NS - 1));
	cr_expect_not(cs_window_length_valid(CS_WINDOW_MAX_NS + 1));
	cr_expect_not(cs_window_length_valid(0));
	cr_expect_eq(CS_WINDOW_10MIN_NS, 600 * S);
	cr_expect_eq(CS_WINDOW_1H_NS, 3600 * S);
	cr_expect_eq(CS_WINDOW_24H_NS, 86400 * S);
}

/* Events at k*W - 1, k*W and k*W + 1 land in the buckets they belong to, and reads at the edges are exact. */
Test(window, bucket_edges)
{
	for (int i = 0; i < N_DEFAULT; i++) {
		uint64_t w = default_lengths[i];
		uint64_t kw = edge(w);
		uint32_t k = (uint32_t)(kw / w);
		struct cs_window_counter c;

		cs_window_init(&c, w, kw - w);
		cr_assert_eq(cs_window_add(&c, w, kw - 1, 5), CS_WINDOW_COUNTED);
		cr_expect_eq(c.bucket, k - 1);
		cr_expect_eq(c.cur, 5);
		cr_expect_eq(c.prev, 0);
		/* the window (t - W, t] holds kW - 1 until t = kW - 1 + W */
		cr_expect_eq(cs_window_read(&c, w, kw - 1), 5);
		cr_expect_eq(cs_window_read(&c, w, kw), 5);
		cr_expect_eq(cs_window_read(&c, w, kw + 1), 5);
		cr_expect_eq(cs_window_read(&c, w, kw + w / 2), 3, "5 * 1/2 rounds to 3");
		cr_expect_eq(cs_window_read(&c, w, kw + w - 1), 0);
		cr_expect_eq(cs_window_read(&c, w, kw + w), 0);

		cr_assert_eq(cs_window_add(&c, w, kw, 1), CS_WINDOW_COUNTED);
		cr_expect_eq(c.bucket, k);
		cr_expect_eq(c.cur, 1);
		cr_expect_eq(c.prev, 5);
		cr_expect_eq(cs_window_read(&c, w, kw), 6);

		cr_assert_eq(cs_window_add(&c, w, kw + 1, 1), CS_WINDOW_COUNTED);
		cr_expect_eq(c.bucket, k);
		cr_expect_eq(c.cur, 2);
		cr_expect_eq(c.prev, 5);
		cr_expect_eq(cs_window_read(&c, w, kw + 1), 7);

		/* the next edge moves cur to prev, the one after empties both */
		cr_expect_eq(cs_window_read(&c, w, kw + w), 2);
		cr_expect_eq(cs_window_read(&c, w, kw + 2 * w - 1), 0);
		cr_expect_eq(cs_window_read(&c, w, kw + 2 * w), 0);
	}
}

/* Events number i at start + i * period, i < n: how many lie in (t - W, t]. */
static uint64_t upto(uint64_t start, uint64_t period, uint64_t n, uint64_t t)
{
	uint64_t k;

	if (t < start)
		return 0;
	k = (t - start) / period + 1;
	return k < n ? k : n;
}

static uint64_t steady_truth(uint64_t start, uint64_t period, uint64_t n, uint64_t w, uint64_t t)
{
	return upto(start, period, n, t) - (t >= w ? upto(start, period, n, t - w) : 0);
}

/* A steady rate: the estimate is within the bound everywhere and within 2 of the true sliding count. */
Test(window, steady_rate_within_two)
{
	/* events per window: sparse, moderate, and just under saturation */
	static const uint64_t per_window[] = { 37, 997, 60013 };

	for (int i = 0; i < N_DEFAULT; i++) {
		for (size_t j = 0; j < sizeof(per_window) / sizeof(per_window[0]); j++) {
			uint64_t w = default_lengths[i];
			uint64_t p = w / per_window[j];
			uint64_t start = edge(w) + 123456789;
			uint64_t n = 4 * w / p;
			int64_t worst = 0;
			struct cs_window_counter c;

			cs_window_init(&c, w, start);
			for (uint64_t e = 0; e < n; e++) {
				uint64_t t = start + e * p;
				const uint64_t at[] = { t, t + p / 2 };

				cr_assert_eq(cs_window_add(&c, w, t, 1), CS_WINDOW_COUNTED);
				for (int r = 0; r < 2; r++) {
					uint64_t truth = steady_truth(start, p, e + 1, w, at[r]);
					int64_t err = llabs(diff(cs_window_read(&c, w, at[r]), truth));

					if (!within_bound(&c, w, at[r], truth))
						return;
					/* steady over the whole previous bucket, not its start-up */
					if (at[r] / w * w - w >= start && err > worst)
						worst = err;
				}
			}
			cr_expect_leq(worst, 2, "W=%llu s, %llu events per window: worst error %lld",
				      (unsigned long long)(w / S), (unsigned long long)per_window[j], (long long)worst);
		}
	}
}

/*
 * The worst case: 100 events in the last 100 ms of a bucket, read through
 * the next bucket. They stay in the true window almost to its end while the
 * estimate fades them linearly, so the error grows to all of prev; it stays
 * within the bound, and the bound is reached.
 */
Test(window, burst_at_end_of_bucket)
{
	for (int i = 0; i < N_DEFAULT; i++) {
		uint64_t w = default_lengths[i];
		uint64_t kw = edge(w);
		struct cs_window_counter c;
		int64_t worst = 0;

		cs_window_init(&c, w, kw - w);
		for (uint64_t e = 0; e < 100; e++)
			cr_assert_eq(cs_window_add(&c, w, kw - 100 * MS + e * MS, 1), CS_WINDOW_COUNTED);
		for (uint64_t t = kw; t < kw + w; t += w / 200) {
			uint64_t truth = t < kw + w - 100 * MS ? 100 : 0;

			within_bound(&c, w, t, truth);
			if (llabs(diff(cs_window_read(&c, w, t), truth)) > worst)
				worst = llabs(diff(cs_window_read(&c, w, t), truth));
		}
		{
			/* last instant all 100 are still in the true window */
			uint64_t t = kw + w - 100 * MS - 1;

			within_bound(&c, w, t, 100);
			cr_expect_eq(cs_window_read(&c, w, t), 0);
		}
		cr_expect_geq(worst, 99, "the bound is reached: worst %lld", (long long)worst);
	}
}

/* The mirror case: a burst at the start of a bucket is over-counted through the next one, within the bound. */
Test(window, burst_at_start_of_bucket)
{
	for (int i = 0; i < N_DEFAULT; i++) {
		uint64_t w = default_lengths[i];
		uint64_t kw = edge(w);
		struct cs_window_counter c;

		cs_window_init(&c, w, kw - w);
		cr_assert_eq(cs_window_add(&c, w, kw - w, 100), CS_WINDOW_COUNTED);
		for (uint64_t t = kw; t < kw + w; t += w / 200)
			within_bound(&c, w, t, 0);
		cr_expect_eq(cs_window_read(&c, w, kw), 100, "at kW the burst at (k-1)W just left the window");
	}
}

Test(window, saturates)
{
	uint64_t w = CS_WINDOW_1H_NS;
	uint64_t kw = edge(w);
	struct cs_window_counter c;

	cs_window_init(&c, w, kw);
	cs_window_add(&c, w, kw, 65530);
	cs_window_add(&c, w, kw + 1, 4);
	cr_expect_eq(c.cur, 65534);
	cs_window_add(&c, w, kw + 2, 5);
	cr_expect_eq(c.cur, CS_WINDOW_SATURATED);
	cs_window_add(&c, w, kw + 3, UINT32_MAX);
	cr_expect_eq(c.cur, CS_WINDOW_SATURATED);
	cr_expect_eq(cs_window_read(&c, w, kw + 3), CS_WINDOW_SATURATED);

	/* a saturated bucket moves to prev whole, and the estimate tops at 2 * 65535 */
	cs_window_add(&c, w, kw + w, UINT32_MAX);
	cr_expect_eq(c.prev, CS_WINDOW_SATURATED);
	cr_expect_eq(c.cur, CS_WINDOW_SATURATED);
	cr_expect_eq(cs_window_read(&c, w, kw + w), 2u * CS_WINDOW_SATURATED);
	/* late events saturate prev the same way */
	cr_expect_eq(cs_window_add(&c, w, kw + w - 1, UINT32_MAX), CS_WINDOW_COUNTED);
	cr_expect_eq(c.prev, CS_WINDOW_SATURATED);
}

/* Late by a few ms across an edge: counted in the bucket it belongs to. */
Test(window, late_by_a_few_ms)
{
	for (int i = 0; i < N_DEFAULT; i++) {
		uint64_t w = default_lengths[i];
		uint64_t kw = edge(w);
		struct cs_window_counter c;

		cs_window_init(&c, w, kw - w);
		cr_assert_eq(cs_window_add(&c, w, kw + 2 * MS, 1), CS_WINDOW_COUNTED);
		cr_assert_eq(cs_window_add(&c, w, kw - 3 * MS, 1), CS_WINDOW_COUNTED);
		cr_assert_eq(cs_window_add(&c, w, kw + 1 * MS, 1), CS_WINDOW_COUNTED);
		cr_expect_eq(c.bucket, (uint32_t)(kw / w));
		cr_expect_eq(c.cur, 2);
		cr_expect_eq(c.prev, 1);
		cr_expect_eq(cs_window_read(&c, w, kw + 5 * MS), 3);
		/* a read before the newest bucket answers as of its start */
		cr_expect_eq(cs_window_read(&c, w, kw - 3 * MS), 3);
	}
}

static uint64_t next_random(uint64_t *s)
{
	/* xorshift64: fixed seeds, the same sequence on every run */
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

struct arrival {
	uint64_t t;       /* event time */
	uint64_t arrives; /* when the worker sees it: t plus up to 5 ms */
};

static int by_arrival(const void *a, const void *b)
{
	const struct arrival *x = a, *y = b;

	return (x->arrives > y->arrives) - (x->arrives < y->arrives);
}

enum { ARRIVALS = 20000 };

/* 20,000 events 0-0.4 ms apart across an edge (4 s), each arriving up to 5 ms after its time. */
static void make_arrivals(struct arrival *a, uint64_t w, uint64_t seed)
{
	uint64_t t = edge(w) - 2 * S;

	for (int i = 0; i < ARRIVALS; i++) {
		t += next_random(&seed) % (MS * 4 / 10 + 1);
		a[i].t = t;
		a[i].arrives = t + next_random(&seed) % (5 * MS);
	}
}

/* Any order within a few ms gives the same counter as time order: late events are not lost or misplaced. */
Test(window, reordering_within_ms_is_invisible)
{
	static struct arrival a[ARRIVALS];

	for (int i = 0; i < N_DEFAULT; i++) {
		uint64_t w = default_lengths[i];
		int late = 0, late_across_edge = 0;

		for (uint64_t seed = 1; seed <= 8; seed++) {
			struct cs_window_counter ordered, jittered;

			make_arrivals(a, w, 0x9e3779b97f4a7c15ull * seed + (uint64_t)i);
			cs_window_init(&ordered, w, a[0].t);
			cs_window_init(&jittered, w, a[0].t);
			for (int e = 0; e < ARRIVALS; e++)
				cs_window_add(&ordered, w, a[e].t, 1);
			qsort(a, ARRIVALS, sizeof(a[0]), by_arrival);
			for (int e = 0; e < ARRIVALS; e++) {
				late += e > 0 && a[e].t < a[e - 1].t;
				late_across_edge += e > 0 && a[e].t / w < a[e - 1].t / w;
				cr_assert_eq(cs_window_add(&jittered, w, a[e].t, 1), CS_WINDOW_COUNTED);
			}
			cr_expect_eq(memcmp(&ordered, &jittered, sizeof(ordered)), 0);
			cr_expect_eq(ordered.cur + ordered.prev, ARRIVALS);
		}
		cr_expect_gt(late, 8 * 1000, "the jitter reorders events (%d)", late);
		cr_expect_geq(late_across_edge, 8, "some arrive after an event of the next bucket (%d)",
			      late_across_edge);
	}
}

/* Two or more buckets back is outside every window the counter can answer: refused, state unchanged. */
Test(window, too_old_is_refused)
{
	uint64_t w = CS_WINDOW_1H_NS;
	uint64_t kw = edge(w);
	struct cs_window_counter c, before;

	cs_window_init(&c, w, kw);
	cs_window_add(&c, w, kw + 10 * S, 4);
	before = c;
	cr_expect_eq(cs_window_add(&c, w, kw - w - 1, 1), CS_WINDOW_TOO_OLD);
	cr_expect_eq(cs_window_add(&c, w, T0 - 400 * 86400 * S, 1), CS_WINDOW_TOO_OLD);
	cr_expect_eq(memcmp(&c, &before, sizeof(c)), 0);
	cr_expect_eq(cs_window_add(&c, w, kw - w, 1), CS_WINDOW_COUNTED);
	cr_expect_eq(c.prev, 1);
}

/* Created mid-bucket: events just before creation belong to the previous bucket; older ones to none. */
Test(window, events_before_creation)
{
	uint64_t w = CS_WINDOW_1H_NS;
	uint64_t kw = edge(w);
	uint64_t created = kw + w / 2;
	struct cs_window_counter c;

	cs_window_init(&c, w, created);
	cr_expect_eq(cs_window_read(&c, w, created), 0);
	cr_expect_eq(cs_window_add(&c, w, created - 10 * S, 2), CS_WINDOW_COUNTED);
	cr_expect_eq(c.cur, 2);
	cr_expect_eq(cs_window_add(&c, w, kw - S, 2), CS_WINDOW_COUNTED);
	cr_expect_eq(c.prev, 2);
	cr_expect_eq(cs_window_add(&c, w, kw - w - 1, 1), CS_WINDOW_TOO_OLD);
	/* 2 in this bucket, 2 in the previous one weighted by 1/2 */
	cr_expect_eq(cs_window_read(&c, w, created), 3);

	/* a zeroed counter is an empty one */
	{
		struct cs_window_counter z = { 0 };

		cr_expect_eq(cs_window_read(&z, w, T0), 0);
		cr_expect_eq(cs_window_add(&z, w, T0, 1), CS_WINDOW_COUNTED);
		cr_expect_eq(cs_window_read(&z, w, T0), 1);
	}
}

/* A jump forward of two windows or more empties the counter; long sleeps are told apart from late events. */
Test(window, long_gaps_reset)
{
	uint64_t w = CS_WINDOW_10MIN_NS;
	uint64_t kw = edge(w);
	struct cs_window_counter c;

	cs_window_init(&c, w, kw);
	cs_window_add(&c, w, kw + S, 7);
	cs_window_add(&c, w, kw + w + S, 3);
	cr_expect_eq(cs_window_read(&c, w, kw + 2 * w - 1), 3, "7 * (1 ns / W) rounds to 0");
	cr_expect_eq(cs_window_read(&c, w, kw + 3 * w), 0);
	cr_expect_eq(cs_window_add(&c, w, kw + 3 * w + 5 * S, 2), CS_WINDOW_COUNTED);
	cr_expect_eq(c.bucket, (uint32_t)(kw / w) + 3);
	cr_expect_eq(c.cur, 2);
	cr_expect_eq(c.prev, 0);

	/* ten years asleep at 10 min */
	cr_expect_eq(cs_window_add(&c, w, kw + 3650 * 86400 * S, 1), CS_WINDOW_COUNTED);
	cr_expect_eq(c.cur, 1);
	cr_expect_eq(c.prev, 0);
	cr_expect_eq(cs_window_read(&c, w, kw + 3650 * 86400 * S), 1);

	/* sixty years at the shortest window: 1.9e9 buckets, still "later" */
	{
		uint64_t s1 = CS_WINDOW_MIN_NS;
		struct cs_window_counter d;

		cs_window_init(&d, s1, T0);
		cs_window_add(&d, s1, T0, 9);
		cr_expect_eq(cs_window_add(&d, s1, T0 + 60 * 365 * 86400 * S, 1), CS_WINDOW_COUNTED);
		cr_expect_eq(d.cur, 1);
		cr_expect_eq(d.prev, 0);
	}
}

/* The same events in the same order give the same estimates, byte for byte the same counter. */
Test(window, deterministic)
{
	static struct arrival a[ARRIVALS];
	static uint32_t first[ARRIVALS], second[ARRIVALS];
	uint64_t w = CS_WINDOW_10MIN_NS;
	struct cs_window_counter x, y;

	make_arrivals(a, w, 42);
	qsort(a, ARRIVALS, sizeof(a[0]), by_arrival);
	cs_window_init(&x, w, a[0].t);
	cs_window_init(&y, w, a[0].t);
	for (int e = 0; e < ARRIVALS; e++) {
		cs_window_add(&x, w, a[e].t, 1);
		first[e] = cs_window_read(&x, w, a[e].arrives);
	}
	for (int e = 0; e < ARRIVALS; e++) {
		cs_window_add(&y, w, a[e].t, 1);
		second[e] = cs_window_read(&y, w, a[e].arrives);
	}
	cr_expect_eq(memcmp(&x, &y, sizeof(x)), 0);
	cr_expect_eq(memcmp(first, second, sizeof(first)), 0);
}

/*
 * A group of counters sharing one bucket index behaves, member by member,
 * exactly like separate counters fed the same events.
 */
Test(window, a_group_is_its_members_side_by_side)
{
	const uint64_t W = CS_WINDOW_1H_NS, t0 = 1767600000ull * CS_WINDOW_NS_PER_S;
	struct cs_window_counter single[3];
	struct cs_window_pair pairs[3] = { 0 };
	uint32_t bucket = (uint32_t)(t0 / W);
	uint64_t rng = 7;

	for (int i = 0; i < 3; i++)
		cs_window_init(&single[i], W, t0);
	uint64_t t = t0;
	for (int k = 0; k < 20000; k++) {
		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		t += (rng >> 33) % (60ull * CS_WINDOW_NS_PER_S); /* up to a minute between events */
		unsigned int which = (unsigned int)((rng >> 20) % 3);
		uint32_t amount = (uint32_t)((rng >> 40) % 3) + 1;
		uint64_t at = (rng >> 50) % 8 == 0 ? t - 2000000ull : t; /* some events 2 ms late */
		cr_assert_eq(cs_window_group_add(&bucket, pairs, 3, which, W, at, amount),
			     cs_window_add(&single[which], W, at, amount));
		for (unsigned int m = 0; m < 3; m++)
			cr_assert_eq(cs_window_group_read(bucket, &pairs[m], W, t), cs_window_read(&single[m], W, t),
				     "event %d, member %u", k, m);
	}
}

/*
 * A tumbling count: the current bucket's count plus the previous one's
 * faded by what is left of the bucket; counts of a sketch's size (ten
 * million times a day in ns overflows 64 bits) keep their proportion.
 */
Test(window, tumbling_counts_fade_and_do_not_overflow)
{
	const uint64_t day = CS_WINDOW_24H_NS, start = 20000 * day;
	const uint32_t b = 20000;

	cr_expect_eq(cs_window_tumbling_read(b, 7, 100, day, start), 107, "the bucket's start: all of prev");
	cr_expect_eq(cs_window_tumbling_read(b, 7, 100, day, start + day / 4), 82);
	cr_expect_eq(cs_window_tumbling_read(b, 7, 100, day, start + day - 1), 7);
	cr_expect_eq(cs_window_tumbling_read(b, 10000000, 0, day, start + day + day / 2), 5000000,
		     "the next bucket: half of cur left at its middle");
	cr_expect_eq(cs_window_tumbling_read(b, 10000000, 0, day, start + 2 * day), 0, "two buckets on: nothing");
	cr_expect_eq(cs_window_tumbling_read(b, 7, 100, day, start - 1), 107, "read before the bucket: all it holds");
}
