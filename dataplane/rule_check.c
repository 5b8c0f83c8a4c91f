/* SPDX-License-Identifier: Apache-2.0 */
#include "rule_check.h"

#include <string.h>

static const uint64_t NS_PER_S = 1000000000ull;
static const uint32_t DAY_S = 86400;

static bool in_plan(const struct cs_number_plan *p, cs_digits d)
{
	return p != NULL && cs_number_plan_match(p, d).digits != 0;
}

bool cs_rule_is_iot(const struct cs_rule_set *rs, const struct cs_subscriber *s)
{
	return in_plan(rs->iot, s->imsi) || in_plan(rs->iot, s->msisdn);
}

bool cs_rule_is_risky(const struct cs_rule_set *rs, cs_digits imsi, cs_digits msisdn)
{
	return in_plan(rs->risky, imsi) || in_plan(rs->risky, msisdn);
}

bool cs_rule_is_gateway(const struct cs_rule_set *rs, cs_digits imei)
{
	return rs->gateway_tacs != NULL && cs_number_plan_match_tac(rs->gateway_tacs, imei).digits != 0;
}

/* number without the leading country code cc (both packed digits), or CS_DIGITS_NONE when it does not start with it. */
static cs_digits national(cs_digits number, cs_digits cc)
{
	unsigned int n = cs_digits_len(cc);

	if (n == 0 || cs_digits_len(number) <= n || (number >> (64 - 4 * n)) != (cc >> (64 - 4 * n)))
		return CS_DIGITS_NONE;
	return (number << (4 * n)) | (UINT64_MAX >> (64 - 4 * n));
}

static bool service_code(const struct cs_rule_set *rs, cs_digits number)
{
	unsigned int len = cs_digits_len(number);

	return len > 0 && (len <= rs->conf.shortcode_max_digits || in_plan(rs->shortcodes, number));
}

bool cs_rule_is_service(const struct cs_rule_set *rs, cs_digits number)
{
	return service_code(rs, number) || service_code(rs, national(number, rs->country_code));
}

/*
 * One device across software updates: an IMEISV's last two digits are its
 * software version, an IMEI's last its check digit; the first 14 (TAC and
 * serial number) name the device either way.
 */
static bool same_device(cs_digits a, cs_digits b)
{
	const uint64_t first14 = ~UINT64_C(0xff);

	return (a & first14) == (b & first14);
}

static bool enabled(const struct cs_rule_env *e, enum cs_rule r)
{
	return e->rules->conf.rule[r].enabled != 0;
}

static uint32_t seconds(uint64_t ns)
{
	return (uint32_t)(ns / NS_PER_S);
}

static uint32_t hourly(const struct cs_rule_env *e, const struct cs_subscriber *s, enum cs_hourly k)
{
	return cs_state_hourly(e->state, s, k, e->now_ns);
}

static struct cs_distinct_reading distinct(const struct cs_rule_env *e, const struct cs_subscriber *s,
					   enum cs_distinct_kind k)
{
	return cs_state_distinct(e->state, s, k, e->now_ns);
}

static void begin(struct cs_rec_anomaly *a, enum cs_rule r, uint64_t window_ns, uint64_t subject_key)
{
	memset(a, 0, sizeof(*a));
	a->rule = (uint8_t)r;
	a->subject = (uint8_t)cs_rule_subject(r);
	a->window_s = seconds(window_ns);
	a->subject_key = subject_key;
	a->imsi = a->msisdn = a->imei = a->bound_imei = CS_DIGITS_NONE;
}

static void begin_subscriber(struct cs_rec_anomaly *a, enum cs_rule r, uint64_t window_ns,
			     const struct cs_subscriber *s)
{
	begin(a, r, window_ns, s->imsi);
	a->imsi = s->imsi;
	a->msisdn = s->msisdn;
	a->imei = s->imei;
	a->bound_imei = s->bound_imei;
	a->cell = s->cell;
}

static void distinct_evidence(struct cs_rec_anomaly *a, enum cs_counter c, enum cs_compare cmp,
			      struct cs_distinct_reading d, uint32_t threshold)
{
	cs_anomaly_evidence(a, c, cmp, d.n, threshold, d.lower_bound);
}

