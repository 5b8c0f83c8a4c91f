/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "subscriber_state.h"
#include "subscriber_table.h"

static const uint64_t S = 1000000000ull;
/* 2026-01-05T08:00:00Z: the start of an hour bucket and not of a day bucket */
static const uint64_t T0 = 1767600000ull * 1000000000ull;

static struct cs_state_ctx x;

static void make_ctx(void)
{
	cs_state_conf_default(&x.conf);
	x.pool = cs_distinct_pool_create(64, 64);
	x.too_old = 0;
	cr_assert_not_null(x.pool);
}

static void free_ctx(void)
{
	cs_distinct_pool_free(x.pool);
}

TestSuite(subscriber_state, .init = make_ctx, .fini = free_ctx);

static cs_digits number(unsigned long n)
{
	char s[16];

	snprintf(s, sizeof(s), "861380013%04lu", n % 10000);
	return cs_digits_from_ascii(s, 13);
}

/* The SIM-box profile of the rules: many short MO calls to many numbers, no MT, no data, one cell. */
Test(subscriber_state, a_simbox_hour)
{
	struct cs_subscriber s = { .imsi = 1 };
	struct cs_state_view v;

	cs_state_on_identity(&x, &s, number(1), cs_digits_from_ascii("353325108224654", 15), 74503, 6, T0);
	for (unsigned int k = 0; k < 35; k++)
		cs_state_on_call(&x, &s, true, number(100 + k % 30), true, 40, T0 + k * 90 * S);
	cs_state_read(&x, &s, T0 + 3599 * S, &v);
	cr_expect_eq(v.hourly[CS_H_MO_CALLS], 35);
	cr_expect_eq(v.hourly[CS_H_MO_ANSWERED], 35);
	cr_expect_eq(v.hourly[CS_H_SHORT_CALLS], 35, "40 s is under the 60 s short-call limit");
	cr_expect_eq(v.hourly[CS_H_CALL_SECONDS], 35 * 40);
	cr_expect_eq(v.hourly[CS_H_MT_CALLS], 0);
	cr_expect_eq(v.distinct[CS_D_CALLEES], 30);
	cr_expect_eq(v.distinct[CS_D_CELLS], 1);
	cr_expect_eq(v.distinct[CS_D_IMEIS], 1);
	cr_expect_eq(v.mo_calls_day, 35);
	cr_expect_eq(s.last_mo_s, (uint32_t)((T0 + 34 * 90 * S) / S));
	cr_expect_eq(s.first_seen_s, (uint32_t)(T0 / S));
	cr_expect_not(s.flags & CS_STATE_SEEN_DATA);
	/* half an hour into the next hour, half of that hour still counts */
	cs_state_read(&x, &s, T0 + 5400 * S, &v);
	cr_expect_eq(v.hourly[CS_H_MO_CALLS], 18, "35 x 1/2, rounded: the two-bucket estimate");
	cr_expect_eq(v.distinct[CS_D_CALLEES], 15);
	cs_state_release(&x, &s);
}

/*
 * Distinct counts tumble per bucket and carry the previous bucket's
 * estimate: the same 10 contacts on both sides of an hour edge count at
 * most twice, never less than what the current bucket saw.
 */
Test(subscriber_state, windowed_distinct_counts_err_upward_by_the_overlap)
{
	struct cs_subscriber s = { .imsi = 2 };
	struct cs_state_view v;

	for (unsigned int k = 0; k < 10; k++)
		cs_state_on_call(&x, &s, true, number(k), false, 0, T0 + 3000 * S + k * S);
	for (unsigned int k = 0; k < 10; k++)
		cs_state_on_call(&x, &s, true, number(k), false, 0, T0 + 3600 * S + 60 * S + k * S);
	cs_state_read(&x, &s, T0 + 3600 * S + 120 * S, &v);
	cr_expect_geq(v.distinct[CS_D_CALLEES], 10);
	cr_expect_leq(v.distinct[CS_D_CALLEES], 20);
	cr_expect_eq(v.distinct[CS_D_CALLEES], 10 + (10 * (3600 - 120) + 1800) / 3600);
	/* a day later nothing of it is left */
	cs_state_read(&x, &s, T0 + 3 * 3600 * S, &v);
	cr_expect_eq(v.distinct[CS_D_CALLEES], 0);
	cs_state_release(&x, &s);
}

