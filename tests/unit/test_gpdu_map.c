/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include <criterion/criterion.h>
#include <rte_eal.h>

#include "eal.h"
#include "gpdu_map.h"

static struct cs_gpdu_map *map;

static void make_map(void)
{
	cs_test_eal_init();
	map = cs_gpdu_map_create("test_gpdu", 64, 0); /* 64 buckets, 128 slots */
	cr_assert_not_null(map);
}

static void free_map(void)
{
	cs_gpdu_map_free(map);
	rte_eal_cleanup();
}

TestSuite(gpdu_map, .init = make_map, .fini = free_map);

static struct cs_fteid key(uint32_t node, uint32_t teid)
{
	struct cs_fteid k;

	memset(&k, 0, sizeof(k));
	memcpy(k.addr.b, &node, sizeof(node));
	k.teid = teid;
	return k;
}

static struct cs_gpdu_hit hit_of(uint32_t n)
{
	return (struct cs_gpdu_hit){
		.imsi = 0x0010100000000000ull + n, .session_ref = (uint64_t)n << 32 | (n * 7u), .role = n % 2 ? 2 : 1,
	};
}

Test(gpdu_map, a_key_maps_to_its_session_until_removed)
{
	const struct cs_fteid k = key(0x0a010001, 0x40000001), other = key(0x0a010002, 0x40000001);
	const struct cs_gpdu_hit h = hit_of(3);
	struct cs_gpdu_hit got;

	cr_assert(cs_gpdu_map_takes(&k));
	cr_assert_eq(cs_gpdu_map_add(map, &k, &h), 0);
	cr_assert(cs_gpdu_map_find(map, &k, &got));
	cr_expect_eq(got.imsi, h.imsi);
	cr_expect_eq(got.session_ref, h.session_ref);
	cr_expect_eq(got.role, h.role);
	cr_expect_not(cs_gpdu_map_find(map, &other, &got), "the same TEID at another node is another key");
	cr_expect(cs_gpdu_map_del(map, &k));
	cr_expect_not(cs_gpdu_map_find(map, &k, &got));
	cr_expect_not(cs_gpdu_map_del(map, &k), "gone already");
}

Test(gpdu_map, only_ipv4_nodes_are_taken)
{
	struct cs_fteid v6 = key(0x20010db8, 1);

	v6.addr.b[15] = 1;
	cr_expect_not(cs_gpdu_map_takes(&v6));
}

/*
 * Filled past its size, the map refuses a key only when both its buckets
 * are full, and every key it took is found, in bulk or alone.
 */
Test(gpdu_map, a_full_pair_of_buckets_refuses_and_the_rest_is_found)
{
	enum { N = 400 };
	static struct cs_fteid keys[N];
	bool taken[N];
	unsigned int refused = 0;
	struct cs_gpdu_hit got[32];

	for (uint32_t n = 0; n < N; n++) {
		keys[n] = key(0x0a000000u + n % 7, 0x30000000u + n);
		const struct cs_gpdu_hit h = hit_of(n);
		taken[n] = cs_gpdu_map_add(map, &keys[n], &h) == 0;
		refused += !taken[n];
	}
	cr_expect_gt(refused, 0, "400 keys do not fit 128 slots");
	cr_expect_leq(N - refused, 128);
	for (uint32_t at = 0; at + 32 <= N; at += 32) {
		const struct cs_fteid *batch[32];
		uint32_t want = 0;
		for (unsigned int i = 0; i < 32; i++) {
			batch[i] = &keys[at + i];
			want |= (uint32_t)taken[at + i] << i;
		}
		uint32_t found = cs_gpdu_map_find_bulk(map, batch, 32, got);
		cr_expect_eq(found, want, "keys %u..%u", at, at + 31);
		for (unsigned int i = 0; i < 32; i++)
			if (found & (1u << i))
				cr_expect_eq(got[i].session_ref, hit_of(at + i).session_ref);
	}
	/* removing a key frees its slot for one of its own buckets' keys */
	for (uint32_t n = 0; n < N; n++)
		if (taken[n])
			cr_expect(cs_gpdu_map_del(map, &keys[n]));
	for (uint32_t n = 0; n < N; n++) {
		struct cs_gpdu_hit h;
		cr_expect_not(cs_gpdu_map_find(map, &keys[n], &h));
	}
	const struct cs_gpdu_hit h = hit_of(1);
	cr_expect_eq(cs_gpdu_map_add(map, &keys[N - 1], &h), 0, "an emptied map takes keys again");
}
