/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "subscriber_table.h"

enum { RECORD = 192 };

struct record {
	cs_digits imsi; /* the table's: first 8 bytes */
	uint64_t touches;
	uint8_t rest[RECORD - 16];
};

static cs_digits imsi_n(uint64_t n)
{
	char s[16];

	snprintf(s, sizeof(s), "%015llu", (unsigned long long)(n % 1000000000000000ull));
	return cs_digits_from_ascii(s, 15);
}

static uint64_t rng = 42;

static uint64_t next_random(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

Test(subscriber_table, insert_find_remove)
{
	struct cs_subscriber_table *t = cs_subscriber_table_create(100, RECORD);
	int created;

	cr_assert_not_null(t);
	for (uint64_t n = 0; n < 100; n++) {
		struct record *r = cs_subscriber_get(t, imsi_n(n), &created, NULL, NULL);
		cr_assert(created);
		cr_assert_eq(r->imsi, imsi_n(n));
		r->touches = n;
	}
	for (uint64_t n = 0; n < 100; n++) {
		struct record *r = cs_subscriber_find(t, imsi_n(n));
		cr_assert_not_null(r, "imsi %llu", (unsigned long long)n);
		cr_expect_eq(r->touches, n);
		cr_assert_eq(cs_subscriber_get(t, imsi_n(n), &created, NULL, NULL), r);
		cr_expect_not(created);
	}
	cr_expect_null(cs_subscriber_find(t, imsi_n(100)));
	for (uint64_t n = 0; n < 100; n += 2)
		cs_subscriber_remove(t, imsi_n(n));
	for (uint64_t n = 0; n < 100; n++)
		cr_expect_eq(cs_subscriber_find(t, imsi_n(n)) != NULL, n % 2 == 1, "imsi %llu after removals",
			     (unsigned long long)n);
	struct cs_subscriber_table_stats st;
	cs_subscriber_table_stats(t, &st);
	cr_expect_eq(st.active, 50);
	cr_expect_eq(st.evictions, 0);
	cs_subscriber_table_free(t);
}

/* Random inserts and removals against a plain reference set: the table never loses or invents a record. */
Test(subscriber_table, agrees_with_a_reference_model)
{
	enum { CAP = 4096, KEYS = 3000, OPS = 200000 };
	struct cs_subscriber_table *t = cs_subscriber_table_create(CAP, RECORD);
	static uint8_t present[KEYS];
	int created;

	for (int op = 0; op < OPS; op++) {
		uint64_t k = next_random() % KEYS;
		if (next_random() % 3 == 0) {
			cs_subscriber_remove(t, imsi_n(k));
			present[k] = 0;
		} else {
			struct record *r = cs_subscriber_get(t, imsi_n(k), &created, NULL, NULL);
			cr_assert_eq(created, !present[k], "op %d key %llu", op, (unsigned long long)k);
			present[k] = 1;
			r->touches++;
		}
	}
	uint32_t expected = 0;
	for (uint64_t k = 0; k < KEYS; k++) {
		expected += present[k];
		cr_assert_eq(cs_subscriber_find(t, imsi_n(k)) != NULL, present[k], "key %llu", (unsigned long long)k);
	}
	struct cs_subscriber_table_stats st;
	cs_subscriber_table_stats(t, &st);
	cr_expect_eq(st.active, expected);
	cs_subscriber_table_free(t);
}

static void count_eviction(void *record, void *arg)
{
	(void)record;
	(*(uint64_t *)arg)++;
}

/*
 * A flood of ten times capacity random IMSIs: the table stays at its size,
 * counts every eviction, and the subscribers that keep being active
 * (touched between flood arrivals) survive it.
 */
Test(subscriber_table, flood_of_random_imsis_costs_evictions_not_memory)
{
	enum { CAP = 10000, HOT = 50 };
	struct cs_subscriber_table *t = cs_subscriber_table_create(CAP, RECORD);
	size_t bytes = cs_subscriber_table_bytes(t);
	uint64_t evicted = 0;
	int created;

	/* first lap: the table fills, and the hand's first sweep finds every bit set */
	for (uint64_t n = 0; n < CAP; n++) {
		cs_subscriber_get(t, imsi_n(next_random()), &created, count_eviction, &evicted);
		cs_subscriber_get(t, imsi_n(999000000000000ull + n % HOT), &created, count_eviction, &evicted);
	}
	/* from then on, subscribers active between two passes of the hand are never the victim */
	for (uint64_t n = 0; n < 9ull * CAP; n++) {
		cs_subscriber_get(t, imsi_n(next_random()), &created, count_eviction, &evicted);
		cr_assert_not_null(cs_subscriber_find(t, imsi_n(999000000000000ull + n % HOT)), "hot subscriber %llu evicted",
				   (unsigned long long)(n % HOT));
	}
	struct cs_subscriber_table_stats st;
	cs_subscriber_table_stats(t, &st);
	cr_expect_eq(st.active, CAP);
	cr_expect_eq(st.evictions, evicted);
	cr_expect_eq(st.evictions, st.inserts - CAP);
	cr_expect_geq(st.evictions, 9ull * CAP, "the flood went through evictions");
	cr_expect_eq(cs_subscriber_table_bytes(t), bytes, "memory is fixed at creation");
	cs_subscriber_table_free(t);
}

Test(subscriber_table, memory_per_subscriber)
{
	struct cs_subscriber_table *t = cs_subscriber_table_create(1000000, RECORD);
	double per = (double)cs_subscriber_table_bytes(t) / 1000000.0;

	/* index: 8 bytes a bucket, 4/3 buckets a subscriber; a 4-byte free-slot entry and a CLOCK byte */
	cr_expect_leq(per, RECORD + 8.0 * 4 / 3 + 5.01, "%.1f bytes a subscriber", per);
	cs_subscriber_table_free(t);
	cr_expect_null(cs_subscriber_table_create(0, RECORD));
	cr_expect_null(cs_subscriber_table_create(10, 4));
}

/* Restore fills what fits and evicts nothing: a full table refuses a newcomer, keeps finding its own. */
Test(subscriber_table, get_if_room_never_evicts)
{
	struct cs_subscriber_table *t = cs_subscriber_table_create(4, 16);
	struct cs_subscriber_table_stats st;
	int created;

	cr_assert_not_null(t);
	for (uint64_t i = 0; i < 4; i++) {
		cr_assert_not_null(cs_subscriber_get_if_room(t, imsi_n(i), &created));
		cr_expect_eq(created, 1);
	}
	cr_expect_null(cs_subscriber_get_if_room(t, imsi_n(4), &created), "full: no room for a fifth");
	cr_expect_eq(created, 0);
	cr_expect_not_null(cs_subscriber_get_if_room(t, imsi_n(2), &created), "one already in is found");
	cr_expect_eq(created, 0);
	cs_subscriber_table_stats(t, &st);
	cr_expect_eq(st.evictions, 0);
	cr_expect_eq(st.active, 4);
	cs_subscriber_table_free(t);
}
