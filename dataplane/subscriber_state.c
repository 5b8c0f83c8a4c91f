/* SPDX-License-Identifier: Apache-2.0 */
#include "subscriber_state.h"

#include <string.h>

#include "tumbling_distinct.h"

static const uint64_t NS_PER_S = 1000000000ull;
static const uint64_t NS_PER_DAY = 86400ull * 1000000000ull;

void cs_state_conf_default(struct cs_state_conf *c)
{
	*c = (struct cs_state_conf){
		.short_window_ns = CS_WINDOW_10MIN_NS,
		.hour_ns = CS_WINDOW_1H_NS,
		.day_ns = CS_WINDOW_24H_NS,
		.short_call_s = 60,
	};
}

void cs_state_init(struct cs_subscriber *s)
{
	s->msisdn = CS_DIGITS_NONE;
	s->imei = CS_DIGITS_NONE;
	s->bound_imei = CS_DIGITS_NONE;
}

void cs_state_seen(struct cs_subscriber *s, uint64_t ts_ns)
{
	uint32_t t = (uint32_t)(ts_ns / NS_PER_S);

	if (s->first_seen_s == 0 || t < s->first_seen_s) {
		s->first_seen_s = t;
		s->flags |= CS_STATE_DIRTY;
	}
	if (t > s->last_seen_s) {
		s->last_seen_s = t;
		s->flags |= CS_STATE_DIRTY;
	}
}

static void seen_mo(struct cs_subscriber *s, uint64_t ts_ns)
{
	uint32_t t = (uint32_t)(ts_ns / NS_PER_S);

	if (t > s->last_mo_s)
		s->last_mo_s = t;
	else if (s->flags & CS_STATE_SEEN_MO)
		return;
	s->flags |= CS_STATE_SEEN_MO | CS_STATE_DIRTY;
}

static uint16_t day_of(uint64_t ts_ns)
{
	uint64_t d = ts_ns / NS_PER_DAY;

	return d > UINT16_MAX ? UINT16_MAX : (uint16_t)d;
}

static void count(struct cs_state_ctx *x, enum cs_window_add_result r)
{
	if (r == CS_WINDOW_TOO_OLD)
		x->too_old++;
}

/*
 * Moves one window length's shared bucket on to ts's: its pairs shift
 * (window.c's group rule: prev = cur after one bucket, both cleared after
 * more) and its distinct counts keep their final estimate (saturating at
 * 65535; 0 unless the bucket was the one just before) and give their
 * sketch slots back to the pool. An event of this bucket or an older one
 * moves nothing.
 */
static void advance(struct cs_state_ctx *x, struct cs_subscriber *s, uint32_t *bucket, struct cs_window_pair *pairs,
		    unsigned int npairs, unsigned int first, unsigned int last, uint64_t length_ns, uint64_t ts)
{
	uint32_t b = (uint32_t)(ts / length_ns);
	uint32_t ahead = b - *bucket;

	if (ahead == 0 || ahead >= UINT32_C(0x80000000))
		return;
	for (unsigned int k = first; k < last; k++)
		s->distinct_prev[k] = cs_tumbling_distinct_end(&s->distinct[k], x->pool, ahead);
	for (unsigned int i = 0; i < npairs; i++)
		pairs[i] = ahead == 1 ? (struct cs_window_pair){ .prev = pairs[i].cur } : (struct cs_window_pair){ 0 };
	*bucket = b;
}

static void advance_hour(struct cs_state_ctx *x, struct cs_subscriber *s, uint64_t ts)
{
	advance(x, s, &s->hour_bucket, s->hourly, CS_HOURLY, 0, CS_D_FIRST_DAILY, x->conf.hour_ns, ts);
}

static void advance_day(struct cs_state_ctx *x, struct cs_subscriber *s, uint64_t ts)
{
	advance(x, s, &s->day_bucket, &s->mo_calls_day, 1, CS_D_FIRST_DAILY, CS_DISTINCT_KINDS, x->conf.day_ns, ts);
}

void cs_state_roll(struct cs_state_ctx *x, struct cs_subscriber *s, uint64_t now_ns)
{
	advance_hour(x, s, now_ns);
	advance_day(x, s, now_ns);
}

static void hourly(struct cs_state_ctx *x, struct cs_subscriber *s, enum cs_hourly which, uint64_t ts, uint32_t n)
{
	advance_hour(x, s, ts);
	count(x, cs_window_group_add(&s->hour_bucket, s->hourly, CS_HOURLY, which, x->conf.hour_ns, ts, n));
}

