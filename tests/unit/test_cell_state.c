/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>

#include <criterion/criterion.h>

#include "cell_state.h"
#include "tumbling_distinct.h"
#include "window.h"

static const uint64_t HOUR = CS_WINDOW_1H_NS;
static const uint64_t S = CS_WINDOW_NS_PER_S;
/* 2026-01-05T00:00:00Z: the start of an hour bucket */
static const uint64_t T0 = 20458ull * 86400ull * 1000000000ull;

static struct cs_distinct_pool *pool;

static void make_pool(void)
{
	pool = cs_distinct_pool_create(0, 4);
	cr_assert_not_null(pool);
}

static void free_pool(void)
{
	cs_distinct_pool_free(pool);
}

static cs_digits imsi(unsigned int n)
{
	char s[16];

	snprintf(s, sizeof(s), "0010100000%05u", n);
	return cs_digits_from_ascii(s, 15);
}

static struct cs_uli ecgi(uint16_t mcc, uint16_t mnc, uint8_t mnc_digits, uint32_t eci)
{
	return (struct cs_uli){ .mcc = mcc, .mnc = mnc, .mnc_digits = mnc_digits, .cell_kind = CS_CELL_ECGI,
				.area_kind = CS_AREA_TAC, .area = 0x0101, .cell = eci };
}

/* A 2G/3G cell: CGI (CI) or SAI (SAC), within its LAC. */
static struct cs_uli in_lac(enum cs_cell_kind kind, uint16_t mcc, uint16_t mnc, uint8_t mnc_digits, uint16_t lac,
			    uint16_t ci)
{
	return (struct cs_uli){ .mcc = mcc, .mnc = mnc, .mnc_digits = mnc_digits, .cell_kind = kind,
				.area_kind = CS_AREA_LAC, .area = lac, .cell = ci };
}

static uint64_t key_of(struct cs_uli u)
{
	return cs_cell_key(&u);
}

/* ---- the key ------------------------------------------------------------------------------ */

/* The worked examples of cell_state.h: the PLMN's digits read in the hex. */
Test(cell_key, the_documented_examples)
{
	cr_expect_eq(key_of(ecgi(1, 1, 2, 0x1234567)), 0x00101f1001234567ull);
	cr_expect_eq(key_of(ecgi(1, 1, 3, 0x1234567)), 0x0010011001234567ull);
	cr_expect_eq(key_of(in_lac(CS_CELL_CGI, 310, 410, 3, 0x1a2b, 0x3c4d)), 0x310410201a2b3c4dull);
}

Test(cell_key, tells_cells_apart)
{
	uint32_t eci = 0x1a2b3c4;

	cr_expect_neq(key_of(ecgi(1, 1, 2, eci)), key_of(ecgi(310, 410, 3, eci)), "the same ECI in two PLMNs");
	cr_expect_neq(key_of(ecgi(234, 15, 2, eci)), key_of(ecgi(235, 15, 2, eci)), "MCC alone differs");
	cr_expect_neq(key_of(ecgi(1, 1, 2, eci)), key_of(ecgi(1, 1, 3, eci)), "MNC 01 and 001");
	cr_expect_neq(key_of(ecgi(1, 10, 2, eci)), key_of(ecgi(1, 10, 3, eci)), "MNC 10 and 010");
	cr_expect_neq(key_of(ecgi(1, 1, 2, 0x0a2b3c4d)), key_of(in_lac(CS_CELL_CGI, 1, 1, 2, 0xa2b, 0x3c4d)),
		      "an LTE ECI and a 2G LAC/CI with the same bits");
	cr_expect_neq(key_of(in_lac(CS_CELL_CGI, 1, 1, 2, 7, 99)), key_of(in_lac(CS_CELL_SAI, 1, 1, 2, 7, 99)),
		      "a 2G CI and a 3G SAC of the same value and LAC");
	cr_expect_neq(key_of(in_lac(CS_CELL_CGI, 1, 1, 2, 7, 99)), key_of(in_lac(CS_CELL_CGI, 1, 1, 2, 8, 99)),
		      "a CI is unique within its LAC only");
}

