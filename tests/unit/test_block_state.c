/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "block_state.h"
#include "subscriber_table.h"
#include "window.h"

#define S CS_WINDOW_NS_PER_S
#define MIN (60ull * S)
#define HOUR CS_WINDOW_1H_NS
/* 2026-01-05T00:00:00Z: the start of a day bucket, so of an hour and a 10-minute bucket too */
static const uint64_t T0 = 20458ull * 86400ull * S;

static cs_digits d(const char *s)
{
	return cs_digits_from_ascii(s, strlen(s));
}

static struct cs_block_conf conf_k(unsigned int k)
{
	struct cs_block_conf c;

	cs_block_conf_default(&c);
	c.suffix_digits = (uint8_t)k;
	return c;
}

/* A zeroed record of exactly the size the table would give it (so the sanitizers see any overrun). */
static struct cs_block *new_block(unsigned int k)
{
	struct cs_block *b = calloc(1, cs_block_record_size(k));

	cr_assert_not_null(b);
	return b;
}

static struct cs_block_view read_at(const struct cs_block *b, const struct cs_block_conf *c, uint64_t t)
{
	struct cs_block_view v;

	cs_block_read(b, c, t, &v);
	return v;
}

static void expect_key(const char *msisdn, unsigned int k, const char *prefix, uint32_t suffix)
{
	uint32_t got = 99999;
	cs_digits p = cs_block_key(d(msisdn), k, &got);

	cr_expect_eq(p, d(prefix), "%s, k=%u: prefix %016llx, want %s", msisdn, k, (unsigned long long)p, prefix);
	cr_expect_eq(got, suffix, "%s, k=%u: suffix %u, want %u", msisdn, k, got, suffix);
}

static void expect_no_key(cs_digits msisdn, unsigned int k)
{
	uint32_t got = 99999;

	cr_expect_eq(cs_block_key(msisdn, k, &got), CS_DIGITS_NONE, "%016llx, k=%u has no block",
		     (unsigned long long)msisdn, k);
	cr_expect_eq(got, 0);
}

Test(block_state, key_splits_prefix_and_suffix)
{
	expect_key("447700900123", 3, "447700900", 123);
	expect_key("447700900123", 1, "44770090012", 3);
	expect_key("447700900123", 2, "4477009001", 23);
	expect_key("447700900123", 4, "44770090", 123);
	expect_key("447700900007", 3, "447700900", 7);
	expect_key("447700900000", 4, "44770090", 0);
	expect_key("0000", 3, "0", 0);
	expect_key("1234", 3, "1", 234);
	expect_key("1234567890123456", 4, "123456789012", 3456);
	cr_expect_eq(cs_block_key(d("447700900123"), 3, &(uint32_t){ 0 }), UINT64_C(0x447700900FFFFFFF));
}

Test(block_state, too_short_or_bad_numbers_have_no_block)
{
	expect_no_key(d("123"), 3);
	expect_no_key(d("12"), 3);
	expect_no_key(d("1"), 1);
	expect_no_key(d("1234"), 4);
	expect_no_key(CS_DIGITS_NONE, 3);
	expect_no_key(d("447700900123"), 0);
	expect_no_key(d("447700900123"), 5);
	/* a nibble that is not a digit in the suffix */
	expect_no_key(UINT64_C(0x12A4FFFFFFFFFFFF), 2);
	/* numbers of different lengths head different blocks */
	uint32_t s;
	cr_expect_neq(cs_block_key(d("4477009001234"), 3, &s), cs_block_key(d("447700900123"), 3, &s));
}

