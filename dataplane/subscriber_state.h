/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_SUBSCRIBER_STATE_H
#define CS_SUBSCRIBER_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "checkpoint_queue.h"
#include "digits.h"
#include "distinct.h"
#include "window.h"

/*
 * One subscriber's behaviour, as its worker keeps it (docs/state-engine.md).
 * 240 bytes, the record of the worker's
 * subscriber table (subscriber_table.c adds 10.7 bytes of index): within
 * 256 a subscriber.
 *
 *  off size
 *    0   8  imsi                    the table's key
 *    8   8  msisdn, 16 8 imei       latest signalled
 *   24   8  bound_imei              the first IMEI ever seen (long memory)
 *   32   8  cell                    latest cell, as cell_state.h's key (PLMN, kind, id)
 *   40   1  rat, 41 1 flags
 *   42   2  first_imei_day          day (since 1970) bound_imei was first seen
 *   44   2  first_activation_day    day the MSISDN was first seen on this SIM
 *   46  14  the previous bucket's estimate of each distinct count (7 x 2)
 *   60  12  first_seen_s, last_seen_s, last_mo_s   event time, seconds
 *   72   8  kib_up, kib_down        all-time data, KiB, saturating
 *   80   4  hour_bucket             of every hourly count, distinct ones too
 *   84   4  day_bucket              of every daily count, distinct ones too
 *   88   8  MO events in the short window (10 min), a window counter
 *   96  28  hourly pairs: MO calls, answered, MT calls, short calls,
 *           call seconds, MO SMS, MT SMS
 *  124   4  daily pair: MO calls
 *  128 112  distinct: hourly callees, SMS recipients, data destinations;
 *           daily short-code senders, MT senders, cells, IMEIs
 *  240      no padding: the 2-byte fields sit together before the 4-byte ones
 *
 * One bucket index per window length: when an event opens a new hour,
 * every hourly count moves on at once (pairs shift, distinct counts keep
 * their final estimate and give back their sketch slots), whichever count
 * the event itself touches.
 *
 * Windowed distinct counts are tumbling per bucket, with the previous
 * bucket's final estimate kept (2 bytes): estimate = current + previous x
 * (1 - elapsed / W). An item seen in both buckets counts twice, so the
 * estimate errs upward by at most the overlap and never below the current
 * bucket's count.
 *
 * Long memory (checkpoint_queue.h) is what must outlive the process: first
 * and last seen, last MO, the bound IMEI and the number's first activation.
 * A change to any of it sets CS_STATE_DIRTY until the worker offers the
 * record to the checkpoint writer.
 */
enum cs_hourly {
	CS_H_MO_CALLS, CS_H_MO_ANSWERED, CS_H_MT_CALLS, CS_H_SHORT_CALLS, CS_H_CALL_SECONDS, CS_H_MO_SMS, CS_H_MT_SMS,
	CS_HOURLY
};

enum cs_distinct_kind {
	CS_D_CALLEES, CS_D_SMS_RECIPIENTS, CS_D_DATA_DESTINATIONS, /* hourly */
	CS_D_SHORTCODE_SENDERS, CS_D_MT_SENDERS, CS_D_CELLS, CS_D_IMEIS, /* daily */
	CS_DISTINCT_KINDS,
	CS_D_FIRST_DAILY = CS_D_SHORTCODE_SENDERS,
};

enum cs_state_flag {
	CS_STATE_SEEN_MO = 1,
	CS_STATE_SEEN_DATA = 2,
	CS_STATE_LONG_FLAGS = CS_STATE_SEEN_MO | CS_STATE_SEEN_DATA, /* the bits long memory keeps */
	CS_STATE_DIRTY = 0x80, /* long memory changed since the record was last offered to the checkpoint */
};

struct cs_subscriber {
	cs_digits imsi;
	cs_digits msisdn;
	cs_digits imei;
	cs_digits bound_imei;
	uint64_t cell;
	uint8_t rat;
	uint8_t flags;
	uint16_t first_imei_day;
	uint16_t first_activation_day;
	uint16_t distinct_prev[CS_DISTINCT_KINDS];
	uint32_t first_seen_s, last_seen_s, last_mo_s;
	uint32_t kib_up, kib_down;
	uint32_t hour_bucket, day_bucket;
	struct cs_window_counter mo_events_short;
	struct cs_window_pair hourly[CS_HOURLY];
	struct cs_window_pair mo_calls_day;
	struct cs_distinct distinct[CS_DISTINCT_KINDS];
};

