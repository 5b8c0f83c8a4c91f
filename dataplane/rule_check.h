/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_RULE_CHECK_H
#define CS_RULE_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "anomaly.h"
#include "block_state.h"
#include "device_state.h"
#include "number_plan.h"
#include "rule_memory.h"
#include "rules.h"
#include "subscriber_state.h"

/*
 * The rule checks: each reads a subject's state as of now and, when its
 * rule trips, fills an anomaly with the rule, the evidence (every counter
 * it compared, with its threshold) and the subject's identities. They
 * decide nothing about suppression or score (rule_memory.h) and send
 * nothing (the worker does). Each reads the cheapest count first and
 * stops at the first one short of its threshold, so the common case (an
 * ordinary subscriber) costs one or two window reads per event.
 *
 * The rule set is what a reload replaces whole: parameters and number
 * plans together, so a check never sees new thresholds with old plans.
 */
struct cs_rule_set {
	struct cs_rules_conf conf;
	const struct cs_number_plan *iot;          /* IoT / M2M ranges: IMSI or MSISDN prefixes */
	const struct cs_number_plan *risky;        /* MVNO and new ranges: raise the score */
	const struct cs_number_plan *shortcodes;   /* service senders, besides any number of few digits */
	const struct cs_number_plan *handset_tacs; /* TACs of handsets: an IoT card in one is misused */
	const struct cs_number_plan *gateway_tacs; /* TACs of modules and GoIP gateways: raise the score */
	/*
	 * The home country code as digits (numbers.country_code; CS_DIGITS_NONE
	 * when unknown): the decoders put it in front of national numbers, so
	 * a service code signalled as national ("95588") arrives as "8695588"
	 * and is looked up without it.
	 */
	cs_digits country_code;
};

/* What a check reads besides its subject. */
struct cs_rule_env {
	const struct cs_rule_set *rules;
	const struct cs_state_ctx *state;
	uint64_t now_ns;
};

/* Whether the subscriber's IMSI or MSISDN is in an IoT range. */
bool cs_rule_is_iot(const struct cs_rule_set *rs, const struct cs_subscriber *s);
/* Whether the IMSI or MSISDN is in a risky range. */
bool cs_rule_is_risky(const struct cs_rule_set *rs, cs_digits imsi, cs_digits msisdn);
/* Whether the IMEI's TAC is a module's or a gateway's. */
bool cs_rule_is_gateway(const struct cs_rule_set *rs, cs_digits imei);
/*
 * Whether a numeric SMS party is a service code: at most
 * shortcode_max_digits digits, or in the short-code plan, either as it
 * came or, for a home number, without the country code ("8695588" is
 * "95588"). Short codes arrive as they are (type of number unknown);
 * national ones get the country code in front from the decoders.
 */
bool cs_rule_is_service(const struct cs_rule_set *rs, cs_digits number);

/* On an MO call. */
bool cs_check_simbox_fanout(const struct cs_rule_env *e, const struct cs_subscriber *s, struct cs_rec_anomaly *a);
bool cs_check_iot_call(const struct cs_rule_env *e, const struct cs_subscriber *s, struct cs_rec_anomaly *a);
/* run and step: cs_rule_memory_on_callee()'s for this call. */
bool cs_check_sequential(const struct cs_rule_env *e, const struct cs_subscriber *s, uint32_t run, uint64_t step,
			 struct cs_rec_anomaly *a);
/* On an MO SMS to recipient. */
bool cs_check_sms_flood(const struct cs_rule_env *e, const struct cs_subscriber *s, struct cs_rec_anomaly *a);
bool cs_check_iot_sms(const struct cs_rule_env *e, const struct cs_subscriber *s, cs_digits recipient,
		      struct cs_rec_anomaly *a);
/* On an MO call or SMS of a subscriber with rule memory (the wake-up it may hold). */
bool cs_check_sleeper(const struct cs_rule_env *e, const struct cs_subscriber *s, const struct cs_rule_memory *m,
		      struct cs_rec_anomaly *a);
/* On an MT SMS from a service sender. */
bool cs_check_code_receiver(const struct cs_rule_env *e, const struct cs_subscriber *s, struct cs_rec_anomaly *a);
/* On a session's identity (IMEI, cell). */
bool cs_check_sim_hopping(const struct cs_rule_env *e, const struct cs_subscriber *s, struct cs_rec_anomaly *a);
bool cs_check_iot_binding(const struct cs_rule_env *e, const struct cs_subscriber *s, struct cs_rec_anomaly *a);
/* On the state pass (a window-level check: data destinations are counted per packet, read here). */
bool cs_check_iot_data_fanout(const struct cs_rule_env *e, const struct cs_subscriber *s, struct cs_rec_anomaly *a);
/* On a SIM sighted in a device this shard owns. */
bool cs_check_imei_rotation(const struct cs_rule_env *e, const struct cs_device *d, struct cs_rec_anomaly *a);
/* On a number's first activation in a block this shard owns. */
bool cs_check_numblock(const struct cs_rule_env *e, const struct cs_block *b, const struct cs_block_conf *bc,
		       struct cs_rec_anomaly *a);

#endif
