/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_DISTINCT_H
#define CS_DISTINCT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Distinct counting for per-subscriber behaviour: how many different
 * callees, SMS recipients, MT SMS senders, data destinations, cells and
 * IMEIs one subscriber has shown. Exact for small cardinalities, a
 * HyperLogLog sketch beyond, mergeable (partial states of several probes
 * combine into the state of the union), serialisable with a version byte.
 *
 * Memory is the constraint. The whole per-subscriber record, index
 * included, must stay within 256 bytes, and it carries six of these
 * counters, while a sketch accurate to 2% at 100,000 items needs 24 KiB.
 * So a counter has three homes, two of them lent by the worker's pool
 * (allocated once, at creation):
 *
 *   1. 16 bytes inline, in the subscriber record: up to 3 item
 *      fingerprints, exact. Most counters of most subscribers stay here
 *      (one IMEI, a handful of cells or callees a day); six of them take
 *      96 of the 256 bytes.
 *   2. an exact slot, 128 bytes, entered when the 4th distinct item
 *      arrives: up to 32 fingerprints, exact. Plentiful (65,536 a worker
 *      are 8 MiB), because nearly every active data user passes 3
 *      destinations an hour.
 *   3. a sketch slot, 24692 bytes, entered when the 33rd arrives: the 32
 *      fingerprints are fed to a HyperLogLog sketch and the exact slot is
 *      given back. Scarce (1024 a worker are 24 MiB): only SIM boxes,
 *      floods and busy cells get here.
 *
 * Why an exact slot is 128 bytes: 32 fingerprints of 4 bytes, two cache
 * lines, no header. Its count and lower-bound flag live in the state word,
 * its floor in the counter's inline words (unused once the fingerprints
 * moved out), and a free slot's fp[0] links the free list. Why 32: it is
 * where the sketch was entered before this tier existed, a rule reading
 * ">= 25 distinct callees" stays exact, and below 33 items a sketch costs
 * 193 times more memory for an estimate no better than the exact count.
 * Before the exact tier a counter took a sketch slot (then an exact set of
 * 32 in 24 KiB) at its 4th item: at 1 M subscribers a worker's 1024 slots
 * went at once and 520,612 promotions were refused, leaving counters that
 * a rule needs (callees of a SIM box) at a useless floor of 4.
 *
 * Sizing: one exact slot per counter holding 4..32 items at a time. In
 * the state benchmark (bench/state_bench.c, 20 events a subscriber over
 * 4 h), 100,000 subscribers a worker need fewer than 65,536 (no refusal);
 * 1 M need between 154,738 and 196,608 (24 MiB: no refusal), where 65,536
 * still leave 278,377 promotions refused (520,580 with no exact slots).
 *
 * When no exact slot is free at the 4th item, the counter takes a sketch
 * slot directly, which holds the exact set of 32 itself and turns in place
 * into the sketch at the 33rd (with no exact slots at all, the behaviour
 * before this tier). When neither is free it saturates (below).
 *
 * The inline counter (struct cs_distinct), 16 bytes:
 *
 *   byte  0         4         8         12        16
 *         +---------+---------+---------+---------+
 *         |  state  |  fp[0]  |  fp[1]  |  fp[2]  |   little-endian uint32s
 *         +---------+---------+---------+---------+
 *
 *   state  bits 31-30  mode: 0 inline, 1 sketch slot, 2 saturated, 3 exact slot
 *          inline:      bits 29-28 n (fingerprints held, 0..3), 27-0 zero
 *          saturated:   bits 29-28 n, bits 27-0 the lower bound L
 *          sketch slot: bits 29-0 the slot index; fp[] unused (zero)
 *          exact slot:  bits 29-24 n (fingerprints in the slot, 0..32),
 *                       bit 23 lower bound, bits 22-0 the exact slot index;
 *                       fp[0] the floor (0 unless a lower bound), fp[1..2] zero
 *
 *   Example: items A, B seen, fingerprints 0x9f3a0c11, 0x0471be20:
 *     state 0x20000000 (inline, n = 2), fp = { 0x9f3a0c11, 0x0471be20, 0 }
 *   Example: 5 items, in exact slot 1234 (0x4d2):
 *     state 0xc50004d2 (mode 3, n = 5, slot 0x4d2), fp = { 0, 0, 0 }
 *   Example: 32 items in exact slot 7, the 33rd refused a sketch slot:
 *     state 0xe0800007 (mode 3, n = 32, lower bound, slot 7), fp = { 33, 0, 0 }
 *
 * 23 bits of exact slot index allow 8,388,607 exact slots (1 GiB) a worker.
 *
 * Why fingerprints of 32 bits: three 64-bit hashes would not fit beside
 * the state word, and 32 bits keep the exact part exact in practice: two
 * of 32 distinct items share a fingerprint with probability
 * 32 * 31 / 2 / 2^32 = 1.2e-7. The sketch is fed from the fingerprint too
 * (re-mixed to 64 bits), so an item counts the same whether it arrived
 * before or after promotion, and a merge needs nothing but fingerprints.
 *
 * The sketch: HyperLogLog with p = 15, m = 32768 registers of 6 bits
 * packed (Redis's layout: register i at bit 6i, least significant bits
 * first) = 24576 bytes. The register index is the top 15 bits of the
 * 64-bit hash; the value is the position of the first 1 in the remaining
 * 49 bits (1..50, 50 when they are all zero). The estimate is Ertl's
 * (arXiv:1702.01284, as in Redis since 5.0): from the histogram of
 * register values, unbiased over the whole range, and its small-range
 * term is linear counting, so 33..10,000 items need no switch-over and no
 * bias tables. Standard error 1.04 / sqrt(m) = 0.57%; p = 14 (0.81%)
 * would make "at most 2% over 50 seeds at 100,000" a 2.5-sigma bet, p = 15
 * makes it a 3.5-sigma one. Each slot keeps the histogram up to date on
 * every register change, so an estimate reads 51 numbers, not 32768
 * registers.
 *
 * When a counter at its 4th item finds neither an exact nor a sketch slot,
 * the promotion is refused (counted: promotions_refused) and the counter
 * saturates: it keeps its fingerprints and reports a lower bound (4: the
 * three it holds and the one refused). Items it cannot record are counted
 * (items_lost). Each later add of an unknown item tries again, an exact
 * slot first; once a slot is free the counter continues in it, still
 * marked as a lower bound, since the items lost are lost. Likewise an
 * exact-slot counter whose 33rd item finds no sketch slot keeps its 32
 * fingerprints (so repeats of them still count once), becomes a lower
 * bound of 33 (promotions_refused), counts the unknown items it cannot
 * record (items_lost) and tries for a sketch slot at each of them. Nothing
 * grows, nothing is evicted behind another subscriber's back, never more
 * is reported than was seen, and a rule reading the count can tell an
 * estimate from a floor.
 *
 * Hashing: an item is any 64-bit identity (cs_digits, an IPv4 address, a
 * cell id); its fingerprint is the top 32 bits of splitmix64's finaliser
 * (Stafford's mix 13, as in Java's SplittableRandom), fixed for every
 * probe so that their states merge.
 *
 * A worker owns its pool; nothing here is thread-safe. Nothing allocates
 * after cs_distinct_pool_create.
 */

