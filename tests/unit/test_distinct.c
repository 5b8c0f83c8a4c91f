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

/* exact: 128-byte exact slots (0: counters go from inline straight to a sketch slot); sketch: sketch slots */
static struct cs_distinct_pool *pool_of(uint32_t exact, uint32_t sketch)
{
	struct cs_distinct_pool *pool = cs_distinct_pool_create(exact, sketch);

	cr_assert_not_null(pool);
	return pool;
}

Test(distinct, sizes_fit_the_subscriber_record)
{
	struct cs_distinct_pool *pool = pool_of(2, 3);

	/* six counters inline: 96 of the record's 256 bytes */
	cr_assert_eq(sizeof(struct cs_distinct), 16);
	cr_assert_eq(CS_DISTINCT_EXACT_SLOT_BYTES, 128); /* 32 fingerprints, two cache lines */
	cr_assert_eq(CS_DISTINCT_REGISTER_BYTES, 24576); /* 2^15 registers x 6 bits */
	cr_assert_eq(CS_DISTINCT_SLOT_BYTES, 24692);
	cr_assert_eq(CS_DISTINCT_SAVED_MAX, 24584);
	cr_assert_eq(cs_distinct_pool_stats(pool)->slots, 3);
	cr_assert_eq(cs_distinct_pool_stats(pool)->in_use, 0);
	cr_assert_eq(cs_distinct_pool_stats(pool)->exact_slots, 2);
	cr_assert_eq(cs_distinct_pool_stats(pool)->exact_in_use, 0);
	cs_distinct_pool_free(pool);
	cr_expect_null(cs_distinct_pool_create(CS_DISTINCT_MAX_EXACT_SLOTS + 1u, 0), "over the index's 23 bits");
}

/* 0..32 items, each added several times and interleaved, counted exactly, one slot at most. */
static void count_exactly_up_to_32(struct cs_distinct_pool *pool)
{
	const struct cs_distinct_pool_stats *st = cs_distinct_pool_stats(pool);

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
		cr_expect_eq(st->in_use + st->exact_in_use, n > CS_DISTINCT_INLINE ? 1u : 0u, "n=%u", n);
		cs_distinct_release(&c, pool);
		cr_expect_eq(st->in_use + st->exact_in_use, 0);
	}
	cr_expect_eq(st->sketches, 0);
	cr_expect_eq(st->promotions_refused, 0);
}

/* With no exact slots (as before the exact tier): a sketch slot holds the exact set of 32. */
Test(distinct, exact_up_to_32_and_duplicates_do_not_count)
{
	struct cs_distinct_pool *pool = pool_of(0, 1);

	count_exactly_up_to_32(pool);
	cr_expect_eq(cs_distinct_pool_stats(pool)->promotions, CS_DISTINCT_EXACT - CS_DISTINCT_INLINE);
	cr_expect_eq(cs_distinct_pool_stats(pool)->exact_refused, CS_DISTINCT_EXACT - CS_DISTINCT_INLINE);
	cs_distinct_pool_free(pool);
}

/* The exact tier: 4..32 items in a 128-byte exact slot, exact, and no sketch slot touched. */
Test(distinct, exact_slot_holds_4_to_32_exactly)
{
	struct cs_distinct_pool *pool = pool_of(1, 0);
	const struct cs_distinct_pool_stats *st = cs_distinct_pool_stats(pool);

	count_exactly_up_to_32(pool);
	cr_expect_eq(st->exact_promotions, CS_DISTINCT_EXACT - CS_DISTINCT_INLINE);
	cr_expect_eq(st->exact_releases, CS_DISTINCT_EXACT - CS_DISTINCT_INLINE);
	cr_expect_eq(st->exact_refused, 0);
	cr_expect_eq(st->promotions, 0);
	cr_expect_eq(st->releases, 0);
	cs_distinct_pool_free(pool);
}