/* A code-receiving card: MT SMS from short codes and named senders, counted apart from the rest. */
Test(subscriber_state, short_code_and_named_senders)
{
	struct cs_subscriber s = { .imsi = 3 };
	struct cs_state_view v;

	for (unsigned int k = 0; k < 12; k++) {
		char code[8];
		snprintf(code, sizeof(code), "1069%u", k);
		cs_state_on_sms(&x, &s, false, cs_digits_from_ascii(code, strlen(code)), NULL, true, T0 + k * 60 * S);
	}
	cs_state_on_sms(&x, &s, false, CS_DIGITS_NONE, "BANK", false, T0 + 900 * S);
	cs_state_on_sms(&x, &s, false, CS_DIGITS_NONE, "BANK", false, T0 + 901 * S);
	cs_state_on_sms(&x, &s, false, number(7), NULL, false, T0 + 902 * S); /* a person: not a short code */
	cs_state_read(&x, &s, T0 + 1000 * S, &v);
	cr_expect_eq(v.hourly[CS_H_MT_SMS], 15);
	cr_expect_eq(v.distinct[CS_D_SHORTCODE_SENDERS], 13);
	cr_expect_eq(v.distinct[CS_D_MT_SENDERS], 14);
	cr_expect_eq(v.hourly[CS_H_MO_SMS], 0);
	cr_expect_not(s.flags & CS_STATE_SEEN_MO);
	cs_state_release(&x, &s);
}

Test(subscriber_state, data_counts_destinations_uplink_and_kib_both_ways)
{
	struct cs_subscriber s = { .imsi = 4 };
	struct cs_state_view v;

	for (unsigned int k = 0; k < 100; k++) {
		cs_state_on_data(&x, &s, true, 1500, 0xc6336400u + k % 3, T0 + k * S);
		cs_state_on_data(&x, &s, false, 100, 0xc6336400u + k % 3, T0 + k * S);
	}
	cs_state_read(&x, &s, T0 + 200 * S, &v);
	cr_expect_eq(v.distinct[CS_D_DATA_DESTINATIONS], 3, "an IoT meter: three fixed destinations");
	cr_expect_eq(s.kib_up, 100 * 2, "1500 bytes round up to 2 KiB a packet");
	cr_expect_eq(s.kib_down, 100);
	cs_state_release(&x, &s);
}

/* Events older than every window are refused and counted, not miscounted. */
Test(subscriber_state, late_events_are_counted_where_they_belong_or_refused)
{
	struct cs_subscriber s = { .imsi = 5 };
	struct cs_state_view v;

	cs_state_on_call(&x, &s, true, number(1), false, 0, T0 + 3 * 3600 * S);
	cs_state_on_call(&x, &s, true, number(2), false, 0, T0 + 3 * 3600 * S - 5 * S);     /* late, previous hour */
	cs_state_on_call(&x, &s, false, number(3), false, 0, T0);                          /* three hours late */
	cs_state_read(&x, &s, T0 + 3 * 3600 * S + 1, &v);
	cr_expect_eq(v.hourly[CS_H_MO_CALLS], 2);
	cr_expect_eq(v.hourly[CS_H_MT_CALLS], 0);
	cr_expect_eq(x.too_old, 1);
	cs_state_release(&x, &s);
}