/* An LTE cell keeps its key whatever TAC is signalled with it. */
Test(cell_key, ecgi_leaves_the_tac_out)
{
	struct cs_uli a = ecgi(1, 1, 2, 0x1234567), b = a;

	b.area = 0x0202;
	cr_expect_eq(cs_cell_key(&a), cs_cell_key(&b));
	b.area_kind = CS_AREA_NONE;
	cr_expect_eq(cs_cell_key(&a), cs_cell_key(&b));
}

/* A real cell's key is neither the sentinel nor the table's "no identity", even at the edges. */
Test(cell_key, is_never_zero_or_none)
{
	const struct cs_uli edges[] = {
		ecgi(0, 0, 2, 0),
		ecgi(0, 0, 3, 0),
		ecgi(999, 999, 3, 0x0fffffff),
		ecgi(999, 99, 2, 0x0fffffff),
		in_lac(CS_CELL_CGI, 0, 0, 2, 0, 0),
		in_lac(CS_CELL_SAI, 999, 999, 3, 0xffff, 0xffff),
	};

	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		uint64_t k = cs_cell_key(&edges[i]);

		cr_expect_neq(k, CS_CELL_KEY_NONE, "edge %zu", i);
		cr_expect_neq(k, CS_DIGITS_NONE, "edge %zu", i);
	}
}

Test(cell_key, a_location_without_a_cell_gets_the_sentinel)
{
	struct cs_uli rai = { .mcc = 1, .mnc = 1, .mnc_digits = 2, .area_kind = CS_AREA_LAC, .area = 7 };
	struct cs_uli tai = { .mcc = 1, .mnc = 1, .mnc_digits = 2, .area_kind = CS_AREA_TAC, .area = 7 };
	struct cs_uli none = { 0 };
	struct cs_uli cgi_without_lac = in_lac(CS_CELL_CGI, 1, 1, 2, 7, 99);
	struct cs_uli unknown_kind = ecgi(1, 1, 2, 5);

	cgi_without_lac.area_kind = CS_AREA_TAC;
	unknown_kind.cell_kind = 4;
	cr_expect_eq(cs_cell_key(&rai), CS_CELL_KEY_NONE, "a RAI only");
	cr_expect_eq(cs_cell_key(&tai), CS_CELL_KEY_NONE, "a TAI only");
	cr_expect_eq(cs_cell_key(&none), CS_CELL_KEY_NONE, "no location");
	cr_expect_eq(cs_cell_key(&cgi_without_lac), CS_CELL_KEY_NONE, "a CI without its LAC");
	cr_expect_eq(cs_cell_key(&unknown_kind), CS_CELL_KEY_NONE);
	cr_expect_eq(key_of(ecgi(1000, 1, 2, 5)), CS_CELL_KEY_NONE, "MCC over 3 digits");
	cr_expect_eq(key_of(ecgi(1, 100, 2, 5)), CS_CELL_KEY_NONE, "a 2-digit MNC of 3 digits");
	cr_expect_eq(key_of(ecgi(1, 1000, 3, 5)), CS_CELL_KEY_NONE);
	cr_expect_eq(key_of(ecgi(1, 1, 0, 5)), CS_CELL_KEY_NONE, "MNC length unknown");
	cr_expect_eq(key_of(ecgi(1, 1, 2, 0x10000000)), CS_CELL_KEY_NONE, "an ECI over 28 bits");
	cgi_without_lac = in_lac(CS_CELL_CGI, 1, 1, 2, 7, 0);
	cgi_without_lac.cell = 0x10000;
	cr_expect_eq(cs_cell_key(&cgi_without_lac), CS_CELL_KEY_NONE, "a CI over 16 bits");
}

