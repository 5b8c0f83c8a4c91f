/* SPDX-License-Identifier: Apache-2.0 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "distinct.h"

/*
 * Items: consecutive identities from a per-seed base, as MSISDNs of one
 * number block or addresses of one subnet are: the structured input a
 * weak mixer would fail on.
 */
static uint64_t item(unsigned int seed, uint64_t i)
{
	return ((uint64_t)(seed + 1) << 40) + i;
}

static double rel_error(uint64_t est, uint64_t n)
{
	return fabs((double)est - (double)n) / (double)n;
}

static void add_range(struct cs_distinct *c, struct cs_distinct_pool *pool, unsigned int seed, uint64_t from,
		      uint64_t to)
{
	for (uint64_t i = from; i < to; i++)
		cs_distinct_add(c, pool, item(seed, i));
}

static struct cs_distinct_pool *pool_of(uint32_t slots)
{
	struct cs_distinct_pool *pool = cs_distinct_pool_create(slots);

	cr_assert_not_null(pool);
	return pool;
}

Test(distinct, sizes_fit_the_subscriber_record)
{
	struct cs_distinct_pool *pool = pool_of(3);

	/* six counters inline: 96 of the record's 256 bytes */
	cr_assert_eq(sizeof(struct cs_distinct), 16);
	cr_assert_eq(CS_DISTINCT_REGISTER_BYTES, 24576); /* 2^15 registers x 6 bits */
	cr_assert_eq(CS_DISTINCT_SLOT_BYTES, 24692);
	cr_assert_eq(CS_DISTINCT_SAVED_MAX, 24584);
	cr_assert_eq(cs_distinct_pool_stats(pool)->slots, 3);
	cr_assert_eq(cs_distinct_pool_stats(pool)->in_use, 0);
	cs_distinct_pool_free(pool);
}

Test(distinct, exact_up_to_32_and_duplicates_do_not_count)
{
	struct cs_distinct_pool *pool = pool_of(1);

	for (unsigned int n = 0; n <= CS_DISTINCT_EXACT; n++) {
		struct cs_distinct c;
		struct cs_distinct_count r;

		memset(&c, 0, sizeof(c)); /* zeroed memory is an empty counter */
		/* every item three times, the repeats interleaved with new ones */
		for (int round = 0; round < 3; round++)
			add_range(&c, pool, 7, 0, n);
		for (uint64_t i = 0; i < n; i += 2)
			cs_distinct_add(&c, pool, item(7, i));
		r = cs_distinct_estimate(&c, pool);
		cr_expect_eq(r.n, n, "n=%u: counted %llu", n, (unsigned long long)r.n);
		cr_expect_eq(r.quality, CS_DISTINCT_IS_EXACT, "n=%u", n);
		/* the pool is needed only past the inline capacity */
		cr_expect_eq(cs_distinct_pool_stats(pool)->in_use, n > CS_DISTINCT_INLINE ? 1u : 0u, "n=%u", n);
		cs_distinct_release(&c, pool);
		cr_expect_eq(cs_distinct_pool_stats(pool)->in_use, 0);
	}
	cr_expect_eq(cs_distinct_pool_stats(pool)->promotions, CS_DISTINCT_EXACT - CS_DISTINCT_INLINE);
	cr_expect_eq(cs_distinct_pool_stats(pool)->sketches, 0);
	cs_distinct_pool_free(pool);
}

Test(distinct, the_33rd_item_makes_a_sketch)
{
	struct cs_distinct_pool *pool = pool_of(1);
	struct cs_distinct c;
	struct cs_distinct_count r;

	cs_distinct_init(&c);
	add_range(&c, pool, 1, 0, 33);
	add_range(&c, pool, 1, 0, 33);
	r = cs_distinct_estimate(&c, pool);
	cr_expect_eq(r.quality, CS_DISTINCT_IS_ESTIMATE);
	cr_expect_eq(r.n, 33);
	cr_expect_eq(cs_distinct_pool_stats(pool)->sketches, 1);
	cs_distinct_release(&c, pool);
	cs_distinct_pool_free(pool);
}

/* Max relative error over 50 seeds at n distinct items, each added twice. */
static double max_error_at(struct cs_distinct_pool *pool, uint64_t n)
{
	double worst = 0;

	for (unsigned int seed = 0; seed < 50; seed++) {
		struct cs_distinct c;
		struct cs_distinct_count r;
		double e;

		cs_distinct_init(&c);
		add_range(&c, pool, seed, 0, n);
		add_range(&c, pool, seed, 0, n / 10);
		r = cs_distinct_estimate(&c, pool);
		cr_assert_eq(r.quality, CS_DISTINCT_IS_ESTIMATE);
		e = rel_error(r.n, n);
		if (e > worst)
			worst = e;
		cs_distinct_release(&c, pool);
	}
	return worst;
}