static void mo_call_of_the_day(struct cs_state_ctx *x, struct cs_subscriber *s, uint64_t ts)
{
	advance_day(x, s, ts);
	count(x, cs_window_group_add(&s->day_bucket, &s->mo_calls_day, 1, 0, x->conf.day_ns, ts, 1));
}

/* A distinct item counts in the current bucket, even when the event is late (see above). */
static void distinct(struct cs_state_ctx *x, struct cs_subscriber *s, enum cs_distinct_kind k, uint64_t item,
		     uint64_t ts)
{
	if (k < CS_D_FIRST_DAILY)
		advance_hour(x, s, ts);
	else
		advance_day(x, s, ts);
	cs_distinct_add(&s->distinct[k], x->pool, item);
}

void cs_state_on_identity(struct cs_state_ctx *x, struct cs_subscriber *s, cs_digits msisdn, cs_digits imei,
			  uint64_t cell, uint8_t rat, uint64_t ts_ns)
{
	cs_state_seen(s, ts_ns);
	if (msisdn != CS_DIGITS_NONE && msisdn != s->msisdn) {
		/* a number new to this SIM: activated today, as far as this SIM is concerned */
		s->msisdn = msisdn;
		s->first_activation_day = day_of(ts_ns);
		s->flags |= CS_STATE_DIRTY;
	}
	if (imei != CS_DIGITS_NONE) {
		if (s->bound_imei == CS_DIGITS_NONE) {
			/* the first device the SIM is seen in binds it (IoT cards must stay in theirs) */
			s->bound_imei = imei;
			s->first_imei_day = day_of(ts_ns);
			s->flags |= CS_STATE_DIRTY;
		}
		s->imei = imei;
		/*
		 * a device is its first 14 digits (TAC and serial number): an IMEI's
		 * check digit and an IMEISV's software version, which changes with
		 * every firmware update, do not make another device
		 */
		distinct(x, s, CS_D_IMEIS, imei | 0xffu, ts_ns);
	}
	if (cell != 0) {
		s->cell = cell;
		distinct(x, s, CS_D_CELLS, cell, ts_ns);
	}
	if (rat != 0)
		s->rat = rat;
}

static uint32_t add_kib(uint32_t kib, uint32_t bytes)
{
	uint64_t v = (uint64_t)kib + (bytes + 1023u) / 1024u;

	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

void cs_state_on_data(struct cs_state_ctx *x, struct cs_subscriber *s, bool uplink, uint32_t bytes, uint64_t peer,
		      uint64_t ts_ns)
{
	cs_state_seen(s, ts_ns);
	s->flags |= CS_STATE_SEEN_DATA;
	if (uplink) {
		s->kib_up = add_kib(s->kib_up, bytes);
		distinct(x, s, CS_D_DATA_DESTINATIONS, peer, ts_ns);
	} else {
		s->kib_down = add_kib(s->kib_down, bytes);
	}
}

void cs_state_on_call(struct cs_state_ctx *x, struct cs_subscriber *s, bool mo, cs_digits other, bool answered,
		      uint32_t duration_s, uint64_t setup_ns)
{
	cs_state_seen(s, setup_ns);
	if (!mo) {
		hourly(x, s, CS_H_MT_CALLS, setup_ns, 1);
		return;
	}
	seen_mo(s, setup_ns);
	hourly(x, s, CS_H_MO_CALLS, setup_ns, 1);
	count(x, cs_window_add(&s->mo_events_short, x->conf.short_window_ns, setup_ns, 1));
	mo_call_of_the_day(x, s, setup_ns);
	if (other != CS_DIGITS_NONE)
		distinct(x, s, CS_D_CALLEES, other, setup_ns);
	if (answered) {
		hourly(x, s, CS_H_MO_ANSWERED, setup_ns, 1);
		hourly(x, s, CS_H_CALL_SECONDS, setup_ns, duration_s);
		if (duration_s < x->conf.short_call_s)
			hourly(x, s, CS_H_SHORT_CALLS, setup_ns, 1);
	}
}

/* A 64-bit identity for an alphanumeric sender (FNV-1a), apart from every digit string. */
static uint64_t alpha_id(const char *alpha)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (const unsigned char *p = (const unsigned char *)alpha; *p != '\0'; p++)
		h = (h ^ *p) * 0x100000001b3ull;
	/*
	 * A packed digit string always ends in an 0xF nibble unless it has 16
	 * digits; forcing this hash's low nibble to 0 keeps it apart from
	 * every shorter one (a sender of 16 digits is not a real case).
	 */
	return h & ~0xfull;
}