enum {
	CS_DISTINCT_INLINE = 3,      /* fingerprints held inline, exact */
	CS_DISTINCT_EXACT = 32,      /* fingerprints held in an exact (or sketch) slot before the sketch */
	CS_DISTINCT_P = 15,          /* HyperLogLog precision: m = 2^15 registers */
	CS_DISTINCT_REGISTERS = 1 << CS_DISTINCT_P,
	CS_DISTINCT_REGISTER_BYTES = CS_DISTINCT_REGISTERS * 6 / 8, /* 24576 */
	CS_DISTINCT_SLOT_BYTES = 24692, /* 12-byte header, 51 x 2-byte histogram (+2), registers */
	CS_DISTINCT_MAX_SLOTS = (1 << 30) - 1,
	CS_DISTINCT_EXACT_SLOT_BYTES = CS_DISTINCT_EXACT * 4, /* 128: 32 fingerprints, no header */
	CS_DISTINCT_MAX_EXACT_SLOTS = (1 << 23) - 1,
	CS_DISTINCT_MAX_BOUND = (1 << 28) - 1, /* largest lower bound a saturated counter holds */
};

/* One counter, inline in the record that owns it. Layout above. */
struct cs_distinct {
	uint32_t state;
	uint32_t fp[CS_DISTINCT_INLINE];
};

/*
 * What the pool counted. Declared once, expanded into the struct and the
 * names a stats reader shows.
 */
#define CS_DISTINCT_POOL_COUNTERS(X)                                                                      \
	/* counters moved into a sketch slot: from inline or saturated when no exact slot was free, */    \
	/* or from an exact slot at their 33rd item */                                                    \
	X(promotions)                                                                                     \
	/* exact sets turned into HyperLogLog sketches: at a 33rd item, or to merge a sketch in */        \
	X(sketches)                                                                                       \
	/* counters made lower bounds for want of a slot: at the 4th item (no exact slot and no sketch */ \
	/* slot free), at the 33rd (no sketch slot free), or merging a sketch in (no sketch slot free) */ \
	X(promotions_refused)                                                                             \
	/* adds a lower-bound counter could not record (repeats included) */                              \
	X(items_lost)                                                                                     \
	/* sketch slots given back (cs_distinct_release) */                                               \
	X(releases)                                                                                       \
	/* counters moved from inline or saturated into an exact slot (at the 4th item, or a retry) */    \
	X(exact_promotions)                                                                               \
	/* 4th items (of an add, a merge or a load) that found no exact slot free: the counter took a */  \
	/* sketch slot instead, or saturated */                                                           \
	X(exact_refused)                                                                                  \
	/* exact slots given back: released, or left for a sketch slot at the 33rd item */                \
	X(exact_releases)