bool cs_check_simbox_fanout(const struct cs_rule_env *e, const struct cs_subscriber *s, struct cs_rec_anomaly *a)
{
	const struct cs_rules_conf *c = &e->rules->conf;

	if (!enabled(e, CS_RULE_SIMBOX_FANOUT))
		return false;
	uint32_t mo = hourly(e, s, CS_H_MO_CALLS);
	if (mo < c->fanout.mo_calls)
		return false;
	uint32_t mt = hourly(e, s, CS_H_MT_CALLS);
	if (mt > c->fanout.max_mt_calls)
		return false;
	uint32_t answered = hourly(e, s, CS_H_MO_ANSWERED);
	uint32_t mean = answered > 0 ? hourly(e, s, CS_H_CALL_SECONDS) / answered : 0;
	if (mean >= c->fanout.max_mean_call_s)
		return false;
	struct cs_distinct_reading callees = distinct(e, s, CS_D_CALLEES);
	if (callees.n < c->fanout.callees)
		return false;
	struct cs_distinct_reading cells = distinct(e, s, CS_D_CELLS);
	struct cs_distinct_reading data = distinct(e, s, CS_D_DATA_DESTINATIONS);
	if (cells.n > c->fanout.max_cells || data.n > c->fanout.max_data_destinations)
		return false;
	begin_subscriber(a, CS_RULE_SIMBOX_FANOUT, e->state->conf.hour_ns, s);
	cs_anomaly_evidence(a, CS_C_MO_CALLS, CS_AT_LEAST, mo, c->fanout.mo_calls, false);
	distinct_evidence(a, CS_C_DISTINCT_CALLEES, CS_AT_LEAST, callees, c->fanout.callees);
	cs_anomaly_evidence(a, CS_C_MEAN_CALL_S, CS_BELOW, mean, c->fanout.max_mean_call_s, false);
	cs_anomaly_evidence(a, CS_C_MT_CALLS, CS_AT_MOST, mt, c->fanout.max_mt_calls, false);
	distinct_evidence(a, CS_C_DISTINCT_CELLS, CS_AT_MOST, cells, c->fanout.max_cells);
	distinct_evidence(a, CS_C_DISTINCT_DATA_DESTINATIONS, CS_AT_MOST, data, c->fanout.max_data_destinations);
	return true;
}

bool cs_check_iot_call(const struct cs_rule_env *e, const struct cs_subscriber *s, struct cs_rec_anomaly *a)
{
	if (!enabled(e, CS_RULE_IOT_VOICE_SMS) || !cs_rule_is_iot(e->rules, s))
		return false;
	begin_subscriber(a, CS_RULE_IOT_VOICE_SMS, e->state->conf.hour_ns, s);
	cs_anomaly_evidence(a, CS_C_MO_CALLS, CS_AT_LEAST, hourly(e, s, CS_H_MO_CALLS), 1, false);
	return true;
}

bool cs_check_iot_sms(const struct cs_rule_env *e, const struct cs_subscriber *s, cs_digits recipient,
		      struct cs_rec_anomaly *a)
{
	if (!enabled(e, CS_RULE_IOT_VOICE_SMS) || recipient == CS_DIGITS_NONE ||
	    cs_rule_is_service(e->rules, recipient) || !cs_rule_is_iot(e->rules, s))
		return false;
	begin_subscriber(a, CS_RULE_IOT_VOICE_SMS, e->state->conf.hour_ns, s);
	cs_anomaly_evidence(a, CS_C_PERSON_SMS, CS_AT_LEAST, 1, 1, false);
	cs_anomaly_evidence(a, CS_C_MO_SMS, CS_AT_LEAST, hourly(e, s, CS_H_MO_SMS), 1, false);
	return true;
}

bool cs_check_sequential(const struct cs_rule_env *e, const struct cs_subscriber *s, uint32_t run, uint64_t step,
			 struct cs_rec_anomaly *a)
{
	const struct cs_rules_conf *c = &e->rules->conf;

