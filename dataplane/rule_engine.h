/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_RULE_ENGINE_H
#define CS_RULE_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "rule_check.h"
#include "subscriber_table.h"

/*
 * The rules as a worker runs them: after each state update, the checks
 * that update can trip (rule_check.h), then for a trip the subject's rule
 * memory (rule_memory.h: cooldown, escalation, score) and, when it is let
 * through, the anomaly handed on. One engine a worker, written by that
 * worker alone; the benchmark (bench/state_bench.c) drives the same calls.
 *
 *   update                        checks
 *   MO call                       simbox.fanout, iot.voice_sms, call.sequential, card.sleeper_wakeup
 *   MO SMS                        sms.flood, iot.voice_sms, card.sleeper_wakeup
 *   MT SMS from a service sender  card.code_receiver
 *   identity with an IMEI         simbox.sim_hopping, iot.imei_binding
 *   any, after a long silence     remembers the wake-up (card.sleeper_wakeup)
 *   SIM sighted in a device       simbox.imei_rotation
 *   a number's first activation   numblock.batch
 *   the state pass                iot.data_fanout
 */
struct cs_rule_engine {
	const struct cs_rule_set *rules; /* in force: a reload replaces the pointer between bursts */
	const struct cs_state_ctx *state;
	struct cs_subscriber_table *memory; /* rule_memory.h records */
	void (*raise)(void *arg, struct cs_rec_anomaly *a); /* a graded anomaly; its header is set */
	void *arg;
	uint64_t anomalies, suppressed;
};

/* Allocates the rule memory for capacity subjects. Returns 0, or -1 (out of memory). */
int cs_rule_engine_init(struct cs_rule_engine *e, const struct cs_rule_set *rules, const struct cs_state_ctx *state,
			uint32_t capacity, void (*raise)(void *arg, struct cs_rec_anomaly *a), void *arg);
void cs_rule_engine_fini(struct cs_rule_engine *e);

/*
 * After the subscriber's state took an event at now_ns. silent_since is
 * its last activity before that event (0: none), for the wake-up.
 */
void cs_rules_after_data(struct cs_rule_engine *e, const struct cs_subscriber *s, uint32_t silent_since,
			 uint64_t now_ns);
void cs_rules_after_identity(struct cs_rule_engine *e, const struct cs_subscriber *s, bool imei_signalled,
			     uint32_t silent_since, uint64_t now_ns);
/* mo: the subscriber called other; else other called it. */
void cs_rules_after_call(struct cs_rule_engine *e, const struct cs_subscriber *s, bool mo, cs_digits other,
			 uint32_t silent_since, uint64_t now_ns);
/* mo: to other; else from other, or from a named sender (named). service: other is a service code. */
void cs_rules_after_sms(struct cs_rule_engine *e, const struct cs_subscriber *s, bool mo, cs_digits other,
			bool named, bool service, uint32_t silent_since, uint64_t now_ns);

/* After a SIM was counted in a device this worker owns. */
void cs_rules_after_device(struct cs_rule_engine *e, const struct cs_device *d, uint64_t now_ns);
/* After a number's first activation in a block this worker owns (not while the blocks learn). */
void cs_rules_after_first_activation(struct cs_rule_engine *e, const struct cs_block *b,
				     const struct cs_block_conf *bc, uint64_t now_ns);
/* The state pass's visit of a subscriber. */
void cs_rules_on_pass(struct cs_rule_engine *e, const struct cs_subscriber *s, uint64_t now_ns);

#endif
