/* SPDX-License-Identifier: Apache-2.0 */
#include "subscriber_table.h"

#include <stdlib.h>
#include <string.h>

struct bucket {
	uint32_t tag;
	uint32_t slot1; /* slot + 1; 0 marks an empty bucket */
};

struct cs_subscriber_table {
	struct bucket *index;
	uint64_t nbuckets;      /* capacity x 4/3: not a power of two, so no memory is lost to rounding */
	uint8_t *records;
	uint8_t *referenced;    /* CLOCK bit per slot */
	uint32_t *free_slots;   /* stack of free record slots */
	uint32_t nfree;
	uint32_t capacity, record_size;
	uint32_t hand;
	struct cs_subscriber_table_stats st;
};

/* A 64-bit mix of the packed IMSI: consecutive IMSIs land far apart. */
static inline uint64_t hash_of(cs_digits imsi)
{
	uint64_t x = imsi;

	x ^= x >> 31;
	x *= 0x7fb5d329728ea185ull;
	x ^= x >> 27;
	x *= 0x81dadef4bc2dd44dull;
	x ^= x >> 33;
	return x;
}

static inline void *record_at(const struct cs_subscriber_table *t, uint32_t slot)
{
	return t->records + (size_t)slot * t->record_size;
}

static inline cs_digits imsi_at(const struct cs_subscriber_table *t, uint32_t slot)
{
	cs_digits imsi;

	memcpy(&imsi, record_at(t, slot), sizeof(imsi));
	return imsi;
}

struct cs_subscriber_table *cs_subscriber_table_create(uint32_t capacity, uint32_t record_size)
{
	struct cs_subscriber_table *t;

	if (capacity == 0 || record_size < sizeof(cs_digits) || capacity > (1u << 30))
		return NULL;
	uint64_t buckets = ((uint64_t)capacity * 4 + 2) / 3 + 1; /* load factor below 3/4 */
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	t->index = calloc(buckets, sizeof(*t->index));
	t->records = calloc(capacity, record_size);
	t->referenced = calloc(capacity, 1);
	t->free_slots = malloc((size_t)capacity * sizeof(*t->free_slots));
	if (t->index == NULL || t->records == NULL || t->referenced == NULL || t->free_slots == NULL) {
		cs_subscriber_table_free(t);
		return NULL;
	}
	t->nbuckets = buckets;
	t->capacity = capacity;
	t->record_size = record_size;
	for (uint32_t i = 0; i < capacity; i++)
		t->free_slots[i] = capacity - 1 - i;
	t->nfree = capacity;
	return t;
}

void cs_subscriber_table_free(struct cs_subscriber_table *t)
{
	if (t == NULL)
		return;
	free(t->index);
	free(t->records);
	free(t->referenced);
	free(t->free_slots);
	free(t);
}

/* The home bucket of a hash: its low 32 bits scaled to the bucket count (multiply-shift, no modulo). */
static inline uint64_t home_of(const struct cs_subscriber_table *t, uint64_t hash)
{
	return ((hash & 0xffffffffu) * t->nbuckets) >> 32;
}

static inline uint64_t next_bucket(const struct cs_subscriber_table *t, uint64_t b)
{
	return b + 1 == t->nbuckets ? 0 : b + 1;
}

/* How far b lies after a, going round the index. */
static inline uint64_t distance(const struct cs_subscriber_table *t, uint64_t a, uint64_t b)
{
	return b >= a ? b - a : b + t->nbuckets - a;
}

/* The bucket holding imsi, or the empty bucket where it would go. */
static uint64_t probe(const struct cs_subscriber_table *t, cs_digits imsi, uint32_t tag)
{
	uint64_t b = home_of(t, hash_of(imsi));

	while (t->index[b].slot1 != 0) {
		if (t->index[b].tag == tag && imsi_at(t, t->index[b].slot1 - 1) == imsi)
			return b;
		b = next_bucket(t, b);
	}
	return b;
}

void cs_subscriber_prefetch_index(const struct cs_subscriber_table *t, cs_digits imsi)
{
	__builtin_prefetch(&t->index[home_of(t, hash_of(imsi))]);
}

/* The first bucket of the probe run whose tag matches: its record is not read (probe() would wait for it). */
void cs_subscriber_prefetch_record(const struct cs_subscriber_table *t, cs_digits imsi)
{
	uint64_t hash = hash_of(imsi), b = home_of(t, hash);
	uint32_t tag = (uint32_t)(hash >> 32);

	for (; t->index[b].slot1 != 0; b = next_bucket(t, b))
		if (t->index[b].tag == tag) {
			const char *r = record_at(t, t->index[b].slot1 - 1);
			/* every line of it: a record is not line-aligned, and an update touches most of it */
			for (uint32_t off = 0; off < t->record_size; off += 64)
				__builtin_prefetch(r + off);
			__builtin_prefetch(r + t->record_size - 1);
			__builtin_prefetch(&t->referenced[t->index[b].slot1 - 1]);
			return;
		}
}