	if (!enabled(e, CS_RULE_CALL_SEQUENTIAL) || run < c->sequential.callees)
		return false;
	begin_subscriber(a, CS_RULE_CALL_SEQUENTIAL, e->state->conf.hour_ns, s);
	cs_anomaly_evidence(a, CS_C_SEQUENTIAL_CALLEES, CS_AT_LEAST, run, c->sequential.callees, false);
	cs_anomaly_evidence(a, CS_C_CALLEE_STEP, CS_AT_MOST, step, c->sequential.max_step, false);
	return true;
}

bool cs_check_sms_flood(const struct cs_rule_env *e, const struct cs_subscriber *s, struct cs_rec_anomaly *a)
{
	const struct cs_rules_conf *c = &e->rules->conf;

	if (!enabled(e, CS_RULE_SMS_FLOOD))
		return false;
	uint32_t sent = hourly(e, s, CS_H_MO_SMS);
	if (sent < c->flood.mo_sms)
		return false;
	struct cs_distinct_reading recipients = distinct(e, s, CS_D_SMS_RECIPIENTS);
	if (recipients.n < c->flood.recipients)
		return false;
	begin_subscriber(a, CS_RULE_SMS_FLOOD, e->state->conf.hour_ns, s);
	cs_anomaly_evidence(a, CS_C_MO_SMS, CS_AT_LEAST, sent, c->flood.mo_sms, false);
	distinct_evidence(a, CS_C_DISTINCT_SMS_RECIPIENTS, CS_AT_LEAST, recipients, c->flood.recipients);
	return true;
}

bool cs_check_sleeper(const struct cs_rule_env *e, const struct cs_subscriber *s, const struct cs_rule_memory *m,
		      struct cs_rec_anomaly *a)
{
	const struct cs_rules_conf *c = &e->rules->conf;
	uint64_t hour_ns = e->state->conf.hour_ns;

	if (!enabled(e, CS_RULE_SLEEPER_WAKEUP) || m == NULL || m->woke_s == 0 ||
	    e->now_ns >= (uint64_t)m->woke_s * NS_PER_S + hour_ns)
		return false;
	uint32_t events = hourly(e, s, CS_H_MO_CALLS) + hourly(e, s, CS_H_MO_SMS);
	if (events < c->sleeper.mo_events)
		return false;
	begin_subscriber(a, CS_RULE_SLEEPER_WAKEUP, hour_ns, s);
	cs_anomaly_evidence(a, CS_C_SILENT_DAYS, CS_AT_LEAST, m->silent_s / DAY_S, c->sleeper.silent_days, false);
	cs_anomaly_evidence(a, CS_C_MO_EVENTS, CS_AT_LEAST, events, c->sleeper.mo_events, false);
	return true;
}

bool cs_check_code_receiver(const struct cs_rule_env *e, const struct cs_subscriber *s, struct cs_rec_anomaly *a)
{
	const struct cs_rules_conf *c = &e->rules->conf;

	if (!enabled(e, CS_RULE_CODE_RECEIVER))
		return false;
	struct cs_distinct_reading senders = distinct(e, s, CS_D_SHORTCODE_SENDERS);
	if (senders.n < c->code.senders)
		return false;
	uint32_t calls = cs_state_mo_calls_day(e->state, s, e->now_ns);
	if (calls > c->code.max_mo_calls)
		return false;
	begin_subscriber(a, CS_RULE_CODE_RECEIVER, e->state->conf.day_ns, s);
	distinct_evidence(a, CS_C_SHORTCODE_SENDERS, CS_AT_LEAST, senders, c->code.senders);
	cs_anomaly_evidence(a, CS_C_MO_CALLS_DAY, CS_AT_MOST, calls, c->code.max_mo_calls, false);
	return true;
}

bool cs_check_sim_hopping(const struct cs_rule_env *e, const struct cs_subscriber *s, struct cs_rec_anomaly *a)
{
	const struct cs_rules_conf *c = &e->rules->conf;

	if (!enabled(e, CS_RULE_SIMBOX_SIM_HOPPING))
		return false;
	struct cs_distinct_reading imeis = distinct(e, s, CS_D_IMEIS);
	if (imeis.n < c->hopping_imeis)
		return false;
	begin_subscriber(a, CS_RULE_SIMBOX_SIM_HOPPING, e->state->conf.day_ns, s);
	distinct_evidence(a, CS_C_DISTINCT_IMEIS, CS_AT_LEAST, imeis, c->hopping_imeis);
	return true;
}

