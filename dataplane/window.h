/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_WINDOW_H
#define CS_WINDOW_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Event-time sliding-window counters for per-subscriber behaviour state
 * ("30+ calls in the last hour", "SMS in the last 10 minutes"). A
 * subscriber record holds about a dozen of them in 256 bytes, so a counter
 * is 8 bytes: a two-bucket sliding approximation, not a log of events.
 *
 * Time is cut into buckets of the window length W, bucket k covering
 * [k*W, (k+1)*W) of event time (packet timestamps, ns since the Unix
 * epoch). A counter keeps the count of the bucket holding its newest
 * event (cur) and of the bucket just before it (prev). At time t, e = t
 * mod W into bucket k, the window (t - W, t] is all of bucket k so far
 * plus the last W - e of bucket k-1; assuming bucket k-1's events were
 * spread evenly over it:
 *
 *   estimate(t) = cur + prev * (W - e) / W      (rounded to nearest)
 *
 *        bucket k-1 (prev)        bucket k (cur)
 *   |------------------------|-----------+------------|
 *   (k-1)W          t-W ^    kW     e    t
 *                       [ (W-e)/W of prev ][   cur    ]
 *
 * The error comes from prev only: |estimate - true| <= prev * max(e, W-e) / W
 * + 1/2, reached by a burst at the end (or the start) of bucket k-1; for
 * events at a steady rate over all of bucket k-1 it is at most 2. The estimate never exceeds the
 * count of the last 2W and never falls below that of the last e.
 * docs/windows.md has the derivation and measured errors.
 *
 * Layout (8 bytes, 4-aligned; three of them for 10 min / 1 h / 24 h of one
 * quantity are 24 bytes):
 *
 *   0        4        6        8
 *   +--------+--------+--------+
 *   | bucket |  cur   |  prev  |
 *   +--------+--------+--------+
 *     u32      u16      u16
 *
 *   W = 1 h, 40 calls between 10:00 and 11:00, 12 since 11:00; at 11:15
 *   bucket = 11:00 as hours since the epoch, cur = 12, prev = 40:
 *   estimate = 12 + 40 * 45/60 = 42.
 *
 * bucket is the index of cur's bucket, t / W truncated to 32 bits: the
 * counter compares it with the index of the time it is given modulo 2^32,
 * so it needs no per-table epoch and can tell "later" from "earlier" for
 * 2^31 buckets either way (68 years at the shortest window, 1 s). A 16-bit
 * index would save 2 bytes but wraps after 2^16 buckets (455 days at
 * 10 min), and a card asleep that long would then read stale counts or
 * have new events taken for late ones.
 * cur and prev saturate at 65535 (CS_WINDOW_SATURATED): a bucket that full
 * means "at least 65535", far above any per-subscriber threshold in one
 * window; bytes are not counted here.
 *
 * Event time is what drives it, so a replay at any speed, or live, gives the
 * same counts for the same packets in the same order. Time going back
 * (packets of several RX lcores meet at a worker a few ms out of order):
 *
 *   - an event in cur's bucket or the one before it is counted in the bucket
 *     it belongs to (cur or prev), so it is not lost and not misplaced;
 *   - an event two or more buckets back is older than W at every time the
 *     counter can still answer for, so it is not counted and add() says so
 *     (CS_WINDOW_TOO_OLD) for the caller to count by name;
 *   - a read at a time before cur's bucket answers as of that bucket's
 *     start (cur + prev): the counter cannot see further back.
 *
 * Time going forward by one bucket moves cur to prev; by two or more, both
 * are emptied (nothing of them is in the window any more). A zeroed counter
 * is a valid empty one (its bucket is 1970's); cs_window_init() places an
 * empty counter at its creation time, so events before it count only if they
 * fall in the previous bucket, where they belong.
 */
/* The two counts of one windowed counter, without its bucket index. */
struct cs_window_pair {
	uint16_t cur;  /* events in the bucket, saturating */
	uint16_t prev; /* events in the bucket before it, saturating */
};

struct cs_window_counter {
	uint32_t bucket; /* index of cur's bucket: event time / W, modulo 2^32 */
	union {
		struct cs_window_pair pair;
		struct {
			uint16_t cur;
			uint16_t prev;
		};
	};
};

_Static_assert(sizeof(struct cs_window_counter) == 8, "a windowed counter is 8 bytes");

#define CS_WINDOW_SATURATED UINT16_MAX

#define CS_WINDOW_NS_PER_S 1000000000ull
/* The default lengths of the detection rules. */
#define CS_WINDOW_10MIN_NS (600ull * CS_WINDOW_NS_PER_S)
#define CS_WINDOW_1H_NS (3600ull * CS_WINDOW_NS_PER_S)
#define CS_WINDOW_24H_NS (86400ull * CS_WINDOW_NS_PER_S)
/*
 * Accepted lengths. At least 1 s keeps the 2^31-bucket span above; at most
 * 3 days keeps prev * (W - e) in 64 bits, in ns, so the estimate is exact
 * arithmetic (65535 * 2.6e14 < 1.8e19). Longer habits than a few days are
 * not sliding-window material: last-seen times and daily records serve them.
 */
#define CS_WINDOW_MIN_NS CS_WINDOW_NS_PER_S
#define CS_WINDOW_MAX_NS (3ull * 86400ull * CS_WINDOW_NS_PER_S)

enum cs_window_add_result {
	CS_WINDOW_COUNTED = 0,  /* in cur or prev (saturating) */
	CS_WINDOW_TOO_OLD = 1,  /* two or more buckets before the newest: outside every window */
};

/*
 * A group: counters of one window length that always move together (a
 * subscriber's hourly calls, answers, SMS, ...) share one bucket index and
 * keep only their pairs, 4 bytes each instead of 8. The group functions
 * are the single counter's, applied to every pair of the group at once.
 */
enum cs_window_add_result cs_window_group_add(uint32_t *bucket, struct cs_window_pair *pairs, unsigned int n,
					      unsigned int which, uint64_t length_ns, uint64_t now_ns, uint32_t amount);
uint32_t cs_window_group_read(uint32_t bucket, const struct cs_window_pair *pair, uint64_t length_ns,
			      uint64_t now_ns);

/*
 * A tumbling count (a distinct count restarted each bucket: it cannot
 * subtract) read like a window: cur counted in bucket, prev the final
 * count of the bucket before it, faded out as bucket + 1 goes by. Unlike
 * the pairs, cur may be large (a sketch's estimate), so the fraction is
 * taken in double precision rather than as a 64-bit product.
 */
uint64_t cs_window_tumbling_read(uint32_t bucket, uint64_t cur, uint64_t prev, uint64_t length_ns, uint64_t now_ns);

/* Whether length_ns may be a window length (configuration checks it once; the calls below assume it). */
bool cs_window_length_valid(uint64_t length_ns);

/* An empty counter created at now_ns. */
void cs_window_init(struct cs_window_counter *c, uint64_t length_ns, uint64_t now_ns);

/* Counts amount events at now_ns in a window of length_ns. */
enum cs_window_add_result cs_window_add(struct cs_window_counter *c, uint64_t length_ns, uint64_t now_ns,
					uint32_t amount);

/* The estimated number of events in (now_ns - length_ns, now_ns]; at most 2 * 65535. */
uint32_t cs_window_read(const struct cs_window_counter *c, uint64_t length_ns, uint64_t now_ns);

#endif