static void expect_round_trip(struct cs_uli u)
{
	uint64_t k = cs_cell_key(&u);
	struct cs_uli p;

	cr_assert_neq(k, CS_CELL_KEY_NONE);
	cs_cell_key_parts(k, &p);
	cr_expect_eq(p.mcc, u.mcc);
	cr_expect_eq(p.mnc, u.mnc);
	cr_expect_eq(p.mnc_digits, u.mnc_digits);
	cr_expect_eq(p.cell_kind, u.cell_kind);
	cr_expect_eq(p.cell, u.cell);
	if (u.cell_kind == CS_CELL_ECGI) {
		cr_expect_eq(p.area_kind, CS_AREA_NONE, "an ECGI key has no TAC");
	} else {
		cr_expect_eq(p.area_kind, CS_AREA_LAC);
		cr_expect_eq(p.area, u.area);
	}
	cr_expect_eq(cs_cell_key(&p), k, "the parts give the key back");
}

Test(cell_key, parts_round_trip)
{
	expect_round_trip(ecgi(1, 1, 2, 0x1234567));
	expect_round_trip(ecgi(1, 1, 3, 0x1234567));
	expect_round_trip(ecgi(0, 0, 2, 0));
	expect_round_trip(ecgi(999, 999, 3, 0x0fffffff));
	expect_round_trip(ecgi(234, 15, 2, 0x0abcdef));
	expect_round_trip(in_lac(CS_CELL_CGI, 310, 410, 3, 0x1a2b, 0x3c4d));
	expect_round_trip(in_lac(CS_CELL_SAI, 460, 6, 2, 0xffff, 0));
	expect_round_trip(in_lac(CS_CELL_CGI, 262, 1, 2, 0, 0xffff));
}

/* Values cs_cell_key never returns decode to no cell. */
Test(cell_key, parts_of_a_non_key)
{
	const uint64_t bad[] = {
		CS_CELL_KEY_NONE,
		CS_DIGITS_NONE,
		0x00101f4001234567ull, /* kind 4 */
		0x00101f0001234567ull, /* kind 0 */
		0x00101f1011234567ull, /* the zero nibble set */
		0x00101f1010000000ull, /* an ECI over 28 bits */
		0x0a101f1001234567ull, /* an MCC nibble not a digit */
		0x001f011001234567ull, /* an MNC's first nibble not a digit */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cs_uli p = { .cell_kind = CS_CELL_ECGI, .mcc = 7 };

		cs_cell_key_parts(bad[i], &p);
		cr_expect_eq(p.cell_kind, CS_CELL_NONE, "key %zu", i);
		cr_expect_eq(p.mcc, 0, "key %zu", i);
	}
}

/* ---- the counts --------------------------------------------------------------------------- */

TestSuite(cell_state, .init = make_pool, .fini = free_pool);

static struct cs_cell_view read_at(const struct cs_cell *c, uint64_t t)
{
	struct cs_cell_view v;

	cs_cell_read(c, pool, HOUR, t, &v);
	return v;
}

Test(cell_state, forty_subscribers_count_forty)
{
	struct cs_cell c = { .key = key_of(ecgi(1, 1, 2, 0x1234567)) };

	for (unsigned int i = 0; i < 40; i++)
		cs_cell_on_active(&c, pool, HOUR, imsi(i), T0 + i * S);
	struct cs_cell_view v = read_at(&c, T0 + HOUR - 1);
	cr_expect_eq(v.active.n, 40);
	cr_expect_not(v.active.lower_bound);
	cr_expect_eq(v.suspicious.n, 0);
	cr_expect_not(v.suspicious.lower_bound);
	cr_expect_eq(c.last_seen_s, (T0 + 39 * S) / S);
}