Test(distinct, the_33rd_item_makes_a_sketch)
{
	struct cs_distinct_pool *pool = pool_of(0, 1);
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
	struct cs_distinct_pool *pool = pool_of(1, 1); /* through the exact tier, as a worker counts */
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
	struct cs_distinct_pool *pool = pool_of(1, 1);
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
	struct cs_distinct_pool *pa = pool_of(1, 1), *pb = pool_of(1, 1);
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
	r = merged(0, 3, 0, 32, 1); /* inline inside an exact slot */
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
	struct cs_distinct_pool *pool = pool_of(5, 5);
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
	struct cs_distinct_pool *here = pool_of(1, 1), *there = pool_of(1, 1);

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
	struct cs_distinct_pool *pool = pool_of(0, 0);
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
	struct cs_distinct_pool *pool = pool_of(1, 1);
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
	cr_expect_eq(cs_distinct_pool_stats(pool)->exact_in_use, 0);

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

/* Sketch slots only (no exact tier), as before it: both taken, the third counter saturates. */
Test(distinct, full_pool_saturates_into_a_counted_lower_bound)
{
	struct cs_distinct_pool *pool = pool_of(0, 2);
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
	struct cs_distinct_pool *src_pool = pool_of(1, 1), *empty = pool_of(0, 0);
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
	struct cs_distinct_pool *pool = pool_of(1, 1), *empty = pool_of(0, 0);
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

/* ---- the exact tier ------------------------------------------------------------------------ */

/* The worked examples of the state word in distinct.h. */
Test(distinct, state_words_are_the_documented_layout)
{
	static struct cs_distinct c[1235];
	struct cs_distinct_pool *pool = pool_of(1235, 0);
	struct cs_distinct d;

	/* slots are lent from 0 up: 1234 counters of 4 items take slots 0..1233 */
	for (unsigned int k = 0; k < 1234; k++)
		add_range(&c[k], pool, k, 0, 4);
	cs_distinct_init(&d);
	add_range(&d, pool, 9, 0, 5);
	cr_expect_eq(d.state, 0xc50004d2u, "5 items in exact slot 1234: 0x%08x", d.state);
	cr_expect(d.fp[0] == 0 && d.fp[1] == 0 && d.fp[2] == 0);
	cs_distinct_release(&d, pool);
	for (unsigned int k = 0; k < 1234; k++)
		cs_distinct_release(&c[k], pool);
	cs_distinct_pool_free(pool);

	/* slot 7 of 8, and no sketch slot for the 33rd */
	pool = pool_of(8, 0);
	for (unsigned int k = 0; k < 7; k++)
		add_range(&c[k], pool, k, 0, 4);
	cs_distinct_init(&d);
	add_range(&d, pool, 9, 0, 33);
	cr_expect_eq(d.state, 0xe0800007u, "32 items in exact slot 7, a lower bound: 0x%08x", d.state);
	cr_expect(d.fp[0] == 33 && d.fp[1] == 0 && d.fp[2] == 0, "floor %u", d.fp[0]);
	cs_distinct_release(&d, pool);
	for (unsigned int k = 0; k < 7; k++)
		cs_distinct_release(&c[k], pool);
	cr_expect_eq(cs_distinct_pool_stats(pool)->exact_in_use, 0);
	cs_distinct_pool_free(pool);
}

Test(distinct, the_33rd_item_moves_to_a_sketch_slot_and_frees_the_exact_slot)
{
	struct cs_distinct_pool *pool = pool_of(1, 1);
	const struct cs_distinct_pool_stats *st = cs_distinct_pool_stats(pool);
	struct cs_distinct c, d;
	struct cs_distinct_count r;

	cs_distinct_init(&c);
	add_range(&c, pool, 1, 0, 32);
	cr_expect_eq(st->exact_in_use, 1);
	cr_expect_eq(st->in_use, 0);
	cr_expect_eq(cs_distinct_estimate(&c, pool).quality, CS_DISTINCT_IS_EXACT);

	cs_distinct_add(&c, pool, item(1, 32));
	r = cs_distinct_estimate(&c, pool);
	cr_expect_eq(r.quality, CS_DISTINCT_IS_ESTIMATE);
	cr_expect_eq(r.n, 33);
	cr_expect_eq(st->exact_in_use, 0, "the exact slot went back");
	cr_expect_eq(st->exact_releases, 1);
	cr_expect_eq(st->in_use, 1);
	cr_expect_eq(st->promotions, 1);
	cr_expect_eq(st->sketches, 1);
	/* the sketch is the one counting every item in one sketch slot would give */
	add_range(&c, pool, 1, 0, 33);
	cr_expect_eq(cs_distinct_estimate(&c, pool).n, 33);

	/* and the exact slot serves the next counter */
	cs_distinct_init(&d);
	add_range(&d, pool, 2, 0, 4);
	cr_expect_eq(st->exact_in_use, 1);
	cr_expect_eq(st->exact_refused, 0);
	cs_distinct_release(&c, pool);
	cs_distinct_release(&d, pool);
	cr_expect_eq(st->in_use + st->exact_in_use, 0);
	cs_distinct_pool_free(pool);
}

/* The point of the tier: counters of 4..32 items cost 128 bytes each and no sketch slot. */
Test(distinct, ten_thousand_small_counters_take_no_sketch_slot)
{
	static struct cs_distinct c[10000];
	struct cs_distinct_pool *pool = pool_of(10000, 16);
	const struct cs_distinct_pool_stats *st = cs_distinct_pool_stats(pool);

	for (unsigned int k = 0; k < 10000; k++) {
		cs_distinct_init(&c[k]);
		add_range(&c[k], pool, k, 0, 4 + k % 29); /* 4..32 items */
		add_range(&c[k], pool, k, 0, 4);
	}
	for (unsigned int k = 0; k < 10000; k++) {
		struct cs_distinct_count r = cs_distinct_estimate(&c[k], pool);
		cr_assert_eq(r.n, 4 + k % 29, "counter %u", k);
		cr_assert_eq(r.quality, CS_DISTINCT_IS_EXACT, "counter %u", k);
	}
	cr_expect_eq(st->exact_in_use, 10000);
	cr_expect_eq(st->exact_promotions, 10000);
	cr_expect_eq(st->in_use, 0);
	cr_expect_eq(st->promotions, 0);
	cr_expect_eq(st->exact_refused, 0);
	cr_expect_eq(st->promotions_refused, 0);
	for (unsigned int k = 0; k < 10000; k++)
		cs_distinct_release(&c[k], pool);
	cr_expect_eq(st->exact_in_use, 0);
	cs_distinct_pool_free(pool);
}

Test(distinct, exact_pool_full_falls_back_to_a_sketch_slot)
{
	struct cs_distinct_pool *pool = pool_of(1, 1);
	const struct cs_distinct_pool_stats *st = cs_distinct_pool_stats(pool);
	struct cs_distinct a, b;
	struct cs_distinct_count r;

	cs_distinct_init(&a);
	cs_distinct_init(&b);
	add_range(&a, pool, 1, 0, 4);
	add_range(&b, pool, 2, 0, 20);
	cr_expect_eq(st->exact_in_use, 1);
	cr_expect_eq(st->in_use, 1, "b holds its exact set in a sketch slot");
	cr_expect_eq(st->exact_refused, 1);
	cr_expect_eq(st->promotions, 1);
	r = cs_distinct_estimate(&b, pool);
	cr_expect_eq(r.n, 20);
	cr_expect_eq(r.quality, CS_DISTINCT_IS_EXACT);
	add_range(&b, pool, 2, 0, 1000); /* turns into the sketch in place */
	r = cs_distinct_estimate(&b, pool);
	cr_expect_eq(r.quality, CS_DISTINCT_IS_ESTIMATE);
	cr_expect_leq(rel_error(r.n, 1000), 0.02);
	cr_expect_eq(st->sketches, 1);
	cr_expect_eq(st->promotions, 1, "no second slot");
	cs_distinct_release(&a, pool);
	cs_distinct_release(&b, pool);
	cs_distinct_pool_free(pool);
}

Test(distinct, both_pools_full_give_a_lower_bound_until_a_slot_comes_back)
{
	struct cs_distinct_pool *pool = pool_of(1, 1);
	const struct cs_distinct_pool_stats *st = cs_distinct_pool_stats(pool);
	struct cs_distinct a, b, c;
	struct cs_distinct_count r;

	cs_distinct_init(&a);
	cs_distinct_init(&b);
	cs_distinct_init(&c);
	add_range(&a, pool, 1, 0, 4); /* the exact slot */
	add_range(&b, pool, 2, 0, 4); /* the sketch slot */
	add_range(&c, pool, 3, 0, 4);
	r = cs_distinct_estimate(&c, pool);
	cr_expect_eq(r.n, 4);
	cr_expect_eq(r.quality, CS_DISTINCT_IS_LOWER_BOUND);
	cr_expect_eq(st->exact_refused, 2);
	cr_expect_eq(st->promotions_refused, 1);
	add_range(&c, pool, 3, 0, 3);
	cr_expect_eq(st->items_lost, 0, "the three it holds are known");
	add_range(&c, pool, 3, 4, 14);
	cr_expect_eq(st->items_lost, 10);
	cr_expect_eq(cs_distinct_estimate(&c, pool).n, 4);

	/* the exact slot given back: c moves in, keeps its floor, counts on */
	cs_distinct_release(&a, pool);
	add_range(&c, pool, 3, 14, 20);
	r = cs_distinct_estimate(&c, pool);
	cr_expect_eq(r.quality, CS_DISTINCT_IS_LOWER_BOUND);
	cr_expect_eq(r.n, 9); /* the 3 held, and 14..19 */
	cr_expect_eq(st->exact_in_use, 1);
	cr_expect_eq(st->exact_promotions, 2);
	cs_distinct_release(&b, pool);
	cs_distinct_release(&c, pool);
	cr_expect_eq(st->in_use + st->exact_in_use, 0);
	cs_distinct_pool_free(pool);
}

Test(distinct, no_sketch_slot_at_33_gives_a_lower_bound_of_33_and_retries)
{
	struct cs_distinct_pool *pool = pool_of(2, 1);
	const struct cs_distinct_pool_stats *st = cs_distinct_pool_stats(pool);
	struct cs_distinct big, c;
	struct cs_distinct_count r;

	cs_distinct_init(&big);
	cs_distinct_init(&c);
	add_range(&big, pool, 1, 0, 100); /* holds the only sketch slot */
	add_range(&c, pool, 2, 0, 32);
	cr_expect_eq(cs_distinct_estimate(&c, pool).quality, CS_DISTINCT_IS_EXACT);
	for (uint64_t n = 33; n <= 40; n++) {
		cs_distinct_add(&c, pool, item(2, n - 1));
		r = cs_distinct_estimate(&c, pool);
		cr_expect_eq(r.quality, CS_DISTINCT_IS_LOWER_BOUND, "n=%llu", (unsigned long long)n);
		cr_expect_eq(r.n, 33, "at least 33, never above the %llu seen", (unsigned long long)n);
	}
	cr_expect_eq(st->promotions_refused, 1);
	cr_expect_eq(st->items_lost, 7, "items 34..40");
	add_range(&c, pool, 2, 0, 32); /* the 32 it holds: known, nothing lost, nothing retried */
	cr_expect_eq(st->items_lost, 7);
	cr_expect_eq(st->exact_in_use, 1, "it keeps its exact slot");

	/* the sketch slot given back: the next unknown item takes it, the exact slot goes back */
	cs_distinct_release(&big, pool);
	add_range(&c, pool, 2, 40, 140);
	r = cs_distinct_estimate(&c, pool);
	cr_expect_eq(r.quality, CS_DISTINCT_IS_LOWER_BOUND);
	cr_expect_geq(r.n, 33);
	cr_expect_leq(r.n, 140, "%llu: never above the 140 seen", (unsigned long long)r.n);
	cr_expect_leq(fabs((double)r.n - 132), 3, "the 32 held and 40..139: %llu", (unsigned long long)r.n);
	cr_expect_eq(st->exact_in_use, 0);
	cr_expect_eq(st->in_use, 1);
	cr_expect_eq(st->promotions, 2);
	cs_distinct_release(&c, pool);
	cr_expect_eq(st->in_use + st->exact_in_use, 0);
	cs_distinct_pool_free(pool);
}

Test(distinct, release_returns_the_right_tier)
{
	struct cs_distinct_pool *pool = pool_of(1, 1);
	const struct cs_distinct_pool_stats *st = cs_distinct_pool_stats(pool);
	struct cs_distinct in_exact, in_sketch, saturated, small;

	cs_distinct_init(&in_exact);
	cs_distinct_init(&in_sketch);
	cs_distinct_init(&saturated);
	cs_distinct_init(&small);
	add_range(&in_exact, pool, 1, 0, 5);
	add_range(&in_sketch, pool, 2, 0, 5);
	add_range(&saturated, pool, 3, 0, 5);
	add_range(&small, pool, 4, 0, 2);
	cr_expect_eq(st->exact_in_use, 1);
	cr_expect_eq(st->in_use, 1);

	cs_distinct_release(&in_exact, pool);
	cr_expect_eq(st->exact_in_use, 0);
	cr_expect_eq(st->in_use, 1);
	cr_expect_eq(st->exact_releases, 1);
	cr_expect_eq(st->releases, 0);
	cr_expect_eq(cs_distinct_estimate(&in_exact, pool).n, 0, "released is empty");

	cs_distinct_release(&in_sketch, pool);
	cr_expect_eq(st->in_use, 0);
	cr_expect_eq(st->releases, 1);
	cs_distinct_release(&saturated, pool);
	cs_distinct_release(&small, pool);
	cr_expect_eq(st->exact_releases, 1, "saturated and inline counters hold no slot");
	cr_expect_eq(st->releases, 1);
	cs_distinct_pool_free(pool);
}

Test(distinct, merge_of_exact_slot_counters)
{
	struct cs_distinct_pool *pa = pool_of(2, 1), *pb = pool_of(2, 1), *capped = pool_of(1, 0);
	const struct cs_distinct_pool_stats *sa = cs_distinct_pool_stats(pa);
	struct cs_distinct a, b, c, d;
	struct cs_distinct_count r;

	cs_distinct_init(&a);
	cs_distinct_init(&b);
	cs_distinct_init(&c);
	add_range(&a, pa, 1, 0, 10);
	add_range(&b, pb, 1, 5, 25);
	add_range(&c, pb, 1, 20, 40);
	cr_expect_eq(cs_distinct_pool_stats(pb)->exact_in_use, 2);

	/* a union of at most 32 stays exact, in dst's exact slot */
	cs_distinct_merge(&a, pa, &b, pb);
	r = cs_distinct_estimate(&a, pa);
	cr_expect_eq(r.n, 25);
	cr_expect_eq(r.quality, CS_DISTINCT_IS_EXACT);
	cr_expect_eq(sa->exact_in_use, 1);
	cr_expect_eq(sa->in_use, 0);
	cr_expect_eq(cs_distinct_estimate(&b, pb).n, 20, "src is untouched");

	/* past 32: dst moves to a sketch slot, its exact slot goes back */
	cs_distinct_merge(&a, pa, &c, pb);
	r = cs_distinct_estimate(&a, pa);
	cr_expect_eq(r.quality, CS_DISTINCT_IS_ESTIMATE);
	cr_expect_leq(fabs((double)r.n - 40), 2, "%llu", (unsigned long long)r.n);
	cr_expect_eq(sa->exact_in_use, 0);
	cr_expect_eq(sa->in_use, 1);

	/* past 32 with no sketch slot: a lower bound, at least 33, not above the union */
	cs_distinct_init(&d);
	add_range(&d, capped, 1, 0, 20);
	cs_distinct_merge(&d, capped, &c, pb); /* 0..40 */
	r = cs_distinct_estimate(&d, capped);
	cr_expect_eq(r.quality, CS_DISTINCT_IS_LOWER_BOUND);
	cr_expect_eq(r.n, 33);
	cr_expect_eq(cs_distinct_pool_stats(capped)->promotions_refused, 1);
	/* and a sketch merged into it keeps the larger side as its floor */
	cs_distinct_merge(&d, capped, &a, pa);
	r = cs_distinct_estimate(&d, capped);
	cr_expect_eq(r.quality, CS_DISTINCT_IS_LOWER_BOUND);
	cr_expect_eq(r.n, cs_distinct_estimate(&a, pa).n);

	cs_distinct_release(&a, pa);
	cs_distinct_release(&b, pb);
	cs_distinct_release(&c, pb);
	cs_distinct_release(&d, capped);
	cs_distinct_pool_free(pa);
	cs_distinct_pool_free(pb);
	cs_distinct_pool_free(capped);
}

/*
 * A set saved from an exact slot is byte for byte what the same set saved
 * from a sketch slot (before the exact tier) was, and loads back into an
 * exact slot when one is free, or a sketch slot when not.
 */
Test(distinct, saved_sets_are_the_same_bytes_through_the_exact_tier)
{
	static const uint64_t sizes[] = { 4, 5, 17, 31, 32 };
	struct cs_distinct_pool *exact = pool_of(1, 0), *sketch = pool_of(0, 1);

	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		uint8_t before[CS_DISTINCT_SAVED_MAX], now[CS_DISTINCT_SAVED_MAX], again[CS_DISTINCT_SAVED_MAX];
		struct cs_distinct old, c, d;
		size_t len;

		cs_distinct_init(&old);
		cs_distinct_init(&c);
		add_range(&old, sketch, 5, 0, sizes[k]);
		add_range(&c, exact, 5, 0, sizes[k]);
		add_range(&c, exact, 5, 0, sizes[k]);
		cr_assert_eq(cs_distinct_pool_stats(sketch)->in_use, 1);
		cr_assert_eq(cs_distinct_pool_stats(exact)->exact_in_use, 1);
		len = save(&old, sketch, before);
		cr_expect_eq(len, 9 + 4 * sizes[k]);
		cr_expect_eq(save(&c, exact, now), len);
		cr_expect(memcmp(before, now, len) == 0, "n=%llu", (unsigned long long)sizes[k]);
		cs_distinct_release(&old, sketch);
		cs_distinct_release(&c, exact);

		/* loaded into an exact slot, then into a sketch slot: the same bytes out */
		cr_assert_eq(cs_distinct_load(&d, exact, now, len), 0);
		cr_expect_eq(cs_distinct_pool_stats(exact)->exact_in_use, 1, "a set of 4..32 loads into an exact slot");
		cr_expect_eq(cs_distinct_estimate(&d, exact).n, sizes[k]);
		cr_expect_eq(save(&d, exact, again), len);
		cr_expect(memcmp(again, before, len) == 0);
		cs_distinct_release(&d, exact);
		cr_assert_eq(cs_distinct_load(&d, sketch, now, len), 0);
		cr_expect_eq(cs_distinct_pool_stats(sketch)->in_use, 1);
		cr_expect_eq(save(&d, sketch, again), len);
		cr_expect(memcmp(again, before, len) == 0);
		cs_distinct_release(&d, sketch);
	}
	cs_distinct_pool_free(exact);
	cs_distinct_pool_free(sketch);
}

/* The lower bound of an exact slot that found no sketch slot survives a round trip. */
Test(distinct, a_lower_bound_in_an_exact_slot_round_trips)
{
	/* the documented set layout: 32 fingerprints, the lower-bound flag, floor 33 */
	struct cs_distinct_pool *pool = pool_of(1, 0), *there = pool_of(2, 0);
	uint8_t buf[CS_DISTINCT_SAVED_MAX], again[CS_DISTINCT_SAVED_MAX];
	struct cs_distinct c, d;
	struct cs_distinct_count r;
	size_t len;

	cs_distinct_init(&c);
	add_range(&c, pool, 6, 0, 40);
	len = save(&c, pool, buf);
	cr_expect_eq(len, 9 + 4 * 32);
	cr_expect_eq(buf[1], 0, "kind: set");
	cr_expect_eq(buf[2], 1, "flags: lower bound");
	cr_expect(buf[4] == 33 && buf[5] == 0 && buf[6] == 0 && buf[7] == 0, "floor 33");
	cr_expect_eq(buf[8], 32);
	cr_assert_eq(cs_distinct_load(&d, there, buf, len), 0);
	r = cs_distinct_estimate(&d, there);
	cr_expect_eq(r.n, 33);
	cr_expect_eq(r.quality, CS_DISTINCT_IS_LOWER_BOUND);
	cr_expect_eq(cs_distinct_pool_stats(there)->exact_in_use, 1);
	cr_expect_eq(save(&d, there, again), len);
	cr_expect(memcmp(buf, again, len) == 0);
	cs_distinct_release(&c, pool);
	cs_distinct_release(&d, there);
	cs_distinct_pool_free(pool);
	cs_distinct_pool_free(there);
}
