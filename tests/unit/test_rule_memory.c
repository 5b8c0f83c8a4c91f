/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the rules remember of a subject (rule_memory.h): suppression and
 * escalation of anomalies, the score, the arithmetic run of callees, and
 * the table key that keeps subscribers, devices and blocks apart.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "block_state.h"
#include "rule_memory.h"

/* 2026-01-05T08:00:00Z, in seconds: the event times below are offsets from it */
static const uint32_t T0 = 1767600000u;
static const uint32_t HOUR = 3600u;

static cs_digits d(const char *s)
{
	return cs_digits_from_ascii(s, strlen(s));
}

/* A rule with the given severity and cooldown (weight 10). */
static struct cs_rule_common rule(enum cs_severity sev, uint32_t cooldown_s)
{
	return (struct cs_rule_common){ .enabled = 1, .severity = (uint8_t)sev, .weight = 10,
					.cooldown_s = cooldown_s };
}

/* Fires r at t and expects it let through with this grading. */
static void expect_fire(struct cs_rule_memory *m, enum cs_rule r, const struct cs_rule_common *c, uint32_t t,
			enum cs_severity sev, unsigned int occurrence)
{
	struct cs_fire f = { .severity = 0xee, .occurrence = 0xee };

	cr_assert(cs_rule_memory_fire(m, r, c, t, &f), "%s at T0%+lld: refused", cs_rule_name(r),
		  (long long)t - T0);
	cr_expect_eq(f.severity, sev, "%s at T0%+lld: severity %s, want %s", cs_rule_name(r), (long long)t - T0,
		     cs_severity_name(f.severity), cs_severity_name(sev));
	cr_expect_eq(f.occurrence, occurrence, "%s at T0%+lld: occurrence %u, want %u", cs_rule_name(r),
		     (long long)t - T0, f.occurrence, occurrence);
}

/* Fires r at t and expects it suppressed, the memory untouched. */
static void expect_refused(struct cs_rule_memory *m, enum cs_rule r, const struct cs_rule_common *c, uint32_t t)
{
	struct cs_rule_memory before = *m;
	struct cs_fire f = { .severity = 0xee, .occurrence = 0xee };

	cr_expect_not(cs_rule_memory_fire(m, r, c, t, &f), "%s at T0%+lld: let through", cs_rule_name(r),
		      (long long)t - T0);
	cr_expect_eq(memcmp(&before, m, sizeof(before)), 0, "a refused trip changes nothing");
	cr_expect_eq(f.severity, 0xee, "a refused trip grades nothing");
}

/* ---- cs_rule_memory_fire: suppression and escalation ---- */

/* The first anomaly of a rule on a subject passes at the rule's own severity, as occurrence 1, and is remembered. */
Test(rule_memory_fire, first_anomaly_has_the_rule_severity_and_occurrence_1)
{
	struct cs_rule_memory m = { 0 };
	struct cs_rules_conf conf;

	cs_rules_conf_default(&conf);
	expect_fire(&m, CS_RULE_SIMBOX_FANOUT, &conf.rule[CS_RULE_SIMBOX_FANOUT], T0, CS_SEV_HIGH, 1);
	cr_expect_eq(m.fired_s[CS_RULE_SIMBOX_FANOUT], T0);
	cr_expect_eq(m.occurrence[CS_RULE_SIMBOX_FANOUT], 1);
	expect_fire(&m, CS_RULE_SIMBOX_SIM_HOPPING, &conf.rule[CS_RULE_SIMBOX_SIM_HOPPING], T0, CS_SEV_MEDIUM, 1);
}

/* One anomaly per subject and rule per cooldown: the last second of it refuses, its end lets through. */
Test(rule_memory_fire, a_trip_within_the_cooldown_is_refused)
{
	struct cs_rule_memory m = { 0 };
	const struct cs_rule_common c = rule(CS_SEV_MEDIUM, HOUR);

	expect_fire(&m, CS_RULE_SMS_FLOOD, &c, T0, CS_SEV_MEDIUM, 1);
	expect_refused(&m, CS_RULE_SMS_FLOOD, &c, T0);
	expect_refused(&m, CS_RULE_SMS_FLOOD, &c, T0 + 1);
	expect_refused(&m, CS_RULE_SMS_FLOOD, &c, T0 + HOUR - 1);
	expect_fire(&m, CS_RULE_SMS_FLOOD, &c, T0 + HOUR, CS_SEV_HIGH, 2);
}

