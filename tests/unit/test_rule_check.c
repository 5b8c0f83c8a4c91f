/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The rule checks (rule_check.h), each driven the way the worker drives
 * it: a subject's state built from events at fixed event times, the
 * default rule profile (docs/rules.md) and small number plans, then the
 * check at a chosen now. Each rule is pinned at its thresholds (the
 * default trips exactly at the boundary, one short does not), disabled,
 * and in the anomaly it fills: rule, subject, window, evidence items
 * (counter, comparison, value, threshold) and identities.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "rule_check.h"

static const uint64_t S = 1000000000ull;
/* 2026-01-05T08:00:00Z: the start of an hour bucket, 8 h into its day bucket */
static const uint64_t T0 = 1767600000ull * 1000000000ull;
/* where most checks read: every event below is within [T0 - 10 min, NOW), in one day */
static const uint64_t NOW = 1767600000ull * 1000000000ull + 3000ull * 1000000000ull;

static cs_digits d(const char *s)
{
	return cs_digits_from_ascii(s, strlen(s));
}

/* ---- identities and plans ---- */

/* An ordinary subscriber in a handset (TAC 35332510, in the handset list). */
#define ORD_IMSI "460001234567890"
#define ORD_MSISDN "8613800138000"
#define HANDSET_IMEI "353325108224654"
/* An IoT card by its IMSI (range 46004), with an ordinary-looking number, in a module (TAC 86203003). */
#define IOT_IMSI "460040000000017"
#define IOT_IMSI_MSISDN "8613900139017"
/* An IoT card by its MSISDN (range 861064), with an ordinary IMSI. */
#define IOT_MSISDN_IMSI "460009876543210"
#define IOT_MSISDN "861064012345678"
#define MODULE_IMEI "862030030000017"
#define OTHER_MODULE_IMEI "862030030000025"
/* MCC 001, MNC 01, ECGI, ECI 0x1234567 and its neighbour (cell_state.h) */
static const uint64_t CELL = 0x00101f1001234567ull, CELL2 = 0x00101f1001234568ull;

static struct cs_state_ctx x;
static struct cs_rule_set rs;
static struct cs_number_plan *plans[5];

static struct cs_number_plan *plan(const char *const *prefixes, size_t n)
{
	struct cs_number_plan_entry e[8];

	cr_assert_leq(n, 8);
	for (size_t i = 0; i < n; i++)
		e[i] = (struct cs_number_plan_entry){ .prefix = d(prefixes[i]), .label = (uint32_t)i };
	struct cs_number_plan *p = cs_number_plan_build(e, n, NULL, 0);
	cr_assert_not_null(p);
	return p;
}

#define PLAN(...) \
	plan((const char *const[]){ __VA_ARGS__ }, sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(char *))

static void setup(void)
{
	cs_state_conf_default(&x.conf);
	x.pool = cs_distinct_pool_create(256, 8);
	x.too_old = 0;
	cr_assert_not_null(x.pool);
	memset(&rs, 0, sizeof(rs));
	cs_rules_conf_default(&rs.conf);
	rs.iot = plans[0] = PLAN("46004", "861064");
	rs.risky = plans[1] = PLAN("46011", "86170");
	rs.shortcodes = plans[2] = PLAN("10690", "4008");
	rs.handset_tacs = plans[3] = PLAN("35332510");
	rs.gateway_tacs = plans[4] = PLAN("86203003");
}

static void teardown(void)
{
	for (unsigned int i = 0; i < sizeof(plans) / sizeof(plans[0]); i++)
		cs_number_plan_free(plans[i]);
	cs_distinct_pool_free(x.pool);
}

TestSuite(rule_check, .init = setup, .fini = teardown);

static struct cs_rule_env env_at(uint64_t now)
{
	return (struct cs_rule_env){ .rules = &rs, .state = &x, .now_ns = now };
}

/*
 * A new record as the table gives it (zeroed, the IMSI set), then the
 * session that names its number, device and cell 10 minutes before T0.
 */
static void subscriber(struct cs_subscriber *s, const char *imsi, const char *msisdn, const char *imei)
{
	memset(s, 0, sizeof(*s));
	s->imsi = d(imsi);
	cs_state_init(s);
	cs_state_on_identity(&x, s, msisdn != NULL ? d(msisdn) : CS_DIGITS_NONE,
			     imei != NULL ? d(imei) : CS_DIGITS_NONE, CELL, 6, T0 - 600 * S);
}

/* The n-th of a set of other parties: 13-digit numbers, not in any plan, not consecutive. */
static cs_digits party(unsigned int n)
{
	char s[16];

	snprintf(s, sizeof(s), "86135%08u", 10000000u + n * 7919u);
	return d(s);
}

static void expect_evidence(const struct cs_rec_anomaly *a, unsigned int i, enum cs_counter counter,
			    enum cs_compare cmp, uint64_t value, uint32_t threshold)
{
	cr_assert_lt(i, a->nevidence, "evidence %u of %u", i, a->nevidence);
	const struct cs_evidence *e = &a->evidence[i];
	cr_expect_eq(e->counter, counter, "evidence %u: %s, want %s", i, cs_counter_name(e->counter),
		     cs_counter_name(counter));
	cr_expect_eq(e->compare, cmp, "evidence %u (%s): %s, want %s", i, cs_counter_name(counter),
		     cs_compare_op(e->compare), cs_compare_op(cmp));
	cr_expect_eq(e->value, value, "evidence %u (%s): value %llu, want %llu", i, cs_counter_name(counter),
		     (unsigned long long)e->value, (unsigned long long)value);
	cr_expect_eq(e->threshold, threshold, "evidence %u (%s): threshold %u, want %u", i, cs_counter_name(counter),
		     e->threshold, threshold);
	cr_expect_eq(e->lower_bound, 0, "evidence %u (%s): an exact count", i, cs_counter_name(counter));
}

