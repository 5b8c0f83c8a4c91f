/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_GPDU_MAP_H
#define CS_GPDU_MAP_H

#include <stdbool.h>
#include <stdint.h>

#include "digits.h"
#include "session_dir.h"

/*
 * The G-PDU fast path's map (session_dir.c): a user-plane F-TEID on an
 * IPv4 node -> its session's IMSI and reference and the key's role, kept
 * in the slot itself, so that a G-PDU's lookup reads this table and
 * nothing else: no key store behind a bucket, no session entry behind the
 * key. At a million sessions each of those is a cache miss of its own.
 *
 * Layout: a power-of-two array of 64-byte buckets, each a sequence count
 * and two 28-byte slots:
 *
 *   0      4             32             60     64
 *   | seq  | slot 0      | slot 1       | pad  |
 *   slot:  teid | addr | index | generation | imsi (lo, hi) | role + 1 (0: free)
 *
 * A key lives in one of two buckets, chosen by two hashes of it.
 * Insertion takes a free slot in the first, else in the second; when both
 * are full the caller keeps the key elsewhere (the directory's rte_hash).
 * Sized so that at most half the slots are in use, two-choice placement
 * leaves very few keys out, and most keys are in their first bucket: a
 * lookup reads the first, and the second only when the first does not
 * hold the key.
 *
 * One writer, lock-free readers: the writer makes a bucket's count odd
 * while it changes the bucket; a reader that saw an odd count, or another
 * count after copying, copies again. A freed slot may be taken again at
 * once: what a reader copied names a directory entry, and the directory
 * reuses entries only after every reader's grace period.
 */

/* What a G-PDU needs of its session. */
struct cs_gpdu_hit {
	cs_digits imsi;
	uint64_t session_ref; /* index << 32 | generation, as cs_session_view's */
	uint8_t role;         /* enum cs_fteid_role: uplink or downlink */
};

struct cs_gpdu_map;

/* A map for up to keys keys (each bucket pair half full at most); NULL when out of DPDK memory. */
struct cs_gpdu_map *cs_gpdu_map_create(const char *name, uint32_t keys, int socket);
void cs_gpdu_map_free(struct cs_gpdu_map *m);

/* Whether k can live here: an IPv4 node address (the first 4 bytes, the other 12 zero). */
bool cs_gpdu_map_takes(const struct cs_fteid *k);

/* ---- the writer ---- */

/* Adds k (not present: the caller checked). Returns 0, or -1 when both its buckets are full. */
int cs_gpdu_map_add(struct cs_gpdu_map *m, const struct cs_fteid *k, const struct cs_gpdu_hit *hit);

/* Removes k; returns whether it was here. */
bool cs_gpdu_map_del(struct cs_gpdu_map *m, const struct cs_fteid *k);

/* ---- readers ---- */

/* Returns whether k is here, with what it maps to. */
bool cs_gpdu_map_find(const struct cs_gpdu_map *m, const struct cs_fteid *k, struct cs_gpdu_hit *out);

/*
 * The same for n keys (n <= 32), each of which cs_gpdu_map_takes: their
 * first buckets are prefetched before any is read, then the second
 * buckets of the keys the first did not hold, so the burst's cache misses
 * overlap. Returns the mask of the keys found.
 */
uint32_t cs_gpdu_map_find_bulk(const struct cs_gpdu_map *m, const struct cs_fteid *const *keys, unsigned int n,
			       struct cs_gpdu_hit *out);

/* DPDK memory the map took. */
uint64_t cs_gpdu_map_bytes(const struct cs_gpdu_map *m);

#endif