Test(distinct, within_2_percent_at_1000_and_100000_over_50_seeds)
{
	struct cs_distinct_pool *pool = pool_of(1);
	double at_1k = max_error_at(pool, 1000), at_100k = max_error_at(pool, 100000);

	fprintf(stderr, "distinct: max relative error over 50 seeds: %.3f%% at 1,000, %.3f%% at 100,000\n",
		100 * at_1k, 100 * at_100k);
	cr_expect_leq(at_1k, 0.02);
	cr_expect_leq(at_100k, 0.02);
	cs_distinct_pool_free(pool);
}

/*
 * Every n from 33 to 10,000 on 10 seeds. The bound is 3% or 2 items,
 * whichever is larger: below ~70 items the error is whole register
 * collisions (two of n items in one register cost 1/n, and each pair
 * collides with probability 1/32768), not a percentage. Bias: the mean
 * signed error over all points stays within 0.5%.
 */
Test(distinct, no_bias_from_33_to_10000)
{
	struct cs_distinct_pool *pool = pool_of(1);
	double worst = 0, sum = 0;
	uint64_t points = 0;

	for (unsigned int seed = 100; seed < 110; seed++) {
		struct cs_distinct c;

		cs_distinct_init(&c);
		add_range(&c, pool, seed, 0, 32);
		for (uint64_t n = 33; n <= 10000; n++) {
			struct cs_distinct_count r;
			double err, bound = 0.03 * (double)n > 2 ? 0.03 * (double)n : 2;

			cs_distinct_add(&c, pool, item(seed, n - 1));
			r = cs_distinct_estimate(&c, pool);
			err = (double)r.n - (double)n;
			cr_assert_leq(fabs(err), bound, "seed %u n=%llu: estimate %llu", seed, (unsigned long long)n,
				      (unsigned long long)r.n);
			if (fabs(err) / (double)n > worst)
				worst = fabs(err) / (double)n;
			sum += err / (double)n;
			points++;
		}
		cs_distinct_release(&c, pool);
	}
	fprintf(stderr, "distinct: 33..10,000 x 10 seeds: max relative error %.3f%%, mean signed %.4f%%\n",
		100 * worst, 100 * sum / (double)points);
	cr_expect_leq(fabs(sum / (double)points), 0.005);
	cs_distinct_pool_free(pool);
}

/* a = items [a0, a1), b = [b0, b1), merged into a; checks the union against its size. */
static struct cs_distinct_count merged(uint64_t a0, uint64_t a1, uint64_t b0, uint64_t b1, unsigned int seed)
{
	struct cs_distinct_pool *pa = pool_of(1), *pb = pool_of(1);
	struct cs_distinct a, b;
	struct cs_distinct_count r;

	cs_distinct_init(&a);
	cs_distinct_init(&b);
	add_range(&a, pa, seed, a0, a1);
	add_range(&b, pb, seed, b0, b1);
	cs_distinct_merge(&a, pa, &b, pb);
	r = cs_distinct_estimate(&a, pa);
	if (b1 - b0 <= CS_DISTINCT_EXACT) /* src is untouched */
		cr_expect_eq(cs_distinct_estimate(&b, pb).n, b1 - b0);
	cs_distinct_release(&a, pa);
	cs_distinct_release(&b, pb);
	cs_distinct_pool_free(pa);
	cs_distinct_pool_free(pb);
	return r;
}

Test(distinct, merge_of_exact_sets_is_exact)
{
	struct cs_distinct_count r;

	r = merged(0, 2, 5, 6, 1); /* inline + inline */
	cr_expect_eq(r.n, 3);
	cr_expect_eq(r.quality, CS_DISTINCT_IS_EXACT);
	r = merged(0, 10, 10, 25, 1); /* disjoint */
	cr_expect_eq(r.n, 25);
	cr_expect_eq(r.quality, CS_DISTINCT_IS_EXACT);
	r = merged(0, 20, 10, 30, 1); /* overlapping */
	cr_expect_eq(r.n, 30);
	cr_expect_eq(r.quality, CS_DISTINCT_IS_EXACT);
	r = merged(0, 3, 0, 32, 1); /* inline inside pooled */
	cr_expect_eq(r.n, 32);
	cr_expect_eq(r.quality, CS_DISTINCT_IS_EXACT);
	r = merged(0, 20, 20, 40, 1); /* two exact sets whose union needs the sketch */
	cr_expect_eq(r.quality, CS_DISTINCT_IS_ESTIMATE);
	cr_expect_leq(fabs((double)r.n - 40), 2);
}