/* Suppression is per rule: one rule's cooldown does not hold back another's on the same subject. */
Test(rule_memory_fire, rules_are_suppressed_apart)
{
	struct cs_rule_memory m = { 0 };
	const struct cs_rule_common c = rule(CS_SEV_LOW, HOUR);

	expect_fire(&m, CS_RULE_SMS_FLOOD, &c, T0, CS_SEV_LOW, 1);
	expect_fire(&m, CS_RULE_CALL_SEQUENTIAL, &c, T0 + 1, CS_SEV_LOW, 1);
	expect_refused(&m, CS_RULE_SMS_FLOOD, &c, T0 + 2);
	expect_refused(&m, CS_RULE_CALL_SEQUENTIAL, &c, T0 + 2);
}

/*
 * Continuing behaviour: a trip after the cooldown but within twice the
 * cooldown of the last anomaly is the next occurrence, one level up. The
 * edge, exactly 2x the cooldown, still continues.
 */
Test(rule_memory_fire, a_trip_within_twice_the_cooldown_continues_one_level_up)
{
	struct cs_rule_memory m = { 0 };
	const struct cs_rule_common c = rule(CS_SEV_LOW, HOUR);

	expect_fire(&m, CS_RULE_SIMBOX_FANOUT, &c, T0, CS_SEV_LOW, 1);
	expect_fire(&m, CS_RULE_SIMBOX_FANOUT, &c, T0 + HOUR + 1800, CS_SEV_MEDIUM, 2);
	expect_fire(&m, CS_RULE_SIMBOX_FANOUT, &c, T0 + HOUR + 1800 + 2 * HOUR, CS_SEV_HIGH, 3);
}

