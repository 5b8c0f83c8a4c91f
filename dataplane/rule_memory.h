/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_RULE_MEMORY_H
#define CS_RULE_MEMORY_H

#include <stdbool.h>
#include <stdint.h>

#include "digits.h"
#include "rules.h"

/*
 * What the rules remember of a subject beyond its behaviour state: when
 * each rule last raised an anomaly on it (suppression and escalation),
 * when a subscriber woke from a long silence (card.sleeper_wakeup), and
 * the arithmetic run of its latest callees (call.sequential). A worker
 * keeps these in a table of their own (capacity.rule_memory), created for
 * a subject on its first MO call (the dialling run), wake-up or anomaly,
 * so that the 240-byte behaviour record stays as it is: size it for the
 * subscribers who call, or the quietest callers' runs are forgotten first.
 *
 *  off size
 *    0   8  key            cs_rule_memory_key(subject kind, subject)
 *    8   8  last_callee    the previous MO call's callee
 *   16   8  callee_step    callee - the one before, when both have one length
 *   24   4  woke_s         event time of the first activity after a long silence, 0: none
 *   28   4  silent_s       how long that silence was
 *   32   2  sequential_run callees in the current arithmetic run (1: no run)
 *   34  11  occurrence[]   per rule: anomalies in the current run of continuing behaviour
 *   45   3  (padding)
 *   48  44  fired_s[]      per rule: event time of the last anomaly, 0: never
 *   92   4  (padding)
 *
 * Suppression: one anomaly per (subject, rule) per cooldown. Behaviour
 * that trips the rule again within twice the cooldown of the last anomaly
 * continues it: the next anomaly (after the cooldown) counts one more
 * occurrence and is one severity level higher, up to critical. A subject
 * quiet for longer starts again at the rule's own severity.
 */
struct cs_rule_memory {
	uint64_t key;
	cs_digits last_callee;
	int64_t callee_step;
	uint32_t woke_s;
	uint32_t silent_s;
	uint16_t sequential_run;
	uint8_t occurrence[CS_RULES];
	uint32_t fired_s[CS_RULES];
};

_Static_assert(sizeof(struct cs_rule_memory) == 96, "the layout above");

/*
 * The table key of a subject. Subscribers are keyed by their IMSI; device
 * and block keys are changed in their last nibble so the kinds never meet:
 * an IMSI (at most 15 digits) always ends in the filler nibble F, an IMEI
 * key ends in E (15 digits) or a digit (16), a block key in D.
 */
uint64_t cs_rule_memory_key(enum cs_rule_subject kind, uint64_t subject);

/* How an anomaly that is let through is graded. */
struct cs_fire {
	uint8_t severity;   /* enum cs_severity */
	uint8_t occurrence; /* 1 for the first of a run, saturating at 255 */
};

/*
 * Rule r tripped on the subject at now_s. Returns false when an anomaly
 * of r is still within its cooldown (suppressed); otherwise remembers
 * this one, grades it into *out and returns true.
 */
bool cs_rule_memory_fire(struct cs_rule_memory *m, enum cs_rule r, const struct cs_rule_common *c, uint32_t now_s,
			 struct cs_fire *out);

/* The subject's score: the weights of the rules whose last anomaly is still within its cooldown. */
uint32_t cs_rule_memory_score(const struct cs_rule_memory *m, const struct cs_rules_conf *conf, uint32_t now_s);

/*
 * One MO call to callee: follows the arithmetic run of callees (numbers
 * of one length whose value steps by the same amount, 1 to max_step in
 * either direction). Returns the run's length including this callee
 * (1: no run); *step is the run's step, absolute (0: no run).
 */
uint32_t cs_rule_memory_on_callee(struct cs_rule_memory *m, cs_digits callee, uint32_t max_step, uint64_t *step);

#endif