Test(cell_state, a_repeated_imsi_counts_once)
{
	struct cs_cell c = { 0 };

	for (unsigned int i = 0; i < 100; i++)
		cs_cell_on_active(&c, pool, HOUR, imsi(7), T0 + i * S);
	for (unsigned int i = 0; i < 5; i++)
		cs_cell_on_suspicious(&c, pool, HOUR, imsi(7), T0 + (100 + i) * S);
	struct cs_cell_view v = read_at(&c, T0 + HOUR / 2);
	cr_expect_eq(v.active.n, 1);
	cr_expect_eq(v.suspicious.n, 1);
	cr_expect_eq(cs_distinct_pool_stats(pool)->in_use, 0, "one IMSI stays inline");
}

/* Flagged IMSIs are a subset: those flagged without an earlier activity count as active too. */
Test(cell_state, suspicious_is_a_subset_of_active)
{
	struct cs_cell c = { 0 };

	for (unsigned int i = 0; i < 40; i++)
		cs_cell_on_active(&c, pool, HOUR, imsi(i), T0 + i * S);
	for (unsigned int i = 0; i < 10; i++)
		cs_cell_on_suspicious(&c, pool, HOUR, imsi(i), T0 + (40 + i) * S);
	for (unsigned int i = 0; i < 5; i++)
		cs_cell_on_suspicious(&c, pool, HOUR, imsi(100 + i), T0 + (50 + i) * S);
	for (unsigned int i = 0; i < 10; i++)
		cs_cell_on_suspicious(&c, pool, HOUR, imsi(i), T0 + (60 + i) * S);
	struct cs_cell_view v = read_at(&c, T0 + HOUR / 2);
	cr_expect_eq(v.active.n, 45);
	cr_expect_eq(v.suspicious.n, 15);
	cr_expect_leq(v.suspicious.n, v.active.n);
}

/* The next hour starts with the last one's counts, faded out as it goes by; an hour later they are gone. */
Test(cell_state, the_last_hour_fades_out)
{
	struct cs_cell c = { 0 };

	for (unsigned int i = 0; i < 20; i++) {
		if (i < 8)
			cs_cell_on_suspicious(&c, pool, HOUR, imsi(i), T0 + HOUR / 2 + i * S);
		else
			cs_cell_on_active(&c, pool, HOUR, imsi(i), T0 + HOUR / 2 + i * S);
	}
	cr_expect_eq(cs_distinct_pool_stats(pool)->in_use, 2, "20 active and 8 suspicious take a slot each");
	cs_cell_on_active(&c, pool, HOUR, imsi(100), T0 + HOUR + 1);
	cr_expect_eq(cs_distinct_pool_stats(pool)->in_use, 0, "the rollover gave both slots back");

	struct cs_cell_view v = read_at(&c, T0 + HOUR + 1);
	cr_expect_eq(v.active.n, 21, "this hour's 1 and all of the last one's 20");
	cr_expect_eq(v.suspicious.n, 8);
	v = read_at(&c, T0 + HOUR + HOUR / 4);
	cr_expect_eq(v.active.n, 16, "1 + 20 x 3/4");
	cr_expect_eq(v.suspicious.n, 6, "8 x 3/4");
	v = read_at(&c, T0 + 2 * HOUR + HOUR / 2);
	cr_expect_eq(v.active.n, 1, "two hours on, half of the 1 rounds to 1");
	cr_expect_eq(v.suspicious.n, 0);
	v = read_at(&c, T0 + 3 * HOUR);
	cr_expect_eq(v.active.n, 0);
	cr_expect_eq(v.suspicious.n, 0);

	/* a gap of an hour or more: nothing of the hour before the gap is kept */
	cs_cell_on_active(&c, pool, HOUR, imsi(200), T0 + 3 * HOUR);
	cr_expect_eq(read_at(&c, T0 + 3 * HOUR).active.n, 1);
}