/* Each further occurrence is one level higher, up to critical, where it stays; the occurrence keeps counting. */
Test(rule_memory_fire, continuing_trips_saturate_at_critical)
{
	static const enum cs_severity want[] = { CS_SEV_LOW, CS_SEV_MEDIUM, CS_SEV_HIGH, CS_SEV_CRITICAL,
						 CS_SEV_CRITICAL, CS_SEV_CRITICAL };
	struct cs_rule_memory m = { 0 };
	const struct cs_rule_common c = rule(CS_SEV_LOW, HOUR);

	for (unsigned int i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		expect_fire(&m, CS_RULE_SMS_FLOOD, &c, T0 + i * HOUR, want[i], i + 1);

	/* a rule that starts at critical stays there */
	const struct cs_rule_common crit = rule(CS_SEV_CRITICAL, HOUR);
	expect_fire(&m, CS_RULE_SIMBOX_FANOUT, &crit, T0, CS_SEV_CRITICAL, 1);
	expect_fire(&m, CS_RULE_SIMBOX_FANOUT, &crit, T0 + HOUR, CS_SEV_CRITICAL, 2);
}

/* The occurrence is a byte: a long run saturates at 255 and stays there, still critical. */
Test(rule_memory_fire, occurrence_saturates_at_255)
{
	struct cs_rule_memory m = { 0 };
	const struct cs_rule_common c = rule(CS_SEV_INFO, 60);
	struct cs_fire f;

	for (unsigned int i = 0; i < 300; i++) {
		cr_assert(cs_rule_memory_fire(&m, CS_RULE_IOT_DATA_FANOUT, &c, T0 + i * 60, &f), "trip %u", i);
		cr_assert_eq(f.occurrence, i < 255 ? i + 1 : 255, "trip %u: occurrence %u", i, f.occurrence);
	}
	cr_expect_eq(f.severity, CS_SEV_CRITICAL);
}

/* Quiet for more than twice the cooldown: the next anomaly starts again at occurrence 1 and the rule's severity. */
Test(rule_memory_fire, a_trip_after_twice_the_cooldown_starts_again)
{
	struct cs_rule_memory m = { 0 };
	const struct cs_rule_common c = rule(CS_SEV_MEDIUM, HOUR);

	expect_fire(&m, CS_RULE_CODE_RECEIVER, &c, T0, CS_SEV_MEDIUM, 1);
	expect_fire(&m, CS_RULE_CODE_RECEIVER, &c, T0 + 2 * HOUR, CS_SEV_HIGH, 2); /* exactly 2x: continuing */
	expect_fire(&m, CS_RULE_CODE_RECEIVER, &c, T0 + 4 * HOUR + 1, CS_SEV_MEDIUM, 1); /* 2x + 1 s: a new run */
	cr_expect_eq(m.occurrence[CS_RULE_CODE_RECEIVER], 1);
	expect_fire(&m, CS_RULE_CODE_RECEIVER, &c, T0 + 5 * HOUR + 1, CS_SEV_HIGH, 2);
}

/*
 * Events meet a worker slightly out of order: a trip whose event time is
 * before the last anomaly is refused, however long the cooldown has been
 * over (an unsigned difference would wrap and let it through as "late").
 */
Test(rule_memory_fire, an_event_older_than_the_last_anomaly_is_refused)
{
	struct cs_rule_memory m = { 0 };
	const struct cs_rule_common c = rule(CS_SEV_MEDIUM, HOUR);
	const struct cs_rule_common none = rule(CS_SEV_MEDIUM, 0);

	expect_fire(&m, CS_RULE_SMS_FLOOD, &c, T0, CS_SEV_MEDIUM, 1);
	expect_refused(&m, CS_RULE_SMS_FLOOD, &c, T0 - 1);
	expect_refused(&m, CS_RULE_SMS_FLOOD, &c, T0 - 10 * HOUR);
	expect_refused(&m, CS_RULE_SMS_FLOOD, &c, 1);
	/* even with no cooldown at all */
	expect_fire(&m, CS_RULE_NUMBLOCK_BATCH, &none, T0, CS_SEV_MEDIUM, 1);
	expect_refused(&m, CS_RULE_NUMBLOCK_BATCH, &none, T0 - 1);
}

/* Event time 0 is a real time, not "never": its anomaly is remembered and suppresses the next ones. */
Test(rule_memory_fire, now_s_0_is_remembered)
{
	struct cs_rule_memory m = { 0 };
	const struct cs_rule_common c = rule(CS_SEV_LOW, HOUR);

	expect_fire(&m, CS_RULE_SIMBOX_FANOUT, &c, 0, CS_SEV_LOW, 1);
	cr_expect_neq(m.fired_s[CS_RULE_SIMBOX_FANOUT], 0, "fired_s 0 would read as never");
	expect_refused(&m, CS_RULE_SIMBOX_FANOUT, &c, 0);
	expect_refused(&m, CS_RULE_SIMBOX_FANOUT, &c, HOUR - 1);
	expect_fire(&m, CS_RULE_SIMBOX_FANOUT, &c, HOUR + 1, CS_SEV_MEDIUM, 2);
}

/* ---- cs_rule_memory_score ---- */

/* The score sums the weights of the rules whose last anomaly is within its cooldown, and only those. */
Test(rule_memory_score, sums_the_weights_of_rules_within_their_cooldown)
{
	struct cs_rules_conf conf;
	struct cs_rule_memory m = { 0 };
	struct cs_fire f;

	cs_rules_conf_default(&conf);
	/* fanout 40 for 1 h, flood 40 for 1 h, hopping 20 for 6 h (docs/rules.md defaults) */
	cr_assert_eq(conf.rule[CS_RULE_SIMBOX_FANOUT].weight, 40);
	cr_assert_eq(conf.rule[CS_RULE_SMS_FLOOD].weight, 40);
	cr_assert_eq(conf.rule[CS_RULE_SIMBOX_SIM_HOPPING].weight, 20);
	cr_assert_eq(conf.rule[CS_RULE_SIMBOX_SIM_HOPPING].cooldown_s, 6 * HOUR);

	cr_expect_eq(cs_rule_memory_score(&m, &conf, T0), 0, "no anomaly, no score");
	cr_assert(cs_rule_memory_fire(&m, CS_RULE_SIMBOX_FANOUT, &conf.rule[CS_RULE_SIMBOX_FANOUT], T0, &f));
	cr_assert(cs_rule_memory_fire(&m, CS_RULE_SIMBOX_SIM_HOPPING, &conf.rule[CS_RULE_SIMBOX_SIM_HOPPING], T0, &f));
	cr_assert(cs_rule_memory_fire(&m, CS_RULE_SMS_FLOOD, &conf.rule[CS_RULE_SMS_FLOOD], T0 + 1800, &f));

	cr_expect_eq(cs_rule_memory_score(&m, &conf, T0), 60, "flood is not live yet at T0");
	cr_expect_eq(cs_rule_memory_score(&m, &conf, T0 + 1800), 100);
	cr_expect_eq(cs_rule_memory_score(&m, &conf, T0 + HOUR - 1), 100);
	cr_expect_eq(cs_rule_memory_score(&m, &conf, T0 + HOUR), 60, "fanout's cooldown is over");
	cr_expect_eq(cs_rule_memory_score(&m, &conf, T0 + HOUR + 1799), 60);
	cr_expect_eq(cs_rule_memory_score(&m, &conf, T0 + HOUR + 1800), 20, "flood's is over");
	cr_expect_eq(cs_rule_memory_score(&m, &conf, T0 + 6 * HOUR - 1), 20);
	cr_expect_eq(cs_rule_memory_score(&m, &conf, T0 + 6 * HOUR), 0);
	cr_expect_eq(cs_rule_memory_score(&m, &conf, T0 - 1), 0, "before every anomaly");

	/* the weights are the configuration's as of the read */
	conf.rule[CS_RULE_SIMBOX_SIM_HOPPING].weight = 7;
	cr_expect_eq(cs_rule_memory_score(&m, &conf, T0 + 2 * HOUR), 7);
}

/* An anomaly raised at event time 0 counts in the score read at that time, as any other does at its own. */
Test(rule_memory_score, an_anomaly_at_time_0_scores)
{
	struct cs_rules_conf conf;
	struct cs_rule_memory m = { 0 };
	struct cs_fire f;

	cs_rules_conf_default(&conf);
	cr_assert(cs_rule_memory_fire(&m, CS_RULE_SMS_FLOOD, &conf.rule[CS_RULE_SMS_FLOOD], 0, &f));
	cr_expect_eq(cs_rule_memory_score(&m, &conf, 0), conf.rule[CS_RULE_SMS_FLOOD].weight,
		     "the worker scores an anomaly at the time it fired it");
	cr_expect_eq(cs_rule_memory_score(&m, &conf, 1), conf.rule[CS_RULE_SMS_FLOOD].weight);
}

/* ---- cs_rule_memory_on_callee: the arithmetic run of callees ---- */

/* value written in len digits, leading zeros kept */
static cs_digits number(unsigned long long value, unsigned int len)
{
	char s[24];

	snprintf(s, sizeof(s), "%0*llu", (int)len, value);
	cr_assert_eq(strlen(s), len);
	return d(s);
}

static const unsigned long long BASE = 8613800138000ull; /* 13 digits */

/* One MO call to callee: expects the run's length and its step (0 when there is no run, run 1). */
static void expect_run(struct cs_rule_memory *m, cs_digits callee, uint32_t max_step, uint32_t run, uint64_t step)
{
	char s[CS_DIGITS_STR];
	uint64_t got_step = 0xdead;

	cs_digits_to_ascii(callee, s);
	uint32_t got = cs_rule_memory_on_callee(m, callee, max_step, &got_step);
	cr_expect_eq(got, run, "callee %s: run %u, want %u", s, got, run);
	cr_expect_eq(got_step, step, "callee %s: step %llu, want %llu", s, (unsigned long long)got_step,
		     (unsigned long long)step);
}

/* Runs of step 1 and 7, up and down: each callee lengthens the run by one, the step reported absolute. */
Test(rule_memory_callee, runs_of_step_1_and_7_both_ways)
{
	static const long long steps[] = { 1, -1, 7, -7 };

	for (unsigned int k = 0; k < sizeof(steps) / sizeof(steps[0]); k++) {
		struct cs_rule_memory m = { 0 };
		unsigned long long abs_step = (unsigned long long)(steps[k] < 0 ? -steps[k] : steps[k]);

		expect_run(&m, number(BASE, 13), 10, 1, 0);
		for (unsigned int i = 1; i < 12; i++)
			expect_run(&m, number(BASE + (unsigned long long)(steps[k] * (long long)i), 13), 10, i + 1,
				   abs_step);
		cr_expect_eq(m.callee_step, steps[k], "the signed step is remembered");
	}
}

/* The first callee a memory sees has nothing to step from. */
Test(rule_memory_callee, the_first_callee_is_a_run_of_1)
{
	struct cs_rule_memory m = { 0 };

	expect_run(&m, number(BASE, 13), 10, 1, 0);
	cr_expect_eq(m.last_callee, number(BASE, 13));
}

/* A different step ends the run: the new pair is a run of 2 with its own step. */
Test(rule_memory_callee, a_different_step_starts_a_new_run_of_2)
{
	struct cs_rule_memory m = { 0 };

	for (unsigned int i = 0; i < 5; i++)
		expect_run(&m, number(BASE + i, 13), 10, i + 1, i == 0 ? 0 : 1);
	expect_run(&m, number(BASE + 4 + 7, 13), 10, 2, 7);
	expect_run(&m, number(BASE + 4 + 14, 13), 10, 3, 7);
	/* turning back is a different (signed) step too */
	expect_run(&m, number(BASE + 4 + 7, 13), 10, 2, 7);
	expect_run(&m, number(BASE + 4, 13), 10, 3, 7);
}

/*
 * Only numbers of one length make a run: 0861380013800 then 861380013801
 * differ by 1 in value but are different numbers (a national and an
 * international form), so the run breaks and restarts from the new length.
 */
Test(rule_memory_callee, a_number_of_another_length_breaks_the_run)
{
	struct cs_rule_memory m = { 0 };

	expect_run(&m, number(861380013798ull, 13), 10, 1, 0);
	expect_run(&m, number(861380013799ull, 13), 10, 2, 1);
	expect_run(&m, number(861380013800ull, 13), 10, 3, 1);
	cr_assert_eq(cs_digits_len(number(861380013801ull, 12)), 12);
	expect_run(&m, number(861380013801ull, 12), 10, 1, 0);
	expect_run(&m, number(861380013802ull, 12), 10, 2, 1);
}

/* A step above max_step is no run (a callee a thousand numbers on is not the next one); max_step itself is. */
Test(rule_memory_callee, a_step_above_max_step_breaks_the_run)
{
	struct cs_rule_memory m = { 0 };

	expect_run(&m, number(BASE, 13), 10, 1, 0);
	expect_run(&m, number(BASE + 10, 13), 10, 2, 10);
	expect_run(&m, number(BASE + 20, 13), 10, 3, 10);
	expect_run(&m, number(BASE + 31, 13), 10, 1, 0);
	expect_run(&m, number(BASE + 42, 13), 10, 1, 0);
	expect_run(&m, number(BASE + 1042, 13), 10, 1, 0);
	expect_run(&m, number(BASE + 1043, 13), 10, 2, 1);
}

/* Calling the same number again is step 0: no run; the next different number starts one. */
Test(rule_memory_callee, a_repeated_number_breaks_the_run)
{
	struct cs_rule_memory m = { 0 };

	for (unsigned int i = 0; i < 4; i++)
		expect_run(&m, number(BASE + i, 13), 10, i + 1, i == 0 ? 0 : 1);
	expect_run(&m, number(BASE + 3, 13), 10, 1, 0);
	expect_run(&m, number(BASE + 3, 13), 10, 1, 0);
	expect_run(&m, number(BASE + 4, 13), 10, 2, 1);
}

/* A call without a callee number breaks the run, and the next callee has nothing to step from. */
Test(rule_memory_callee, no_callee_breaks_the_run)
{
	struct cs_rule_memory m = { 0 };

	for (unsigned int i = 0; i < 4; i++)
		expect_run(&m, number(BASE + i, 13), 10, i + 1, i == 0 ? 0 : 1);
	cr_assert_eq(cs_rule_memory_on_callee(&m, CS_DIGITS_NONE, 10, &(uint64_t){ 0 }), 1);
	expect_run(&m, number(BASE + 4, 13), 10, 1, 0);
	expect_run(&m, number(BASE + 5, 13), 10, 2, 1);
}

/* Numbers of 16 digits (the most cs_digits holds) step like any other. */
Test(rule_memory_callee, sixteen_digit_numbers)
{
	struct cs_rule_memory m = { 0 };

	expect_run(&m, number(9999999999999990ull, 16), 10, 1, 0);
	expect_run(&m, number(9999999999999993ull, 16), 10, 2, 3);
	expect_run(&m, number(9999999999999996ull, 16), 10, 3, 3);
	expect_run(&m, number(9999999999999999ull, 16), 10, 4, 3);
}

/* ---- cs_rule_memory_key ---- */

static unsigned int last_nibble(uint64_t k)
{
	return (unsigned int)(k & 0xf);
}

/* The documented shapes: a subscriber's key is its IMSI (ends F), an IMEI's ends E or a digit, a block's D. */
Test(rule_memory_key, each_kind_has_its_last_nibble)
{
	cs_digits imsi = d("460001234567890");
	cs_digits imei = d("353325108224654");
	cs_digits imeisv = d("3533251082246501");
	cs_digits block = d("447700900"); /* 447700900123 less its last 3 digits */

	cr_expect_eq(cs_rule_memory_key(CS_SUBJECT_SUBSCRIBER, imsi), imsi);
	cr_expect_eq(last_nibble(cs_rule_memory_key(CS_SUBJECT_SUBSCRIBER, imsi)), 0xf);
	cr_expect_eq(last_nibble(cs_rule_memory_key(CS_SUBJECT_DEVICE, imei)), 0xe);
	cr_expect_leq(last_nibble(cs_rule_memory_key(CS_SUBJECT_DEVICE, imeisv)), 9);
	cr_expect_eq(last_nibble(cs_rule_memory_key(CS_SUBJECT_BLOCK, block)), 0xd);
	/* the same digits as IMSI and as IMEI are two subjects */
	cr_expect_neq(cs_rule_memory_key(CS_SUBJECT_SUBSCRIBER, d("353325108224654")),
		      cs_rule_memory_key(CS_SUBJECT_DEVICE, d("353325108224654")));
	cr_expect_neq(cs_rule_memory_key(CS_SUBJECT_SUBSCRIBER, d("44770090012")),
		      cs_rule_memory_key(CS_SUBJECT_BLOCK, d("44770090012")));
	cr_expect_neq(cs_rule_memory_key(CS_SUBJECT_DEVICE, d("44770090012")),
		      cs_rule_memory_key(CS_SUBJECT_BLOCK, d("44770090012")));
}

struct keyed {
	uint64_t key;
	int kind;
	cs_digits subject;
};

static int by_key(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/* A fixed pseudo-random stream (splitmix64): the same subjects every run. */
static uint64_t next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static cs_digits random_number(uint64_t *state, const char *prefix, unsigned int len)
{
	char s[24];
	size_t n = strlen(prefix);

	memcpy(s, prefix, n);
	for (; n < len; n++)
		s[n] = (char)('0' + next(state) % 10);
	s[len] = '\0';
	return d(s);
}

/*
 * Thousands of realistic subjects of every kind, overlapping in their
 * digits on purpose (IMEIs and IMSIs drawn from the same digit strings,
 * blocks of the numbers themselves): no two distinct subjects share a key.
 */
Test(rule_memory_key, realistic_subjects_never_share_a_key)
{
	enum { PER = 2000, KINDS = 5 };
	static struct keyed k[PER * KINDS];
	uint64_t state = 42;
	size_t n = 0;

	for (unsigned int i = 0; i < PER; i++) {
		cs_digits imsi = random_number(&state, "46000", 15);
		cs_digits imei = random_number(&state, "35332510", 15);
		cs_digits imeisv = random_number(&state, "35332510", 16);
		cs_digits msisdn = random_number(&state, "86138", 13);
		uint32_t suffix;

		k[n++] = (struct keyed){ cs_rule_memory_key(CS_SUBJECT_SUBSCRIBER, imsi), CS_SUBJECT_SUBSCRIBER, imsi };
		k[n++] = (struct keyed){ cs_rule_memory_key(CS_SUBJECT_DEVICE, imei), CS_SUBJECT_DEVICE, imei };
		k[n++] = (struct keyed){ cs_rule_memory_key(CS_SUBJECT_DEVICE, imeisv), CS_SUBJECT_DEVICE, imeisv };
		/* an IMSI with an IMEI's digits, a block of 3 and of 1 suffix digits */
		k[n++] = (struct keyed){ cs_rule_memory_key(CS_SUBJECT_SUBSCRIBER, imei), CS_SUBJECT_SUBSCRIBER, imei };
		cs_digits block = cs_block_key(msisdn, i % 2 ? 3 : 1, &suffix);
		k[n++] = (struct keyed){ cs_rule_memory_key(CS_SUBJECT_BLOCK, block), CS_SUBJECT_BLOCK, block };
	}
	qsort(k, n, sizeof(k[0]), by_key);
	for (size_t i = 1; i < n; i++)
		if (k[i].key == k[i - 1].key)
			cr_assert(k[i].kind == k[i - 1].kind && k[i].subject == k[i - 1].subject,
				  "key %016llx: kind %d %016llx and kind %d %016llx", (unsigned long long)k[i].key,
				  k[i].kind, (unsigned long long)k[i].subject, k[i - 1].kind,
				  (unsigned long long)k[i - 1].subject);
}