Test(block_state, member_keeps_leading_zeros)
{
	cs_digits p = d("447700900");

	cr_expect_eq(cs_block_member(p, 3, 7), d("447700900007"));
	cr_expect_eq(cs_block_member(p, 3, 0), d("447700900000"));
	cr_expect_eq(cs_block_member(p, 3, 999), d("447700900999"));
	cr_expect_eq(cs_block_member(p, 4, 42), d("4477009000042"));
	cr_expect_eq(cs_block_member(p, 1, 9), d("4477009009"));
	cr_expect_eq(cs_block_member(p, 3, 1000), CS_DIGITS_NONE, "1000 is not 3 digits");
	cr_expect_eq(cs_block_member(p, 0, 0), CS_DIGITS_NONE);
	cr_expect_eq(cs_block_member(p, 5, 0), CS_DIGITS_NONE);
	cr_expect_eq(cs_block_member(CS_DIGITS_NONE, 3, 7), CS_DIGITS_NONE);
	cr_expect_eq(cs_block_member(d("12345678901234"), 3, 7), CS_DIGITS_NONE, "17 digits");
	cr_expect_eq(cs_block_member(d("123456789012"), 4, 7), d("1234567890120007"), "16 digits");
}

/* Every length and k: member(key(n)) == n, for suffixes with leading zeros, zero and the largest. */
Test(block_state, key_and_member_round_trip)
{
	static const char digits[] = "9876543210123456";
	static const uint32_t suffixes[] = { 0, 1, 7, 10, 42, 99, 100, 305, 999, 1000, 4096, 9999 };
	unsigned int checked = 0;

	for (unsigned int k = CS_BLOCK_SUFFIX_MIN; k <= CS_BLOCK_SUFFIX_MAX; k++) {
		for (unsigned int n = k + 1; n <= CS_DIGITS_MAX; n++) {
			for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
				char s[32]; /* n <= 16 digits; sized for what the compiler cannot bound */
				uint32_t suffix = suffixes[i], got;

				if (suffix >= (k == 1 ? 10u : k == 2 ? 100u : k == 3 ? 1000u : 10000u))
					continue;
				snprintf(s, sizeof(s), "%.*s%0*u", (int)(n - k), digits, (int)k, suffix);
				cs_digits number = d(s);
				cs_digits prefix = cs_block_key(number, k, &got);

				cr_assert_eq(got, suffix, "%s, k=%u", s, k);
				cr_assert_eq(cs_digits_len(prefix), n - k, "%s, k=%u", s, k);
				cr_assert_eq(cs_block_member(prefix, k, got), number, "%s, k=%u", s, k);
				checked++;
			}
		}
	}
	cr_expect_gt(checked, 300);
}

Test(block_state, record_sizes)
{
	cr_expect_eq(cs_block_record_size(1), 240);
	cr_expect_eq(cs_block_record_size(2), 248);
	cr_expect_eq(cs_block_record_size(3), 360);
	cr_expect_eq(cs_block_record_size(4), 1488);
	cr_expect_eq(cs_block_record_size(0), 0);
	cr_expect_eq(cs_block_record_size(5), 0);
	for (unsigned int k = 1; k <= 4; k++)
		cr_expect_eq(cs_block_record_size(k) % 8, 0, "records stay 8-aligned in the table");
}

Test(block_state, conf_default_and_checks)
{
	struct cs_block_conf c;

	cs_block_conf_default(&c);
	cr_expect_eq(c.short_ns, CS_WINDOW_10MIN_NS);
	cr_expect_eq(c.hour_ns, CS_WINDOW_1H_NS);
	cr_expect_eq(c.day_ns, CS_WINDOW_24H_NS);
	cr_expect_eq(c.suffix_digits, 3);
	cr_expect(cs_block_conf_valid(&c));
	c.suffix_digits = 0;
	cr_expect_not(cs_block_conf_valid(&c));
	c.suffix_digits = 5;
	cr_expect_not(cs_block_conf_valid(&c));
	cs_block_conf_default(&c);
	c.hour_ns = 0;
	cr_expect_not(cs_block_conf_valid(&c));
}

