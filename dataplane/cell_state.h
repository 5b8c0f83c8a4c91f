/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_CELL_STATE_H
#define CS_CELL_STATE_H

#include <stdint.h>

#include "distinct.h"
#include "session_dir.h"
#include "tumbling_distinct.h"

/*
 * Per-cell aggregate: how many different subscribers (IMSIs) were active
 * in one cell in the hour window, and how many different ones of them the
 * rules currently find suspicious. A SIM-box farm sits in one cell: a
 * hundred SIMs in a rack behind one antenna, most of them flagged, where
 * an ordinary cell shows many subscribers and few flags.
 *
 * The cell key: one 64-bit value naming a cell worldwide, cs_digits-like
 * (the PLMN's digits one per nibble, so a hex dump reads as the MCC and
 * MNC), for the worker's fixed-capacity table (subscriber_table.h):
 *
 *   bit 63     52 51     40 39  36 35  32 31          16 15           0
 *       +--------+--------+------+------+--------------+--------------+
 *       |  MCC   |  MNC   | kind | 0000 |     LAC      |  CI or SAC   |   CGI, SAI (2G/3G)
 *       +--------+--------+------+------+--------------+--------------+
 *       |  MCC   |  MNC   | kind | 0000 | 0000 |      ECI (28 bits)    |   ECGI (LTE)
 *       +--------+--------+------+------+--------------+--------------+
 *        3 BCD    3 BCD     enum
 *        digits   digits    cs_cell_kind
 *
 *   MCC 001, MNC 01, ECGI, ECI 0x1234567          0x00101f1001234567
 *   MCC 001, MNC 001, the same ECI                 0x0010011001234567
 *   MCC 310, MNC 410, CGI, LAC 0x1a2b, CI 0x3c4d   0x310410201a2b3c4d
 *
 * A 2-digit MNC ends in the filler nibble F, as in TBCD and cs_digits, so
 * "01" and "001" are different keys, as they are different networks. The
 * kind is part of the key: a 3G SAC and a 2G CI may share LAC and value
 * and still name different things. The ECGI leaves out the TAC: PLMN and
 * ECI name an LTE cell alone (TS 23.003 19.6), and a TAU that moves the
 * cell to another TAC must not split its count. A CGI or SAI needs its
 * LAC: a CI is unique only within its location area.
 *
 * Why this is never a table's "no identity": the kind nibble is 1..3, so a
 * cell's key is never 0 and never CS_DIGITS_NONE (UINT64_MAX, kind F). 0,
 * CS_CELL_KEY_NONE, is what a location without a cell gets (only a TAI or
 * a RAI, or fields out of range); the caller keeps no record for it.
 *
 * The record, 56 bytes; one worker writes it (the one owning the cell),
 * nothing allocates (sketch slots come from the worker's pool):
 *
 *  off size
 *    0   8  key                       cs_cell_key(), the table's key
 *    8   4  hour_bucket               event time / hour length, both counts
 *   12   4  last_seen_s               event time, seconds
 *   16  16  imsis[ACTIVE].cur         distinct IMSIs this hour (pool slot past 3)
 *   32   2  imsis[ACTIVE].prev        the hour before's estimate, saturating
 *   34   2  (padding)
 *   36  16  imsis[SUSPICIOUS].cur     distinct IMSIs flagged this hour
 *   52   2  imsis[SUSPICIOUS].prev
 *   54   2  (padding)
 *
 * Both counts tumble per aligned hour with the previous hour's estimate
 * faded out (tumbling_distinct.h), rolled together on the shared bucket.
 * An IMSI flagged suspicious is counted active too, so the suspicious
 * IMSIs are a subset of the active ones in every hour; the read keeps the
 * two counts in that order (see cs_cell_read).
 */
enum cs_cell_count { CS_CELL_ACTIVE = 0, CS_CELL_SUSPICIOUS = 1, CS_CELL_COUNTS = 2 };

struct cs_cell {
	uint64_t key;
	uint32_t hour_bucket;
	uint32_t last_seen_s;
	struct cs_tumbling_distinct imsis[CS_CELL_COUNTS]; /* by enum cs_cell_count */
};

_Static_assert(sizeof(struct cs_cell) == 56, "a cell is 56 bytes + 10.7 of index");

/* The key of no cell: a location with only a TAI or RAI, or out-of-range fields. */
#define CS_CELL_KEY_NONE UINT64_C(0)

/*
 * The key of u's cell (layout above), or CS_CELL_KEY_NONE when u names no
 * cell: cell_kind none or unknown, MCC above 999, mnc_digits not 2 or 3,
 * an MNC with more digits than it says, an ECI over 28 bits, a CI or SAC
 * over 16 bits, or a CGI or SAI whose LAC was not signalled.
 */
uint64_t cs_cell_key(const struct cs_uli *u);

/*
 * The parts of a key, for JSON and evidence: MCC, MNC and its digit count,
 * the kind and the cell, with the LAC (area_kind CS_AREA_LAC) for CGI and
 * SAI; an ECGI key has no TAC (area_kind CS_AREA_NONE). Anything that
 * cs_cell_key() cannot return gives an all-zero uli (cell_kind
 * CS_CELL_NONE). cs_cell_key(parts of k) == k for every key it returned.
 */
void cs_cell_key_parts(uint64_t key, struct cs_uli *out);

struct cs_cell_view {
	struct cs_tumbling_count active;     /* distinct IMSIs in the cell in the trailing hour */
	struct cs_tumbling_count suspicious; /* of them, distinct IMSIs flagged suspicious; <= active */
};

/* The subscriber imsi was active in cell c at ts_ns; a late event counts in the current hour. */
void cs_cell_on_active(struct cs_cell *c, struct cs_distinct_pool *pool, uint64_t hour_ns, cs_digits imsi,
		       uint64_t ts_ns);

/* The rules flagged subscriber imsi, in cell c, suspicious at ts_ns: counted suspicious and active. */
void cs_cell_on_suspicious(struct cs_cell *c, struct cs_distinct_pool *pool, uint64_t hour_ns, cs_digits imsi,
			   uint64_t ts_ns);

/*
 * The counts at now_ns. A subset cannot outnumber its set: when estimates
 * (a sketch's error, or a full pool that left active a floor while the
 * suspicious count found a slot) put suspicious above active, active reads
 * as suspicious, which the true count of active IMSIs is at least.
 */
void cs_cell_read(const struct cs_cell *c, const struct cs_distinct_pool *pool, uint64_t hour_ns, uint64_t now_ns,
		  struct cs_cell_view *out);

/* Gives back the cell's pool slots (before the table reuses the record). */
void cs_cell_release(struct cs_cell *c, struct cs_distinct_pool *pool);

#endif