Test(distinct, merge_with_sketches_approximates_the_union)
{
	for (unsigned int seed = 0; seed < 5; seed++) {
		struct cs_distinct_count r;

		r = merged(0, 10, 5, 5005, seed); /* exact + sketch, overlapping */
		cr_expect_eq(r.quality, CS_DISTINCT_IS_ESTIMATE);
		cr_expect_leq(rel_error(r.n, 5005), 0.02, "seed %u: %llu", seed, (unsigned long long)r.n);
		r = merged(4995, 5005, 0, 5000, seed); /* sketch into an exact set */
		cr_expect_leq(rel_error(r.n, 5005), 0.02, "seed %u: %llu", seed, (unsigned long long)r.n);
		r = merged(0, 60000, 40000, 100000, seed); /* sketch + sketch, 20,000 shared */
		cr_expect_eq(r.quality, CS_DISTINCT_IS_ESTIMATE);
		cr_expect_leq(rel_error(r.n, 100000), 0.02, "seed %u: %llu", seed, (unsigned long long)r.n);
		r = merged(0, 50000, 50000, 100000, seed); /* disjoint sketches */
		cr_expect_leq(rel_error(r.n, 100000), 0.02, "seed %u: %llu", seed, (unsigned long long)r.n);
	}
}

/* Saves c; returns the length. */
static size_t save(const struct cs_distinct *c, const struct cs_distinct_pool *pool, uint8_t *buf)
{
	size_t len = cs_distinct_save(c, pool, buf, CS_DISTINCT_SAVED_MAX);

	cr_assert_gt(len, 0);
	return len;
}

Test(distinct, merge_of_sketches_is_the_sketch_of_the_union)
{
	static uint8_t ab[CS_DISTINCT_SAVED_MAX], ba[CS_DISTINCT_SAVED_MAX], whole[CS_DISTINCT_SAVED_MAX];
	struct cs_distinct_pool *pool = pool_of(5);
	struct cs_distinct a, b, a2, b2, u;

	cs_distinct_init(&a);
	cs_distinct_init(&b);
	cs_distinct_init(&u);
	add_range(&a, pool, 3, 0, 3000);
	add_range(&b, pool, 3, 2000, 9000);
	add_range(&u, pool, 3, 0, 9000);
	cs_distinct_init(&a2);
	cs_distinct_merge(&a2, pool, &a, pool);
	cs_distinct_init(&b2);
	cs_distinct_merge(&b2, pool, &b, pool);
	cs_distinct_merge(&a2, pool, &b, pool);
	cs_distinct_merge(&b2, pool, &a, pool);
	/* commutative, and equal to counting the union in one place */
	cr_expect_eq(save(&a2, pool, ab), CS_DISTINCT_SAVED_MAX);
	save(&b2, pool, ba);
	save(&u, pool, whole);
	cr_expect(memcmp(ab, ba, sizeof(ab)) == 0);
	cr_expect(memcmp(ab, whole, sizeof(ab)) == 0);
	cs_distinct_release(&a, pool);
	cs_distinct_release(&b, pool);
	cs_distinct_release(&a2, pool);
	cs_distinct_release(&b2, pool);
	cs_distinct_release(&u, pool);
	cr_expect_eq(cs_distinct_pool_stats(pool)->in_use, 0);
	cs_distinct_pool_free(pool);
}