/* The same number twice is one first activation; its later activity only moves last_seen. */
Test(block_state, first_activation_counts_once)
{
	struct cs_block_conf c = conf_k(3);
	struct cs_block *b = new_block(3);

	cr_expect(cs_block_on_active(b, &c, 123, T0 + MIN));
	cr_expect_not(cs_block_on_active(b, &c, 123, T0 + 2 * MIN));
	cr_expect_not(cs_block_on_active(b, &c, 123, T0 + 3 * MIN));
	cr_expect(cs_block_is_known(b, &c, 123));
	cr_expect_not(cs_block_is_known(b, &c, 124));

	struct cs_block_view v = read_at(b, &c, T0 + 5 * MIN);
	cr_expect_eq(v.short_new, 1);
	cr_expect_eq(v.hour_new, 1);
	cr_expect_eq(v.day_new, 1);
	cr_expect_eq(v.ever, 1);
	cr_expect_eq(v.n_recent, 1);
	cr_expect_eq(v.recent[0].suffix, 123);
	cr_expect_eq(v.recent[0].ts_s, (T0 + MIN) / S);
	cr_expect_eq(v.last_seen_s, (T0 + 3 * MIN) / S);
	free(b);
}

/* numblock.batch: 25 numbers of one block switched on within the hour, listed newest first. */
Test(block_state, a_batch_of_25_in_one_hour)
{
	struct cs_block_conf c = conf_k(3);
	struct cs_block *b = new_block(3);

	for (uint32_t i = 0; i < 25; i++)
		cr_expect(cs_block_on_active(b, &c, 500 + i, T0 + i * MIN));

	struct cs_block_view v = read_at(b, &c, T0 + 25 * MIN);
	cr_expect_eq(v.hour_new, 25);
	cr_expect_eq(v.day_new, 25);
	/* 10-min buckets: cur = minutes 20..24 (5), prev = minutes 10..19 (10) at half weight */
	cr_expect_eq(v.short_new, 10);
	cr_expect_eq(v.ever, 25);
	cr_expect_eq(v.n_recent, 25);
	cr_expect_eq(v.recent_in_hour, 25);
	for (uint32_t j = 0; j < 25; j++) {
		cr_expect_eq(v.recent[j].suffix, 524 - j, "entry %u", j);
		cr_expect_eq(v.recent[j].ts_s, (T0 + (24 - j) * MIN) / S, "entry %u", j);
	}

	/* 70 minutes after the first: minutes 0..10 are an hour or more old ((t - 1 h, t]), the reader sees 14 */
	v = read_at(b, &c, T0 + 70 * MIN);
	cr_expect_eq(v.n_recent, 25);
	cr_expect_eq(v.recent_in_hour, 14);
	cr_expect_eq(v.recent[13].suffix, 511);
	free(b);
}

/* Long memory restored at start: those numbers are not new, and are not counted in the windows. */
Test(block_state, known_numbers_are_not_new)
{
	struct cs_block_conf c = conf_k(3);
	struct cs_block *b = new_block(3);

	for (uint32_t i = 0; i < 10; i++)
		cr_expect(cs_block_mark_known(b, &c, i));
	cr_expect_not(cs_block_mark_known(b, &c, 3), "already known");

	struct cs_block_view v = read_at(b, &c, T0);
	cr_expect_eq(v.ever, 10);
	cr_expect_eq(v.hour_new, 0);
	cr_expect_eq(v.n_recent, 0);

	for (uint32_t i = 0; i < 12; i++)
		cs_block_on_active(b, &c, i, T0 + i * S);
	v = read_at(b, &c, T0 + MIN);
	cr_expect_eq(v.hour_new, 2, "only 10 and 11 are new");
	cr_expect_eq(v.ever, 12);
	cr_expect_eq(v.n_recent, 2);
	cr_expect_eq(v.recent[0].suffix, 11);
	cr_expect_eq(v.recent[1].suffix, 10);
	cr_expect_not(cs_block_mark_known(b, &c, 11), "an activated number is known");
	cr_expect_eq(read_at(b, &c, T0 + MIN).ever, 12);
	free(b);
}

