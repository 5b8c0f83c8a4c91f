/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_NUMBER_PLAN_H
#define CS_NUMBER_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "digits.h"

/*
 * A number plan: a set of digit prefixes, each with a label id, asked
 * "which is the longest prefix of this number?". The detection rules use
 * one plan per list the configuration names (IoT ranges, risky ranges,
 * short-code senders, handset and module TACs; docs/number-plans.md).
 *
 * A plan is built once by a control thread (cs_number_plan_build, or the
 * file loader control/number_plan_file.h) and never changes afterwards:
 * any number of worker lcores read it at once with no locks, and a lookup
 * allocates nothing and writes nothing. To change a plan, build a new one,
 * swap the pointer the workers read, and free the old one only once every
 * worker has passed a quiescent state (as the session directory's RCU does).
 *
 * Layout: one allocation, entries sorted by (length, digits):
 *
 *   +--------------------------+
 *   | header: n, lengths mask, |   lengths: bit L set <=> some prefix has L digits
 *   | start[0..17]             |   entries of L digits: [start[L], start[L+1])
 *   +--------------------------+
 *   | key[n]     uint64_t      |   the prefix's L digits in the low 4L bits:
 *   |                          |   "1064" -> 0x1064 (no 0xF filler)
 *   +--------------------------+
 *   | label[n]   uint32_t      |   the entry's label id
 *   +--------------------------+
 *   | label_at[nlabels + 1]    |   offsets into text: label id l is
 *   | text, NUL-terminated     |   text + label_at[l]
 *   +--------------------------+
 *
 * Lookup, longest length first: for each length L in the mask, the
 * number's first L digits are number >> 4 * (16 - L); a binary search of
 * that length's keys finds them or not. The first hit is the longest
 * match. A number shorter than L leaves 0xF nibbles in its first L, and
 * no key holds a 0xF nibble, so it cannot match: no length check is
 * needed for correctness, and CS_DIGITS_NONE (all 0xF) matches nothing.
 *
 * Worked example: prefixes "86170" (MVNO) and "861705" (other MVNO),
 * number 8617051234567: lengths {5, 6}; L = 6: 0x861705 is a key -> hit,
 * label "other MVNO", 6 digits. Number 8617012345678: L = 6: 0x861701
 * is no key; L = 5: 0x86170 is -> "MVNO".
 *
 * Size: 12 bytes an entry plus the label texts; a million entries take
 * 12 MB, and a lookup does at most 16 binary searches of at most 20 steps
 * (in practice one to three lengths are present).
 */

/* A plan holds at most this many prefixes (the file loader counts a range as the prefixes it expands to). */
enum { CS_NUMBER_PLAN_MAX_ENTRIES = 1 << 20 };

struct cs_number_plan;

/* One prefix and its label id: input to cs_number_plan_build. */
struct cs_number_plan_entry {
	cs_digits prefix; /* 1 to 16 digits, packed as digits.h describes */
	uint32_t label;
};

/* The answer of a lookup. digits == 0: no prefix of the number is in the plan. */
struct cs_number_plan_hit {
	uint32_t label;   /* the matched entry's label id */
	uint8_t digits;   /* the matched prefix's length, 1 to 16 */
};

/*
 * Builds a plan of n entries, given in any order. Label ids are opaque to
 * the plan (category ids of the caller's choosing) when labels is NULL;
 * otherwise labels[0..nlabels) are their texts (copied into the plan) and
 * every entry's label must be below nlabels. Returns NULL with errno
 * EINVAL (a prefix that is not 1 to 16 packed digits, the same prefix
 * twice, a label id without a text), E2BIG (more than
 * CS_NUMBER_PLAN_MAX_ENTRIES entries or labels) or ENOMEM. n may be 0:
 * an empty plan matches nothing.
 */
struct cs_number_plan *cs_number_plan_build(const struct cs_number_plan_entry *entries, size_t n,
					    const char *const *labels, size_t nlabels);
void cs_number_plan_free(struct cs_number_plan *plan);

/* The longest prefix of number in plan (see the layout comment). CS_DIGITS_NONE matches nothing. */
struct cs_number_plan_hit cs_number_plan_match(const struct cs_number_plan *plan, cs_digits number);

/*
 * TAC lists (TS 23.003 6.2: IMEI = TAC (8 digits) + serial number (6) +
 * check digit (1); IMEISV = TAC + serial + software version (2)) are plans
 * of 8-digit entries. Pass the IMEI or IMEISV itself: only its first 8
 * digits are looked up, so an entry longer than 8 digits never matches a
 * serial number, and an entry shorter than 8 covers every TAC that starts
 * with it (a whole allocation block).
 */
static inline struct cs_number_plan_hit cs_number_plan_match_tac(const struct cs_number_plan *plan, cs_digits imei)
{
	return cs_number_plan_match(plan, imei | (UINT64_MAX >> 32)); /* digits 9-16 -> filler */
}

/* Entries in the plan. */
size_t cs_number_plan_size(const struct cs_number_plan *plan);

/* Bit L (1 to 16) set when some prefix has L digits: lets a caller check that a TAC list holds 8-digit TACs. */
uint32_t cs_number_plan_lengths(const struct cs_number_plan *plan);

/* The text of a label id; "" for an id without text (or when the plan was built without labels). */
const char *cs_number_plan_label(const struct cs_number_plan *plan, uint32_t label);

#endif