Test(subscriber_state, pool_slots_come_back)
{
	struct cs_subscriber s = { .imsi = 6 };

	for (unsigned int k = 0; k < 50; k++)
		cs_state_on_call(&x, &s, true, number(k), false, 0, T0 + k * S);
	/* the 4th callee took an exact slot, the 33rd a sketch slot, which gave the exact slot back */
	cr_expect_eq(cs_distinct_pool_stats(x.pool)->exact_promotions, 1);
	cr_expect_eq(cs_distinct_pool_stats(x.pool)->promotions, 1);
	cr_expect_eq(cs_distinct_pool_stats(x.pool)->exact_in_use, 0);
	/* the next hour's first call rolls the bucket over: the sketch's slot goes back */
	cs_state_on_call(&x, &s, true, number(1), false, 0, T0 + 3601 * S);
	cr_expect_eq(cs_distinct_pool_stats(x.pool)->releases, 1);
	cs_state_release(&x, &s);
}

Test(subscriber_state, within_256_bytes_a_subscriber_with_its_index)
{
	for (uint32_t capacity = 1000; capacity <= 1000000; capacity *= 10) {
		struct cs_subscriber_table *t = cs_subscriber_table_create(capacity, sizeof(struct cs_subscriber));
		cr_assert_not_null(t);
		double per = (double)cs_subscriber_table_bytes(t) / capacity;
		cr_expect_leq(per, 256.0, "%u subscribers: %.1f bytes each", capacity, per);
		cs_subscriber_table_free(t);
	}
}

/* One bucket per window length: an hour opened by data moves the hourly call counts on too, as if read. */
Test(subscriber_state, an_hour_opened_by_any_event_moves_every_hourly_count)
{
	struct cs_subscriber a = { .imsi = 1 }, b = { .imsi = 2 };
	struct cs_state_view va, vb;

	cs_state_init(&a);
	cs_state_init(&b);
	for (unsigned int k = 0; k < 20; k++) {
		cs_state_on_call(&x, &a, true, number(k), true, 30, T0 + k * 60 * S);
		cs_state_on_call(&x, &b, true, number(k), true, 30, T0 + k * 60 * S);
	}
	/* a opens the next hour with data only; b stays silent */
	cs_state_on_data(&x, &a, true, 100, 7, T0 + 3600 * S + 900 * S);
	cs_state_read(&x, &a, T0 + 3600 * S + 1800 * S, &va);
	cs_state_read(&x, &b, T0 + 3600 * S + 1800 * S, &vb);
	cr_expect_eq(a.hour_bucket, b.hour_bucket + 1);
	cr_expect_eq(va.hourly[CS_H_MO_CALLS], 10, "20 last hour, half of it still in the window");
	cr_expect_eq(va.hourly[CS_H_MO_CALLS], vb.hourly[CS_H_MO_CALLS]);
	cr_expect_eq(va.distinct[CS_D_CALLEES], vb.distinct[CS_D_CALLEES]);
	cr_expect_eq(va.distinct[CS_D_CALLEES], 10);
	cr_expect_eq(va.mo_calls_day, 20);
}