/* Across an hour boundary the previous hour's first activations fade out of the hour window, not the day's. */
Test(block_state, the_previous_hour_fades)
{
	struct cs_block_conf c = conf_k(3);
	struct cs_block *b = new_block(3);

	for (uint32_t i = 0; i < 20; i++)
		cs_block_on_active(b, &c, i, T0 + 30 * MIN + i * S);
	cr_expect_eq(read_at(b, &c, T0 + HOUR - 1).hour_new, 20);
	cr_expect_eq(read_at(b, &c, T0 + HOUR + 15 * MIN).hour_new, 15, "20 x 45/60");
	cr_expect_eq(read_at(b, &c, T0 + HOUR + 30 * MIN).hour_new, 10, "20 x 30/60");

	cs_block_on_active(b, &c, 100, T0 + HOUR + 30 * MIN);
	cr_expect_eq(read_at(b, &c, T0 + HOUR + 30 * MIN).hour_new, 11, "1 + 20 x 30/60");
	cr_expect_eq(read_at(b, &c, T0 + 2 * HOUR).hour_new, 1, "the second hour's 1, faded from its start");
	cr_expect_eq(read_at(b, &c, T0 + 3 * HOUR).hour_new, 0);
	cr_expect_eq(read_at(b, &c, T0 + 3 * HOUR).day_new, 21);
	cr_expect_eq(read_at(b, &c, T0 + 3 * HOUR).short_new, 0);
	free(b);
}

/* More first activations than the ring holds: the newest 32 stay. */
Test(block_state, the_ring_keeps_the_newest)
{
	struct cs_block_conf c = conf_k(3);
	struct cs_block *b = new_block(3);

	for (uint32_t i = 0; i < 40; i++)
		cr_expect(cs_block_on_active(b, &c, 900 + i, T0 + i * S));

	struct cs_block_view v = read_at(b, &c, T0 + MIN);
	cr_expect_eq(v.ever, 40);
	cr_expect_eq(v.hour_new, 40);
	cr_expect_eq(v.n_recent, CS_BLOCK_RING);
	cr_expect_eq(v.recent_in_hour, CS_BLOCK_RING);
	for (uint32_t j = 0; j < CS_BLOCK_RING; j++)
		cr_expect_eq(v.recent[j].suffix, 939 - j, "entry %u", j);
	free(b);
}

/* The view sorts by event time, so a late event takes its place and the in-hour entries stay a prefix. */
Test(block_state, late_events_are_listed_in_time_order)
{
	struct cs_block_conf c = conf_k(3);
	struct cs_block *b = new_block(3);

	cs_block_on_active(b, &c, 1, T0 + 100 * S);
	cs_block_on_active(b, &c, 2, T0 + 200 * S);
	cs_block_on_active(b, &c, 3, T0 + 50 * S); /* late */
	cs_block_on_active(b, &c, 4, T0 + 200 * S); /* same second as 2, arrived later */

	struct cs_block_view v = read_at(b, &c, T0 + HOUR + 150 * S);
	cr_expect_eq(v.n_recent, 4);
	cr_expect_eq(v.recent[0].suffix, 4);
	cr_expect_eq(v.recent[1].suffix, 2);
	cr_expect_eq(v.recent[2].suffix, 1);
	cr_expect_eq(v.recent[3].suffix, 3);
	cr_expect_eq(v.recent_in_hour, 2, "100 s and 50 s are more than an hour before 3750 s");
	cr_expect_eq(v.last_seen_s, (T0 + 200 * S) / S, "a late event does not move last_seen back");
	free(b);
}

