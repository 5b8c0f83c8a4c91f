/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_BLOCK_STATE_H
#define CS_BLOCK_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "digits.h"
#include "window.h"

/*
 * Per-number-block aggregate: how many numbers of one block of consecutive
 * MSISDNs became active for the first time ever, and which. SIM cards are
 * sold and provisioned in batches of consecutive numbers; a fraud ring that
 * buys a batch and switches it on in one go (a SIM box being filled, an SMS
 * farm starting) lights up dozens of never-seen numbers of one block within
 * the hour, where ordinary sales activate a few a day, scattered over many
 * blocks (the numblock.batch rule: 20+ first activations in one hour).
 *
 * A block is every number sharing all digits but the last k (suffix_digits,
 * 1..4, default 3: up to 1000 numbers). The block's key is the MSISDN with
 * those k digits cut off, in the cs_digits form, so its length is part of
 * the key ("4477009001" and "447700900" head different blocks):
 *
 *   MSISDN 447700900123, k = 3
 *   0x447700900123FFFF -> prefix 0x447700900FFFFFFF ("447700900"), suffix 123
 *
 * The record remembers every number of the block that was ever active, one
 * bit each: a number is new once, exactly, with no sketch to forget it or
 * to mistake it for another. 10^k bits are 125 bytes at k = 3; a block that
 * the table evicts forgets them, and the long memory (the state store)
 * restores them at start with cs_block_mark_known().
 *
 *  off size
 *    0   8  prefix                the table's key (the MSISDN less its suffix)
 *    8   8  first activations in the short window (10 min), a window counter
 *   16   8  first activations in the hour window
 *   24   8  first activations in the day window
 *   32   2  ever                  numbers ever active (bits set), <= 10^4
 *   34   1  ring_next             the ring's next slot, 0..31
 *   35   1  ring_len              entries in the ring, 0..32
 *   36   4  last_seen_s           newest activity of any member, event time, s
 *   40 128  ring_s[32]            recent first activations: event time, s
 *  168  64  ring_suffix[32]       ... and which number (the suffix's value)
 *  232   .  bitmap[]              10^k bits, in 64-bit words: bit s%64 of word s/64
 *
 *   k  numbers  bitmap  record (cs_block_record_size)
 *   1       10      8    240
 *   2      100     16    248
 *   3     1000    128    360
 *   4    10000   1256   1488
 *
 * plus the table's 10.7 bytes of index a block. The ring keeps the last 32
 * first activations (the rule needs 20 with room to spare) in the order
 * they came; time (u32 seconds, good to 2106) and suffix (u16, <= 9999) are
 * two arrays rather than 32 six-byte pairs that would pad to eight. The
 * bitmap is in 64-bit words so that every record size is a multiple of 8
 * and the table's records stay aligned.
 *
 * The record does not know its own k: every call takes the configuration
 * (one for all blocks, fixed at start), and a suffix outside 0..10^k - 1 is
 * refused before any bit is touched.
 */
enum {
	CS_BLOCK_SUFFIX_MIN = 1,
	CS_BLOCK_SUFFIX_MAX = 4,
	CS_BLOCK_SUFFIX_DEFAULT = 3,
	CS_BLOCK_RING = 32, /* recent first activations kept */
};

struct cs_block {
	cs_digits prefix;
	struct cs_window_counter short_new, hour_new, day_new;
	uint16_t ever;
	uint8_t ring_next;
	uint8_t ring_len;
	uint32_t last_seen_s;
	uint32_t ring_s[CS_BLOCK_RING];
	uint16_t ring_suffix[CS_BLOCK_RING];
	uint64_t bitmap[];
};

_Static_assert(sizeof(struct cs_block) == 232, "a block is 232 bytes + its bitmap");
_Static_assert(offsetof(struct cs_block, bitmap) == sizeof(struct cs_block), "the bitmap follows the header");

struct cs_block_conf {
	uint64_t short_ns, hour_ns, day_ns; /* 10 min, 1 h, 24 h */
	uint8_t suffix_digits;               /* k: the digits that vary within a block, 1..4 (default 3) */
};

/* One recent first activation. */
struct cs_block_recent {
	uint32_t ts_s;   /* event time, seconds since the Unix epoch */
	uint16_t suffix; /* the number: cs_block_member(prefix, k, suffix) */
};

/* Everything a rule or an analyst reads, as of now. */
struct cs_block_view {
	uint32_t short_new, hour_new, day_new; /* first activations in the trailing windows (window.h's estimate) */
	uint32_t ever;                         /* numbers of the block ever active */
	uint32_t last_seen_s;                  /* newest activity of any member */
	uint32_t n_recent;                     /* entries in recent, <= CS_BLOCK_RING */
	uint32_t recent_in_hour;               /* the first this many of recent are within the trailing hour */
	struct cs_block_recent recent[CS_BLOCK_RING]; /* newest event time first */
};

void cs_block_conf_default(struct cs_block_conf *c);

/* Whether the windows are valid lengths (window.h) and suffix_digits is 1..4 (configuration checks it once). */
bool cs_block_conf_valid(const struct cs_block_conf *c);

/* Bytes of a block record for k suffix digits (the table's record_size), a multiple of 8; 0 if k is not 1..4. */
size_t cs_block_record_size(unsigned int suffix_digits);

/*
 * Splits an MSISDN into its block's prefix (returned) and the value of its
 * last suffix_digits digits (*suffix). CS_DIGITS_NONE (and *suffix 0) when
 * the number is CS_DIGITS_NONE, has no more digits than the suffix, has a
 * suffix nibble that is not a digit, or suffix_digits is not 1..4.
 */
cs_digits cs_block_key(cs_digits msisdn, unsigned int suffix_digits, uint32_t *suffix);

/*
 * The number of a block: prefix followed by suffix written in exactly
 * suffix_digits digits, leading zeros kept (suffix 7, k = 3: "...007").
 * CS_DIGITS_NONE if prefix is, the suffix does not fit k digits, or the
 * number would exceed 16 digits.
 */
cs_digits cs_block_member(cs_digits prefix, unsigned int suffix_digits, uint32_t suffix);

/*
 * The number prefix+suffix was active at ts. Returns true if this is its
 * first activation ever: its bit was clear. Then it is remembered, counted
 * in the three windows (an event too old for a window is not counted there,
 * as window.h says, but is still remembered) and put in the ring. Returns
 * false, touching nothing but last_seen_s, for a number seen before, and
 * false, touching nothing, for a suffix outside 0..10^k - 1.
 */
bool cs_block_on_active(struct cs_block *b, const struct cs_block_conf *conf, uint32_t suffix, uint64_t ts_ns);

/*
 * Long memory restored at start: the number was active before. Counted in
 * ever, not in the windows nor the ring. Returns true if it was not known
 * yet; false if it was, or the suffix is out of range (nothing touched).
 */
bool cs_block_mark_known(struct cs_block *b, const struct cs_block_conf *conf, uint32_t suffix);

/* Whether the number was ever active (false for a suffix out of range). */
bool cs_block_is_known(const struct cs_block *b, const struct cs_block_conf *conf, uint32_t suffix);

/*
 * The block as of now_ns. recent lists the ring sorted by event time,
 * newest first (arrival order among equal seconds, the later first); an
 * entry is within the trailing hour when its second began less than
 * hour_ns before now_ns (or after it), so those are the first
 * recent_in_hour entries.
 */
void cs_block_read(const struct cs_block *b, const struct cs_block_conf *conf, uint64_t now_ns,
		   struct cs_block_view *out);

#endif