/* What every subscriber anomaly carries: rule, subject, window, the subscriber's identities; no grading yet. */
static void expect_subscriber_anomaly(const struct cs_rec_anomaly *a, enum cs_rule r, uint32_t window_s,
				      const struct cs_subscriber *s)
{
	cr_expect_eq(a->rule, r, "rule %s, want %s", cs_rule_name(a->rule), cs_rule_name(r));
	cr_expect_eq(a->subject, CS_SUBJECT_SUBSCRIBER);
	cr_expect_eq(a->subject_key, s->imsi);
	cr_expect_eq(a->window_s, window_s);
	cr_expect_eq(a->imsi, s->imsi);
	cr_expect_eq(a->msisdn, s->msisdn);
	cr_expect_eq(a->imei, s->imei);
	cr_expect_eq(a->bound_imei, s->bound_imei);
	cr_expect_eq(a->cell, s->cell);
	cr_expect_eq(a->nmembers, 0);
	/* suppression, severity and score are the worker's (rule_memory.h), not the check's */
	cr_expect_eq(a->severity, 0);
	cr_expect_eq(a->occurrence, 0);
	cr_expect_eq(a->score, 0);
}

/* A check that does not trip leaves the anomaly as it was (the worker reuses one). */
#define EXPECT_NO_TRIP(call, a)                                                            \
	do {                                                                               \
		memset(&(a), 0x5a, sizeof(a));                                             \
		cr_expect_not(call, #call ": tripped");                                    \
		cr_expect_eq((a).rule, 0x5a, #call ": wrote an anomaly it did not raise"); \
	} while (0)

/* ---- the plan predicates ---- */

/* Without plans nothing is IoT, risky or a gateway, and only numbers of at most shortcode_max_digits are services. */
Test(rule_check, predicates_with_no_plans)
{
	struct cs_rule_set none = { 0 };
	struct cs_subscriber s;

	cs_rules_conf_default(&none.conf);
	subscriber(&s, IOT_IMSI, IOT_MSISDN, MODULE_IMEI);
	cr_expect_not(cs_rule_is_iot(&none, &s));
	cr_expect_not(cs_rule_is_risky(&none, d("460110000000001"), d("8617012345678")));
	cr_expect_not(cs_rule_is_gateway(&none, d(MODULE_IMEI)));
	cr_expect(cs_rule_is_service(&none, d("10086")));
	cr_expect(cs_rule_is_service(&none, d("123456")), "6 digits: the default shortcode_max_digits");
	cr_expect_not(cs_rule_is_service(&none, d("1234567")));
	cr_expect_not(cs_rule_is_service(&none, d("106900001234")), "a short-code range needs its plan");
	cr_expect_not(cs_rule_is_service(&none, CS_DIGITS_NONE));
}

/* With plans: each predicate by its plan, by IMSI or MSISDN where it says so, by TAC for IMEIs and IMEISVs. */
Test(rule_check, predicates_with_plans)
{
	struct cs_subscriber s;

	subscriber(&s, IOT_IMSI, IOT_IMSI_MSISDN, MODULE_IMEI);
	cr_expect(cs_rule_is_iot(&rs, &s), "by IMSI");
	subscriber(&s, IOT_MSISDN_IMSI, IOT_MSISDN, MODULE_IMEI);
	cr_expect(cs_rule_is_iot(&rs, &s), "by MSISDN");
	subscriber(&s, ORD_IMSI, ORD_MSISDN, MODULE_IMEI);
	cr_expect_not(cs_rule_is_iot(&rs, &s), "a module's TAC does not make a card IoT");
	subscriber(&s, IOT_MSISDN_IMSI, NULL, NULL);
	cr_expect_not(cs_rule_is_iot(&rs, &s), "no number known");

	cr_expect(cs_rule_is_risky(&rs, d("460110000000001"), CS_DIGITS_NONE));
	cr_expect(cs_rule_is_risky(&rs, d(ORD_IMSI), d("8617012345678")));
	cr_expect_not(cs_rule_is_risky(&rs, d(ORD_IMSI), d(ORD_MSISDN)));
	cr_expect(cs_rule_is_risky(&rs, CS_DIGITS_NONE, d("86170123")), "a block prefix (numblock's subject)");

	cr_expect(cs_rule_is_gateway(&rs, d(MODULE_IMEI)));
	cr_expect(cs_rule_is_gateway(&rs, d("8620300300000101")), "an IMEISV: its TAC");
	cr_expect_not(cs_rule_is_gateway(&rs, d(HANDSET_IMEI)));
	cr_expect_not(cs_rule_is_gateway(&rs, CS_DIGITS_NONE));

	cr_expect(cs_rule_is_service(&rs, d("106900001234")), "12 digits, in the short-code plan");
	cr_expect(cs_rule_is_service(&rs, d("4008001234")));
	cr_expect(cs_rule_is_service(&rs, d("95588")), "few digits, in no plan");
	cr_expect_not(cs_rule_is_service(&rs, d(ORD_MSISDN)));
}

/* ---- simbox.fanout ---- */

struct fanout {
	unsigned int calls, callees; /* MO calls a minute apart from T0, to this many distinct numbers */
	unsigned int answered;       /* the first this many answered ... */
	uint32_t duration_s;         /* ... each lasting this long */
	unsigned int mt, cells, data; /* MT calls, distinct cells besides CELL, uplink destinations */
};

static bool fanout(struct cs_subscriber *s, struct fanout f, struct cs_rec_anomaly *a)
{
	const struct cs_rule_env e = env_at(NOW);

	subscriber(s, ORD_IMSI, ORD_MSISDN, HANDSET_IMEI);
	for (unsigned int k = 0; k < f.calls; k++)
		cs_state_on_call(&x, s, true, party(k % f.callees), k < f.answered, f.duration_s, T0 + k * 60 * S);
	for (unsigned int k = 0; k < f.mt; k++)
		cs_state_on_call(&x, s, false, party(1000 + k), true, 20, T0 + 30 * S + k * 60 * S);
	for (unsigned int k = 0; k < f.cells; k++)
		cs_state_on_identity(&x, s, CS_DIGITS_NONE, CS_DIGITS_NONE, CELL2 + k, 6, T0 + 45 * S + k * S);
	for (unsigned int k = 0; k < f.data; k++)
		cs_state_on_data(&x, s, true, 1200, 0x0a000001u + k, T0 + 50 * S + k * S);
	memset(a, 0x5a, sizeof(*a));
	return cs_check_simbox_fanout(&e, s, a);
}

/* The default SIM-box profile, exactly at every threshold: trips, with each counter it compared. */
Test(rule_check, fanout_trips_at_the_thresholds)
{
	struct cs_subscriber s;
	struct cs_rec_anomaly a;

	cr_assert(fanout(&s, (struct fanout){ .calls = 30, .callees = 25, .answered = 30, .duration_s = 59, .mt = 2 },
			 &a));
	expect_subscriber_anomaly(&a, CS_RULE_SIMBOX_FANOUT, 3600, &s);
	cr_expect_eq(a.imsi, d(ORD_IMSI));
	cr_expect_eq(a.msisdn, d(ORD_MSISDN));
	cr_expect_eq(a.imei, d(HANDSET_IMEI));
	cr_expect_eq(a.bound_imei, d(HANDSET_IMEI));
	cr_expect_eq(a.cell, CELL);
	cr_assert_eq(a.nevidence, 6);
	expect_evidence(&a, 0, CS_C_MO_CALLS, CS_AT_LEAST, 30, 30);
	expect_evidence(&a, 1, CS_C_DISTINCT_CALLEES, CS_AT_LEAST, 25, 25);
	expect_evidence(&a, 2, CS_C_MEAN_CALL_S, CS_BELOW, 59, 60);
	expect_evidence(&a, 3, CS_C_MT_CALLS, CS_AT_MOST, 2, 2);
	expect_evidence(&a, 4, CS_C_DISTINCT_CELLS, CS_AT_MOST, 1, 1);
	expect_evidence(&a, 5, CS_C_DISTINCT_DATA_DESTINATIONS, CS_AT_MOST, 0, 3);
	cs_state_release(&x, &s);
}

/* One short of a threshold, or one past a maximum, and it does not trip. */
Test(rule_check, fanout_one_short_of_each_threshold_does_not_trip)
{
	static const struct {
		const char *why;
		struct fanout f;
	} cases[] = {
		{ "29 MO calls", { .calls = 29, .callees = 25, .answered = 29, .duration_s = 30 } },
		{ "24 callees", { .calls = 30, .callees = 24, .answered = 30, .duration_s = 30 } },
		{ "mean duration 60 s", { .calls = 30, .callees = 25, .answered = 30, .duration_s = 60 } },
		{ "3 MT calls", { .calls = 30, .callees = 25, .answered = 30, .duration_s = 30, .mt = 3 } },
		{ "2 cells", { .calls = 30, .callees = 25, .answered = 30, .duration_s = 30, .cells = 1 } },
		{ "4 data destinations", { .calls = 30, .callees = 25, .answered = 30, .duration_s = 30, .data = 4 } },
	};

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cs_subscriber s;
		struct cs_rec_anomaly a;

		cr_expect_not(fanout(&s, cases[i].f, &a), "%s: tripped", cases[i].why);
		cr_expect_eq(a.rule, 0x5a, "%s: wrote an anomaly", cases[i].why);
		cs_state_release(&x, &s);
	}
}

/*
 * The mean is over answered calls only (seconds / answered): unanswered
 * ones neither lengthen nor shorten it; with none answered it is 0.
 */
Test(rule_check, fanout_mean_is_over_answered_calls)
{
	struct cs_subscriber s;
	struct cs_rec_anomaly a;

	cr_expect(fanout(&s, (struct fanout){ .calls = 30, .callees = 25, .answered = 10, .duration_s = 59 }, &a));
	expect_evidence(&a, 2, CS_C_MEAN_CALL_S, CS_BELOW, 59, 60);
	cs_state_release(&x, &s);
	cr_expect_not(fanout(&s, (struct fanout){ .calls = 30, .callees = 25, .answered = 10, .duration_s = 60 }, &a));
	cs_state_release(&x, &s);
	cr_expect(fanout(&s, (struct fanout){ .calls = 30, .callees = 25, .answered = 0 }, &a));
	expect_evidence(&a, 2, CS_C_MEAN_CALL_S, CS_BELOW, 0, 60);
	cs_state_release(&x, &s);
}

/*
 * Data received only (downlink) has no destination: it does not stop the
 * rule. Up to 3 uplink destinations (VoLTE's P-CSCF and media over the IMS
 * bearer) do not either; a fourth does.
 */
Test(rule_check, fanout_counts_uplink_destinations_only)
{
	struct cs_subscriber s;
	struct cs_rec_anomaly a;

	fanout(&s, (struct fanout){ .calls = 30, .callees = 25, .answered = 30, .duration_s = 30 }, &a);
	cs_state_on_data(&x, &s, false, 1500, 0x08080808u, T0 + 1900 * S);
	cr_expect(cs_check_simbox_fanout(&(struct cs_rule_env){ &rs, &x, NOW }, &s, &a));
	for (uint32_t k = 0; k < 3; k++)
		cs_state_on_data(&x, &s, true, 100, 0x08080808u + k, T0 + 1901 * S);
	cr_expect(cs_check_simbox_fanout(&(struct cs_rule_env){ &rs, &x, NOW }, &s, &a), "3 destinations");
	cs_state_on_data(&x, &s, true, 100, 0x09090909u, T0 + 1902 * S);
	EXPECT_NO_TRIP(cs_check_simbox_fanout(&(struct cs_rule_env){ &rs, &x, NOW }, &s, &a), a);
	cs_state_release(&x, &s);
}

/* The counts are the trailing hour's: two hours later the same subscriber no longer trips. */
Test(rule_check, fanout_reads_the_trailing_hour)
{
	struct cs_subscriber s;
	struct cs_rec_anomaly a;

	cr_assert(fanout(&s, (struct fanout){ .calls = 40, .callees = 30, .answered = 40, .duration_s = 30 }, &a));
	EXPECT_NO_TRIP(cs_check_simbox_fanout(&(struct cs_rule_env){ &rs, &x, T0 + 2 * 3600 * S }, &s, &a), a);
	cs_state_release(&x, &s);
}

Test(rule_check, fanout_disabled_never_trips)
{
	struct cs_subscriber s;
	struct cs_rec_anomaly a;

	rs.conf.rule[CS_RULE_SIMBOX_FANOUT].enabled = 0;
	cr_expect_not(
		fanout(&s, (struct fanout){ .calls = 60, .callees = 60, .answered = 60, .duration_s = 10 }, &a));
	cr_expect_eq(a.rule, 0x5a);
	cs_state_release(&x, &s);
}

/* ---- simbox.sim_hopping ---- */

static void devices(struct cs_subscriber *s, unsigned int n)
{
	for (unsigned int k = 0; k < n; k++) {
		char imei[16];
		snprintf(imei, sizeof(imei), "35332510%07u", 1000000u + k * 17u);
		cs_state_on_identity(&x, s, CS_DIGITS_NONE, d(imei), CELL, 6, T0 + k * 600 * S);
	}
}

/*
 * 6 devices in a day trip; 5 do not, nor the same 5 again, nor one of
 * them with another software version (an IMEISV's last two digits).
 */
Test(rule_check, sim_hopping_trips_at_6_imeis_a_day)
{
	struct cs_subscriber s;
	struct cs_rec_anomaly a;
	const struct cs_rule_env e = env_at(NOW);

	subscriber(&s, ORD_IMSI, ORD_MSISDN, NULL);
	devices(&s, 5);
	EXPECT_NO_TRIP(cs_check_sim_hopping(&e, &s, &a), a);
	devices(&s, 5); /* the same five again: still five */
	EXPECT_NO_TRIP(cs_check_sim_hopping(&e, &s, &a), a);
	cs_state_on_identity(&x, &s, CS_DIGITS_NONE, d("3533251010000012"), CELL, 6, T0 + 1900 * S);
	cs_state_on_identity(&x, &s, CS_DIGITS_NONE, d("3533251010000099"), CELL, 6, T0 + 1950 * S);
	EXPECT_NO_TRIP(cs_check_sim_hopping(&e, &s, &a), a);
	cs_state_on_identity(&x, &s, CS_DIGITS_NONE, d(HANDSET_IMEI), CELL, 6, T0 + 2000 * S);
	cr_assert(cs_check_sim_hopping(&e, &s, &a));
	expect_subscriber_anomaly(&a, CS_RULE_SIMBOX_SIM_HOPPING, 86400, &s);
	cr_expect_eq(a.imei, d(HANDSET_IMEI), "the latest device");
	cr_expect_eq(a.bound_imei, d("353325101000000"), "the first device");
	cr_assert_eq(a.nevidence, 1);
	expect_evidence(&a, 0, CS_C_DISTINCT_IMEIS, CS_AT_LEAST, 6, 6);

	rs.conf.rule[CS_RULE_SIMBOX_SIM_HOPPING].enabled = 0;
	EXPECT_NO_TRIP(cs_check_sim_hopping(&e, &s, &a), a);
	cs_state_release(&x, &s);
}

/* ---- sms.flood ---- */

static void mo_sms(struct cs_subscriber *s, unsigned int n, unsigned int recipients)
{
	for (unsigned int k = 0; k < n; k++)
		cs_state_on_sms(&x, s, true, party(k % recipients), NULL, false, T0 + k * 20 * S);
}

/* 100 MO SMS to 80 recipients in the hour trip; 99 SMS, or 79 recipients, do not. */
Test(rule_check, sms_flood_trips_at_100_sms_to_80_recipients)
{
	struct cs_subscriber s;
	struct cs_rec_anomaly a;
	const struct cs_rule_env e = env_at(NOW);

	subscriber(&s, ORD_IMSI, ORD_MSISDN, HANDSET_IMEI);
	mo_sms(&s, 100, 80);
	cr_assert(cs_check_sms_flood(&e, &s, &a));
	expect_subscriber_anomaly(&a, CS_RULE_SMS_FLOOD, 3600, &s);
	cr_assert_eq(a.nevidence, 2);
	expect_evidence(&a, 0, CS_C_MO_SMS, CS_AT_LEAST, 100, 100);
	expect_evidence(&a, 1, CS_C_DISTINCT_SMS_RECIPIENTS, CS_AT_LEAST, 80, 80);
	rs.conf.rule[CS_RULE_SMS_FLOOD].enabled = 0;
	EXPECT_NO_TRIP(cs_check_sms_flood(&e, &s, &a), a);
	cs_state_release(&x, &s);

	subscriber(&s, ORD_IMSI, ORD_MSISDN, HANDSET_IMEI);
	rs.conf.rule[CS_RULE_SMS_FLOOD].enabled = 1;
	mo_sms(&s, 99, 80);
	EXPECT_NO_TRIP(cs_check_sms_flood(&e, &s, &a), a);
	cs_state_release(&x, &s);

	subscriber(&s, ORD_IMSI, ORD_MSISDN, HANDSET_IMEI);
	mo_sms(&s, 100, 79);
	cr_expect_eq(cs_state_distinct(&x, &s, CS_D_SMS_RECIPIENTS, NOW).n, 79, "the sketch reads 79 here");
	EXPECT_NO_TRIP(cs_check_sms_flood(&e, &s, &a), a);
	cs_state_release(&x, &s);
}

/* ---- iot.voice_sms ---- */

/* Any MO call of an IoT-range card trips, its range matched by IMSI or by MSISDN; never an ordinary card's. */
Test(rule_check, iot_call_only_for_iot_range_cards)
{
	static const struct {
		const char *imsi, *msisdn;
		bool iot;
	} cards[] = {
		{ IOT_IMSI, IOT_IMSI_MSISDN, true },
		{ IOT_MSISDN_IMSI, IOT_MSISDN, true },
		{ ORD_IMSI, ORD_MSISDN, false },
	};
	const struct cs_rule_env e = env_at(NOW);

	for (unsigned int i = 0; i < sizeof(cards) / sizeof(cards[0]); i++) {
		struct cs_subscriber s;
		struct cs_rec_anomaly a;

		subscriber(&s, cards[i].imsi, cards[i].msisdn, MODULE_IMEI);
		cs_state_on_call(&x, &s, true, party(1), true, 30, T0 + 60 * S);
		if (!cards[i].iot) {
			EXPECT_NO_TRIP(cs_check_iot_call(&e, &s, &a), a);
			continue;
		}
		cr_assert(cs_check_iot_call(&e, &s, &a), "%s / %s", cards[i].imsi, cards[i].msisdn);
		expect_subscriber_anomaly(&a, CS_RULE_IOT_VOICE_SMS, 3600, &s);
		cr_assert_eq(a.nevidence, 1);
		expect_evidence(&a, 0, CS_C_MO_CALLS, CS_AT_LEAST, 1, 1);
	}

	struct cs_subscriber s;
	struct cs_rec_anomaly a;
	subscriber(&s, IOT_IMSI, IOT_IMSI_MSISDN, MODULE_IMEI);
	cs_state_on_call(&x, &s, true, party(1), true, 30, T0 + 60 * S);
	rs.iot = NULL;
	EXPECT_NO_TRIP(cs_check_iot_call(&e, &s, &a), a);
	rs.iot = plans[0];
	rs.conf.rule[CS_RULE_IOT_VOICE_SMS].enabled = 0;
	EXPECT_NO_TRIP(cs_check_iot_call(&e, &s, &a), a);
}

/*
 * An IoT card texting a person trips; texting a service does not: a
 * number of at most 6 digits, or one in the short-code plan. An SMS with
 * no recipient number is nobody's.
 */
Test(rule_check, iot_sms_to_a_person_not_to_a_service)
{
	static const struct {
		const char *recipient;
		bool person;
	} to[] = {
		{ "8613800138000", true },  { "1234567", true },       { "10086", false },
		{ "123456", false },        { "106900001234", false }, { "4008001234", false },
	};
	const struct cs_rule_env e = env_at(NOW);
	struct cs_subscriber s;
	struct cs_rec_anomaly a;

	subscriber(&s, IOT_MSISDN_IMSI, IOT_MSISDN, MODULE_IMEI);
	cs_state_on_sms(&x, &s, true, party(3), NULL, false, T0 + 10 * S);
	cs_state_on_sms(&x, &s, true, party(4), NULL, false, T0 + 20 * S);
	for (unsigned int i = 0; i < sizeof(to) / sizeof(to[0]); i++) {
		if (!to[i].person) {
			EXPECT_NO_TRIP(cs_check_iot_sms(&e, &s, d(to[i].recipient), &a), a);
			continue;
		}
		cr_assert(cs_check_iot_sms(&e, &s, d(to[i].recipient), &a), "to %s", to[i].recipient);
		expect_subscriber_anomaly(&a, CS_RULE_IOT_VOICE_SMS, 3600, &s);
		cr_assert_eq(a.nevidence, 2);
		expect_evidence(&a, 0, CS_C_PERSON_SMS, CS_AT_LEAST, 1, 1);
		expect_evidence(&a, 1, CS_C_MO_SMS, CS_AT_LEAST, 2, 1);
	}
	EXPECT_NO_TRIP(cs_check_iot_sms(&e, &s, CS_DIGITS_NONE, &a), a);
	rs.conf.rule[CS_RULE_IOT_VOICE_SMS].enabled = 0;
	EXPECT_NO_TRIP(cs_check_iot_sms(&e, &s, d(ORD_MSISDN), &a), a);
	rs.conf.rule[CS_RULE_IOT_VOICE_SMS].enabled = 1;
	cs_state_release(&x, &s);

	/* an ordinary card texting a person is no IoT misuse */
	subscriber(&s, ORD_IMSI, ORD_MSISDN, HANDSET_IMEI);
	cs_state_on_sms(&x, &s, true, d(ORD_MSISDN), NULL, false, T0 + 10 * S);
	EXPECT_NO_TRIP(cs_check_iot_sms(&e, &s, d("8613800138001"), &a), a);
	cs_state_release(&x, &s);
}

/* ---- iot.imei_binding ---- */

/* An IoT card seen in another module than the one it was bound to trips, naming both devices. */
Test(rule_check, iot_binding_trips_in_another_device)
{
	const struct cs_rule_env e = env_at(NOW);
	struct cs_subscriber s;
	struct cs_rec_anomaly a;

	subscriber(&s, IOT_IMSI, IOT_IMSI_MSISDN, MODULE_IMEI);
	EXPECT_NO_TRIP(cs_check_iot_binding(&e, &s, &a), a);
	cs_state_on_identity(&x, &s, CS_DIGITS_NONE, d(OTHER_MODULE_IMEI), CELL, 6, T0 + 100 * S);
	cr_assert(cs_check_iot_binding(&e, &s, &a));
	expect_subscriber_anomaly(&a, CS_RULE_IOT_IMEI_BINDING, 86400, &s);
	cr_expect_eq(a.imei, d(OTHER_MODULE_IMEI));
	cr_expect_eq(a.bound_imei, d(MODULE_IMEI));
	/* the rule is "moved OR in a handset": evidence is the condition that holds, not the one that does not */
	cr_assert_eq(a.nevidence, 1);
	expect_evidence(&a, 0, CS_C_IMEI_NOT_BOUND, CS_AT_LEAST, 1, 1);
	rs.conf.rule[CS_RULE_IOT_IMEI_BINDING].enabled = 0;
	EXPECT_NO_TRIP(cs_check_iot_binding(&e, &s, &a), a);
	cs_state_release(&x, &s);
}

/*
 * One device across software updates and signalling forms: the bound
 * IMEI's IMEISV, and an IMEISV whose software version changed, name the
 * same device (the first 14 digits: TAC and serial number); none trips.
 */
Test(rule_check, iot_binding_same_device_by_imeisv_does_not_trip)
{
	const struct cs_rule_env e = env_at(NOW);
	struct cs_subscriber s;
	struct cs_rec_anomaly a;

	subscriber(&s, IOT_IMSI, IOT_IMSI_MSISDN, "8620300300000101");
	cs_state_on_identity(&x, &s, CS_DIGITS_NONE, d("8620300300000102"), CELL, 6, T0 + 100 * S);
	EXPECT_NO_TRIP(cs_check_iot_binding(&e, &s, &a), a);
	cs_state_on_identity(&x, &s, CS_DIGITS_NONE, d("862030030000013"), CELL, 6, T0 + 200 * S);
	EXPECT_NO_TRIP(cs_check_iot_binding(&e, &s, &a), a);
	cs_state_release(&x, &s);

	subscriber(&s, IOT_IMSI, IOT_IMSI_MSISDN, MODULE_IMEI);
	cs_state_on_identity(&x, &s, CS_DIGITS_NONE, d("8620300300000199"), CELL, 6, T0 + 100 * S);
	EXPECT_NO_TRIP(cs_check_iot_binding(&e, &s, &a), a);
	/* one serial-number digit further is another device */
	cs_state_on_identity(&x, &s, CS_DIGITS_NONE, d("8620300300000299"), CELL, 6, T0 + 200 * S);
	cr_expect(cs_check_iot_binding(&e, &s, &a));
	cs_state_release(&x, &s);
}

/* An IoT card in a handset trips even in its bound device (it was first seen there). */
Test(rule_check, iot_binding_trips_in_a_handset)
{
	const struct cs_rule_env e = env_at(NOW);
	struct cs_subscriber s;
	struct cs_rec_anomaly a;

	subscriber(&s, IOT_MSISDN_IMSI, IOT_MSISDN, HANDSET_IMEI);
	cr_assert(cs_check_iot_binding(&e, &s, &a));
	expect_subscriber_anomaly(&a, CS_RULE_IOT_IMEI_BINDING, 86400, &s);
	cr_expect_eq(a.imei, a.bound_imei);
	cr_assert_eq(a.nevidence, 1);
	expect_evidence(&a, 0, CS_C_HANDSET_TAC, CS_AT_LEAST, 1, 1);
	/* without the handset list there is nothing to say */
	rs.handset_tacs = NULL;
	EXPECT_NO_TRIP(cs_check_iot_binding(&e, &s, &a), a);
	cs_state_release(&x, &s);
}

/* Only IoT cards are bound: an ordinary card moving between handsets is no binding anomaly; no IMEI, no check. */
Test(rule_check, iot_binding_only_for_iot_cards_with_an_imei)
{
	const struct cs_rule_env e = env_at(NOW);
	struct cs_subscriber s;
	struct cs_rec_anomaly a;

	subscriber(&s, ORD_IMSI, ORD_MSISDN, HANDSET_IMEI);
	cs_state_on_identity(&x, &s, CS_DIGITS_NONE, d("353325109999991"), CELL, 6, T0 + 100 * S);
	EXPECT_NO_TRIP(cs_check_iot_binding(&e, &s, &a), a);
	cs_state_release(&x, &s);

	subscriber(&s, IOT_IMSI, IOT_IMSI_MSISDN, NULL);
	EXPECT_NO_TRIP(cs_check_iot_binding(&e, &s, &a), a);
	cs_state_release(&x, &s);
}

/* ---- iot.data_fanout ---- */

static void uplink(struct cs_subscriber *s, unsigned int destinations, bool up)
{
	for (unsigned int k = 0; k < destinations; k++)
		cs_state_on_data(&x, s, up, 400, 0xc0a80000u + k, T0 + k * 30 * S);
}

/* An IoT card sending to 20 destinations in the hour trips; 19 do not; data received counts none. */
Test(rule_check, iot_data_fanout_trips_at_20_destinations)
{
	const struct cs_rule_env e = env_at(NOW);
	struct cs_subscriber s;
	struct cs_rec_anomaly a;

	subscriber(&s, IOT_IMSI, IOT_IMSI_MSISDN, MODULE_IMEI);
	EXPECT_NO_TRIP(cs_check_iot_data_fanout(&e, &s, &a), a);
	uplink(&s, 30, false);
	EXPECT_NO_TRIP(cs_check_iot_data_fanout(&e, &s, &a), a);
	uplink(&s, 19, true);
	EXPECT_NO_TRIP(cs_check_iot_data_fanout(&e, &s, &a), a);
	cs_state_on_data(&x, &s, true, 400, 0xc0a80000u + 19, T0 + 1000 * S);
	cr_assert(cs_check_iot_data_fanout(&e, &s, &a));
	expect_subscriber_anomaly(&a, CS_RULE_IOT_DATA_FANOUT, 3600, &s);
	cr_assert_eq(a.nevidence, 1);
	expect_evidence(&a, 0, CS_C_DISTINCT_DATA_DESTINATIONS, CS_AT_LEAST, 20, 20);
	rs.conf.rule[CS_RULE_IOT_DATA_FANOUT].enabled = 0;
	EXPECT_NO_TRIP(cs_check_iot_data_fanout(&e, &s, &a), a);
	cs_state_release(&x, &s);

	/* a phone browsing is not an IoT card */
	subscriber(&s, ORD_IMSI, ORD_MSISDN, HANDSET_IMEI);
	rs.conf.rule[CS_RULE_IOT_DATA_FANOUT].enabled = 1;
	uplink(&s, 30, true);
	EXPECT_NO_TRIP(cs_check_iot_data_fanout(&e, &s, &a), a);
	cs_state_release(&x, &s);
}

/* ---- card.sleeper_wakeup ---- */

/* A card that woke at T0 after 40 silent days (the worker's note_wake), then made n MO calls and SMS. */
static void sleeper(struct cs_subscriber *s, struct cs_rule_memory *m, unsigned int calls, unsigned int sms)
{
	memset(s, 0, sizeof(*s));
	s->imsi = d(ORD_IMSI);
	cs_state_init(s);
	cs_state_on_identity(&x, s, d(ORD_MSISDN), d(HANDSET_IMEI), CELL, 6, T0 - 40ull * 86400 * S);
	*m = (struct cs_rule_memory){ .key = s->imsi, .woke_s = (uint32_t)(T0 / S), .silent_s = 40u * 86400u };
	cs_state_on_identity(&x, s, CS_DIGITS_NONE, CS_DIGITS_NONE, CELL, 6, T0);
	for (unsigned int k = 0; k < calls; k++)
		cs_state_on_call(&x, s, true, party(k), true, 30, T0 + 60 * S + k * 60 * S);
	for (unsigned int k = 0; k < sms; k++)
		cs_state_on_sms(&x, s, true, party(100 + k), NULL, false, T0 + 90 * S + k * 60 * S);
}

/* 20 MO events (calls and SMS together) within the hour after waking trip, with the silence in days. */
Test(rule_check, sleeper_trips_at_20_mo_events_in_the_hour_after_waking)
{
	struct cs_subscriber s;
	struct cs_rule_memory m;
	struct cs_rec_anomaly a;
	const struct cs_rule_env last_second = env_at(T0 + 3599 * S);

	sleeper(&s, &m, 12, 8);
	cr_assert(cs_check_sleeper(&last_second, &s, &m, &a));
	expect_subscriber_anomaly(&a, CS_RULE_SLEEPER_WAKEUP, 3600, &s);
	cr_assert_eq(a.nevidence, 2);
	expect_evidence(&a, 0, CS_C_SILENT_DAYS, CS_AT_LEAST, 40, 30);
	expect_evidence(&a, 1, CS_C_MO_EVENTS, CS_AT_LEAST, 20, 20);
	/* the hour after waking is over */
	EXPECT_NO_TRIP(cs_check_sleeper(&(struct cs_rule_env){ &rs, &x, T0 + 3600 * S }, &s, &m, &a), a);
	/* no wake-up remembered, or no memory at all */
	EXPECT_NO_TRIP(cs_check_sleeper(&last_second, &s, NULL, &a), a);
	m.woke_s = 0;
	EXPECT_NO_TRIP(cs_check_sleeper(&last_second, &s, &m, &a), a);
	m.woke_s = (uint32_t)(T0 / S);
	rs.conf.rule[CS_RULE_SLEEPER_WAKEUP].enabled = 0;
	EXPECT_NO_TRIP(cs_check_sleeper(&last_second, &s, &m, &a), a);
	cs_state_release(&x, &s);
}

Test(rule_check, sleeper_needs_20_mo_events)
{
	struct cs_subscriber s;
	struct cs_rule_memory m;
	struct cs_rec_anomaly a;

	sleeper(&s, &m, 11, 8);
	EXPECT_NO_TRIP(cs_check_sleeper(&(struct cs_rule_env){ &rs, &x, T0 + 3599 * S }, &s, &m, &a), a);
	cs_state_release(&x, &s);
	sleeper(&s, &m, 0, 20);
	cr_expect(cs_check_sleeper(&(struct cs_rule_env){ &rs, &x, T0 + 3599 * S }, &s, &m, &a), "SMS alone");
	cs_state_release(&x, &s);
}

/* ---- card.code_receiver ---- */

/* An MT SMS from sender (a number, or NULL with a name), its service flag decided as the worker decides it. */
static void mt_sms(struct cs_subscriber *s, const char *number, const char *name, uint64_t ts)
{
	cs_digits from = number != NULL ? d(number) : CS_DIGITS_NONE;

	cs_state_on_sms(&x, s, false, from, name, cs_rule_is_service(&rs, from), ts);
}

/*
 * 10 distinct service senders a day trip: numbers of the short-code plan,
 * short numbers and named senders all count; persons do not, however
 * many; one MO call in the day stops it (max_mo_calls 0).
 */
Test(rule_check, code_receiver_trips_at_10_service_senders_and_no_calls)
{
	static const char *const numbers[] = { "106900001111", "106900002222", "106900003333", "4008001234",
					       "95588",        "95599",        "10086" };
	const struct cs_rule_env e = env_at(NOW);
	struct cs_subscriber s;
	struct cs_rec_anomaly a;

	subscriber(&s, ORD_IMSI, ORD_MSISDN, HANDSET_IMEI);
	for (unsigned int k = 0; k < 7; k++)
		mt_sms(&s, numbers[k], NULL, T0 + k * 60 * S);
	mt_sms(&s, NULL, "BANK", T0 + 700 * S);
	mt_sms(&s, NULL, "BANK", T0 + 710 * S); /* the same name again */
	mt_sms(&s, NULL, "TAOBAO", T0 + 720 * S);
	/* persons texting: MT senders, not service senders */
	for (unsigned int k = 0; k < 20; k++) {
		char person[CS_DIGITS_STR];
		cs_digits_to_ascii(party(k), person);
		mt_sms(&s, person, NULL, T0 + 800 * S + k * S);
	}
	cr_expect_eq(cs_state_distinct(&x, &s, CS_D_MT_SENDERS, NOW).n, 29);
	cr_expect_eq(cs_state_distinct(&x, &s, CS_D_SHORTCODE_SENDERS, NOW).n, 9);
	EXPECT_NO_TRIP(cs_check_code_receiver(&e, &s, &a), a);

	mt_sms(&s, NULL, "WECHAT", T0 + 900 * S);
	cr_assert(cs_check_code_receiver(&e, &s, &a));
	expect_subscriber_anomaly(&a, CS_RULE_CODE_RECEIVER, 86400, &s);
	cr_assert_eq(a.nevidence, 2);
	expect_evidence(&a, 0, CS_C_SHORTCODE_SENDERS, CS_AT_LEAST, 10, 10);
	expect_evidence(&a, 1, CS_C_MO_CALLS_DAY, CS_AT_MOST, 0, 0);
	rs.conf.rule[CS_RULE_CODE_RECEIVER].enabled = 0;
	EXPECT_NO_TRIP(cs_check_code_receiver(&e, &s, &a), a);
	rs.conf.rule[CS_RULE_CODE_RECEIVER].enabled = 1;

	cs_state_on_call(&x, &s, true, party(1), false, 0, T0 + 1000 * S);
	EXPECT_NO_TRIP(cs_check_code_receiver(&e, &s, &a), a);
	cs_state_release(&x, &s);
}

/* ---- simbox.imei_rotation (subject: a device) ---- */

static cs_digits sim(unsigned int n)
{
	char s[16];

	snprintf(s, sizeof(s), "4600012%08u", n);
	return d(s);
}

/* 8 SIMs in one device a day trip; 7 do not. The members are the latest distinct SIMs, newest first. */
Test(rule_check, imei_rotation_trips_at_8_sims_a_day)
{
	const struct cs_rule_env e = env_at(NOW);
	struct cs_device dev = { .imei = d(MODULE_IMEI) };
	struct cs_rec_anomaly a;

	for (unsigned int k = 0; k < 7; k++)
		cs_device_on_imsi(&dev, x.pool, x.conf.day_ns, sim(k), T0 + k * 60 * S);
	cs_device_on_imsi(&dev, x.pool, x.conf.day_ns, sim(0), T0 + 500 * S); /* a SIM back in its slot */
	EXPECT_NO_TRIP(cs_check_imei_rotation(&e, &dev, &a), a);
	cs_device_on_imsi(&dev, x.pool, x.conf.day_ns, sim(7), T0 + 600 * S);
	cr_assert(cs_check_imei_rotation(&e, &dev, &a));
	cr_expect_eq(a.rule, CS_RULE_SIMBOX_IMEI_ROTATION);
	cr_expect_eq(a.subject, CS_SUBJECT_DEVICE);
	cr_expect_eq(a.subject_key, d(MODULE_IMEI));
	cr_expect_eq(a.window_s, 86400);
	cr_expect_eq(a.imei, d(MODULE_IMEI));
	cr_expect_eq(a.imsi, CS_DIGITS_NONE);
	cr_expect_eq(a.msisdn, CS_DIGITS_NONE);
	cr_expect_eq(a.bound_imei, CS_DIGITS_NONE);
	cr_expect_eq(a.cell, 0);
	cr_assert_eq(a.nevidence, 1);
	expect_evidence(&a, 0, CS_C_DEVICE_IMSIS, CS_AT_LEAST, 8, 8);
	cr_assert_eq(a.nmembers, 8);
	/* newest first: 7, then 6 .. 0 (sim 0 seen again keeps its first place in the ring) */
	for (unsigned int i = 0; i < 8; i++)
		cr_expect_eq(a.members[i], sim(7 - i), "member %u", i);

	rs.conf.rule[CS_RULE_SIMBOX_IMEI_ROTATION].enabled = 0;
	EXPECT_NO_TRIP(cs_check_imei_rotation(&e, &dev, &a), a);
	cs_device_release(&dev, x.pool);
}

/* More SIMs than the ring holds: the count is all of them, the members the 8 latest. */
Test(rule_check, imei_rotation_lists_the_latest_8)
{
	const struct cs_rule_env e = env_at(NOW);
	struct cs_device dev = { .imei = d(MODULE_IMEI) };
	struct cs_rec_anomaly a;

	for (unsigned int k = 0; k < 12; k++)
		cs_device_on_imsi(&dev, x.pool, x.conf.day_ns, sim(k), T0 + k * 60 * S);
	cr_assert(cs_check_imei_rotation(&e, &dev, &a));
	expect_evidence(&a, 0, CS_C_DEVICE_IMSIS, CS_AT_LEAST, 12, 8);
	cr_assert_eq(a.nmembers, 8);
	for (unsigned int i = 0; i < 8; i++)
		cr_expect_eq(a.members[i], sim(11 - i), "member %u", i);
	cs_device_release(&dev, x.pool);
}

/* ---- numblock.batch (subject: a number block) ---- */

/*
 * 20 numbers of one block active for the first time within the hour trip;
 * 19 do not. The members are the numbers first active within the hour,
 * as full MSISDNs, newest first: not the block's older first activations.
 */
Test(rule_check, numblock_trips_at_20_first_activations_in_the_hour)
{
	const struct cs_rule_env e = env_at(NOW);
	struct cs_block_conf bc;
	struct cs_rec_anomaly a;
	uint32_t suffix;

	cs_block_conf_default(&bc);
	struct cs_block *b = calloc(1, cs_block_record_size(bc.suffix_digits));
	cr_assert_not_null(b);
	b->prefix = cs_block_key(d("447700900123"), bc.suffix_digits, &suffix);
	cr_assert_eq(b->prefix, d("447700900"));

	/* five first activations two hours earlier: in the day, not in the hour */
	for (unsigned int k = 0; k < 5; k++)
		cr_assert(cs_block_on_active(b, &bc, 900 + k, T0 - 7200 * S + k * S));
	for (unsigned int k = 0; k < 19; k++)
		cr_assert(cs_block_on_active(b, &bc, 100 + 3 * k, T0 + k * 60 * S));
	cr_assert_not(cs_block_on_active(b, &bc, 100, T0 + 1200 * S), "known already: not a first activation");
	EXPECT_NO_TRIP(cs_check_numblock(&e, b, &bc, &a), a);

	cr_assert(cs_block_on_active(b, &bc, 7, T0 + 1300 * S));
	cr_assert(cs_check_numblock(&e, b, &bc, &a));
	cr_expect_eq(a.rule, CS_RULE_NUMBLOCK_BATCH);
	cr_expect_eq(a.subject, CS_SUBJECT_BLOCK);
	cr_expect_eq(a.subject_key, d("447700900"));
	cr_expect_eq(a.window_s, 3600);
	cr_expect_eq(a.imsi, CS_DIGITS_NONE);
	cr_expect_eq(a.msisdn, CS_DIGITS_NONE);
	cr_expect_eq(a.imei, CS_DIGITS_NONE);
	cr_assert_eq(a.nevidence, 1);
	expect_evidence(&a, 0, CS_C_FIRST_ACTIVATIONS, CS_AT_LEAST, 20, 20);
	cr_assert_eq(a.nmembers, 20);
	cr_expect_eq(a.members[0], d("447700900007"), "the newest, its suffix with its leading zeros");
	for (unsigned int i = 1; i < 20; i++) {
		char want[16];
		snprintf(want, sizeof(want), "447700900%03u", 100 + 3 * (19 - i));
		cr_expect_eq(a.members[i], d(want), "member %u: want %s", i, want);
	}

	rs.conf.rule[CS_RULE_NUMBLOCK_BATCH].enabled = 0;
	EXPECT_NO_TRIP(cs_check_numblock(&e, b, &bc, &a), a);
	free(b);
}

/* ---- call.sequential ---- */

/* 10 callees in one arithmetic run trip (the run as the worker follows it, cs_rule_memory_on_callee); 9 do not. */
Test(rule_check, sequential_trips_at_a_run_of_10)
{
	const struct cs_rule_env e = env_at(NOW);
	struct cs_subscriber s;
	struct cs_rule_memory m = { 0 };
	struct cs_rec_anomaly a;
	uint64_t step = 0;
	uint32_t run = 0;

	subscriber(&s, ORD_IMSI, ORD_MSISDN, HANDSET_IMEI);
	for (unsigned int k = 0; k < 10; k++) {
		char callee[16];
		snprintf(callee, sizeof(callee), "86138001%05u", 50000 - 7 * k);
		cs_state_on_call(&x, &s, true, d(callee), false, 0, T0 + k * 30 * S);
		run = cs_rule_memory_on_callee(&m, d(callee), rs.conf.sequential.max_step, &step);
		if (k < 9)
			EXPECT_NO_TRIP(cs_check_sequential(&e, &s, run, step, &a), a);
	}
	cr_assert_eq(run, 10);
	cr_assert(cs_check_sequential(&e, &s, run, step, &a));
	expect_subscriber_anomaly(&a, CS_RULE_CALL_SEQUENTIAL, 3600, &s);
	cr_assert_eq(a.nevidence, 2);
	expect_evidence(&a, 0, CS_C_SEQUENTIAL_CALLEES, CS_AT_LEAST, 10, 10);
	expect_evidence(&a, 1, CS_C_CALLEE_STEP, CS_AT_MOST, 7, 10);
	rs.conf.rule[CS_RULE_CALL_SEQUENTIAL].enabled = 0;
	EXPECT_NO_TRIP(cs_check_sequential(&e, &s, run, step, &a), a);
	cs_state_release(&x, &s);
}