struct cs_distinct_pool_stats {
#define CS_DISTINCT_COUNTER_FIELD(name) uint64_t name;
	CS_DISTINCT_POOL_COUNTERS(CS_DISTINCT_COUNTER_FIELD)
#undef CS_DISTINCT_COUNTER_FIELD
	uint32_t slots;        /* sketch slots: capacity */
	uint32_t in_use;       /* sketch slots held by counters now */
	uint32_t exact_slots;  /* exact slots: capacity */
	uint32_t exact_in_use; /* exact slots held by counters now */
};

struct cs_distinct_pool;

/*
 * A pool of exact_slots exact slots (128 bytes each, at most
 * CS_DISTINCT_MAX_EXACT_SLOTS) and sketch_slots sketch slots (24692 bytes
 * each, at most CS_DISTINCT_MAX_SLOTS), all allocated now; either may be 0
 * (no exact slots: every counter past 3 items takes a sketch slot). NULL
 * if out of memory or over a limit.
 */
struct cs_distinct_pool *cs_distinct_pool_create(uint32_t exact_slots, uint32_t sketch_slots);
void cs_distinct_pool_free(struct cs_distinct_pool *pool);
const struct cs_distinct_pool_stats *cs_distinct_pool_stats(const struct cs_distinct_pool *pool);

/* An empty counter. Zero-filled memory is an empty counter too. */
void cs_distinct_init(struct cs_distinct *c);

/* Gives back the counter's pool slot (exact or sketch), if it has one, and empties it. */
void cs_distinct_release(struct cs_distinct *c, struct cs_distinct_pool *pool);

/* Counts item (any 64-bit identity) once, however often it is added. */
void cs_distinct_add(struct cs_distinct *c, struct cs_distinct_pool *pool, uint64_t item);

enum cs_distinct_quality {
	CS_DISTINCT_IS_EXACT,       /* the distinct count (up to 32-bit fingerprint collisions) */
	CS_DISTINCT_IS_ESTIMATE,    /* a HyperLogLog estimate, standard error 0.57% */
	CS_DISTINCT_IS_LOWER_BOUND, /* items were lost to a full pool: at least this many */
};

struct cs_distinct_count {
	uint64_t n;
	enum cs_distinct_quality quality;
};

struct cs_distinct_count cs_distinct_estimate(const struct cs_distinct *c, const struct cs_distinct_pool *pool);

/*
 * Folds src (held in src_pool, possibly another probe's pool) into dst,
 * which then counts the union. Exact sets merge exactly; a sketch on
 * either side makes dst a sketch (registers: the maximum of each pair).
 * A lower bound on either side makes dst a lower bound. dst may need a
 * slot of dst_pool (an exact slot while the union has at most 32 items),
 * under the same rules as cs_distinct_add.
 */
void cs_distinct_merge(struct cs_distinct *dst, struct cs_distinct_pool *dst_pool, const struct cs_distinct *src,
		       const struct cs_distinct_pool *src_pool);

/*
 * Serialised form, version 1, for checkpoints and published partial
 * aggregates; multi-byte fields little-endian:
 *
 *   byte 0        1       2       3      4 .. 7    8 ..
 *        version  kind    flags   p      floor     body
 *        1        0 set   bit 0:  0 set  uint32
 *                 1 hll   lower   15 hll
 *                         bound
 *
 *   kind 0 (exact): body = n (1 byte, 0..32), then n uint32 fingerprints
 *                   in the order they were first seen: 9 + 4n bytes;
 *                   the same bytes whether the set was inline, in an
 *                   exact slot or in a sketch slot's exact phase
 *   kind 1 (hll):   body = 24576 bytes of packed registers: 24584 bytes
 *
 * floor is the lower bound carried by a saturated counter (0 unless flag
 * bit 0). Example: a counter that has seen one item, 0x8613800138000
 * (fingerprint 0xb18b6054), is 01 00 00 00 00 00 00 00 01 54 60 8b b1
 * (13 bytes).
 */
enum { CS_DISTINCT_SAVED_MAX = 8 + CS_DISTINCT_REGISTER_BYTES };

/* Writes c into buf; returns the bytes written, or 0 if cap is too small
 * (CS_DISTINCT_SAVED_MAX is always enough). */
size_t cs_distinct_save(const struct cs_distinct *c, const struct cs_distinct_pool *pool, uint8_t *buf, size_t cap);

/*
 * Reads a saved counter into c, which must be empty. Returns 0, or -1 if
 * the bytes are not a well-formed version-1 counter (c stays empty). A set
 * of 4..32 fingerprints goes to an exact slot (a sketch slot when no exact
 * slot is free), a sketch to a sketch slot; a counter that needs a slot
 * when pool has none saturates, as an add would.
 */
int cs_distinct_load(struct cs_distinct *c, struct cs_distinct_pool *pool, const uint8_t *buf, size_t len);

#endif
