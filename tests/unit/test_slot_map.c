/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>

#include <criterion/criterion.h>

#include "slot_map.h"

static struct cs_slot_map map_of(uint32_t nslots)
{
	struct cs_slot_map m = { .nslots = nslots, .bits = calloc(cs_slot_map_words(nslots), sizeof(uint64_t)) };

	cr_assert_not_null(m.bits);
	return m;
}

/* A walk visits the occupied slots in order, wraps at the end, and uses up its span on the free ones too. */
Test(slot_map, walks_occupied_slots_within_the_span)
{
	struct cs_slot_map m = map_of(200); /* not a multiple of 64: the last word is partial */
	uint32_t span = 200;

	cs_slot_map_set(&m, 3);
	cs_slot_map_set(&m, 64);
	cs_slot_map_set(&m, 199);
	cr_expect_eq(cs_slot_map_next(&m, &span), 3);
	cr_expect_eq(span, 196, "slots 0-3 looked at");
	cr_expect_eq(cs_slot_map_next(&m, &span), 64);
	cr_expect_eq(cs_slot_map_next(&m, &span), 199);
	cr_expect_eq(m.hand, 0, "the hand wraps after the last slot");
	cr_expect_eq(cs_slot_map_next(&m, &span), -1);
	cr_expect_eq(span, 0);

	span = 3;
	cr_expect_eq(cs_slot_map_next(&m, &span), -1, "slots 0-2: nothing");
	cr_expect_eq(m.hand, 3);
	span = 1;
	cr_expect_eq(cs_slot_map_next(&m, &span), 3);
	cs_slot_map_clear(&m, 64);
	span = 200;
	cr_expect_eq(cs_slot_map_next(&m, &span), 199, "a cleared slot is not visited");
	free(m.bits);
}

/* However many slots a walk covers, each occupied one is visited exactly once per lap. */
Test(slot_map, one_visit_a_lap_against_a_model)
{
	enum { N = 1000 };
	struct cs_slot_map m = map_of(N);
	unsigned int seen[N] = { 0 };
	unsigned int state = 7, occupied = 0;

	for (uint32_t i = 0; i < N; i++) {
		state = state * 1103515245u + 12345u;
		if ((state >> 16) % 5 == 0) {
			cs_slot_map_set(&m, i);
			occupied++;
		}
	}
	for (uint32_t covered = 0; covered < 3 * N;) {
		state = state * 1103515245u + 12345u;
		uint32_t span = 1 + (state >> 16) % 150;
		if (span > 3 * N - covered)
			span = 3 * N - covered; /* exactly three laps */
		uint32_t asked = span;
		int64_t s;
		while ((s = cs_slot_map_next(&m, &span)) >= 0)
			seen[s]++;
		covered += asked;
	}
	unsigned int visited = 0;
	for (uint32_t i = 0; i < N; i++) {
		bool set = (m.bits[i >> 6] >> (i & 63)) & 1;
		cr_expect_eq(seen[i], set ? 3u : 0u, "slot %u seen %u times", i, seen[i]);
		visited += set;
	}
	cr_expect_eq(visited, occupied);
	free(m.bits);
}
