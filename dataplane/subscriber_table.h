/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_SUBSCRIBER_TABLE_H
#define CS_SUBSCRIBER_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "digits.h"

/*
 * A worker's subscribers: a fixed-capacity table of per-IMSI records,
 * owned and written by that worker alone (no locks, no atomics).
 *
 *   index: open addressing, linear probing, 8 bytes a bucket, load < 3/4
 *          (capacity x 4/3 buckets, not rounded to a power of two: 10.7
 *          bytes of index a subscriber at any capacity)
 *   +-----------------+-----------------+
 *   | tag (32 bits)   | slot + 1 (32)   |   tag: high half of the IMSI's hash; slot + 1 = 0: empty
 *   +-----------------+-----------------+
 *   records: capacity x record_size bytes, the IMSI inside each record
 *            (the tag only filters; the record confirms)
 *
 * Deletion uses backward shift (no tombstones), so lookups never slow down
 * as subscribers come and go. When every slot is taken, a CLOCK hand
 * evicts the first record not touched since the hand last passed (one
 * reference bit per slot, set on every touch): bounded work per insert in
 * the common case, never a full scan per event, and the eviction is
 * counted. A flood of random IMSIs costs evictions, never memory.
 *
 * The table stores opaque records of a size fixed at creation (the state
 * engine's record layout lives with the state engine); the first 8 bytes
 * of each record are its IMSI, written by the table.
 */
struct cs_subscriber_table_stats {
	uint64_t inserts, evictions, lookups, hits;
	uint32_t active;
};

struct cs_subscriber_table;

/* Returns a table for capacity records of record_size bytes (>= 8), or NULL (out of memory, bad sizes). */
struct cs_subscriber_table *cs_subscriber_table_create(uint32_t capacity, uint32_t record_size);
void cs_subscriber_table_free(struct cs_subscriber_table *t);

/* The record of imsi, or NULL if the table holds none. */
void *cs_subscriber_find(struct cs_subscriber_table *t, cs_digits imsi);

/*
 * Prefetches for a lookup of imsi that comes soon, in two steps so that a
 * caller with a burst of keys can overlap their cache misses: first the
 * index bucket the probe starts at, then (once that has had time to
 * arrive) the record the bucket points to and its CLOCK bit. Neither
 * changes the table or its counters.
 */
void cs_subscriber_prefetch_index(const struct cs_subscriber_table *t, cs_digits imsi);
void cs_subscriber_prefetch_record(const struct cs_subscriber_table *t, cs_digits imsi);

/*
 * The record of imsi, created (zeroed, IMSI set, *created = 1) if absent.
 * When the table is full the idlest record is evicted first: it is
 * passed to on_evict (may be NULL) before its memory is reused.
 */
void *cs_subscriber_get(struct cs_subscriber_table *t, cs_digits imsi, int *created,
			void (*on_evict)(void *record, void *arg), void *arg);

/* The same, except that a full table evicts nothing: NULL when imsi has no record and there is no room. */
void *cs_subscriber_get_if_room(struct cs_subscriber_table *t, cs_digits imsi, int *created);

/* Removes imsi's record if present. */
void cs_subscriber_remove(struct cs_subscriber_table *t, cs_digits imsi);

/*
 * Slot by slot, for paced sweeps that must not scan the table at once:
 * the number of slots, and the record in one of them, or NULL when the
 * slot is free. Looking does not count as a touch for CLOCK. A free slot
 * holds key 0, which is never a key (a 16-digit string of zeros).
 */
uint32_t cs_subscriber_table_capacity(const struct cs_subscriber_table *t);
void *cs_subscriber_slot(struct cs_subscriber_table *t, uint32_t slot);

/* Calls fn for every record (a control-path walk: checkpoints, dumps). */
void cs_subscriber_each(struct cs_subscriber_table *t, void (*fn)(void *record, void *arg), void *arg);

void cs_subscriber_table_stats(const struct cs_subscriber_table *t, struct cs_subscriber_table_stats *out);

/* Bytes the table holds for its capacity: index, records and CLOCK bits. */
size_t cs_subscriber_table_bytes(const struct cs_subscriber_table *t);

#endif