/* A full pool leaves the counts lower bounds, said so. */
Test(cell_state, a_full_pool_gives_a_lower_bound)
{
	struct cs_cell c[3] = { 0 };

	/* two busy cells take the pool's 4 slots: one for active, one for suspicious each */
	for (unsigned int k = 0; k < 3; k++)
		for (unsigned int i = 0; i < 10; i++)
			cs_cell_on_suspicious(&c[k], pool, HOUR, imsi(k * 100 + i), T0 + i * S);
	for (unsigned int k = 0; k < 2; k++) {
		struct cs_cell_view v = read_at(&c[k], T0 + 60 * S);
		cr_expect_eq(v.active.n, 10);
		cr_expect_eq(v.suspicious.n, 10);
		cr_expect_not(v.active.lower_bound);
	}
	struct cs_cell_view last = read_at(&c[2], T0 + 60 * S);
	cr_expect(last.active.lower_bound);
	cr_expect(last.suspicious.lower_bound);
	cr_expect_geq(last.active.n, 4);
	cr_expect_leq(last.active.n, 10);
	cr_expect_leq(last.suspicious.n, last.active.n);
	cr_expect_gt(cs_distinct_pool_stats(pool)->promotions_refused, 0);
}

/* Should the estimates ever put the subset above its set, active reads as at least suspicious. */
Test(cell_state, active_is_never_read_below_suspicious)
{
	struct cs_cell c = { 0 };

	cs_cell_on_active(&c, pool, HOUR, imsi(1), T0);
	for (unsigned int i = 0; i < 6; i++) /* as if active had missed them */
		cs_tumbling_distinct_add(&c.imsis[CS_CELL_SUSPICIOUS], pool, imsi(i));
	struct cs_cell_view v = read_at(&c, T0 + S);
	cr_expect_eq(v.suspicious.n, 6);
	cr_expect_eq(v.active.n, 6);
}

Test(cell_state, release_returns_the_pool_slots)
{
	struct cs_cell c = { 0 };
	uint64_t releases = cs_distinct_pool_stats(pool)->releases;

	for (unsigned int i = 0; i < 40; i++)
		cs_cell_on_active(&c, pool, HOUR, imsi(i), T0 + i * S);
	for (unsigned int i = 0; i < 10; i++)
		cs_cell_on_suspicious(&c, pool, HOUR, imsi(i), T0 + (40 + i) * S);
	cr_expect_eq(cs_distinct_pool_stats(pool)->in_use, 2);
	cs_cell_release(&c, pool);
	cr_expect_eq(cs_distinct_pool_stats(pool)->in_use, 0);
	cr_expect_eq(cs_distinct_pool_stats(pool)->releases, releases + 2);
	struct cs_cell_view v = read_at(&c, T0 + HOUR / 2);
	cr_expect_eq(v.active.n, 0, "a released cell is empty");
	cr_expect_eq(v.suspicious.n, 0);
}

/* ---- the shared primitive (tumbling_distinct.h) ------------------------------------------ */

TestSuite(tumbling_distinct, .init = make_pool, .fini = free_pool);

/* Counts sharing a bucket move together, each keeping its own final estimate. */
Test(tumbling_distinct, counts_sharing_a_bucket_roll_together)
{
	struct cs_tumbling_distinct t[2] = { 0 };
	uint32_t bucket = 0;

	cs_tumbling_distinct_roll(&bucket, t, 2, pool, HOUR, T0);
	cr_expect_eq(bucket, T0 / HOUR);
	for (unsigned int i = 0; i < 5; i++)
		cs_tumbling_distinct_add(&t[0], pool, imsi(i));
	cs_tumbling_distinct_add(&t[1], pool, imsi(9));
	cs_tumbling_distinct_roll(&bucket, t, 2, pool, HOUR, T0 + HOUR);
	cr_expect_eq(bucket, T0 / HOUR + 1);
	cr_expect_eq(t[0].prev, 5);
	cr_expect_eq(t[1].prev, 1);
	cr_expect_eq(cs_tumbling_distinct_read(bucket, &t[0], pool, HOUR, T0 + HOUR).n, 5, "all of prev at the start");
	cr_expect_eq(cs_distinct_pool_stats(pool)->in_use, 0, "t[0]'s slot was given back");
}