void *cs_subscriber_find(struct cs_subscriber_table *t, cs_digits imsi)
{
	uint32_t tag = (uint32_t)(hash_of(imsi) >> 32);
	uint64_t b = probe(t, imsi, tag);

	t->st.lookups++;
	if (t->index[b].slot1 == 0)
		return NULL;
	t->st.hits++;
	t->referenced[t->index[b].slot1 - 1] = 1;
	return record_at(t, t->index[b].slot1 - 1);
}

/*
 * Backward-shift deletion: after emptying bucket b, move later buckets of
 * the same probe run back, so no lookup ever stops early at a hole.
 */
static void unlink_bucket(struct cs_subscriber_table *t, uint64_t b)
{
	uint64_t hole = b, next = next_bucket(t, b);

	t->index[hole].slot1 = 0;
	while (t->index[next].slot1 != 0) {
		uint64_t home = home_of(t, hash_of(imsi_at(t, t->index[next].slot1 - 1)));
		/* move next into the hole if its home is not cyclically in (hole, next] */
		if (distance(t, home, next) >= distance(t, hole, next)) {
			t->index[hole] = t->index[next];
			t->index[next].slot1 = 0;
			hole = next;
		}
		next = next_bucket(t, next);
	}
}

static void release_slot(struct cs_subscriber_table *t, cs_digits imsi)
{
	uint32_t tag = (uint32_t)(hash_of(imsi) >> 32);
	uint64_t b = probe(t, imsi, tag);

	if (t->index[b].slot1 == 0)
		return;
	uint32_t slot = t->index[b].slot1 - 1;
	t->free_slots[t->nfree++] = slot;
	unlink_bucket(t, b);
	memset(record_at(t, slot), 0, sizeof(cs_digits)); /* key 0: free, for cs_subscriber_slot */
	t->st.active--;
}

void cs_subscriber_remove(struct cs_subscriber_table *t, cs_digits imsi)
{
	release_slot(t, imsi);
}

/* CLOCK: the first slot whose reference bit is clear, clearing bits on the way (at most two turns). */
static uint32_t victim(struct cs_subscriber_table *t)
{
	for (;;) {
		uint32_t s = t->hand;
		t->hand = (t->hand + 1) % t->capacity;
		if (!t->referenced[s])
			return s;
		t->referenced[s] = 0;
	}
}

void *cs_subscriber_get(struct cs_subscriber_table *t, cs_digits imsi, int *created,
			void (*on_evict)(void *record, void *arg), void *arg)
{
	void *r = cs_subscriber_find(t, imsi);

	*created = 0;
	if (r != NULL)
		return r;
	if (t->nfree == 0) {
		uint32_t s = victim(t);
		if (on_evict != NULL)
			on_evict(record_at(t, s), arg);
		release_slot(t, imsi_at(t, s));
		t->st.evictions++;
	}
	uint32_t slot = t->free_slots[--t->nfree];
	uint32_t tag = (uint32_t)(hash_of(imsi) >> 32);
	uint64_t b = probe(t, imsi, tag);

	r = record_at(t, slot);
	memset(r, 0, t->record_size);
	memcpy(r, &imsi, sizeof(imsi));
	t->index[b] = (struct bucket){ .tag = tag, .slot1 = slot + 1 };
	t->referenced[slot] = 1;
	t->st.inserts++;
	t->st.active++;
	*created = 1;
	return r;
}

void cs_subscriber_each(struct cs_subscriber_table *t, void (*fn)(void *record, void *arg), void *arg)
{
	for (uint64_t b = 0; b < t->nbuckets; b++)
		if (t->index[b].slot1 != 0)
			fn(record_at(t, t->index[b].slot1 - 1), arg);
}

uint32_t cs_subscriber_table_capacity(const struct cs_subscriber_table *t)
{
	return t->capacity;
}

void *cs_subscriber_slot(struct cs_subscriber_table *t, uint32_t slot)
{
	if (slot >= t->capacity || imsi_at(t, slot) == 0)
		return NULL;
	return record_at(t, slot);
}

void *cs_subscriber_get_if_room(struct cs_subscriber_table *t, cs_digits imsi, int *created)
{
	*created = 0;
	if (t->nfree == 0 && cs_subscriber_find(t, imsi) == NULL)
		return NULL;
	return cs_subscriber_get(t, imsi, created, NULL, NULL);
}

void cs_subscriber_table_stats(const struct cs_subscriber_table *t, struct cs_subscriber_table_stats *out)
{
	*out = t->st;
}

size_t cs_subscriber_table_bytes(const struct cs_subscriber_table *t)
{
	return t->nbuckets * sizeof(struct bucket) + (size_t)t->capacity * (t->record_size + 1 + sizeof(uint32_t));
}