void cs_state_on_sms(struct cs_state_ctx *x, struct cs_subscriber *s, bool mo, cs_digits other, const char *alpha,
		     bool service, uint64_t ts_ns)
{
	cs_state_seen(s, ts_ns);
	if (mo) {
		seen_mo(s, ts_ns);
		hourly(x, s, CS_H_MO_SMS, ts_ns, 1);
		count(x, cs_window_add(&s->mo_events_short, x->conf.short_window_ns, ts_ns, 1));
		if (other != CS_DIGITS_NONE)
			distinct(x, s, CS_D_SMS_RECIPIENTS, other, ts_ns);
		return;
	}
	hourly(x, s, CS_H_MT_SMS, ts_ns, 1);
	bool named = other == CS_DIGITS_NONE && alpha != NULL && alpha[0] != '\0';
	uint64_t sender = named ? alpha_id(alpha) : other;
	if (!named && other == CS_DIGITS_NONE)
		return;
	distinct(x, s, CS_D_MT_SENDERS, sender, ts_ns);
	/* verification codes come from short codes and named senders */
	if (named || service)
		distinct(x, s, CS_D_SHORTCODE_SENDERS, sender, ts_ns);
}

uint32_t cs_state_hourly(const struct cs_state_ctx *x, const struct cs_subscriber *s, enum cs_hourly k,
			 uint64_t now_ns)
{
	return cs_window_group_read(s->hour_bucket, &s->hourly[k], x->conf.hour_ns, now_ns);
}

uint32_t cs_state_mo_calls_day(const struct cs_state_ctx *x, const struct cs_subscriber *s, uint64_t now_ns)
{
	return cs_window_group_read(s->day_bucket, &s->mo_calls_day, x->conf.day_ns, now_ns);
}

struct cs_distinct_reading cs_state_distinct(const struct cs_state_ctx *x, const struct cs_subscriber *s,
					     enum cs_distinct_kind k, uint64_t now_ns)
{
	struct cs_distinct_count c = cs_distinct_estimate(&s->distinct[k], x->pool);
	bool daily = k >= CS_D_FIRST_DAILY;

	return (struct cs_distinct_reading){
		.n = cs_window_tumbling_read(daily ? s->day_bucket : s->hour_bucket, c.n, s->distinct_prev[k],
					     daily ? x->conf.day_ns : x->conf.hour_ns, now_ns),
		.lower_bound = c.quality == CS_DISTINCT_IS_LOWER_BOUND,
	};
}

void cs_state_read(const struct cs_state_ctx *x, const struct cs_subscriber *s, uint64_t now_ns,
		   struct cs_state_view *out)
{
	memset(out, 0, sizeof(*out));
	for (unsigned int k = 0; k < CS_HOURLY; k++)
		out->hourly[k] = cs_state_hourly(x, s, (enum cs_hourly)k, now_ns);
	out->mo_events_short = cs_window_read(&s->mo_events_short, x->conf.short_window_ns, now_ns);
	out->mo_calls_day = cs_state_mo_calls_day(x, s, now_ns);
	for (unsigned int k = 0; k < CS_DISTINCT_KINDS; k++) {
		struct cs_distinct_reading d = cs_state_distinct(x, s, (enum cs_distinct_kind)k, now_ns);
		out->distinct[k] = d.n;
		out->distinct_lower_bound[k] = d.lower_bound;
	}
}

void cs_state_long_memory(const struct cs_subscriber *s, struct cs_state_record *out)
{
	*out = (struct cs_state_record){
		.imsi = s->imsi,
		.bound_imei = s->bound_imei,
		.msisdn = s->msisdn,
		.last_activity_s = s->last_seen_s,
		.last_mo_s = s->last_mo_s,
		.first_seen_s = s->first_seen_s,
		.first_imei_day = s->first_imei_day,
		.first_activation_day = s->first_activation_day,
		.flags = s->flags & CS_STATE_LONG_FLAGS,
	};
}

void cs_state_restore(struct cs_subscriber *s, const struct cs_state_record *rec)
{
	s->msisdn = rec->msisdn;
	s->bound_imei = rec->bound_imei;
	s->first_imei_day = rec->first_imei_day;
	s->first_activation_day = rec->first_activation_day;
	s->first_seen_s = rec->first_seen_s;
	s->last_seen_s = rec->last_activity_s;
	s->last_mo_s = rec->last_mo_s;
	s->flags = (uint8_t)(rec->flags & CS_STATE_LONG_FLAGS);
}

void cs_state_release(struct cs_state_ctx *x, struct cs_subscriber *s)
{
	for (unsigned int k = 0; k < CS_DISTINCT_KINDS; k++)
		cs_distinct_release(&s->distinct[k], x->pool);
}
