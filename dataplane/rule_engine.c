/* SPDX-License-Identifier: Apache-2.0 */
#include "rule_engine.h"

static const uint64_t NS_PER_SECOND = 1000000000ull;
static const uint32_t DAY_S = 86400;

int cs_rule_engine_init(struct cs_rule_engine *e, const struct cs_rule_set *rules, const struct cs_state_ctx *state,
			uint32_t capacity, void (*raise)(void *arg, struct cs_rec_anomaly *a), void *arg)
{
	*e = (struct cs_rule_engine){ .rules = rules, .state = state, .raise = raise, .arg = arg };
	e->memory = cs_subscriber_table_create(capacity, sizeof(struct cs_rule_memory));
	return e->memory != NULL ? 0 : -1;
}

void cs_rule_engine_fini(struct cs_rule_engine *e)
{
	cs_subscriber_table_free(e->memory);
	e->memory = NULL;
}

static uint32_t seconds(uint64_t ns)
{
	return (uint32_t)(ns / NS_PER_SECOND);
}

static struct cs_rule_env env(const struct cs_rule_engine *e, uint64_t now_ns)
{
	return (struct cs_rule_env){ .rules = e->rules, .state = e->state, .now_ns = now_ns };
}

/* A subject's rule memory, created when it first needs one (an MO call, a wake-up, an anomaly). */
static struct cs_rule_memory *memory(struct cs_rule_engine *e, enum cs_rule_subject kind, uint64_t subject)
{
	int created;

	return cs_subscriber_get(e->memory, cs_rule_memory_key(kind, subject), &created, NULL, NULL);
}

static struct cs_rule_memory *memory_if_any(struct cs_rule_engine *e, cs_digits imsi)
{
	return cs_subscriber_find(e->memory, cs_rule_memory_key(CS_SUBJECT_SUBSCRIBER, imsi));
}

/*
 * A tripped rule: nothing more while the subject's last anomaly of that
 * rule is within its cooldown; otherwise graded (rule_memory.h), scored
 * and handed on.
 */
static void trip(struct cs_rule_engine *e, struct cs_rec_anomaly *a, struct cs_rule_memory *m, uint64_t now_ns)
{
	const struct cs_rules_conf *c = &e->rules->conf;
	struct cs_fire f;

	if (m == NULL)
		m = memory(e, (enum cs_rule_subject)a->subject, a->subject_key);
	if (!cs_rule_memory_fire(m, (enum cs_rule)a->rule, &c->rule[a->rule], seconds(now_ns), &f)) {
		e->suppressed++;
		return;
	}
	a->severity = f.severity;
	a->occurrence = f.occurrence;
	a->score = cs_rule_memory_score(m, c, seconds(now_ns));
	if (a->subject != CS_SUBJECT_DEVICE &&
	    cs_rule_is_risky(e->rules, a->imsi, a->subject == CS_SUBJECT_BLOCK ? a->subject_key : a->msisdn))
		a->score += c->risky_range_weight;
	if (a->imei != CS_DIGITS_NONE && cs_rule_is_gateway(e->rules, a->imei))
		a->score += c->gateway_tac_weight;
	a->h = (struct cs_event_hdr){ .kind = CS_REC_ANOMALY, .slots = CS_EVENT_SLOTS(*a), .ts_ns = now_ns };
	e->anomalies++;
	e->raise(e->arg, a);
}

/*
 * Any activity after a long silence is a wake-up: remembered, so that the
 * MO events of the following hour can be weighed against it.
 */
static void note_wake(struct cs_rule_engine *e, const struct cs_subscriber *s, uint32_t silent_since, uint64_t now_ns)
{
	uint32_t t = seconds(now_ns);
	uint64_t silence = (uint64_t)e->rules->conf.sleeper.silent_days * DAY_S;

	if (silent_since == 0 || t < silent_since || t - silent_since < silence)
		return;
	struct cs_rule_memory *m = memory(e, CS_SUBJECT_SUBSCRIBER, s->imsi);
	m->woke_s = t;
	m->silent_s = t - silent_since;
}