Test(distinct, save_load_round_trip)
{
	static uint8_t first[CS_DISTINCT_SAVED_MAX], second[CS_DISTINCT_SAVED_MAX];
	static const uint64_t sizes[] = { 0, 1, 3, 4, 31, 32, 33, 5000, 100000 };
	struct cs_distinct_pool *here = pool_of(1), *there = pool_of(1);

	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		struct cs_distinct c, d;
		size_t len, len2;
		struct cs_distinct_count rc, rd;

		cs_distinct_init(&c);
		add_range(&c, here, 9, 0, sizes[k]);
		len = save(&c, here, first);
		cr_expect_eq(len, sizes[k] > CS_DISTINCT_EXACT ? (size_t)CS_DISTINCT_SAVED_MAX : 9 + 4 * sizes[k]);
		cr_expect_eq(first[0], 1, "version byte");
		cr_assert_eq(cs_distinct_load(&d, there, first, len), 0);
		len2 = save(&d, there, second);
		cr_expect_eq(len2, len);
		cr_expect(memcmp(first, second, len) == 0, "n=%llu", (unsigned long long)sizes[k]);
		rc = cs_distinct_estimate(&c, here);
		rd = cs_distinct_estimate(&d, there);
		cr_expect_eq(rc.n, rd.n);
		cr_expect_eq(rc.quality, rd.quality);
		/* a loaded counter goes on counting: the same items again change nothing */
		add_range(&d, there, 9, 0, sizes[k]);
		cr_expect_eq(cs_distinct_estimate(&d, there).n, rc.n);
		cs_distinct_release(&c, here);
		cs_distinct_release(&d, there);
	}
	cs_distinct_pool_free(here);
	cs_distinct_pool_free(there);
}

Test(distinct, saved_bytes_are_the_documented_layout)
{
	/* the worked example in distinct.h */
	static const uint8_t expect[] = { 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x54, 0x60, 0x8b, 0xb1 };
	struct cs_distinct_pool *pool = pool_of(0);
	struct cs_distinct c;
	uint8_t buf[CS_DISTINCT_SAVED_MAX];

	cs_distinct_init(&c);
	cs_distinct_add(&c, pool, 0x8613800138000ull);
	cr_assert_eq(cs_distinct_save(&c, pool, buf, sizeof(expect)), sizeof(expect));
	cr_expect(memcmp(buf, expect, sizeof(expect)) == 0);
	cr_expect_eq(cs_distinct_save(&c, pool, buf, sizeof(expect) - 1), 0, "a buffer too small");
	cs_distinct_pool_free(pool);
}

Test(distinct, load_refuses_malformed_bytes)
{
	static uint8_t hll[CS_DISTINCT_SAVED_MAX];
	struct cs_distinct_pool *pool = pool_of(1);
	struct cs_distinct c;
	uint8_t set[CS_DISTINCT_SAVED_MAX];
	size_t len;

	cs_distinct_init(&c);
	add_range(&c, pool, 2, 0, 5);
	len = save(&c, pool, set);
	cs_distinct_release(&c, pool);
	cr_assert_eq(len, 9 + 4 * 5);
	cr_expect_eq(cs_distinct_load(&c, pool, set, len), 0);
	cs_distinct_release(&c, pool);

	cr_expect_eq(cs_distinct_load(&c, pool, set, len - 1), -1, "truncated");
	cr_expect_eq(cs_distinct_load(&c, pool, set, len + 1), -1, "trailing byte");
	set[0] = 2;
	cr_expect_eq(cs_distinct_load(&c, pool, set, len), -1, "unknown version");
	set[0] = 1;
	set[2] = 0x02;
	cr_expect_eq(cs_distinct_load(&c, pool, set, len), -1, "unknown flag");
	set[2] = 0;
	set[4] = 7;
	cr_expect_eq(cs_distinct_load(&c, pool, set, len), -1, "a floor without the lower-bound flag");
	set[4] = 0;
	memcpy(set + 13, set + 9, 4);
	cr_expect_eq(cs_distinct_load(&c, pool, set, len), -1, "a fingerprint twice");
	set[8] = 33;
	cr_expect_eq(cs_distinct_load(&c, pool, set, 9 + 4 * 33), -1, "33 in an exact set");
	cr_expect_eq(cs_distinct_estimate(&c, pool).n, 0, "refused bytes leave the counter empty");
	cr_expect_eq(cs_distinct_pool_stats(pool)->in_use, 0);

	add_range(&c, pool, 2, 0, 100);
	save(&c, pool, hll);
	cs_distinct_release(&c, pool);
	hll[3] = 14;
	cr_expect_eq(cs_distinct_load(&c, pool, hll, sizeof(hll)), -1, "another precision");
	hll[3] = 15;
	hll[8] = 51; /* register 0 = 51, one past the largest rank */
	cr_expect_eq(cs_distinct_load(&c, pool, hll, sizeof(hll)), -1, "register out of range");
	hll[8] = 50;
	cr_expect_eq(cs_distinct_load(&c, pool, hll, sizeof(hll)), 0);
	cs_distinct_release(&c, pool);
	cs_distinct_pool_free(pool);
}