bool cs_check_iot_binding(const struct cs_rule_env *e, const struct cs_subscriber *s, struct cs_rec_anomaly *a)
{
	if (!enabled(e, CS_RULE_IOT_IMEI_BINDING) || s->imei == CS_DIGITS_NONE)
		return false;
	bool moved = s->bound_imei != CS_DIGITS_NONE && !same_device(s->imei, s->bound_imei);
	bool handset = e->rules->handset_tacs != NULL &&
		       cs_number_plan_match_tac(e->rules->handset_tacs, s->imei).digits != 0;
	if ((!moved && !handset) || !cs_rule_is_iot(e->rules, s))
		return false;
	begin_subscriber(a, CS_RULE_IOT_IMEI_BINDING, e->state->conf.day_ns, s);
	/* evidence is what met its threshold: the one or two conditions that hold */
	if (moved)
		cs_anomaly_evidence(a, CS_C_IMEI_NOT_BOUND, CS_AT_LEAST, 1, 1, false);
	if (handset)
		cs_anomaly_evidence(a, CS_C_HANDSET_TAC, CS_AT_LEAST, 1, 1, false);
	return true;
}

bool cs_check_iot_data_fanout(const struct cs_rule_env *e, const struct cs_subscriber *s, struct cs_rec_anomaly *a)
{
	const struct cs_rules_conf *c = &e->rules->conf;

	/* the plan lookups first: a sketch's estimate costs more than two binary searches */
	if (!enabled(e, CS_RULE_IOT_DATA_FANOUT) || !(s->flags & CS_STATE_SEEN_DATA) || !cs_rule_is_iot(e->rules, s))
		return false;
	struct cs_distinct_reading dests = distinct(e, s, CS_D_DATA_DESTINATIONS);
	if (dests.n < c->iot_data_destinations)
		return false;
	begin_subscriber(a, CS_RULE_IOT_DATA_FANOUT, e->state->conf.hour_ns, s);
	distinct_evidence(a, CS_C_DISTINCT_DATA_DESTINATIONS, CS_AT_LEAST, dests, c->iot_data_destinations);
	return true;
}

bool cs_check_imei_rotation(const struct cs_rule_env *e, const struct cs_device *d, struct cs_rec_anomaly *a)
{
	const struct cs_rules_conf *c = &e->rules->conf;
	struct cs_device_count n;

	if (!enabled(e, CS_RULE_SIMBOX_IMEI_ROTATION))
		return false;
	cs_device_read(d, e->state->pool, e->state->conf.day_ns, e->now_ns, &n);
	if (n.imsis < c->rotation_imsis)
		return false;
	begin(a, CS_RULE_SIMBOX_IMEI_ROTATION, e->state->conf.day_ns, d->imei);
	a->imei = d->imei;
	cs_anomaly_evidence(a, CS_C_DEVICE_IMSIS, CS_AT_LEAST, n.imsis, c->rotation_imsis, n.lower_bound);
	a->nmembers = (uint8_t)cs_device_recent(d, a->members);
	return true;
}

bool cs_check_numblock(const struct cs_rule_env *e, const struct cs_block *b, const struct cs_block_conf *bc,
		       struct cs_rec_anomaly *a)
{
	const struct cs_rules_conf *c = &e->rules->conf;
	struct cs_block_view v;

	if (!enabled(e, CS_RULE_NUMBLOCK_BATCH) ||
	    cs_window_read(&b->hour_new, bc->hour_ns, e->now_ns) < c->batch_first_activations)
		return false;
	cs_block_read(b, bc, e->now_ns, &v);
	begin(a, CS_RULE_NUMBLOCK_BATCH, bc->hour_ns, b->prefix);
	cs_anomaly_evidence(a, CS_C_FIRST_ACTIVATIONS, CS_AT_LEAST, v.hour_new, c->batch_first_activations, false);
	for (uint32_t i = 0; i < v.recent_in_hour && i < CS_ANOMALY_MEMBERS_MAX; i++)
		a->members[a->nmembers++] = cs_block_member(b->prefix, bc->suffix_digits, v.recent[i].suffix);
	return true;
}