/* k = 1: ten numbers a block; k = 4: ten thousand, the last bit at the record's very end. */
Test(block_state, one_and_four_suffix_digits)
{
	struct cs_block_conf c1 = conf_k(1), c4 = conf_k(4);
	struct cs_block *b1 = new_block(1), *b4 = new_block(4);

	for (uint32_t i = 0; i < 10; i++)
		cr_expect(cs_block_on_active(b1, &c1, i, T0 + i * S));
	cr_expect_not(cs_block_on_active(b1, &c1, 10, T0 + MIN));
	cr_expect_eq(read_at(b1, &c1, T0 + MIN).ever, 10);
	cr_expect_eq(read_at(b1, &c1, T0 + MIN).hour_new, 10);

	cr_expect(cs_block_on_active(b4, &c4, 9999, T0));
	cr_expect(cs_block_on_active(b4, &c4, 0, T0));
	cr_expect(cs_block_on_active(b4, &c4, 5000, T0));
	cr_expect_not(cs_block_on_active(b4, &c4, 9999, T0 + S));
	cr_expect_not(cs_block_on_active(b4, &c4, 10000, T0));
	cr_expect(cs_block_is_known(b4, &c4, 9999));
	cr_expect(b4->bitmap[9999 / 64] >> (9999 % 64) & 1);
	cr_expect_eq((size_t)((const char *)&b4->bitmap[9999 / 64] - (const char *)b4) + 8, cs_block_record_size(4),
		     "suffix 9999 is in the record's last word");

	struct cs_block_view v = read_at(b4, &c4, T0 + S);
	cr_expect_eq(v.ever, 3);
	cr_expect_eq(v.recent[2].suffix, 9999);
	cr_expect_eq(cs_block_member(d("44770090"), 4, v.recent[2].suffix), d("447700909999"));
	free(b1);
	free(b4);
}

/* A suffix outside the block, or a configuration with no valid k, touches nothing. */
Test(block_state, out_of_range_suffixes_are_refused)
{
	struct cs_block_conf c = conf_k(3), c0 = conf_k(0), c5 = conf_k(5);
	size_t size = cs_block_record_size(3);
	struct cs_block *b = new_block(3);
	unsigned char *before = malloc(size);
	static const uint32_t bad[] = { 1000, 1023, 1024, 65535, 65536, UINT32_MAX };

	cr_assert_not_null(before);
	cs_block_on_active(b, &c, 5, T0);
	memcpy(before, b, size);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_expect_not(cs_block_on_active(b, &c, bad[i], T0 + HOUR), "suffix %u", bad[i]);
		cr_expect_not(cs_block_mark_known(b, &c, bad[i]), "suffix %u", bad[i]);
		cr_expect_not(cs_block_is_known(b, &c, bad[i]), "suffix %u", bad[i]);
	}
	cr_expect_not(cs_block_on_active(b, &c0, 0, T0 + HOUR));
	cr_expect_not(cs_block_on_active(b, &c5, 0, T0 + HOUR));
	cr_expect_not(cs_block_mark_known(b, &c5, 0));
	cr_expect_eq(memcmp(before, b, size), 0, "the record is unchanged");
	free(before);
	free(b);
}

/* Blocks live in a subscriber table keyed by their prefix: the table writes the key, the record holds the rest. */
Test(block_state, blocks_as_table_records)
{
	struct cs_block_conf c = conf_k(3);
	struct cs_subscriber_table *t = cs_subscriber_table_create(16, (uint32_t)cs_block_record_size(3));
	char s[CS_DIGITS_STR];

	cr_assert_not_null(t);
	for (uint32_t i = 0; i < 30; i++) {
		uint32_t suffix;
		int created;

		snprintf(s, sizeof(s), "44770090%04u", 3000 + i * 37);
		cs_digits prefix = cs_block_key(d(s), c.suffix_digits, &suffix);
		struct cs_block *b = cs_subscriber_get(t, prefix, &created, NULL, NULL);

		cr_assert_not_null(b);
		cr_expect_eq(b->prefix, prefix);
		cs_block_on_active(b, &c, suffix, T0 + i * S);
	}

	struct cs_block *b = cs_subscriber_find(t, d("447700903"));
	cr_assert_not_null(b);
	struct cs_block_view v = read_at(b, &c, T0 + MIN);
	cr_expect_eq(v.ever, 28, "3000..4073 in steps of 37: 28 numbers below 4000");
	cr_expect_eq(cs_block_member(b->prefix, 3, v.recent[0].suffix), d("447700903999"));
	cs_subscriber_table_free(t);
}
