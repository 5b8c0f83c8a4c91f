/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_DEVICE_STATE_H
#define CS_DEVICE_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "digits.h"
#include "distinct.h"
#include "tumbling_distinct.h"

/*
 * Per-device aggregate: how many SIMs (IMSIs) one IMEI carried in the day
 * window. A GoIP gateway or a SIM-box slot rotates dozens of SIMs through
 * one radio; an ordinary phone shows one or two a day.
 *
 * Like the subscriber state it is sharded, by the IMEI's hash: the decode
 * stage sends each session's identity to the worker owning its IMEI too
 * (cs_ev_session.for_imei), so one lcore writes each device. The count is
 * tumbling per aligned day, with the previous day's final estimate kept
 * and faded out across the current day (tumbling_distinct.h), as the
 * subscriber's distinct counts are (docs/state-engine.md): it errs upward
 * by at most the SIMs seen on both days, never below today's count.
 *
 *  off size
 *    0   8  imei                  the table's key
 *    8   4  day_bucket            event time / day length
 *   12   4  last_seen_s           event time, seconds
 *   16  16  imsis.cur             distinct.c counter (pool slot past 3 SIMs)
 *   32   2  imsis.prev            the previous day's estimate, saturating
 *   34   2  (padding of imsis)
 *   36   1  recent_next           the ring's next slot, 37 1 recent_len
 *   38   2  (padding)
 *   40  64  recent[8]             the latest distinct SIMs, a ring: the members a
 *                                 simbox.imei_rotation anomaly lists
 */
enum { CS_DEVICE_RECENT = 8 };

struct cs_device {
	cs_digits imei;
	uint32_t day_bucket;
	uint32_t last_seen_s;
	struct cs_tumbling_distinct imsis;
	uint8_t recent_next;
	uint8_t recent_len;
	cs_digits recent[CS_DEVICE_RECENT];
};

_Static_assert(sizeof(struct cs_device) == 104, "a device is 104 bytes + 10.7 of index");

struct cs_device_count {
	uint64_t imsis;     /* distinct SIMs in the trailing day (see above) */
	bool lower_bound;   /* the sketch pool was full: at least this many */
};

/* The SIM imsi was seen in device d at ts (a session's identity); a late event counts in the current day. */
void cs_device_on_imsi(struct cs_device *d, struct cs_distinct_pool *pool, uint64_t day_ns, cs_digits imsi,
		       uint64_t ts_ns);

void cs_device_read(const struct cs_device *d, const struct cs_distinct_pool *pool, uint64_t day_ns, uint64_t now_ns,
		    struct cs_device_count *out);

/* The latest distinct SIMs of the device (at most CS_DEVICE_RECENT), newest first. Returns how many. */
unsigned int cs_device_recent(const struct cs_device *d, cs_digits out[CS_DEVICE_RECENT]);

/* Gives back the device's pool slot (before the table reuses the record). */
void cs_device_release(struct cs_device *d, struct cs_distinct_pool *pool);

#endif