/* Long memory: the first device binds the SIM, a new number is activated the day it appears, changes mark the record dirty. */
Test(subscriber_state, long_memory_binds_the_first_imei_and_dates_the_number)
{
	cs_digits imei_a = cs_digits_from_ascii("35332510822465", 14), imei_b = cs_digits_from_ascii("86123405555550", 14);
	struct cs_subscriber s = { .imsi = 1 };
	struct cs_state_record r;
	uint16_t day0 = (uint16_t)(T0 / (86400 * S));

	cs_state_init(&s);
	cr_expect_eq(s.msisdn, CS_DIGITS_NONE);
	cr_expect_eq(s.bound_imei, CS_DIGITS_NONE);
	cs_state_on_identity(&x, &s, number(1), imei_a, 1, 6, T0);
	cr_expect(s.flags & CS_STATE_DIRTY);
	s.flags &= (uint8_t)~CS_STATE_DIRTY; /* offered */
	cs_state_on_identity(&x, &s, number(1), imei_a, 1, 6, T0);
	cr_expect_not(s.flags & CS_STATE_DIRTY, "nothing long-lived changed within the same second");
	cs_state_on_identity(&x, &s, number(1), imei_b, 1, 6, T0 + 3 * 86400 * S);
	cr_expect_eq(s.bound_imei, imei_a, "the first device stays bound");
	cr_expect_eq(s.imei, imei_b, "the latest is the latest");
	cr_expect_eq(s.first_imei_day, day0);
	cr_expect_eq(s.first_activation_day, day0);
	cs_state_on_identity(&x, &s, number(2), CS_DIGITS_NONE, 0, 0, T0 + 5 * 86400 * S);
	cr_expect_eq(s.msisdn, number(2));
	cr_expect_eq(s.first_activation_day, day0 + 5, "a number new to the SIM is activated the day it appears");
	cs_state_on_sms(&x, &s, true, number(9), NULL, false, T0 + 6 * 86400 * S);

	cs_state_long_memory(&s, &r);
	cr_expect_eq(r.imsi, s.imsi);
	cr_expect_eq(r.bound_imei, imei_a);
	cr_expect_eq(r.msisdn, number(2));
	cr_expect_eq(r.first_seen_s, (uint32_t)(T0 / S));
	cr_expect_eq(r.last_activity_s, (uint32_t)((T0 + 6 * 86400 * S) / S));
	cr_expect_eq(r.last_mo_s, r.last_activity_s);
	cr_expect_eq(r.flags, CS_STATE_SEEN_MO, "only the long-lived bits, never DIRTY");

	struct cs_subscriber back = { .imsi = 1 };
	cs_state_init(&back);
	cs_state_restore(&back, &r);
	cr_expect_eq(back.bound_imei, imei_a);
	cr_expect_eq(back.first_imei_day, day0);
	cr_expect_eq(back.first_activation_day, day0 + 5);
	cr_expect_eq(back.last_seen_s, r.last_activity_s);
	cr_expect_eq(back.last_mo_s, r.last_mo_s);
	cr_expect_eq(back.imei, CS_DIGITS_NONE, "the latest device is not long memory");
	cr_expect_not(back.flags & CS_STATE_DIRTY, "restored is what the store holds");
	/* 36 days later the restored SIM wakes up in another phone: still bound to the first */
	cs_state_on_identity(&x, &back, number(2), imei_b, 1, 6, T0 + 42 * 86400 * S);
	cr_expect_eq(back.bound_imei, imei_a);
	cr_expect_eq(back.first_activation_day, day0 + 5, "the same number is not activated again");
	cr_expect(back.flags & CS_STATE_DIRTY);
}

/* A quiet subscriber's ended buckets, rolled by the worker's pass: the same reads, the sketch slots back. */
Test(subscriber_state, rolling_a_quiet_subscriber_frees_its_slots_and_reads_the_same)
{
	struct cs_subscriber s = { .imsi = 1 };
	struct cs_state_view before, after;
	const uint64_t later = T0 + 3600 * S + 1200 * S; /* a third into the next hour */

	cs_state_init(&s);
	for (unsigned int k = 0; k < 12; k++)
		cs_state_on_call(&x, &s, true, number(k), true, 30, T0 + k * 60 * S);
	cr_assert_eq(cs_distinct_pool_stats(x.pool)->exact_in_use, 1, "12 callees hold an exact set");
	cs_state_read(&x, &s, later, &before);
	cs_state_roll(&x, &s, later);
	cr_expect_eq(cs_distinct_pool_stats(x.pool)->exact_in_use, 0, "the hour ended: its set is back");
	cs_state_read(&x, &s, later, &after);
	cr_expect_eq(memcmp(&before, &after, sizeof(before)), 0, "rolling changes no reading");
	cr_expect_eq(after.distinct[CS_D_CALLEES], 8, "12 in the last hour, two thirds still in the window");
	cr_expect_eq(after.hourly[CS_H_MO_CALLS], 8);
	cs_state_roll(&x, &s, later);
	cs_state_read(&x, &s, later, &after);
	cr_expect_eq(memcmp(&before, &after, sizeof(before)), 0, "rolling twice is rolling once");
}