void cs_rules_after_data(struct cs_rule_engine *e, const struct cs_subscriber *s, uint32_t silent_since,
			 uint64_t now_ns)
{
	note_wake(e, s, silent_since, now_ns);
}

void cs_rules_after_identity(struct cs_rule_engine *e, const struct cs_subscriber *s, bool imei_signalled,
			     uint32_t silent_since, uint64_t now_ns)
{
	const struct cs_rule_env x = env(e, now_ns);
	struct cs_rec_anomaly a;

	note_wake(e, s, silent_since, now_ns);
	if (!imei_signalled)
		return;
	if (cs_check_sim_hopping(&x, s, &a))
		trip(e, &a, NULL, now_ns);
	if (cs_check_iot_binding(&x, s, &a))
		trip(e, &a, NULL, now_ns);
}

void cs_rules_after_call(struct cs_rule_engine *e, const struct cs_subscriber *s, bool mo, cs_digits other,
			 uint32_t silent_since, uint64_t now_ns)
{
	note_wake(e, s, silent_since, now_ns);
	if (!mo)
		return;
	const struct cs_rule_env x = env(e, now_ns);
	struct cs_rule_memory *m = memory(e, CS_SUBJECT_SUBSCRIBER, s->imsi);
	struct cs_rec_anomaly a;
	uint64_t step;
	uint32_t run = cs_rule_memory_on_callee(m, other, e->rules->conf.sequential.max_step, &step);

	if (cs_check_simbox_fanout(&x, s, &a))
		trip(e, &a, m, now_ns);
	if (cs_check_iot_call(&x, s, &a))
		trip(e, &a, m, now_ns);
	if (cs_check_sequential(&x, s, run, step, &a))
		trip(e, &a, m, now_ns);
	if (cs_check_sleeper(&x, s, m, &a))
		trip(e, &a, m, now_ns);
}

void cs_rules_after_sms(struct cs_rule_engine *e, const struct cs_subscriber *s, bool mo, cs_digits other,
			bool named, bool service, uint32_t silent_since, uint64_t now_ns)
{
	const struct cs_rule_env x = env(e, now_ns);
	struct cs_rec_anomaly a;

	note_wake(e, s, silent_since, now_ns);
	if (!mo) {
		if ((service || named) && cs_check_code_receiver(&x, s, &a))
			trip(e, &a, NULL, now_ns);
		return;
	}
	struct cs_rule_memory *m = memory_if_any(e, s->imsi);
	if (cs_check_sms_flood(&x, s, &a))
		trip(e, &a, m, now_ns);
	if (cs_check_iot_sms(&x, s, other, &a))
		trip(e, &a, m, now_ns);
	if (cs_check_sleeper(&x, s, m, &a))
		trip(e, &a, m, now_ns);
}

void cs_rules_after_device(struct cs_rule_engine *e, const struct cs_device *d, uint64_t now_ns)
{
	const struct cs_rule_env x = env(e, now_ns);
	struct cs_rec_anomaly a;

	if (cs_check_imei_rotation(&x, d, &a))
		trip(e, &a, NULL, now_ns);
}

void cs_rules_after_first_activation(struct cs_rule_engine *e, const struct cs_block *b,
				     const struct cs_block_conf *bc, uint64_t now_ns)
{
	const struct cs_rule_env x = env(e, now_ns);
	struct cs_rec_anomaly a;

	if (cs_check_numblock(&x, b, bc, &a))
		trip(e, &a, NULL, now_ns);
}

void cs_rules_on_pass(struct cs_rule_engine *e, const struct cs_subscriber *s, uint64_t now_ns)
{
	const struct cs_rule_env x = env(e, now_ns);
	struct cs_rec_anomaly a;

	if (cs_check_iot_data_fanout(&x, s, &a))
		trip(e, &a, NULL, now_ns);
}
