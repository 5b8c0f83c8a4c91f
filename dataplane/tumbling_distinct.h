/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_TUMBLING_DISTINCT_H
#define CS_TUMBLING_DISTINCT_H

#include <stdbool.h>
#include <stdint.h>

#include "distinct.h"

/*
 * A distinct count read like a sliding window: "how many different SIMs
 * did this IMEI carry in the last day", "how many different subscribers
 * were in this cell in the last hour".
 *
 * A distinct counter cannot forget one item, so the count tumbles: it
 * restarts at each aligned bucket (event time / length, as window.h cuts
 * time), and the previous bucket's final estimate is kept beside it and
 * faded out as the current bucket goes by (cs_window_tumbling_read):
 *
 *   read(t) = cur + prev * (W - e) / W        e = t mod W
 *
 * It errs upward by at most the items seen in both buckets, never below
 * the current bucket's count. Records holding several such counts of one
 * length keep one bucket index for all of them and roll them together.
 *
 * One count, 20 bytes (4-aligned: two in a row take 40):
 *
 *   0                                  16      18      20
 *   +----------------------------------+-------+-------+
 *   | cur: struct cs_distinct          | prev  | (pad) |
 *   +----------------------------------+-------+-------+
 *     inline fingerprints, or a pool     u16
 *     slot past 3 items (distinct.h)
 *
 *   W = 1 h, 20 IMSIs seen from 10:00 to 11:00, 1 since: at 11:15 the
 *   bucket is 11:00's, cur = 1, prev = 20, read = 1 + 20 x 3/4 = 16.
 *
 * prev is 16 bits, saturating at 65535: a final count that high is far
 * above any threshold a rule sets on it, and a sketch's slot (24 KiB) is
 * what the rollover gives back; the bucket before needs only its number.
 * prev is 0 when the bucket before was not the one just before (nothing
 * of it is in the window). An event of an older bucket than the current
 * one (lcores a few ms out of order) counts in the current bucket: a
 * distinct count cannot add to a final estimate, and counting it late is
 * the upward error the read already allows.
 *
 * A zeroed count is empty (its bucket is 1970's). One writer; nothing
 * allocates: the pool belongs to the worker (distinct.h).
 */
struct cs_tumbling_distinct {
	struct cs_distinct cur; /* the current bucket's items */
	uint16_t prev;          /* the bucket before's final estimate, saturating; 0 if it was older */
};

_Static_assert(sizeof(struct cs_tumbling_distinct) == 20, "a tumbling distinct count is 20 bytes");

struct cs_tumbling_count {
	uint64_t n;       /* distinct items in the trailing window (see above) */
	bool lower_bound; /* the pool was full in the current bucket: at least this many */
};

/*
 * Ends one count's bucket when the next event falls `ahead` buckets later
 * (ahead >= 1): returns what prev becomes, its final estimate saturated to
 * 16 bits if ahead is 1 and 0 if buckets were skipped, and gives its pool
 * slot back. For records that keep cur and prev apart (subscriber_state.h
 * packs its 2-byte prevs together); cs_tumbling_distinct_roll uses it too.
 */
uint16_t cs_tumbling_distinct_end(struct cs_distinct *cur, struct cs_distinct_pool *pool, uint32_t ahead);

/*
 * Moves the n counts t[], which share *bucket, to the bucket of ts_ns when
 * that is a later one: each keeps its final estimate as prev (0 if the
 * bucket skipped one or more) and gives its pool slot back. Call it before
 * adding an event of ts_ns.
 */
void cs_tumbling_distinct_roll(uint32_t *bucket, struct cs_tumbling_distinct *t, unsigned int n,
			       struct cs_distinct_pool *pool, uint64_t length_ns, uint64_t ts_ns);

/* Counts item (any 64-bit identity) in the current bucket, once however often it is added. */
void cs_tumbling_distinct_add(struct cs_tumbling_distinct *t, struct cs_distinct_pool *pool, uint64_t item);

/* The count in (now_ns - length_ns, now_ns]; bucket is the one the count was rolled to. */
struct cs_tumbling_count cs_tumbling_distinct_read(uint32_t bucket, const struct cs_tumbling_distinct *t,
						   const struct cs_distinct_pool *pool, uint64_t length_ns,
						   uint64_t now_ns);

/* Gives back the pool slots of the n counts t[] and empties them (before their record is reused). */
void cs_tumbling_distinct_release(struct cs_tumbling_distinct *t, unsigned int n, struct cs_distinct_pool *pool);

#endif