Test(distinct, full_pool_saturates_into_a_counted_lower_bound)
{
	struct cs_distinct_pool *pool = pool_of(2);
	const struct cs_distinct_pool_stats *st = cs_distinct_pool_stats(pool);
	struct cs_distinct a, b, c;
	struct cs_distinct_count r;

	cs_distinct_init(&a);
	cs_distinct_init(&b);
	cs_distinct_init(&c);
	add_range(&a, pool, 1, 0, 4);
	add_range(&b, pool, 2, 0, 4);
	cr_expect_eq(st->in_use, 2);
	add_range(&c, pool, 3, 0, 3);
	cr_expect_eq(cs_distinct_estimate(&c, pool).quality, CS_DISTINCT_IS_EXACT, "inline needs no slot");

	cs_distinct_add(&c, pool, item(3, 3));
	r = cs_distinct_estimate(&c, pool);
	cr_expect_eq(r.n, 4);
	cr_expect_eq(r.quality, CS_DISTINCT_IS_LOWER_BOUND);
	cr_expect_eq(st->promotions_refused, 1);
	add_range(&c, pool, 3, 0, 3); /* the three it holds: known, nothing lost */
	cr_expect_eq(st->items_lost, 0);
	add_range(&c, pool, 3, 4, 14);
	cr_expect_eq(st->items_lost, 10);
	cr_expect_eq(cs_distinct_estimate(&c, pool).n, 4);
	cr_expect_eq(st->in_use, 2, "nothing grows");

	/* a slot given back: the counter moves in, still a floor (items were lost) */
	cs_distinct_release(&a, pool);
	add_range(&c, pool, 3, 14, 20);
	r = cs_distinct_estimate(&c, pool);
	cr_expect_eq(r.quality, CS_DISTINCT_IS_LOWER_BOUND);
	cr_expect_eq(r.n, 9); /* the 3 held, and 14..19 */
	cr_expect_eq(st->in_use, 2);

	/* a lower bound passes through a merge */
	cs_distinct_init(&a);
	cs_distinct_merge(&a, pool, &c, pool);
	cr_expect_eq(cs_distinct_estimate(&a, pool).quality, CS_DISTINCT_IS_LOWER_BOUND);
	cr_expect_eq(cs_distinct_estimate(&a, pool).n, 9);

	cs_distinct_release(&a, pool);
	cs_distinct_release(&b, pool);
	cs_distinct_release(&c, pool);
	cr_expect_eq(st->in_use, 0);
	cs_distinct_pool_free(pool);
}

Test(distinct, sketch_merged_into_a_full_pool_keeps_the_larger_side_as_floor)
{
	struct cs_distinct_pool *src_pool = pool_of(1), *empty = pool_of(0);
	struct cs_distinct src, dst;
	struct cs_distinct_count s, r;

	cs_distinct_init(&src);
	cs_distinct_init(&dst);
	add_range(&src, src_pool, 4, 0, 2000);
	add_range(&dst, empty, 5, 0, 2);
	cs_distinct_merge(&dst, empty, &src, src_pool);
	s = cs_distinct_estimate(&src, src_pool);
	r = cs_distinct_estimate(&dst, empty);
	cr_expect_eq(r.quality, CS_DISTINCT_IS_LOWER_BOUND);
	cr_expect_eq(r.n, s.n);
	cr_expect_eq(cs_distinct_pool_stats(empty)->promotions_refused, 1);
	cs_distinct_release(&src, src_pool);
	cs_distinct_pool_free(src_pool);
	cs_distinct_pool_free(empty);
}

Test(distinct, saved_set_loaded_into_a_full_pool_keeps_its_size_as_floor)
{
	struct cs_distinct_pool *pool = pool_of(1), *empty = pool_of(0);
	struct cs_distinct c, d;
	uint8_t buf[CS_DISTINCT_SAVED_MAX];
	size_t len;

	cs_distinct_init(&c);
	add_range(&c, pool, 6, 0, 10);
	len = save(&c, pool, buf);
	cr_assert_eq(cs_distinct_load(&d, empty, buf, len), 0);
	cr_expect_eq(cs_distinct_estimate(&d, empty).n, 10);
	cr_expect_eq(cs_distinct_estimate(&d, empty).quality, CS_DISTINCT_IS_LOWER_BOUND);
	cs_distinct_release(&c, pool);
	cs_distinct_pool_free(pool);
	cs_distinct_pool_free(empty);
}
