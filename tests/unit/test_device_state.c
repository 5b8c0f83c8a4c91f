/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>

#include <criterion/criterion.h>

#include "device_state.h"
#include "window.h"

static const uint64_t DAY = CS_WINDOW_24H_NS;
/* 2026-01-05T00:00:00Z: the start of a day bucket */
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

TestSuite(device_state, .init = make_pool, .fini = free_pool);

static cs_digits imsi(unsigned int n)
{
	char s[16];

	snprintf(s, sizeof(s), "0010100000%05u", n);
	return cs_digits_from_ascii(s, 15);
}

static struct cs_device_count read_at(const struct cs_device *d, uint64_t t)
{
	struct cs_device_count c;

	cs_device_read(d, pool, DAY, t, &c);
	return c;
}

/* A phone: one SIM, seen at every attach, counts once. */
Test(device_state, a_phone_counts_its_sim_once)
{
	struct cs_device d = { 0 };

	for (int i = 0; i < 50; i++)
		cs_device_on_imsi(&d, pool, DAY, imsi(1), T0 + (uint64_t)i * 60000000000ull);
	cr_expect_eq(read_at(&d, T0 + DAY / 2).imsis, 1);
	cr_expect_eq(cs_distinct_pool_stats(pool)->in_use, 0, "one SIM stays inline");
}

/* A gateway rotating 30 SIMs (exact) and one rotating 500 (sketch, within 2%). */
Test(device_state, a_gateway_rotating_sims)
{
	struct cs_device small = { 0 }, big = { 0 };

	for (unsigned int i = 0; i < 90; i++)
		cs_device_on_imsi(&small, pool, DAY, imsi(i % 30), T0 + i * 1000000000ull);
	for (unsigned int i = 0; i < 500; i++)
		cs_device_on_imsi(&big, pool, DAY, imsi(1000 + i), T0 + i * 1000000000ull);
	cr_expect_eq(read_at(&small, T0 + DAY - 1).imsis, 30);
	struct cs_device_count c = read_at(&big, T0 + DAY - 1);
	cr_expect(c.imsis >= 490 && c.imsis <= 510, "500 SIMs read as %llu", (unsigned long long)c.imsis);
	cr_expect_not(c.lower_bound);
	cs_device_release(&small, pool);
	cs_device_release(&big, pool);
	cr_expect_eq(cs_distinct_pool_stats(pool)->in_use, 0, "released devices give their slots back");
}

/* The next day starts with yesterday's count, faded out as the day goes by; a day later it is gone. */
Test(device_state, yesterday_fades_out)
{
	struct cs_device d = { 0 };

	for (unsigned int i = 0; i < 20; i++)
		cs_device_on_imsi(&d, pool, DAY, imsi(i), T0 + DAY / 2 + i * 1000000000ull);
	cs_device_on_imsi(&d, pool, DAY, imsi(100), T0 + DAY + 1);
	cr_expect_eq(read_at(&d, T0 + DAY + 1).imsis, 21, "today's 1 and all of yesterday's 20");
	cr_expect_eq(read_at(&d, T0 + DAY + DAY / 4).imsis, 16, "1 + 20 x 3/4");
	cr_expect_eq(read_at(&d, T0 + 2 * DAY + DAY / 2).imsis, 1, "two days on, half of today's 1 rounds to 1");
	cr_expect_eq(read_at(&d, T0 + 3 * DAY).imsis, 0);
	cr_expect_eq(cs_distinct_pool_stats(pool)->in_use, 0, "the rollover gave yesterday's slot back");
}

/* A full pool leaves the count a lower bound, said so. */
Test(device_state, a_full_pool_gives_a_lower_bound)
{
	struct cs_device d[5] = { 0 };

	for (unsigned int k = 0; k < 5; k++)
		for (unsigned int i = 0; i < 10; i++)
			cs_device_on_imsi(&d[k], pool, DAY, imsi(k * 100 + i), T0 + i * 1000000000ull);
	for (unsigned int k = 0; k < 4; k++)
		cr_expect_eq(read_at(&d[k], T0 + 60000000000ull).imsis, 10);
	struct cs_device_count last = read_at(&d[4], T0 + 60000000000ull);
	cr_expect(last.lower_bound);
	cr_expect_leq(last.imsis, 10);
	cr_expect_geq(last.imsis, 4);
}
