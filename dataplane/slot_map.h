/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_SLOT_MAP_H
#define CS_SLOT_MAP_H

#include <stdint.h>

/*
 * Which slots of a table hold an entry, one bit a slot, and a hand that
 * walks them for a housekeeping sweep (sweep.h). A sweep's budget is in
 * slots, so its work is bounded whatever the table holds: a word of 64
 * free slots costs one load, and only occupied slots are visited.
 * (rte_hash_iterate skips free slots inside one call: on a nearly empty
 * table one call scans all of it, and a sweep calling it every burst cost
 * a quarter of the GTP-U rate.) The owner lcore alone reads and writes it.
 */
struct cs_slot_map {
	uint64_t *bits;  /* nslots bits, rounded up to whole words; the caller allocates them zeroed */
	uint32_t nslots;
	uint32_t hand;   /* the next slot the walk looks at */
};

static inline uint32_t cs_slot_map_words(uint32_t nslots)
{
	return (nslots + 63) / 64;
}

static inline void cs_slot_map_set(struct cs_slot_map *m, uint32_t slot)
{
	m->bits[slot >> 6] |= UINT64_C(1) << (slot & 63);
}

static inline void cs_slot_map_clear(struct cs_slot_map *m, uint32_t slot)
{
	m->bits[slot >> 6] &= ~(UINT64_C(1) << (slot & 63));
}

/*
 * The next occupied slot within the *span slots from the hand, or -1 once
 * the span is used up. The hand moves past what was looked at (wrapping
 * at the end), and *span shrinks by as much.
 */
static inline int64_t cs_slot_map_next(struct cs_slot_map *m, uint32_t *span)
{
	while (*span > 0) {
		uint32_t h = m->hand, bit = h & 63;
		uint32_t in_word = 64 - bit;
		if (in_word > m->nslots - h)
			in_word = m->nslots - h;
		uint32_t step = in_word < *span ? in_word : *span;
		uint64_t ahead = m->bits[h >> 6] >> bit;
		uint32_t k = ahead != 0 ? (uint32_t)__builtin_ctzll(ahead) : 64;
		if (k < step)
			step = k + 1;
		m->hand = h + step < m->nslots ? h + step : 0;
		*span -= step;
		if (k + 1 == step)
			return (int64_t)h + k;
	}
	return -1;
}

#endif