_Static_assert(sizeof(struct cs_subscriber) == 240, "240 bytes + 10.7 of index: a subscriber within 256");
_Static_assert(offsetof(struct cs_subscriber, first_seen_s) == 60 && offsetof(struct cs_subscriber, distinct) == 128,
	       "the layout above");

/* What the state engine is configured with, and what it counted. */
struct cs_state_conf {
	uint64_t short_window_ns, hour_ns, day_ns; /* 10 min, 1 h, 24 h */
	uint32_t short_call_s;                      /* calls shorter than this are "short" (default 60) */
};

struct cs_state_ctx {
	struct cs_state_conf conf;
	struct cs_distinct_pool *pool; /* the worker's */
	uint64_t too_old;              /* events older than every window they would count in */
};

/* Everything a rule or an analyst reads, as of now. */
struct cs_state_view {
	uint32_t hourly[CS_HOURLY];
	uint32_t mo_events_short, mo_calls_day;
	uint64_t distinct[CS_DISTINCT_KINDS];
	bool distinct_lower_bound[CS_DISTINCT_KINDS]; /* the pool was full: at least this many */
};

void cs_state_conf_default(struct cs_state_conf *c);

/* A new record (the table zeroed it and set the IMSI): no identities known yet. */
void cs_state_init(struct cs_subscriber *s);

/* Activity of any kind at ts: first/last seen. */
void cs_state_seen(struct cs_subscriber *s, uint64_t ts_ns);
/* Identity and location as signalled (session events); cell is cs_cell_key()'s, 0 when none. */
void cs_state_on_identity(struct cs_state_ctx *x, struct cs_subscriber *s, cs_digits msisdn, cs_digits imei,
			  uint64_t cell, uint8_t rat, uint64_t ts_ns);
/* One G-PDU; peer is the remote address's hash (uplink destinations count as data destinations). */
void cs_state_on_data(struct cs_state_ctx *x, struct cs_subscriber *s, bool uplink, uint32_t bytes, uint64_t peer,
		      uint64_t ts_ns);
/* A call this subscriber made (MO) or received (MT), at its setup time. */
void cs_state_on_call(struct cs_state_ctx *x, struct cs_subscriber *s, bool mo, cs_digits other, bool answered,
		      uint32_t duration_s, uint64_t setup_ns);
/*
 * An SMS this subscriber sent (MO, other = recipient) or received (MT,
 * other = sender, alpha for named senders). An MT SMS from a named sender,
 * or from a number the caller says is a service code (service: the rules'
 * short-code test), counts among the day's short-code senders.
 */
void cs_state_on_sms(struct cs_state_ctx *x, struct cs_subscriber *s, bool mo, cs_digits other, const char *alpha,
		     bool service, uint64_t ts_ns);

/*
 * Moves a quiet subscriber's hour and day buckets on to now_ns, as its next
 * event would: reads give the same before and after, and the sketch slots
 * of counts whose bucket has ended go back to the pool now rather than at
 * the subscriber's next event, which for a quiet one may be days away.
 */
void cs_state_roll(struct cs_state_ctx *x, struct cs_subscriber *s, uint64_t now_ns);

void cs_state_read(const struct cs_state_ctx *x, const struct cs_subscriber *s, uint64_t now_ns,
		   struct cs_state_view *out);

/* One count of the view, for rules that stop at the first count below its threshold. */
uint32_t cs_state_hourly(const struct cs_state_ctx *x, const struct cs_subscriber *s, enum cs_hourly k,
			 uint64_t now_ns);
uint32_t cs_state_mo_calls_day(const struct cs_state_ctx *x, const struct cs_subscriber *s, uint64_t now_ns);
struct cs_distinct_reading {
	uint64_t n;
	bool lower_bound; /* the pool was full: at least n */
};
struct cs_distinct_reading cs_state_distinct(const struct cs_state_ctx *x, const struct cs_subscriber *s,
					     enum cs_distinct_kind k, uint64_t now_ns);

/* The record's long memory, to offer to the checkpoint writer. */
void cs_state_long_memory(const struct cs_subscriber *s, struct cs_state_record *out);
/* Long memory from the store, into a record just created for it (restore at start). */
void cs_state_restore(struct cs_subscriber *s, const struct cs_state_record *rec);

/* Gives back the record's pool slots (before the table reuses it). */
void cs_state_release(struct cs_state_ctx *x, struct cs_subscriber *s);

#endif