/* An event of an older bucket (late) neither moves the bucket back nor touches prev. */
Test(tumbling_distinct, a_late_event_counts_in_the_current_bucket)
{
	struct cs_tumbling_distinct t = { 0 };
	uint32_t bucket = 0;

	cs_tumbling_distinct_roll(&bucket, &t, 1, pool, HOUR, T0);
	cs_tumbling_distinct_add(&t, pool, imsi(1));
	cs_tumbling_distinct_roll(&bucket, &t, 1, pool, HOUR, T0 + HOUR);
	cs_tumbling_distinct_add(&t, pool, imsi(2));
	cs_tumbling_distinct_roll(&bucket, &t, 1, pool, HOUR, T0 + HOUR - 1);
	cs_tumbling_distinct_add(&t, pool, imsi(3));
	cr_expect_eq(bucket, T0 / HOUR + 1);
	cr_expect_eq(t.prev, 1);
	cr_expect_eq(cs_tumbling_distinct_read(bucket, &t, pool, HOUR, T0 + 2 * HOUR - 1).n, 2);
}

/* A skipped bucket: the one before it is out of the window, prev is 0. */
Test(tumbling_distinct, a_skipped_bucket_forgets)
{
	struct cs_tumbling_distinct t = { 0 };
	uint32_t bucket = 0;

	cs_tumbling_distinct_roll(&bucket, &t, 1, pool, HOUR, T0);
	cs_tumbling_distinct_add(&t, pool, imsi(1));
	cs_tumbling_distinct_roll(&bucket, &t, 1, pool, HOUR, T0 + 2 * HOUR);
	cr_expect_eq(t.prev, 0);
	cr_expect_eq(cs_tumbling_distinct_read(bucket, &t, pool, HOUR, T0 + 2 * HOUR).n, 0);
}

/* prev is 16 bits: a bucket of 70,000 items keeps 65535. */
Test(tumbling_distinct, prev_saturates)
{
	struct cs_tumbling_distinct t = { 0 };
	uint32_t bucket = 0;

	cs_tumbling_distinct_roll(&bucket, &t, 1, pool, HOUR, T0);
	for (unsigned int i = 0; i < 70000; i++)
		cs_tumbling_distinct_add(&t, pool, (uint64_t)i + 1);
	cr_expect_gt(cs_tumbling_distinct_read(bucket, &t, pool, HOUR, T0).n, 65535);
	cs_tumbling_distinct_roll(&bucket, &t, 1, pool, HOUR, T0 + HOUR);
	cr_expect_eq(t.prev, UINT16_MAX);
	cr_expect_eq(cs_tumbling_distinct_read(bucket, &t, pool, HOUR, T0 + HOUR).n, UINT16_MAX);
}

Test(tumbling_distinct, release_empties_and_gives_the_slot_back)
{
	struct cs_tumbling_distinct t = { 0 };
	uint32_t bucket = 0;

	cs_tumbling_distinct_roll(&bucket, &t, 1, pool, HOUR, T0);
	for (unsigned int i = 0; i < 10; i++)
		cs_tumbling_distinct_add(&t, pool, imsi(i));
	cs_tumbling_distinct_roll(&bucket, &t, 1, pool, HOUR, T0 + HOUR);
	for (unsigned int i = 0; i < 10; i++)
		cs_tumbling_distinct_add(&t, pool, imsi(i));
	cr_expect_eq(cs_distinct_pool_stats(pool)->in_use, 1);
	cs_tumbling_distinct_release(&t, 1, pool);
	cr_expect_eq(cs_distinct_pool_stats(pool)->in_use, 0);
	cr_expect_eq(cs_tumbling_distinct_read(bucket, &t, pool, HOUR, T0 + HOUR).n, 0, "prev went too");
}
